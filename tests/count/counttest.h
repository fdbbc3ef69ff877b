/*
 * Test helper (header-only, shared by tests/count/test_*.c): builds a
 * scrutin and its tally from a compact row, so that each row of a table
 * states an election in one line, and summarises results in one line, so
 * that a failing row prints what the PV would have said.
 *
 * A list is "SEXES BALLOTS [RATURES [BIRTHS]]":
 *   "FMFM 100 0,0,30,0 1970-01-01,1980-01-01,1990-01-01,1960-01-01"
 * sexes in order of presentation; ratures per candidate (default 0);
 * birth dates (default: candidate i of list L born 1960+i, month L (for
 * L <= 12), so that within a list the first is the oldest and, at equal
 * positions, list 1 has the oldest candidate).
 */
#ifndef SCEAU_TESTS_COUNTTEST_H
#define SCEAU_TESTS_COUNTTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/election.h"
#include "lib/json_util.h"
#include "count/count.h"
#include "count/tally.h"

#define CT_LISTS 8

struct ct_spec {
	unsigned round, seats, inscrits;
	const char *share_women;  /* exact decimal, men get the rest */
	uint64_t blancs, nuls;
	const char *lists[CT_LISTS];
	enum body body;           /* 0: titulaires */
};

static inline void ct_fail(const char *what, const char *spec)
{
	fprintf(stderr, "bad test spec (%s): %s\n", what, spec);
	abort();
}

/* Skips spaces; returns the start of the next token and its length. */
static inline const char *ct_token(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ' ')
		s++;
	*len = strcspn(s, " ");
	*p = s + *len;
	return *len ? s : NULL;
}

static inline void ct_list(struct elist *l, unsigned number, const char *spec)
{
	const char *p = spec, *t;
	size_t len, n;

	t = ct_token(&p, &len);
	if (!t || len > ELECTION_MAX_CANDIDATES)
		ct_fail("sexes", spec);
	n = len;
	memset(l, 0, sizeof(*l));
	l->number = number;
	snprintf(l->name, sizeof(l->name), "Liste %u", number);
	l->n_unions = 1;
	snprintf(l->unions[0].name, sizeof(l->unions[0].name), "U%u", number);
	l->unions[0].share = (struct frac_u){ 1, 1 };
	l->n_candidates = (unsigned)n;
	l->candidates = calloc(n, sizeof(*l->candidates));
	for (size_t i = 0; i < n; i++) {
		struct candidate *c = &l->candidates[i];

		c->sex = t[i];
		if (c->sex != 'F' && c->sex != 'M')
			ct_fail("sex", spec);
		snprintf(c->last_name, sizeof(c->last_name), "Nom%u-%zu", number, i + 1);
		snprintf(c->first_name, sizeof(c->first_name), "Prénom%zu", i + 1);
		snprintf(c->birth_date, sizeof(c->birth_date), "%04u-%02u-%02u",
			 (1960u + (unsigned)i) % 10000u, 1u + (number - 1) % 12u,
			 1u + (number - 1) / 12u % 28u);
	}
	(void)ct_token(&p, &len);  /* ballots: read by ct_tally */
	(void)ct_token(&p, &len);  /* ratures: read by ct_tally */
	t = ct_token(&p, &len);
	for (size_t i = 0; t && i < n && 11 * i + 10 <= len; i++) {
		memcpy(l->candidates[i].birth_date, t + 11 * i, 10);
		l->candidates[i].birth_date[10] = '\0';
		if (jutil_parse_date(l->candidates[i].birth_date, NULL))
			ct_fail("birth date", spec);
	}
}

static inline struct scrutin *ct_scrutin(const struct ct_spec *sp)
{
	struct scrutin *s = calloc(1, sizeof(*s));
	uint64_t num, den;

	s->id = 1;
	snprintf(s->college, sizeof(s->college), "Collège unique");
	s->body = sp->body ? sp->body : BODY_TITULAIRES;
	s->round = sp->round;
	s->seats = sp->seats;
	s->inscrits = sp->inscrits;
	if (jutil_parse_share(sp->share_women ? sp->share_women : "0.5", &num, &den))
		ct_fail("share", sp->share_women);
	s->share_women = (struct frac_u){ num, den };
	s->share_men = (struct frac_u){ den - num, den };
	while (s->n_lists < CT_LISTS && sp->lists[s->n_lists])
		s->n_lists++;
	s->lists = calloc(s->n_lists, sizeof(*s->lists));
	for (unsigned i = 0; i < s->n_lists; i++) {
		ct_list(&s->lists[i], i + 1, sp->lists[i]);
		if (s->lists[i].n_candidates > s->max_candidates)
			s->max_candidates = s->lists[i].n_candidates;
	}
	s->pt_len = 3 + (s->max_candidates + 7) / 8;
	return s;
}

