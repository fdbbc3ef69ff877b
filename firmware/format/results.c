/*
 * The results file (sceau-results/1): its names, its writer, then its
 * strict reader; see results.h. The writer and the reader share the tables
 * of names below, so that what one writes the other reads.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/hash.h"
#include "format/results.h"
#include "lib/err.h"
#include "lib/json_util.h"

#define RES_FRAC_MAX (1ull << 58)            /* count/frac.h's bound */
#define RES_VOTES_MAX 10000000ull            /* COUNT_MAX_VOTES */
#define RES_CAND_VOTES_MAX (RES_VOTES_MAX * ELECTION_MAX_CANDIDATES)

static const char *const res_reasons[RESULTS_NUL_REASONS] = {
	"unreadable", "wrong-length", "bad-version", "list-out-of-range",
	"non-zero-padding", "bits-beyond-list", "duplicate", "proof-failed",
};
static const char *const res_bodies[] = { "titulaires", "suppléants" };
static const char *const res_quorums[] = { "not-applicable", "reached", "not-reached" };
static const char *const res_rules[] = { "votes", "age", "bureau" };          /* - 1 */
static const char *const res_outcomes[] = { "seat", "no-seat", "undecided" }; /* - 1 */
static const char *const res_notice_names[] = { "second-round-required", "no-valid-vote",
					   "seats-vacant", "tie-for-bureau",
					   "gender-balance" };                /* bit k */
#define RES_N_NOTICES 5

/* ---- fractions, irregularities --------------------------------------------- */

static uint64_t res_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* num/den with RESULTS_DECIMALS decimals, rounded half up, on integers. */
static void res_decimal(uint64_t num, uint64_t den, char out[RESULTS_DECIMAL_MAX])
{
	uint64_t ip = num / den, f = 0;
	unsigned __int128 r = num % den;

	for (int i = 0; i < RESULTS_DECIMALS; i++) {
		r *= 10;
		f = f * 10 + (uint64_t)(r / den);
		r %= den;
	}
	if (r >= den - r && ++f == 10000) {
		f = 0;
		ip++;
	}
	snprintf(out, RESULTS_DECIMAL_MAX, "%" PRIu64 ".%04" PRIu64, ip, f);
}

int results_frac_make(uint64_t num, uint64_t den, struct results_frac *out)
{
	uint64_t g;

	memset(out, 0, sizeof(*out));
	if (den == 0) {
		err_detail("results: a fraction with a zero denominator");
		return ERR_RANGE;
	}
	g = num ? res_gcd(num, den) : den;
	out->num = num / g;
	out->den = den / g;
	res_decimal(out->num, out->den, out->dec);
	return 0;
}

void results_irreg_ballots(struct results_irreg *g, unsigned scrutin, uint64_t urn,
			   uint64_t emargement)
{
	memset(g, 0, sizeof(*g));
	g->scrutin = scrutin;
	snprintf(g->kind, sizeof(g->kind), "%s", RESULTS_IRREG_BALLOTS);
	snprintf(g->detail, sizeof(g->detail), "urn=%" PRIu64 " emargement=%" PRIu64, urn,
		 emargement);
}

int results_irreg_ballots_parse(const struct results_irreg *g, uint64_t *urn,
				uint64_t *emargement)
{
	struct results_irreg again;
	unsigned long long u, m;
	int n = 0;

	if (strcmp(g->kind, RESULTS_IRREG_BALLOTS) != 0 ||
	    sscanf(g->detail, "urn=%llu emargement=%llu%n", &u, &m, &n) != 2 ||
	    g->detail[n] != '\0')
		return ERR_FORMAT;
	/* only the text the box writes (no sign, no leading zero) */
	results_irreg_ballots(&again, g->scrutin, u, m);
	if (strcmp(again.detail, g->detail) != 0)
		return ERR_FORMAT;
	*urn = u;
	*emargement = m;
	return 0;
}

/* ---- writer ---------------------------------------------------------------- */

/* Errors are sticky: the first one is returned, the tree built so far is
 * freed. */
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
		err_detail("results: %" PRIu64 " does not fit a JSON integer", v);
		jw_fail(w, ERR_RANGE);
		return NULL;
	}
	return json_integer((json_int_t)v);
}

/* In lowest terms whatever the document holds, with its decimal text. */
static json_t *jw_frac(struct jw *w, const struct results_frac *f)
{
	struct results_frac r;
	json_t *o;

	if (results_frac_make(f->num, f->den, &r)) {
		jw_fail(w, ERR_RANGE);
		return NULL;
	}
	o = json_object();
	jw_set(w, o, "num", jw_u64(w, r.num));
	jw_set(w, o, "den", jw_u64(w, r.den));
	jw_set(w, o, "decimal", json_string(r.dec));
	return o;
}

static json_t *jw_sex(char sex)
{
	char s[2] = { sex, '\0' };

	return sex ? json_string(s) : json_null();
}

/* names[i]; an enumeration out of range is the caller's fault. */
static json_t *jw_name(struct jw *w, const char *const *names, size_t n, unsigned i)
{
	if (i < n)
		return json_string(names[i]);
	err_detail("results: value %u of an enumeration out of range", i);
	jw_fail(w, ERR_INTERNAL);
	return NULL;
}

static json_t *wr_unions(struct jw *w, const struct results_list *l)
{
	json_t *a = json_array();

	for (unsigned u = 0; u < l->n_unions; u++) {
		const struct results_union *un = &l->unions[u];
		json_t *o = json_object();

		jw_set(w, o, "name", json_string(un->name));
		jw_set(w, o, "share", jw_frac(w, &un->share));
		jw_set(w, o, "votes", un->has_votes ? jw_frac(w, &un->votes) : json_null());
		jw_add(w, a, o);
	}
	return a;
}

static json_t *wr_seats(struct jw *w, const struct results_list *l)
{
	json_t *o;

	if (!l->has_seats)
		return json_null();
	o = json_object();
	jw_set(w, o, "quotient", jw_u64(w, l->s_quotient));
	jw_set(w, o, "average", jw_u64(w, l->s_average));
	jw_set(w, o, "total", jw_u64(w, l->s_total));
	jw_set(w, o, "vacant", jw_u64(w, l->s_vacant));
	jw_set(w, o, "filled", jw_u64(w, l->s_filled));
	return o;
}

static json_t *wr_exposed(struct jw *w, unsigned bits)
{
	json_t *a = json_array();

	if (bits & RESULTS_EXPOSED_PROPORTION)
		jw_add(w, a, json_string("proportion"));
	if (bits & RESULTS_EXPOSED_POSITION)
		jw_add(w, a, json_string("position"));
	return a;
}

