/*
 * Test fixture for the PV (header-only, for tests/pv/test_*.c): a small
 * synthetic election counted by count/ from real plaintexts, wrapped as
 * the results file of a session (the wrapper of session/tabulate.c), a public
 * record with cards whose keys sign the results, and the pv_inputs made of
 * them. Two elections: "small" (four scrutins: quorum reached with a
 * joint list, ratures over 10 % and a gender non-conformity; suppléants
 * without quorum; a second round with a tie left to the bureau; a tie left
 * to the bureau between lists without a candidate left) and "big"
 * (20 lists of 40 candidates, to flow over many pages).
 */
#ifndef SCEAU_TESTS_PVFIXTURE_H
#define SCEAU_TESTS_PVFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format/election.h"
#include "lib/err.h"
#include "format/record.h"
#include "count/classify.h"
#include "count/count.h"
#include "count/tally.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/sig.h"
#include "pv/pv.h"

struct fx_list {
	const char *name;
	const char *unions;       /* "CFDT:0.6,UNSA:0.4" or "CGT" */
	const char *cands;        /* "Last/First/F/1975-03-14|..." */
};

struct fx_scrutin {
	const char *college, *body;
	unsigned round, seats, inscrits;
	const char *share_women, *share_men;
	struct fx_list lists[4];
	const char *ballots;      /* "20*L1 3*L1x2 2*B S2 N:bad-version ..." */
};

struct fx {
	struct election *e;
	struct record rec;
	uint8_t priv[9][32];
	char *results;
	size_t len;
	struct pv_inputs in;
};

static const struct fx_scrutin fx_small[] = {
	{ "1 - Ouvriers et employés", "titulaires", 1, 4, 60, "0.4", "0.6",
	  { { "Liste CGT « Unité »", "CGT",
	      "Lefèvre/Hélène/F/1975-03-14|Garçon/François/M/1980-06-21|"
	      "Œuvray/Zoé/F/1990-09-09|Benoît/Jérôme/M/1968-01-30" },
	    { "Liste commune CFDT-UNSA", "CFDT:0.6,UNSA:0.4",
	      "Martin/Kévin/M/1985-02-02|Dubœuf/Anaïs/F/1979-12-25|Noël/Loïc/M/1992-07-14" },
	    { "Liste FO", "FO",
	      "Petit/Paul/M/1970-04-04|Roux/René/M/1971-05-05|Blanc/Bruno/M/1972-06-06|"
	      "Faure/Élise/F/1973-07-07" } },
	  "16*L1 3*L1x2 1*L1x1 11*L2 1*L2x1 10*L3 2*B 1*S2 1*N:bad-version "
	  "1*N:unreadable 1*N:duplicate" },
	{ "1 - Ouvriers et employés", "suppléants", 1, 2, 60, "0.4", "0.6",
	  { { "Liste CGT « Unité »", "CGT", "Lefèvre/Hélène/F/1975-03-14|Garçon/François/M/1980-06-21" },
	    { "Liste FO", "FO", "Faure/Élise/F/1973-07-07" } },
	  "10*L1 8*L2 1*B 1*N:list-out-of-range" },
	{ "2 - Ingénieurs et cadres", "titulaires", 2, 1, 20, "0.5", "0.5",
	  { { "Liste A", "Indépendants", "Écrin/Ève/F/1970-01-01" },
	    { "Liste B", "CFE-CGC", "Çelik/Maël/M/1970-01-01" } },
	  "5*L1 5*L2" },
	/* each list's one candidate elected at the quotient, the third seat
	 * tied between them: the bureau's, and vacant whichever it picks */
	{ "3 - Agents de maîtrise", "titulaires", 2, 3, 20, "0.5", "0.5",
	  { { "Liste C", "CGT", "Dupré/Jeanne/F/1965-02-02" },
	    { "Liste D", "CFDT", "Moreau/Louis/M/1966-03-03" } },
	  "5*L1 5*L2" },
};

/* ---- definition ---------------------------------------------------------- */

/* The next field of *p up to sep, NUL-terminated in place; NULL at the end. */
static char *fx_next(char **p, char sep)
{
	char *t = *p, *e;

	if (!t || !*t)
		return NULL;
	e = strchr(t, sep);
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = NULL;
	}
	return t;
}

static json_t *fx_unions(const char *spec)
{
	json_t *a = json_array();
	char buf[256], *p = buf, *t;

	snprintf(buf, sizeof(buf), "%s", spec);
	while ((t = fx_next(&p, ','))) {
		char *colon = strchr(t, ':');
		json_t *u = json_object();

		if (colon)
			*colon = '\0';
		json_object_set_new(u, "name", json_string(t));
		if (colon)
			json_object_set_new(u, "share", json_string(colon + 1));
		json_array_append_new(a, u);
	}
	return a;
}

