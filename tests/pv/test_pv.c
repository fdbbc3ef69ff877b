/*
 * The PV model, its checks and its renderers (pv/). Unit tests run with no
 * argument. tests/pv/test_pv_render.sh also uses this binary to make the
 * files it reads as a person would (pdftotext, zbarimg, Ghostscript):
 *   test_pv --write DIR   the small and big elections' PVs, rasters, payloads
 *   test_pv --qr TEXT     parses a QR payload and writes it back (round trip)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "pv/pv_int.h"
#include "pv/qr.h"
#include "pvfixture.h"
#include "../support/testlib.h"

static struct fx small;

static int setup(void **state)
{
	(void)state;
	fx_small_make(&small);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_free(&small);
	return 0;
}

/* ---- model ------------------------------------------------------------------ */

static const struct pv_block *find_block(const struct pv_doc *d, enum pv_blk kind,
					 const char *c0)
{
	for (unsigned i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind == kind && d->blocks[i].n &&
		    strcmp(d->blocks[i].c[0], c0) == 0)
			return &d->blocks[i];
	return NULL;
}

/* The model holds the numbers of results.json, formatted for the bureau. */
static void test_model_small(void **state)
{
	struct pv_model *m = NULL;
	const struct pv_doc *d;
	const struct pv_block *b;

	(void)state;
	assert_int_equal(pv_model_build(&small.in, &m), 0);
	assert_int_equal(m->n_docs, 6);
	d = pv_model_doc(m, 1);
	assert_non_null(d);
	assert_string_equal(d->stem, "pv-1");
	b = find_block(d, PV_B_FIELD, "Votants (bulletins dans l'urne)");
	assert_non_null(b);
	assert_string_equal(b->c[1], "48");
	b = find_block(d, PV_B_FIELD, "Quotient électoral (suffrages exprimés / sièges)");
	assert_non_null(b);
	assert_string_equal(b->c[1], "42 / 4 = 21/2 ≈ 10,5000");
	b = find_block(d, PV_B_FIELD, "Quorum");
	assert_string_equal(b->c[1], "atteint : 2 × 42 = 84 ≥ 60 inscrits");
	d = pv_model_doc(m, 2);
	b = find_block(d, PV_B_FIELD, "Quorum");
	assert_string_equal(b->c[1], "NON ATTEINT : 2 × 18 = 36 < 60 inscrits");
	assert_non_null(pv_model_doc(m, PV_DOC_SUMMARY));
	assert_non_null(pv_model_doc(m, PV_DOC_CEREMONY));
	assert_null(pv_model_doc(m, 5));
	pv_model_free(m);
}

/* The block of d whose first cell starts with prefix. */
static const struct pv_block *find_prefix(const struct pv_doc *d, enum pv_blk kind,
					  const char *prefix)
{
	for (unsigned i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind == kind && d->blocks[i].n &&
		    strncmp(d->blocks[i].c[0], prefix, strlen(prefix)) == 0)
			return &d->blocks[i];
	return NULL;
}

/* docs/RULES.md "Seats", last paragraph: a tie between lists that have no
 * candidate left is still the bureau's to decide, but the seat is vacant
 * whichever list it picks: the PV counts it as vacant and says so, in the
 * seats summary, under the tie and among the observations. */
