/*
 * The results file (format/results.c): a document count/ makes is written
 * and read back to the same document and the same bytes; the demo
 * election's file is read and written back byte for byte; a text in another
 * layout (key order, white space, escapes) is written canonically, but hex
 * in upper case is refused (one spelling of a hash); each mutated field is
 * refused, with a detail that names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/hash.h"
#include "format/results.h"
#include "lib/err.h"
#include "json_mutate.h"
#include "../count/counttest.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO "tests/fuzz/corpus/results/demo.json"
#define SMALL "tests/fuzz/corpus/results/pv-small.json"
#define SMALL_REORDERED "tests/fuzz/corpus/results/pv-small-reordered.json"

/* ---- comparing documents ----------------------------------------------------- */

static void same_frac(const struct results_frac *a, const struct results_frac *b)
{
	assert_int_equal(a->num, b->num);
	assert_int_equal(a->den, b->den);
	assert_string_equal(a->dec, b->dec);
}

static void same_list(const struct results_list *a, const struct results_list *b)
{
	assert_int_equal(a->number, b->number);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->n_unions, b->n_unions);
	for (unsigned u = 0; u < a->n_unions; u++) {
		assert_string_equal(a->unions[u].name, b->unions[u].name);
		same_frac(&a->unions[u].share, &b->unions[u].share);
		assert_int_equal(a->unions[u].has_votes, b->unions[u].has_votes);
		if (a->unions[u].has_votes)
			same_frac(&a->unions[u].votes, &b->unions[u].votes);
	}
	assert_int_equal(a->ballots, b->ballots);
	assert_int_equal(a->candidates_count, b->candidates_count);
	assert_int_equal(a->candidate_votes, b->candidate_votes);
	same_frac(&a->average, &b->average);
	assert_int_equal(a->has_seats, b->has_seats);
	assert_int_equal(a->s_quotient, b->s_quotient);
	assert_int_equal(a->s_average, b->s_average);
	assert_int_equal(a->s_total, b->s_total);
	assert_int_equal(a->s_vacant, b->s_vacant);
	assert_int_equal(a->s_filled, b->s_filled);
	for (uint64_t c = 0; c < a->candidates_count; c++) {
		const struct results_cand *x = &a->cands[c], *y = &b->cands[c];

		assert_string_equal(x->last_name, y->last_name);
		assert_string_equal(x->first_name, y->first_name);
		assert_memory_equal(&x->position, &y->position, sizeof(x->position));
		assert_true(x->rank == y->rank && x->sex == y->sex && x->votes == y->votes &&
			    x->ratures == y->ratures && x->ratures_count == y->ratures_count &&
			    x->elected == y->elected && x->exposed == y->exposed);
	}
	assert_memory_equal(&a->gender, &b->gender, sizeof(a->gender));
}

static void same_scrutin(const struct results_scrutin *a, const struct results_scrutin *b)
{
	assert_true(a->id == b->id && a->round == b->round && a->suppleants == b->suppleants);
	assert_string_equal(a->college, b->college);
	assert_true(a->inscrits == b->inscrits && a->votants == b->votants &&
		    a->blancs == b->blancs && a->blank == b->blank &&
		    a->all_struck == b->all_struck && a->nuls == b->nuls && a->sve == b->sve &&
		    a->seats == b->seats);
	assert_memory_equal(a->by_reason, b->by_reason, sizeof(a->by_reason));
	same_frac(&a->quotient, &b->quotient);
	assert_true(a->quorum == b->quorum && a->second_round == b->second_round &&
		    a->seats_allocated == b->seats_allocated &&
		    a->s_unallocated == b->s_unallocated && a->s_vacant == b->s_vacant &&
		    a->s_undecided == b->s_undecided && a->notices == b->notices);
	assert_int_equal(a->n_lists, b->n_lists);
	for (unsigned l = 0; l < a->n_lists; l++)
		same_list(&a->lists[l], &b->lists[l]);
	assert_int_equal(a->has_audience, b->has_audience);
	assert_int_equal(a->n_audience, b->n_audience);
	for (unsigned i = 0; i < a->n_audience; i++) {
		assert_string_equal(a->audience[i].name, b->audience[i].name);
		same_frac(&a->audience[i].votes, &b->audience[i].votes);
	}
	assert_int_equal(a->has_tie, b->has_tie);
	if (!a->has_tie)
		return;
	assert_true(a->tie.seats == b->tie.seats && a->tie.undecided == b->tie.undecided &&
		    a->tie.decided_by == b->tie.decided_by && a->tie.n_lists == b->tie.n_lists);
	same_frac(&a->tie.average, &b->tie.average);
	for (unsigned k = 0; k < a->tie.n_lists; k++) {
		const struct results_tie_list *x = &a->tie.lists[k], *y = &b->tie.lists[k];

		assert_true(x->number == y->number && x->next == y->next &&
			    x->outcome == y->outcome);
		same_frac(&x->average, &y->average);
		assert_true((x->birth_date == NULL) == (y->birth_date == NULL));
		if (x->birth_date)
			assert_string_equal(x->birth_date, y->birth_date);
	}
}

