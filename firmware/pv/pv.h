/*
 * The procès-verbal (PV): one per scrutin (CERFA 15822 titulaires, 15823
 * suppléants), plus a session summary and the key ceremony's PV. The model
 * is built once from the results file (sceau-results/1, read strictly and
 * checked against the definition, the record and the hashes given here);
 * the layout then draws it on any cairo surface: A4 portrait for PDF and
 * PostScript, a narrow 1-bit raster for thermal printers. docs/PV.md lists
 * every printed line and the results field it comes from.
 *
 * Nothing here prints: errors are 0 or negative ERR_* (lib/err.h) with a
 * detail (err_detail) naming the field or the file.
 */
#ifndef SCEAU_PV_PV_H
#define SCEAU_PV_PV_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"
#include "format/record.h"
#include "pv/bitmap.h"

#define PV_MAX_SIGS 9          /* one per card of the record (SHAMIR_MAX) */

/* Documents other than a scrutin's PV (scrutin ids are 1..64). */
#define PV_DOC_SUMMARY 0u      /* the session summary */
#define PV_DOC_CEREMONY 0x10000u /* the key ceremony's PV */

/* Raster widths of the usual thermal printers (203 dpi). */
#define PV_RASTER_DPI 203
#define PV_RASTER_58MM 384
#define PV_RASTER_80MM 576

struct pv_sig {
	unsigned card;         /* share index in the record, 1..m */
	uint8_t sig[64];       /* ECDSA r || s over the results digest */
};

/*
 * What the PV is made from. The hashes are the ones the QR codes carry
 * (docs/FORMATS.md "QR codes of the PV (v1)"); results_sha256 must be the
 * SHA-256 of results_json, and the urn, émargement and decrypted-ballots
 * hashes must equal those the results file names. Each signature must
 * verify with its card's key over hash_tagged("sceau/sign/results/v1",
 * results.json); cards in increasing order, each once.
 */
struct pv_inputs {
	const struct election *e;
	const struct record *rec;
	const uint8_t *results_json;
	size_t results_len;
	uint8_t results_sha256[32];
	uint8_t urn_sha256[32];
	uint8_t emargement_sha256[32];
	/* X: H("sceau/shuffle-files/v2"; u16be(id), SHA-256 of shuffle-<id>.bin
	 * for each scrutin with one, in id order) */
	uint8_t shuffles_sha256[32];
	uint8_t decrypted_sha256[32];
	uint8_t journal_head[32];      /* the session journal's head */
	uint8_t firmware_sha256[32];
	unsigned n_sigs;
	struct pv_sig sigs[PV_MAX_SIGS];
	int simulation;                /* a simulation build: every page says so */
};

/* Every document (summary, ceremony, each scrutin's PV in id order) in one
 * file; page numbers ("page x/y") count within each document. */
int pv_write_pdf(const struct pv_inputs *in, const char *path);
int pv_write_ps(const struct pv_inputs *in, const char *path);

/*
 * One document (a scrutin id, PV_DOC_SUMMARY or PV_DOC_CEREMONY) as 1-bit
 * pages width_px wide (a multiple of 8, 256..2048; PV_RASTER_58MM or
 * PV_RASTER_80MM), 203 dpi, each page cut to its content. pages has room
 * for *n pointers; on success *n is the number of pages written, each to
 * be freed with pv_bitmap_free. With pages NULL, *n only gets the count.
 * ERR_RANGE if the pages do not fit (nothing is left allocated).
 */
int pv_render_raster(const struct pv_inputs *in, unsigned doc, unsigned width_px,
		     struct pv_bitmap **pages, unsigned *n);

/* out_dir/pv-summary.{pdf,ps}, pv-ceremony.{pdf,ps} and pv-<id>.{pdf,ps}
 * for each scrutin; replaces files of those names. */
int pv_render_session(const struct pv_inputs *in, const char *out_dir);

/* Writes a page as a binary PBM (P4) file, for tests and inspection. */
int pv_bitmap_write_pbm(const struct pv_bitmap *b, const char *path);

#endif
