/*
 * The election definition parser (format/election.c): the demo definition that
 * sceau-prepare makes from the HR example files, then one row per way a
 * definition can be malformed, each naming the field the operator must fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/election.h"
#include "lib/err.h"
#include "json_mutate.h"

#define DEMO "tests/data/demo-election.json"
/* sha256sum tests/data/demo-election.json */
#define DEMO_ID "30322ad13b383b673ba51927ec60fba0dde3b0314dfbbbd65f1d5530d7d83bb1"

static char *demo;       /* the demo file's text */
static size_t demo_len;

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int parse_text(const char *text, struct election **e)
{
	err_clear();
	return election_parse((const uint8_t *)text, strlen(text), e);
}

/* Parses a document; fails the test unless it gives err with detail. */
static void expect_reject(const char *text, int err, const char *detail)
{
	struct election *e = (struct election *)1;
	int ret = parse_text(text, &e);

	if (ret != err || !strstr(err_last_detail(), detail))
		fail_msg("got %d \"%s\"; expected %d with \"%s\"", ret,
			 err_last_detail(), err, detail);
	assert_null(e);
}

static struct election *expect_accept(const char *text)
{
	struct election *e = NULL;
	int ret = parse_text(text, &e);

	if (ret)
		fail_msg("rejected (%d): %s", ret, err_last_detail());
	assert_non_null(e);
	return e;
}

/* ---- the demo definition ---------------------------------------------- */

static void demo_parses_with_the_right_counts(void **state)
{
	struct election *e = NULL;
	const struct scrutin *s;
	const struct elist *l;
	char path[4200];
	const char *top = getenv("SCEAU_TOP");

	snprintf(path, sizeof(path), "%s/" DEMO, top && *top ? top : ".");
	assert_int_equal(election_load(path, &e), 0);
	assert_string_equal(e->establishment, "Transports Arvelle SAS - site de Rueil");
	assert_string_equal(e->siret, "81234567800019");
	assert_string_equal(e->title, "Élections du comité social et économique 2026");
	assert_int_equal(e->n_scrutins, 4);
	s = election_scrutin(e, 1);
	assert_ptr_equal(s, &e->scrutins[0]);
	assert_int_equal(s->id, 1);
	assert_string_equal(s->college, "1 - Ouvriers et employés");
	assert_int_equal(s->body, BODY_TITULAIRES);
	assert_int_equal(s->round, 1);
	assert_int_equal(s->seats, 6);
	assert_int_equal(s->inscrits, 412);
	assert_int_equal(s->share_women.num, 38);
	assert_int_equal(s->share_women.den, 100);
	assert_int_equal(s->share_men.num, 62);
	assert_int_equal(s->share_men.den, 100);
	assert_string_equal(s->opens, "2026-12-01T08:00+01:00");
	assert_string_equal(s->closes, "2026-12-08T17:00+01:00");
	assert_int_equal(s->n_lists, 3);
	assert_int_equal(s->max_candidates, 6);
	assert_int_equal(s->pt_len, 4);
	l = &s->lists[0];
	assert_int_equal(l->number, 1);
	assert_string_equal(l->name, "Liste CGT-FO");
	assert_int_equal(l->n_candidates, 6);
	assert_string_equal(l->candidates[0].last_name, "Lefèvre");
	assert_string_equal(l->candidates[0].first_name, "Hélène");
	assert_int_equal(l->candidates[0].sex, 'F');
	assert_string_equal(l->candidates[0].birth_date, "1975-03-14");
	assert_string_equal(l->candidates[5].last_name, "Œuvray");
	assert_int_equal(l->candidates[5].sex, 'M');
	assert_int_equal(l->n_unions, 1);
	assert_string_equal(l->unions[0].name, "FO");
	assert_int_equal(l->split_declared, 0);
	assert_int_equal(l->unions[0].share.num, 1);
	assert_int_equal(l->unions[0].share.den, 1);
	assert_int_equal(s->lists[1].n_candidates, 4);
	election_free(e);
}

