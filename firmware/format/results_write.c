/*
 * Canonical JSON of one scrutin's results (docs/FORMATS.md "Results
 * (sceau-results/1)"): keys in a fixed order, fractions reduced and written
 * as {"num", "den", "decimal"} where the decimal is computed on integers.
 * Errors are sticky (struct jw): the first one is returned, the tree built
 * so far is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "count/count.h"
#include "count/frac.h"
#include "lib/err.h"
#include "lib/json_util.h"

struct jw {
	int err;
};

static void jw_fail(struct jw *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Takes v (NULL allowed: records the failure). */
static void jw_set(struct jw *w, json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v))
		jw_fail(w, ERR_NOMEM);
}

static void jw_add(struct jw *w, json_t *a, json_t *v)
{
	if (json_array_append_new(a, v))
		jw_fail(w, ERR_NOMEM);
}

static json_t *jw_u64(struct jw *w, uint64_t v)
{
	if (v > INT64_MAX) {
		jw_fail(w, ERR_RANGE);
		return NULL;
	}
	return json_integer((json_int_t)v);
}

static json_t *jw_frac(struct jw *w, struct frac_u f)
{
	char dec[FRAC_DECIMAL_MAX];
	json_t *o = json_object();
	struct frac_u r = frac_reduce(f);

	if (f.den == 0 || frac_decimal(r, COUNT_DECIMALS, dec, sizeof(dec))) {
		jw_fail(w, ERR_INTERNAL);
		json_decref(o);
		return NULL;
	}
	jw_set(w, o, "num", jw_u64(w, r.num));
	jw_set(w, o, "den", jw_u64(w, r.den));
	jw_set(w, o, "decimal", json_string(dec));
	return o;
}

static json_t *jw_sex(char sex)
{
	char s[2] = { sex, '\0' };

	return sex ? json_string(s) : json_null();
}

static json_t *reasons(struct jw *w, const struct count_results *r,
		       enum ballot_kind kind)
{
	json_t *o = json_object();

	for (unsigned i = 0; i < BALLOT_REASON_COUNT; i++)
		if (ballot_reason_kind((enum ballot_reason)i) == kind)
			jw_set(w, o, ballot_reason_name((enum ballot_reason)i),
			       jw_u64(w, r->by_reason[i]));
	return o;
}

static json_t *unions(struct jw *w, const struct count_results *r,
		      const struct count_list *l)
{
	json_t *a = json_array();

	for (unsigned u = 0; u < l->n_unions; u++) {
		json_t *o = json_object();

		jw_set(w, o, "name", json_string(l->unions[u].name));
		jw_set(w, o, "share", jw_frac(w, l->unions[u].share));
		jw_set(w, o, "votes", r->audience_applies ?
			   jw_frac(w, l->unions[u].votes) : json_null());
		jw_add(w, a, o);
	}
	return a;
}

static json_t *seats_of(struct jw *w, const struct count_results *r,
			const struct count_list *l)
{
	json_t *o;

	if (!r->seats_allocated)
		return json_null();
	o = json_object();
	jw_set(w, o, "quotient", json_integer(l->seats_quotient));
	jw_set(w, o, "average", json_integer(l->seats_average));
	jw_set(w, o, "total", json_integer(l->seats_quotient + l->seats_average));
	jw_set(w, o, "vacant", json_integer(l->seats_vacant));
	jw_set(w, o, "filled", json_integer(l->seats_filled));
	return o;
}

static json_t *exposed(struct jw *w, unsigned bits)
{
	json_t *a = json_array();

	if (bits & COUNT_EXPOSED_PROPORTION)
		jw_add(w, a, json_string("proportion"));
	if (bits & COUNT_EXPOSED_POSITION)
		jw_add(w, a, json_string("position"));
	return a;
}

