/*
 * Flows a document's blocks onto pages and draws them with cairo. Every
 * block is measured and drawn by the same function (draw = 0 measures), so
 * pagination (pass 1) and drawing (pass 2) cannot disagree. A block never
 * splits across pages; a table's header is repeated at the top of a page;
 * a heading stays with what follows. Sizes are in points; the raster's
 * cairo context is scaled to 203 dpi by the caller.
 *
 * Wide pages (A4) draw tables as grids and QR codes beside their hex; narrow
 * pages (thermal rolls) give each table row as text and put each QR code
 * above its hex, with whole pixels per module.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pv/pv_int.h"

#define LAY_LINE 1.22          /* line height / font size */
#define LAY_QR_MODULE 2.0      /* points per QR module on wide pages (0.7 mm) */
#define LAY_QR_MAX_PX 6        /* pixels per module, at most, on a raster */

struct lay {
	cairo_t *cr;
	const struct pv_doc *d;
	const struct pv_page_geom *g;
	double x0, w, y, top, bottom;
	int hdr_table;             /* table whose header is on this page, or -1 */
	double fs_body, fs_title, fs_sub, fs_head, fs_table, fs_small, fs_mono;
	cairo_font_face_t *face[PV_FONT_COUNT];
	char *tmp;
	size_t tmp_cap;
	int err;
};

/* ---- text ------------------------------------------------------------------- */

static void lay_font(struct lay *l, int mono, int bold, double size)
{
	cairo_set_font_face(l->cr, l->face[mono ? PV_FONT_MONO
					       : bold ? PV_FONT_SANS_BOLD : PV_FONT_SANS]);
	cairo_set_font_size(l->cr, size);
}

/* s[0..n) NUL-terminated in l->tmp (NULL after an allocation failure). */
static const char *lay_cut(struct lay *l, const char *s, size_t n)
{
	if (n + 1 > l->tmp_cap) {
		char *t = realloc(l->tmp, n + 64);

		if (!t) {
			l->err = ERR_NOMEM;
			return NULL;
		}
		l->tmp = t;
		l->tmp_cap = n + 64;
	}
	memcpy(l->tmp, s, n);
	l->tmp[n] = '\0';
	return l->tmp;
}

static double lay_width(struct lay *l, const char *s, size_t n)
{
	cairo_text_extents_t te;
	const char *t = lay_cut(l, s, n);

	if (!t)
		return 0;
	cairo_text_extents(l->cr, t, &te);
	return te.x_advance;
}

static size_t lay_utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* The longest run of characters of s[0..n) that fits in w (at least one). */
static size_t lay_fit_chars(struct lay *l, const char *s, size_t n, double w)
{
	size_t k = 0, fit = 0;

	while (k < n) {
		size_t next = k + lay_utf8_len((unsigned char)s[k]);

		if (next > n || lay_width(l, s, next) > w)
			break;
		fit = k = next;
	}
	if (fit == 0 && n > 0)
		fit = lay_utf8_len((unsigned char)s[0]);
	return fit > n ? n : fit;
}

/* The next line of s that fits in w: its length, and in *adv how far to
 * move (past the space or newline that ends it). */
/* French typography: no break before ":", ";", "!", "?", "»", nor after "«". */
static int lay_breakable(const char *s, size_t j, size_t n)
{
	if (j + 1 < n && strchr(":;!?", s[j + 1]))
		return 0;
	if (j + 2 < n && (unsigned char)s[j + 1] == 0xc2 && (unsigned char)s[j + 2] == 0xbb)
		return 0;
	if (j >= 2 && (unsigned char)s[j - 2] == 0xc2 && (unsigned char)s[j - 1] == 0xab)
		return 0;
	return 1;
}

static size_t lay_line(struct lay *l, const char *s, double w, size_t *adv)
{
	size_t n = strcspn(s, "\n"), best = 0, i = 0;

	while (i <= n) {
		size_t j = i;

		while (j < n && (s[j] != ' ' || !lay_breakable(s, j, n)))
			j++;
		if (lay_width(l, s, j) > w)
			break;
		best = j;
		if (j == n)
			break;
		i = j + 1;
	}
	if (best == 0 && n > 0)
		best = lay_fit_chars(l, s, n, w);
	*adv = best;
	if (s[best] == ' ' || s[best] == '\n')
		*adv = best + 1;
	return best;
}