static json_t *wr_cand(struct jw *w, const struct results_cand *c)
{
	json_t *o = json_object();

	jw_set(w, o, "position", json_integer(c->position));
	jw_set(w, o, "last_name", json_string(c->last_name));
	jw_set(w, o, "first_name", json_string(c->first_name));
	jw_set(w, o, "sex", jw_sex(c->sex));
	jw_set(w, o, "votes", jw_u64(w, c->votes));
	jw_set(w, o, "ratures", jw_u64(w, c->ratures));
	jw_set(w, o, "ratures_count", json_boolean(c->ratures_count));
	jw_set(w, o, "rank", json_integer(c->rank));
	jw_set(w, o, "elected", json_boolean(c->elected));
	jw_set(w, o, "exposed", wr_exposed(w, c->exposed));
	return o;
}

static json_t *wr_gender(struct jw *w, const struct results_gender *g)
{
	json_t *o, *breaks;

	if (!g->present)
		return json_null();
	o = json_object();
	breaks = json_array();
	for (size_t i = 0; i < g->n_breaks && i < ELECTION_MAX_CANDIDATES; i++)
		jw_add(w, breaks, json_integer(g->breaks[i]));
	jw_set(w, o, "women", jw_u64(w, g->women));
	jw_set(w, o, "men", jw_u64(w, g->men));
	jw_set(w, o, "expected_women", jw_u64(w, g->expected_women));
	jw_set(w, o, "expected_men", jw_u64(w, g->expected_men));
	jw_set(w, o, "either_rounding", json_boolean(g->either_rounding));
	jw_set(w, o, "exception", json_boolean(g->exception));
	jw_set(w, o, "exception_first", json_boolean(g->exception_first));
	jw_set(w, o, "over_represented", jw_sex(g->over));
	jw_set(w, o, "excess", jw_u64(w, g->excess));
	jw_set(w, o, "alternation_breaks", breaks);
	jw_set(w, o, "conform", json_boolean(g->conform));
	return o;
}

static json_t *wr_list(struct jw *w, const struct results_list *l)
{
	json_t *o = json_object(), *cands = json_array();

	for (uint64_t c = 0; l->cands && c < l->candidates_count; c++)
		jw_add(w, cands, wr_cand(w, &l->cands[c]));
	jw_set(w, o, "number", json_integer(l->number));
	jw_set(w, o, "name", json_string(l->name));
	jw_set(w, o, "unions", wr_unions(w, l));
	jw_set(w, o, "ballots", jw_u64(w, l->ballots));
	jw_set(w, o, "candidates_count", jw_u64(w, l->candidates_count));
	jw_set(w, o, "candidate_votes", jw_u64(w, l->candidate_votes));
	jw_set(w, o, "average", jw_frac(w, &l->average));
	jw_set(w, o, "seats", wr_seats(w, l));
	jw_set(w, o, "candidates", cands);
	jw_set(w, o, "gender", wr_gender(w, &l->gender));
	return o;
}

static json_t *wr_audience(struct jw *w, const struct results_scrutin *s)
{
	json_t *a;

	if (!s->has_audience)
		return json_null();
	a = json_array();
	for (unsigned i = 0; i < s->n_audience; i++) {
		json_t *o = json_object();

		jw_set(w, o, "name", json_string(s->audience[i].name));
		jw_set(w, o, "votes", jw_frac(w, &s->audience[i].votes));
		jw_add(w, a, o);
	}
	return a;
}

static json_t *wr_tie_list(struct jw *w, const struct results_tie_list *tl)
{
	json_t *o = json_object();

	jw_set(w, o, "number", json_integer(tl->number));
	jw_set(w, o, "average", jw_frac(w, &tl->average));
	jw_set(w, o, "next_candidate", tl->next ? json_integer(tl->next) : json_null());
	jw_set(w, o, "birth_date", tl->birth_date ? json_string(tl->birth_date) : json_null());
	jw_set(w, o, "outcome", jw_name(w, res_outcomes, 3, tl->outcome - 1u));
	return o;
}

static json_t *wr_ties(struct jw *w, const struct results_scrutin *s)
{
	const struct results_tie *t = &s->tie;
	json_t *a = json_array(), *o, *ls;

	if (!s->has_tie)
		return a;
	o = json_object();
	ls = json_array();
	for (unsigned k = 0; k < t->n_lists; k++)
		jw_add(w, ls, wr_tie_list(w, &t->lists[k]));
	jw_set(w, o, "seats", jw_u64(w, t->seats));
	jw_set(w, o, "average", jw_frac(w, &t->average));
	jw_set(w, o, "decided_by", jw_name(w, res_rules, 3, t->decided_by - 1u));
	jw_set(w, o, "undecided", jw_u64(w, t->undecided));
	jw_set(w, o, "lists", ls);
	jw_add(w, a, o);
	return a;
}

static json_t *wr_notices(struct jw *w, unsigned bits)
{
	json_t *a = json_array();

	for (unsigned k = 0; k < RES_N_NOTICES; k++)
		if (bits & (1u << k))
			jw_add(w, a, json_string(res_notice_names[k]));
	return a;
}

static json_t *wr_by_kind(struct jw *w, const struct results_scrutin *s, int nuls)
{
	json_t *o = json_object();

	if (!nuls) {
		jw_set(w, o, "blank", jw_u64(w, s->blank));
		jw_set(w, o, "all-struck", jw_u64(w, s->all_struck));
		return o;
	}
	for (unsigned i = 0; i < RESULTS_NUL_REASONS; i++)
		jw_set(w, o, res_reasons[i], jw_u64(w, s->by_reason[i]));
	return o;
}

static void wr_header(struct jw *w, json_t *o, const struct results_scrutin *s)
{
	jw_set(w, o, "scrutin", json_integer(s->id));
	jw_set(w, o, "college", json_string(s->college));
	jw_set(w, o, "body", json_string(res_bodies[s->suppleants ? 1 : 0]));
	jw_set(w, o, "round", json_integer(s->round));
	jw_set(w, o, "inscrits", jw_u64(w, s->inscrits));
	jw_set(w, o, "votants", jw_u64(w, s->votants));
	jw_set(w, o, "blancs", jw_u64(w, s->blancs));
	jw_set(w, o, "blancs_by_kind", wr_by_kind(w, s, 0));
	jw_set(w, o, "nuls", jw_u64(w, s->nuls));
	jw_set(w, o, "nuls_by_reason", wr_by_kind(w, s, 1));
	jw_set(w, o, "sve", jw_u64(w, s->sve));
	jw_set(w, o, "seats", jw_u64(w, s->seats));
	jw_set(w, o, "quotient", jw_frac(w, &s->quotient));
	jw_set(w, o, "quorum", jw_name(w, res_quorums, 3, s->quorum));
	jw_set(w, o, "second_round_required", json_boolean(s->second_round));
	jw_set(w, o, "seats_allocated", json_boolean(s->seats_allocated));
	jw_set(w, o, "seats_unallocated", jw_u64(w, s->s_unallocated));
	jw_set(w, o, "seats_vacant", jw_u64(w, s->s_vacant));
	jw_set(w, o, "seats_undecided", jw_u64(w, s->s_undecided));
}