static void joint_list_split_is_exact(void **state)
{
	struct election *e = expect_accept(demo);
	const struct elist *l = &e->scrutins[0].lists[2];

	assert_string_equal(l->name, "Liste commune CGT - Solidaires");
	assert_int_equal(l->number, 3);
	assert_int_equal(l->split_declared, 1);
	assert_int_equal(l->n_unions, 2);
	assert_string_equal(l->unions[0].name, "CGT");
	assert_int_equal(l->unions[0].share.num, 6);
	assert_int_equal(l->unions[0].share.den, 10);
	assert_string_equal(l->unions[1].name, "Solidaires");
	assert_int_equal(l->unions[1].share.num, 4);
	assert_int_equal(l->unions[1].share.den, 10);
	election_free(e);
}

static void other_scrutins_of_the_demo(void **state)
{
	struct election *e = expect_accept(demo);

	assert_int_equal(e->scrutins[1].body, BODY_SUPPLEANTS);
	assert_string_equal(election_body_name(e->scrutins[1].body), "suppléants");
	assert_string_equal(election_body_name(BODY_TITULAIRES), "titulaires");
	assert_int_equal(e->scrutins[1].n_lists, 3);
	assert_int_equal(e->scrutins[1].max_candidates, 3);
	assert_string_equal(e->scrutins[2].college, "2 - Cadres et agents de maîtrise");
	assert_int_equal(e->scrutins[2].seats, 3);
	assert_int_equal(e->scrutins[2].inscrits, 187);
	assert_int_equal(e->scrutins[2].share_women.num, 47);
	assert_int_equal(e->scrutins[3].n_lists, 2);
	assert_int_equal(e->scrutins[3].lists[1].n_candidates, 1);
	assert_int_equal(e->scrutins[3].pt_len, 4);
	assert_null(election_scrutin(e, 0));
	assert_non_null(election_scrutin(e, 4));
	assert_null(election_scrutin(e, 5));
	election_free(e);
}

/* election_id = SHA-256 of the exact bytes (docs/DESIGN.md), not of the content. */
static void election_id_is_sha256_of_the_bytes(void **state)
{
	struct election *e = expect_accept(demo), *e2;
	char h[65], *spaced;

	hex(e->id, 32, h);
	assert_string_equal(h, DEMO_ID);
	spaced = jm_replace(demo, "\"title\"", " \"title\"");
	assert_non_null(spaced);
	e2 = expect_accept(spaced);
	assert_memory_not_equal(e->id, e2->id, 32);
	election_free(e);
	election_free(e2);
	free(spaced);
}

/* ---- optional shares, times, defaults --------------------------------- */

static struct election *mutated(const char *path, const char *value)
{
	json_t *doc = jm_load(demo);
	struct election *e;
	char *text;

	assert_non_null(doc);
	assert_int_equal(jm_set(doc, path, value), 0);
	text = jm_dump(doc);
	e = expect_accept(text);
	free(text);
	json_decref(doc);
	return e;
}

static void undeclared_split_is_equal(void **state)
{
	struct election *e = mutated("scrutins[0].lists[2].unions",
				     "[{\"name\": \"CGT\"}, {\"name\": \"SUD\"},"
				     " {\"name\": \"FSU\"}]");
	const struct elist *l = &e->scrutins[0].lists[2];

	assert_int_equal(l->split_declared, 0);
	assert_int_equal(l->n_unions, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(l->unions[i].share.num, 1);
		assert_int_equal(l->unions[i].share.den, 3);
	}
	election_free(e);
}

static void single_union_may_declare_share_one(void **state)
{
	struct election *e = mutated("scrutins[0].lists[0].unions[0].share", "\"1\"");

	assert_int_equal(e->scrutins[0].lists[0].split_declared, 1);
	assert_int_equal(e->scrutins[0].lists[0].unions[0].share.num, 1);
	assert_int_equal(e->scrutins[0].lists[0].unions[0].share.den, 1);
	election_free(e);
}

static void times_with_seconds_and_z_accepted(void **state)
{
	struct election *e = mutated("scrutins[0].closes", "\"2026-12-01T07:00:01Z\"");

	assert_string_equal(e->scrutins[0].closes, "2026-12-01T07:00:01Z");
	election_free(e);
}

