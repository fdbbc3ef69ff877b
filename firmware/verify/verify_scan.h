/*
 * Reading the QR codes of a photographed or scanned PV page: the image is
 * turned into 8-bit grey (Y800: 0 black, 255 white) and every QR code in
 * it is decoded with libzbar. Images: PNG (cairo), JPEG (libjpeg), and
 * Netpbm P1/P2/P4/P5/P6 (PBM, PGM, PPM) by a small strict parser, and the
 * pages of the archive's PV PDFs rendered by poppler (verify_pdf.c). Sizes
 * are bounded (VIMG_MAX_DIM per side, VIMG_MAX_PIXELS in all). Built only
 * with CONFIG_VERIFY_SCAN.
 */
#ifndef SCEAU_VERIFY_VERIFY_SCAN_H
#define SCEAU_VERIFY_VERIFY_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define VIMG_MAX_DIM 30000u
#define VIMG_MAX_PIXELS (100u << 20)
#define VIMG_FILE_MAX (256u << 20)

struct vgray {
	unsigned w, h;
	uint8_t *px;               /* w * h bytes, row by row; malloc'd */
};

/* Pixels of 32 bits in native order, (A)RGB as cairo keeps them
 * (premultiplied, composed over white when alpha), turned into grey. */
int verify_gray_from_rgb(const uint8_t *data, size_t stride, unsigned w, unsigned h,
			 int alpha, struct vgray *g);

/* The pages of a PDF (the PVs of an archive) rendered at dpi through
 * poppler on cairo, as printed, each handed to fn as grey (page from 1);
 * *pages = the number of pages. ERR_FORMAT with a detail for a file that
 * is not a PDF poppler can read; ERR_RANGE for too many or too large
 * pages (VPDF_MAX_PAGES, VIMG_MAX_*). */
#define VPDF_MAX_PAGES 500u
#define VPDF_FILE_MAX (64u << 20)
int verify_pdf_pages(const char *path, unsigned dpi,
		     int (*fn)(unsigned page, const struct vgray *g, void *arg), void *arg,
		     unsigned *pages);

/* Netpbm text or binary grey, black-and-white or colour images, one image
 * per file (nothing may follow it). ERR_FORMAT / ERR_RANGE with a detail. */
int verify_pnm_parse(const uint8_t *buf, size_t len, struct vgray *out);
/* Any supported image file, by its first bytes. */
int verify_image_load(const char *path, struct vgray *out);
void verify_gray_free(struct vgray *g); /* frees px; NULL ok */

/* Calls fn for each QR code decoded (its text, which zbar NUL-terminates);
 * *found = how many. */
int verify_scan_qr(const struct vgray *g, int (*fn)(const char *text, size_t len, void *arg),
		   void *arg, unsigned *found);

#endif
