/*
 * Who is elected inside a list (CT L2314-29, al. on ratures; docs/RULES.md "Who
 * is elected inside a list").
 */
#include "count/seats.h"
#include "lib/err.h"

/* Votes of candidate c = ballots for L - ratures on c (docs/RULES.md "Votes of
 * candidates and lists"). */
int seats_candidate_votes(uint64_t ballots, uint64_t ratures, uint64_t *votes)
{
	if (ratures > ballots)
		return ERR_INTERNAL;
	*votes = ballots - ratures;
	return 0;
}

/* Ratures count only if at least 10 % of the ballots for the list (CT
 * L2314-29; the base is the list's ballots: Circ. DRT 25 Oct 1983). No
 * rature at all has nothing to count (the PV would otherwise say "count"
 * for a list without ballots). */
int seats_ratures_count(uint64_t ratures, uint64_t ballots)
{
	return ratures > 0 && (unsigned __int128)10 * ratures >= ballots;
}

/* A candidate whose ratures are ignored is treated as having all the
 * list's ballots (ministerial letter of 20 Aug 1985). */
static int set_votes(struct count_list *l, struct count_candidate *c)
{
	int ret = seats_candidate_votes(l->ballots, c->ratures, &c->votes);

	if (ret)
		return ret;
	c->ratures_count = seats_ratures_count(c->ratures, l->ballots);
	c->effective = c->ratures_count ? c->votes : l->ballots;
	return 0;
}

/* Effective votes, highest first; equal effective votes keep the order of
 * presentation (Cass. soc. 6 July 1978, 78-60.594): a stable insertion sort
 * on at most 128 candidates. */
static void sort_ranked(struct count_list *l)
{
	for (unsigned i = 0; i < l->n_candidates; i++) {
		unsigned v = i, j = i;
		uint64_t e = l->candidates[i].effective;

		while (j > 0 && l->candidates[l->ranked[j - 1]].effective < e) {
			l->ranked[j] = l->ranked[j - 1];
			j--;
		}
		l->ranked[j] = v;
	}
	for (unsigned i = 0; i < l->n_candidates; i++)
		l->candidates[l->ranked[i]].rank = i + 1;
}

int seats_rank(struct count_list *l)
{
	for (unsigned i = 0; i < l->n_candidates; i++) {
		int ret = set_votes(l, &l->candidates[i]);

		if (ret)
			return ret;
	}
	sort_ranked(l);
	return 0;
}
