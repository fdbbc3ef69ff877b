/*
 * Union audience (count/audience.c; docs/RULES.md "Union audience"; CT L2122-1):
 * each row is a scrutin, the unions of its lists ("CGT:6/10,Solidaires:4/10"
 * declared, "CGT,SUD,FSU" split equally) and the expected audience per
 * union, reduced: "CGT=30 Solidaires=20", or "none" where it does not apply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "count/frac.h"
#include "count/seats.h"
#include "counttest.h"

struct audience_row {
	const char *title;
	struct ct_spec spec;
	const char *unions[CT_LISTS];  /* NULL: the list's default union "U<n>" */
	const char *expect;
};

static const struct audience_row audience_rows[] = {
	{ "each valid ballot for a list is one full vote for its union, "
	  "ratures or not — docs/RULES.md Union audience; CT L2122-1",
	  { .round = 1, .seats = 1, .inscrits = 100, .lists = { "MF 40 30,10" } },
	  { "FO" }, "FO=40" },
	{ "a joint list splits its votes by the declared shares (60/40) — "
	  "docs/RULES.md Union audience",
	  { .round = 1, .seats = 1, .inscrits = 100, .lists = { "FMF 50" } },
	  { "CGT:6/10,Solidaires:4/10" }, "CGT=30 Solidaires=20" },
	{ "a joint list without a declared split splits equally, exactly "
	  "(100/3 each) — docs/RULES.md Union audience",
	  { .round = 1, .seats = 1, .inscrits = 200, .lists = { "FMF 100" } },
	  { "CGT:1/3,SUD:1/3,FSU:1/3" }, "CGT=100/3 SUD=100/3 FSU=100/3" },
	{ "a declared split that does not divide the votes stays exact (7 x "
	  "0.35 = 49/20) — docs/RULES.md Union audience",
	  { .round = 1, .seats = 1, .inscrits = 10, .lists = { "FM 7" } },
	  { "A:35/100,B:65/100" }, "A=49/20 B=91/20" },
	{ "blank and nul ballots give no audience — docs/RULES.md Union audience "
	  "(valid ballots); CT L2122-1",
	  { .round = 1, .seats = 1, .inscrits = 100, .blancs = 20, .nuls = 5,
	    .lists = { "MF 30", "F 10" } },
	  { "FO", "CFDT" }, "FO=30 CFDT=10" },
	{ "a union on two lists gets the sum of its shares of both, in order "
	  "of first appearance — CT L2122-1",
	  { .round = 1, .seats = 2, .inscrits = 100, .lists = { "MF 30", "FM 20" } },
	  { "CGT:1/2,SUD:1/2", "SUD" }, "CGT=15 SUD=35" },
	{ "audience is measured even when the quorum is not reached — CT "
	  "L2314-29; CT L2122-1",
	  { .round = 1, .seats = 1, .inscrits = 1000, .lists = { "MF 30" } },
	  { "FO" }, "FO=30" },
	{ "no audience for the suppléants — docs/RULES.md Union audience "
	  "(titulaires)",
	  { .round = 1, .seats = 1, .inscrits = 100, .body = BODY_SUPPLEANTS,
	    .lists = { "MF 30" } }, { "FO" }, "none" },
	{ "no audience in round 2 — docs/RULES.md Union audience (round 1)",
	  { .round = 2, .seats = 1, .inscrits = 100, .lists = { "MF 30" } },
	  { "FO" }, "none" },
};

/* "CGT:6/10,Solidaires:4/10" or "FO" into l->unions. */
static void set_unions(struct elist *l, const char *spec)
{
	const char *p = spec;

	l->n_unions = 0;
	while (*p) {
		struct union_share *u = &l->unions[l->n_unions++];
		size_t n = strcspn(p, ":,");
		char *end;

		snprintf(u->name, sizeof(u->name), "%.*s", (int)n, p);
		u->share = (struct frac_u){ 1, 1 };
		p += n;
		if (*p == ':') {
			u->share.num = strtoull(p + 1, &end, 10);
			u->share.den = strtoull(end + 1, &end, 10);
			p = end;
			l->split_declared = 1;
		}
		if (*p == ',')
			p++;
	}
}

static void run_audience_row(void **state)
{
	const struct audience_row *row = *state;
	struct scrutin *s = ct_scrutin(&row->spec);
	struct tally *t = ct_tally(s, &row->spec);
	struct count_results *r = NULL;
	char got[512] = "";

	for (unsigned i = 0; i < s->n_lists; i++)
		if (row->unions[i])
			set_unions(&s->lists[i], row->unions[i]);
	assert_int_equal(count_compute(s, t, &r), 0);
	if (!r->audience_applies)
		ct_cat(got, sizeof(got), "none");
	for (unsigned i = 0; r->audience_applies && i < r->n_audience; i++) {
		struct frac_u v = frac_reduce(r->audience[i].votes);

		ct_cat(got, sizeof(got), "%s%s=%llu", i ? " " : "", r->audience[i].name,
		       (unsigned long long)v.num);
		if (v.den != 1)
			ct_cat(got, sizeof(got), "/%llu", (unsigned long long)v.den);
	}
	if (strcmp(got, row->expect))
		fail_msg("%s\n  got:    %s\n  wanted: %s", row->title, got, row->expect);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	struct CMUnitTest rows[N(audience_rows)];

	for (size_t i = 0; i < N(audience_rows); i++)
		rows[i] = (struct CMUnitTest){ .name = audience_rows[i].title,
					       .test_func = run_audience_row,
					       .initial_state = (void *)&audience_rows[i] };
	return _cmocka_run_group_tests("audience", rows, N(rows), NULL, NULL) ? 1 : 0;
}
