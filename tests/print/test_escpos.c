/*
 * ESC/POS encoding of raster pages, checked by decoding the job back
 * (tests/print/escpos_decode.h) and comparing pixels: 58 mm (384 dots) and
 * 80 mm (576 dots) heads, pages taller than one band, several pages, the
 * byte layout of a tiny page, and the pages the encoder must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "printtest.h"
#ifdef CONFIG_PRINT_ESCPOS
#include "escpos_decode.h"
#include "print/escpos.h"

/* A page of random pixels; bits malloc'd, the struct on the stack. */
static struct pv_bitmap page(unsigned w, unsigned h, uint32_t seed)
{
	struct pv_bitmap b = { w, h, w / 8, NULL };

	b.bits = pt_job((size_t)h * b.stride, seed);
	return b;
}

struct trip_row {
	const char *title;
	unsigned width, height, band;
	unsigned bands; /* GS v 0 images expected */
};

static const struct trip_row trip_rows[] = {
	{ "58 mm head, one band", 384, 200, 255, 1 },
	{ "80 mm head, one band", 576, 255, 255, 1 },
	{ "58 mm, taller than a band: 255 + 255 + 190", 384, 700, 255, 3 },
	{ "80 mm, a whole number of bands", 576, 510, 255, 2 },
	{ "80 mm, bands of 1024 lines", 576, 2100, 1024, 3 },
	{ "one line", 384, 1, 255, 1 },
	{ "bands of one line", 16, 5, 1, 5 },
	{ "the widest the format allows", ESCPOS_STRIDE_MAX * 8, 300, 4095, 1 },
};

static void round_trip_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PT_ROWS(trip_rows); i++) {
		const struct trip_row *r = &trip_rows[i];
		struct pv_bitmap b = page(r->width, r->height, (uint32_t)i + 1);
		const struct pv_bitmap *pages[1] = { &b };
		struct escpos_opts o;
		struct ed_job j;
		uint8_t *job = NULL;
		size_t len = 0;

		print_message("%s\n", r->title);
		escpos_opts_default(&o);
		o.band_lines = r->band;
		assert_int_equal(escpos_encode(pages, 1, &o, &job, &len), 0);
		if (ed_decode(job, len, &j))
			fail_msg("%s", j.err);
		assert_int_equal(j.npages, 1);
		assert_int_equal(j.page[0].bm.width, r->width);
		assert_int_equal(j.page[0].bm.height, r->height);
		assert_int_equal(j.page[0].bands, r->bands);
		assert_true(j.page[0].band_max <= r->band);
		assert_memory_equal(j.page[0].bm.bits, b.bits, (size_t)r->height * b.stride);
		assert_int_equal(j.page[0].feed, 4);
		assert_int_equal(j.page[0].cut, 0);
		ed_free(&j);
		free(job);
		free(b.bits);
	}
}

static void several_pages(void **state)
{
	struct pv_bitmap b[3] = { page(576, 300, 21), page(576, 1000, 22),
				  page(576, 17, 23) };
	const struct pv_bitmap *pages[3] = { &b[0], &b[1], &b[2] };
	struct escpos_opts o;
	struct ed_job j;
	uint8_t *job = NULL;
	size_t len = 0;

	(void)state;
	escpos_opts_default(&o);
	o.cut = ESCPOS_CUT_PARTIAL;
	o.feed_lines = 0;
	assert_int_equal(escpos_encode(pages, 3, &o, &job, &len), 0);
	if (ed_decode(job, len, &j))
		fail_msg("%s", j.err);
	assert_int_equal(j.npages, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(j.page[i].bm.height, b[i].height);
		assert_memory_equal(j.page[i].bm.bits, b[i].bits,
				    (size_t)b[i].height * b[i].stride);
		assert_int_equal(j.page[i].cut, 1);
		assert_int_equal(j.page[i].fed, 0);
		free(b[i].bits);
	}
	ed_free(&j);
	free(job);
}