static json_t *wr_scrutin(struct jw *w, const struct results_scrutin *s)
{
	json_t *o = json_object(), *ls = json_array();

	wr_header(w, o, s);
	for (unsigned i = 0; s->lists && i < s->n_lists; i++)
		jw_add(w, ls, wr_list(w, &s->lists[i]));
	jw_set(w, o, "lists", ls);
	jw_set(w, o, "union_audience", wr_audience(w, s));
	jw_set(w, o, "ties", wr_ties(w, s));
	jw_set(w, o, "notices", wr_notices(w, s->notices));
	return o;
}

static json_t *wr_inputs(const struct results *r)
{
	json_t *o = json_pack("{s:o}", "record_sha256",
			      jutil_hex_string(r->record_sha256, 32));

	if (o && r->has_urn &&
	    json_object_set_new(o, "urn_sha256", jutil_hex_string(r->urn, 32)))
		o = (json_decref(o), NULL);
	if (o && r->has_emargement &&
	    json_object_set_new(o, "emargement_sha256",
				jutil_hex_string(r->emargement, 32)))
		o = (json_decref(o), NULL);
	return o;
}

static json_t *wr_irregularities(struct jw *w, const struct results *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; r->irreg && i < r->n_irreg; i++)
		jw_add(w, a, json_pack("{s:i, s:s, s:s}", "scrutin",
				       (json_int_t)r->irreg[i].scrutin, "kind",
				       r->irreg[i].kind, "detail", r->irreg[i].detail));
	return a;
}

static json_t *wr_results(struct jw *w, const struct results *r)
{
	json_t *o = json_object(), *scr = json_array();

	for (unsigned i = 0; r->scrutins && i < r->n_scrutins; i++)
		jw_add(w, scr, wr_scrutin(w, &r->scrutins[i]));
	jw_set(w, o, "format", json_string(RESULTS_FORMAT));
	jw_set(w, o, "election_id", jutil_hex_string(r->election_id, 32));
	jw_set(w, o, "inputs", wr_inputs(r));
	jw_set(w, o, "decrypted_ballots",
	       json_pack("{s:s, s:o, s:o}", "file", RESULTS_DECFILE_NAME,
			 "count", jw_u64(w, r->dec_count),
			 "sha256", jutil_hex_string(r->dec_sha256, 32)));
	jw_set(w, o, "irregularities", wr_irregularities(w, r));
	jw_set(w, o, "scrutins", scr);
	return o;
}

/* The tree's canonical text, or the first error met while building it. */
static int wr_dump(struct jw *w, json_t *o, char **text, size_t *len)
{
	int ret = w->err ? w->err : o ? jutil_dump(o, text, len) : ERR_NOMEM;

	json_decref(o);
	return ret;
}

int results_scrutin_text(const struct results_scrutin *s, char **text, size_t *len)
{
	struct jw w = { 0 };

	*text = NULL;
	return wr_dump(&w, wr_scrutin(&w, s), text, len);
}

int results_write(const struct results *r, char **text, size_t *len)
{
	struct jw w = { 0 };

	*text = NULL;
	return wr_dump(&w, wr_results(&w, r), text, len);
}

/* ---- reader ---------------------------------------------------------------- */

static int res_text(const json_t *o, const struct jutil_path *p, const char *key,
		    const char **out)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return jutil_fail(p, key, ERR_FORMAT, "missing");
	if (!json_is_string(v))
		return jutil_fail(p, key, ERR_FORMAT, "expected a string");
	*out = json_string_value(v);
	return jutil_text_check(*out, json_string_length(v), ELECTION_TEXT_MAX, p, key);
}

static int res_is_null(const json_t *o, const char *key)
{
	return json_is_null(json_object_get(o, key));
}

static int res_keys(const json_t *o, const struct jutil_path *p,
		    const char *const *keys, size_t n)
{
	int ret = jutil_keys(o, p, keys, n);

	for (size_t i = 0; !ret && i < n; i++)
		if (!json_object_get(o, keys[i]))
			ret = jutil_fail(p, keys[i], ERR_FORMAT, "missing");
	return ret;
}

/* {num, den, decimal}: reduced, den >= 1, decimal as count/ writes it. */
static int res_frac(const json_t *o, struct jutil_path *p, const char *key,
		    struct results_frac *f)
{
	static const char *const keys[] = { "num", "den", "decimal" };
	size_t mark = jutil_path_key(p, key);
	json_t *v = json_object_get(o, key), *d;
	char want[RESULTS_DECIMAL_MAX];
	int ret;

	if (!json_is_object(v))
		ret = jutil_fail(p, NULL, ERR_FORMAT, "expected a fraction object");
	else
		ret = res_keys(v, p, keys, 3);
	if (!ret)
		ret = jutil_uint(v, p, "num", 0, RES_FRAC_MAX, &f->num);
	if (!ret)
		ret = jutil_uint(v, p, "den", 1, RES_FRAC_MAX, &f->den);
	if (!ret && res_gcd(f->num, f->den) != 1 && !(f->num == 0 && f->den == 1))
		ret = jutil_fail(p, NULL, ERR_FORMAT, "fraction not in lowest terms");
	if (!ret) {
		d = json_object_get(v, "decimal");
		res_decimal(f->num, f->den, want);
		if (!json_is_string(d) || strcmp(json_string_value(d), want) != 0)
			ret = jutil_fail(p, "decimal", ERR_FORMAT, "expected \"%s\"", want);
		else
			memcpy(f->dec, want, sizeof(want));
	}
	jutil_path_pop(p, mark);
	return ret;
}

/* a/b == n/d for a reduced n/d, without overflow (n <= a, d <= b). */
static int res_frac_is(const struct results_frac *f, uint64_t a, uint64_t b)
{
	if (a == 0)
		return f->num == 0 && f->den == 1;
	return f->num != 0 && f->num <= a && f->den <= b && a % f->num == 0 && b % f->den == 0 &&
	       a / f->num == b / f->den;
}