static void test_tie_without_candidates_vacant(void **state)
{
	struct pv_model *m = NULL;
	const struct pv_doc *d;
	const struct pv_block *b;

	(void)state;
	assert_int_equal(pv_model_build(&small.in, &m), 0);
	d = pv_model_doc(m, 4);
	assert_non_null(d);
	b = find_prefix(d, PV_B_PARA, "Sièges à pourvoir");
	assert_non_null(b);
	assert_string_equal(b->c[0], "Sièges à pourvoir : 3 ; restés vacants : 1, dont 1 "
				     "laissé(s) à la décision du bureau ; non attribuables "
				     "faute de suffrage : 0.");
	assert_non_null(find_prefix(d, PV_B_NOTICE, "Décision requise : le bureau de vote "
						    "doit attribuer 1 siège(s)"));
	b = find_prefix(d, PV_B_NOTICE, "Aucune de ces listes");
	assert_non_null(b);
	assert_string_equal(b->c[0], "Aucune de ces listes n'a plus de candidat : quelle que "
				     "soit la liste retenue par le bureau, 1 siège(s) reste(nt) "
				     "vacant(s).");
	b = find_prefix(d, PV_B_NOTICE, "1 siège(s) reste(nt) vacant(s)");
	assert_non_null(b);
	assert_string_equal(b->c[0], "1 siège(s) reste(nt) vacant(s), dont 1 disputé(s) entre "
				     "des listes à égalité qui n'ont plus de candidat : quelle "
				     "que soit la liste que le bureau retiendra, ce(s) siège(s) "
				     "reste(nt) vacant(s). Une élection partielle pourra être "
				     "nécessaire.");
	/* the tie of scrutin 3, between lists with a candidate left: no vacancy */
	d = pv_model_doc(m, 3);
	assert_non_null(find_prefix(d, PV_B_NOTICE, "Décision requise"));
	assert_null(find_prefix(d, PV_B_NOTICE, "Aucune de ces listes"));
	assert_null(find_prefix(d, PV_B_NOTICE, "1 siège(s) reste(nt) vacant(s)"));
	assert_non_null(find_prefix(d, PV_B_PARA, "Sièges à pourvoir : 1 ; restés vacants : 0 ; "
						  "laissés à la décision du bureau : 1 ;"));
	pv_model_free(m);
}

/* The summary's hash of a scrutin is that of count_results_text: what a
 * recount writes for it. */
static void test_scrutin_hash(void **state)
{
	struct pv_model *m = NULL;

	(void)state;
	assert_int_equal(pv_model_build(&small.in, &m), 0);
	for (unsigned i = 0; i < sizeof(fx_small) / sizeof(fx_small[0]); i++) {
		struct tally *t = NULL;
		struct count_results *r = NULL;
		char *text = NULL, *buf = strdup(fx_small[i].ballots), *p = buf, *tok;
		uint8_t h[32];
		size_t len;

		assert_int_equal(tally_new(&small.e->scrutins[i], &t), 0);
		while ((tok = fx_next(&p, ' '))) {
			char *star = strchr(tok, '*');
			unsigned k = star ? (unsigned)strtoul(tok, NULL, 10) : 1;

			for (unsigned j = 0; j < k; j++)
				fx_ballot(&small.e->scrutins[i], star ? star + 1 : tok, t);
		}
		assert_int_equal(count_compute(&small.e->scrutins[i], t, &r), 0);
		assert_int_equal(count_results_text(r, &text, &len), 0);
		assert_int_equal(hash_sha256(text, len, h), 0);
		assert_memory_equal(h, m->res.scrutins[i].sha256, 32);
		free(text);
		free(buf);
		count_results_free(r);
		tally_free(t);
	}
	pv_model_free(m);
}

/* What the PV must refuse to print: inputs that do not belong together. */
static void test_refuse_inputs(void **state)
{
	struct pv_inputs in;
	struct pv_model *m = NULL;
	struct fx big;

	(void)state;
	in = small.in;
	in.results_sha256[0] ^= 1;
	assert_int_equal(pv_model_build(&in, &m), ERR_VERIFY);
	in = small.in;
	in.sigs[1].sig[10] ^= 1;
	assert_int_equal(pv_model_build(&in, &m), ERR_VERIFY);
	in = small.in;
	in.sigs[1].card = 1;
	assert_int_equal(pv_model_build(&in, &m), ERR_RANGE);
	in = small.in;
	in.urn_sha256[31] ^= 1;
	assert_int_equal(pv_model_build(&in, &m), ERR_VERIFY);
	in = small.in;
	in.decrypted_sha256[0] ^= 1;
	assert_int_equal(pv_model_build(&in, &m), ERR_VERIFY);
	fx_big_make(&big);
	in = small.in;
	in.e = big.e;
	assert_int_equal(pv_model_build(&in, &m), ERR_VERIFY);
	fx_free(&big);
	assert_null(m);
}

