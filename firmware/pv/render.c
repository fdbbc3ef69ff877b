/*
 * The renderers: the same layout on a PDF surface (the archive; fonts
 * embedded by cairo), a PostScript surface (office printers) and 1-bit
 * rasters (thermal printers). Files are built in memory and written
 * atomically; their dates are the close of the vote, not the clock, so the
 * same session gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo.h>

#include "lib/err.h"
#include "lib/file.h"
#include "pv/pv_int.h"

struct rnd_buf {
	unsigned char *p;
	size_t len, cap;
	int err;
};

static cairo_status_t rnd_write(void *closure, const unsigned char *data,
				unsigned int length)
{
	struct rnd_buf *b = closure;

	if (b->len + length > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 1u << 16;
		unsigned char *p;

		while (cap < b->len + length)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = ERR_NOMEM;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
}

/* "2026-12-08T17:00+01:00" -> "2026-12-08T17:00:00+01:00" (cairo wants seconds). */
static void rnd_iso(const char *in, char out[40])
{
	if (!in || strlen(in) < 16)
		snprintf(out, 40, "2000-01-01T00:00:00Z");
	else if (in[16] == ':')
		snprintf(out, 40, "%s", in);
	else
		snprintf(out, 40, "%.16s:00%s", in, in + 16);
}

/* cairo stamps PostScript with the clock: put the close of the vote instead. */
static int rnd_ps_date(struct rnd_buf *b, const char *iso)
{
	static const char key[] = "%%CreationDate: ";
	unsigned char *k = memmem(b->p, b->len < 4096 ? b->len : 4096, key, sizeof(key) - 1);
	char date[48];
	size_t at, end, n;

	if (!k)
		return 0;
	at = (size_t)(k - b->p) + sizeof(key) - 1;
	for (end = at; end < b->len && b->p[end] != '\n' && b->p[end] != '\r'; end++)
		;
	snprintf(date, sizeof(date), "%s", iso);
	n = strlen(date);
	if (b->len - (end - at) + n > b->cap) {
		unsigned char *p = realloc(b->p, b->len + n);
		if (!p)
			return ERR_NOMEM;
		b->p = p;
		b->cap = b->len + n;
	}
	memmove(b->p + at + n, b->p + end, b->len - end);
	memcpy(b->p + at, date, n);
	b->len = b->len - (end - at) + n;
	return 0;
}

static int rnd_doc(cairo_surface_t *s, cairo_t *cr, const struct pv_doc *d,
		   const struct pv_page_geom *g, int pdf, unsigned *page_no)
{
	struct pv_pages p;
	int ret = pv_layout_paginate(d, g, &p);

	for (unsigned k = 0; !ret && k < p.n; k++) {
		if (pdf && k == 0) {
			char link[32];

			snprintf(link, sizeof(link), "page=%u", *page_no + 1);
			cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, d->head2, link,
						      0);
		}
		ret = pv_layout_draw_page(cr, d, g, &p, k);
		cairo_show_page(cr);
		(*page_no)++;
	}
	pv_pages_free(&p);
	return ret;
}

/* docs[0..n) as one PDF or PostScript file. */
static int rnd_vector(const struct pv_model *m, const struct pv_doc *const *docs,
		      unsigned n, int pdf, const char *path)
{
	struct pv_page_geom g;
	struct rnd_buf b = { 0 };
	cairo_surface_t *s;
	cairo_t *cr;
	char iso[40];
	unsigned page_no = 0;
	int ret = 0;

	pv_geom_a4(&g);
	rnd_iso(m->pdf_date, iso);
	s = pdf ? cairo_pdf_surface_create_for_stream(rnd_write, &b, g.width, g.height)
		: cairo_ps_surface_create_for_stream(rnd_write, &b, g.width, g.height);
	if (pdf) {
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, docs[0]->head1);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Sceau");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	} else {
		cairo_ps_surface_dsc_comment(s, "%%Title: Sceau PV");
	}
	cr = cairo_create(s);
	for (unsigned i = 0; !ret && i < n; i++)
		ret = rnd_doc(s, cr, docs[i], &g, pdf, &page_no);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (!ret && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		err_detail("%s: cairo: %s", path,
			   cairo_status_to_string(cairo_surface_status(s)));
		ret = b.err ? b.err : ERR_IO;
	}
	cairo_surface_destroy(s);
	if (!ret && !pdf)
		ret = rnd_ps_date(&b, iso);
	if (!ret)
		ret = file_write_atomic(path, b.p, b.len, 1);
	free(b.p);
	return ret;
}

static int rnd_all(const struct pv_inputs *in, const char *path, int pdf)
{
	struct pv_model *m = NULL;
	const struct pv_doc **docs = NULL;
	int ret = pv_model_build(in, &m);

	if (!ret) {
		docs = calloc(m->n_docs, sizeof(*docs));
		ret = docs ? 0 : ERR_NOMEM;
	}
	for (unsigned i = 0; !ret && i < m->n_docs; i++)
		docs[i] = &m->docs[i];
	if (!ret)
		ret = rnd_vector(m, docs, m->n_docs, pdf, path);
	free(docs);
	pv_model_free(m);
	return ret;
}