/* The bytes themselves, for a 16x2 page: what docs/PRINTING.md shows. */
static void byte_layout(void **state)
{
	uint8_t bits[4] = { 0xf0, 0x0f, 0x81, 0x18 };
	struct pv_bitmap b = { 16, 2, 2, bits };
	const struct pv_bitmap *pages[1] = { &b };
	static const uint8_t want[] = {
		0x1b, 0x40,                                           /* ESC @ */
		0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00,       /* GS v 0 */
		0xf0, 0x0f, 0x81, 0x18,
		0x1b, 0x64, 0x04,                                     /* ESC d 4 */
		0x1d, 0x56, 0x00,                                     /* GS V 0 */
	};
	struct escpos_opts o;
	uint8_t *job = NULL;
	size_t len = 0;

	(void)state;
	escpos_opts_default(&o);
	assert_int_equal(escpos_encode(pages, 1, &o, &job, &len), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(job, want, sizeof(want));
	free(job);
	o.cut = ESCPOS_CUT_NONE;
	o.feed_lines = 0;
	assert_int_equal(escpos_encode(pages, 1, &o, &job, &len), 0);
	assert_int_equal(len, 2 + 8 + 4);
	free(job);
}

struct refuse_row {
	const char *title;
	unsigned width, height, stride;
	unsigned band, feed, max_width;
	size_t npages;
};

static const struct refuse_row refuse_rows[] = {
	{ "no page", 384, 10, 48, 255, 4, 0, 0 },
	{ "a width that is not whole bytes", 383, 10, 48, 255, 4, 0, 1 },
	{ "a stride that does not match the width", 384, 10, 50, 255, 4, 0, 1 },
	{ "an empty page", 384, 0, 48, 255, 4, 0, 1 },
	{ "zero width", 0, 10, 0, 255, 4, 0, 1 },
	{ "an 80 mm page for a 58 mm printer", 576, 10, 72, 255, 4, 384, 1 },
	{ "wider than the format", (ESCPOS_STRIDE_MAX + 1) * 8, 10,
	  ESCPOS_STRIDE_MAX + 1, 255, 4, 0, 1 },
	{ "taller than a page may be", 384, ESCPOS_HEIGHT_MAX + 1, 48, 255, 4, 0, 1 },
	{ "bands of zero lines", 384, 10, 48, 0, 4, 0, 1 },
	{ "bands taller than the command allows", 384, 10, 48, 4096, 4, 0, 1 },
	{ "a feed that does not fit a byte", 384, 10, 48, 255, 256, 0, 1 },
};

static void refusals(void **state)
{
	static uint8_t bits[1];

	(void)state;
	for (size_t i = 0; i < PT_ROWS(refuse_rows); i++) {
		const struct refuse_row *r = &refuse_rows[i];
		struct pv_bitmap b = { r->width, r->height, r->stride, bits };
		const struct pv_bitmap *pages[1] = { &b };
		struct escpos_opts o;
		uint8_t *job = (uint8_t *)1;
		size_t len = 1;

		print_message("%s\n", r->title);
		escpos_opts_default(&o);
		o.band_lines = r->band;
		o.feed_lines = r->feed;
		o.max_width = r->max_width;
		assert_int_equal(escpos_encode(pages, r->npages, &o, &job, &len), ERR_RANGE);
		assert_null(job);
		assert_int_equal(len, 0);
	}
}

/* The decoder is strict, so a round trip cannot pass by accident. */
static void decoder_is_strict(void **state)
{
	static const struct {
		const char *title;
		uint8_t in[16];
		size_t n;
	} bad[] = {
		{ "no ESC @", { 0x1d, 0x56, 0 }, 3 },
		{ "no page", { 0x1b, 0x40 }, 2 },
		{ "GS v 0 with m = 1", { 0x1b, 0x40, 0x1d, 0x76, 0x30, 1, 1, 0, 1, 0, 0xff }, 11 },
		{ "image truncated", { 0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 1, 0, 2, 0, 0xff }, 11 },
		{ "cut outside a page", { 0x1b, 0x40, 0x1d, 0x56, 0 }, 5 },
		{ "an unknown command", { 0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 1, 0, 1, 0, 0xff,
					  0x1b, 0x21, 0 }, 14 },
		{ "GS V 2", { 0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 1, 0, 1, 0, 0xff, 0x1d, 0x56, 2 },
		  14 },
	};
	struct ed_job j;

	(void)state;
	for (size_t i = 0; i < PT_ROWS(bad); i++) {
		print_message("%s\n", bad[i].title);
		assert_int_equal(ed_decode(bad[i].in, bad[i].n, &j), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_table),
		cmocka_unit_test(several_pages),
		cmocka_unit_test(byte_layout),
		cmocka_unit_test(refusals),
		cmocka_unit_test(decoder_is_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
	return 0; /* CONFIG_PRINT_ESCPOS is off */
}
#endif
