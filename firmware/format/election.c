/* Strict parser of the election definition "sceau-election/1" (docs/FORMATS.md). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/json_util.h"
#include "crypto/hash.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SHARE_ONE 1000000000u /* 10^JUTIL_SHARE_DIGITS: a share's common unit */

static const char *const root_keys[] = { "format", "establishment", "title",
					 "scrutins" };
static const char *const estab_keys[] = { "name", "siret" };
static const char *const scrutin_keys[] = { "id", "college", "body", "round",
					    "seats", "inscrits", "share_women",
					    "share_men", "opens", "closes",
					    "lists" };
static const char *const list_keys[] = { "number", "name", "unions",
					 "candidates" };
static const char *const union_keys[] = { "name", "share" };
static const char *const cand_keys[] = { "last_name", "first_name", "sex",
					 "birth_date" };

const char *election_body_name(enum body b)
{
	switch (b) {
	case BODY_TITULAIRES: return "titulaires";
	case BODY_SUPPLEANTS: return "suppléants";
	}
	return "?";
}

const struct scrutin *election_scrutin(const struct election *e, uint16_t id)
{
	if (!e || id < 1 || id > e->n_scrutins)
		return NULL;
	return &e->scrutins[id - 1];
}

void election_free(struct election *e)
{
	if (!e)
		return;
	for (unsigned i = 0; e->scrutins && i < e->n_scrutins; i++) {
		struct scrutin *s = &e->scrutins[i];

		for (unsigned j = 0; s->lists && j < s->n_lists; j++)
			free(s->lists[j].candidates);
		free(s->lists);
	}
	free(e->scrutins);
	free(e);
}

/* A required integer that must equal its 1-based position. */
static int position(const json_t *o, const struct jutil_path *p, const char *key,
		    unsigned max, unsigned want, unsigned *out)
{
	uint64_t v;
	int ret = jutil_uint(o, p, key, 1, max, &v);

	if (ret)
		return ret;
	if (v != want)
		return jutil_fail(p, key, ERR_FORMAT,
				  "%" PRIu64 ", expected %u (its position, from 1)", v,
				  want);
	*out = want;
	return 0;
}

static int uint_field(const json_t *o, const struct jutil_path *p, const char *key,
		      unsigned min, unsigned max, unsigned *out)
{
	uint64_t v;
	int ret = jutil_uint(o, p, key, min, max, &v);

	if (!ret)
		*out = (unsigned)v;
	return ret;
}

/* A text that must be one of two values; returns 1 or 2. */
static int choice(const json_t *o, const struct jutil_path *p, const char *key,
		  const char *a, const char *b, int *out)
{
	char v[ELECTION_TEXT_MAX + 1];
	int ret = jutil_text(o, p, key, v, sizeof(v));

	if (ret)
		return ret;
	if (strcmp(v, a) == 0 || strcmp(v, b) == 0) {
		*out = strcmp(v, a) == 0 ? 1 : 2;
		return 0;
	}
	return jutil_fail(p, key, ERR_FORMAT, "expected \"%s\" or \"%s\" (got \"%s\")",
			  a, b, v);
}

static int parse_candidate(const json_t *o, const struct jutil_path *p,
			   struct candidate *c)
{
	int sex = 0, ret;

	ret = jutil_keys(o, p, cand_keys, N(cand_keys));
	if (!ret)
		ret = jutil_text(o, p, "last_name", c->last_name, sizeof(c->last_name));
	if (!ret)
		ret = jutil_text(o, p, "first_name", c->first_name,
				 sizeof(c->first_name));
	if (!ret)
		ret = choice(o, p, "sex", "F", "M", &sex);
	if (!ret)
		ret = jutil_date(o, p, "birth_date", c->birth_date, NULL);
	c->sex = sex == 1 ? 'F' : 'M';
	return ret;
}

static int same_person(const struct candidate *a, const struct candidate *b)
{
	return strcmp(a->last_name, b->last_name) == 0 &&
	       strcmp(a->first_name, b->first_name) == 0 &&
	       strcmp(a->birth_date, b->birth_date) == 0;
}

static int parse_candidate_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct elist *l = arg;
	int ret = parse_candidate(o, p, &l->candidates[i]);

	for (size_t j = 0; !ret && j < i; j++)
		if (same_person(&l->candidates[i], &l->candidates[j]))
			ret = jutil_fail(p, NULL, ERR_FORMAT, "same person as candidates[%zu]", j);
	return ret;
}

static int parse_candidates(const json_t *lo, struct jutil_path *p, struct elist *l)
{
	json_t *arr;
	int ret = jutil_array(lo, p, "candidates", 1, ELECTION_MAX_CANDIDATES, &arr);

	if (ret)
		return ret;
	l->candidates = calloc(json_array_size(arr), sizeof(*l->candidates));
	if (!l->candidates)
		return ERR_NOMEM;
	l->n_candidates = (unsigned)json_array_size(arr);
	return jutil_each(arr, p, "candidates", parse_candidate_at, l);
}

static int parse_union(const json_t *o, const struct jutil_path *p,
		       struct union_share *u, int *declared)
{
	int ret = jutil_keys(o, p, union_keys, N(union_keys));

