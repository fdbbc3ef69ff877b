/*
 * Properties over thousands of random elections (deterministic PRNG, so a
 * failure is reproducible from the printed round number):
 * - seats at the quotient then at the highest average equal D'Hondt on the
 *   exact averages V_L (docs/RULES.md "Seats": "tests may use that as a
 *   cross-check"), ties aside, and respecting the candidates cap (the
 *   seats a list cannot fill are vacant, not given to another list);
 * - the scrutin's vacant seats are those D'Hondt and the candidates cap
 *   give, ties included: a contested seat that goes, by the rules or by the
 *   bureau's choice, to a list without a candidate left is vacant
 *   (docs/RULES.md "Seats", last paragraph);
 * - tally_merge of random splits of a ballot stream equals one tally, and
 *   the results' JSON is byte-identical (the count can be re-run);
 * - any plaintext classifies without error, and valid or blank ones
 *   re-encode to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "count/classify.h"
#include "count/count.h"
#include "count/tally.h"
#include "lib/splitmix.h"
#include "counttest.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return splitmix64(&rng_state);
}

static unsigned below(unsigned n)   /* 0..n-1 */
{
	return (unsigned)(rnd() % n);
}

/* ---- D'Hondt cross-check ------------------------------------------------- */

struct entry {
	uint64_t num, den;   /* S_L / (n_L x d) */
	unsigned list;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	unsigned __int128 l = (unsigned __int128)x->num * y->den;
	unsigned __int128 r = (unsigned __int128)y->num * x->den;

	return l > r ? -1 : l < r;   /* descending */
}

static int entry_eq(const struct entry *x, const struct entry *y)
{
	return entry_cmp(x, y) == 0;
}

#define MAXL 8
#define MAXS 25

/* A random scrutin: lists of random size, ballots small enough now and
 * then to provoke ties, ratures random. */
static void random_spec(struct ct_spec *sp, char specs[MAXL][512])
{
	unsigned nl = 1 + below(MAXL), small = below(4) == 0;

	memset(sp, 0, sizeof(*sp));
	sp->round = 2;
	sp->seats = 1 + below(MAXS);
	sp->inscrits = 1000000;
	for (unsigned i = 0; i < nl; i++) {
		unsigned nc = 1 + below(10);
		unsigned ballots = small ? below(6) : below(500);
		size_t o = 0;

		for (unsigned c = 0; c < nc; c++)
			specs[i][o++] = below(2) ? 'F' : 'M';
		o += (size_t)snprintf(specs[i] + o, 512 - o, " %u ", ballots);
		for (unsigned c = 0; c < nc; c++)
			o += (size_t)snprintf(specs[i] + o, 512 - o, "%s%u", c ? "," : "",
					      below(2) ? 0 : below(ballots + 1));
		sp->lists[i] = specs[i];
	}
}

/* D'Hondt: the seats largest of all S_L / (n_L d), d = 1..seats. Returns 1
 * if the last seat is tied (entries seats-1 and seats equal); then
 * tied[0..*n_tied) are the lists with an entry equal to the last seat's
 * (one entry each at most: a list's entries strictly decrease). */
static int dhondt(const struct count_results *r, unsigned seats, unsigned *dh,
		  unsigned *strict, unsigned *tied, unsigned *n_tied)
{
	struct entry e[MAXL * MAXS];
	unsigned n = 0, tie;

	*n_tied = 0;
	for (unsigned i = 0; i < r->n_lists; i++) {
		dh[i] = strict[i] = 0;
		for (unsigned d = 1; r->lists[i].total_votes && d <= seats; d++)
			e[n++] = (struct entry){ r->lists[i].total_votes,
						 (uint64_t)r->lists[i].n_candidates * d, i };
	}
	qsort(e, n, sizeof(e[0]), entry_cmp);
	tie = n > seats && entry_eq(&e[seats - 1], &e[seats]);
	for (unsigned k = 0; k < seats && k < n; k++) {
		dh[e[k].list]++;
		if (!tie || !entry_eq(&e[k], &e[seats]))
			strict[e[k].list]++;
	}
	for (unsigned k = 0; tie && k < n; k++)
		if (entry_eq(&e[k], &e[seats]))
			tied[(*n_tied)++] = e[k].list;
	return (int)tie;
}

/* Tied lists in the order docs/RULES.md "Seats" serves them, as far as a
 * vacancy depends on it: more votes V_L first, then a list with a candidate
 * left (strict seats < candidates) before one without. Age only orders
 * lists that both have a candidate: it never changes whether a seat is
 * filled. */
static int tied_before(const struct count_list *a, unsigned sa,
		       const struct count_list *b, unsigned sb)
{
	unsigned __int128 va = (unsigned __int128)a->total_votes * b->n_candidates;
	unsigned __int128 vb = (unsigned __int128)b->total_votes * a->n_candidates;

	if (va != vb)
		return va > vb;
	return sa < a->n_candidates && sb >= b->n_candidates;
}

