/*
 * Gender balance of the lists (count/gender.c; CT L2314-30, L2314-32):
 * warnings only. Each row is a scrutin (tests/count/counttest.h) and, per
 * list, a one-line summary:
 *   "w<women>/<expected> m<men>/<expected>[ either] over=<sex>+<excess>
 *    alt=<positions breaking alternation> exc=<exception> first=<exception
 *    candidate first> ok=<conform> exp=<exposed elected: position + p
 *    (proportion) or s (position)>"
 * Then the demo definition's warnings (tests/data/demo-election.json).
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
#include "count/seats.h"
#include "counttest.h"

struct gender_row {
	const char *title;
	struct ct_spec spec;
	const char *expect;   /* lists' summaries joined by " | " */
	const char *seats;    /* ct_summary of the scrutin, or NULL */
};

#define R2(...) { .round = 2, .inscrits = 1000, __VA_ARGS__ }

static const struct gender_row gender_rows[] = {
	{ "expected women = round-half-up(6 x 0.38 = 2.28) = 2: a list with 3 "
	  "has one too many; the last elected woman in list order is exposed "
	  "— CT L2314-30, L2314-32",
	  R2(.seats = 3, .share_women = "0.38", .lists = { "FMFMFM 100" }),
	  "w3/2 m3/4 over=F+1 alt=- exc=0 first=0 ok=0 exp=3p", NULL },
	{ "round half up: 4 x 0.38 = 1.52 gives 2 women and 2.48 gives 2 men "
	  "— CT L2314-30",
	  R2(.seats = 1, .share_women = "0.38", .lists = { "MFMF 100" }),
	  "w2/2 m2/2 over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "5 x 0.5 = 2.5 for both sexes: round-half-up asks for 6 of 5, so 3 "
	  "women and 2 men conform: with equal shares the list 'comprend "
	  "indifféremment un homme ou une femme supplémentaire' — CT L2314-30 al. 4",
	  R2(.seats = 1, .share_women = "0.5", .lists = { "FMFMF 100" }),
	  "w3/3 m2/3 either over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "5 x 0.5 = 2.5 for both sexes: 2 women and 3 men conform as well "
	  "(the extra candidate may be of either sex) — CT L2314-30 al. 4",
	  R2(.seats = 1, .share_women = "0.5", .lists = { "MFMFM 100" }),
	  "w2/3 m3/3 either over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "2 x 0.25: 0.5 woman and 1.5 men both end in .5; the rule for equal "
	  "shares is applied by analogy, so 1 woman and 1 man conform (docs/RULES.md "
	  "silent; decision) — CT L2314-30 al. 4",
	  R2(.seats = 1, .share_women = "0.25", .lists = { "MF 100" }),
	  "w1/1 m1/2 either over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "candidates alternate until one sex runs out: FFMM breaks it at the "
	  "2nd, who is exposed if elected — CT L2314-30, L2314-32",
	  R2(.seats = 2, .share_women = "0.5", .lists = { "FFMM 100" }),
	  "w2/2 m2/2 over=- alt=2 exc=0 first=0 ok=0 exp=2s", NULL },
	{ "once women run out the men may follow each other (FMFMM, 5 x 0.4 = "
	  "2 women) — CT L2314-30",
	  R2(.seats = 1, .share_women = "0.4", .lists = { "FMFMM 100" }),
	  "w2/2 m3/3 over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "exception: 3 x 0.1 = 0.3 rounds to no woman; the list may have one, "
	  "not first — CT L2314-30",
	  R2(.seats = 1, .share_women = "0.1", .lists = { "MFM 100" }),
	  "w1/0 m2/3 over=- alt=- exc=1 first=0 ok=1 exp=-", NULL },
	{ "a list without any woman where none is expected conforms — CT "
	  "L2314-30",
	  R2(.seats = 1, .share_women = "0.1", .lists = { "MMM 100" }),
	  "w0/0 m3/3 over=- alt=- exc=0 first=0 ok=1 exp=-", NULL },
	{ "the exception's candidate may not be first; elected first, she is "
	  "exposed — CT L2314-30, L2314-32",
	  R2(.seats = 1, .share_women = "0.1", .lists = { "FMM 100" }),
	  "w1/0 m2/3 over=- alt=- exc=1 first=1 ok=0 exp=1s", NULL },
	{ "the exception allows one woman, not two: one in excess, the last "
	  "elected woman exposed (docs/RULES.md silent on the count; decision) "
	  "— CT L2314-30, L2314-32",
	  R2(.seats = 3, .share_women = "0.1", .lists = { "MFF 100" }),
	  "w2/0 m1/3 over=F+1 alt=- exc=0 first=0 ok=0 exp=3p", NULL },
	{ "exposed: the last elected of the over-represented sex in reverse "
	  "list order (4th presented), not the last by rank (3rd) — CT "
	  "L2314-32",
	  R2(.seats = 3, .share_women = "0.5", .lists = { "FMFF 100 0,60,20,0" }),
	  "w3/2 m1/2 over=F+1 alt=- exc=0 first=0 ok=0 exp=4p",
	  "sve=100 quorum=not-applicable | q2 a1 v0 e1,4,3" },
	{ "men over-represented: 2 men in excess, the last two elected men "
	  "exposed — CT L2314-30, L2314-32",
	  R2(.seats = 4, .share_women = "0.5", .lists = { "MFMMMM 100" }),
	  "w1/3 m5/3 over=M+2 alt=- exc=0 first=0 ok=0 exp=3p,4p", NULL },
	{ "warnings never change the result: a list of four women keeps its "
	  "seat and its elected — CT L2314-32 (annulment is for a judge)",
	  R2(.seats = 2, .share_women = "0.5", .lists = { "FFFF 100", "MFMF 100" }),
	  "w4/2 m0/2 over=F+2 alt=- exc=0 first=0 ok=0 exp=1p | "
	  "w2/2 m2/2 over=- alt=- exc=0 first=0 ok=1 exp=-",
	  "sve=200 quorum=not-applicable | q1 a0 v0 e1 | q1 a0 v0 e1" },
	{ "a list of one candidate is not checked — docs/RULES.md Gender balance "
	  "(lists with several candidates); CT L2314-30",
	  R2(.seats = 1, .share_women = "0.1", .lists = { "F 100" }),
	  "unchecked", NULL },
	{ "quorum not reached: the composition is still checked, nobody is "
	  "elected so nobody is exposed — CT L2314-30, L2314-29",
	  { .round = 1, .inscrits = 1000, .seats = 2, .share_women = "0.5",
	    .lists = { "FFMM 100" } },
	  "w2/2 m2/2 over=- alt=2 exc=0 first=0 ok=0 exp=-", NULL },
};

