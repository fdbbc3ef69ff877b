/*
 * A scrutin's results as the results file has them (format/results.h):
 * count/'s numbers copied into the document, its enumerations translated,
 * its fractions reduced. The texts still point into the definition.
 */
#include <stdlib.h>
#include <string.h>

#include "count/count.h"
#include "lib/err.h"

/* results_nul order -> ballot_reason */
static const enum ballot_reason doc_nul[RESULTS_NUL_REASONS] = {
	[RESULTS_NUL_UNREADABLE] = BALLOT_NUL_UNREADABLE,
	[RESULTS_NUL_WRONG_LENGTH] = BALLOT_NUL_WRONG_LENGTH,
	[RESULTS_NUL_BAD_VERSION] = BALLOT_NUL_BAD_VERSION,
	[RESULTS_NUL_LIST_RANGE] = BALLOT_NUL_LIST_RANGE,
	[RESULTS_NUL_PADDING] = BALLOT_NUL_PADDING,
	[RESULTS_NUL_BEYOND_LIST] = BALLOT_NUL_BEYOND_LIST,
	[RESULTS_NUL_DUPLICATE] = BALLOT_NUL_DUPLICATE,
	[RESULTS_NUL_PROOF_FAILED] = BALLOT_NUL_PROOF_FAILED,
};

static int doc_frac(struct frac_u f, struct results_frac *out, int *err)
{
	int ret = results_frac_make(f.num, f.den, out);

	if (ret && !*err)
		*err = ERR_INTERNAL;
	return ret;
}

static void doc_cand(const struct count_candidate *c, struct results_cand *out)
{
	out->position = c->position;
	out->rank = c->rank;
	out->last_name = c->def->last_name;
	out->first_name = c->def->first_name;
	out->sex = c->def->sex;
	out->votes = c->votes;
	out->ratures = c->ratures;
	out->ratures_count = c->ratures_count;
	out->elected = c->elected;
	out->exposed = (c->exposed & COUNT_EXPOSED_PROPORTION ? RESULTS_EXPOSED_PROPORTION : 0) |
		       (c->exposed & COUNT_EXPOSED_POSITION ? RESULTS_EXPOSED_POSITION : 0);
}

static void doc_gender(const struct count_list *l, struct results_gender *out)
{
	const struct count_gender *g = &l->gender;

	out->present = g->checked;
	if (!g->checked)
		return;
	out->women = g->women;
	out->men = g->men;
	out->expected_women = g->expected_women;
	out->expected_men = g->expected_men;
	out->either_rounding = g->either_rounding;
	out->exception = g->exception;
	out->exception_first = g->exception_first;
	out->over = g->over_sex;
	out->excess = g->excess;
	out->conform = g->conform;
	for (unsigned i = 0; i < l->n_candidates && out->n_breaks < ELECTION_MAX_CANDIDATES; i++)
		if (l->candidates[i].alternation_break)
			out->breaks[out->n_breaks++] = l->candidates[i].position;
}

static int doc_list(const struct count_results *r, const struct count_list *l,
		    struct results_list *out)
{
	int err = 0;

	out->number = l->def->number;
	out->name = l->def->name;
	out->n_unions = l->n_unions;
	for (unsigned u = 0; u < l->n_unions; u++) {
		out->unions[u].name = l->unions[u].name;
		doc_frac(l->unions[u].share, &out->unions[u].share, &err);
		out->unions[u].has_votes = r->audience_applies;
		if (r->audience_applies)
			doc_frac(l->unions[u].votes, &out->unions[u].votes, &err);
	}
	out->ballots = l->ballots;
	out->candidates_count = l->n_candidates;
	out->candidate_votes = l->total_votes;
	doc_frac(l->average, &out->average, &err);
	out->has_seats = r->seats_allocated;
	if (out->has_seats) {
		out->s_quotient = l->seats_quotient;
		out->s_average = l->seats_average;
		out->s_total = (uint64_t)l->seats_quotient + l->seats_average;
		out->s_vacant = l->seats_vacant;
		out->s_filled = l->seats_filled;
	}
	out->cands = calloc(l->n_candidates ? l->n_candidates : 1, sizeof(*out->cands));
	if (!out->cands)
		return ERR_NOMEM;
	for (unsigned c = 0; c < l->n_candidates; c++)
		doc_cand(&l->candidates[c], &out->cands[c]);
	doc_gender(l, &out->gender);
	return err;
}

static int doc_audience(const struct count_results *r, struct results_scrutin *out)
{
	int err = 0;

	out->has_audience = r->audience_applies;
	if (!r->audience_applies)
		return 0;
	out->audience = calloc(r->n_audience + 1, sizeof(*out->audience));
	if (!out->audience)
		return ERR_NOMEM;
	out->n_audience = r->n_audience;
	for (unsigned i = 0; i < r->n_audience; i++) {
		out->audience[i].name = r->audience[i].name;
		doc_frac(r->audience[i].votes, &out->audience[i].votes, &err);
	}
	return err;
}

