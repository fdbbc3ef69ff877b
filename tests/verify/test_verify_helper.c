/*
 * Without arguments: the image side of the PV check, end to end — QR codes
 * made by the PV's own encoder (pv_qr_encode) drawn onto a page (PNG through cairo, JPEG through
 * libjpeg, PBM), read back by verify_image_load and decoded by libzbar.
 *
 * With arguments, the tools tests/verify/test_verify_archive.sh needs to
 * build a sealed archive while `sceau seal` does not exist yet, made the
 * way the box will make it (session/sign.h with the simulated cards,
 * media/iso_write.h), and the PV images the test scans:
 *   test_verify_helper sign RECORD SUBJECT FILE OUT SLOT PIN [SLOT PIN ...]
 *   test_verify_helper iso DIR OUT.iso
 *   test_verify_helper qr OUT.png|OUT.jpg|OUT.pbm TEXT [TEXT ...]
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>
#include <jpeglib.h>

#include "sim/card_sim.h"
#include "lib/err.h"
#include "lib/file.h"
#include "format/record.h"
#include "session/sign.h"
#include "crypto/hash.h"
#include "media/iso_write.h"
#include "pv/qr.h"
#include "ui/ui.h"
#include "verify/verify_scan.h"
#include "../support/testlib.h"

#define MODULE 4          /* pixels per QR module */
#define PAGE_W 1240       /* A4 at 150 dpi */
#define PAGE_H 1754

/* ---- drawing a page ------------------------------------------------------ */

/* A white page with each text as a QR code, one under the other. */
static int page_draw(const char *const *texts, unsigned n, struct vgray *g)
{
	unsigned y = 80;

	g->w = PAGE_W;
	g->h = PAGE_H;
	g->px = malloc((size_t)PAGE_W * PAGE_H);
	if (!g->px)
		return -1;
	memset(g->px, 255, (size_t)PAGE_W * PAGE_H);
	for (unsigned i = 0; i < n; i++) {
		unsigned width = 0;
		uint8_t *m = NULL;
		if (pv_qr_encode(texts[i], &width, &m) != 0 || y + width * MODULE + 40 > PAGE_H) {
			free(m);
			return -1;
		}
		for (unsigned r = 0; r < width; r++)
			for (unsigned c = 0; c < width; c++)
				if (m[r * width + c])
					for (unsigned dy = 0; dy < MODULE; dy++)
						memset(g->px + (size_t)(y + r * MODULE + dy) * PAGE_W + 120 +
							       c * MODULE, 0, MODULE);
		y += width * MODULE + 60;
		free(m);
	}
	return 0;
}

static int page_png(const struct vgray *g, const char *path)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)g->w, (int)g->h);
	int stride = cairo_image_surface_get_stride(s), ret;
	uint8_t *d = cairo_image_surface_get_data(s);

	for (unsigned y = 0; y < g->h; y++)
		for (unsigned x = 0; x < g->w; x++) {
			uint32_t v = g->px[(size_t)y * g->w + x] * 0x010101u;
			memcpy(d + (size_t)y * (size_t)stride + 4 * x, &v, 4);
		}
	cairo_surface_mark_dirty(s);
	ret = cairo_surface_write_to_png(s, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return ret;
}

static int page_jpeg(const struct vgray *g, const char *path)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr je;
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	ci.err = jpeg_std_error(&je);
	jpeg_create_compress(&ci);
	jpeg_stdio_dest(&ci, f);
	ci.image_width = g->w;
	ci.image_height = g->h;
	ci.input_components = 1;
	ci.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, 80, TRUE);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = g->px + (size_t)ci.next_scanline * g->w;
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	return fclose(f) == 0 ? 0 : -1;
}

static int page_pbm(const struct vgray *g, const char *path)
{
	FILE *f = fopen(path, "wb");
	size_t stride = (g->w + 7) / 8;
	uint8_t *row = calloc(1, stride);
	int ret = f && row ? 0 : -1;

	if (!ret)
		fprintf(f, "P4\n# a PV page\n%u %u\n", g->w, g->h);
	for (unsigned y = 0; !ret && y < g->h; y++) {
		memset(row, 0, stride);
		for (unsigned x = 0; x < g->w; x++)
			if (g->px[(size_t)y * g->w + x] < 128)
				row[x / 8] |= (uint8_t)(0x80 >> (x % 8));
		ret = fwrite(row, 1, stride, f) == stride ? 0 : -1;
	}
	free(row);
	if (f && fclose(f) != 0)
		ret = -1;
	return ret;
}

static int page_write(const char *path, const char *const *texts, unsigned n)
{
	struct vgray g;
	size_t l = strlen(path);
	int ret = page_draw(texts, n, &g);

	if (!ret && l > 4 && strcmp(path + l - 4, ".png") == 0)
		ret = page_png(&g, path);
	else if (!ret && l > 4 && strcmp(path + l - 4, ".jpg") == 0)
		ret = page_jpeg(&g, path);
	else if (!ret)
		ret = page_pbm(&g, path);
	verify_gray_free(&g);
	return ret;
}

/* ---- unit tests ---------------------------------------------------------- */

static const char *const payloads[] = {
	"SCEAU1:H:1:E:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":R:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":U:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":M:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":D:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":J:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":F:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
	"SCEAU1:S:1:R:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	":1:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
};

struct seen {
	unsigned mask;
};

static int on_code(const char *text, size_t len, void *arg)
{
	struct seen *s = arg;

	for (unsigned i = 0; i < 2; i++)
		if (len == strlen(payloads[i]) && memcmp(text, payloads[i], len) == 0)
			s->mask |= 1u << i;
	return 0;
}

