/*
 * Seats: proportional representation at the highest average (CT L2314-29;
 * R2314-19 to -21; docs/RULES.md "Seats" and "Quorum").
 */
#include <string.h>

#include "count/seats.h"
#include "lib/err.h"

/* V_L = (Σ votes of its candidates) / (number of candidates): the PV's
 * "moyenne des voix", exact (docs/RULES.md "Votes of candidates and lists"). */
int seats_list_average(uint64_t total_votes, unsigned n_candidates,
		       struct frac_u *average)
{
	return frac_make(total_votes, n_candidates, average);
}

/* Suffrages valablement exprimés = votants - blancs - nuls (docs/RULES.md
 * "Ballots"). */
int seats_sve(uint64_t votants, uint64_t blancs, uint64_t nuls, uint64_t *sve)
{
	if (blancs > votants || nuls > votants - blancs)
		return ERR_INTERNAL;
	*sve = votants - blancs - nuls;
	return 0;
}

/* Quotient électoral Q = SVE / seats to fill (CT L2314-29). */
int seats_quotient(uint64_t sve, unsigned seats, struct frac_u *q)
{
	return frac_make(sve, seats, q);
}

/* Quorum, round 1 only: SVE >= half of the inscrits; blank and nul ballots
 * do not count (CT L2314-29; Cass. soc. 22 July 1975, 75-60.117). */
enum count_quorum seats_quorum(unsigned round, uint64_t sve, uint64_t inscrits)
{
	if (round != 1)
		return COUNT_QUORUM_NOT_APPLICABLE;
	return (unsigned __int128)2 * sve >= inscrits ? COUNT_QUORUM_REACHED :
							COUNT_QUORUM_NOT_REACHED;
}

/* Seats at the quotient: floor(V_L / Q) (CT L2314-29). */
int seats_at_quotient(struct frac_u average, struct frac_u q, unsigned *won)
{
	struct frac_u x;
	int ret = frac_div(average, q, &x);

	if (ret)
		return ret;
	if (frac_floor(x) > ELECTION_MAX_SEATS)
		return ERR_INTERNAL;
	*won = (unsigned)frac_floor(x);
	return 0;
}

/* Highest average: the average a list would have with one more seat,
 * V_L / (seats already won + 1) (CT L2314-29). */
int seats_next_average(struct frac_u average, unsigned won, struct frac_u *out)
{
	return frac_div_u(average, (uint64_t)won + 1, out);
}

static unsigned won(const struct count_list *l)
{
	return l->seats_quotient + l->seats_average;
}

/* The candidate the list's next seat would elect: the next one by the
 * list's ranking, or none if every candidate already has a seat. */
static const struct count_candidate *next_candidate(const struct count_list *l)
{
	unsigned w = won(l);

	return w < l->n_candidates ? &l->candidates[l->ranked[w]] : NULL;
}

/* Order of the lists tied for a seat (docs/RULES.md "Seats"): more votes V_L
 * first; then the list whose candidate who would be elected is the oldest
 * (birth dates are YYYY-MM-DD, so byte order is date order); a list without
 * a candidate left cannot win on age. 0: the bureau decides. */
static int tie_cmp(const struct count_list *a, const struct count_list *b,
		   enum count_tie_rule *rule)
{
	const struct count_candidate *ca = next_candidate(a), *cb = next_candidate(b);
	int c = frac_cmp(b->average, a->average);

	*rule = COUNT_TIE_BY_VOTES;
	if (c)
		return c;
	*rule = COUNT_TIE_BY_AGE;
	if (ca && cb)
		c = strcmp(ca->def->birth_date, cb->def->birth_date);
	else
		c = ca ? -1 : cb ? 1 : 0;
	if (c)
		return c < 0 ? -1 : 1;
	*rule = COUNT_TIE_BUREAU;
	return 0;
}

static void sort_tied(const struct count_results *r, unsigned *t, unsigned n)
{
	enum count_tie_rule rule;

	for (unsigned i = 1; i < n; i++) {
		unsigned v = t[i], j = i;

		while (j > 0 && tie_cmp(&r->lists[t[j - 1]], &r->lists[v], &rule) > 0) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = v;
	}
}

/* t: the n tied lists sorted by tie_cmp, competing for left < n seats. The
 * first left lists get them, unless the last winner and the first loser
 * compare equal: then every list equal to them shares the seats left once
 * the lists before them are served, and the bureau decides. Lists equal
 * under tie_cmp either all have a candidate left or none has; if none has,
 * the seats left to the bureau stay vacant whichever list it picks
 * (docs/RULES.md "Seats", last paragraph). */