/* ---- candidates, gender, unions ------------------------------------------ */

static int res_exposed(const json_t *c, struct jutil_path *p, unsigned *bits)
{
	json_t *a;
	int ret = jutil_array(c, p, "exposed", 0, 2, &a);

	*bits = 0;
	for (size_t i = 0; !ret && i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		unsigned b = !s ? 0 : strcmp(s, "proportion") == 0 ? 1u
				 : strcmp(s, "position") == 0 ? 2u : 0;

		if (!b || b <= *bits)
			ret = jutil_fail(p, "exposed", ERR_FORMAT,
					 "expected \"proportion\" and/or \"position\", in that "
					 "order");
		*bits |= b;
	}
	return ret;
}

static int res_sex(const json_t *o, const struct jutil_path *p, const char *key,
		   char *out)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s || (strcmp(s, "F") != 0 && strcmp(s, "M") != 0))
		return jutil_fail(p, key, ERR_FORMAT, "expected \"F\" or \"M\"");
	*out = s[0];
	return 0;
}

static int res_cand(const json_t *c, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "position", "last_name", "first_name", "sex",
					    "votes", "ratures", "ratures_count", "rank",
					    "elected", "exposed" };
	const struct results_list *l = arg;
	struct results_cand *out = &l->cands[i];
	uint64_t pos = 0, rank = 0;
	int ret = res_keys(c, p, keys, 10);

	if (!ret)
		ret = jutil_uint(c, p, "position", i + 1, i + 1, &pos);
	if (!ret)
		ret = res_text(c, p, "last_name", &out->last_name);
	if (!ret)
		ret = res_text(c, p, "first_name", &out->first_name);
	if (!ret)
		ret = res_sex(c, p, "sex", &out->sex);
	if (!ret)
		ret = jutil_uint(c, p, "votes", 0, l->ballots, &out->votes);
	if (!ret)
		ret = jutil_uint(c, p, "ratures", l->ballots - out->votes,
				 l->ballots - out->votes, &out->ratures);
	if (!ret)
		ret = jutil_bool(c, p, "ratures_count", &out->ratures_count);
	if (!ret && out->ratures_count != (out->ratures > 0 && 10 * out->ratures >= l->ballots))
		ret = jutil_fail(p, "ratures_count", ERR_FORMAT, "contradicts the 10 %% rule");
	if (!ret)
		ret = jutil_uint(c, p, "rank", 1, l->candidates_count, &rank);
	if (!ret)
		ret = jutil_bool(c, p, "elected", &out->elected);
	if (!ret)
		ret = res_exposed(c, p, &out->exposed);
	if (!ret && out->exposed && !out->elected)
		ret = jutil_fail(p, "exposed", ERR_FORMAT, "only an elected member is exposed");
	out->position = (unsigned)pos;
	out->rank = (unsigned)rank;
	return ret;
}

static int res_breaks(const json_t *g, struct jutil_path *p, uint64_t n,
		      struct results_gender *out)
{
	json_t *a;
	int ret = jutil_array(g, p, "alternation_breaks", 0, 128, &a);

	out->n_breaks = ret ? 0 : json_array_size(a);
	for (size_t i = 0; !ret && i < out->n_breaks; i++) {
		json_t *v = json_array_get(a, i);
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;

		if (x < 2 || (uint64_t)x > n || (i && (unsigned)x <= out->breaks[i - 1]))
			ret = jutil_fail(p, "alternation_breaks", ERR_FORMAT,
					 "expected increasing positions 2..%" PRIu64, n);
		else
			out->breaks[i] = (unsigned)x;
	}
	return ret;
}

static int res_gender(const json_t *l, struct jutil_path *p, uint64_t n,
		      struct results_gender *out)
{
	static const char *const keys[] = { "women", "men", "expected_women", "expected_men",
					    "either_rounding", "exception", "exception_first",
					    "over_represented", "excess", "alternation_breaks",
					    "conform" };
	size_t mark;
	json_t *g;
	int ret;

	memset(out, 0, sizeof(*out));
	if (res_is_null(l, "gender"))
		return 0;
	ret = jutil_object(l, p, "gender", &g);
	mark = jutil_path_key(p, "gender");
	out->present = 1;
	if (!ret)
		ret = res_keys(g, p, keys, 11);
	if (!ret)
		ret = jutil_uint(g, p, "women", 0, n, &out->women);
	if (!ret)
		ret = jutil_uint(g, p, "men", n - out->women, n - out->women, &out->men);
	if (!ret)
		ret = jutil_uint(g, p, "expected_women", 0, n, &out->expected_women);
	if (!ret)
		ret = jutil_uint(g, p, "expected_men", 0, n, &out->expected_men);
	if (!ret)
		ret = jutil_bool(g, p, "either_rounding", &out->either_rounding);
	if (!ret)
		ret = jutil_bool(g, p, "exception", &out->exception);
	if (!ret)
		ret = jutil_bool(g, p, "exception_first", &out->exception_first);
	if (!ret && !res_is_null(g, "over_represented"))
		ret = res_sex(g, p, "over_represented", &out->over);
	if (!ret)
		ret = jutil_uint(g, p, "excess", 0, n, &out->excess);
	if (!ret)
		ret = res_breaks(g, p, n, out);
	if (!ret)
		ret = jutil_bool(g, p, "conform", &out->conform);
	jutil_path_pop(p, mark);
	return ret;
}

static int res_union(const json_t *u, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "name", "share", "votes" };
	struct results_union *out = &((struct results_list *)arg)->unions[i];
	int ret = res_keys(u, p, keys, 3);

	if (!ret)
		ret = res_text(u, p, "name", &out->name);
	if (!ret)
		ret = res_frac(u, p, "share", &out->share);
	out->has_votes = !res_is_null(u, "votes");
	if (!ret && out->has_votes)
		ret = res_frac(u, p, "votes", &out->votes);
	return ret;
}

/* ---- lists --------------------------------------------------------------- */