static void gender_summary(const struct count_list *l, char *buf, size_t cap)
{
	const struct count_gender *g = &l->gender;
	int any = 0;

	if (!g->checked) {
		ct_cat(buf, cap, "unchecked");
		return;
	}
	ct_cat(buf, cap, "w%u/%u m%u/%u%s over=", g->women, g->expected_women,
	       g->men, g->expected_men, g->either_rounding ? " either" : "");
	if (g->over_sex)
		ct_cat(buf, cap, "%c+%u", g->over_sex, g->excess);
	else
		ct_cat(buf, cap, "-");
	ct_cat(buf, cap, " alt=");
	for (unsigned i = 0; i < l->n_candidates; i++)
		if (l->candidates[i].alternation_break)
			ct_cat(buf, cap, "%s%u", any++ ? "," : "", i + 1);
	ct_cat(buf, cap, "%s exc=%d first=%d ok=%d exp=", any ? "" : "-",
	       g->exception, g->exception_first, g->conform);
	any = 0;
	for (unsigned i = 0; i < l->n_candidates; i++) {
		unsigned e = l->candidates[i].exposed;

		if (e & COUNT_EXPOSED_PROPORTION)
			ct_cat(buf, cap, "%s%up", any++ ? "," : "", i + 1);
		if (e & COUNT_EXPOSED_POSITION)
			ct_cat(buf, cap, "%s%us", any++ ? "," : "", i + 1);
	}
	if (!any)
		ct_cat(buf, cap, "-");
}

