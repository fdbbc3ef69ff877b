/*
 * Seat allocation, quorum and the election inside a list (count/seats.c,
 * count/rank.c), as the PV would print them. Each row is one scrutin in a
 * line (tests/count/counttest.h) and the one-line summary of its results:
 *   "sve=.. quorum=.. | q<quotient> a<average> v<vacant> e<elected, by rank> | ..."
 * then, for the rule functions, one row per rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "count/seats.h"
#include "counttest.h"

struct seat_row {
	const char *title;
	struct ct_spec spec;
	const char *expect;
};

#define R1(...) { .round = 1, __VA_ARGS__ }
#define R2(...) { .round = 2, __VA_ARGS__ }

static const struct seat_row seat_rows[] = {
	{ "seats at the quotient, then the remaining seat to the highest average "
	  "(Q = 200/4 = 50; 100, 60, 40 give 2, 1, 0; then 40/1 > 100/3 > 60/2) "
	  "— CT L2314-29; R2314-19 to -21",
	  R1(.seats = 4, .inscrits = 300, .lists = { "MMMM 100", "FFFF 60", "MFMF 40" }),
	  "sve=200 quorum=reached | q2 a0 v0 e1,2 | q1 a0 v0 e1 | q0 a1 v0 e1" },
	{ "two seats at the highest average, one at a time, averages recomputed "
	  "after each (230/3, then 60 > 230/4) — CT L2314-29",
	  R1(.seats = 5, .inscrits = 500,
	     .lists = { "MMMMM 230", "FFFFF 120", "MFMFM 50" }),
	  "sve=400 quorum=reached | q2 a1 v0 e1,2,3 | q1 a1 v0 e1,2 | q0 a0 v0 e-" },
	{ "quotient is SVE/seats exact, not rounded: 67 / (100/3) gives 2 seats "
	  "at the quotient (a rounded Q of 34 would give 1) — CT L2314-29",
	  R1(.seats = 3, .inscrits = 150, .lists = { "MM 67", "F 33" }),
	  "sve=100 quorum=reached | q2 a0 v0 e1,2 | q0 a1 v0 e1" },
	{ "ratures lower V_L even under the 10 % threshold: 100 ballots with 5 "
	  "ratures on each of 2 candidates average 95 and lose to 96 — docs/RULES.md "
	  "Votes of candidates and lists",
	  R1(.seats = 1, .inscrits = 300, .lists = { "MM 100 5,5", "FF 96" }),
	  "sve=196 quorum=reached | q0 a0 v0 e- | q0 a1 v0 e1" },
	{ "SVE = votants - blancs - nuls: 110 votants, 7 blank, 3 nul give 100 "
	  "— docs/RULES.md Ballots",
	  R1(.seats = 2, .inscrits = 150, .blancs = 7, .nuls = 3,
	     .lists = { "MM 80", "FF 20" }),
	  "sve=100 quorum=reached | q1 a1 v0 e1,2 | q0 a0 v0 e-" },
	{ "lists tied at the highest average with as many seats left each get "
	  "one: no tie to decide — CT L2314-29",
	  R1(.seats = 4, .inscrits = 200, .lists = { "MMM 50", "FFF 50", "M 20" }),
	  "sve=120 quorum=reached | q1 a1 v0 e1,2 | q1 a1 v0 e1,2 | q0 a0 v0 e-" },
	{ "tie for a seat (60/2 = 30/1) goes to the list with more votes V_L "
	  "— docs/RULES.md Seats (tie); CT L2314-29",
	  R1(.seats = 2, .inscrits = 150, .lists = { "MM 60", "F 30", "F 10" }),
	  "sve=100 quorum=reached | q1 a1 v0 e1,2 | q0 a0 v0 e- | q0 a0 v0 e- "
	  "| tie by=votes undecided=0 1:seat 2:no-seat" },
	{ "tie with equal votes goes to the list whose candidate who would be "
	  "elected is the oldest — docs/RULES.md Seats (tie)",
	  R1(.seats = 1, .inscrits = 150,
	     .lists = { "MM 50 0,0 1960-01-01,1961-01-01",
			"FF 50 0,0 1950-05-05,1990-01-01" }),
	  "sve=100 quorum=reached | q0 a0 v0 e- | q0 a1 v0 e1 "
	  "| tie by=age undecided=0 2:seat 1:no-seat" },
	{ "age tie-break compares the candidate the list's ranking would elect "
	  "next (here the 2nd, moved up by ratures on the 1st), not the first "
	  "presented — docs/RULES.md Seats (tie); CT L2314-29 (ratures)",
	  R1(.seats = 1, .inscrits = 300,
	     .lists = { "MM 100 20,0 1950-01-01,1990-01-01",
			"FF 90 0,0 1970-01-01,1970-01-01" }),
	  "sve=190 quorum=reached | q0 a0 v0 e- | q0 a1 v0 e1 "
	  "| tie by=age undecided=0 2:seat 1:no-seat" },
	{ "tie still equal in votes and age: the box does not choose, the seat "
	  "is left to the bureau — docs/RULES.md Seats (tie)",
	  R1(.seats = 1, .inscrits = 150,
	     .lists = { "M 50 0 1970-01-01", "F 50 0 1970-01-01" }),
	  "sve=100 quorum=reached | q0 a0 v0 e- | q0 a0 v0 e- "
	  "| tie by=bureau undecided=1 1:undecided 2:undecided" },
	{ "three lists tied for two seats: the one with more votes gets its "
	  "seat, the bureau decides between the two still equal — docs/RULES.md "
	  "Seats (tie)",
	  R1(.seats = 3, .inscrits = 300,
	     .lists = { "MM 100", "M 50 0 1970-01-01", "F 50 0 1970-01-01" }),
	  "sve=200 quorum=reached | q1 a1 v0 e1,2 | q0 a0 v0 e- | q0 a0 v0 e- "
	  "| tie by=bureau undecided=1 1:seat 2:undecided 3:undecided" },
	{ "a list without a candidate left cannot win a tie on age: the seat "
	  "goes to the list that can fill it (docs/RULES.md silent; decision) "
	  "— docs/RULES.md Seats (tie; vacant)",
	  R1(.seats = 3, .inscrits = 150, .lists = { "M 50", "FF 50" }),
	  "sve=100 quorum=reached | q1 a0 v0 e1 | q1 a1 v0 e1,2 "
	  "| tie by=age undecided=0 2:seat 1:no-seat" },
	{ "tie between lists that both have no candidate left: still a tie for "
	  "the bureau, but the seat is vacant whichever list it picks, and the "
	  "scrutin counts it as vacant — docs/RULES.md Seats (tie; vacant, last "
	  "paragraph)",
	  R1(.seats = 3, .inscrits = 150, .lists = { "M 50", "F 50" }),
	  "sve=100 quorum=reached vacant=1 | q1 a0 v0 e1 | q1 a0 v0 e1 "
	  "| tie by=bureau undecided=1 1:undecided 2:undecided" },
	{ "three lists without a candidate left tied for two seats: both seats "
	  "left to the bureau and both vacant — docs/RULES.md Seats (tie; vacant, "
	  "last paragraph)",
	  R1(.seats = 5, .inscrits = 300, .lists = { "M 50", "F 50", "M 50" }),
	  "sve=150 quorum=reached vacant=2 | q1 a0 v0 e1 | q1 a0 v0 e1 | q1 a0 v0 e1 "
	  "| tie by=bureau undecided=2 1:undecided 2:undecided 3:undecided" },
	{ "a list with a candidate left wins its seat of a tie; the seat left "
	  "between two lists without a candidate goes to the bureau and is vacant "
	  "— docs/RULES.md Seats (tie; vacant, last paragraph)",
	  R1(.seats = 5, .inscrits = 300, .lists = { "F 50", "MM 50", "M 50" }),
	  "sve=150 quorum=reached vacant=1 | q1 a0 v0 e1 | q1 a1 v0 e1,2 | q1 a0 v0 e1 "
	  "| tie by=bureau undecided=1 2:seat 1:undecided 3:undecided" },
	{ "a tie is settled by votes before anything else: the list with more "
	  "votes wins the seat even without a candidate left, and it stays vacant "
	  "— docs/RULES.md Seats (tie; vacant)",
	  R1(.seats = 2, .inscrits = 150, .lists = { "M 60", "FF 30" }),
	  "sve=90 quorum=reached vacant=1 | q1 a1 v1 e1 | q0 a0 v0 e- "
	  "| tie by=votes undecided=0 1:seat 2:no-seat" },
	{ "a list never gets more seats than candidates: its extra seats at the "
	  "quotient and at the highest average stay vacant — docs/RULES.md Seats "
	  "(vacant); CT L2314-29",
	  R1(.seats = 3, .inscrits = 150, .lists = { "M 80", "FF 20" }),
	  "sve=100 quorum=reached vacant=2 | q2 a1 v2 e1 | q0 a0 v0 e-" },
	{ "a seat at the highest average won by a full list stays vacant, it is "
	  "not given to the next list — docs/RULES.md Seats (vacant)",
	  R1(.seats = 3, .inscrits = 150, .lists = { "M 60", "FF 40" }),
	  "sve=100 quorum=reached vacant=1 | q1 a1 v1 e1 | q1 a0 v0 e1" },
	{ "quorum reached exactly at half of the inscrits (2 x 100 >= 200) "
	  "— CT L2314-29; Cass. soc. 22 July 1975, 75-60.117",
	  R1(.seats = 1, .inscrits = 200, .lists = { "MM 100" }),
	  "sve=100 quorum=reached | q1 a0 v0 e1" },
	{ "quorum missed by one (2 x 100 < 201): votes counted, nobody "
	  "elected, second round — CT L2314-29",
	  R1(.seats = 1, .inscrits = 201, .lists = { "MM 100" }),
	  "sve=100 quorum=not-reached no-seats | q0 a0 v0 e-" },
	{ "blank and nul ballots do not count toward the quorum (109 votants, "
	  "SVE 99 of 200) — Cass. soc. 22 July 1975, 75-60.117; CT L2314-29",
	  R1(.seats = 1, .inscrits = 200, .blancs = 5, .nuls = 5,
	     .lists = { "MM 99" }),
	  "sve=99 quorum=not-reached no-seats | q0 a0 v0 e-" },
	{ "round 2 has no quorum: 10 voters of 1000 elect — CT L2314-29",
	  R2(.seats = 1, .inscrits = 1000, .lists = { "MM 10" }),
	  "sve=10 quorum=not-applicable | q1 a0 v0 e1" },
	{ "round 2 without any valid vote: no list can win a seat "
	  "(docs/RULES.md silent; decision: seats unallocated) — CT L2314-29",
	  R2(.seats = 2, .inscrits = 100, .blancs = 3, .lists = { "MM 0", "F 0" }),
	  "sve=0 quorum=not-applicable unallocated=2 | q0 a0 v0 e- | q0 a0 v0 e-" },
	{ "the first k ranked candidates of a list with k seats are elected: "
	  "50 % ratures on the 2nd elect the 1st and 3rd — CT L2314-29",
	  R1(.seats = 2, .inscrits = 200, .lists = { "MMM 100 0,50,0", "F 10" }),
	  "sve=110 quorum=reached | q1 a1 v0 e1,3 | q0 a0 v0 e-" },
	{ "ratures under 10 % of the list's ballots are ignored: list order "
	  "kept — CT L2314-29; Circ. DRT 25 Oct 1983",
	  R1(.seats = 2, .inscrits = 200, .lists = { "MMM 100 0,9,0", "F 10" }),
	  "sve=110 quorum=reached | q1 a1 v0 e1,2 | q0 a0 v0 e-" },
	{ "ratures of exactly 10 % of the list's ballots count, whatever the "
	  "900 blank ballots (base = ballots for the list): the 2nd drops behind "
	  "the 3rd — CT L2314-29; Circ. DRT 25 Oct 1983",
	  R2(.seats = 2, .inscrits = 2000, .blancs = 900,
	     .lists = { "MMM 100 0,10,0", "F 10" }),
	  "sve=110 quorum=not-applicable | q1 a1 v0 e1,3 | q0 a0 v0 e-" },
	{ "every seat at the quotient when the averages divide exactly "
	  "(Q = 50; 150 and 100) — CT L2314-29",
	  R1(.seats = 5, .inscrits = 300, .lists = { "MMMMM 150", "FFFFF 100" }),
	  "sve=250 quorum=reached | q3 a0 v0 e1,2,3 | q2 a0 v0 e1,2" },
};

static void run_seat_row(void **state)
{
	const struct seat_row *row = *state;
	struct scrutin *s;
	struct tally *t;
	struct count_results *r = ct_count(&row->spec, &s, &t);
	char got[1024];

	assert_non_null(r);
	ct_summary(r, got, sizeof(got));
	if (strcmp(got, row->expect) != 0)
		fail_msg("%s\n  got:    %s\n  wanted: %s", row->title, got, row->expect);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

/* ---- one rule function per row ------------------------------------------- */