static int res_seats(const json_t *l, struct jutil_path *p, struct results_list *out)
{
	static const char *const keys[] = { "quotient", "average", "total", "vacant",
					    "filled" };
	size_t mark;
	json_t *s;
	int ret;

	out->has_seats = !res_is_null(l, "seats");
	if (!out->has_seats)
		return 0;
	ret = jutil_object(l, p, "seats", &s);
	mark = jutil_path_key(p, "seats");
	if (!ret)
		ret = res_keys(s, p, keys, 5);
	if (!ret)
		ret = jutil_uint(s, p, "quotient", 0, 1000, &out->s_quotient);
	if (!ret)
		ret = jutil_uint(s, p, "average", 0, 1000, &out->s_average);
	if (!ret)
		ret = jutil_uint(s, p, "total", out->s_quotient + out->s_average,
				 out->s_quotient + out->s_average, &out->s_total);
	if (!ret)
		ret = jutil_uint(s, p, "vacant", 0, out->s_total, &out->s_vacant);
	if (!ret)
		ret = jutil_uint(s, p, "filled", out->s_total - out->s_vacant,
				 out->s_total - out->s_vacant, &out->s_filled);
	jutil_path_pop(p, mark);
	return ret;
}

static int res_unions(const json_t *l, struct jutil_path *p, struct results_list *out)
{
	json_t *a;
	int ret = jutil_array(l, p, "unions", 1, 8, &a);

	out->n_unions = ret ? 0 : (unsigned)json_array_size(a);
	return ret ? ret : jutil_each(a, p, "unions", res_union, out);
}

static int res_cands(const json_t *l, struct jutil_path *p, struct results_list *out)
{
	uint64_t sum = 0, elected = 0;
	json_t *a;
	int ret = jutil_array(l, p, "candidates", out->candidates_count,
			      out->candidates_count, &a);

	out->cands = ret ? NULL : calloc(out->candidates_count, sizeof(*out->cands));
	if (!ret && !out->cands)
		return ERR_NOMEM;
	if (!ret)
		ret = jutil_each(a, p, "candidates", res_cand, out);
	for (size_t i = 0; !ret && i < out->candidates_count; i++) {
		sum += out->cands[i].votes;
		elected += (uint64_t)out->cands[i].elected;
	}
	if (!ret && sum != out->candidate_votes)
		ret = jutil_fail(p, "candidate_votes", ERR_FORMAT,
				 "differs from the sum of the candidates' votes");
	if (!ret && elected != (out->has_seats ? out->s_filled : 0))
		ret = jutil_fail(p, "candidates", ERR_FORMAT,
				 "elected candidates differ from the seats filled");
	return ret;
}

/* lists[i] of the scrutin arg; its seats are null iff the scrutin's are
 * not allocated. */
static int res_list(const json_t *l, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "number", "name", "unions", "ballots",
					    "candidates_count", "candidate_votes", "average",
					    "seats", "candidates", "gender" };
	const struct results_scrutin *s = arg;
	struct results_list *out = &s->lists[i];
	uint64_t num;
	int ret = res_keys(l, p, keys, 10);

	if (!ret)
		ret = jutil_uint(l, p, "number", i + 1, i + 1, &num);
	out->number = (unsigned)i + 1;
	if (!ret)
		ret = res_text(l, p, "name", &out->name);
	if (!ret)
		ret = res_unions(l, p, out);
	if (!ret)
		ret = jutil_uint(l, p, "ballots", 0, RES_VOTES_MAX, &out->ballots);
	if (!ret)
		ret = jutil_uint(l, p, "candidates_count", 1, 128, &out->candidates_count);
	if (!ret)
		ret = jutil_uint(l, p, "candidate_votes", 0, RES_CAND_VOTES_MAX,
				 &out->candidate_votes);
	if (!ret)
		ret = res_frac(l, p, "average", &out->average);
	if (!ret && !res_frac_is(&out->average, out->candidate_votes, out->candidates_count))
		ret = jutil_fail(p, "average", ERR_FORMAT,
				 "is not candidate_votes / candidates_count");
	if (!ret)
		ret = res_seats(l, p, out);
	if (!ret)
		ret = res_cands(l, p, out);
	if (!ret)
		ret = res_gender(l, p, out->candidates_count, &out->gender);
	if (!ret && out->has_seats != s->seats_allocated)
		ret = jutil_fail(p, "seats", ERR_FORMAT,
				 "must be null iff seats_allocated is false");
	return ret;
}

static int res_lists(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	uint64_t ballots = 0;
	json_t *a;
	int ret = jutil_array(s, p, "lists", 1, ELECTION_MAX_LISTS, &a);

	out->n_lists = ret ? 0 : (unsigned)json_array_size(a);
	out->lists = ret ? NULL : calloc(out->n_lists, sizeof(*out->lists));
	if (!ret && !out->lists)
		return ERR_NOMEM;
	if (!ret)
		ret = jutil_each(a, p, "lists", res_list, out);
	for (unsigned i = 0; !ret && i < out->n_lists; i++)
		ballots += out->lists[i].ballots;
	if (!ret && ballots != out->sve)
		ret = jutil_fail(p, "sve", ERR_FORMAT, "differs from the lists' ballots");
	return ret;
}

uint64_t results_tie_vacant(const struct results_scrutin *s)
{
	unsigned undecided = 0;

	if (!s->has_tie || s->tie.decided_by != RESULTS_TIE_BUREAU)
		return 0;
	for (unsigned i = 0; i < s->tie.n_lists; i++) {
		if (s->tie.lists[i].outcome != RESULTS_TIE_UNDECIDED)
			continue;
		if (s->tie.lists[i].next)
			return 0;
		undecided++;
	}
	return undecided ? s->tie.undecided : 0;
}

/* seats_vacant: the lists' vacant seats and those of a tie the bureau
 * decides between lists without a candidate left (docs/RULES.md "Seats"). */
static int res_vacant(struct jutil_path *p, const struct results_scrutin *out)
{
	uint64_t vacant = results_tie_vacant(out);

	for (unsigned i = 0; i < out->n_lists; i++)
		vacant += out->lists[i].s_vacant;
	if (vacant != out->s_vacant)
		return jutil_fail(p, "seats_vacant", ERR_FORMAT,
				  "differs from the lists' and the tie's vacant seats");
	return 0;
}

/* ---- union audience, ties, notices ------------------------------------------ */

static int res_audience_union(const json_t *u, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "name", "votes" };
	struct results_audience *out = &((struct results_scrutin *)arg)->audience[i];
	int ret = res_keys(u, p, keys, 2);

	if (!ret)
		ret = res_text(u, p, "name", &out->name);
	if (!ret)
		ret = res_frac(u, p, "votes", &out->votes);
	return ret;
}

