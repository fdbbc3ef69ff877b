/*
 * PV pages to ESC/POS raster images. The job's size is computed first and
 * checked for overflow, then written in one pass into one allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "print/escpos.h"

#define ESCPOS_ESC 0x1b
#define ESCPOS_GS 0x1d

void escpos_opts_default(struct escpos_opts *o)
{
	o->band_lines = CONFIG_PRINT_ESCPOS_BAND_LINES;
	o->feed_lines = 4;
	o->cut = ESCPOS_CUT_FULL;
	o->max_width = 0;
}

static int escpos_check_opts(const struct escpos_opts *o)
{
	if (o->band_lines < 1 || o->band_lines > ESCPOS_BAND_MAX ||
	    o->feed_lines > 255 || o->cut > ESCPOS_CUT_PARTIAL) {
		err_detail("ESC/POS: band of %u lines, feed of %u lines", o->band_lines,
			   o->feed_lines);
		return ERR_RANGE;
	}
	return 0;
}

static int escpos_check_page(const struct pv_bitmap *b, size_t i,
			     const struct escpos_opts *o)
{
	if (!b || !b->bits)
		return ERR_INTERNAL;
	if (!b->width || b->width % 8 || b->stride != b->width / 8 ||
	    b->stride > ESCPOS_STRIDE_MAX || !b->height || b->height > ESCPOS_HEIGHT_MAX) {
		err_detail("ESC/POS: page %zu is %ux%u dots (stride %u)", i + 1,
			   b->width, b->height, b->stride);
		return ERR_RANGE;
	}
	if (o->max_width && b->width > o->max_width) {
		err_detail("ESC/POS: page %zu is %u dots wide, the printer %u",
			   i + 1, b->width, o->max_width);
		return ERR_RANGE;
	}
	return 0;
}

/* Bytes of one page; bounded by the checks, so no overflow on 64-bit. */
static size_t escpos_page_size(const struct pv_bitmap *b, const struct escpos_opts *o)
{
	size_t bands = (b->height + o->band_lines - 1) / o->band_lines;

	return bands * 8 + (size_t)b->height * b->stride +
	       (o->feed_lines ? 3 : 0) + (o->cut != ESCPOS_CUT_NONE ? 3 : 0);
}

static int escpos_job_size(const struct pv_bitmap *const *pages, size_t npages,
			   const struct escpos_opts *o, size_t *size)
{
	int ret;

	*size = 2; /* ESC @ */
	for (size_t i = 0; i < npages; i++) {
		ret = escpos_check_page(pages[i], i, o);
		if (ret)
			return ret;
		*size += escpos_page_size(pages[i], o);
	}
	return 0;
}

/* GS v 0: m, xL xH (bytes per line), yL yH (lines), then the lines. */
static uint8_t *escpos_put_band(uint8_t *w, const struct pv_bitmap *b,
				unsigned y, unsigned lines)
{
	size_t n = (size_t)lines * b->stride;

	*w++ = ESCPOS_GS;
	*w++ = 'v';
	*w++ = '0';
	*w++ = 0;
	*w++ = (uint8_t)(b->stride & 0xff);
	*w++ = (uint8_t)(b->stride >> 8);
	*w++ = (uint8_t)(lines & 0xff);
	*w++ = (uint8_t)(lines >> 8);
	memcpy(w, b->bits + (size_t)y * b->stride, n);
	return w + n;
}

static uint8_t *escpos_put_page(uint8_t *w, const struct pv_bitmap *b,
				const struct escpos_opts *o)
{
	for (unsigned y = 0; y < b->height; y += o->band_lines) {
		unsigned lines = b->height - y < o->band_lines ? b->height - y :
								 o->band_lines;

		w = escpos_put_band(w, b, y, lines);
	}
	if (o->feed_lines) {
		*w++ = ESCPOS_ESC;
		*w++ = 'd';
		*w++ = (uint8_t)o->feed_lines;
	}
	if (o->cut != ESCPOS_CUT_NONE) {
		*w++ = ESCPOS_GS;
		*w++ = 'V';
		*w++ = o->cut == ESCPOS_CUT_FULL ? 0 : 1;
	}
	return w;
}

int escpos_encode(const struct pv_bitmap *const *pages, size_t npages,
		  const struct escpos_opts *o, uint8_t **out, size_t *outlen)
{
	uint8_t *buf, *w;
	size_t size;
	int ret;

	if (!out || !outlen || !o || (!pages && npages))
		return ERR_INTERNAL;
	*out = NULL;
	*outlen = 0;
	if (!npages || npages > ESCPOS_PAGES_MAX) {
		err_detail("ESC/POS: %zu pages", npages);
		return ERR_RANGE;
	}
	ret = escpos_check_opts(o);
	if (!ret)
		ret = escpos_job_size(pages, npages, o, &size);
	if (ret)
		return ret;
	buf = malloc(size);
	if (!buf)
		return ERR_NOMEM;
	w = buf;
	*w++ = ESCPOS_ESC;
	*w++ = '@';
	for (size_t i = 0; i < npages; i++)
		w = escpos_put_page(w, pages[i], o);
	if ((size_t)(w - buf) != size) {
		free(buf);
		return ERR_INTERNAL;
	}
	*out = buf;
	*outlen = size;
	return 0;
}