/* Wraps s into width w at (x, y); align 'l', 'r' or 'c'. Returns the height. */
static double lay_text(struct lay *l, const char *s, double x, double y, double w,
		       char align, double lh, int draw)
{
	cairo_font_extents_t fe;
	unsigned lines = 0;

	cairo_font_extents(l->cr, &fe);
	while (*s) {
		size_t adv, n = lay_line(l, s, w, &adv);

		if (draw && n) {
			double tw = lay_width(l, s, n), dx = align == 'r' ? w - tw
							     : align == 'c' ? (w - tw) / 2 : 0;
			cairo_move_to(l->cr, x + dx, y + lines * lh + fe.ascent);
			if (lay_cut(l, s, n))
				cairo_show_text(l->cr, l->tmp);
		}
		lines++;
		s += adv ? adv : 1;
	}
	return (lines ? lines : 1) * lh;
}

static void lay_rule(struct lay *l, double x, double y, double w, double lw, double grey)
{
	cairo_save(l->cr);
	cairo_set_source_rgb(l->cr, grey, grey, grey);
	cairo_set_line_width(l->cr, lw);
	cairo_move_to(l->cr, x, y);
	cairo_line_to(l->cr, x + w, y);
	cairo_stroke(l->cr);
	cairo_restore(l->cr);
}

static void lay_box(struct lay *l, double x, double y, double w, double h, double lw)
{
	cairo_set_line_width(l->cr, lw);
	cairo_rectangle(l->cr, x, y, w, h);
	cairo_stroke(l->cr);
}

/* ---- simple blocks ------------------------------------------------------------ */

static double blk_title(struct lay *l, const struct pv_block *b, int draw)
{
	double fs = b->kind == PV_B_TITLE ? l->fs_title : l->fs_sub;

	lay_font(l, 0, b->kind == PV_B_TITLE, fs);
	return lay_text(l, b->c[0], l->x0, l->y, l->w, 'c', fs * LAY_LINE, draw) +
	       (b->kind == PV_B_TITLE ? fs * 0.3 : fs * 0.2);
}

static double blk_heading(struct lay *l, const struct pv_block *b, int draw)
{
	double gap = l->fs_head * 0.9, h;

	lay_font(l, 0, 1, l->fs_head);
	h = lay_text(l, b->c[0], l->x0, l->y + gap, l->w, 'l', l->fs_head * LAY_LINE, draw);
	if (draw)
		lay_rule(l, l->x0, l->y + gap + h + 1, l->w, 0.9, 0);
	return gap + h + 4;
}

static double blk_para(struct lay *l, const struct pv_block *b, int draw)
{
	lay_font(l, 0, 0, l->fs_body);
	return lay_text(l, b->c[0], l->x0, l->y + 3, l->w, 'l', l->fs_body * LAY_LINE,
			draw) + 5;
}

static double blk_notice(struct lay *l, const struct pv_block *b, int draw)
{
	double pad = 4, h;

	lay_font(l, 0, 1, l->fs_body);
	h = lay_text(l, b->c[0], l->x0 + pad, l->y + 3 + pad, l->w - 2 * pad, 'l',
		     l->fs_body * LAY_LINE, draw);
	if (draw)
		lay_box(l, l->x0, l->y + 3, l->w, h + 2 * pad, 1.2);
	return h + 2 * pad + 6;
}

static double blk_field(struct lay *l, const struct pv_block *b, int draw)
{
	double lh = l->fs_body * LAY_LINE, pad = 1.5, hl, hv;

	if (l->g->narrow) {
		lay_font(l, 0, 0, l->fs_small);
		hl = lay_text(l, b->c[0], l->x0, l->y + pad, l->w, 'l',
			      l->fs_small * LAY_LINE, draw);
		lay_font(l, 0, (b->flags & PV_F_BOLD) != 0, l->fs_body);
		hv = lay_text(l, b->c[1], l->x0 + 6, l->y + pad + hl, l->w - 6, 'l', lh, draw);
		return hl + hv + 2 * pad;
	}
	lay_font(l, 0, 0, l->fs_body);
	hl = lay_text(l, b->c[0], l->x0, l->y + pad, l->w * 0.36 - 6, 'l', lh, draw);
	lay_font(l, 0, (b->flags & PV_F_BOLD) != 0, l->fs_body);
	hv = lay_text(l, b->c[1], l->x0 + l->w * 0.36, l->y + pad, l->w * 0.64, 'l', lh,
		      draw);
	hl = hl > hv ? hl : hv;
	if (draw)
		lay_rule(l, l->x0, l->y + hl + 2 * pad, l->w, 0.3, 0.55);
	return hl + 2 * pad + 0.5;
}