static enum results_tie_rule doc_rule(enum count_tie_rule t)
{
	return t == COUNT_TIE_BY_VOTES ? RESULTS_TIE_VOTES
	       : t == COUNT_TIE_BY_AGE ? RESULTS_TIE_AGE : RESULTS_TIE_BUREAU;
}

static enum results_tie_outcome doc_outcome(enum count_tie_outcome o)
{
	return o == COUNT_TIE_SEAT ? RESULTS_TIE_SEAT
	       : o == COUNT_TIE_NO_SEAT ? RESULTS_TIE_NO_SEAT : RESULTS_TIE_UNDECIDED;
}

static int doc_tie(const struct count_results *r, struct results_scrutin *out)
{
	const struct count_tie *t = &r->ties[0];
	int err = 0;

	out->has_tie = r->n_ties > 0;
	if (!out->has_tie)
		return 0;
	out->tie.seats = t->seats;
	doc_frac(t->average, &out->tie.average, &err);
	out->tie.decided_by = doc_rule(t->decided_by);
	out->tie.undecided = t->undecided;
	out->tie.lists = calloc(t->n_lists + 1, sizeof(*out->tie.lists));
	if (!out->tie.lists)
		return ERR_NOMEM;
	out->tie.n_lists = t->n_lists;
	for (unsigned k = 0; k < t->n_lists; k++) {
		const struct count_tie_list *tl = &t->lists[k];
		const struct count_list *l = &r->lists[tl->list - 1];
		struct results_tie_list *o = &out->tie.lists[k];

		o->number = tl->list;
		doc_frac(l->average, &o->average, &err);
		o->next = tl->next;
		o->birth_date = tl->next ? l->candidates[tl->next - 1].def->birth_date : NULL;
		o->outcome = doc_outcome(tl->outcome);
	}
	return err;
}

/* What the PV must say in words (docs/RULES.md: the box does not guess, it
 * says so). */
static unsigned doc_notices(const struct count_results *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n_lists; i++)
		if (r->lists[i].gender.checked && !r->lists[i].gender.conform)
			n = RESULTS_N_GENDER;
	return n | (r->second_round_required ? RESULTS_N_SECOND_ROUND : 0) |
	       (r->seats_unallocated ? RESULTS_N_NO_VALID_VOTE : 0) |
	       (r->seats_vacant ? RESULTS_N_SEATS_VACANT : 0) |
	       (r->seats_undecided ? RESULTS_N_TIE_BUREAU : 0);
}

static int doc_header(const struct count_results *r, struct results_scrutin *out)
{
	const struct scrutin *s = r->scrutin;

	out->id = s->id;
	out->round = s->round;
	out->college = s->college;
	out->suppleants = s->body == BODY_SUPPLEANTS;
	out->inscrits = r->inscrits;
	out->votants = r->votants;
	out->blancs = r->blancs;
	out->blank = r->by_reason[BALLOT_BLANK_CHOICE];
	out->all_struck = r->by_reason[BALLOT_BLANK_ALL_STRUCK];
	out->nuls = r->nuls;
	for (unsigned i = 0; i < RESULTS_NUL_REASONS; i++)
		out->by_reason[i] = r->by_reason[doc_nul[i]];
	out->sve = r->sve;
	out->seats = r->seats;
	out->quorum = r->quorum == COUNT_QUORUM_REACHED ? RESULTS_QUORUM_REACHED
		      : r->quorum == COUNT_QUORUM_NOT_REACHED ? RESULTS_QUORUM_NOT_REACHED
							       : RESULTS_QUORUM_NA;
	out->second_round = r->second_round_required;
	out->seats_allocated = r->seats_allocated;
	out->s_unallocated = r->seats_unallocated;
	out->s_vacant = r->seats_vacant;
	out->s_undecided = r->seats_undecided;
	out->notices = doc_notices(r);
	return results_frac_make(r->quotient.num, r->quotient.den, &out->quotient) ?
		       ERR_INTERNAL : 0;
}

int count_results_doc(const struct count_results *r, struct results_scrutin *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = doc_header(r, out);
	if (!ret) {
		out->lists = calloc(r->n_lists + 1, sizeof(*out->lists));
		ret = out->lists ? 0 : ERR_NOMEM;
	}
	if (!ret)
		out->n_lists = r->n_lists;
	for (unsigned i = 0; !ret && i < r->n_lists; i++)
		ret = doc_list(r, &r->lists[i], &out->lists[i]);
	if (!ret)
		ret = doc_audience(r, out);
	if (!ret)
		ret = doc_tie(r, out);
	if (ret)
		results_scrutin_free(out);
	return ret;
}

int count_results_text(const struct count_results *r, char **text, size_t *len)
{
	struct results_scrutin doc;
	int ret = count_results_doc(r, &doc);

	*text = NULL;
	if (!ret)
		ret = results_scrutin_text(&doc, text, len);
	results_scrutin_free(&doc);
	return ret;
}
