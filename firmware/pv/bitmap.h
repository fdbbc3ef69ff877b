/*
 * A 1-bit raster page, as thermal (ESC/POS) printers take it: width pixels
 * per line (a multiple of 8), stride = width / 8 bytes per line, bit 7 of a
 * byte is the leftmost pixel, 1 = black.
 */
#ifndef SCEAU_PV_BITMAP_H
#define SCEAU_PV_BITMAP_H

#include <stddef.h>
#include <stdint.h>

struct pv_bitmap {
	unsigned width, height, stride;
	uint8_t *bits; /* height * stride bytes, malloc'd */
};

void pv_bitmap_free(struct pv_bitmap *b); /* frees bits and b; NULL ok */

#endif