static json_t *fx_cands(const char *spec)
{
	json_t *a = json_array();
	char *buf = strdup(spec), *p = buf, *t;

	while ((t = fx_next(&p, '|'))) {
		char *f[4] = { "", "", "", "" }, *x;
		unsigned k = 0;

		while (k < 4 && (x = fx_next(&t, '/')))
			f[k++] = x;
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "last_name", f[0],
						   "first_name", f[1], "sex", f[2],
						   "birth_date", f[3]));
	}
	free(buf);
	return a;
}

static json_t *fx_scrutin_json(const struct fx_scrutin *s, unsigned id)
{
	json_t *lists = json_array();

	for (unsigned i = 0; i < 4 && s->lists[i].name; i++)
		json_array_append_new(lists, json_pack("{s:i, s:s, s:o, s:o}", "number", i + 1,
						       "name", s->lists[i].name, "unions",
						       fx_unions(s->lists[i].unions), "candidates",
						       fx_cands(s->lists[i].cands)));
	return json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:o}", "id", id,
			 "college", s->college, "body", s->body, "round", s->round, "seats",
			 s->seats, "inscrits", s->inscrits, "share_women", s->share_women,
			 "share_men", s->share_men, "opens", "2026-12-01T08:00+01:00", "closes",
			 "2026-12-08T17:00+01:00", "lists", lists);
}

static struct election *fx_election(json_t *scrutins)
{
	json_t *root = json_pack("{s:s, s:{s:s, s:s}, s:s, s:o}", "format", "sceau-election/1",
				 "establishment", "name",
				 "Société des Œuvres « Cœur » — site de Besançon", "siret",
				 "81234567800019", "title",
				 "Élections du comité social et économique 2026", "scrutins",
				 scrutins);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct election *e = NULL;

	if (election_parse((const uint8_t *)text, strlen(text), &e) != 0) {
		fprintf(stderr, "fixture definition refused: %s\n", err_last_detail());
		abort();
	}
	free(text);
	json_decref(root);
	return e;
}

/* ---- ballots --------------------------------------------------------------- */

/* One ballot of spec "L2x1x3" (list 2, candidates 1 and 3 struck), "B"
 * (blank), "S2" (list 2 with every candidate struck), "N:reason". */
static void fx_ballot(const struct scrutin *s, const char *spec, struct tally *t)
{
	uint8_t pt[3 + BALLOT_BITMAP_MAX];
	struct ballot_class bc;
	enum ballot_reason r;
	unsigned list = 0;

	memset(pt, 0, sizeof(pt));
	pt[0] = 1;
	if (strncmp(spec, "N:", 2) == 0) {
		if (ballot_reason_from_name(spec + 2, &r) || ballot_nul(r, &bc))
			abort();
		if (r != BALLOT_NUL_UNREADABLE && r != BALLOT_NUL_DUPLICATE &&
		    r != BALLOT_NUL_PROOF_FAILED) {
			if (r == BALLOT_NUL_BAD_VERSION)
				pt[0] = 2;
			else if (r == BALLOT_NUL_LIST_RANGE)
				pt[2] = (uint8_t)(s->n_lists + 1);
			else
				abort();
			if (ballot_classify(s, pt, s->pt_len, &bc))
				abort();
		}
	} else {
		if (spec[0] == 'L' || spec[0] == 'S')
			list = (unsigned)strtoul(spec + 1, NULL, 10);
		pt[2] = (uint8_t)list;
		for (const char *x = strchr(spec, 'x'); x; x = strchr(x + 1, 'x')) {
			unsigned c = (unsigned)strtoul(x + 1, NULL, 10) - 1;
			pt[3 + c / 8] |= (uint8_t)(1u << (c % 8));
		}
		for (unsigned c = 0; spec[0] == 'S' && c < s->lists[list - 1].n_candidates; c++)
			pt[3 + c / 8] |= (uint8_t)(1u << (c % 8));
		if (ballot_classify(s, pt, s->pt_len, &bc))
			abort();
	}
	if (tally_add(t, &bc))
		abort();
}

