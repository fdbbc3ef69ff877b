/*
 * The canonical JSON of one scrutin's results (format/results.c;
 * docs/FORMATS.md "Results (sceau-results/1)"): a small election counted
 * from real plaintexts must give exactly the documented bytes; then the
 * fields the PV reads in the special cases (quorum not reached, round 2
 * without votes, ties, vacant seats, suppléants).
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
#include "count/classify.h"
#include "count/count.h"
#include "counttest.h"

static const char definition[] =
	"{\"format\": \"sceau-election/1\","
	" \"establishment\": {\"name\": \"Atelier Émile\", \"siret\": \"81234567800019\"},"
	" \"title\": \"Élections CSE\","
	" \"scrutins\": [{\"id\": 1, \"college\": \"2 - Cadres\", \"body\": \"titulaires\","
	"  \"round\": 1, \"seats\": 3, \"inscrits\": 20, \"share_women\": \"0.5\","
	"  \"share_men\": \"0.5\", \"opens\": \"2026-12-01T08:00+01:00\","
	"  \"closes\": \"2026-12-08T17:00+01:00\", \"lists\": ["
	"  {\"number\": 1, \"name\": \"Liste A\", \"unions\": [{\"name\": \"CGT\", \"share\": \"0.6\"},"
	"    {\"name\": \"SUD\", \"share\": \"0.4\"}], \"candidates\": ["
	"    {\"last_name\": \"Aubert\", \"first_name\": \"Ana\", \"sex\": \"F\", \"birth_date\": \"1970-01-01\"},"
	"    {\"last_name\": \"Brun\", \"first_name\": \"Bruno\", \"sex\": \"M\", \"birth_date\": \"1980-01-01\"},"
	"    {\"last_name\": \"Côté\", \"first_name\": \"Chloé\", \"sex\": \"F\", \"birth_date\": \"1990-01-01\"}]},"
	"  {\"number\": 2, \"name\": \"Liste B\", \"unions\": [{\"name\": \"CFDT\"}], \"candidates\": ["
	"    {\"last_name\": \"Durand\", \"first_name\": \"Denis\", \"sex\": \"M\", \"birth_date\": \"1975-01-01\"},"
	"    {\"last_name\": \"Éluard\", \"first_name\": \"Emma\", \"sex\": \"F\", \"birth_date\": \"1985-01-01\"}]}"
	"  ]}]}";

/* 7 ballots for A (one striking Bruno), 4 for B (one striking Denis), one
 * blank, one B with both struck, one of version 2, one that did not open. */
static const char *const ballots[] = {
	"01000100", "01000100", "01000100", "01000100", "01000100", "01000100",
	"01000102", "01000200", "01000200", "01000200", "01000201", "01000000",
	"01000203", "02000100", "U",
};