static json_t *candidate(struct jw *w, const struct count_candidate *c)
{
	json_t *o = json_object();

	jw_set(w, o, "position", json_integer(c->position));
	jw_set(w, o, "last_name", json_string(c->def->last_name));
	jw_set(w, o, "first_name", json_string(c->def->first_name));
	jw_set(w, o, "sex", jw_sex(c->def->sex));
	jw_set(w, o, "votes", jw_u64(w, c->votes));
	jw_set(w, o, "ratures", jw_u64(w, c->ratures));
	jw_set(w, o, "ratures_count", json_boolean(c->ratures_count));
	jw_set(w, o, "rank", json_integer(c->rank));
	jw_set(w, o, "elected", json_boolean(c->elected));
	jw_set(w, o, "exposed", exposed(w, c->exposed));
	return o;
}

static json_t *gender(struct jw *w, const struct count_list *l)
{
	const struct count_gender *g = &l->gender;
	json_t *o, *breaks;

	if (!g->checked)
		return json_null();
	o = json_object();
	breaks = json_array();
	for (unsigned i = 0; i < l->n_candidates; i++)
		if (l->candidates[i].alternation_break)
			jw_add(w, breaks, json_integer(l->candidates[i].position));
	jw_set(w, o, "women", json_integer(g->women));
	jw_set(w, o, "men", json_integer(g->men));
	jw_set(w, o, "expected_women", json_integer(g->expected_women));
	jw_set(w, o, "expected_men", json_integer(g->expected_men));
	jw_set(w, o, "either_rounding", json_boolean(g->either_rounding));
	jw_set(w, o, "exception", json_boolean(g->exception));
	jw_set(w, o, "exception_first", json_boolean(g->exception_first));
	jw_set(w, o, "over_represented", jw_sex(g->over_sex));
	jw_set(w, o, "excess", json_integer(g->excess));
	jw_set(w, o, "alternation_breaks", breaks);
	jw_set(w, o, "conform", json_boolean(g->conform));
	return o;
}

static json_t *list(struct jw *w, const struct count_results *r,
		    const struct count_list *l)
{
	json_t *o = json_object(), *cands = json_array();

	for (unsigned c = 0; c < l->n_candidates; c++)
		jw_add(w, cands, candidate(w, &l->candidates[c]));
	jw_set(w, o, "number", json_integer(l->def->number));
	jw_set(w, o, "name", json_string(l->def->name));
	jw_set(w, o, "unions", unions(w, r, l));
	jw_set(w, o, "ballots", jw_u64(w, l->ballots));
	jw_set(w, o, "candidates_count", json_integer(l->n_candidates));
	jw_set(w, o, "candidate_votes", jw_u64(w, l->total_votes));
	jw_set(w, o, "average", jw_frac(w, l->average));
	jw_set(w, o, "seats", seats_of(w, r, l));
	jw_set(w, o, "candidates", cands);
	jw_set(w, o, "gender", gender(w, l));
	return o;
}

static json_t *audience(struct jw *w, const struct count_results *r)
{
	json_t *a;

	if (!r->audience_applies)
		return json_null();
	a = json_array();
	for (unsigned i = 0; i < r->n_audience; i++) {
		json_t *o = json_object();

		jw_set(w, o, "name", json_string(r->audience[i].name));
		jw_set(w, o, "votes", jw_frac(w, r->audience[i].votes));
		jw_add(w, a, o);
	}
	return a;
}

static json_t *tie_list(struct jw *w, const struct count_results *r,
			const struct count_tie_list *tl)
{
	const struct count_list *l = &r->lists[tl->list - 1];
	json_t *o = json_object();

	jw_set(w, o, "number", json_integer(tl->list));
	jw_set(w, o, "average", jw_frac(w, l->average));
	jw_set(w, o, "next_candidate", tl->next ? json_integer(tl->next) : json_null());
	jw_set(w, o, "birth_date", tl->next ?
		   json_string(l->candidates[tl->next - 1].def->birth_date) : json_null());
	jw_set(w, o, "outcome", json_string(count_tie_outcome_name(tl->outcome)));
	return o;
}