static void same_results(const struct results *a, const struct results *b)
{
	assert_memory_equal(a->election_id, b->election_id, 32);
	assert_memory_equal(a->record_sha256, b->record_sha256, 32);
	assert_true(a->has_urn == b->has_urn && a->has_emargement == b->has_emargement);
	assert_memory_equal(a->urn, b->urn, 32);
	assert_memory_equal(a->emargement, b->emargement, 32);
	assert_int_equal(a->dec_count, b->dec_count);
	assert_memory_equal(a->dec_sha256, b->dec_sha256, 32);
	assert_int_equal(a->n_irreg, b->n_irreg);
	assert_memory_equal(a->irreg, b->irreg, a->n_irreg * sizeof(*a->irreg));
	assert_int_equal(a->n_scrutins, b->n_scrutins);
	for (unsigned i = 0; i < a->n_scrutins; i++)
		same_scrutin(&a->scrutins[i], &b->scrutins[i]);
}

/* ---- a document count/ makes -------------------------------------------------- */

/* Scrutins covering every branch of the writer: a tie left to the bureau
 * (ties, next candidates, birth dates), no quorum (seats null, a notice),
 * suppléants (no union audience), a one-candidate list (gender null), a
 * second round. */
static const struct ct_spec specs[] = {
	{ .round = 1, .seats = 1, .inscrits = 150,
	  .lists = { "MM 50 0,0 1960-01-01,1961-01-01", "FF 50 0,0 1960-01-01,1962-01-01" } },
	{ .round = 1, .seats = 2, .inscrits = 100, .lists = { "MF 20", "FM 10" } },
	{ .round = 1, .seats = 1, .inscrits = 10, .body = BODY_SUPPLEANTS,
	  .lists = { "FM 9", "M 1" } },
	{ .round = 2, .seats = 3, .inscrits = 100, .blancs = 2, .nuls = 1,
	  .lists = { "FMFM 40 0,5,0,0", "MFF 30" } },
	/* a tie left to the bureau between lists without a candidate left: its
	 * seat is in seats_vacant, in no list's (docs/RULES.md "Seats") */
	{ .round = 1, .seats = 3, .inscrits = 150, .lists = { "M 50", "F 50" } },
};