static const char expected[] =
"{\n"
"  \"scrutin\": 1,\n"
"  \"college\": \"2 - Cadres\",\n"
"  \"body\": \"titulaires\",\n"
"  \"round\": 1,\n"
"  \"inscrits\": 20,\n"
"  \"votants\": 15,\n"
"  \"blancs\": 2,\n"
"  \"blancs_by_kind\": {\n"
"    \"blank\": 1,\n"
"    \"all-struck\": 1\n"
"  },\n"
"  \"nuls\": 2,\n"
"  \"nuls_by_reason\": {\n"
"    \"unreadable\": 1,\n"
"    \"wrong-length\": 0,\n"
"    \"bad-version\": 1,\n"
"    \"list-out-of-range\": 0,\n"
"    \"non-zero-padding\": 0,\n"
"    \"bits-beyond-list\": 0,\n"
"    \"duplicate\": 0,\n"
"    \"proof-failed\": 0\n"
"  },\n"
"  \"sve\": 11,\n"
"  \"seats\": 3,\n"
"  \"quotient\": {\n"
"    \"num\": 11,\n"
"    \"den\": 3,\n"
"    \"decimal\": \"3.6667\"\n"
"  },\n"
"  \"quorum\": \"reached\",\n"
"  \"second_round_required\": false,\n"
"  \"seats_allocated\": true,\n"
"  \"seats_unallocated\": 0,\n"
"  \"seats_vacant\": 0,\n"
"  \"seats_undecided\": 0,\n"
"  \"lists\": [\n"
"    {\n"
"      \"number\": 1,\n"
"      \"name\": \"Liste A\",\n"
"      \"unions\": [\n"
"        {\n"
"          \"name\": \"CGT\",\n"
"          \"share\": {\n"
"            \"num\": 3,\n"
"            \"den\": 5,\n"
"            \"decimal\": \"0.6000\"\n"
"          },\n"
"          \"votes\": {\n"
"            \"num\": 21,\n"
"            \"den\": 5,\n"
"            \"decimal\": \"4.2000\"\n"
"          }\n"
"        },\n"
"        {\n"
"          \"name\": \"SUD\",\n"
"          \"share\": {\n"
"            \"num\": 2,\n"
"            \"den\": 5,\n"
"            \"decimal\": \"0.4000\"\n"
"          },\n"
"          \"votes\": {\n"
"            \"num\": 14,\n"
"            \"den\": 5,\n"
"            \"decimal\": \"2.8000\"\n"
"          }\n"
"        }\n"
"      ],\n"
"      \"ballots\": 7,\n"
"      \"candidates_count\": 3,\n"
"      \"candidate_votes\": 20,\n"
"      \"average\": {\n"
"        \"num\": 20,\n"
"        \"den\": 3,\n"
"        \"decimal\": \"6.6667\"\n"
"      },\n"
"      \"seats\": {\n"
"        \"quotient\": 1,\n"
"        \"average\": 1,\n"
"        \"total\": 2,\n"
"        \"vacant\": 0,\n"
"        \"filled\": 2\n"
"      },\n"
"      \"candidates\": [\n"
"        {\n"
"          \"position\": 1,\n"
"          \"last_name\": \"Aubert\",\n"
"          \"first_name\": \"Ana\",\n"
"          \"sex\": \"F\",\n"
"          \"votes\": 7,\n"
"          \"ratures\": 0,\n"
"          \"ratures_count\": false,\n"
"          \"rank\": 1,\n"
"          \"elected\": true,\n"
"          \"exposed\": []\n"
"        },\n"
"        {\n"
"          \"position\": 2,\n"
"          \"last_name\": \"Brun\",\n"
"          \"first_name\": \"Bruno\",\n"
"          \"sex\": \"M\",\n"
"          \"votes\": 6,\n"
"          \"ratures\": 1,\n"
"          \"ratures_count\": true,\n"
"          \"rank\": 3,\n"
"          \"elected\": false,\n"
"          \"exposed\": []\n"
"        },\n"
"        {\n"
"          \"position\": 3,\n"
"          \"last_name\": \"Côté\",\n"
"          \"first_name\": \"Chloé\",\n"
"          \"sex\": \"F\",\n"
"          \"votes\": 7,\n"
"          \"ratures\": 0,\n"
"          \"ratures_count\": false,\n"
"          \"rank\": 2,\n"
"          \"elected\": true,\n"
"          \"exposed\": []\n"
"        }\n"
"      ],\n"
"      \"gender\": {\n"
"        \"women\": 2,\n"
"        \"men\": 1,\n"
"        \"expected_women\": 2,\n"
"        \"expected_men\": 2,\n"
"        \"either_rounding\": true,\n"
"        \"exception\": false,\n"
"        \"exception_first\": false,\n"
"        \"over_represented\": null,\n"
"        \"excess\": 0,\n"
"        \"alternation_breaks\": [],\n"
"        \"conform\": true\n"
"      }\n"
"    },\n"
"    {\n"
"      \"number\": 2,\n"
"      \"name\": \"Liste B\",\n"
"      \"unions\": [\n"
"        {\n"
"          \"name\": \"CFDT\",\n"
"          \"share\": {\n"
"            \"num\": 1,\n"
"            \"den\": 1,\n"
"            \"decimal\": \"1.0000\"\n"
"          },\n"
"          \"votes\": {\n"
"            \"num\": 4,\n"
"            \"den\": 1,\n"
"            \"decimal\": \"4.0000\"\n"
"          }\n"
"        }\n"
"      ],\n"
"      \"ballots\": 4,\n"
"      \"candidates_count\": 2,\n"
"      \"candidate_votes\": 7,\n"
"      \"average\": {\n"
"        \"num\": 7,\n"
"        \"den\": 2,\n"
"        \"decimal\": \"3.5000\"\n"
"      },\n"
"      \"seats\": {\n"
"        \"quotient\": 0,\n"
"        \"average\": 1,\n"
"        \"total\": 1,\n"
"        \"vacant\": 0,\n"
"        \"filled\": 1\n"
"      },\n"
"      \"candidates\": [\n"
"        {\n"
"          \"position\": 1,\n"
"          \"last_name\": \"Durand\",\n"
"          \"first_name\": \"Denis\",\n"
"          \"sex\": \"M\",\n"
"          \"votes\": 3,\n"
"          \"ratures\": 1,\n"
"          \"ratures_count\": true,\n"
"          \"rank\": 2,\n"
"          \"elected\": false,\n"
"          \"exposed\": []\n"
"        },\n"
"        {\n"
"          \"position\": 2,\n"
"          \"last_name\": \"Éluard\",\n"
"          \"first_name\": \"Emma\",\n"
"          \"sex\": \"F\",\n"
"          \"votes\": 4,\n"
"          \"ratures\": 0,\n"
"          \"ratures_count\": false,\n"
"          \"rank\": 1,\n"
"          \"elected\": true,\n"
"          \"exposed\": []\n"
"        }\n"
"      ],\n"
"      \"gender\": {\n"
"        \"women\": 1,\n"
"        \"men\": 1,\n"
"        \"expected_women\": 1,\n"
"        \"expected_men\": 1,\n"
"        \"either_rounding\": false,\n"
"        \"exception\": false,\n"
"        \"exception_first\": false,\n"
"        \"over_represented\": null,\n"
"        \"excess\": 0,\n"
"        \"alternation_breaks\": [],\n"
"        \"conform\": true\n"
"      }\n"
"    }\n"
"  ],\n"
"  \"union_audience\": [\n"
"    {\n"
"      \"name\": \"CGT\",\n"
"      \"votes\": {\n"
"        \"num\": 21,\n"
"        \"den\": 5,\n"
"        \"decimal\": \"4.2000\"\n"
"      }\n"
"    },\n"
"    {\n"
"      \"name\": \"SUD\",\n"
"      \"votes\": {\n"
"        \"num\": 14,\n"
"        \"den\": 5,\n"
"        \"decimal\": \"2.8000\"\n"
"      }\n"
"    },\n"
"    {\n"
"      \"name\": \"CFDT\",\n"
"      \"votes\": {\n"
"        \"num\": 4,\n"
"        \"den\": 1,\n"
"        \"decimal\": \"4.0000\"\n"
"      }\n"
"    }\n"
"  ],\n"
"  \"ties\": [],\n"
"  \"notices\": []\n"
"}\n";

