/*
 * A strict ESC/POS decoder for the tests: it accepts only what
 * firmware/print/escpos.c may emit and rebuilds the pages, so a round trip
 * compares pixels, not bytes. Grammar:
 *
 *   job   = ESC '@' page+
 *   page  = band+ [ESC 'd' n] [GS 'V' m]    m = 0 (full) or 1 (partial)
 *   band  = GS 'v' '0' 0 xL xH yL yH (xL + 256 xH) * (yL + 256 yH) bytes
 *
 * Bands of one page share their width; a page ends at its cut, or at its
 * feed when the next thing is a band. Anything else is an error naming the
 * offset. Also writes a page as a binary PBM (P4), the format of zbarimg.
 */
#ifndef SCEAU_TESTS_PRINT_ESCPOS_DECODE_H
#define SCEAU_TESTS_PRINT_ESCPOS_DECODE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pv/bitmap.h"

#define ED_PAGES_MAX 16

struct ed_page {
	struct pv_bitmap bm; /* bits malloc'd */
	unsigned bands, band_max, feed;
	int cut;  /* -1 none, 0 full, 1 partial */
	int fed;  /* ESC d seen */
	int done; /* cut seen */
};

struct ed_job {
	struct ed_page page[ED_PAGES_MAX];
	size_t npages;
	char err[128];
};

static inline void ed_free(struct ed_job *j)
{
	for (size_t i = 0; i < j->npages; i++)
		free(j->page[i].bm.bits);
	j->npages = 0;
}

static inline int ed_fail(struct ed_job *j, size_t at, const char *what)
{
	snprintf(j->err, sizeof(j->err), "offset %zu: %s", at, what);
	return -1;
}

/* The page a band goes to: the open one, or a new one. */
static inline struct ed_page *ed_page_for_band(struct ed_job *j)
{
	struct ed_page *p = j->npages ? &j->page[j->npages - 1] : NULL;

	if (p && !p->done && !p->fed)
		return p;
	if (j->npages == ED_PAGES_MAX)
		return NULL;
	p = &j->page[j->npages++];
	memset(p, 0, sizeof(*p));
	p->cut = -1;
	return p;
}

static inline int ed_band(struct ed_job *j, const uint8_t *s, size_t n, size_t *pos)
{
	size_t at = *pos, x, y, len;
	struct ed_page *p;
	uint8_t *bits;

	if (n - at < 8 || s[at + 2] != '0')
		return ed_fail(j, at, "truncated or unknown GS v");
	if (s[at + 3] != 0)
		return ed_fail(j, at, "GS v 0 with m other than 0");
	x = s[at + 4] | (size_t)s[at + 5] << 8;
	y = s[at + 6] | (size_t)s[at + 7] << 8;
	if (!x || !y || y > 4095)
		return ed_fail(j, at, "GS v 0 of an empty or too tall image");
	len = x * y;
	if (n - at - 8 < len)
		return ed_fail(j, at, "GS v 0 image truncated");
	p = ed_page_for_band(j);
	if (!p)
		return ed_fail(j, at, "too many pages");
	if (p->bands && p->bm.stride != x)
		return ed_fail(j, at, "band width differs within a page");
	bits = realloc(p->bm.bits, (p->bm.height + y) * x);
	if (!bits)
		return ed_fail(j, at, "out of memory");
	memcpy(bits + (size_t)p->bm.height * x, s + at + 8, len);
	p->bm.bits = bits;
	p->bm.stride = (unsigned)x;
	p->bm.width = (unsigned)x * 8;
	p->bm.height += (unsigned)y;
	p->bands++;
	p->band_max = y > p->band_max ? (unsigned)y : p->band_max;
	*pos = at + 8 + len;
	return 0;
}

static inline struct ed_page *ed_open_page(struct ed_job *j)
{
	struct ed_page *p = j->npages ? &j->page[j->npages - 1] : NULL;

	return p && !p->done ? p : NULL;
}

static inline int ed_feed(struct ed_job *j, const uint8_t *s, size_t n, size_t *pos)
{
	struct ed_page *p = ed_open_page(j);

	if (n - *pos < 3)
		return ed_fail(j, *pos, "truncated ESC d");
	if (!p || p->fed)
		return ed_fail(j, *pos, "ESC d outside a page or twice");
	p->fed = 1;
	p->feed = s[*pos + 2];
	*pos += 3;
	return 0;
}

static inline int ed_cut(struct ed_job *j, const uint8_t *s, size_t n, size_t *pos)
{
	struct ed_page *p = ed_open_page(j);

	if (n - *pos < 3)
		return ed_fail(j, *pos, "truncated GS V");
	if (!p)
		return ed_fail(j, *pos, "GS V outside a page");
	if (s[*pos + 2] > 1)
		return ed_fail(j, *pos, "GS V with m other than 0 or 1");
	p->cut = s[*pos + 2];
	p->done = 1;
	*pos += 3;
	return 0;
}

static inline int ed_step(struct ed_job *j, const uint8_t *s, size_t n, size_t *pos)
{
	if (n - *pos < 2)
		return ed_fail(j, *pos, "stray byte at the end");
	if (s[*pos] == 0x1d && s[*pos + 1] == 'v')
		return ed_band(j, s, n, pos);
	if (s[*pos] == 0x1b && s[*pos + 1] == 'd')
		return ed_feed(j, s, n, pos);
	if (s[*pos] == 0x1d && s[*pos + 1] == 'V')
		return ed_cut(j, s, n, pos);
	return ed_fail(j, *pos, "unexpected command");
}

/* 0 and the pages, or -1 with j->err; j is freed on error. */
static inline int ed_decode(const uint8_t *s, size_t n, struct ed_job *j)
{
	size_t pos = 2;

	memset(j, 0, sizeof(*j));
	if (n < 2 || s[0] != 0x1b || s[1] != '@')
		return ed_fail(j, 0, "job does not start with ESC @");
	while (pos < n) {
		if (ed_step(j, s, n, &pos)) {
			ed_free(j);
			return -1;
		}
	}
	if (!j->npages)
		return ed_fail(j, pos, "no page");
	return 0;
}

/* Writes bm as a binary PBM: the same bit order, 1 = black. */
static inline int ed_write_pbm(const char *path, const struct pv_bitmap *bm)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "P4\n%u %u\n", bm->width, bm->height) > 0 &&
	     fwrite(bm->bits, bm->stride, bm->height, f) == bm->height;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : -1;
}

#endif