/* "ABCD EF01 ...": hex in groups of four (NUL-terminated in a new buffer). */
static char *lay_groups(const char *hex)
{
	size_t n = strlen(hex), k = 0;
	char *s = malloc(n + n / 4 + 1);

	for (size_t i = 0; s && i < n; i++) {
		if (i && i % 4 == 0)
			s[k++] = ' ';
		s[k++] = hex[i];
	}
	if (s)
		s[k] = '\0';
	return s;
}

static double blk_hex(struct lay *l, const struct pv_block *b, int draw)
{
	double lh = l->fs_mono * LAY_LINE, lw = l->g->narrow ? l->w : l->w * 0.36,
	       pad = 1.5, hl, hv;
	char *g = lay_groups(b->c[1]);

	if (!g) {
		l->err = ERR_NOMEM;
		return 0;
	}
	lay_font(l, 0, 0, l->g->narrow ? l->fs_small : l->fs_body);
	hl = lay_text(l, b->c[0], l->x0, l->y + pad, lw - 6, 'l',
		      (l->g->narrow ? l->fs_small : l->fs_body) * LAY_LINE, draw);
	lay_font(l, 1, 0, l->fs_mono);
	if (l->g->narrow)
		hv = hl + lay_text(l, g, l->x0 + 6, l->y + pad + hl, l->w - 6, 'l', lh, draw);
	else
		hv = lay_text(l, g, l->x0 + lw, l->y + pad, l->w - lw, 'l', lh, draw);
	free(g);
	hl = hl > hv ? hl : hv;
	if (draw && !l->g->narrow)
		lay_rule(l, l->x0, l->y + hl + 2 * pad, l->w, 0.3, 0.55);
	return hl + 2 * pad + 0.5;
}

/* ---- tables -------------------------------------------------------------------- */

/* Column c's x offset and width, from the weights. */
static void lay_col(struct lay *l, const struct pv_table *t, unsigned c, double *x,
		    double *w)
{
	double sum = 0, before = 0;

	for (unsigned i = 0; i < t->n_cols; i++) {
		sum += t->weight[i];
		before += i < c ? t->weight[i] : 0;
	}
	*x = l->x0 + l->w * before / sum;
	*w = l->w * t->weight[c] / sum;
}

static double lay_cells_text(struct lay *l, const struct pv_table *t,
			     const char *const *c, int bold, int head, int draw)
{
	double pad = 2, lh = l->fs_table * LAY_LINE, h = 0;

	lay_font(l, 0, bold || head, l->fs_table);
	for (unsigned i = 0; i < t->n_cols; i++) {
		double x, w, ch;

		lay_col(l, t, i, &x, &w);
		ch = lay_text(l, c[i], x + pad, l->y + pad, w - 2 * pad,
			      head ? 'c' : t->align[i], lh, draw);
		h = ch > h ? ch : h;
	}
	return h + 2 * pad;
}

/* One line of a grid: the header (shaded, centred) or a row. */
static double lay_cells(struct lay *l, const struct pv_table *t, const char *const *c,
			int bold, int head, int draw)
{
	double h = lay_cells_text(l, t, c, bold, head, 0);

	if (!draw)
		return h;
	if (head) {
		cairo_save(l->cr);
		cairo_set_source_rgb(l->cr, 0.86, 0.86, 0.86);
		cairo_rectangle(l->cr, l->x0, l->y, l->w, h);
		cairo_fill(l->cr);
		cairo_restore(l->cr);
	}
	lay_cells_text(l, t, c, bold, head, 1);
	for (unsigned i = 0; i < t->n_cols; i++) {
		double x, w;

		lay_col(l, t, i, &x, &w);
		lay_box(l, x, l->y, w, h, 0.5);
	}
	return h;
}