static void tie_record(struct count_results *r, const unsigned *t, unsigned n,
		       unsigned left, struct frac_u avg)
{
	struct count_tie *tie = &r->ties[r->n_ties++];
	const struct count_list *edge = &r->lists[t[left]];
	enum count_tie_rule rule, same;
	int open = tie_cmp(&r->lists[t[left - 1]], edge, &rule) == 0;
	unsigned g0 = left;

	while (open && g0 > 0 && tie_cmp(&r->lists[t[g0 - 1]], edge, &same) == 0)
		g0--;
	memset(tie, 0, sizeof(*tie));
	tie->seats = left;
	tie->average = avg;
	tie->decided_by = rule;
	tie->undecided = left - g0;
	tie->vacant = open && !next_candidate(edge) ? tie->undecided : 0;
	tie->n_lists = n;
	for (unsigned i = 0; i < n; i++) {
		const struct count_candidate *c = next_candidate(&r->lists[t[i]]);
		int equal = tie_cmp(&r->lists[t[i]], edge, &same) == 0;

		tie->lists[i].list = t[i] + 1;
		tie->lists[i].next = c ? c->position : 0;
		tie->lists[i].outcome = i < g0 ? COUNT_TIE_SEAT :
			open && equal ? COUNT_TIE_UNDECIDED : COUNT_TIE_NO_SEAT;
	}
	for (unsigned i = 0; i < g0; i++)
		r->lists[t[i]].seats_average++;
	r->seats_undecided = tie->undecided;
}

/* The highest next average among the lists with votes; *n lists share it,
 * indexes in t (list order). 0 lists if no list has a vote. */
static int highest(const struct count_results *r, unsigned *t, unsigned *n,
		   struct frac_u *best)
{
	*n = 0;
	for (unsigned i = 0; i < r->n_lists; i++) {
		const struct count_list *l = &r->lists[i];
		struct frac_u a;
		int ret, c;

		if (frac_is_zero(l->average))
			continue;
		ret = seats_next_average(l->average, won(l), &a);
		if (ret)
			return ret;
		c = *n ? frac_cmp(a, *best) : 1;
		if (c > 0) {
			*best = a;
			*n = 0;
		}
		if (c >= 0)
			t[(*n)++] = i;
	}
	return 0;
}

/* Remaining seats, one at a time, to the highest average. When k lists
 * share it and k seats or more remain, each of them gets one seat in turn
 * (after its seat a list's average drops below the others'), so they are
 * served together; otherwise the tie rules decide, using up every seat. */
static int by_highest_average(struct count_results *r, unsigned left)
{
	unsigned t[ELECTION_MAX_LISTS], n;
	struct frac_u best = { 0, 1 };

	while (left > 0) {
		int ret = highest(r, t, &n, &best);

		if (ret)
			return ret;
		if (n == 0) {
			r->seats_unallocated = left;
			return 0;
		}
		if (n <= left) {
			for (unsigned i = 0; i < n; i++)
				r->lists[t[i]].seats_average++;
			left -= n;
			continue;
		}
		sort_tied(r, t, n);
		tie_record(r, t, n, left, best);
		left = 0;
	}
	return 0;
}

/* A list never gets more seats than it has candidates: the others stay
 * vacant, not given to another list (docs/RULES.md "Seats"). The first k
 * ranked candidates of a list with k filled seats are elected. The seats a
 * tie leaves to the bureau between lists without a candidate left are
 * vacant too, though in no list's seats until the bureau decides. */
static void fill_seats(struct count_results *r)
{
	r->seats_vacant = r->n_ties ? r->ties[0].vacant : 0;
	for (unsigned i = 0; i < r->n_lists; i++) {
		struct count_list *l = &r->lists[i];
		unsigned w = won(l);

		l->seats_filled = w < l->n_candidates ? w : l->n_candidates;
		l->seats_vacant = w - l->seats_filled;
		r->seats_vacant += l->seats_vacant;
		for (unsigned k = 0; k < l->seats_filled; k++)
			l->candidates[l->ranked[k]].elected = 1;
	}
}

static int by_quotient(struct count_results *r, unsigned *left)
{
	*left = r->seats;
	for (unsigned i = 0; i < r->n_lists; i++) {
		struct count_list *l = &r->lists[i];
		int ret = seats_at_quotient(l->average, r->quotient, &l->seats_quotient);

		if (ret)
			return ret;
		/* Σ V_L <= SVE, so the quotient never gives more than the seats. */
		if (l->seats_quotient > *left)
			return ERR_INTERNAL;
		*left -= l->seats_quotient;
	}
	return 0;
}

int seats_allocate(struct count_results *r)
{
	unsigned left;
	int ret;

	r->seats_allocated = 1;
	if (r->sve == 0) {
		/* No valid vote (possible in round 2 only): Q is 0, no list
		 * can win a seat. */
		r->seats_unallocated = r->seats;
		fill_seats(r);
		return 0;
	}
	ret = by_quotient(r, &left);
	if (!ret)
		ret = by_highest_average(r, left);
	if (!ret)
		fill_seats(r);
	return ret;
}
