/*
 * From a scrutin's tally to its results (count/count.h): the rules of
 * docs/RULES.md chained in the order the PV reads them.
 */
#include <stdlib.h>
#include <string.h>

#include "count/count.h"
#include "count/seats.h"
#include "lib/err.h"

const char *count_quorum_name(enum count_quorum q)
{
	switch (q) {
	case COUNT_QUORUM_NOT_APPLICABLE: return "not-applicable";
	case COUNT_QUORUM_REACHED: return "reached";
	case COUNT_QUORUM_NOT_REACHED: return "not-reached";
	}
	return "?";
}

const char *count_tie_rule_name(enum count_tie_rule r)
{
	switch (r) {
	case COUNT_TIE_BY_VOTES: return "votes";
	case COUNT_TIE_BY_AGE: return "age";
	case COUNT_TIE_BUREAU: return "bureau";
	}
	return "?";
}

const char *count_tie_outcome_name(enum count_tie_outcome o)
{
	switch (o) {
	case COUNT_TIE_SEAT: return "seat";
	case COUNT_TIE_NO_SEAT: return "no-seat";
	case COUNT_TIE_UNDECIDED: return "undecided";
	}
	return "?";
}

void count_results_free(struct count_results *r)
{
	if (!r)
		return;
	for (unsigned i = 0; r->lists && i < r->n_lists; i++) {
		free(r->lists[i].candidates);
		free(r->lists[i].ranked);
	}
	free(r->lists);
	free(r->audience);
	free(r);
}

/* Copies the tally's counts of one list and computes its votes, average
 * (docs/RULES.md "Votes of candidates and lists") and ranking. */
static int list_init(const struct elist *def, const struct tally_list *tl,
		     struct count_list *l)
{
	int ret;

	l->def = def;
	l->ballots = tl->ballots;
	l->n_candidates = def->n_candidates;
	l->candidates = calloc(def->n_candidates, sizeof(*l->candidates));
	l->ranked = calloc(def->n_candidates, sizeof(*l->ranked));
	if (!l->candidates || !l->ranked)
		return ERR_NOMEM;
	for (unsigned c = 0; c < def->n_candidates; c++) {
		l->candidates[c].def = &def->candidates[c];
		l->candidates[c].position = c + 1;
		l->candidates[c].ratures = tl->ratures[c];
	}
	l->n_unions = def->n_unions;
	for (unsigned u = 0; u < def->n_unions; u++) {
		l->unions[u].name = def->unions[u].name;
		l->unions[u].share = def->unions[u].share;
		l->unions[u].votes = (struct frac_u){ 0, 1 };
	}
	ret = seats_rank(l);
	for (unsigned c = 0; !ret && c < def->n_candidates; c++)
		l->total_votes += l->candidates[c].votes;
	return ret ? ret : seats_list_average(l->total_votes, l->n_candidates,
					      &l->average);
}

/* Totals, SVE, quotient and quorum. The tally's invariant votants =
 * blancs + nuls + Σ ballots for the lists is checked, not assumed. */
static int totals(const struct scrutin *s, const struct tally *t,
		  struct count_results *r)
{
	uint64_t listed = 0;
	int ret;

	if (t->votants > COUNT_MAX_VOTES)
		return ERR_RANGE;
	r->inscrits = s->inscrits;
	r->votants = t->votants;
	r->blancs = t->blancs;
	r->nuls = t->nuls;
	memcpy(r->by_reason, t->by_reason, sizeof(r->by_reason));
	r->seats = s->seats;
	ret = seats_sve(t->votants, t->blancs, t->nuls, &r->sve);
	if (ret)
		return ret;
	for (unsigned i = 0; i < t->n_lists; i++)
		listed += t->lists[i].ballots;
	if (listed != r->sve)
		return ERR_INTERNAL;
	ret = seats_quotient(r->sve, s->seats, &r->quotient);
	r->quorum = seats_quorum(s->round, r->sve, s->inscrits);
	/* Quorum not reached: votes are counted and printed (they measure
	 * union audience) but nobody is elected (CT L2314-29). */
	r->second_round_required = r->quorum == COUNT_QUORUM_NOT_REACHED;
	return ret;
}

static int compute(const struct scrutin *s, const struct tally *t,
		   struct count_results *r)
{
	int ret = totals(s, t, r);

	r->lists = calloc(s->n_lists, sizeof(*r->lists));
	if (!ret && !r->lists)
		ret = ERR_NOMEM;
	for (unsigned i = 0; !ret && i < s->n_lists; i++) {
		r->n_lists = i + 1;
		ret = list_init(&s->lists[i], &t->lists[i], &r->lists[i]);
		if (!ret)
			count_gender_check(s, &r->lists[i]);
	}
	if (!ret)
		ret = count_audience_compute(r);
	if (!ret && !r->second_round_required)
		ret = seats_allocate(r);
	for (unsigned i = 0; !ret && r->seats_allocated && i < r->n_lists; i++)
		count_gender_exposed(&r->lists[i]);
	return ret;
}

int count_compute(const struct scrutin *s, const struct tally *t,
		  struct count_results **out)
{
	struct count_results *r;
	int ret;

	*out = NULL;
	if (!s || !t || t->scrutin != s || t->n_lists != s->n_lists)
		return ERR_INTERNAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return ERR_NOMEM;
	r->scrutin = s;
	ret = compute(s, t, r);
	if (ret) {
		count_results_free(r);
		return ret;
	}
	*out = r;
	return 0;
}