/* Narrow pages: "c0 — c1" in bold, then "head: value ; ..." */
static double lay_row_text(struct lay *l, const struct pv_table *t,
			   const struct pv_block *b, int draw)
{
	double lh = l->fs_table * LAY_LINE, h;
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f) {
		l->err = ERR_NOMEM;
		return 0;
	}
	if (t->n_cols == 2) {
		fprintf(f, "%s : %s", b->c[0], b->c[1]);
	} else {
		for (unsigned i = 2; i < t->n_cols; i++)
			fprintf(f, "%s%s : %s", i > 2 ? " ; " : "", t->head[i], b->c[i]);
	}
	if (fclose(f) != 0 || !s) {
		free(s);
		l->err = ERR_NOMEM;
		return 0;
	}
	h = 1;
	if (t->n_cols > 2) {
		char *first = NULL;
		size_t n1 = 0;
		FILE *g = open_memstream(&first, &n1);

		if (g) {
			fprintf(g, "%s — %s", b->c[0], b->c[1]);
			fclose(g);
		}
		lay_font(l, 0, 1, l->fs_table);
		h += lay_text(l, first ? first : "", l->x0, l->y + h, l->w, 'l', lh, draw);
		free(first);
	}
	lay_font(l, 0, (b->flags & PV_F_BOLD) != 0, l->fs_table);
	h += lay_text(l, s, l->x0 + (t->n_cols > 2 ? 6 : 0), l->y + h,
		      l->w - (t->n_cols > 2 ? 6 : 0), 'l', lh, draw);
	free(s);
	if (draw)
		lay_rule(l, l->x0, l->y + h + 1.5, l->w, 0.4, 0.3);
	return h + 3;
}

/* A row, with its table's header first when the header is not on the page. */
static double blk_row(struct lay *l, const struct pv_block *b, int draw)
{
	const struct pv_table *t = &l->d->tables[b->table];
	double h = 0, y0 = l->y;
	int head = l->hdr_table != (int)b->table && !l->g->narrow;

	if (l->g->narrow)
		return lay_row_text(l, t, b, draw);
	if (head) {
		h = lay_cells(l, t, t->head, 1, 1, draw);
		l->y += h;
	}
	h += lay_cells(l, t, b->c, (b->flags & PV_F_BOLD) != 0, 0, draw);
	l->y = y0;
	return h;
}

/* ---- QR codes, signatures, handwriting ------------------------------------------- */

/* Points per module: 0.7 mm on paper, whole pixels on a raster. */
static double lay_qr_module(struct lay *l, unsigned modules, double avail)
{
	double m;

	if (l->g->scale > 1.5) {
		double px = floor(avail * l->g->scale / modules);

		px = px > LAY_QR_MAX_PX ? LAY_QR_MAX_PX : px < 1 ? 1 : px;
		return px / l->g->scale;
	}
	m = LAY_QR_MODULE;
	return modules * m > avail ? avail / modules : m;
}

/* Rounds a coordinate to a whole device pixel (rasters only). */
static double lay_snap(struct lay *l, double v)
{
	return l->g->scale > 1.5 ? floor(v * l->g->scale + 0.5) / l->g->scale : v;
}

static double blk_qr(struct lay *l, const struct pv_block *b, int draw)
{
	double fcap = l->fs_body, lhm = l->fs_mono * LAY_LINE, hc, side, hx, mod, qx, qy;
	unsigned modules = 0;
	int ret = pv_qr_modules(b->c[1], &modules);

	if (ret) {
		l->err = ret;
		return 0;
	}
	lay_font(l, 0, 1, fcap);
	hc = lay_text(l, b->c[0], l->x0, l->y + 4, l->w, 'l', fcap * LAY_LINE, draw) + 4;
	mod = lay_qr_module(l, modules, l->g->narrow ? l->w : l->w * 0.5);
	side = modules * mod;
	qx = lay_snap(l, l->g->narrow ? l->x0 + (l->w - side) / 2 : l->x0);
	qy = lay_snap(l, l->y + hc);
	if (draw) {
		ret = pv_qr_draw(l->cr, b->c[1], qx, qy, mod);
		l->err = ret ? ret : l->err;
	}
	lay_font(l, 1, 0, l->fs_mono);
	if (l->g->narrow) {
		hx = lay_text(l, b->c[2], l->x0, qy + side, l->w, 'l', lhm, draw);
		return (qy - l->y) + side + hx + 6;
	}
	hx = lay_text(l, b->c[2], l->x0 + side + 8, qy + 4 * mod, l->w - side - 8, 'l', lhm,
		      draw) + 4 * mod;
	return (qy - l->y) + (side > hx ? side : hx) + 6;
}