static void run_gender_row(void **state)
{
	const struct gender_row *row = *state;
	struct scrutin *s;
	struct tally *t;
	struct count_results *r = ct_count(&row->spec, &s, &t);
	char got[1024] = "", seats[1024];

	assert_non_null(r);
	for (unsigned i = 0; i < r->n_lists; i++) {
		if (i)
			ct_cat(got, sizeof(got), " | ");
		gender_summary(&r->lists[i], got, sizeof(got));
	}
	if (strcmp(got, row->expect) != 0)
		fail_msg("%s\n  got:    %s\n  wanted: %s", row->title, got, row->expect);
	ct_summary(r, seats, sizeof(seats));
	if (row->seats && strcmp(seats, row->seats) != 0)
		fail_msg("%s\n  got:    %s\n  wanted: %s", row->title, seats, row->seats);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

/* ---- round-half-up on exact fractions ------------------------------------ */

struct expected_row {
	const char *title;
	unsigned n;
	uint64_t num, den;
	unsigned expected;
};

static const struct expected_row expected_rows[] = {
	{ "6 x 0.38 = 2.28 rounds to 2 — CT L2314-30", 6, 38, 100, 2 },
	{ "6 x 0.62 = 3.72 rounds to 4 — CT L2314-30", 6, 62, 100, 4 },
	{ "4 x 0.38 = 1.52 rounds to 2 — CT L2314-30", 4, 38, 100, 2 },
	{ "3 x 0.38 = 1.14 rounds to 1 — CT L2314-30", 3, 38, 100, 1 },
	{ "5 x 0.5 = 2.5 rounds half up to 3 — CT L2314-30", 5, 5, 10, 3 },
	{ "2 x 0.25 = 0.5 rounds half up to 1 — CT L2314-30", 2, 25, 100, 1 },
	{ "7 x 0.07 = 0.49 rounds to 0 — CT L2314-30", 7, 7, 100, 0 },
	{ "7 x 0.0715 = 0.5005 rounds to 1: exact, no binary rounding — CT "
	  "L2314-30", 7, 715, 10000, 1 },
	{ "3 x 0.166666667 = 0.500000001 rounds to 1 (9 decimals, exact) — CT "
	  "L2314-30", 3, 166666667, 1000000000, 1 },
	{ "3 x 0.166666666 = 0.499999998 rounds to 0 (9 decimals, exact) — CT "
	  "L2314-30", 3, 166666666, 1000000000, 0 },
	{ "128 x 1 = 128 — CT L2314-30", 128, 1, 1, 128 },
};

static void run_expected_row(void **state)
{
	const struct expected_row *row = *state;
	unsigned got = count_gender_expected(row->n, (struct frac_u){ row->num, row->den });

	if (got != row->expected)
		fail_msg("%s: got %u", row->title, got);
}

/* ---- the demo definition ------------------------------------------------- */

static struct election *load_demo(void)
{
	const char *top = getenv("SCEAU_TOP");
	char path[4200];
	struct election *e = NULL;

	snprintf(path, sizeof(path), "%s/tests/data/demo-election.json",
		 top && *top ? top : ".");
	assert_int_equal(election_load(path, &e), 0);
	return e;
}

/* Collège 1 titulaires of the demo: "Liste CGT-FO" has 3 women for an
 * expected 2 (6 x 0.38), "Liste commune CGT - Solidaires" 2 for an expected
 * 1 (3 x 0.38); its votes split 60/40 between CGT and Solidaires. 150, 100
 * and 50 ballots give 3, 2 and 1 seats at the quotient (Q = 300/6 = 50).
 * CT L2314-30, L2314-32; docs/RULES.md Union audience. */
static void demo_college1_titulaires(void **state)
{
	struct election *e = load_demo();
	const struct scrutin *s = election_scrutin(e, 1);
	struct tally *t;
	struct count_results *r;
	char got[1024] = "";
	static const uint64_t ballots[3] = { 150, 100, 50 };

	assert_int_equal(tally_new(s, &t), 0);
	for (unsigned i = 0; i < 3; i++) {
		t->lists[i].ballots = ballots[i];
		t->votants += ballots[i];
		t->by_reason[BALLOT_OK] += ballots[i];
	}
	assert_int_equal(count_compute(s, t, &r), 0);
	for (unsigned i = 0; i < r->n_lists; i++) {
		if (i)
			ct_cat(got, sizeof(got), " | ");
		gender_summary(&r->lists[i], got, sizeof(got));
	}
	assert_string_equal(got,
		"w3/2 m3/4 over=F+1 alt=- exc=0 first=0 ok=0 exp=3p | "
		"w2/2 m2/2 over=- alt=- exc=0 first=0 ok=1 exp=- | "
		"w2/1 m1/2 over=F+1 alt=- exc=0 first=0 ok=0 exp=1p");
	assert_string_equal(r->lists[0].def->name, "Liste CGT-FO");
	assert_string_equal(r->lists[0].candidates[2].def->last_name, "Garçon");
	assert_string_equal(r->lists[2].def->name, "Liste commune CGT - Solidaires");
	assert_string_equal(r->lists[2].candidates[0].def->last_name, "Boucher");
	ct_summary(r, got, sizeof(got));
	assert_string_equal(got, "sve=300 quorum=reached | q3 a0 v0 e1,2,3 | "
			    "q2 a0 v0 e1,2 | q1 a0 v0 e1");
	/* Joint list: 50 ballots split 6/10 and 4/10. */
	assert_int_equal(r->lists[2].unions[0].votes.num, 300);
	assert_int_equal(r->lists[2].unions[0].votes.den, 10);
	assert_int_equal(r->n_audience, 4);
	assert_string_equal(r->audience[2].name, "CGT");
	assert_int_equal(r->audience[2].votes.num, 30);
	assert_int_equal(r->audience[2].votes.den, 1);
	assert_string_equal(r->audience[3].name, "Solidaires");
	assert_int_equal(r->audience[3].votes.num, 20);
	assert_int_equal(r->audience[3].votes.den, 1);
	count_results_free(r);
	tally_free(t);
	election_free(e);
}

/* The other demo scrutins: collège 2 titulaires has a list with 2 women of
 * 3 where 3 x 0.47 = 1.41 expects 1; the suppléants conform; CFDT's single
 * candidate in collège 2 suppléants is not checked. CT L2314-30. */
static void demo_other_scrutins(void **state)
{
	static const char *const want[4] = {
		NULL,
		"w1/1 m2/2 over=- alt=- exc=0 first=0 ok=1 exp=- | "
		"w1/1 m1/1 over=- alt=- exc=0 first=0 ok=1 exp=- | "
		"w1/1 m1/1 over=- alt=- exc=0 first=0 ok=1 exp=-",
		"w2/1 m1/2 over=F+1 alt=- exc=0 first=0 ok=0 exp=- | "
		"w1/1 m1/1 over=- alt=- exc=0 first=0 ok=1 exp=-",
		"w1/1 m1/1 over=- alt=- exc=0 first=0 ok=1 exp=- | unchecked",
	};
	struct election *e = load_demo();

	for (uint16_t id = 2; id <= 4; id++) {
		const struct scrutin *s = election_scrutin(e, id);
		struct tally *t;
		struct count_results *r;
		char got[1024] = "";

		assert_int_equal(tally_new(s, &t), 0);
		assert_int_equal(count_compute(s, t, &r), 0);
		for (unsigned i = 0; i < r->n_lists; i++) {
			if (i)
				ct_cat(got, sizeof(got), " | ");
			gender_summary(&r->lists[i], got, sizeof(got));
		}
		assert_string_equal(got, want[id - 1]);
		count_results_free(r);
		tally_free(t);
	}
	election_free(e);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_college1_titulaires),
		cmocka_unit_test(demo_other_scrutins),
	};
	struct CMUnitTest grows[N(gender_rows)], erows[N(expected_rows)];
	int failed;

	for (size_t i = 0; i < N(gender_rows); i++)
		grows[i] = (struct CMUnitTest){ .name = gender_rows[i].title,
						.test_func = run_gender_row,
						.initial_state = (void *)&gender_rows[i] };
	for (size_t i = 0; i < N(expected_rows); i++)
		erows[i] = (struct CMUnitTest){ .name = expected_rows[i].title,
						.test_func = run_expected_row,
						.initial_state = (void *)&expected_rows[i] };
	failed = _cmocka_run_group_tests("gender", grows, N(grows), NULL, NULL);
	failed += _cmocka_run_group_tests("expected", erows, N(erows), NULL, NULL);
	failed += cmocka_run_group_tests_name("demo", tests, NULL, NULL);
	return failed ? 1 : 0;
}