enum rule_fn {
	VOTES, AVERAGE, SVE, QUOTIENT, QUORUM, AT_QUOTIENT, NEXT_AVERAGE, RATURES,
};

struct rule_row {
	const char *title;
	enum rule_fn fn;
	uint64_t a, b, c;          /* arguments */
	int ret;                   /* expected return (0 or ERR_*) */
	uint64_t num, den;         /* expected value (den 0: an integer in num) */
};

static const struct rule_row rule_rows[] = {
	{ "candidate votes = ballots for the list - ratures (100 - 30 = 70) "
	  "— docs/RULES.md Votes of candidates and lists", VOTES, 100, 30, 0, 0, 70, 0 },
	{ "a candidate cannot have more ratures than the list has ballots "
	  "— docs/RULES.md Votes of candidates and lists", VOTES, 10, 11, 0, ERR_INTERNAL, 0, 0 },
	{ "V_L = Σ candidate votes / candidates, exact: 260/3 is not rounded "
	  "— docs/RULES.md Votes of candidates and lists", AVERAGE, 260, 3, 0, 0, 260, 3 },
	{ "SVE = votants - blancs - nuls (300 - 10 - 3 = 287) — docs/RULES.md Ballots",
	  SVE, 300, 10, 3, 0, 287, 0 },
	{ "SVE cannot be negative: blancs + nuls > votants is a bug "
	  "— docs/RULES.md Ballots", SVE, 10, 6, 5, ERR_INTERNAL, 0, 0 },
	{ "quotient électoral Q = SVE / seats, exact (287/6) — CT L2314-29",
	  QUOTIENT, 287, 6, 0, 0, 287, 6 },
	{ "quorum reached at exactly half: 2 x 206 >= 412 — CT L2314-29; "
	  "Cass. soc. 22 July 1975, 75-60.117", QUORUM, 1, 206, 412, 0,
	  COUNT_QUORUM_REACHED, 0 },
	{ "quorum of an odd number of inscrits: 205 of 411 is below half "
	  "— CT L2314-29", QUORUM, 1, 205, 411, 0, COUNT_QUORUM_NOT_REACHED, 0 },
	{ "quorum of an odd number of inscrits: 206 of 411 is above half "
	  "— CT L2314-29", QUORUM, 1, 206, 411, 0, COUNT_QUORUM_REACHED, 0 },
	{ "no quorum in round 2 — CT L2314-29", QUORUM, 2, 0, 411, 0,
	  COUNT_QUORUM_NOT_APPLICABLE, 0 },
	{ "seats at the quotient = floor(V_L / Q): 100 / (287/6) = 2.09 gives 2 "
	  "— CT L2314-29", AT_QUOTIENT, 100, 287, 6, 0, 2, 0 },
	{ "seats at the quotient when V_L / Q is exactly an integer (96 / 48) "
	  "— CT L2314-29", AT_QUOTIENT, 96, 48, 1, 0, 2, 0 },
	{ "highest average = V_L / (seats won + 1): 100 after 2 seats is 100/3 "
	  "— CT L2314-29", NEXT_AVERAGE, 100, 2, 0, 0, 100, 3 },
	{ "ratures count at exactly 10 % of the list's ballots (10 of 100) "
	  "— CT L2314-29; Circ. DRT 25 Oct 1983", RATURES, 10, 100, 0, 0, 1, 0 },
	{ "ratures under 10 % are ignored (9 of 100) — CT L2314-29; Circ. DRT "
	  "25 Oct 1983", RATURES, 9, 100, 0, 0, 0, 0 },
	{ "10 % of 7 ballots is 0.7: one rature counts — CT L2314-29; Circ. DRT "
	  "25 Oct 1983", RATURES, 1, 7, 0, 0, 1, 0 },
	{ "10 % of 11 ballots is 1.1: one rature is under — CT L2314-29; Circ. "
	  "DRT 25 Oct 1983", RATURES, 1, 11, 0, 0, 0, 0 },
};

