/* Images to grey, and their QR codes through libzbar; see verify_scan.h. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <jpeglib.h>
#include <zbar.h>

#include "lib/err.h"
#include "lib/file.h"
#include "verify/verify_scan.h"

static int vimg_alloc(struct vgray *g, unsigned w, unsigned h)
{
	if (w == 0 || h == 0 || w > VIMG_MAX_DIM || h > VIMG_MAX_DIM ||
	    (uint64_t)w * h > VIMG_MAX_PIXELS) {
		err_detail("image: %ux%u pixels: empty or too large", w, h);
		return ERR_RANGE;
	}
	g->px = malloc((size_t)w * h);
	if (!g->px)
		return ERR_NOMEM;
	g->w = w;
	g->h = h;
	return 0;
}

/* A premultiplied ARGB or RGB pixel, composed over white, to grey. */
static uint8_t vimg_y(uint32_t v, int alpha)
{
	unsigned a = alpha ? v >> 24 : 255, r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;

	r += 255 - a;
	g += 255 - a;
	b += 255 - a;
	return (uint8_t)((77 * (r > 255 ? 255 : r) + 150 * (g > 255 ? 255 : g) +
			  29 * (b > 255 ? 255 : b)) >> 8);
}

int verify_gray_from_rgb(const uint8_t *data, size_t stride, unsigned w, unsigned h,
			 int alpha, struct vgray *g)
{
	int ret = vimg_alloc(g, w, h);

	for (unsigned y = 0; !ret && y < h; y++) {
		const uint8_t *row = data + (size_t)y * stride;
		for (unsigned x = 0; x < w; x++) {
			uint32_t v;
			memcpy(&v, row + 4 * (size_t)x, 4);
			g->px[(size_t)y * w + x] = vimg_y(v, alpha);
		}
	}
	return ret;
}

static int vimg_png(const char *path, struct vgray *g)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	cairo_format_t f = cairo_image_surface_get_format(s);
	int ret = 0;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		err_detail("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
		ret = ERR_FORMAT;
	} else if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24) {
		err_detail("%s: unsupported PNG pixel format", path);
		ret = ERR_FORMAT;
	}
	if (!ret) {
		cairo_surface_flush(s);
		ret = verify_gray_from_rgb(cairo_image_surface_get_data(s),
					   (size_t)cairo_image_surface_get_stride(s),
					   (unsigned)cairo_image_surface_get_width(s),
					   (unsigned)cairo_image_surface_get_height(s),
					   f == CAIRO_FORMAT_ARGB32, g);
	}
	cairo_surface_destroy(s);
	return ret;
}

struct vjpeg_err {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
};

static void vjpeg_exit(j_common_ptr ci)
{
	struct vjpeg_err *e = (struct vjpeg_err *)ci->err;
	char text[JMSG_LENGTH_MAX];

	e->pub.format_message(ci, text);
	err_detail("JPEG: %s", text);
	longjmp(e->jb, 1);
}

static void vjpeg_quiet(j_common_ptr ci)
{
	(void)ci; /* libjpeg warnings would go to stderr: firmware never prints */
}

/* Decodes to grey; the setjmp frame holds only what longjmp may skip. */
static int vimg_jpeg_decode(struct jpeg_decompress_struct *ci, struct vjpeg_err *je,
			    const uint8_t *buf, size_t len, struct vgray *g)
{
	if (setjmp(je->jb))
		return ERR_FORMAT;
	jpeg_create_decompress(ci);
	jpeg_mem_src(ci, buf, (unsigned long)len);
	jpeg_read_header(ci, TRUE);
	/* Bounded before libjpeg allocates anything for the image. */
	if (ci->image_width > VIMG_MAX_DIM || ci->image_height > VIMG_MAX_DIM ||
	    (uint64_t)ci->image_width * ci->image_height > VIMG_MAX_PIXELS) {
		err_detail("image: %ux%u pixels: too large", ci->image_width, ci->image_height);
		return ERR_RANGE;
	}
	ci->out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(ci);
	if (ci->output_components != 1 || vimg_alloc(g, ci->output_width, ci->output_height))
		return ERR_RANGE;
	while (ci->output_scanline < ci->output_height) {
		JSAMPROW row = g->px + (size_t)ci->output_scanline * g->w;
		jpeg_read_scanlines(ci, &row, 1);
	}
	jpeg_finish_decompress(ci);
	return 0;
}

static int vimg_jpeg(const uint8_t *buf, size_t len, struct vgray *g)
{
	struct jpeg_decompress_struct ci;
	struct vjpeg_err je;
	int ret;

	memset(&ci, 0, sizeof(ci));
	ci.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = vjpeg_exit;
	je.pub.output_message = vjpeg_quiet;
	ret = vimg_jpeg_decode(&ci, &je, buf, len, g);
	jpeg_destroy_decompress(&ci);
	if (ret)
		verify_gray_free(g);
	return ret;
}

int verify_image_load(const char *path, struct vgray *out)
{
	static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = file_read_all(path, VIMG_FILE_MAX, &buf, &len);
	if (ret)
		return ret;
	if (len >= 8 && memcmp(buf, png, 8) == 0)
		ret = vimg_png(path, out);
	else if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
		ret = vimg_jpeg(buf, len, out);
	else if (len >= 2 && buf[0] == 'P')
		ret = verify_pnm_parse(buf, len, out);
	else {
		err_detail("%s: not a PNG, JPEG, PBM, PGM or PPM image", path);
		ret = ERR_FORMAT;
	}
	free(buf);
	if (ret)
		verify_gray_free(out);
	return ret;
}

int verify_scan_qr(const struct vgray *g, int (*fn)(const char *text, size_t len, void *arg),
		   void *arg, unsigned *found)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	int ret = sc && img ? 0 : ERR_NOMEM;

	*found = 0;
	if (!ret) {
		zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
		zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
		zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
		zbar_image_set_size(img, g->w, g->h);
		zbar_image_set_data(img, g->px, (unsigned long)g->w * g->h, NULL);
		if (zbar_scan_image(sc, img) < 0) {
			err_detail("zbar could not scan the image");
			ret = ERR_FORMAT;
		}
	}
	for (sym = ret ? NULL : zbar_image_first_symbol(img); !ret && sym;
	     sym = zbar_symbol_next(sym)) {
		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		(*found)++;
		ret = fn(zbar_symbol_get_data(sym), zbar_symbol_get_data_length(sym), arg);
	}
	if (img)
		zbar_image_destroy(img);
	if (sc)
		zbar_image_scanner_destroy(sc);
	return ret;
}