static struct election *parse_definition(void)
{
	struct election *e = NULL;

	assert_int_equal(election_parse((const uint8_t *)definition,
					strlen(definition), &e), 0);
	return e;
}

static struct count_results *count_ballots(const struct scrutin *s,
					   struct tally **t)
{
	struct count_results *r = NULL;

	assert_int_equal(tally_new(s, t), 0);
	for (size_t i = 0; i < sizeof(ballots) / sizeof(ballots[0]); i++) {
		struct ballot_class c;
		uint8_t pt[8];
		size_t n = 0;

		if (strcmp(ballots[i], "U") == 0) {
			assert_int_equal(ballot_nul(BALLOT_NUL_UNREADABLE, &c), 0);
		} else {
			for (const char *p = ballots[i]; p[0] && p[1]; p += 2) {
				char pair[3] = { p[0], p[1], 0 };

				pt[n++] = (uint8_t)strtoul(pair, NULL, 16);
			}
			assert_int_equal(ballot_classify(s, pt, n, &c), 0);
		}
		assert_int_equal(tally_add(*t, &c), 0);
	}
	assert_int_equal(count_compute(s, *t, &r), 0);
	return r;
}

/* docs/FORMATS.md "Results (sceau-results/1)": key order, reduced
 * fractions with 4 decimals rounded half up, non-ASCII unescaped, final
 * newline — the same input always gives the same bytes (docs/RULES.md: the
 * count can be re-run). Every PV number of docs/RULES.md "The PV" is there. */