static inline void ct_scrutin_free(struct scrutin *s)
{
	for (unsigned i = 0; s && i < s->n_lists; i++)
		free(s->lists[i].candidates);
	if (s)
		free(s->lists);
	free(s);
}

/* Fills a tally as if the ballots had been fed: blank ones as "blank",
 * nul ones as "bad-version". */
static inline struct tally *ct_tally(const struct scrutin *s, const struct ct_spec *sp)
{
	struct tally *t;

	if (tally_new(s, &t))
		ct_fail("tally_new", "");
	t->blancs = t->by_reason[BALLOT_BLANK_CHOICE] = sp->blancs;
	t->nuls = t->by_reason[BALLOT_NUL_BAD_VERSION] = sp->nuls;
	t->votants = sp->blancs + sp->nuls;
	for (unsigned i = 0; i < s->n_lists; i++) {
		const char *p = sp->lists[i], *tok;
		size_t len;
		char *end;

		(void)ct_token(&p, &len);
		tok = ct_token(&p, &len);
		t->lists[i].ballots = tok ? strtoull(tok, NULL, 10) : 0;
		t->votants += t->lists[i].ballots;
		t->by_reason[BALLOT_OK] += t->lists[i].ballots;
		tok = ct_token(&p, &len);
		for (unsigned c = 0; tok && c < s->lists[i].n_candidates; c++) {
			t->lists[i].ratures[c] = strtoull(tok, &end, 10);
			if (t->lists[i].ratures[c] > t->lists[i].ballots)
				ct_fail("ratures > ballots", sp->lists[i]);
			if (*end != ',')
				break;
			tok = end + 1;
		}
	}
	return t;
}

/* Appends to buf (always NUL-terminated). */
static inline void ct_cat(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void ct_cat(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	if (n < cap)
		vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

/* "q2 a1 v0 e1,3": seats at the quotient, at the highest average,
 * vacant, and the elected candidates' positions in rank order. */
static inline void ct_list_summary(const struct count_list *l, char *buf, size_t cap)
{
	int any = 0;

	ct_cat(buf, cap, "q%u a%u v%u e", l->seats_quotient, l->seats_average,
	       l->seats_vacant);
	for (unsigned k = 0; k < l->n_candidates; k++) {
		const struct count_candidate *c = &l->candidates[l->ranked[k]];

		if (c->elected) {
			ct_cat(buf, cap, "%s%u", any ? "," : "", c->position);
			any = 1;
		}
	}
	if (!any)
		ct_cat(buf, cap, "-");
}

/* The whole scrutin: "sve=.. quorum=.. [vacant=N] | <list 1> | <list 2>
 * [| tie ...]", vacant= being the scrutin's vacant seats (the lists' and a
 * tie's). */
static inline void ct_summary(const struct count_results *r, char *buf, size_t cap)
{
	buf[0] = '\0';
	ct_cat(buf, cap, "sve=%llu quorum=%s", (unsigned long long)r->sve,
	       count_quorum_name(r->quorum));
	if (!r->seats_allocated)
		ct_cat(buf, cap, " no-seats");
	if (r->seats_unallocated)
		ct_cat(buf, cap, " unallocated=%u", r->seats_unallocated);
	if (r->seats_vacant)
		ct_cat(buf, cap, " vacant=%u", r->seats_vacant);
	for (unsigned i = 0; i < r->n_lists; i++) {
		ct_cat(buf, cap, " | ");
		ct_list_summary(&r->lists[i], buf, cap);
	}
	for (unsigned i = 0; i < r->n_ties; i++) {
		const struct count_tie *t = &r->ties[i];

		ct_cat(buf, cap, " | tie by=%s undecided=%u", count_tie_rule_name(t->decided_by),
		       t->undecided);
		for (unsigned k = 0; k < t->n_lists; k++)
			ct_cat(buf, cap, " %u:%s", t->lists[k].list,
			       count_tie_outcome_name(t->lists[k].outcome));
	}
}

/* Runs count_compute on a spec; the caller frees all three. */
static inline struct count_results *ct_count(const struct ct_spec *sp,
					     struct scrutin **s, struct tally **t)
{
	struct count_results *r = NULL;
	int ret;

	*s = ct_scrutin(sp);
	*t = ct_tally(*s, sp);
	ret = count_compute(*s, *t, &r);
	if (ret) {
		fprintf(stderr, "count_compute: %d\n", ret);
		return NULL;
	}
	return r;
}

#endif