static double blk_sign(struct lay *l, const struct pv_block *b, int draw)
{
	double lh = l->fs_body * LAY_LINE, space = 34, h, ws = l->g->narrow ? l->w : l->w * 0.45;

	lay_font(l, 0, 1, l->fs_body);
	h = lay_text(l, b->c[0], l->x0, l->y + 4, l->g->narrow ? l->w : l->w - ws - 8, 'l',
		     lh, draw);
	lay_font(l, 0, 0, l->fs_small);
	h += lay_text(l, b->c[1], l->x0, l->y + 4 + h, l->g->narrow ? l->w : l->w - ws - 8,
		      'l', l->fs_small * LAY_LINE, draw);
	if (l->g->narrow) {
		if (draw) {
			lay_text(l, pv_t(T_SIGN_HERE), l->x0, l->y + 4 + h, l->w, 'l',
				 l->fs_small * LAY_LINE, 1);
			lay_rule(l, l->x0, l->y + 4 + h + space, l->w, 0.6, 0);
		}
		return 4 + h + space + 6;
	}
	h = h > space ? h : space;
	if (draw) {
		lay_text(l, pv_t(T_SIGN_HERE), l->x0 + l->w - ws, l->y + 4, ws, 'l',
			 l->fs_small * LAY_LINE, 1);
		lay_box(l, l->x0 + l->w - ws, l->y + 2, ws, h + 4, 0.6);
		lay_rule(l, l->x0, l->y + h + 8, l->w - ws - 8, 0.3, 0.55);
	}
	return h + 10;
}

static double blk_write(struct lay *l, const struct pv_block *b, int draw)
{
	double h;

	lay_font(l, 0, 1, l->fs_body);
	h = lay_text(l, b->c[0], l->x0, l->y + 4, l->w, 'l', l->fs_body * LAY_LINE, draw) + 4;
	for (int i = 1; draw && i <= 3; i++)
		lay_rule(l, l->x0, l->y + h + 18 * i, l->w, 0.5, 0.2);
	return h + 18 * 3 + 6;
}

static double lay_block(struct lay *l, const struct pv_block *b, int draw)
{
	if (b->n == 0 && b->kind != PV_B_GAP && b->kind != PV_B_ROW)
		return 0;
	switch (b->kind) {
	case PV_B_TITLE:
	case PV_B_SUBTITLE: return blk_title(l, b, draw);
	case PV_B_HEADING: return blk_heading(l, b, draw);
	case PV_B_FIELD: return blk_field(l, b, draw);
	case PV_B_PARA: return blk_para(l, b, draw);
	case PV_B_NOTICE: return blk_notice(l, b, draw);
	case PV_B_ROW: return b->n ? blk_row(l, b, draw) : 0;
	case PV_B_HEX: return blk_hex(l, b, draw);
	case PV_B_QR: return blk_qr(l, b, draw);
	case PV_B_SIGN: return blk_sign(l, b, draw);
	case PV_B_WRITE: return blk_write(l, b, draw);
	case PV_B_GAP: return 6;
	}
	return 0;
}

/* ---- page frame ------------------------------------------------------------------ */

static double lay_header(struct lay *l, unsigned page, unsigned n_pages, int draw)
{
	const struct pv_page_geom *g = l->g;
	double lh = l->fs_small * LAY_LINE, y = g->margin, pw, h;
	char pg[48], widest[48];

	/* The label's room does not depend on the page number: the header is
	 * as tall on every page. */
	snprintf(pg, sizeof(pg), pv_t(T_PAGE), page + 1, n_pages);
	snprintf(widest, sizeof(widest), pv_t(T_PAGE), 888u, 888u);
	lay_font(l, 0, 1, l->fs_small);
	pw = g->narrow ? 0 : lay_width(l, widest, strlen(widest)) + 10;
	lay_text(l, pg, l->x0, y, l->w, 'r', lh, draw);
	if (g->narrow)
		y += lh;
	y += lay_text(l, l->d->head1, l->x0, y, l->w - pw, 'l', lh, draw);
	lay_font(l, 0, 0, l->fs_small);
	y += lay_text(l, l->d->head2, l->x0, y, l->w - pw, 'l', lh, draw);
	if (draw)
		lay_rule(l, l->x0, y + 2, l->w, 0.8, 0);
	y += 5;
	if (l->d->simulation) {
		lay_font(l, 0, 1, l->fs_body);
		h = lay_text(l, pv_t(T_SIMULATION), l->x0 + 3, y + 3, l->w - 6, 'c',
			     l->fs_body * LAY_LINE, draw);
		if (draw)
			lay_box(l, l->x0, y, l->w, h + 6, 2);
		y += h + 10;
	}
	return y;
}