	if (!ret)
		ret = jutil_text(o, p, "name", u->name, sizeof(u->name));
	*declared = json_object_get(o, "share") != NULL;
	if (!ret && *declared)
		ret = jutil_share(o, p, "share", &u->share.num, &u->share.den);
	if (!ret && *declared && u->share.num == 0)
		ret = jutil_fail(p, "share", ERR_RANGE, "a declared share must be above 0");
	return ret;
}

/* Either every union declares a share and they sum to 1, or none does. */
static int check_split(struct elist *l, const struct jutil_path *p,
		       unsigned declared)
{
	uint64_t sum = 0;

	if (declared == 0) {
		for (unsigned i = 0; i < l->n_unions; i++)
			l->unions[i].share = (struct frac_u){ 1, l->n_unions };
		return 0;
	}
	if (declared != l->n_unions)
		return jutil_fail(p, "unions", ERR_FORMAT,
				  "%u of %u unions declare a share: all or none must",
				  declared, l->n_unions);
	for (unsigned i = 0; i < l->n_unions; i++)
		sum += l->unions[i].share.num * (SHARE_ONE / l->unions[i].share.den);
	if (sum != SHARE_ONE)
		return jutil_fail(p, "unions", ERR_FORMAT,
				  "the shares sum to %" PRIu64 ".%09" PRIu64 ", not 1",
				  sum / SHARE_ONE, sum % SHARE_ONE);
	l->split_declared = 1;
	return 0;
}

struct union_walk {
	struct elist *l;
	unsigned declared;   /* unions with a declared share */
};

static int parse_union_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct union_walk *w = arg;
	struct elist *l = w->l;
	int d = 0, ret = parse_union(o, p, &l->unions[i], &d);

	w->declared += !ret && d;
	for (size_t j = 0; !ret && j < i; j++)
		if (strcmp(l->unions[i].name, l->unions[j].name) == 0)
			ret = jutil_fail(p, "name", ERR_FORMAT, "same union as unions[%zu]", j);
	return ret;
}

static int parse_unions(const json_t *lo, struct jutil_path *p, struct elist *l)
{
	struct union_walk w = { l, 0 };
	json_t *arr;
	int ret = jutil_array(lo, p, "unions", 1, ELECTION_MAX_UNIONS, &arr);

	if (ret)
		return ret;
	l->n_unions = (unsigned)json_array_size(arr);
	ret = jutil_each(arr, p, "unions", parse_union_at, &w);
	return ret ? ret : check_split(l, p, w.declared);
}

static int parse_list(const json_t *o, struct jutil_path *p, unsigned idx,
		      struct elist *l)
{
	int ret = jutil_keys(o, p, list_keys, N(list_keys));

	if (!ret)
		ret = position(o, p, "number", ELECTION_MAX_LISTS, idx + 1, &l->number);
	if (!ret)
		ret = jutil_text(o, p, "name", l->name, sizeof(l->name));
	if (!ret)
		ret = parse_unions(o, p, l);
	if (!ret)
		ret = parse_candidates(o, p, l);
	return ret;
}

static int parse_list_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct scrutin *s = arg;
	int ret = parse_list(o, p, (unsigned)i, &s->lists[i]);

	for (size_t j = 0; !ret && j < i; j++)
		if (strcmp(s->lists[i].name, s->lists[j].name) == 0)
			ret = jutil_fail(p, "name", ERR_FORMAT, "same list name as lists[%zu]", j);
	if (!ret && s->lists[i].n_candidates > s->max_candidates)
		s->max_candidates = s->lists[i].n_candidates;
	return ret;
}

static int parse_lists(const json_t *so, struct jutil_path *p, struct scrutin *s)
{
	json_t *arr;
	int ret = jutil_array(so, p, "lists", 1, ELECTION_MAX_LISTS, &arr);

	if (ret)
		return ret;
	s->lists = calloc(json_array_size(arr), sizeof(*s->lists));
	if (!s->lists)
		return ERR_NOMEM;
	s->n_lists = (unsigned)json_array_size(arr);
	ret = jutil_each(arr, p, "lists", parse_list_at, s);
	s->pt_len = 3 + (s->max_candidates + 7) / 8;
	return ret;
}

static int parse_sex_shares(const json_t *o, const struct jutil_path *p,
			    struct scrutin *s)
{
	struct frac_u *w = &s->share_women, *m = &s->share_men;
	int ret = jutil_share(o, p, "share_women", &w->num, &w->den);

	if (!ret)
		ret = jutil_share(o, p, "share_men", &m->num, &m->den);
	if (!ret && w->num * m->den + m->num * w->den != w->den * m->den)
		ret = jutil_fail(p, "share_men", ERR_FORMAT,
				 "share_women + share_men must be exactly 1");
	return ret;
}

static int parse_dates(const json_t *o, const struct jutil_path *p,
		       struct scrutin *s)
{
	int64_t opens, closes;
	int ret = jutil_datetime(o, p, "opens", s->opens, &opens);