/* Without card signatures, the PV says so and prints the hashes code only. */
static void test_no_signatures(void **state)
{
	struct pv_inputs in = small.in;
	struct pv_model *m = NULL;
	const struct pv_doc *d;
	unsigned qr = 0;

	(void)state;
	in.n_sigs = 0;
	assert_int_equal(pv_model_build(&in, &m), 0);
	d = pv_model_doc(m, 2);
	for (unsigned i = 0; i < d->n_blocks; i++)
		qr += d->blocks[i].kind == PV_B_QR;
	assert_int_equal(qr, 1);
	assert_non_null(find_block(d, PV_B_NOTICE, pv_t(T_QR_NO_SIGS)));
	assert_non_null(find_block(d, PV_B_PARA, pv_t(T_SIGS_NONE)));
	pv_model_free(m);
}

/* ---- strict reading of results.json ----------------------------------------------- */

enum mut_op { MUT_ADD1, MUT_DEL, MUT_STR, MUT_REAL, MUT_NULL, MUT_KEY, MUT_OBJ };

struct mutation {
	const char *title;
	const char *path;         /* "scrutins.0.votants" */
	enum mut_op op;
	const char *value;
};

static const struct mutation mutations[] = {
	{ "votants that do not add up", "scrutins.0.votants", MUT_ADD1, NULL },
	{ "sve that does not add up", "scrutins.0.sve", MUT_ADD1, NULL },
	{ "nul reasons that do not add up", "scrutins.0.nuls_by_reason.duplicate", MUT_ADD1,
	  NULL },
	{ "blank kinds that do not add up", "scrutins.0.blancs_by_kind.blank", MUT_ADD1, NULL },
	{ "a list's ballots not summing to sve", "scrutins.0.lists.0.ballots", MUT_ADD1, NULL },
	{ "candidate votes beyond the ballots", "scrutins.0.lists.0.candidates.0.votes",
	  MUT_ADD1, NULL },
	{ "seats total not quotient + average", "scrutins.0.lists.0.seats.total", MUT_ADD1,
	  NULL },
	{ "an unknown key at the top", "zz", MUT_KEY, NULL },
	{ "an unknown key in a candidate", "scrutins.0.lists.0.candidates.0.zz", MUT_KEY, NULL },
	{ "a missing quorum", "scrutins.0.quorum", MUT_DEL, NULL },
	{ "a missing inputs object", "inputs", MUT_DEL, NULL },
	{ "a wrong decimal", "scrutins.0.quotient.decimal", MUT_STR, "10.5" },
	{ "a fraction not reduced", "scrutins.0.quotient.num", MUT_ADD1, NULL },
	{ "a real number for votes", "scrutins.0.lists.0.candidates.0.votes", MUT_REAL, NULL },
	{ "an unknown notice", "scrutins.0.notices", MUT_OBJ, "[\"bogus\"]" },
	{ "a quorum contradicting the numbers", "scrutins.1.quorum", MUT_STR, "reached" },
	{ "seats for a scrutin without quorum", "scrutins.1.lists.0.seats", MUT_OBJ,
	  "{\"quotient\": 0, \"average\": 0, \"total\": 0, \"vacant\": 0, \"filled\": 0}" },
	{ "a null name", "scrutins.0.lists.0.name", MUT_NULL, NULL },
	{ "a name with a newline", "scrutins.0.lists.0.name", MUT_STR, "Liste\nB" },
	{ "the 10 % rule contradicted", "scrutins.0.lists.0.candidates.1.ratures_count",
	  MUT_OBJ, "false" },
	{ "an unknown body", "scrutins.0.body", MUT_STR, "Titulaires" },
	{ "a wrong format tag", "format", MUT_STR, "sceau-results/2" },
	{ "a bad hex hash", "decrypted_ballots.sha256", MUT_STR, "00" },
	{ "an irregularity without detail", "irregularities.0.detail", MUT_DEL, NULL },
	{ "a tie without lists", "scrutins.2.ties.0.lists", MUT_OBJ, "[]" },
	{ "exposure of a non-elected member", "scrutins.1.lists.0.candidates.0.exposed",
	  MUT_OBJ, "[\"proportion\"]" },
};