static int res_audience(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	json_t *a;
	int ret;

	out->has_audience = !res_is_null(s, "union_audience");
	if (!out->has_audience)
		return 0;
	ret = jutil_array(s, p, "union_audience", 0, 64 * 8, &a);
	out->n_audience = ret ? 0 : (unsigned)json_array_size(a);
	out->audience = calloc(out->n_audience + 1, sizeof(*out->audience));
	if (!ret && !out->audience)
		return ERR_NOMEM;
	return ret ? ret : jutil_each(a, p, "union_audience", res_audience_union, out);
}

static int res_pick(const json_t *o, const struct jutil_path *p, const char *key,
		    const char *const *names, unsigned n, unsigned *out)
{
	const char *s = json_string_value(json_object_get(o, key));

	for (unsigned i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return jutil_fail(p, key, ERR_FORMAT, "unknown value");
}

/* tie.lists[i] of the scrutin arg. */
static int res_tie_list(const json_t *t, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "number", "average", "next_candidate",
					    "birth_date", "outcome" };
	const struct results_scrutin *s = arg;
	struct results_tie_list *out = &s->tie.lists[i];
	uint64_t v = 0;
	unsigned k = 0;
	int ret = res_keys(t, p, keys, 5);

	if (!ret)
		ret = jutil_uint(t, p, "number", 1, s->n_lists, &v);
	out->number = (unsigned)v;
	if (!ret)
		ret = res_frac(t, p, "average", &out->average);
	v = 0;
	if (!ret && !res_is_null(t, "next_candidate"))
		ret = jutil_uint(t, p, "next_candidate", 1, 128, &v);
	out->next = (unsigned)v;
	if (!ret && !res_is_null(t, "birth_date")) {
		out->birth_date = json_string_value(json_object_get(t, "birth_date"));
		if (!out->birth_date || jutil_parse_date(out->birth_date, NULL) != 0)
			ret = jutil_fail(p, "birth_date", ERR_FORMAT, "expected YYYY-MM-DD");
	}
	if (!ret && (out->next == 0) != (out->birth_date == NULL))
		ret = jutil_fail(p, "birth_date", ERR_FORMAT,
				 "null iff next_candidate is null");
	if (!ret)
		ret = res_pick(t, p, "outcome", res_outcomes, 3, &k);
	out->outcome = (enum results_tie_outcome)(k + 1);
	return ret;
}

/* ties[0] of the scrutin arg (jutil_array let one at most through). */
static int res_tie(const json_t *t, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "seats", "average", "decided_by", "undecided",
					    "lists" };
	struct results_scrutin *s = arg;
	struct results_tie *out = &s->tie;
	unsigned k = 0;
	json_t *a;
	int ret = res_keys(t, p, keys, 5);

	if (!ret)
		ret = jutil_uint(t, p, "seats", 1, s->seats, &out->seats);
	if (!ret)
		ret = res_frac(t, p, "average", &out->average);
	if (!ret)
		ret = res_pick(t, p, "decided_by", res_rules, 3, &k);
	out->decided_by = (enum results_tie_rule)(k + 1);
	if (!ret)
		ret = jutil_uint(t, p, "undecided", 0, out->seats, &out->undecided);
	if (!ret && (out->undecided != 0) != (out->decided_by == RESULTS_TIE_BUREAU))
		ret = jutil_fail(p, "undecided", ERR_FORMAT, "contradicts decided_by");
	if (!ret)
		ret = jutil_array(t, p, "lists", 2, s->n_lists, &a);
	out->n_lists = ret ? 0 : (unsigned)json_array_size(a);
	out->lists = ret ? NULL : calloc(out->n_lists, sizeof(*out->lists));
	if (!ret && !out->lists)
		return ERR_NOMEM;
	(void)i;    /* 0 */
	return ret ? ret : jutil_each(a, p, "lists", res_tie_list, s);
}

static int res_ties(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	json_t *a;
	int ret = jutil_array(s, p, "ties", 0, 1, &a);

	if (ret || json_array_size(a) == 0)
		return ret;
	out->has_tie = 1;
	ret = jutil_each(a, p, "ties", res_tie, out);
	if (!ret && out->tie.undecided != out->s_undecided)
		ret = jutil_fail(p, "seats_undecided", ERR_FORMAT, "differs from the tie's");
	return ret;
}

static int res_notices(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	unsigned last = 0;
	json_t *a;
	int ret = jutil_array(s, p, "notices", 0, RES_N_NOTICES, &a);

	for (size_t i = 0; !ret && i < json_array_size(a); i++) {
		const char *n = json_string_value(json_array_get(a, i));
		unsigned k = 0;

		while (n && k < RES_N_NOTICES && strcmp(n, res_notice_names[k]) != 0)
			k++;
		if (!n || k == RES_N_NOTICES || (1u << k) <= last)
			return jutil_fail(p, "notices", ERR_FORMAT,
					  "unknown, repeated or out of order");
		last = 1u << k;
		out->notices |= last;
	}
	return ret;
}

/* ---- scrutin ------------------------------------------------------------- */

static int res_by_kind(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	static const char *const bk[] = { "blank", "all-struck" };
	size_t mark = jutil_path_key(p, "blancs_by_kind");
	uint64_t sum = 0;
	json_t *o = json_object_get(s, "blancs_by_kind");
	int ret = json_is_object(o) ? res_keys(o, p, bk, 2)
				    : jutil_fail(p, NULL, ERR_FORMAT, "expected an object");

	if (!ret)
		ret = jutil_uint(o, p, "blank", 0, out->blancs, &out->blank);
	if (!ret)
		ret = jutil_uint(o, p, "all-struck", out->blancs - out->blank,
				 out->blancs - out->blank, &out->all_struck);
	jutil_path_pop(p, mark);
	mark = jutil_path_key(p, "nuls_by_reason");
	o = json_object_get(s, "nuls_by_reason");
	if (!ret)
		ret = json_is_object(o) ? res_keys(o, p, res_reasons, RESULTS_NUL_REASONS)
					: jutil_fail(p, NULL, ERR_FORMAT, "expected an object");
	for (unsigned i = 0; !ret && i < RESULTS_NUL_REASONS; i++) {
		ret = jutil_uint(o, p, res_reasons[i], 0, out->nuls, &out->by_reason[i]);
		sum += out->by_reason[i];
	}
	if (!ret && sum != out->nuls)
		ret = jutil_fail(p, NULL, ERR_FORMAT, "the reasons do not add up to nuls");
	jutil_path_pop(p, mark);
	return ret;
}