static void leap_day_birth_date_accepted(void **state)
{
	struct election *e = mutated("scrutins[0].lists[0].candidates[0].birth_date",
				     "\"2000-02-29\"");

	assert_string_equal(e->scrutins[0].lists[0].candidates[0].birth_date,
			    "2000-02-29");
	election_free(e);
}

/* ---- malformed definitions, one field each ----------------------------- */

struct bad_row {
	const char *title;
	const char *path;    /* field to set (value: JSON text) or delete */
	const char *value;
	const char *find;    /* or: replace text find by value in the file */
	int err;
	const char *detail;  /* expected in err_last_detail() */
};

#define SET(t, p, v, e, d) { t, p, v, NULL, e, d }
#define DEL(t, p, e, d) { t, p, NULL, NULL, e, d }
#define TXT(t, f, r, e, d) { t, NULL, r, f, e, d }
#define C0 "scrutins[0]"
#define L2 "scrutins[0].lists[2]"
#define CAND "scrutins[1].lists[0].candidates[2]"

static const struct bad_row bad_rows[] = {
	SET("format_of_another_version", "format", "\"sceau-election/2\"",
	    ERR_FORMAT, "format: expected \"sceau-election/1\""),
	DEL("format_missing", "format", ERR_FORMAT, "format: missing"),
	SET("unknown_top_level_key", "comment", "\"x\"", ERR_FORMAT,
	    "comment: unknown key"),
	SET("unknown_candidate_key", CAND ".email", "\"a@b.fr\"", ERR_FORMAT,
	    CAND ".email: unknown key"),
	SET("establishment_not_an_object", "establishment", "\"Arvelle\"",
	    ERR_FORMAT, "establishment: expected an object"),
	SET("siret_of_13_digits", "establishment.siret", "\"8123456780001\"",
	    ERR_FORMAT, "establishment.siret: expected 14 digits"),
	SET("siret_with_a_space", "establishment.siret", "\"812 345 678 00019\"",
	    ERR_FORMAT, "establishment.siret"),
	DEL("establishment_name_missing", "establishment.name", ERR_FORMAT,
	    "establishment.name: missing"),
	SET("title_empty", "title", "\"\"", ERR_FORMAT, "title: empty"),
	SET("title_with_control_character", "title", "\"a\\u0007b\"", ERR_FORMAT,
	    "title: invalid UTF-8, control"),
	SET("title_with_newline", "title", "\"a\\nb\"", ERR_FORMAT, "title: invalid"),
	SET("title_with_bidi_override", "title", "\"a\\u202eb\"", ERR_FORMAT,
	    "title: invalid"),
	SET("title_with_trailing_space", "title", "\"Élections \"", ERR_FORMAT,
	    "title: leading or trailing space"),
	SET("title_not_a_string", "title", "42", ERR_FORMAT,
	    "title: expected a string, got an integer"),
	SET("scrutins_empty", "scrutins", "[]", ERR_RANGE, "scrutins: 0 elements"),
	SET("scrutins_not_an_array", "scrutins", "{}", ERR_FORMAT,
	    "scrutins: expected an array"),
	SET("scrutin_not_an_object", "scrutins[2]", "3", ERR_FORMAT,
	    "scrutins[2]: expected an object"),
	SET("scrutin_id_not_its_position", "scrutins[1].id", "3", ERR_FORMAT,
	    "scrutins[1].id: 3, expected 2"),
	SET("scrutin_id_a_real", "scrutins[1].id", "2.0", ERR_FORMAT,
	    "scrutins[1].id: expected an integer, got a real"),
	SET("scrutin_id_a_string", "scrutins[1].id", "\"2\"", ERR_FORMAT,
	    "scrutins[1].id: expected an integer"),
	SET("scrutin_id_zero", "scrutins[0].id", "0", ERR_RANGE,
	    "scrutins[0].id: out of range"),
	SET("body_capitalised", C0 ".body", "\"Titulaires\"", ERR_FORMAT,
	    C0 ".body: expected \"titulaires\" or \"suppléants\""),
	SET("body_without_accent", "scrutins[1].body", "\"suppleants\"", ERR_FORMAT,
	    "scrutins[1].body"),
	SET("round_3", C0 ".round", "3", ERR_RANGE, C0 ".round: out of range"),
	SET("round_0", C0 ".round", "0", ERR_RANGE, C0 ".round"),
	SET("seats_0", C0 ".seats", "0", ERR_RANGE, C0 ".seats"),
	SET("seats_negative", C0 ".seats", "-1", ERR_RANGE, C0 ".seats"),
	SET("seats_above_bound", C0 ".seats", "1001", ERR_RANGE, C0 ".seats"),
	SET("inscrits_0", C0 ".inscrits", "0", ERR_RANGE, C0 ".inscrits"),
	SET("inscrits_above_bound", C0 ".inscrits", "10000001", ERR_RANGE,
	    C0 ".inscrits"),
	SET("inscrits_a_real", C0 ".inscrits", "412.0", ERR_FORMAT,
	    C0 ".inscrits: expected an integer"),
	TXT("inscrits_beyond_64_bits", "\"inscrits\": 412",
	    "\"inscrits\": 99999999999999999999", ERR_FORMAT, "too big integer"),
	DEL("inscrits_missing", "scrutins[3].inscrits", ERR_FORMAT,
	    "scrutins[3].inscrits: missing"),
	SET("share_a_json_number", C0 ".share_women", "0.38", ERR_FORMAT,
	    C0 ".share_women: expected a string"),
	SET("share_with_decimal_comma", C0 ".share_women", "\"0,38\"", ERR_FORMAT,
	    C0 ".share_women: not an exact decimal"),
	SET("share_without_leading_zero", C0 ".share_women", "\".38\"", ERR_FORMAT,
	    C0 ".share_women"),
	SET("share_above_1", C0 ".share_women", "\"1.5\"", ERR_RANGE,
	    C0 ".share_women"),
	SET("share_with_10_decimals", C0 ".share_women", "\"0.3800000000\"",
	    ERR_RANGE, C0 ".share_women"),
	SET("share_as_percentage", C0 ".share_women", "\"38%\"", ERR_FORMAT,
	    C0 ".share_women"),
	SET("sex_shares_sum_to_0_99", C0 ".share_men", "\"0.61\"", ERR_FORMAT,
	    C0 ".share_men: share_women + share_men must be exactly 1"),
	SET("opens_without_offset", C0 ".opens", "\"2026-12-01T08:00\"", ERR_FORMAT,
	    C0 ".opens: not a valid date and time"),
	SET("opens_at_hour_24", C0 ".opens", "\"2026-12-01T24:00+01:00\"",
	    ERR_FORMAT, C0 ".opens"),
	SET("opens_on_31_november", C0 ".opens", "\"2026-11-31T08:00+01:00\"",
	    ERR_FORMAT, C0 ".opens"),
	SET("closes_before_opens", C0 ".closes", "\"2026-11-30T17:00+01:00\"",
	    ERR_FORMAT, C0 ".closes: not after opens"),
	SET("closes_same_instant_other_offset", C0 ".closes",
	    "\"2026-12-01T07:00Z\"", ERR_FORMAT, C0 ".closes: not after opens"),
	SET("same_college_and_body_twice", "scrutins[1].body", "\"titulaires\"",
	    ERR_FORMAT, "scrutins[1]: same college and body as scrutins[0]"),
	SET("lists_empty", "scrutins[3].lists", "[]", ERR_RANGE,
	    "scrutins[3].lists: 0 elements"),
	SET("list_number_not_its_position", L2 ".number", "2", ERR_FORMAT,
	    L2 ".number: 2, expected 3"),
	SET("list_name_twice_in_a_scrutin", L2 ".name", "\"Liste CGT-FO\"",
	    ERR_FORMAT, L2 ".name: same list name as lists[0]"),
	SET("unions_empty", L2 ".unions", "[]", ERR_RANGE, L2 ".unions: 0 elements"),
	DEL("union_share_missing_on_one_union", L2 ".unions[1].share", ERR_FORMAT,
	    L2 ".unions: 1 of 2 unions declare a share"),
	SET("union_shares_sum_to_0_9", L2 ".unions[1].share", "\"0.3\"", ERR_FORMAT,
	    L2 ".unions: the shares sum to 0.900000000, not 1"),
	SET("union_share_zero", "scrutins[0].lists[0].unions[0].share", "\"0\"",
	    ERR_RANGE, "scrutins[0].lists[0].unions[0].share: a declared share"),
	SET("union_name_twice_in_a_list", L2 ".unions[1].name", "\"CGT\"",
	    ERR_FORMAT, L2 ".unions[1].name: same union as unions[0]"),
	SET("union_unknown_key", L2 ".unions[0].percent", "60", ERR_FORMAT,
	    L2 ".unions[0].percent: unknown key"),
	SET("candidates_empty", L2 ".candidates", "[]", ERR_RANGE,
	    L2 ".candidates: 0 elements"),
	SET("candidate_sex_x", CAND ".sex", "\"X\"", ERR_FORMAT,
	    CAND ".sex: expected \"F\" or \"M\""),
	SET("candidate_sex_lower_case", CAND ".sex", "\"f\"", ERR_FORMAT, CAND ".sex"),
	SET("birth_date_30_february", CAND ".birth_date", "\"2026-02-30\"",
	    ERR_FORMAT, CAND ".birth_date: not a valid date YYYY-MM-DD (2026-02-30)"),
	SET("birth_date_29_february_not_leap", CAND ".birth_date", "\"1977-02-29\"",
	    ERR_FORMAT, CAND ".birth_date: not a valid date"),
	SET("birth_date_29_february_1900", CAND ".birth_date", "\"1900-02-29\"",
	    ERR_FORMAT, CAND ".birth_date: not a valid date"),
	SET("birth_date_without_zero_padding", CAND ".birth_date", "\"1977-4-22\"",
	    ERR_FORMAT, CAND ".birth_date"),
	SET("birth_date_french_order", CAND ".birth_date", "\"22/04/1977\"",
	    ERR_FORMAT, CAND ".birth_date"),
	DEL("candidate_first_name_missing", CAND ".first_name", ERR_FORMAT,
	    CAND ".first_name: missing"),
	SET("candidate_last_name_null", CAND ".last_name", "null", ERR_FORMAT,
	    CAND ".last_name: expected a string, got null"),
	SET("same_candidate_twice_in_a_list", "scrutins[0].lists[1].candidates[3]",
	    "{\"last_name\": \"Martin\", \"first_name\": \"Kévin\", \"sex\": \"M\","
	    " \"birth_date\": \"1987-04-04\"}", ERR_FORMAT,
	    "scrutins[0].lists[1].candidates[3]: same person as candidates[0]"),
	TXT("duplicate_key", "\"round\": 1,", "\"round\": 1, \"round\": 2,",
	    ERR_FORMAT, "duplicate object key"),
	TXT("latin1_instead_of_utf8", "Lef\xc3\xa8vre", "Lef\xe8vre", ERR_FORMAT,
	    "(document): line"),
	TXT("nul_escape_in_text", "Lefèvre", "Lef\\u0000vre", ERR_FORMAT,
	    "(document): line"),
	TXT("trailing_garbage", "\n}", "\n}\n}", ERR_FORMAT, "end of file expected"),
	TXT("truncated_file", "\"scrutins\"", "", ERR_FORMAT, "(document)"),
};