static json_t *mut_walk(json_t *v, const char *path, char *last, size_t cap)
{
	char buf[128], *p = buf, *t, *next;

	snprintf(buf, sizeof(buf), "%s", path);
	t = fx_next(&p, '.');
	while (t && (next = fx_next(&p, '.'))) {
		v = json_is_array(v) ? json_array_get(v, strtoul(t, NULL, 10))
				     : json_object_get(v, t);
		t = next;
	}
	snprintf(last, cap, "%s", t ? t : "");
	return v;
}

static void mut_apply(json_t *root, const struct mutation *mu)
{
	char key[128];
	json_t *parent = mut_walk(root, mu->path, key, sizeof(key)), *nv = NULL;
	json_t *cur = json_object_get(parent, key);

	switch (mu->op) {
	case MUT_ADD1: nv = json_integer(json_integer_value(cur) + 1); break;
	case MUT_DEL: json_object_del(parent, key); return;
	case MUT_STR: nv = json_string(mu->value); break;
	case MUT_REAL: nv = json_real((double)json_integer_value(cur)); break;
	case MUT_NULL: nv = json_null(); break;
	case MUT_KEY: nv = json_integer(1); break;
	case MUT_OBJ: nv = json_loads(mu->value, JSON_DECODE_ANY, NULL); break;
	}
	assert_non_null(nv);
	json_object_set_new(parent, key, nv);
}

static void test_results_strict(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_read((const uint8_t *)small.results, small.len, &r), 0);
	results_free(&r);
	for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		json_t *root = json_loads(small.results, 0, NULL);
		size_t len;
		char *text;
		int ret;

		mut_apply(root, &mutations[i]);
		text = fx_dump(root, &len);
		ret = results_read((const uint8_t *)text, len, &r);
		if (ret == 0)
			fail_msg("accepted %s (%s)", mutations[i].title, mutations[i].path);
		assert_true(ret == ERR_FORMAT || ret == ERR_RANGE);
		free(text);
		json_decref(root);
	}
}

/* ---- QR payloads ---------------------------------------------------------------- */

static void test_qr_round_trip(void **state)
{
	struct pv_qr_hashes h;
	struct pv_qr q;
	char text[PV_QR_TEXT_MAX], again[PV_QR_TEXT_MAX];
	unsigned cards[9];
	uint8_t sigs[9][64];

	(void)state;
	for (unsigned i = 0; i < sizeof(h); i++)
		((uint8_t *)&h)[i] = (uint8_t)(i * 37 + 11);
	assert_int_equal(pv_qr_payload_hashes(7, &h, text, sizeof(text)), 0);
	assert_int_equal(strncmp(text, "SCEAU2:H:7:E:", 13), 0);
	assert_int_equal(strlen(text), 13 + 64 + 7 * (3 + 64));
	assert_non_null(strstr(text, ":M:"));
	assert_int_equal(strstr(text, ":X:") - strstr(text, ":M:"), 3 + 64);
	assert_int_equal(strstr(text, ":D:") - strstr(text, ":X:"), 3 + 64);
	assert_int_equal(pv_qr_parse(text, &q), 0);
	assert_int_equal(q.kind, PV_QR_HASHES);
	assert_int_equal(q.scrutin, 7);
	assert_memory_equal(&q.h, &h, sizeof(h));
	for (unsigned i = 0; i < 9; i++) {
		cards[i] = i + 1;
		memset(sigs[i], 0xa5 ^ i, 64);
	}
	assert_int_equal(pv_qr_payload_signatures(0, h.results, 9, cards,
						  (const uint8_t (*)[64])sigs, text,
						  sizeof(text)), 0);
	assert_true(strlen(text) < PV_QR_TEXT_MAX);
	assert_int_equal(pv_qr_parse(text, &q), 0);
	assert_int_equal(q.kind, PV_QR_SIGNATURES);
	assert_int_equal(q.n_sigs, 9);
	assert_int_equal(q.sigs[8].card, 9);
	assert_memory_equal(q.sigs[3].sig, sigs[3], 64);
	assert_int_equal(pv_qr_payload_signatures(0, q.results, 9, cards,
						  (const uint8_t (*)[64])sigs, again,
						  sizeof(again)), 0);
	assert_string_equal(text, again);
	/* refused by the writer */
	assert_int_equal(pv_qr_payload_signatures(0, h.results, 0, cards,
						  (const uint8_t (*)[64])sigs, text,
						  sizeof(text)), ERR_RANGE);
	cards[1] = 1;
	assert_int_equal(pv_qr_payload_signatures(0, h.results, 2, cards,
						  (const uint8_t (*)[64])sigs, text,
						  sizeof(text)), ERR_RANGE);
	assert_int_equal(pv_qr_payload_hashes(70000, &h, text, sizeof(text)), ERR_RANGE);
	assert_int_equal(pv_qr_payload_hashes(1, &h, text, 100), ERR_RANGE);
}

