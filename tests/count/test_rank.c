/*
 * Ranking inside a list (count/rank.c; CT L2314-29, al. on ratures): each
 * row is one list "SEXES BALLOTS RATURES" and the expected ranking
 * (candidate positions, best first), with "*" after a candidate whose
 * ratures count, and the candidates' votes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "count/seats.h"
#include "counttest.h"

struct rank_row {
	const char *title;
	const char *list;
	const char *ranking;  /* "2,4,3*,1*" */
	const char *votes;    /* "50,91,70,100" in presentation order */
};

static const struct rank_row rank_rows[] = {
	{ "no ratures: order of presentation — CT L2314-29",
	  "MFMF 100", "1,2,3,4", "100,100,100,100" },
	{ "ratures of at least 10 % rank a candidate by their votes; under 10 "
	  "% the candidate keeps all the list's ballots — CT L2314-29; Circ. "
	  "DRT 25 Oct 1983", "MMMM 100 0,30,5,40", "1,3,2*,4*", "100,70,95,60" },
	{ "candidates under the threshold stay first in list order, the others "
	  "follow by their votes — ministerial letter of 20 Aug 1985",
	  "MMMM 100 50,9,30,0", "2,4,3*,1*", "50,91,70,100" },
	{ "equal effective votes keep the order of presentation — Cass. soc. 6 "
	  "July 1978, 78-60.594", "MMM 100 20,20,0", "3,1*,2*", "80,80,100" },
	{ "one rature on 10 ballots is 10 %: it counts, the 1st falls to last "
	  "— CT L2314-29; Circ. DRT 25 Oct 1983", "MMM 10 1,0,0", "2,3,1*",
	  "9,10,10" },
	{ "exactly 10 % of the list's ballots count (10 of 100) — CT L2314-29; "
	  "Circ. DRT 25 Oct 1983", "MMM 100 0,10,0", "1,3,2*", "100,90,100" },
	{ "just under 10 % are ignored (9 of 91 is 9.9 %) — CT L2314-29; Circ. "
	  "DRT 25 Oct 1983", "MMM 91 0,9,0", "1,2,3", "91,82,91" },
	{ "a list without ballots: no rature to count, order of presentation "
	  "— CT L2314-29", "MF 0", "1,2", "0,0" },
	{ "heavy ratures reverse the list — CT L2314-29",
	  "MFM 100 60,40,20", "3*,2*,1*", "40,60,80" },
};

static void format_ranking(const struct count_list *l, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (unsigned k = 0; k < l->n_candidates; k++) {
		const struct count_candidate *c = &l->candidates[l->ranked[k]];

		ct_cat(buf, cap, "%s%u%s", k ? "," : "", c->position,
		       c->ratures_count ? "*" : "");
		assert_int_equal(c->rank, k + 1);
	}
}

static void format_votes(const struct count_list *l, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (unsigned i = 0; i < l->n_candidates; i++)
		ct_cat(buf, cap, "%s%llu", i ? "," : "",
		       (unsigned long long)l->candidates[i].votes);
}

static void run_rank_row(void **state)
{
	const struct rank_row *row = *state;
	struct ct_spec sp = { .round = 2, .seats = 1, .inscrits = 1000,
			      .lists = { row->list } };
	struct scrutin *s;
	struct tally *t;
	struct count_results *r = ct_count(&sp, &s, &t);
	char rk[256], votes[256];

	assert_non_null(r);
	format_ranking(&r->lists[0], rk, sizeof(rk));
	format_votes(&r->lists[0], votes, sizeof(votes));
	if (strcmp(rk, row->ranking) || strcmp(votes, row->votes))
		fail_msg("%s\n  got ranking %s votes %s\n  wanted      %s votes %s",
			 row->title, rk, votes, row->ranking, row->votes);
	count_results_free(r);
	tally_free(t);
	ct_scrutin_free(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	struct CMUnitTest rows[N(rank_rows)];

	for (size_t i = 0; i < N(rank_rows); i++)
		rows[i] = (struct CMUnitTest){ .name = rank_rows[i].title,
					       .test_func = run_rank_row,
					       .initial_state = (void *)&rank_rows[i] };
	return _cmocka_run_group_tests("rank", rows, N(rows), NULL, NULL) ? 1 : 0;
}