static double lay_footer_h(struct lay *l)
{
	lay_font(l, 1, 0, l->fs_small);
	return lay_text(l, l->d->foot, l->x0, 0, l->w, 'l', l->fs_small * LAY_LINE, 0) + 6;
}

static void lay_footer(struct lay *l, double y)
{
	lay_rule(l, l->x0, y + 1, l->w, 0.5, 0);
	lay_font(l, 1, 0, l->fs_small);
	lay_text(l, l->d->foot, l->x0, y + 4, l->w, 'l', l->fs_small * LAY_LINE, 1);
}

static int lay_init(struct lay *l, cairo_t *cr, const struct pv_doc *d,
		    const struct pv_page_geom *g)
{
	cairo_font_options_t *fo;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	for (int f = 0; !ret && f < PV_FONT_COUNT; f++)
		ret = pv_font((enum pv_font)f, &l->face[f]);
	if (ret)
		return ret;
	fo = cairo_font_options_create();
	l->cr = cr;
	l->d = d;
	l->g = g;
	l->x0 = g->margin;
	l->w = g->width - 2 * g->margin;
	l->hdr_table = -1;
	l->fs_body = g->narrow ? 7 : 8.5;
	l->fs_title = g->narrow ? 8.5 : 12.5;
	l->fs_sub = g->narrow ? 7 : 9.5;
	l->fs_head = g->narrow ? 8 : 10.5;
	l->fs_table = g->narrow ? 7 : 7.5;
	l->fs_small = g->narrow ? 6 : 7;
	l->fs_mono = g->narrow ? 6 : 7;
	/* Unhinted advances: the same line breaks on every surface. */
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgb(cr, 0, 0, 0);
	return 0;
}

/* Blocks that stay on the page of the block after them: titles and
 * headings, the line that introduces a table, the two QR codes, and the
 * signature lines (with the sentence above them), signed together. */
static int lay_keep(const struct pv_block *b, const struct pv_block *next)
{
	switch (b->kind) {
	case PV_B_TITLE:
	case PV_B_SUBTITLE:
	case PV_B_HEADING: return 1;
	case PV_B_PARA:
	case PV_B_FIELD: return next->kind == PV_B_ROW || next->kind == PV_B_SIGN;
	case PV_B_SIGN: return next->kind == PV_B_SIGN;
	case PV_B_QR: return next->kind == PV_B_QR; /* both codes on one page */
	default: return 0;
	}
}

static double lay_need(struct lay *l, unsigned i)
{
	const struct pv_block *b = &l->d->blocks[i];
	double h = lay_block(l, b, 0);

	/* A heading, a title or a label above a table keeps its next block. */
	if (i + 1 < l->d->n_blocks && lay_keep(b, &l->d->blocks[i + 1])) {
		double save = l->y;
		int hdr = l->hdr_table;

		l->y += h;
		l->hdr_table = -1;
		h += lay_need(l, i + 1);
		l->y = save;
		l->hdr_table = hdr;
	}
	return h;
}

static void lay_track_table(struct lay *l, const struct pv_block *b)
{
	l->hdr_table = b->kind == PV_B_ROW ? (int)b->table : -1;
}

/* ---- QR symbols ------------------------------------------------------------------ */

int pv_qr_modules(const char *payload, unsigned *modules)
{
	uint8_t *m = NULL;
	unsigned w = 0;
	int ret = pv_qr_encode(payload, &w, &m);

	free(m);
	if (!ret)
		*modules = w + 8;
	return ret;
}

/* Each run of dark modules of a row is one rectangle, and the whole symbol
 * one fill: no hairline seams between modules when a viewer antialiases. */