static void canonical_text_of_a_small_count(void **state)
{
	struct election *e = parse_definition();
	struct tally *t;
	struct count_results *r = count_ballots(&e->scrutins[0], &t);
	char *text;
	size_t len;

	assert_int_equal(count_results_text(r, &text, &len), 0);
	assert_int_equal(len, strlen(text));
	if (strcmp(text, expected)) {
		fprintf(stderr, "%s", text);
		fail_msg("the JSON text differs from the documented one");
	}
	free(text);
	count_results_free(r);
	tally_free(t);
	election_free(e);
}

static json_t *results_of(const struct ct_spec *sp)
{
	struct scrutin *s;
	struct tally *t;
	struct count_results *r = ct_count(sp, &s, &t);
	json_t *o;
	char *text = NULL;
	size_t len = 0;

	assert_non_null(r);
	assert_int_equal(count_results_text(r, &text, &len), 0);
	o = json_loadb(text, len, 0, NULL);
	assert_non_null(o);
	free(text);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
	return o;
}

static const char *notices_of(json_t *o, char *buf, size_t cap)
{
	json_t *v;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(o, "notices"), i, v)
		ct_cat(buf, cap, "%s%s", i ? "," : "", json_string_value(v));
	return buf;
}

/* CT L2314-29: quorum not reached — votes printed, seats null, nobody
 * elected, a second round is required. */
static void quorum_not_reached_in_json(void **state)
{
	struct ct_spec sp = { .round = 1, .seats = 2, .inscrits = 100,
			      .lists = { "MF 20", "FM 10" } };
	json_t *o = results_of(&sp), *l;
	char buf[256];

	assert_string_equal(json_string_value(json_object_get(o, "quorum")), "not-reached");
	assert_true(json_is_true(json_object_get(o, "second_round_required")));
	assert_true(json_is_false(json_object_get(o, "seats_allocated")));
	l = json_array_get(json_object_get(o, "lists"), 0);
	assert_true(json_is_null(json_object_get(l, "seats")));
	assert_int_equal(json_integer_value(json_object_get(l, "ballots")), 20);
	assert_true(json_is_false(json_object_get(
		json_array_get(json_object_get(l, "candidates"), 0), "elected")));
	assert_string_equal(notices_of(o, buf, sizeof(buf)), "second-round-required");
	json_decref(o);
}

/* docs/RULES.md Seats: a tie left to the bureau and vacant seats are said.
 * Here the tie is between two lists without a candidate left (each won its
 * one candidate's seat at the quotient): still the bureau's to decide, but
 * the seat is vacant whichever list it picks, so the scrutin counts it as
 * vacant (in no list's seats until the bureau decides) and says so
 * (docs/RULES.md "Seats", last paragraph). */
