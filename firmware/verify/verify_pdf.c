/*
 * The archive's PV PDFs rendered page by page (poppler-glib, on cairo), as
 * a printer would print them, into grey for zbar: the verifier reads the
 * QR codes the box put on its own PVs, with neither printer nor scanner.
 * See verify_scan.h. Poppler never writes: the file is read into memory
 * first, bounded, and handed over as bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>

#include "lib/err.h"
#include "lib/file.h"
#include "verify/verify_scan.h"

/* A page's size in pixels at dpi, bounded before anything is allocated. */
static int vpdf_size(PopplerPage *pg, unsigned dpi, unsigned *w, unsigned *h)
{
	double wpt = 0, hpt = 0, sw, sh;

	poppler_page_get_size(pg, &wpt, &hpt);
	sw = ceil(wpt * dpi / 72.0);
	sh = ceil(hpt * dpi / 72.0);
	if (!(sw >= 1 && sh >= 1 && sw <= VIMG_MAX_DIM && sh <= VIMG_MAX_DIM &&
	      sw * sh <= (double)VIMG_MAX_PIXELS)) {
		err_detail("a page of %.0f x %.0f points: empty or too large at %u dpi", wpt, hpt,
			   dpi);
		return ERR_RANGE;
	}
	*w = (unsigned)sw;
	*h = (unsigned)sh;
	return 0;
}

/* One page on white, as printed (render_for_printing: no annotation that
 * only a screen shows). */
static int vpdf_render(PopplerPage *pg, unsigned dpi, struct vgray *g)
{
	cairo_surface_t *s = NULL;
	cairo_t *cr;
	unsigned w = 0, h = 0;
	int ret = vpdf_size(pg, dpi, &w, &h);

	if (ret)
		return ret;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return ERR_NOMEM;
	}
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72.0, dpi / 72.0);
	poppler_page_render_for_printing(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	ret = verify_gray_from_rgb(cairo_image_surface_get_data(s),
				   (size_t)cairo_image_surface_get_stride(s), w, h, 0, g);
	cairo_surface_destroy(s);
	return ret;
}

static int vpdf_open(const char *path, PopplerDocument **doc)
{
	GError *e = NULL;
	GBytes *b;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(path, VPDF_FILE_MAX, &buf, &len);

	if (ret)
		return ret;
	b = g_bytes_new(buf, len);
	free(buf);
	*doc = poppler_document_new_from_bytes(b, NULL, &e);
	g_bytes_unref(b);
	if (!*doc) {
		err_detail("not a PDF poppler can read (%s)", e ? e->message : "?");
		g_clear_error(&e);
		return ERR_FORMAT;
	}
	return 0;
}

int verify_pdf_pages(const char *path, unsigned dpi,
		     int (*fn)(unsigned page, const struct vgray *g, void *arg), void *arg,
		     unsigned *pages)
{
	PopplerDocument *doc = NULL;
	int n, ret = vpdf_open(path, &doc);

	*pages = 0;
	if (ret)
		return ret;
	n = poppler_document_get_n_pages(doc);
	if (n < 1 || (unsigned)n > VPDF_MAX_PAGES) {
		err_detail("%d pages (1 to %u)", n, VPDF_MAX_PAGES);
		ret = ERR_RANGE;
	}
	for (int i = 0; !ret && i < n; i++) {
		PopplerPage *pg = poppler_document_get_page(doc, i);
		struct vgray g = { 0, 0, NULL };

		ret = pg ? vpdf_render(pg, dpi, &g) : ERR_FORMAT;
		if (pg)
			g_object_unref(pg);
		if (!ret) {
			*pages = (unsigned)i + 1;
			ret = fn((unsigned)i + 1, &g, arg);
		}
		verify_gray_free(&g);
	}
	g_object_unref(doc);
	return ret;
}