static char *bad_text(const struct bad_row *r)
{
	json_t *doc;
	char *text;

	if (r->find)
		return jm_replace(demo, r->find, r->value);
	doc = jm_load(demo);
	if (!doc || jm_set(doc, r->path, r->value)) {
		json_decref(doc);
		return NULL;
	}
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void run_bad_row(void **state)
{
	const struct bad_row *r = *state;
	char *text = bad_text(r);

	if (!text)
		fail_msg("%s: the mutation does not apply to the demo file", r->title);
	if (r->find && strcmp(r->title, "truncated_file") == 0)
		text[strlen(text) / 2] = '\0';
	expect_reject(text, r->err, r->detail);
	free(text);
}

/* ---- bounds ------------------------------------------------------------ */

/* The demo with list 1 of scrutin 1 holding n candidates. */
static char *with_candidates(unsigned n)
{
	json_t *doc = jm_load(demo), *arr = json_array();
	char *text;

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}",
			"last_name", "Durand", "first_name", "Camille", "sex",
			i % 2 ? "M" : "F", "birth_date", "1980-01-01"));
	for (unsigned i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "Durand-%03u", i + 1);
		json_object_set_new(json_array_get(arr, i), "last_name",
				    json_string(name));
	}
	json_object_set_new(jm_get(doc, "scrutins[0].lists[0]"), "candidates", arr);
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void candidates_128_accepted_129_rejected(void **state)
{
	char *t128 = with_candidates(128), *t129 = with_candidates(129);
	struct election *e = expect_accept(t128);

	assert_int_equal(e->scrutins[0].lists[0].n_candidates, 128);
	assert_string_equal(e->scrutins[0].lists[0].candidates[127].last_name,
			    "Durand-128");
	assert_int_equal(e->scrutins[0].max_candidates, 128);
	assert_int_equal(e->scrutins[0].pt_len, 3 + 16);
	expect_reject(t129, ERR_RANGE,
		      "scrutins[0].lists[0].candidates: 129 elements, expected 1..128");
	election_free(e);
	free(t128);
	free(t129);
}

