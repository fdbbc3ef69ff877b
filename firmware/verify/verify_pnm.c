/*
 * Netpbm images (netpbm's pbm(5), pgm(5), ppm(5)): P1 and P4 black and
 * white (1 = black), P2 and P5 grey, P6 colour, maxval 1..65535 (two bytes
 * per sample above 255). Strict: one image, header values in range,
 * samples not above maxval, nothing after the raster but, for the plain
 * (text) formats, white space.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "verify/verify_scan.h"

struct vpnm {
	const uint8_t *p, *end;
	char kind;
	unsigned w, h, maxval;
};

static int vpnm_space(uint8_t ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* White space and comments (header only). */
static void vpnm_skip(struct vpnm *s, int comments)
{
	while (s->p < s->end) {
		if (vpnm_space(*s->p))
			s->p++;
		else if (comments && *s->p == '#')
			while (s->p < s->end && *s->p != '\n' && *s->p != '\r')
				s->p++;
		else
			break;
	}
}

static int vpnm_uint(struct vpnm *s, int comments, unsigned max, const char *what,
		     unsigned *out)
{
	unsigned long v = 0;
	unsigned digits = 0;

	vpnm_skip(s, comments);
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9' && digits < 10) {
		v = v * 10 + (unsigned long)(*s->p++ - '0');
		digits++;
	}
	if (digits == 0 || digits == 10 || (s->p < s->end && !vpnm_space(*s->p) && *s->p != '#')) {
		err_detail("image: %s: not a decimal number", what);
		return ERR_FORMAT;
	}
	if (v > max) {
		err_detail("image: %s: %lu is above %u", what, v, max);
		return ERR_RANGE;
	}
	*out = (unsigned)v;
	return 0;
}

static int vpnm_header(struct vpnm *s)
{
	int ret;

	if (s->end - s->p < 2 || s->p[0] != 'P' || s->p[1] == 0 ||
	    !strchr("12456", s->p[1])) {
		err_detail("image: not a PBM, PGM or PPM file (P1, P2, P4, P5, P6)");
		return ERR_FORMAT;
	}
	s->kind = (char)s->p[1];
	s->p += 2;
	if ((ret = vpnm_uint(s, 1, VIMG_MAX_DIM, "width", &s->w)) != 0 ||
	    (ret = vpnm_uint(s, 1, VIMG_MAX_DIM, "height", &s->h)) != 0)
		return ret;
	if (s->w == 0 || s->h == 0 || (uint64_t)s->w * s->h > VIMG_MAX_PIXELS) {
		err_detail("image: %ux%u pixels: empty or too large", s->w, s->h);
		return ERR_RANGE;
	}
	s->maxval = 1;
	if (s->kind != '1' && s->kind != '4' &&
	    (ret = vpnm_uint(s, 1, 65535, "maxval", &s->maxval)) != 0)
		return ret;
	if (s->maxval == 0) {
		err_detail("image: maxval 0");
		return ERR_RANGE;
	}
	/* Binary rasters start after exactly one white space character. */
	if (s->kind >= '4') {
		if (s->p >= s->end || !vpnm_space(*s->p)) {
			err_detail("image: no white space before the raster");
			return ERR_FORMAT;
		}
		s->p++;
	}
	return 0;
}

static int vpnm_sample(struct vpnm *s, unsigned *v)
{
	if (s->kind == '2' || s->kind == '3')
		return vpnm_uint(s, 0, s->maxval, "sample", v);
	if (s->maxval < 256) {
		if (s->p >= s->end)
			goto short_;
		*v = *s->p++;
	} else {
		if (s->end - s->p < 2)
			goto short_;
		*v = (unsigned)s->p[0] << 8 | s->p[1];
		s->p += 2;
	}
	if (*v > s->maxval) {
		err_detail("image: a sample is above maxval %u", s->maxval);
		return ERR_RANGE;
	}
	return 0;
short_:
	err_detail("image: raster cut short");
	return ERR_FORMAT;
}

static int vpnm_grey(struct vpnm *s, uint8_t *px)
{
	unsigned v[3];
	int ret = 0;

	for (size_t i = 0; !ret && i < (size_t)s->w * s->h; i++) {
		unsigned n = s->kind == '6' ? 3 : 1, y;
		for (unsigned k = 0; !ret && k < n; k++)
			ret = vpnm_sample(s, &v[k]);
		if (ret)
			break;
		y = n == 3 ? (77 * v[0] + 150 * v[1] + 29 * v[2]) >> 8 : v[0];
		px[i] = (uint8_t)((255ul * y + s->maxval / 2) / s->maxval);
	}
	return ret;
}

static int vpnm_bits(struct vpnm *s, uint8_t *px)
{
	size_t stride = (s->w + 7) / 8;

	if (s->kind == '4') {
		if ((size_t)(s->end - s->p) < stride * s->h) {
			err_detail("image: raster cut short");
			return ERR_FORMAT;
		}
		for (unsigned y = 0; y < s->h; y++)
			for (unsigned x = 0; x < s->w; x++)
				px[(size_t)y * s->w + x] =
					s->p[y * stride + x / 8] & (0x80 >> (x % 8)) ? 0 : 255;
		s->p += stride * s->h;
		return 0;
	}
	for (size_t i = 0; i < (size_t)s->w * s->h; i++) {
		vpnm_skip(s, 0);
		if (s->p >= s->end || (*s->p != '0' && *s->p != '1')) {
			err_detail("image: pixel %zu is not 0 or 1", i + 1);
			return ERR_FORMAT;
		}
		px[i] = *s->p++ == '1' ? 0 : 255;
	}
	return 0;
}

int verify_pnm_parse(const uint8_t *buf, size_t len, struct vgray *out)
{
	struct vpnm s = { buf, buf + len, 0, 0, 0, 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = vpnm_header(&s);
	if (ret)
		return ret;
	out->px = malloc((size_t)s.w * s.h);
	if (!out->px)
		return ERR_NOMEM;
	ret = s.kind == '1' || s.kind == '4' ? vpnm_bits(&s, out->px) : vpnm_grey(&s, out->px);
	if (!ret && s.kind <= '3')
		vpnm_skip(&s, 0);
	if (!ret && s.p != s.end) {
		err_detail("image: %zu bytes after the raster", (size_t)(s.end - s.p));
		ret = ERR_FORMAT;
	}
	if (ret) {
		verify_gray_free(out);
		return ret;
	}
	out->w = s.w;
	out->h = s.h;
	return 0;
}

void verify_gray_free(struct vgray *g)
{
	if (!g)
		return;
	free(g->px);
	g->px = NULL;
	g->w = g->h = 0;
}