static json_t *fx_count(const struct scrutin *s, const char *ballots, uint64_t *n)
{
	struct tally *t = NULL;
	struct count_results *r = NULL;
	json_t *o = NULL;
	char *buf = strdup(ballots), *p = buf, *tok, *text = NULL;
	size_t len = 0;

	if (tally_new(s, &t))
		abort();
	while ((tok = fx_next(&p, ' '))) {
		char *star = strchr(tok, '*');
		unsigned k = star ? (unsigned)strtoul(tok, NULL, 10) : 1;

		for (unsigned i = 0; i < k; i++)
			fx_ballot(s, star ? star + 1 : tok, t);
		*n += k;
	}
	free(buf);
	if (count_compute(s, t, &r) || count_results_text(r, &text, &len) ||
	    !(o = json_loadb(text, len, 0, NULL)))
		abort();
	free(text);
	count_results_free(r);
	tally_free(t);
	return o;
}

/* ---- record, results, signatures -------------------------------------------- */

/* A record of m cards (3, or 9: the most a record holds). */
static void fx_record(struct fx *f, unsigned m)
{
	static const char *const who[9][3] = { { "président", "Marchand", "Yves" },
					       { "assesseure", "Dupuis", "Aurélie" },
					       { "assesseur", "Lœwy", "Noël" },
					       { "assesseure", "Bézier", "Élodie" },
					       { "assesseur", "Ferrand", "Gaëtan" },
					       { "assesseure", "Hébert", "Inès" },
					       { "assesseur", "Jourdain", "Jérémie" },
					       { "assesseure", "Lécuyer", "Maëlle" },
					       { "secrétaire", "Ngô", "Océane" } };
	struct record *r = &f->rec;

	memset(r, 0, sizeof(*r));
	memcpy(r->election_id, f->e->id, 32);
	snprintf(r->election_title, sizeof(r->election_title), "%s", f->e->title);
	r->pub.t = 2;
	r->pub.m = m;
	for (unsigned i = 0; i < sizeof(r->pub.pk); i++)
		r->pub.pk[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < m; i++) {
		struct record_card *c = &r->cards[i];
		static const uint8_t aid[16] = { 0xd2, 0x76, 0x00, 0x01, 0x24, 0x01, 0x03, 0x04,
						 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

		c->index = i + 1;
		snprintf(c->member.role, sizeof(c->member.role), "%s", who[i][0]);
		snprintf(c->member.last_name, sizeof(c->member.last_name), "%s", who[i][1]);
		snprintf(c->member.first_name, sizeof(c->member.first_name), "%s", who[i][2]);
		memcpy(c->aid, aid, 16);
		c->aid[13] = (uint8_t)(0x41 + i);
		c->aid[12] = 0x17;
		memset(f->priv[i], 0x11 * (i + 1), 32);
		if (sig_public(f->priv[i], c->sign_pub))
			abort();
		memset(c->entropy_hash, 0xa0 + i, 32);
	}
	memset(r->platform_pub, 0x04, sizeof(r->platform_pub));
	snprintf(r->created, sizeof(r->created), "2026-11-25T12:21:39Z");
	memset(r->journal_head, 0x5a, 32);
	memset(r->firmware_hash, 0xf0, 32);
	snprintf(r->crypto_library, sizeof(r->crypto_library), "Mbed TLS 3.6.6");
	r->hwrng_used = 1;
}

static char *fx_dump(json_t *root, size_t *len)
{
	char *t = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t n = strlen(t);

	t = realloc(t, n + 2);
	t[n] = '\n';
	t[n + 1] = '\0';
	*len = n + 1;
	return t;
}

static void fx_hex(const uint8_t *b, char out[65])
{
	hex_encode(b, 32, out);
}

/* The results file as `sceau count` writes it, and the inputs around it. */
static void fx_results(struct fx *f, json_t *scrutins, uint64_t n_ballots, json_t *irreg)
{
	char u[65], m[65], d[65], rec[65], eid[65];
	uint8_t rech[32];
	json_t *root;

	memset(f->in.urn_sha256, 0x75, 32);
	memset(f->in.emargement_sha256, 0x6d, 32);
	memset(f->in.shuffles_sha256, 0x78, 32);
	memset(f->in.decrypted_sha256, 0x64, 32);
	memset(f->in.journal_head, 0x6a, 32);
	memset(f->in.firmware_sha256, 0x66, 32);
	memset(rech, 0x72, 32);
	fx_hex(f->in.urn_sha256, u);
	fx_hex(f->in.emargement_sha256, m);
	fx_hex(f->in.decrypted_sha256, d);
	fx_hex(rech, rec);
	fx_hex(f->e->id, eid);
	root = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:I, s:s}, s:o, s:o}", "format",
			 "sceau-results/1", "election_id", eid, "inputs", "record_sha256", rec,
			 "urn_sha256", u, "emargement_sha256", m, "decrypted_ballots", "file",
			 "ballots-decrypted.bin", "count", (json_int_t)n_ballots, "sha256", d,
			 "irregularities", irreg, "scrutins", scrutins);
	f->results = fx_dump(root, &f->len);
	json_decref(root);
}