int pv_qr_draw(cairo_t *cr, const char *payload, double x, double y, double module)
{
	uint8_t *m = NULL;
	unsigned w = 0;
	int ret = pv_qr_encode(payload, &w, &m);

	if (ret)
		return ret;
	cairo_save(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (unsigned r = 0; r < w; r++)
		for (unsigned c = 0; c < w;) {
			unsigned e = c;

			while (e < w && m[r * w + e])
				e++;
			if (e > c)
				cairo_rectangle(cr, x + (c + 4) * module, y + (r + 4) * module,
						(e - c) * module, module);
			c = e > c ? e : c + 1;
		}
	cairo_fill(cr);
	cairo_restore(cr);
	free(m);
	return 0;
}

/* ---- public ---------------------------------------------------------------------- */

void pv_geom_a4(struct pv_page_geom *g)
{
	memset(g, 0, sizeof(*g));
	g->width = 595.28;
	g->height = 841.89;
	g->margin = 36;
	g->scale = 1;
}

void pv_geom_raster(struct pv_page_geom *g, unsigned width_px)
{
	memset(g, 0, sizeof(*g));
	g->scale = PV_RASTER_DPI / 72.0;
	g->width = width_px / g->scale;
	g->height = 841.89;
	g->margin = 5;
	g->narrow = 1;
	g->fit_height = 1;
}

void pv_pages_free(struct pv_pages *p)
{
	free(p->start);
	free(p->height);
	memset(p, 0, sizeof(*p));
}

static int lay_new_page(struct pv_pages *p, unsigned start)
{
	unsigned *s = realloc(p->start, (p->n + 1) * sizeof(*s));
	double *h;

	if (!s)
		return ERR_NOMEM;
	p->start = s;
	h = realloc(p->height, (p->n + 1) * sizeof(*h));
	if (!h)
		return ERR_NOMEM;
	p->height = h;
	p->start[p->n] = start;
	p->height[p->n++] = 0;
	return 0;
}

static int lay_paginate(struct lay *l, struct pv_pages *p)
{
	double foot = lay_footer_h(l), top = lay_header(l, 0, 1, 0);
	int ret = lay_new_page(p, 0);

	l->bottom = l->g->height - l->g->margin - foot;
	l->y = top;
	for (unsigned i = 0; !ret && !l->err && i < l->d->n_blocks; i++) {
		const struct pv_block *b = &l->d->blocks[i];
		double need = lay_need(l, i);

		if (l->y + need > l->bottom && l->y > top) {
			p->height[p->n - 1] = l->y;
			ret = lay_new_page(p, i);
			l->y = top;
			l->hdr_table = -1;
		}
		l->y += lay_block(l, b, 0);
		lay_track_table(l, b);
	}
	if (!ret && !l->err)
		p->height[p->n - 1] = l->y;
	for (unsigned k = 0; !ret && k < p->n; k++)
		p->height[k] = l->g->fit_height ? p->height[k] + 4 + foot + l->g->margin
						: l->g->height;
	return ret ? ret : l->err;
}

int pv_layout_paginate(const struct pv_doc *d, const struct pv_page_geom *g,
		       struct pv_pages *out)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
	cairo_t *cr = cairo_create(s);
	struct lay l;
	int ret = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : ERR_NOMEM;

	memset(out, 0, sizeof(*out));
	if (!ret) {
		cairo_scale(cr, g->scale, g->scale);
		ret = lay_init(&l, cr, d, g);
	}
	if (!ret) {
		ret = lay_paginate(&l, out);
		free(l.tmp);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	if (ret)
		pv_pages_free(out);
	return ret;
}

int pv_layout_draw_page(cairo_t *cr, const struct pv_doc *d,
			const struct pv_page_geom *g, const struct pv_pages *p,
			unsigned k)
{
	unsigned end = k + 1 < p->n ? p->start[k + 1] : d->n_blocks;
	struct lay l;
	double foot;
	int ret = lay_init(&l, cr, d, g);

	if (ret)
		return ret;
	foot = lay_footer_h(&l);
	l.y = lay_header(&l, k, p->n, 1);
	for (unsigned i = p->start[k]; i < end && !l.err; i++) {
		l.y += lay_block(&l, &d->blocks[i], 1);
		lay_track_table(&l, &d->blocks[i]);
	}
	lay_footer(&l, g->fit_height ? l.y + 4 : g->height - g->margin - foot);
	free(l.tmp);
	return l.err;
}
