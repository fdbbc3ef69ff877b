/*
 * Inside pv/: the documents built from the results file (format/results.h,
 * a flat list of blocks per document: headings, fields, table rows, QR
 * codes, signature lines) and the layout that flows the blocks onto pages.
 * The model holds every text already formatted, in the bureau's language;
 * the layout only measures, wraps and draws.
 */
#ifndef SCEAU_PV_PV_INT_H
#define SCEAU_PV_PV_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "format/results.h"
#include "pv/pv.h"
#include "pv/qr.h"

/* ---- texts ------------------------------------------------------------- */

#define PV_TXT(id, fr) id,
enum pv_txt {
#include "pv/text_table.h"
	PV_T__COUNT
};
#undef PV_TXT

/* The text in the bureau's language (i18n_lang()). */
const char *pv_t(enum pv_txt id);
int pv_lang_en(void);
/* The text in French (en = 0) or English (en = 1), whatever the bureau's
 * language. */
const char *pv_t_lang(enum pv_txt id, int en);

/* ---- documents ----------------------------------------------------------- */

enum pv_blk {
	PV_B_TITLE,       /* c[0]: centred, large, bold */
	PV_B_SUBTITLE,    /* c[0]: centred */
	PV_B_HEADING,     /* c[0]: section heading, kept with what follows */
	PV_B_FIELD,       /* c[0] label, c[1] value */
	PV_B_PARA,        /* c[0]: wrapped text */
	PV_B_NOTICE,      /* c[0]: boxed bold text (what the bureau must read) */
	PV_B_ROW,         /* table row: c[0..n) cells of table t */
	PV_B_HEX,         /* c[0] label, c[1] hex (printed in groups of 4) */
	PV_B_QR,          /* c[0] caption, c[1] payload */
	PV_B_SIGN,        /* c[0] name and role, c[1] status: a line to sign on */
	PV_B_WRITE,       /* c[0]: label of blank lines for handwriting */
	PV_B_GAP,
};

#define PV_F_BOLD 1u      /* ROW: bold (a total); FIELD: bold value */

#define PV_TABLE_COLS 10

struct pv_table {
	unsigned n_cols;
	const char *head[PV_TABLE_COLS];
	double weight[PV_TABLE_COLS];  /* relative column widths */
	char align[PV_TABLE_COLS];     /* 'l' or 'r' or 'c' */
};

struct pv_block {
	enum pv_blk kind;
	unsigned flags, table, n;
	const char **c;
};

struct pv_arena;

struct pv_doc {
	unsigned id;               /* scrutin id, PV_DOC_SUMMARY, PV_DOC_CEREMONY */
	char stem[24];             /* file name without extension */
	const char *head1, *head2; /* running header lines */
	const char *foot;          /* running footer (results hash) */
	int simulation;
	unsigned n_blocks, cap_blocks;
	struct pv_block *blocks;
	unsigned n_tables, cap_tables;
	struct pv_table *tables;
};

struct pv_model {
	struct results res;
	struct pv_arena *arena;
	int err;                   /* sticky: first failure while building */
	unsigned n_docs;
	struct pv_doc *docs;       /* summary, ceremony, then one per scrutin */
	const char *pdf_date;      /* ISO 8601, for the files' metadata */
};

int pv_model_build(const struct pv_inputs *in, struct pv_model **out);
void pv_model_free(struct pv_model *m);
const struct pv_doc *pv_model_doc(const struct pv_model *m, unsigned id);

/* Builders (model.c); texts are copied into the model's arena. */
const char *pv_str(struct pv_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *pv_frac_text(struct pv_model *m, const struct results_frac *f);
const char *pv_dec(struct pv_model *m, const char *dec);
const char *pv_hex(struct pv_model *m, const uint8_t *b, size_t n);
/* "2026-12-08T17:00+01:00" -> "08/12/2026 17:00 (UTC+01:00)"; dates alone. */
const char *pv_datetime(struct pv_model *m, const char *iso);
const char *pv_date(struct pv_model *m, const char *ymd);
/* The latest "closes" of the definition: the date the PVs are drawn up
 * (and the files' date, so that a reprint gives the same bytes). */
const char *pv_latest_close(const struct election *e);
struct pv_block *pv_add(struct pv_model *m, struct pv_doc *d, enum pv_blk kind,
			unsigned n, ...);
void pv_add_table(struct pv_model *m, struct pv_doc *d, unsigned n_cols,
		  const char *const *head, const double *weight, const char *align);
void pv_add_row(struct pv_model *m, struct pv_doc *d, unsigned flags,
		const char *const *cells);

/* An irregularity of the results file in words ("urn=48 emargement=47"
 * becomes a sentence); unknown kinds as "kind : detail". */
const char *pv_irreg_text(struct pv_model *m, const struct results_irreg *g);

/* Content of each kind of document (model_scrutin.c, model_session.c). */
void pv_doc_scrutin(struct pv_model *m, const struct pv_inputs *in,
		    const struct results_scrutin *rs, struct pv_doc *d);
void pv_doc_summary(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d);
void pv_doc_ceremony(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d);
/* The identification every document opens with, under its titles: the
 * establishment, its SIRET, the election. */
void pv_doc_ident(struct pv_model *m, const struct election *e, struct pv_doc *d);
/* The common end of every document: hashes, QR codes, signatures. */
void pv_doc_attest(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d,
		   unsigned qr_scrutin);

/* ---- fonts (fonts.c) ---------------------------------------------------- */

enum pv_font { PV_FONT_SANS, PV_FONT_SANS_BOLD, PV_FONT_MONO, PV_FONT_COUNT };

/* The face of CONFIG_PV_FONT_DIR's file for f, loaded once and kept;
 * ERR_NOTFOUND (err_detail names the file) if it cannot be read. */
int pv_font(enum pv_font f, cairo_font_face_t **out);

/* ---- layout ------------------------------------------------------------- */

struct pv_page_geom {
	double width, height;      /* points */
	double margin;
	double scale;              /* device units per point (1 for PDF/PS) */
	int narrow;                /* tables as text, QR above their hex */
	int fit_height;            /* raster: each page cut to its content */
};

/* A4 portrait, and a raster of width_px pixels at 203 dpi. */
void pv_geom_a4(struct pv_page_geom *g);
void pv_geom_raster(struct pv_page_geom *g, unsigned width_px);

/* Where each page of a document starts and how tall it is (points). */
struct pv_pages {
	unsigned n;
	unsigned *start;           /* first block of each page */
	double *height;            /* g->height, or the content's when fit_height */
};

int pv_layout_paginate(const struct pv_doc *d, const struct pv_page_geom *g,
		       struct pv_pages *out);
void pv_pages_free(struct pv_pages *p);
/* Draws page k (0-based) of d on cr, whose user space is points on a page
 * of the paginated size (white already). */
int pv_layout_draw_page(cairo_t *cr, const struct pv_doc *d,
			const struct pv_page_geom *g, const struct pv_pages *p,
			unsigned k);

/* Modules per side of the payload's symbol, quiet zone (4 each side)
 * included; and the symbol drawn at (x, y), module points per module. */
int pv_qr_modules(const char *payload, unsigned *modules);
int pv_qr_draw(cairo_t *cr, const char *payload, double x, double y, double module);

#endif