static void run_rule_row(void **state)
{
	const struct rule_row *row = *state;
	struct frac_u f = { 0, 1 };
	uint64_t v = 0;
	unsigned u = 0;
	int ret = 0;

	switch (row->fn) {
	case VOTES: ret = seats_candidate_votes(row->a, row->b, &v); break;
	case AVERAGE: ret = seats_list_average(row->a, (unsigned)row->b, &f); break;
	case SVE: ret = seats_sve(row->a, row->b, row->c, &v); break;
	case QUOTIENT: ret = seats_quotient(row->a, (unsigned)row->b, &f); break;
	case QUORUM: v = seats_quorum((unsigned)row->a, row->b, row->c); break;
	case AT_QUOTIENT:
		ret = seats_at_quotient((struct frac_u){ row->a, 1 },
					(struct frac_u){ row->b, row->c }, &u);
		v = u;
		break;
	case NEXT_AVERAGE:
		ret = seats_next_average((struct frac_u){ row->a, 1 }, (unsigned)row->b, &f);
		break;
	case RATURES: v = (uint64_t)seats_ratures_count(row->a, row->b); break;
	}
	if (ret != row->ret)
		fail_msg("%s: returned %d, wanted %d", row->title, ret, row->ret);
	if (ret)
		return;
	if (row->den == 0 && v != row->num)
		fail_msg("%s: got %llu, wanted %llu", row->title, (unsigned long long)v,
			 (unsigned long long)row->num);
	if (row->den && (f.num != row->num || f.den != row->den))
		fail_msg("%s: got %llu/%llu, wanted %llu/%llu", row->title,
			 (unsigned long long)f.num, (unsigned long long)f.den,
			 (unsigned long long)row->num, (unsigned long long)row->den);
}