static void tie_and_vacant_in_json(void **state)
{
	struct ct_spec sp = { .round = 1, .seats = 3, .inscrits = 150,
			      .lists = { "M 50 0 1970-01-01", "F 50 0 1970-01-01" } };
	json_t *o = results_of(&sp), *tie, *tl;
	char buf[256];

	assert_int_equal(json_integer_value(json_object_get(o, "seats_undecided")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "seats_vacant")), 1);
	for (unsigned i = 0; i < 2; i++) {
		json_t *seats = json_object_get(json_array_get(json_object_get(o, "lists"), i),
						"seats");

		assert_int_equal(json_integer_value(json_object_get(seats, "total")), 1);
		assert_int_equal(json_integer_value(json_object_get(seats, "vacant")), 0);
		assert_int_equal(json_integer_value(json_object_get(seats, "filled")), 1);
	}
	tie = json_array_get(json_object_get(o, "ties"), 0);
	assert_non_null(tie);
	assert_int_equal(json_integer_value(json_object_get(tie, "seats")), 1);
	assert_string_equal(json_string_value(json_object_get(tie, "decided_by")), "bureau");
	assert_int_equal(json_integer_value(json_object_get(tie, "undecided")), 1);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(tie, "average"), "num")), 25);
	tl = json_array_get(json_object_get(tie, "lists"), 1);
	assert_int_equal(json_integer_value(json_object_get(tl, "number")), 2);
	assert_true(json_is_null(json_object_get(tl, "next_candidate")));
	assert_true(json_is_null(json_object_get(tl, "birth_date")));
	assert_string_equal(json_string_value(json_object_get(tl, "outcome")), "undecided");
	assert_string_equal(notices_of(o, buf, sizeof(buf)), "seats-vacant,tie-for-bureau");
	json_decref(o);

	/* Both with a candidate left (same birth date): the bureau decides and
	 * the seat is filled whichever list it picks. */
	sp.lists[0] = "MF 50 0,0 1970-01-01,1970-01-01";
	sp.lists[1] = "FM 50 0,0 1970-01-01,1970-01-01";
	o = results_of(&sp);
	assert_int_equal(json_integer_value(json_object_get(o, "seats_undecided")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "seats_vacant")), 0);
	assert_string_equal(notices_of(o, buf, sizeof(buf)), "tie-for-bureau");
	json_decref(o);

	sp.lists[0] = "M 80";
	sp.lists[1] = "FM 20";
	o = results_of(&sp);
	assert_int_equal(json_integer_value(json_object_get(o, "seats_vacant")), 2);
	assert_string_equal(notices_of(o, buf, sizeof(buf)), "seats-vacant");
	json_decref(o);
}

/* docs/RULES.md Seats (tie by age): the candidate and birth date that decided. */
static void tie_by_age_in_json(void **state)
{
	struct ct_spec sp = { .round = 1, .seats = 1, .inscrits = 150,
			      .lists = { "MM 50 0,0 1960-01-01,1961-01-01",
					 "FF 50 0,0 1950-05-05,1990-01-01" } };
	json_t *o = results_of(&sp), *tl;

	tl = json_array_get(json_object_get(json_array_get(json_object_get(o, "ties"), 0),
					    "lists"), 0);
	assert_int_equal(json_integer_value(json_object_get(tl, "number")), 2);
	assert_int_equal(json_integer_value(json_object_get(tl, "next_candidate")), 1);
	assert_string_equal(json_string_value(json_object_get(tl, "birth_date")), "1950-05-05");
	assert_string_equal(json_string_value(json_object_get(tl, "outcome")), "seat");
	json_decref(o);
}

/* Round 2 without votes; suppléants without audience; gender notice. */
static void other_notices_in_json(void **state)
{
	struct ct_spec sp = { .round = 2, .seats = 1, .inscrits = 100, .blancs = 2,
			      .lists = { "FF 0" } };
	json_t *o = results_of(&sp), *l0, *u0;
	char buf[256];

	assert_string_equal(json_string_value(json_object_get(o, "quorum")), "not-applicable");
	assert_int_equal(json_integer_value(json_object_get(o, "seats_unallocated")), 1);
	assert_string_equal(notices_of(o, buf, sizeof(buf)), "no-valid-vote,gender-balance");
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(o, "quotient"), "decimal")), "0.0000");
	json_decref(o);

	sp = (struct ct_spec){ .round = 1, .seats = 1, .inscrits = 10,
			       .body = BODY_SUPPLEANTS, .lists = { "FM 9" } };
	o = results_of(&sp);
	assert_string_equal(json_string_value(json_object_get(o, "body")), "suppléants");
	assert_true(json_is_null(json_object_get(o, "union_audience")));
	l0 = json_array_get(json_object_get(o, "lists"), 0);
	u0 = json_array_get(json_object_get(l0, "unions"), 0);
	assert_true(json_is_null(json_object_get(u0, "votes")));
	json_decref(o);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_text_of_a_small_count),
		cmocka_unit_test(quorum_not_reached_in_json),
		cmocka_unit_test(tie_and_vacant_in_json),
		cmocka_unit_test(tie_by_age_in_json),
		cmocka_unit_test(other_notices_in_json),
	};

	return cmocka_run_group_tests_name("results_json", tests, NULL, NULL) ? 1 : 0;
}