struct qr_bad {
	const char *title;
	const char *from, *to;    /* replace the first "from" of a good payload */
};

static const struct qr_bad qr_bads[] = {
	{ "lower-case hex", ":E:0B", ":E:0b" },
	{ "another magic", "SCEAU2:", "SCEAU1:" },
	{ "no shuffles' hash", ":X:", ":D:" },
	{ "an unknown kind", ":H:", ":X:" },
	{ "a leading zero", ":H:1:", ":H:01:" },
	{ "a scrutin above 65535", ":H:1:", ":H:65536:" },
	{ "a missing field", ":F:", ":G:" },
	{ "a short hash", ":R:0", ":R:" },
	{ "a trailing space", NULL, " " },
	{ "a trailing newline", NULL, "\n" },
	{ "a trailing separator", NULL, ":" },
	{ "an empty text", "", NULL },
};

static void test_qr_strict(void **state)
{
	struct pv_qr_hashes h;
	struct pv_qr q;
	char good[PV_QR_TEXT_MAX], bad[PV_QR_TEXT_MAX + 8];

	(void)state;
	memset(&h, 0x0b, sizeof(h));
	assert_int_equal(pv_qr_payload_hashes(1, &h, good, sizeof(good)), 0);
	for (size_t i = 0; i < sizeof(qr_bads) / sizeof(qr_bads[0]); i++) {
		const struct qr_bad *b = &qr_bads[i];

		if (!b->to) {
			bad[0] = '\0';
		} else if (!b->from) {
			snprintf(bad, sizeof(bad), "%s%s", good, b->to);
		} else {
			const char *at = strstr(good, b->from);

			assert_non_null(at);
			snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - good), good, b->to,
				 at + strlen(b->from));
		}
		if (pv_qr_parse(bad, &q) != ERR_FORMAT)
			fail_msg("accepted %s", b->title);
	}
	/* signatures: cards out of order, card 0, none */
	assert_int_equal(pv_qr_parse("SCEAU2:S:1:R:0000000000000000000000000000000000000000"
				     "000000000000000000000000", &q), ERR_FORMAT);
}

/* Every text has its English in use (po/en.po, through lib/i18n), taking the
 * same printf conversions in the same order; only the few words English
 * writes as French does are the same; one French word with two English ones
 * takes a context. */
static void test_text_english(void **state)
{
	static const enum pv_txt same[] = { T_PAGE, T_H_IDENT, T_QUORUM, T_SEX_F, T_SEX_M,
					    T_CER_SIMULATION };
	char ca[64], cb[64];

	(void)state;
	for (unsigned id = 0; id < PV_T__COUNT; id++) {
		const char *a = pv_t_lang((enum pv_txt)id, 0), *b = pv_t_lang((enum pv_txt)id, 1);
		int alike = 0;

		for (size_t k = 0; k < sizeof(same) / sizeof(same[0]); k++)
			alike |= same[k] == id;
		if ((strcmp(a, b) == 0) != alike)
			fail_msg("text %u: \"%s\" / \"%s\"", id, a, b);
		assert_int_equal(i18n_conversions(a, ca, sizeof(ca)), 0);
		assert_int_equal(i18n_conversions(b, cb, sizeof(cb)), 0);
		if (strcmp(ca, cb) != 0)
			fail_msg("text %u: \"%s\" / \"%s\"", id, a, b);
	}
	assert_string_equal(pv_t_lang(T_H_ELECTED, 0), "Élus");
	assert_string_equal(pv_t_lang(T_C_ELECTED_N, 0), "Élus");
	assert_string_equal(pv_t_lang(T_H_ELECTED, 1), "Elected members");
	assert_string_equal(pv_t_lang(T_C_ELECTED_N, 1), "Elected");
	/* the language given wins over the bureau's */
	i18n_set_lang(LANG_EN);
	assert_string_equal(pv_t_lang(T_YES, 0), "oui");
	assert_string_equal(pv_t(T_YES), "yes");
	i18n_set_lang(LANG_FR);
	assert_string_equal(pv_t_lang(T_YES, 1), "yes");
	assert_string_equal(pv_t(T_YES), "oui");
}