static int res_quorum(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	unsigned k = 0;
	enum results_quorum want;
	int ret = res_pick(s, p, "quorum", res_quorums, 3, &k);

	out->quorum = (enum results_quorum)k;
	want = out->round == 2 ? RESULTS_QUORUM_NA
	       : 2 * out->sve >= out->inscrits ? RESULTS_QUORUM_REACHED
					       : RESULTS_QUORUM_NOT_REACHED;
	if (!ret && out->quorum != want)
		ret = jutil_fail(p, "quorum", ERR_FORMAT, "contradicts the numbers");
	if (!ret)
		ret = jutil_bool(s, p, "second_round_required", &out->second_round);
	if (!ret && out->second_round != (out->quorum == RESULTS_QUORUM_NOT_REACHED))
		ret = jutil_fail(p, "second_round_required", ERR_FORMAT,
				 "contradicts the quorum");
	if (!ret)
		ret = jutil_bool(s, p, "seats_allocated", &out->seats_allocated);
	if (!ret && out->seats_allocated == out->second_round)
		ret = jutil_fail(p, "seats_allocated", ERR_FORMAT, "contradicts the quorum");
	return ret;
}

static int res_counts(const json_t *s, struct jutil_path *p, struct results_scrutin *out)
{
	int ret = jutil_uint(s, p, "inscrits", 1, RES_VOTES_MAX, &out->inscrits);

	if (!ret)
		ret = jutil_uint(s, p, "votants", 0, RES_VOTES_MAX, &out->votants);
	if (!ret)
		ret = jutil_uint(s, p, "blancs", 0, out->votants, &out->blancs);
	if (!ret)
		ret = jutil_uint(s, p, "nuls", 0, out->votants - out->blancs, &out->nuls);
	if (!ret)
		ret = res_by_kind(s, p, out);
	if (!ret)
		ret = jutil_uint(s, p, "sve", out->votants - out->blancs - out->nuls,
				 out->votants - out->blancs - out->nuls, &out->sve);
	if (!ret)
		ret = jutil_uint(s, p, "seats", 1, ELECTION_MAX_SEATS, &out->seats);
	if (!ret)
		ret = res_frac(s, p, "quotient", &out->quotient);
	if (!ret && !res_frac_is(&out->quotient, out->sve, out->seats))
		ret = jutil_fail(p, "quotient", ERR_FORMAT, "is not sve / seats");
	if (!ret)
		ret = res_quorum(s, p, out);
	if (!ret)
		ret = jutil_uint(s, p, "seats_unallocated", 0, out->seats, &out->s_unallocated);
	if (!ret)
		ret = jutil_uint(s, p, "seats_vacant", 0, out->seats, &out->s_vacant);
	if (!ret)
		ret = jutil_uint(s, p, "seats_undecided", 0, out->seats, &out->s_undecided);
	return ret;
}

/* SHA-256 of the scrutin's canonical text, whatever the layout read. */
static int res_hash(struct results_scrutin *s)
{
	char *t = NULL;
	size_t len = 0;
	int ret = results_scrutin_text(s, &t, &len);

	if (!ret)
		ret = hash_sha256(t, len, s->sha256);
	free(t);
	return ret;
}

/* scrutins[i] of the document arg: its id must be i + 1. */
static int res_scrutin(const json_t *s, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = {
		"scrutin", "college", "body", "round", "inscrits", "votants", "blancs",
		"blancs_by_kind", "nuls", "nuls_by_reason", "sve", "seats", "quotient",
		"quorum", "second_round_required", "seats_allocated", "seats_unallocated",
		"seats_vacant", "seats_undecided", "lists", "union_audience", "ties",
		"notices" };
	struct results_scrutin *out = &((struct results *)arg)->scrutins[i];
	uint64_t id, round;
	unsigned body = 0;
	int ret = res_keys(s, p, keys, sizeof(keys) / sizeof(keys[0]));

	if (!ret)
		ret = jutil_uint(s, p, "scrutin", 1, ELECTION_MAX_SCRUTINS, &id);
	if (!ret)
		ret = res_text(s, p, "college", &out->college);
	if (!ret)
		ret = res_pick(s, p, "body", res_bodies, 2, &body);
	if (!ret)
		ret = jutil_uint(s, p, "round", 1, 2, &round);
	out->id = ret ? 0 : (unsigned)id;
	out->round = ret ? 0 : (unsigned)round;
	out->suppleants = body == 1;
	if (!ret)
		ret = res_counts(s, p, out);
	if (!ret)
		ret = res_lists(s, p, out);
	if (!ret)
		ret = res_audience(s, p, out);
	if (!ret)
		ret = res_ties(s, p, out);
	if (!ret)
		ret = res_vacant(p, out);
	if (!ret)
		ret = res_notices(s, p, out);
	if (!ret)
		ret = res_hash(out);
	if (!ret && out->id != i + 1)
		ret = jutil_fail(p, "scrutin", ERR_FORMAT, "expected %zu", i + 1);
	return ret;
}

/* ---- wrapper ------------------------------------------------------------- */

static int res_inputs(const json_t *root, struct jutil_path *p, struct results *r)
{
	static const char *const keys[] = { "record_sha256", "urn_sha256",
					    "emargement_sha256" };
	size_t mark;
	json_t *o;
	int ret = jutil_object(root, p, "inputs", &o);

	if (ret)
		return ret;
	mark = jutil_path_key(p, "inputs");
	ret = jutil_keys(o, p, keys, 3);
	if (!ret)
		ret = jutil_hex(o, p, "record_sha256", r->record_sha256, 32);
	r->has_urn = json_object_get(o, "urn_sha256") != NULL;
	r->has_emargement = json_object_get(o, "emargement_sha256") != NULL;
	if (!ret && r->has_urn)
		ret = jutil_hex(o, p, "urn_sha256", r->urn, 32);
	if (!ret && r->has_emargement)
		ret = jutil_hex(o, p, "emargement_sha256", r->emargement, 32);
	jutil_path_pop(p, mark);
	return ret;
}

static int res_decrypted(const json_t *root, struct jutil_path *p, struct results *r)
{
	static const char *const keys[] = { "file", "count", "sha256" };
	size_t mark;
	json_t *o;
	int ret = jutil_object(root, p, "decrypted_ballots", &o);

	if (ret)
		return ret;
	mark = jutil_path_key(p, "decrypted_ballots");
	ret = res_keys(o, p, keys, 3);
	if (!ret)
		ret = jutil_const(o, p, "file", RESULTS_DECFILE_NAME);
	if (!ret)
		ret = jutil_uint(o, p, "count", 0, UINT32_MAX, &r->dec_count);
	if (!ret)
		ret = jutil_hex(o, p, "sha256", r->dec_sha256, 32);
	jutil_path_pop(p, mark);
	return ret;
}