int pv_write_pdf(const struct pv_inputs *in, const char *path)
{
	return rnd_all(in, path, 1);
}

int pv_write_ps(const struct pv_inputs *in, const char *path)
{
	return rnd_all(in, path, 0);
}

int pv_render_session(const struct pv_inputs *in, const char *out_dir)
{
	struct pv_model *m = NULL;
	int ret = pv_model_build(in, &m);

	if (!ret)
		ret = file_mkdirs(out_dir);
	for (unsigned i = 0; !ret && i < m->n_docs; i++) {
		const struct pv_doc *d = &m->docs[i];
		char path[4096];

		for (int pdf = 1; !ret && pdf >= 0; pdf--) {
			int n = snprintf(path, sizeof(path), "%s/%s.%s", out_dir, d->stem,
					 pdf ? "pdf" : "ps");

			if (n < 0 || (size_t)n >= sizeof(path))
				ret = ERR_RANGE;
			else
				ret = rnd_vector(m, &d, 1, pdf, path);
		}
	}
	pv_model_free(m);
	return ret;
}

/* ---- raster -------------------------------------------------------------- */

void pv_bitmap_free(struct pv_bitmap *b)
{
	if (!b)
		return;
	free(b->bits);
	free(b);
}

/* Black where the luminance is under half. */
static int rnd_threshold(cairo_surface_t *s, struct pv_bitmap **out)
{
	unsigned w = (unsigned)cairo_image_surface_get_width(s);
	unsigned h = (unsigned)cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	struct pv_bitmap *b = calloc(1, sizeof(*b));

	if (!b || !(b->bits = calloc((size_t)h, w / 8))) {
		free(b);
		return ERR_NOMEM;
	}
	b->width = w;
	b->height = h;
	b->stride = w / 8;
	for (unsigned y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);

		for (unsigned x = 0; x < w; x++) {
			uint32_t v = row[x];
			unsigned lum = (((v >> 16) & 255) * 299 + ((v >> 8) & 255) * 587 +
					(v & 255) * 114) / 1000;

			if (lum < 128)
				b->bits[(size_t)y * b->stride + x / 8] |= (uint8_t)(0x80 >> (x % 8));
		}
	}
	*out = b;
	return 0;
}

static int rnd_raster_page(const struct pv_doc *d, const struct pv_page_geom *g,
			   const struct pv_pages *p, unsigned k, unsigned width_px,
			   struct pv_bitmap **out)
{
	int hpx = (int)(p->height[k] * g->scale + 0.999);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width_px,
							hpx);
	cairo_t *cr = cairo_create(s);
	int ret = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : ERR_NOMEM;

	if (!ret) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, g->scale, g->scale);
		ret = pv_layout_draw_page(cr, d, g, p, k);
		cairo_surface_flush(s);
	}
	if (!ret)
		ret = rnd_threshold(s, out);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return ret;
}

int pv_render_raster(const struct pv_inputs *in, unsigned doc, unsigned width_px,
		     struct pv_bitmap **pages, unsigned *n)
{
	struct pv_model *m = NULL;
	struct pv_page_geom g;
	struct pv_pages p = { 0 };
	const struct pv_doc *d;
	unsigned done = 0;
	int ret = width_px % 8 || width_px < 256 || width_px > 2048 ? ERR_RANGE : 0;

	if (!ret)
		ret = pv_model_build(in, &m);
	d = ret ? NULL : pv_model_doc(m, doc);
	if (!ret && !d) {
		err_detail("no PV document %u", doc);
		ret = ERR_NOTFOUND;
	}
	pv_geom_raster(&g, width_px);
	if (!ret)
		ret = pv_layout_paginate(d, &g, &p);
	if (!ret && pages && p.n > *n)
		ret = ERR_RANGE;
	for (unsigned k = 0; !ret && pages && k < p.n; k++) {
		ret = rnd_raster_page(d, &g, &p, k, width_px, &pages[k]);
		done += ret ? 0 : 1;
	}
	if (ret)
		while (pages && done)
			pv_bitmap_free(pages[--done]);
	else
		*n = p.n;
	pv_pages_free(&p);
	pv_model_free(m);
	return ret;
}

int pv_bitmap_write_pbm(const struct pv_bitmap *b, const char *path)
{
	char head[48];
	int hn = snprintf(head, sizeof(head), "P4\n%u %u\n", b->width, b->height);
	size_t n = (size_t)hn + (size_t)b->stride * b->height;
	unsigned char *buf = malloc(n);
	int ret;

	if (!buf)
		return ERR_NOMEM;
	memcpy(buf, head, (size_t)hn);
	memcpy(buf + hn, b->bits, (size_t)b->stride * b->height);
	ret = file_write_atomic(path, buf, n, 1);
	free(buf);
	return ret;
}