/* ---- renderers -------------------------------------------------------------------- */

static void test_raster(void **state)
{
	static const unsigned widths[2] = { PV_RASTER_58MM, PV_RASTER_80MM };
	struct pv_bitmap *pages[64];
	unsigned n, few = 1;

	(void)state;
	for (unsigned w = 0; w < 2; w++) {
		n = 0;
		assert_int_equal(pv_render_raster(&small.in, 1, widths[w], NULL, &n), 0);
		assert_true(n >= 2);
		n = 64;
		assert_int_equal(pv_render_raster(&small.in, 1, widths[w], pages, &n), 0);
		for (unsigned k = 0; k < n; k++) {
			size_t black = 0;

			assert_int_equal(pages[k]->width, widths[w]);
			assert_int_equal(pages[k]->stride, widths[w] / 8);
			assert_true(pages[k]->height > 200);
			for (size_t i = 0; i < (size_t)pages[k]->stride * pages[k]->height; i++)
				black += pages[k]->bits[i] != 0;
			assert_true(black > 100);
			pv_bitmap_free(pages[k]);
		}
	}
	assert_int_equal(pv_render_raster(&small.in, 1, 388, pages, &n), ERR_RANGE);
	assert_int_equal(pv_render_raster(&small.in, 1, PV_RASTER_58MM, pages, &few),
			 ERR_RANGE);
	n = 64;
	assert_int_equal(pv_render_raster(&small.in, 9, PV_RASTER_58MM, pages, &n),
			 ERR_NOTFOUND);
	pv_bitmap_free(NULL);
}

/* The same session gives the same bytes (a reprint is identical). */
static void test_deterministic(void **state)
{
	char dir[64], a[128], b[128];
	uint8_t *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	for (int ps = 0; ps < 2; ps++) {
		snprintf(a, sizeof(a), "%s/a.%s", dir, ps ? "ps" : "pdf");
		snprintf(b, sizeof(b), "%s/b.%s", dir, ps ? "ps" : "pdf");
		assert_int_equal(ps ? pv_write_ps(&small.in, a) : pv_write_pdf(&small.in, a), 0);
		assert_int_equal(ps ? pv_write_ps(&small.in, b) : pv_write_pdf(&small.in, b), 0);
		assert_int_equal(file_read_all(a, 64u << 20, &x, &nx), 0);
		assert_int_equal(file_read_all(b, 64u << 20, &y, &ny), 0);
		assert_true(nx > 1000);
		assert_int_equal(nx, ny);
		assert_memory_equal(x, y, nx);
		free(x);
		free(y);
	}
	testlib_rmdir(dir);
}

/* 20 lists of 40 candidates flow over many A4 pages; each block once. */
static void test_big_flow(void **state)
{
	struct pv_page_geom g;
	struct pv_pages p;
	struct pv_model *m = NULL;
	struct fx big;

	(void)state;
	fx_big_make(&big);
	assert_int_equal(pv_model_build(&big.in, &m), 0);
	pv_geom_a4(&g);
	assert_int_equal(pv_layout_paginate(pv_model_doc(m, 1), &g, &p), 0);
	assert_true(p.n >= 10);
	assert_int_equal(p.start[0], 0);
	for (unsigned k = 1; k < p.n; k++)
		assert_true(p.start[k] > p.start[k - 1]);
	pv_pages_free(&p);
	pv_model_free(m);
	fx_free(&big);
}