static void roundtrip(const char *ext)
{
	char dir[64], path[128];
	struct vgray g;
	struct seen s = { 0 };
	unsigned found = 0;

	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/page.%s", dir, ext);
	assert_int_equal(page_write(path, payloads, 2), 0);
	assert_int_equal(verify_image_load(path, &g), 0);
	assert_int_equal(g.w, PAGE_W);
	assert_int_equal(g.h, PAGE_H);
	assert_int_equal(verify_scan_qr(&g, on_code, &s, &found), 0);
	assert_int_equal(found, 2);
	assert_int_equal(s.mask, 3);
	verify_gray_free(&g);
	testlib_rmdir(dir);
}

static void test_scan_png(void **state)
{
	(void)state;
	roundtrip("png");
}

static void test_scan_jpeg(void **state)
{
	(void)state;
	roundtrip("jpg");
}

static void test_scan_pbm(void **state)
{
	(void)state;
	roundtrip("pbm");
}

static void test_scan_nothing(void **state)
{
	char dir[64], path[128];
	struct vgray g;
	struct seen s = { 0 };
	unsigned found = 1;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/blank.png", dir);
	assert_int_equal(page_write(path, payloads, 0), 0);
	assert_int_equal(verify_image_load(path, &g), 0);
	assert_int_equal(verify_scan_qr(&g, on_code, &s, &found), 0);
	assert_int_equal(found, 0);
	verify_gray_free(&g);
	assert_int_equal(file_write_atomic(path, "GIF89a", 6, 1), 0);
	assert_int_equal(verify_image_load(path, &g), ERR_FORMAT);
	assert_int_equal(file_write_atomic(path, "\xff\xd8\xff\xe0 cut", 8, 1), 0);
	assert_int_equal(verify_image_load(path, &g), ERR_FORMAT);
	testlib_rmdir(dir);
}

/* ---- archive-building tools ---------------------------------------------- */

static int tool_sign(int argc, char **argv)
{
	struct record rec;
	struct signing_set set;
	struct ui u;
	uint8_t *file = NULL;
	size_t len = 0;
	const char *slots[SHAMIR_MAX];
	char script[] = "/tmp/sceau-sign-XXXXXX", *json = NULL;
	unsigned n = 0;
	int fd, ret;

	if (argc < 8 || argc % 2 != 0 || (argc - 6) / 2 > SHAMIR_MAX)
		return ERR_USAGE;
	fd = mkstemp(script);
	if (fd < 0)
		return ERR_IO;
	for (int i = 6; i + 1 < argc; i += 2) {
		slots[n++] = argv[i];
		dprintf(fd, "%s\n", argv[i + 1]);
	}
	close(fd);
	memset(&set, 0, sizeof(set));
	snprintf(set.subject, sizeof(set.subject), "%s", argv[3]);
	ret = record_load(argv[2], &rec);
	if (!ret)
		ret = file_read_all(argv[4], 1u << 30, &file, &len);
	if (!ret)
		ret = hash_sha256(file, len, set.file_sha256);
	if (!ret)
		ret = signing_digest(set.subject, file, len, set.digest);
	if (!ret)
		ret = ui_tty_init(&u, script, -1, 2);
	if (!ret) {
		ret = signing_collect(&card_sim_ops, slots, n, &rec, &u, &set);
		ui_tty_close(&u);
	}
	if (!ret)
		ret = signing_write(&set, &json, &len);
	if (!ret)
		ret = file_write_atomic(argv[5], json, len, 1);
	unlink(script);
	free(file);
	free(json);
	return ret;
}

static int iso_chunk(void *arg, uint8_t *buf, size_t cap, size_t *got)
{
	*got = fread(buf, 1, cap, arg);
	return ferror((FILE *)arg) ? ERR_IO : 0;
}

static int tool_iso_file(struct iso_write *w, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	long size;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return ERR_IO;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	ret = iso_write_file(w, name, (uint64_t)size, iso_chunk, f);
	fclose(f);
	return ret;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int tool_iso(int argc, char **argv)
{
	struct dirent **list = NULL;
	struct iso_write *w = NULL;
	int n, ret;

	if (argc != 4)
		return ERR_USAGE;
	n = scandir(argv[2], &list, NULL, name_cmp);
	ret = n < 0 ? ERR_IO : iso_write_open(argv[3], "SCEAU_ARCHIVE", &w);
	for (int i = 0; !ret && i < n; i++)
		if (list[i]->d_name[0] != '.')
			ret = tool_iso_file(w, argv[2], list[i]->d_name);
	if (!ret)
		ret = iso_write_close(w);
	else
		iso_write_abort(w);
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return ret;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_png),
		cmocka_unit_test(test_scan_jpeg),
		cmocka_unit_test(test_scan_pbm),
		cmocka_unit_test(test_scan_nothing),
	};
	int ret = ERR_USAGE;

	if (argc == 1)
		return cmocka_run_group_tests(tests, NULL, NULL);
	if (strcmp(argv[1], "sign") == 0)
		ret = tool_sign(argc, argv);
	else if (strcmp(argv[1], "iso") == 0)
		ret = tool_iso(argc, argv);
	else if (strcmp(argv[1], "qr") == 0 && argc >= 3)
		ret = page_write(argv[2], (const char *const *)argv + 3, (unsigned)argc - 3) ? ERR_IO
											      : 0;
	if (ret)
		fprintf(stderr, "test_verify_helper %s: error %d %s\n", argv[1], ret,
			err_last_detail());
	return ret ? 1 : 0;
}