/* The seats that stay vacant, from D'Hondt alone: each list's seats beyond
 * its candidates; in a tie, each contested seat that goes to a list without
 * a candidate left, whether the rules or the bureau give it (lists the
 * bureau chooses among either all have a candidate left or none has:
 * docs/RULES.md "Seats", last paragraph). *tie_vacant: those of the tie. */
static unsigned dhondt_vacant(const struct count_results *r, unsigned seats,
			      const unsigned *dh, const unsigned *strict,
			      unsigned *tied, unsigned n_tied, unsigned *tie_vacant)
{
	unsigned vacant = 0, contested = seats;

	for (unsigned i = 0; i < r->n_lists; i++) {
		unsigned won = n_tied ? strict[i] : dh[i];

		vacant += won > r->lists[i].n_candidates ? won - r->lists[i].n_candidates : 0;
		contested -= n_tied ? strict[i] : 0;
	}
	for (unsigned i = 1; i < n_tied; i++)   /* insertion sort, stable */
		for (unsigned j = i; j > 0 && tied_before(&r->lists[tied[j]], strict[tied[j]],
							  &r->lists[tied[j - 1]],
							  strict[tied[j - 1]]); j--) {
			unsigned x = tied[j];

			tied[j] = tied[j - 1];
			tied[j - 1] = x;
		}
	*tie_vacant = 0;
	for (unsigned k = 0; n_tied && k < contested; k++)
		*tie_vacant += strict[tied[k]] >= r->lists[tied[k]].n_candidates;
	return vacant + *tie_vacant;
}

/* Returns the seats of a tie that stay vacant (0 if none). */
static unsigned check_one(const struct count_results *r, unsigned round)
{
	unsigned dh[MAXL], strict[MAXL], tied[MAXL], n_tied, total = 0, vacant, tie_vacant;
	int tie = dhondt(r, r->seats, dh, strict, tied, &n_tied);

	if (r->sve == 0) {
		assert_int_equal(r->seats_unallocated, r->seats);
		return 0;
	}
	vacant = dhondt_vacant(r, r->seats, dh, strict, tied, n_tied, &tie_vacant);
	if (r->seats_vacant != vacant)
		fail_msg("round %u: %u seats vacant, D'Hondt %u (%u of them in a tie)",
			 round, r->seats_vacant, vacant, tie_vacant);
	if (tie != (int)r->n_ties)
		fail_msg("round %u: D'Hondt tie %d, count ties %u", round, tie, r->n_ties);
	for (unsigned i = 0; i < r->n_lists; i++) {
		const struct count_list *l = &r->lists[i];
		unsigned won = l->seats_quotient + l->seats_average, elected = 0;

		for (unsigned c = 0; c < l->n_candidates; c++)
			elected += (unsigned)l->candidates[c].elected;
		assert_int_equal(elected, l->seats_filled);
		assert_int_equal(l->seats_filled + l->seats_vacant, won);
		assert_int_equal(l->seats_filled, won < l->n_candidates ? won : l->n_candidates);
		total += won;
		if (!tie && won != dh[i])
			fail_msg("round %u list %u: %u seats, D'Hondt %u", round, i + 1,
				 won, dh[i]);
		/* In a tie each tied list gets at most the one contested seat. */
		if (tie && (won < strict[i] || won > strict[i] + 1))
			fail_msg("round %u list %u: %u seats, D'Hondt %u (+1 at most)",
				 round, i + 1, won, strict[i]);
	}
	assert_int_equal(total + r->seats_undecided + r->seats_unallocated, r->seats);
	return tie_vacant;
}

static void quotient_then_highest_average_is_dhondt(void **state)
{
	unsigned ties = 0, vacant = 0, tie_vacant = 0, bureau_vacant = 0;

	rng_state = 20261208;
	for (unsigned round = 0; round < 8000; round++) {
		struct ct_spec sp;
		char specs[MAXL][512];
		struct scrutin *s;
		struct tally *t;
		struct count_results *r;

		random_spec(&sp, specs);
		r = ct_count(&sp, &s, &t);
		assert_non_null(r);
		tie_vacant += check_one(r, round) > 0;
		ties += r->n_ties;
		vacant += r->seats_vacant > 0;
		bureau_vacant += r->n_ties && r->ties[0].vacant > 0;
		count_results_free(r);
		tally_free(t);
		ct_scrutin_free(s);
	}
	/* The random elections must exercise ties and vacant seats too, and
	 * seats of a tie that stay vacant, among them ties left to the bureau
	 * between lists without a candidate left (docs/RULES.md "Seats"). */
	assert_true(ties > 50);
	assert_true(vacant > 50);
	assert_true(tie_vacant > 50);
	assert_true(bureau_vacant > 10);
}

/* ---- tally_merge of random splits ---------------------------------------- */

/* A random plaintext: mostly well-formed ballots, some blank, some all
 * struck, some random bytes. */