	if (!ret)
		ret = jutil_datetime(o, p, "closes", s->closes, &closes);
	if (!ret && closes <= opens)
		ret = jutil_fail(p, "closes", ERR_FORMAT, "not after opens (%s, %s)",
				 s->opens, s->closes);
	return ret;
}

static int parse_scrutin(const json_t *o, struct jutil_path *p, unsigned idx,
			 struct scrutin *s)
{
	unsigned id = 0;
	int body = 0, ret = jutil_keys(o, p, scrutin_keys, N(scrutin_keys));

	if (!ret)
		ret = position(o, p, "id", ELECTION_MAX_SCRUTINS, idx + 1, &id);
	s->id = (uint16_t)id;
	if (!ret)
		ret = jutil_text(o, p, "college", s->college, sizeof(s->college));
	if (!ret)
		ret = choice(o, p, "body", "titulaires", "suppléants", &body);
	s->body = body == 2 ? BODY_SUPPLEANTS : BODY_TITULAIRES;
	if (!ret)
		ret = uint_field(o, p, "round", 1, 2, &s->round);
	if (!ret)
		ret = uint_field(o, p, "seats", 1, ELECTION_MAX_SEATS, &s->seats);
	if (!ret)
		ret = uint_field(o, p, "inscrits", 1, ELECTION_MAX_INSCRITS, &s->inscrits);
	if (!ret)
		ret = parse_sex_shares(o, p, s);
	if (!ret)
		ret = parse_dates(o, p, s);
	if (!ret)
		ret = parse_lists(o, p, s);
	return ret;
}

static int parse_scrutin_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct election *e = arg;
	const struct scrutin *s = &e->scrutins[i];
	int ret = parse_scrutin(o, p, (unsigned)i, &e->scrutins[i]);

	for (size_t j = 0; !ret && j < i; j++)
		if (s->body == e->scrutins[j].body && strcmp(s->college, e->scrutins[j].college) == 0)
			ret = jutil_fail(p, NULL, ERR_FORMAT,
					 "same college and body as scrutins[%zu]", j);
	return ret;
}

static int parse_scrutins(const json_t *root, struct jutil_path *p, struct election *e)
{
	json_t *arr;
	int ret = jutil_array(root, p, "scrutins", 1, ELECTION_MAX_SCRUTINS, &arr);

	if (ret)
		return ret;
	e->scrutins = calloc(json_array_size(arr), sizeof(*e->scrutins));
	if (!e->scrutins)
		return ERR_NOMEM;
	e->n_scrutins = (unsigned)json_array_size(arr);
	return jutil_each(arr, p, "scrutins", parse_scrutin_at, e);
}

static int parse_establishment(const json_t *root, struct jutil_path *p,
			       struct election *e)
{
	char siret[ELECTION_TEXT_MAX + 1];
	size_t mark;
	json_t *o;
	int ret;

	ret = jutil_object(root, p, "establishment", &o);
	if (ret)
		return ret;
	mark = jutil_path_key(p, "establishment");
	ret = jutil_keys(o, p, estab_keys, N(estab_keys));
	if (!ret)
		ret = jutil_text(o, p, "name", e->establishment,
				 sizeof(e->establishment));
	if (!ret)
		ret = jutil_text(o, p, "siret", siret, sizeof(siret));
	if (!ret && (strlen(siret) != 14 || strspn(siret, "0123456789") != 14))
		ret = jutil_fail(p, "siret", ERR_FORMAT, "expected 14 digits (got \"%s\")",
				 siret);
	if (!ret)
		memcpy(e->siret, siret, sizeof(e->siret));
	jutil_path_pop(p, mark);
	return ret;
}

static int parse_root(const json_t *root, struct election *e)
{
	struct jutil_path p;
	int ret;

	jutil_path_init(&p);
	ret = jutil_keys(root, &p, root_keys, N(root_keys));
	if (!ret)
		ret = jutil_const(root, &p, "format", ELECTION_FORMAT);
	if (!ret)
		ret = parse_establishment(root, &p, e);
	if (!ret)
		ret = jutil_text(root, &p, "title", e->title, sizeof(e->title));
	if (!ret)
		ret = parse_scrutins(root, &p, e);
	return ret;
}

int election_parse(const uint8_t *buf, size_t len, struct election **out)
{
	struct election *e = NULL;
	json_t *root = NULL;
	int ret;

	*out = NULL;
	ret = jutil_load(buf, len, ELECTION_FILE_MAX, &root);
	if (ret)
		goto out;
	e = calloc(1, sizeof(*e));
	if (!e) {
		ret = ERR_NOMEM;
		goto out;
	}
	ret = parse_root(root, e);
	if (ret)
		goto out;
	ret = hash_sha256(buf, len, e->id);
	if (ret)
		goto out;
	*out = e;
	e = NULL;
out:
	json_decref(root);
	election_free(e);
	return ret;
}

static int election_parse_any(const uint8_t *buf, size_t len, void *out)
{
	return election_parse(buf, len, out);
}

int election_load(const char *path, struct election **out)
{
	*out = NULL;
	return file_parse(path, ELECTION_FILE_MAX, election_parse_any, out);
}