/* Cards present sign hash_tagged("sceau/sign/results/v1", results). */
static void fx_sign(struct fx *f, unsigned n, const unsigned *cards)
{
	struct hash_part part = { f->results, f->len };
	uint8_t digest[32];

	if (hash_tagged("sceau/sign/results/v1", &part, 1, digest))
		abort();
	f->in.n_sigs = n;
	for (unsigned i = 0; i < n; i++) {
		f->in.sigs[i].card = cards[i];
		if (sig_sign(f->priv[cards[i] - 1], digest, f->in.sigs[i].sig))
			abort();
	}
}

/* The record (m cards) and the inputs; cards 1 and 3 sign, or all nine. */
static void fx_inputs(struct fx *f, unsigned m)
{
	static const unsigned cards[9] = { 1, 3, 4, 5, 6, 7, 8, 9 };
	static const unsigned all[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	fx_record(f, m);
	f->in.e = f->e;
	f->in.rec = &f->rec;
	f->in.results_json = (const uint8_t *)f->results;
	f->in.results_len = f->len;
	if (hash_sha256(f->results, f->len, f->in.results_sha256))
		abort();
	if (m == 9)
		fx_sign(f, 9, all);
	else
		fx_sign(f, 2, cards);
}

static void fx_small_make(struct fx *f)
{
	json_t *defs = json_array(), *res = json_array();
	uint64_t n = 0;
	unsigned ns = sizeof(fx_small) / sizeof(fx_small[0]);

	memset(f, 0, sizeof(*f));
	for (unsigned i = 0; i < ns; i++)
		json_array_append_new(defs, fx_scrutin_json(&fx_small[i], i + 1));
	f->e = fx_election(defs);
	for (unsigned i = 0; i < ns; i++)
		json_array_append_new(res, fx_count(&f->e->scrutins[i], fx_small[i].ballots, &n));
	fx_results(f, res, n,
		   json_pack("[{s:i, s:s, s:s}]", "scrutin", 1, "kind", "ballots-vs-emargement",
			     "detail", "urn=48 emargement=47"));
	fx_inputs(f, 3);
}

/* 20 lists of 40 candidates: "Nom07-12" / "Prénom12", F and M alternating. */
static void fx_big_make(struct fx *f)
{
	json_t *lists = json_array(), *defs, *res = json_array();
	char *ballots = NULL;
	size_t blen = 0;
	FILE *bf = open_memstream(&ballots, &blen);
	uint64_t n = 0;

	memset(f, 0, sizeof(*f));
	for (unsigned l = 1; l <= 20; l++) {
		json_t *c = json_array();

		for (unsigned k = 1; k <= 40; k++) {
			char last[32], first[32], birth[16];

			snprintf(last, sizeof(last), "Nom%02u-%02u", l, k);
			snprintf(first, sizeof(first), "Prénom%02u", k);
			snprintf(birth, sizeof(birth), "19%02u-%02u-%02u", 50 + k, 1 + l % 12,
				 1 + k % 28);
			json_array_append_new(c, json_pack("{s:s, s:s, s:s, s:s}", "last_name",
							   last, "first_name", first, "sex",
							   k % 2 ? "F" : "M", "birth_date", birth));
		}
		{
			char name[64], un[32];

			snprintf(name, sizeof(name), "Liste n°%u de l'union « U%u »", l, l);
			snprintf(un, sizeof(un), "Union %u", l);
			json_array_append_new(lists, json_pack("{s:i, s:s, s:[{s:s}], s:o}", "number",
							       l, "name", name, "unions", "name",
							       un, "candidates", c));
		}
		fprintf(bf, "%u*L%u %u*L%ux%u ", 90 + 13 * l, l, l, l, 1 + l % 40);
	}
	fprintf(bf, "7*B");
	fclose(bf);
	defs = json_pack("[{s:i, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:o}]", "id", 1,
			 "college", "Collège unique", "body", "titulaires", "round", 1,
			 "seats", 30, "inscrits", 9000, "share_women", "0.5", "share_men",
			 "0.5", "opens", "2026-12-01T08:00+01:00", "closes",
			 "2026-12-08T17:00+01:00", "lists", lists);
	f->e = fx_election(defs);
	json_array_append_new(res, fx_count(&f->e->scrutins[0], ballots, &n));
	free(ballots);
	fx_results(f, res, n, json_array());
	fx_inputs(f, 3);
}

static void fx_free(struct fx *f)
{
	election_free(f->e);
	free(f->results);
	memset(f, 0, sizeof(*f));
}

#endif