static void test_english(void **state)
{
	struct pv_model *m = NULL;

	(void)state;
	i18n_set_lang(LANG_EN);
	assert_int_equal(pv_model_build(&small.in, &m), 0);
	assert_non_null(find_block(pv_model_doc(m, 1), PV_B_FIELD, "Registered voters"));
	assert_string_equal(find_block(pv_model_doc(m, 1), PV_B_FIELD,
				       "Electoral quotient (valid votes / seats)")->c[1],
			    "42 / 4 = 21/2 ≈ 10.5000");
	pv_model_free(m);
	i18n_set_lang(LANG_FR);
}

/* ---- files for the scripted test --------------------------------------------------- */

static int put_text(const char *dir, const char *name, const char *text, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return file_write_atomic(path, text, len, 1);
}

/* The payloads each document must carry, "<stem> <payload>" per line. */
static int put_payloads(const char *dir, const struct pv_inputs *in,
			const struct election *e, const char *name)
{
	char *out = NULL, text[PV_QR_TEXT_MAX];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct pv_qr_hashes h;
	unsigned cards[PV_MAX_SIGS];
	uint8_t sigs[PV_MAX_SIGS][64];
	int ret = 0;

	memcpy(h.election_id, e->id, 32);
	memcpy(h.results, in->results_sha256, 32);
	memcpy(h.urn, in->urn_sha256, 32);
	memcpy(h.emargement, in->emargement_sha256, 32);
	memcpy(h.shuffles, in->shuffles_sha256, 32);
	memcpy(h.decrypted, in->decrypted_sha256, 32);
	memcpy(h.journal, in->journal_head, 32);
	memcpy(h.firmware, in->firmware_sha256, 32);
	for (unsigned i = 0; i < in->n_sigs; i++) {
		cards[i] = in->sigs[i].card;
		memcpy(sigs[i], in->sigs[i].sig, 64);
	}
	for (unsigned d = 0; !ret && d < e->n_scrutins + 2; d++) {
		unsigned id = d < 2 ? 0 : e->scrutins[d - 2].id;
		const char *stem = d == 0 ? "pv-summary" : d == 1 ? "pv-ceremony" : NULL;

		ret = pv_qr_payload_hashes(id, &h, text, sizeof(text));
		stem ? fprintf(f, "%s %s\n", stem, text) : fprintf(f, "pv-%u %s\n", id, text);
		if (!ret)
			ret = pv_qr_payload_signatures(id, in->results_sha256, in->n_sigs, cards,
						       (const uint8_t (*)[64])sigs, text,
						       sizeof(text));
		stem ? fprintf(f, "%s %s\n", stem, text) : fprintf(f, "pv-%u %s\n", id, text);
	}
	fclose(f);
	if (!ret)
		ret = put_text(dir, name, out, len);
	free(out);
	return ret;
}

static int put_rasters(const char *dir, const struct pv_inputs *in, unsigned doc,
		       const char *stem)
{
	static const unsigned widths[2] = { PV_RASTER_58MM, PV_RASTER_80MM };
	struct pv_bitmap *pages[64];
	char sub[512];
	int ret = 0;

	snprintf(sub, sizeof(sub), "%s/raster", dir);
	ret = file_mkdirs(sub);

	for (unsigned w = 0; !ret && w < 2; w++) {
		unsigned n = 64;

		ret = pv_render_raster(in, doc, widths[w], pages, &n);
		for (unsigned k = 0; !ret && k < n; k++) {
			char path[512];

			snprintf(path, sizeof(path), "%s/raster/%s-%u-%02u.pbm", dir, stem,
				 widths[w], k + 1);
			ret = pv_bitmap_write_pbm(pages[k], path);
		}
		for (unsigned k = 0; k < n && ret != ERR_RANGE; k++)
			pv_bitmap_free(pages[k]);
	}
	return ret;
}

