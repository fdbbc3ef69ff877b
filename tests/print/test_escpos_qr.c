/*
 * What a phone would read on a thermal PV: a QR code (drawn with
 * libqrencode, the payload shaped like the PV's hashes code) on a raster
 * page goes through the ESC/POS encoder, back through the strict decoder,
 * into a PBM that zbarimg must read back to the same text. The code sits
 * across a band boundary, on 58 and 80 mm pages. A page without the code
 * must read as nothing, so that zbarimg cannot pass by accident.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "printtest.h"
#ifdef CONFIG_PRINT_ESCPOS
#include <qrencode.h>

#include "escpos_decode.h"
#include "print/escpos.h"

#define QUIET 4 /* modules of white around the code, as the standard asks */

/* SCEAU1:H:... with seven hashes in upper-case hex (docs/FORMATS.md). */
static void payload(char *out, size_t n, uint32_t seed)
{
	static const char *const tags[] = { "E", "R", "U", "M", "D", "J", "F" };
	size_t o = (size_t)snprintf(out, n, "SCEAU1:H:1");

	for (size_t t = 0; t < PT_ROWS(tags); t++) {
		o += (size_t)snprintf(out + o, n - o, ":%s:", tags[t]);
		for (int i = 0; i < 32; i++)
			o += (size_t)snprintf(out + o, n - o, "%02X",
					      (unsigned)(pt_rand(&seed) & 0xff));
	}
	assert_true(o < n);
}

static void set_px(struct pv_bitmap *b, unsigned x, unsigned y)
{
	b->bits[(size_t)y * b->stride + x / 8] |= (uint8_t)(0x80 >> (x % 8));
}

/* Draws qr with its quiet zone at (x0, y0), scale dots per module. */
static void draw_qr(struct pv_bitmap *b, const QRcode *qr, unsigned x0, unsigned y0,
		    unsigned scale)
{
	unsigned side = (unsigned)qr->width;

	assert_true(x0 + (side + 2 * QUIET) * scale <= b->width);
	assert_true(y0 + (side + 2 * QUIET) * scale <= b->height);
	for (unsigned my = 0; my < side; my++)
		for (unsigned mx = 0; mx < side; mx++) {
			if (!(qr->data[my * side + mx] & 1))
				continue;
			for (unsigned dy = 0; dy < scale; dy++)
				for (unsigned dx = 0; dx < scale; dx++)
					set_px(b, x0 + (QUIET + mx) * scale + dx,
					       y0 + (QUIET + my) * scale + dy);
		}
}

/* Lines like text above the code, for a page that is not just a code. */
static void draw_rules(struct pv_bitmap *b, unsigned y0, unsigned y1)
{
	for (unsigned y = y0; y < y1; y += 12)
		for (unsigned x = 8; x + 8 < b->width; x++)
			if ((x / 5) % 3)
				set_px(b, x, y);
}

/* Runs zbarimg on the PBM; its exit status, its output in out. */
static int zbarimg(const char *pbm, char *out, size_t cap)
{
	char *argv[] = { "zbarimg", "--raw", "-q", "--nodbus", (char *)pbm, NULL };
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	int fds[2], st = 0;
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	if (posix_spawnp(&pid, "zbarimg", &fa, NULL, argv, environ) != 0)
		fail_msg("cannot run zbarimg (Debian package zbar-tools)");
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (len + 1 < cap && (n = read(fds[0], out + len, cap - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n > 0);
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Encodes the page, decodes it strictly, checks the pixels, writes a PBM. */
static void through_escpos(const struct pv_bitmap *b, const char *pbm)
{
	const struct pv_bitmap *pages[1] = { b };
	struct escpos_opts o;
	struct ed_job j;
	uint8_t *job = NULL;
	size_t len = 0;

	escpos_opts_default(&o);
	o.max_width = b->width;
	assert_int_equal(escpos_encode(pages, 1, &o, &job, &len), 0);
	if (ed_decode(job, len, &j))
		fail_msg("%s", j.err);
	assert_int_equal(j.npages, 1);
	assert_true(j.page[0].bands > 1); /* the code straddles a band boundary */
	assert_int_equal(j.page[0].bm.height, b->height);
	assert_memory_equal(j.page[0].bm.bits, b->bits, (size_t)b->height * b->stride);
	assert_int_equal(ed_write_pbm(pbm, &j.page[0].bm), 0);
	ed_free(&j);
	free(job);
}

struct qr_row {
	const char *title;
	unsigned width, scale, y0;
	int with_code;
};

static const struct qr_row qr_rows[] = {
	{ "58 mm (384 dots), 4 dots per module, across line 255", 384, 4, 120, 1 },
	{ "80 mm (576 dots), 6 dots per module, across lines 255 and 510", 576, 6, 200, 1 },
	{ "80 mm page without the code reads as nothing", 576, 6, 200, 0 },
};

static void qr_read_back_by_zbarimg(void **state)
{
	char dir[64], pbm[128], text[1024], got[2048];

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	for (size_t i = 0; i < PT_ROWS(qr_rows); i++) {
		const struct qr_row *r = &qr_rows[i];
		QRcode *qr;
		unsigned side;
		struct pv_bitmap b;

		print_message("%s\n", r->title);
		payload(text, sizeof(text), 42 + (uint32_t)i);
		qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		assert_non_null(qr);
		side = ((unsigned)qr->width + 2 * QUIET) * r->scale;
		b = (struct pv_bitmap){ r->width, r->y0 + side + 60, r->width / 8, NULL };
		b.bits = calloc((size_t)b.height, b.stride);
		assert_non_null(b.bits);
		draw_rules(&b, 10, r->y0 - 10);
		if (r->with_code)
			draw_qr(&b, qr, (r->width - side) / 2, r->y0, r->scale);
		pt_path(pbm, sizeof(pbm), dir, "page.pbm");
		through_escpos(&b, pbm);
		if (r->with_code) {
			assert_int_equal(zbarimg(pbm, got, sizeof(got)), 0);
			/* zbarimg ends each symbol with a newline. */
			assert_int_equal(strlen(got), strlen(text) + 1);
			assert_memory_equal(got, text, strlen(text));
		} else {
			assert_int_equal(zbarimg(pbm, got, sizeof(got)), 4);
			assert_string_equal(got, "");
		}
		QRcode_free(qr);
		free(b.bits);
	}
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qr_read_back_by_zbarimg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
	return 0; /* CONFIG_PRINT_ESCPOS is off */
}
#endif