static void pt_len_rounds_up(void **state)
{
	char *t = with_candidates(9);
	struct election *e = expect_accept(t);

	assert_int_equal(e->scrutins[0].pt_len, 3 + 2);
	election_free(e);
	free(t);
}

/* The demo with scrutin 4 holding n lists. */
static char *with_lists(unsigned n)
{
	json_t *doc = jm_load(demo), *lists, *model;
	char *text;

	lists = jm_get(doc, "scrutins[3].lists");
	model = json_deep_copy(json_array_get(lists, 0));
	json_array_clear(lists);
	for (unsigned i = 0; i < n; i++) {
		json_t *l = json_deep_copy(model);
		char name[32];

		snprintf(name, sizeof(name), "Liste %u", i + 1);
		json_object_set_new(l, "number", json_integer(i + 1));
		json_object_set_new(l, "name", json_string(name));
		json_array_append_new(lists, l);
	}
	json_decref(model);
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void lists_64_accepted_65_rejected(void **state)
{
	char *t64 = with_lists(64), *t65 = with_lists(65);
	struct election *e = expect_accept(t64);

	assert_int_equal(e->scrutins[3].n_lists, 64);
	assert_int_equal(e->scrutins[3].lists[63].number, 64);
	expect_reject(t65, ERR_RANGE, "scrutins[3].lists: 65 elements, expected 1..64");
	election_free(e);
	free(t64);
	free(t65);
}

/* The demo with scrutins[0].lists[2] declaring n unions of equal share. */
static char *with_unions(unsigned n, const char *share)
{
	json_t *doc = jm_load(demo), *u = jm_get(doc, L2 ".unions");
	char *text;

	json_array_clear(u);
	for (unsigned i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "U%u", i + 1);
		json_array_append_new(u, json_pack("{s:s, s:s}", "name", name,
						   "share", share));
	}
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void unions_8_accepted_9_rejected(void **state)
{
	char *t8 = with_unions(8, "0.125"), *t9 = with_unions(9, "0.1");
	struct election *e = expect_accept(t8);

	assert_int_equal(e->scrutins[0].lists[2].n_unions, 8);
	assert_int_equal(e->scrutins[0].lists[2].unions[7].share.num, 125);
	assert_int_equal(e->scrutins[0].lists[2].unions[7].share.den, 1000);
	expect_reject(t9, ERR_RANGE, L2 ".unions: 9 elements, expected 1..8");
	election_free(e);
	free(t8);
	free(t9);
}

/* The demo with scrutins cloned from scrutin 1 up to n. */
static char *with_scrutins(unsigned n)
{
	json_t *doc = jm_load(demo), *arr = json_object_get(doc, "scrutins");
	char *text;

	for (unsigned i = json_array_size(arr); i < n; i++) {
		json_t *s = json_deep_copy(json_array_get(arr, 0));
		char college[32];

		snprintf(college, sizeof(college), "Collège %u", i + 1);
		json_object_set_new(s, "id", json_integer(i + 1));
		json_object_set_new(s, "college", json_string(college));
		json_array_append_new(arr, s);
	}
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void scrutins_64_accepted_65_rejected(void **state)
{
	char *t64 = with_scrutins(64), *t65 = with_scrutins(65);
	struct election *e = expect_accept(t64);

	assert_int_equal(e->n_scrutins, 64);
	assert_int_equal(election_scrutin(e, 64)->id, 64);
	expect_reject(t65, ERR_RANGE, "scrutins: 65 elements, expected 1..64");
	election_free(e);
	free(t64);
	free(t65);
}

/* A text of n bytes made of unit repeated (unit may be multi-byte). */
static char *with_title(const char *unit, unsigned reps, const char *tail)
{
	json_t *doc = jm_load(demo);
	size_t u = strlen(unit), t = strlen(tail);
	char *title = malloc(u * reps + t + 1), *text;

	for (unsigned i = 0; i < reps; i++)
		memcpy(title + i * u, unit, u);
	memcpy(title + u * reps, tail, t + 1);
	json_object_set_new(doc, "title", json_string(title));
	text = jm_dump(doc);
	free(title);
	json_decref(doc);
	return text;
}

static void text_of_200_bytes_accepted_201_rejected(void **state)
{
	char *a200 = with_title("a", 200, ""), *a201 = with_title("a", 201, "");
	char *e200 = with_title("é", 100, ""), *e201 = with_title("é", 100, "a");
	struct election *e = expect_accept(a200), *e2 = expect_accept(e200);

	assert_int_equal(strlen(e->title), 200);
	assert_int_equal(strlen(e2->title), 200);
	expect_reject(a201, ERR_RANGE, "title: text too long (201 bytes, at most 200)");
	expect_reject(e201, ERR_RANGE, "title: text too long (201 bytes");
	election_free(e);
	election_free(e2);
	free(a200);
	free(a201);
	free(e200);
	free(e201);
}

static void file_size_bound(void **state)
{
	char *big = malloc(ELECTION_FILE_MAX + 2);
	struct election *e = NULL;

	assert_non_null(big);
	memset(big, ' ', ELECTION_FILE_MAX + 1);
	memcpy(big, demo, demo_len);
	assert_int_equal(election_parse((uint8_t *)big, ELECTION_FILE_MAX, &e), 0);
	election_free(e);
	e = NULL;
	assert_int_equal(election_parse((uint8_t *)big, ELECTION_FILE_MAX + 1, &e),
			 ERR_RANGE);
	assert_null(e);
	assert_non_null(strstr(err_last_detail(), "at most 4194304"));
	free(big);
}

static void not_a_definition(void **state)
{
	struct election *e = NULL;

	expect_reject("", ERR_FORMAT, "(document)");
	expect_reject("[]", ERR_FORMAT, "(document): expected a JSON object");
	expect_reject("{}", ERR_FORMAT, "format: missing");
	expect_reject("{\"format\": \"sceau-bureau/1\"}", ERR_FORMAT,
		      "format: expected \"sceau-election/1\", got \"sceau-bureau/1\"");
	assert_int_equal(election_load("/nonexistent/definition.json", &e),
			 ERR_NOTFOUND);
	assert_null(e);
	election_free(NULL);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_parses_with_the_right_counts),
		cmocka_unit_test(joint_list_split_is_exact),
		cmocka_unit_test(other_scrutins_of_the_demo),
		cmocka_unit_test(election_id_is_sha256_of_the_bytes),
		cmocka_unit_test(undeclared_split_is_equal),
		cmocka_unit_test(single_union_may_declare_share_one),
		cmocka_unit_test(times_with_seconds_and_z_accepted),
		cmocka_unit_test(leap_day_birth_date_accepted),
		cmocka_unit_test(candidates_128_accepted_129_rejected),
		cmocka_unit_test(pt_len_rounds_up),
		cmocka_unit_test(lists_64_accepted_65_rejected),
		cmocka_unit_test(unions_8_accepted_9_rejected),
		cmocka_unit_test(scrutins_64_accepted_65_rejected),
		cmocka_unit_test(text_of_200_bytes_accepted_201_rejected),
		cmocka_unit_test(file_size_bound),
		cmocka_unit_test(not_a_definition),
	};

	return jm_main("election", DEMO, &demo, &demo_len, tests, sizeof(tests) / sizeof(tests[0]),
		       bad_rows, sizeof(bad_rows) / sizeof(bad_rows[0]), sizeof(bad_rows[0]),
		       run_bad_row);
}
