/*
 * The tally of one scrutin (count/tally.c): each row feeds a sequence of
 * plaintexts (hex; "U" = unreadable, "D" = duplicate, reported by the
 * caller) to a fresh tally of the three-list scrutin of test_ballot.c and
 * checks the one-line summary:
 *   "votants=.. blancs=.. nuls=.. [reason=count ...] | L1 <ballots> r<ratures>"
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "count/classify.h"
#include "count/tally.h"
#include "counttest.h"

static const struct ct_spec spec = {
	.round = 1, .seats = 1, .inscrits = 10,
	.lists = { "FMFMF 0", "FMFMFMFMFM 0", "F 0" },
};

struct tally_row {
	const char *title;
	const char *ballots[8];
	const char *expect;
};

static const struct tally_row tally_rows[] = {
	{ "votants = every ballot of the urn for the scrutin, whatever its kind "
	  "— docs/RULES.md Ballots (votants)",
	  { "0100010000", "0100000000", "0000010000", "U", "D" },
	  "votants=5 blancs=1 nuls=3 valid=1 blank=1 unreadable=1 bad-version=1 "
	  "duplicate=1 | L1 1 r0,0,0,0,0 | L2 0 r0,0,0,0,0,0,0,0,0,0 | L3 0 r0" },
	{ "ballots for list L = valid ballots choosing L; ratures counted per "
	  "candidate — docs/RULES.md Votes of candidates and lists",
	  { "0100010100", "0100010300", "0100020002", "0100020000" },
	  "votants=4 blancs=0 nuls=0 valid=4 | L1 2 r2,1,0,0,0 | "
	  "L2 2 r0,0,0,0,0,0,0,0,0,1 | L3 0 r0" },
	{ "blank ballots of both kinds are blancs, not ballots for the list "
	  "— docs/RULES.md Ballots (blanc)",
	  { "0100000000", "0100011f00", "0100030100" },
	  "votants=3 blancs=3 nuls=0 blank=1 all-struck=2 | L1 0 r0,0,0,0,0 | "
	  "L2 0 r0,0,0,0,0,0,0,0,0,0 | L3 0 r0" },
	{ "each nul keeps its reason — docs/RULES.md Ballots (nul)",
	  { "0200010000", "0100040000", "0100012000", "0100020004", "01000100",
	    "U", "D" },
	  "votants=7 blancs=0 nuls=7 unreadable=1 wrong-length=1 bad-version=1 "
	  "list-out-of-range=1 non-zero-padding=1 bits-beyond-list=1 duplicate=1 | "
	  "L1 0 r0,0,0,0,0 | L2 0 r0,0,0,0,0,0,0,0,0,0 | L3 0 r0" },
	{ "a nul ballot adds no rature, even with a list number — docs/RULES.md "
	  "Ballots (nul)",
	  { "0100012100" },
	  "votants=1 blancs=0 nuls=1 bits-beyond-list=1 | L1 0 r0,0,0,0,0 | "
	  "L2 0 r0,0,0,0,0,0,0,0,0,0 | L3 0 r0" },
};

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (const char *p = hex; p[0] && p[1]; p += 2) {
		char pair[3] = { p[0], p[1], 0 };

		out[n++] = (uint8_t)strtoul(pair, NULL, 16);
	}
	return n;
}

static void feed(const struct scrutin *s, struct tally *t, const char *b)
{
	struct ballot_class c;
	uint8_t pt[32];

	if (strcmp(b, "U") == 0)
		assert_int_equal(ballot_nul(BALLOT_NUL_UNREADABLE, &c), 0);
	else if (strcmp(b, "D") == 0)
		assert_int_equal(ballot_nul(BALLOT_NUL_DUPLICATE, &c), 0);
	else
		assert_int_equal(ballot_classify(s, pt, unhex(b, pt), &c), 0);
	assert_int_equal(tally_add(t, &c), 0);
}

static void summary(const struct tally *t, char *buf, size_t cap)
{
	buf[0] = '\0';
	ct_cat(buf, cap, "votants=%llu blancs=%llu nuls=%llu",
	       (unsigned long long)t->votants, (unsigned long long)t->blancs,
	       (unsigned long long)t->nuls);
	for (unsigned r = 0; r < BALLOT_REASON_COUNT; r++)
		if (t->by_reason[r])
			ct_cat(buf, cap, " %s=%llu", ballot_reason_name((enum ballot_reason)r),
			       (unsigned long long)t->by_reason[r]);
	for (unsigned i = 0; i < t->n_lists; i++) {
		ct_cat(buf, cap, " | L%u %llu r", i + 1,
		       (unsigned long long)t->lists[i].ballots);
		for (unsigned c = 0; c < t->lists[i].n_candidates; c++)
			ct_cat(buf, cap, "%s%llu", c ? "," : "",
			       (unsigned long long)t->lists[i].ratures[c]);
	}
}

static void run_tally_row(void **state)
{
	const struct tally_row *row = *state;
	struct scrutin *s = ct_scrutin(&spec);
	struct tally *t;
	char got[1024];

	assert_int_equal(tally_new(s, &t), 0);
	for (unsigned i = 0; i < 8 && row->ballots[i]; i++)
		feed(s, t, row->ballots[i]);
	summary(t, got, sizeof(got));
	if (strcmp(got, row->expect))
		fail_msg("%s\n  got:    %s\n  wanted: %s", row->title, got, row->expect);
	tally_free(t);
	ct_scrutin_free(s);
}

/* ---- merge and refusals -------------------------------------------------- */