static json_t *ties(struct jw *w, const struct count_results *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < r->n_ties; i++) {
		const struct count_tie *t = &r->ties[i];
		json_t *o = json_object(), *ls = json_array();

		for (unsigned k = 0; k < t->n_lists; k++)
			jw_add(w, ls, tie_list(w, r, &t->lists[k]));
		jw_set(w, o, "seats", json_integer(t->seats));
		jw_set(w, o, "average", jw_frac(w, t->average));
		jw_set(w, o, "decided_by", json_string(count_tie_rule_name(t->decided_by)));
		jw_set(w, o, "undecided", json_integer(t->undecided));
		jw_set(w, o, "lists", ls);
		jw_add(w, a, o);
	}
	return a;
}

/* Notices the PV prints in words (docs/RULES.md: the box does not guess, it
 * says so). */
static json_t *notices(struct jw *w, const struct count_results *r)
{
	json_t *a = json_array();
	int gender_warning = 0;

	for (unsigned i = 0; i < r->n_lists; i++)
		gender_warning |= r->lists[i].gender.checked && !r->lists[i].gender.conform;
	if (r->second_round_required)
		jw_add(w, a, json_string("second-round-required"));
	if (r->seats_unallocated)
		jw_add(w, a, json_string("no-valid-vote"));
	if (r->seats_vacant)
		jw_add(w, a, json_string("seats-vacant"));
	if (r->seats_undecided)
		jw_add(w, a, json_string("tie-for-bureau"));
	if (gender_warning)
		jw_add(w, a, json_string("gender-balance"));
	return a;
}

static void header(struct jw *w, json_t *o, const struct count_results *r)
{
	const struct scrutin *s = r->scrutin;

	jw_set(w, o, "scrutin", json_integer(s->id));
	jw_set(w, o, "college", json_string(s->college));
	jw_set(w, o, "body", json_string(election_body_name(s->body)));
	jw_set(w, o, "round", json_integer(s->round));
	jw_set(w, o, "inscrits", jw_u64(w, r->inscrits));
	jw_set(w, o, "votants", jw_u64(w, r->votants));
	jw_set(w, o, "blancs", jw_u64(w, r->blancs));
	jw_set(w, o, "blancs_by_kind", reasons(w, r, BALLOT_BLANK));
	jw_set(w, o, "nuls", jw_u64(w, r->nuls));
	jw_set(w, o, "nuls_by_reason", reasons(w, r, BALLOT_NUL));
	jw_set(w, o, "sve", jw_u64(w, r->sve));
	jw_set(w, o, "seats", json_integer(r->seats));
	jw_set(w, o, "quotient", jw_frac(w, r->quotient));
	jw_set(w, o, "quorum", json_string(count_quorum_name(r->quorum)));
	jw_set(w, o, "second_round_required", json_boolean(r->second_round_required));
	jw_set(w, o, "seats_allocated", json_boolean(r->seats_allocated));
	jw_set(w, o, "seats_unallocated", json_integer(r->seats_unallocated));
	jw_set(w, o, "seats_vacant", json_integer(r->seats_vacant));
	jw_set(w, o, "seats_undecided", json_integer(r->seats_undecided));
}

int count_results_json(const struct count_results *r, json_t **out)
{
	struct jw w = { 0 };
	json_t *o = json_object(), *ls = json_array();

	*out = NULL;
	header(&w, o, r);
	for (unsigned i = 0; i < r->n_lists; i++)
		jw_add(&w, ls, list(&w, r, &r->lists[i]));
	jw_set(&w, o, "lists", ls);
	jw_set(&w, o, "union_audience", audience(&w, r));
	jw_set(&w, o, "ties", ties(&w, r));
	jw_set(&w, o, "notices", notices(&w, r));
	if (w.err) {
		json_decref(o);
		return w.err;
	}
	*out = o;
	return 0;
}

int count_results_text(const struct count_results *r, char **text, size_t *len)
{
	json_t *o;
	int ret = count_results_json(r, &o);

	*text = NULL;
	if (ret)
		return ret;
	ret = jutil_dump(o, text, len);
	json_decref(o);
	return ret;
}