static int write_all(const char *dir)
{
	char sub[512];
	struct fx big;
	struct pv_inputs sim;
	int ret;

	fx_small_make(&small);
	ret = file_mkdirs(dir);
	snprintf(sub, sizeof(sub), "%s/raster", dir);
	if (!ret)
		ret = file_mkdirs(sub);
	if (!ret)
		ret = put_text(dir, "results.json", small.results, small.len);
	if (!ret)
		ret = put_payloads(dir, &small.in, small.e, "payloads.txt");
	snprintf(sub, sizeof(sub), "%s/session", dir);
	if (!ret)
		ret = pv_render_session(&small.in, sub);
	snprintf(sub, sizeof(sub), "%s/all.pdf", dir);
	if (!ret)
		ret = pv_write_pdf(&small.in, sub);
	snprintf(sub, sizeof(sub), "%s/all.ps", dir);
	if (!ret)
		ret = pv_write_ps(&small.in, sub);
	if (!ret)
		ret = put_rasters(dir, &small.in, 1, "pv-1");
	if (!ret)
		ret = put_rasters(dir, &small.in, PV_DOC_SUMMARY, "pv-summary");
	sim = small.in;
	sim.simulation = 1;
	snprintf(sub, sizeof(sub), "%s/sim.pdf", dir);
	if (!ret)
		ret = pv_write_pdf(&sim, sub);
	i18n_set_lang(LANG_EN);
	snprintf(sub, sizeof(sub), "%s/en", dir);
	if (!ret)
		ret = pv_render_session(&small.in, sub);
	i18n_set_lang(LANG_FR);
	/* nine cards, all present: the longest signatures code */
	fx_inputs(&small, 9);
	snprintf(sub, sizeof(sub), "%s/nine", dir);
	if (!ret)
		ret = pv_render_session(&small.in, sub);
	if (!ret)
		ret = put_payloads(sub, &small.in, small.e, "payloads.txt");
	if (!ret)
		ret = put_rasters(sub, &small.in, 1, "pv-1");
	fx_big_make(&big);
	snprintf(sub, sizeof(sub), "%s/big", dir);
	if (!ret)
		ret = pv_render_session(&big.in, sub);
	if (!ret)
		ret = put_text(sub, "results.json", big.results, big.len);
	fx_free(&big);
	fx_free(&small);
	if (ret)
		fprintf(stderr, "test_pv --write: error %d (%s)\n", ret, err_last_detail());
	return ret ? 1 : 0;
}

static int qr_again(const char *text)
{
	struct pv_qr q;
	char out[PV_QR_TEXT_MAX];
	unsigned cards[PV_QR_MAX_SIGS];
	uint8_t sigs[PV_QR_MAX_SIGS][64];
	int ret = pv_qr_parse(text, &q);

	if (!ret && q.kind == PV_QR_HASHES)
		ret = pv_qr_payload_hashes(q.scrutin, &q.h, out, sizeof(out));
	if (!ret && q.kind == PV_QR_SIGNATURES) {
		for (unsigned i = 0; i < q.n_sigs; i++) {
			cards[i] = q.sigs[i].card;
			memcpy(sigs[i], q.sigs[i].sig, 64);
		}
		ret = pv_qr_payload_signatures(q.scrutin, q.results, q.n_sigs, cards,
					       (const uint8_t (*)[64])sigs, out, sizeof(out));
	}
	if (ret) {
		fprintf(stderr, "refused: %s\n", err_last_detail());
		return 1;
	}
	printf("%s\n", out);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_small),
		cmocka_unit_test(test_tie_without_candidates_vacant),
		cmocka_unit_test(test_scrutin_hash),
		cmocka_unit_test(test_refuse_inputs),
		cmocka_unit_test(test_no_signatures),
		cmocka_unit_test(test_results_strict),
		cmocka_unit_test(test_qr_round_trip),
		cmocka_unit_test(test_qr_strict),
		cmocka_unit_test(test_text_english),
		cmocka_unit_test(test_raster),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_big_flow),
		cmocka_unit_test(test_english),
	};

	i18n_set_lang(LANG_FR);
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_all(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--qr") == 0)
		return qr_again(argv[2]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
