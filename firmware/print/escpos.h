/*
 * ESC/POS for 58 and 80 mm thermal printers: PV pages (struct pv_bitmap)
 * become one job of raster bit images. The job starts with ESC @
 * (initialise); each page is a run of GS v 0 images (normal density, m = 0)
 * of at most band_lines lines each, since printers bound the height of one
 * image, then ESC d (feed) and GS V (cut). The byte layout is in
 * docs/PRINTING.md.
 */
#ifndef SCEAU_PRINT_ESCPOS_H
#define SCEAU_PRINT_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

#include "pv/bitmap.h"

#define ESCPOS_STRIDE_MAX 255      /* bytes per line: 2040 dots, wider than any head */
#define ESCPOS_HEIGHT_MAX 200000u  /* lines per page: 25 m at 8 dots/mm */
#define ESCPOS_BAND_MAX 4095u      /* lines per GS v 0 the spec allows */
#define ESCPOS_PAGES_MAX 256u

enum escpos_cut {
	ESCPOS_CUT_NONE = 0, /* printers without a cutter */
	ESCPOS_CUT_FULL,     /* GS V 0 */
	ESCPOS_CUT_PARTIAL,  /* GS V 1: leaves a hinge */
};

struct escpos_opts {
	unsigned band_lines; /* lines per GS v 0 image, 1..ESCPOS_BAND_MAX */
	unsigned feed_lines; /* ESC d n after each page, 0..255 */
	enum escpos_cut cut;
	unsigned max_width;  /* dots of the printer's head (384, 576), 0: unchecked */
};

/* band_lines = CONFIG_PRINT_ESCPOS_BAND_LINES, 4 lines of feed, full cut. */
void escpos_opts_default(struct escpos_opts *o);

/*
 * Encodes npages pages into one malloc'd job (*out, *outlen). ERR_RANGE if
 * a page is empty, too wide for max_width or the format, or not a whole
 * number of bytes per line; nothing is allocated then.
 */
int escpos_encode(const struct pv_bitmap *const *pages, size_t npages,
		  const struct escpos_opts *o, uint8_t **out, size_t *outlen);

#endif