static void test_write_read_count(void **state)
{
	struct scrutin *sc[ROWS(specs)];
	struct tally *t[ROWS(specs)];
	struct count_results *cr[ROWS(specs)];
	struct results doc, back;
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;

	(void)state;
	memset(&doc, 0, sizeof(doc));
	memset(doc.election_id, 0xe1, 32);
	memset(doc.record_sha256, 0x0c, 32);
	doc.has_urn = 1;
	memset(doc.urn, 0xab, 32);
	doc.dec_count = 42;
	memset(doc.dec_sha256, 0xde, 32);
	doc.n_irreg = 1;
	doc.irreg = calloc(1, sizeof(*doc.irreg));
	results_irreg_ballots(&doc.irreg[0], 2, 48, 47);
	doc.n_scrutins = ROWS(specs);
	doc.scrutins = calloc(ROWS(specs), sizeof(*doc.scrutins));
	for (unsigned i = 0; i < ROWS(specs); i++) {
		cr[i] = ct_count(&specs[i], &sc[i], &t[i]);
		assert_non_null(cr[i]);
		sc[i]->id = i + 1;
		assert_int_equal(count_results_doc(cr[i], &doc.scrutins[i]), 0);
	}
	assert_true(doc.scrutins[0].has_tie && !doc.scrutins[1].seats_allocated &&
		    !doc.scrutins[2].has_audience && !doc.scrutins[2].lists[1].gender.present);
	assert_true(doc.scrutins[4].s_vacant == 1 && doc.scrutins[4].s_undecided == 1 &&
		    doc.scrutins[4].lists[0].s_vacant == 0 && results_tie_vacant(&doc.scrutins[4]) == 1);
	assert_int_equal(results_write(&doc, &text, &len), 0);
	assert_int_equal(text[len - 1], '\n');
	assert_null(strstr(text, "emargement_sha256")); /* absent from the document */
	if (results_read((const uint8_t *)text, len, &back) != 0)
		fail_msg("the writer's text is refused: %s", err_last_detail());
	same_results(&doc, &back);
	assert_int_equal(results_write(&back, &again, &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(again, text, len);
	free(text);
	free(again);
	results_free(&back);
	results_free(&doc);
	for (unsigned i = 0; i < ROWS(specs); i++) {
		count_results_free(cr[i]);
		tally_free(t[i]);
		ct_scrutin_free(sc[i]);
	}
}

/* ---- files ---------------------------------------------------------------------- */

/* The file read, written, and compared with want (or with itself). */
static void round_trip(const char *path, const char *want_path)
{
	size_t len = 0, wlen = 0, olen = 0;
	char *text = jm_read(path, &len), *want = want_path ? jm_read(want_path, &wlen) : NULL;
	char *out = NULL;
	struct results r;

	assert_non_null(text);
	if (!want) {
		want = text;
		wlen = len;
	}
	if (results_read((const uint8_t *)text, len, &r) != 0)
		fail_msg("%s refused: %s", path, err_last_detail());
	assert_int_equal(results_write(&r, &out, &olen), 0);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	results_free(&r);
	free(out);
	if (want != text)
		free(want);
	free(text);
}

static void test_demo_byte_for_byte(void **state)
{
	(void)state;
	round_trip(DEMO, NULL);
	round_trip(SMALL, NULL);
}

static void test_other_layout_written_canonically(void **state)
{
	size_t len = 0;
	char *text = jm_read(SMALL_REORDERED, &len), *h;
	struct results r;

	(void)state;
	round_trip(SMALL_REORDERED, SMALL);
	h = strstr(text, "\"election_id\":\"");
	assert_non_null(h);
	h[15] = 'A'; /* a digit of upper-case hex (lower case 'a' would be read) */
	assert_int_equal(results_read((const uint8_t *)text, len, &r), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "election_id"));
	free(text);
}

/* The hash of a scrutin is that of its canonical text, whatever the layout. */
static void test_scrutin_hash(void **state)
{
	size_t a_len = 0, b_len = 0;
	char *a = jm_read(SMALL, &a_len), *b = jm_read(SMALL_REORDERED, &b_len);
	struct results ra, rb;

	(void)state;
	assert_int_equal(results_read((const uint8_t *)a, a_len, &ra), 0);
	assert_int_equal(results_read((const uint8_t *)b, b_len, &rb), 0);
	for (unsigned i = 0; i < ra.n_scrutins; i++) {
		char *t = NULL;
		size_t n = 0;
		uint8_t h[32];

		assert_int_equal(results_scrutin_text(&ra.scrutins[i], &t, &n), 0);
		assert_int_equal(hash_sha256(t, n, h), 0);
		assert_memory_equal(ra.scrutins[i].sha256, h, 32);
		assert_memory_equal(rb.scrutins[i].sha256, h, 32);
		free(t);
	}
	results_free(&ra);
	results_free(&rb);
	free(a);
	free(b);
}

/* ---- refusals ------------------------------------------------------------------- */

static const struct {
	const char *title, *path, *value; /* value: JSON text, NULL deletes */
	const char *detail;               /* what err_last_detail() starts with */
} mutations[] = {
	{ "unknown key", "x", "1", "x: unknown key" },
	{ "other format", "format", "\"sceau-results/2\"", "format" },
	{ "short election id", "election_id", "\"00\"", "election_id" },
	{ "no record hash", "inputs.record_sha256", NULL, "inputs.record_sha256" },
	{ "decrypted file renamed", "decrypted_ballots.file", "\"b.bin\"",
	  "decrypted_ballots.file" },
	{ "irregularity without detail", "irregularities[0].detail", NULL,
	  "irregularities[0].detail: missing" },
	{ "scrutins out of order", "scrutins[1].scrutin", "3", "scrutins[1].scrutin" },
	{ "votants a real", "scrutins[0].votants", "48.0", "scrutins[0].votants" },
	{ "blancs beyond votants", "scrutins[0].blancs", "1000", "scrutins[0].blancs" },
	{ "nul reasons not adding up", "scrutins[0].nuls_by_reason.duplicate", "9",
	  "scrutins[0].nuls_by_reason" },
	{ "sve not votants - blancs - nuls", "scrutins[0].sve", "1", "scrutins[0].sve" },
	{ "a vacant seat in no list nor tie", "scrutins[0].seats_vacant", "1",
	  "scrutins[0].seats_vacant: differs" },
	{ "quotient not reduced", "scrutins[0].quotient",
	  "{\"num\": 2, \"den\": 2, \"decimal\": \"1.0000\"}",
	  "scrutins[0].quotient: fraction not in lowest terms" },
	{ "decimal rounded down", "scrutins[0].lists[0].average.decimal", "\"0.0000\"",
	  "scrutins[0].lists[0].average.decimal: expected" },
	{ "quorum contradicting the numbers", "scrutins[0].quorum", "\"not-reached\"",
	  "scrutins[0].quorum: contradicts the numbers" },
	{ "a candidate's votes beyond the list's", "scrutins[0].lists[0].candidates[0].votes",
	  "100000", "scrutins[0].lists[0].candidates[0].votes" },
	{ "sex unknown", "scrutins[0].lists[0].candidates[0].sex", "\"X\"",
	  "scrutins[0].lists[0].candidates[0].sex" },
	{ "exposure out of order", "scrutins[0].lists[0].candidates[0].exposed",
	  "[\"position\", \"proportion\"]", "scrutins[0].lists[0].candidates[0].exposed" },
	{ "notice unknown", "scrutins[0].notices[0]", "\"recount\"", "scrutins[0].notices" },
	{ "tie rule unknown", "scrutins[2].ties[0].decided_by", "\"coin\"",
	  "scrutins[2].ties[0].decided_by: unknown value" },
	{ "birth date without a next candidate", "scrutins[2].ties[0].lists[0].next_candidate",
	  "null", "scrutins[2].ties[0].lists[0].birth_date" },
};

static void test_mutations_refused(void **state)
{
	size_t len = 0;
	char *good = jm_read(SMALL, &len);

	(void)state;
	assert_non_null(good);
	for (size_t i = 0; i < ROWS(mutations); i++) {
		json_t *root = jm_load(good);
		char *text;
		struct results r;
		int ret;

		assert_int_equal(jm_set(root, mutations[i].path, mutations[i].value), 0);
		text = jm_dump(root);
		err_clear();
		ret = results_read((const uint8_t *)text, strlen(text), &r);
		if (ret == 0) {
			fail_msg("%s: accepted", mutations[i].title);
		} else if (strncmp(err_last_detail(), mutations[i].detail,
				   strlen(mutations[i].detail)) != 0) {
			fail_msg("%s: detail \"%s\", expected \"%s…\"", mutations[i].title,
				 err_last_detail(), mutations[i].detail);
		} else {
			assert_true(ret == ERR_FORMAT || ret == ERR_RANGE);
		}
		free(text);
		json_decref(root);
	}
	free(good);
}

static void test_irregularity_detail(void **state)
{
	struct results_irreg g;
	uint64_t u = 0, m = 0;

	(void)state;
	results_irreg_ballots(&g, 3, 48, 47);
	assert_string_equal(g.kind, RESULTS_IRREG_BALLOTS);
	assert_string_equal(g.detail, "urn=48 emargement=47");
	assert_int_equal(results_irreg_ballots_parse(&g, &u, &m), 0);
	assert_true(u == 48 && m == 47);
	snprintf(g.detail, sizeof(g.detail), "urn=048 emargement=47");
	assert_int_equal(results_irreg_ballots_parse(&g, &u, &m), ERR_FORMAT);
	snprintf(g.detail, sizeof(g.detail), "urn=-1 emargement=47");
	assert_int_equal(results_irreg_ballots_parse(&g, &u, &m), ERR_FORMAT);
	snprintf(g.detail, sizeof(g.detail), "urn=1 emargement=2 and more");
	assert_int_equal(results_irreg_ballots_parse(&g, &u, &m), ERR_FORMAT);
}

static void test_frac(void **state)
{
	struct results_frac f;

	(void)state;
	assert_int_equal(results_frac_make(574, 12, &f), 0);
	assert_true(f.num == 287 && f.den == 6);
	assert_string_equal(f.dec, "47.8333");
	assert_int_equal(results_frac_make(0, 7, &f), 0);
	assert_true(f.num == 0 && f.den == 1);
	assert_string_equal(f.dec, "0.0000");
	assert_int_equal(results_frac_make(2, 3, &f), 0);
	assert_string_equal(f.dec, "0.6667");
	assert_int_equal(results_frac_make(199999, 20000, &f), 0); /* 9.99995: half up */
	assert_string_equal(f.dec, "10.0000");
	assert_int_equal(results_frac_make(UINT64_MAX, 1, &f), 0);
	assert_string_equal(f.dec, "18446744073709551615.0000");
	assert_int_equal(results_frac_make(UINT64_MAX - 1, UINT64_MAX, &f), 0);
	assert_string_equal(f.dec, "1.0000");
	assert_int_equal(results_frac_make(1, 0, &f), ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read_count),
		cmocka_unit_test(test_demo_byte_for_byte),
		cmocka_unit_test(test_other_layout_written_canonically),
		cmocka_unit_test(test_scrutin_hash),
		cmocka_unit_test(test_mutations_refused),
		cmocka_unit_test(test_irregularity_detail),
		cmocka_unit_test(test_frac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