static size_t random_plaintext(const struct scrutin *s, uint8_t *pt)
{
	unsigned kind = below(10), choice = 1 + below(s->n_lists);
	uint8_t bm[BALLOT_BITMAP_MAX] = { 0 };
	const struct elist *l = &s->lists[choice - 1];
	size_t len;

	if (kind == 0) {
		len = below(2) ? s->pt_len : below(24);
		for (size_t i = 0; i < len; i++)
			pt[i] = (uint8_t)rnd();
		if (len >= 3 && below(2)) {   /* a plausible header, random bitmap */
			pt[0] = 1;
			pt[1] = 0;
			pt[2] = (uint8_t)below(s->n_lists + 2);
		}
		return len;
	}
	if (kind == 1)
		choice = 0;
	for (unsigned c = 0; c < l->n_candidates; c++)
		if (kind == 2 || below(4) == 0)
			bm[c / 8] |= (uint8_t)(1u << (c % 8));
	assert_int_equal(ballot_encode(s, choice, bm, pt, 32, &len), 0);
	return len;
}

static void classify_one(const struct scrutin *s, struct ballot_class *c)
{
	uint8_t pt[32];
	size_t len;

	if (below(50) == 0) {
		assert_int_equal(ballot_nul(below(2) ? BALLOT_NUL_UNREADABLE :
					    BALLOT_NUL_DUPLICATE, c), 0);
		return;
	}
	len = random_plaintext(s, pt);
	assert_int_equal(ballot_classify(s, pt, len, c), 0);
}

static void merge_round(unsigned round)
{
	char specs[MAXL][512];
	struct ct_spec sp;
	struct scrutin *s;
	struct tally *whole, *parts[5], *merged;
	unsigned k = 1 + below(5), n = below(400);
	struct count_results *r1, *r2;
	char *j1, *j2;
	size_t l1, l2;

	random_spec(&sp, specs);
	s = ct_scrutin(&sp);
	assert_int_equal(tally_new(s, &whole), 0);
	assert_int_equal(tally_new(s, &merged), 0);
	for (unsigned i = 0; i < k; i++)
		assert_int_equal(tally_new(s, &parts[i]), 0);
	for (unsigned i = 0; i < n; i++) {
		struct ballot_class c;

		classify_one(s, &c);
		assert_int_equal(tally_add(whole, &c), 0);
		assert_int_equal(tally_add(parts[below(k)], &c), 0);
	}
	for (unsigned i = k; i-- > 0;)   /* merged in reverse order */
		assert_int_equal(tally_merge(merged, parts[i]), 0);
	if (!tally_equal(whole, merged))
		fail_msg("round %u: merged tally differs", round);
	assert_int_equal(count_compute(s, whole, &r1), 0);
	assert_int_equal(count_compute(s, merged, &r2), 0);
	assert_int_equal(count_results_text(r1, &j1, &l1), 0);
	assert_int_equal(count_results_text(r2, &j2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(j1, j2, l1);
	free(j1);
	free(j2);
	count_results_free(r1);
	count_results_free(r2);
	for (unsigned i = 0; i < k; i++)
		tally_free(parts[i]);
	tally_free(whole);
	tally_free(merged);
	ct_scrutin_free(s);
}

static void merge_of_random_splits_equals_one_tally(void **state)
{
	rng_state = 15822;
	for (unsigned round = 0; round < 500; round++)
		merge_round(round);
}

/* ---- classification of arbitrary bytes ----------------------------------- */

static void any_plaintext_classifies(void **state)
{
	char specs[MAXL][512];
	struct ct_spec sp;
	unsigned seen[BALLOT_REASON_COUNT] = { 0 };

	rng_state = 15823;
	for (unsigned round = 0; round < 200; round++) {
		struct scrutin *s;
		struct tally *t;

		random_spec(&sp, specs);
		s = ct_scrutin(&sp);
		assert_int_equal(tally_new(s, &t), 0);
		for (unsigned i = 0; i < 200; i++) {
			uint8_t pt[32], again[32];
			size_t len = random_plaintext(s, pt), len2;
			struct ballot_class c;

			assert_int_equal(ballot_classify(s, pt, len, &c), 0);
			assert_int_equal(c.kind, ballot_reason_kind(c.reason));
			assert_int_equal(tally_add(t, &c), 0);
			seen[c.reason]++;
			if (c.reason != BALLOT_OK && c.reason != BALLOT_BLANK_CHOICE)
				continue;
			assert_int_equal(ballot_encode(s, c.list, c.struck, again,
						       sizeof(again), &len2), 0);
			assert_int_equal(len2, len);
			assert_memory_equal(again, pt, len);
		}
		tally_free(t);
		ct_scrutin_free(s);
	}
	for (unsigned r = 0; r < BALLOT_REASON_COUNT; r++)
		if (r != BALLOT_NUL_UNREADABLE && r != BALLOT_NUL_DUPLICATE &&
		    r != BALLOT_NUL_PROOF_FAILED && seen[r] == 0)
			fail_msg("reason %s never produced", ballot_reason_name(r));
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(quotient_then_highest_average_is_dhondt),
		cmocka_unit_test(merge_of_random_splits_equals_one_tally),
		cmocka_unit_test(any_plaintext_classifies),
	};

	return cmocka_run_group_tests_name("property", tests, NULL, NULL) ? 1 : 0;
}