/* docs/RULES.md: the count can be re-run; the split of the ballots between
 * threads does not matter. */
static void merge_of_halves_equals_whole(void **state)
{
	static const char *const b[] = { "0100010100", "0100000000", "0200010000",
					 "0100020302", "0100011f00", "0100030000" };
	struct scrutin *s = ct_scrutin(&spec);
	struct tally *whole, *h1, *h2;

	assert_int_equal(tally_new(s, &whole), 0);
	assert_int_equal(tally_new(s, &h1), 0);
	assert_int_equal(tally_new(s, &h2), 0);
	for (unsigned i = 0; i < 6; i++) {
		feed(s, whole, b[i]);
		feed(s, i % 2 ? h1 : h2, b[i]);
	}
	assert_false(tally_equal(whole, h1));
	assert_int_equal(tally_merge(h1, h2), 0);
	assert_true(tally_equal(whole, h1));
	tally_free(whole);
	tally_free(h1);
	tally_free(h2);
	ct_scrutin_free(s);
}

/* CT L2314-26: titulaires and suppléants are separate votes, each with its
 * own count: tallies of two scrutins do not merge. */
static void tallies_of_two_scrutins_do_not_merge(void **state)
{
	struct scrutin *tit = ct_scrutin(&spec), *sup = ct_scrutin(&spec);
	struct tally *a, *b;

	sup->id = 2;
	sup->body = BODY_SUPPLEANTS;
	assert_int_equal(tally_new(tit, &a), 0);
	assert_int_equal(tally_new(sup, &b), 0);
	feed(sup, b, "0100010000");
	assert_int_equal(tally_merge(a, b), ERR_RANGE);
	assert_int_equal(a->votants, 0);
	assert_false(tally_equal(a, b));
	tally_free(a);
	tally_free(b);
	ct_scrutin_free(tit);
	ct_scrutin_free(sup);
}

/* The tally re-checks what it is given, so a caller's mistake cannot move
 * a vote to another list or candidate. */
static void inconsistent_ballot_refused(void **state)
{
	struct scrutin *s = ct_scrutin(&spec);
	struct tally *t;
	struct ballot_class c;

	assert_int_equal(tally_new(s, &t), 0);
	memset(&c, 0, sizeof(c));
	c.kind = BALLOT_VALID;
	c.reason = BALLOT_OK;
	c.list = 4;
	assert_int_equal(tally_add(t, &c), ERR_RANGE);
	c.list = 3;
	c.struck[0] = 0x02;      /* candidate 2 of a one-candidate list */
	assert_int_equal(tally_add(t, &c), ERR_RANGE);
	c.struck[0] = 0;
	c.kind = BALLOT_BLANK;   /* kind and reason disagree */
	assert_int_equal(tally_add(t, &c), ERR_RANGE);
	c.reason = BALLOT_REASON_COUNT;
	assert_int_equal(tally_add(t, &c), ERR_RANGE);
	assert_int_equal(t->votants, 0);
	tally_free(t);
	tally_free(NULL);
	ct_scrutin_free(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_of_halves_equals_whole),
		cmocka_unit_test(tallies_of_two_scrutins_do_not_merge),
		cmocka_unit_test(inconsistent_ballot_refused),
	};
	struct CMUnitTest rows[N(tally_rows)];
	int failed;

	for (size_t i = 0; i < N(tally_rows); i++)
		rows[i] = (struct CMUnitTest){ .name = tally_rows[i].title,
					       .test_func = run_tally_row,
					       .initial_state = (void *)&tally_rows[i] };
	failed = _cmocka_run_group_tests("tally", rows, N(rows), NULL, NULL);
	failed += cmocka_run_group_tests_name("tally_api", tests, NULL, NULL);
	return failed ? 1 : 0;
}