/* ---- the model's other fields -------------------------------------------- */

/* CT L2314-29: quorum not reached — the count and the votes per list are
 * still computed (they measure union audience), nobody is elected. */
static void quorum_not_reached_keeps_votes(void **state)
{
	struct ct_spec sp = R1(.seats = 2, .inscrits = 1000,
			       .lists = { "MM 100 20,0", "FF 50" });
	struct scrutin *s;
	struct tally *t;
	struct count_results *r = ct_count(&sp, &s, &t);

	assert_non_null(r);
	assert_int_equal(r->quorum, COUNT_QUORUM_NOT_REACHED);
	assert_true(r->second_round_required);
	assert_false(r->seats_allocated);
	assert_int_equal(r->lists[0].total_votes, 180);
	assert_int_equal(r->lists[0].average.num, 180);
	assert_int_equal(r->lists[0].average.den, 2);
	assert_int_equal(r->lists[0].candidates[0].votes, 80);
	assert_int_equal(r->lists[0].candidates[0].rank, 2);
	assert_false(r->lists[0].candidates[1].elected);
	assert_int_equal(r->quotient.num, 150);
	assert_int_equal(r->quotient.den, 2);
	assert_true(r->audience_applies);
	assert_int_equal(r->audience[0].votes.num, 100);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

/* CT L2314-26: the tally of another scrutin is refused. */
static void tally_of_another_scrutin_refused(void **state)
{
	struct ct_spec sp = R1(.seats = 1, .inscrits = 10, .lists = { "M 1" });
	struct scrutin *s1 = ct_scrutin(&sp), *s2 = ct_scrutin(&sp);
	struct tally *t = ct_tally(s1, &sp);
	struct count_results *r = (struct count_results *)1;

	assert_int_equal(count_compute(s2, t, &r), ERR_INTERNAL);
	assert_null(r);
	tally_free(t);
	ct_scrutin_free(s1);
	ct_scrutin_free(s2);
}

/* frac.h's bound: more than 10^7 votants per scrutin is refused, not
 * computed with a risk of overflow. */
static void votes_bound_enforced(void **state)
{
	struct ct_spec sp = R2(.seats = 1, .inscrits = 10, .lists = { "M 1" });
	struct scrutin *s = ct_scrutin(&sp);
	struct tally *t = ct_tally(s, &sp);
	struct count_results *r = NULL;

	t->votants = t->blancs = t->by_reason[BALLOT_BLANK_CHOICE] = COUNT_MAX_VOTES;
	t->votants += t->lists[0].ballots;
	assert_int_equal(count_compute(s, t, &r), ERR_RANGE);
	t->votants--;
	t->blancs--;
	assert_int_equal(count_compute(s, t, &r), 0);
	count_results_free(r);
	/* An inconsistent tally (votants != blancs + nuls + lists) is a bug. */
	t->votants--;
	assert_int_equal(count_compute(s, t, &r), ERR_INTERNAL);
	tally_free(t);
	ct_scrutin_free(s);
}

/* The largest scrutin the bounds allow computes without overflow: 10^7
 * ballots spread over 64 lists of 128 candidates, 1000 seats. */
static void largest_scrutin_within_bounds(void **state)
{
	struct ct_spec sp = R1(.seats = 1000, .inscrits = ELECTION_MAX_INSCRITS,
			       .lists = { "M 0" });
	struct scrutin *s = ct_scrutin(&sp);
	struct tally *t;
	struct count_results *r = NULL;
	unsigned total = 0;

	/* Replace the one list by 64 lists of 128 candidates. */
	free(s->lists[0].candidates);
	free(s->lists);
	s->n_lists = ELECTION_MAX_LISTS;
	s->lists = calloc(s->n_lists, sizeof(*s->lists));
	for (unsigned i = 0; i < s->n_lists; i++) {
		char sexes[ELECTION_MAX_CANDIDATES + 8];

		memset(sexes, 'F', ELECTION_MAX_CANDIDATES);
		snprintf(sexes + ELECTION_MAX_CANDIDATES, 8, " 0");
		ct_list(&s->lists[i], i + 1, sexes);
	}
	s->max_candidates = ELECTION_MAX_CANDIDATES;
	s->pt_len = 3 + 16;
	assert_int_equal(tally_new(s, &t), 0);
	for (unsigned i = 0; i < s->n_lists; i++) {
		t->lists[i].ballots = COUNT_MAX_VOTES / 64 - i;
		t->lists[i].ratures[0] = i;
		t->votants += t->lists[i].ballots;
	}
	t->by_reason[BALLOT_OK] = t->votants;
	assert_int_equal(count_compute(s, t, &r), 0);
	for (unsigned i = 0; i < r->n_lists; i++)
		total += r->lists[i].seats_quotient + r->lists[i].seats_average;
	assert_int_equal(total + r->seats_undecided, 1000);
	assert_int_equal(r->quorum, COUNT_QUORUM_REACHED);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(quorum_not_reached_keeps_votes),
		cmocka_unit_test(tally_of_another_scrutin_refused),
		cmocka_unit_test(votes_bound_enforced),
		cmocka_unit_test(largest_scrutin_within_bounds),
	};
	struct CMUnitTest srows[N(seat_rows)], rrows[N(rule_rows)];
	int failed;

	for (size_t i = 0; i < N(seat_rows); i++)
		srows[i] = (struct CMUnitTest){ .name = seat_rows[i].title,
						.test_func = run_seat_row,
						.initial_state = (void *)&seat_rows[i] };
	for (size_t i = 0; i < N(rule_rows); i++)
		rrows[i] = (struct CMUnitTest){ .name = rule_rows[i].title,
						.test_func = run_rule_row,
						.initial_state = (void *)&rule_rows[i] };
	failed = _cmocka_run_group_tests("seats", srows, N(srows), NULL, NULL);
	failed += _cmocka_run_group_tests("rules", rrows, N(rrows), NULL, NULL);
	failed += cmocka_run_group_tests_name("model", tests, NULL, NULL);
	return failed ? 1 : 0;
}