/* A text copied into a results_irreg field. */
static int res_text_copy(const json_t *o, const struct jutil_path *p, const char *key,
			 char out[ELECTION_TEXT_MAX + 1])
{
	const char *t = NULL;
	int ret = res_text(o, p, key, &t);

	if (!ret)
		memcpy(out, t, strlen(t) + 1);
	return ret;
}

static int res_irreg_one(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "scrutin", "kind", "detail" };
	struct results_irreg *out = &((struct results *)arg)->irreg[i];
	uint64_t s = 0;
	int ret = res_keys(o, p, keys, 3);

	if (!ret)
		ret = jutil_uint(o, p, "scrutin", 0, 65535, &s);
	out->scrutin = (unsigned)s;
	if (!ret)
		ret = res_text_copy(o, p, "kind", out->kind);
	if (!ret)
		ret = res_text_copy(o, p, "detail", out->detail);
	return ret;
}

static int res_irreg(const json_t *root, struct jutil_path *p, struct results *r)
{
	json_t *a;
	int ret = jutil_array(root, p, "irregularities", 0, RESULTS_MAX_IRREGULARITIES, &a);

	r->n_irreg = ret ? 0 : (unsigned)json_array_size(a);
	r->irreg = calloc(r->n_irreg + 1, sizeof(*r->irreg));
	if (!ret && !r->irreg)
		return ERR_NOMEM;
	return ret ? ret : jutil_each(a, p, "irregularities", res_irreg_one, r);
}

static int res_scrutins(const json_t *root, struct jutil_path *p, struct results *r)
{
	json_t *a;
	int ret = jutil_array(root, p, "scrutins", 1, ELECTION_MAX_SCRUTINS, &a);

	r->n_scrutins = ret ? 0 : (unsigned)json_array_size(a);
	r->scrutins = ret ? NULL : calloc(r->n_scrutins, sizeof(*r->scrutins));
	if (!ret && !r->scrutins)
		return ERR_NOMEM;
	return ret ? ret : jutil_each(a, p, "scrutins", res_scrutin, r);
}

/* The document as JSON, its keys and its format tag. */
static int res_root(const uint8_t *buf, size_t len, struct jutil_path *p,
		    struct results *out)
{
	static const char *const keys[] = { "format", "election_id", "inputs",
					    "decrypted_ballots", "irregularities",
					    "scrutins" };
	json_t *root = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	jutil_path_init(p);
	ret = jutil_load(buf, len, RESULTS_FILE_MAX, &root);
	out->root = root;
	if (!ret)
		ret = res_keys(root, p, keys, 6);
	if (!ret)
		ret = jutil_const(root, p, "format", RESULTS_FORMAT);
	return ret;
}

int results_read(const uint8_t *buf, size_t len, struct results *out)
{
	struct jutil_path p;
	int ret = res_root(buf, len, &p, out);

	if (!ret)
		ret = jutil_hex(out->root, &p, "election_id", out->election_id, 32);
	if (!ret)
		ret = res_inputs(out->root, &p, out);
	if (!ret)
		ret = res_decrypted(out->root, &p, out);
	if (!ret)
		ret = res_irreg(out->root, &p, out);
	if (!ret)
		ret = res_scrutins(out->root, &p, out);
	if (ret)
		results_free(out);
	return ret;
}

int results_read_irregularities(const uint8_t *buf, size_t len, struct results *out)
{
	struct jutil_path p;
	int ret = res_root(buf, len, &p, out);

	if (!ret)
		ret = res_irreg(out->root, &p, out);
	if (ret)
		results_free(out);
	return ret;
}

void results_scrutin_free(struct results_scrutin *s)
{
	for (unsigned l = 0; s->lists && l < s->n_lists; l++)
		free(s->lists[l].cands);
	free(s->lists);
	free(s->audience);
	free(s->tie.lists);
	memset(s, 0, sizeof(*s));
}

void results_free(struct results *r)
{
	if (!r)
		return;
	for (unsigned i = 0; r->scrutins && i < r->n_scrutins; i++)
		results_scrutin_free(&r->scrutins[i]);
	free(r->scrutins);
	free(r->irreg);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

/* ---- against the definition --------------------------------------------- */

static int res_check_list(const struct results_list *rl, const struct elist *l,
			  unsigned s, unsigned i)
{
	if (strcmp(rl->name, l->name) != 0 || rl->candidates_count != l->n_candidates ||
	    rl->n_unions != l->n_unions) {
		err_detail("scrutins[%u].lists[%u]: not the definition's list", s, i);
		return ERR_VERIFY;
	}
	for (unsigned c = 0; c < l->n_candidates; c++) {
		const struct candidate *d = &l->candidates[c];
		const struct results_cand *r = &rl->cands[c];

		if (strcmp(r->last_name, d->last_name) != 0 ||
		    strcmp(r->first_name, d->first_name) != 0 || r->sex != d->sex) {
			err_detail("scrutins[%u].lists[%u].candidates[%u]: not the "
				   "definition's candidate", s, i, c);
			return ERR_VERIFY;
		}
	}
	for (unsigned u = 0; u < l->n_unions; u++)
		if (strcmp(rl->unions[u].name, l->unions[u].name) != 0) {
			err_detail("scrutins[%u].lists[%u].unions[%u]: not the "
				   "definition's union", s, i, u);
			return ERR_VERIFY;
		}
	return 0;
}

int results_check_election(const struct results *r, const struct election *e)
{
	int ret = 0;

	if (memcmp(r->election_id, e->id, 32) != 0) {
		err_detail("election_id: the results are of another election");
		return ERR_VERIFY;
	}
	if (r->n_scrutins != e->n_scrutins) {
		err_detail("scrutins: %u in the results, %u in the definition",
			   r->n_scrutins, e->n_scrutins);
		return ERR_VERIFY;
	}
	for (unsigned i = 0; !ret && i < e->n_scrutins; i++) {
		const struct scrutin *s = &e->scrutins[i];
		const struct results_scrutin *rs = &r->scrutins[i];

		if (rs->id != s->id || strcmp(rs->college, s->college) != 0 ||
		    rs->suppleants != (s->body == BODY_SUPPLEANTS) || rs->round != s->round ||
		    rs->seats != s->seats || rs->inscrits != s->inscrits ||
		    rs->n_lists != s->n_lists) {
			err_detail("scrutins[%u]: not the definition's scrutin", i);
			return ERR_VERIFY;
		}
		for (unsigned l = 0; !ret && l < s->n_lists; l++)
			ret = res_check_list(&rs->lists[l], &s->lists[l], i, l);
	}
	return ret;
}
