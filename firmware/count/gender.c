/*
 * Gender balance of the lists (CT L2314-30, L2314-32; docs/RULES.md "Gender
 * balance"): warnings printed on the PV, never a change of result.
 *
 * - When n x share_women ends in exactly .5 (then so does n x share_men),
 *   rounding both half up asks for n + 1 candidates, which no list can
 *   have: either rounding is accepted (either_rounding). For equal shares
 *   this is CT L2314-30 al. 4 ("la liste comprend indifféremment un homme
 *   ou une femme supplémentaire"; the statute speaks of an odd number of
 *   seats, the box of the list's candidates, which is what it counts); for other shares where both products
 *   end in .5 (3 x 1/6) the box applies the same rule by analogy — a
 *   decision where docs/RULES.md is silent (docs/FORMATS.md).
 *
 * Other decisions where docs/RULES.md is silent (documented in
 * docs/FORMATS.md):
 * - Under the exception (a sex whose expected number is 0 may have one
 *   candidate), that one candidate is allowed, so the excess of that sex is
 *   counted beyond 1.
 * - Alternation breaks at a candidate of the same sex as the previous one
 *   while the other sex still has candidates further down; L2314-32 annuls
 *   the elected members so placed (reason "position"), and the exception's
 *   candidate placed first.
 */
#include "count/seats.h"

/* round-half-up(n x p/q) = floor((2 n p + q) / 2q); n <= 128 and p, q <=
 * 10^9 keep it within 64 bits. */
unsigned count_gender_expected(unsigned n, struct frac_u share)
{
	if (share.den == 0)
		return 0;
	return (unsigned)((2 * (uint64_t)n * share.num + share.den) / (2 * share.den));
}

/* 1 if n x share has a fractional part of exactly one half. */
static int ends_in_half(unsigned n, struct frac_u share)
{
	return share.den && (2 * (uint64_t)n * share.num) % (2 * share.den) == share.den;
}

static void count_sexes(struct count_list *l)
{
	struct count_gender *g = &l->gender;

	for (unsigned i = 0; i < l->n_candidates; i++) {
		if (l->candidates[i].def->sex == 'F')
			g->women++;
		else
			g->men++;
	}
}

/* Candidates must alternate until one sex runs out (CT L2314-30): a
 * candidate of the same sex as the previous one breaks it if a candidate
 * of the other sex comes later. */
static void check_alternation(struct count_list *l)
{
	for (unsigned i = 1; i < l->n_candidates; i++) {
		char sex = l->candidates[i].def->sex;

		if (sex != l->candidates[i - 1].def->sex)
			continue;
		for (unsigned j = i + 1; j < l->n_candidates; j++) {
			if (l->candidates[j].def->sex != sex) {
				l->candidates[i].alternation_break = 1;
				l->gender.alternation_breaks++;
				break;
			}
		}
	}
}

/* Proportion (CT L2314-30 al. 1 and the exception: when the rounding
 * excludes a sex, the list may have one candidate of it, not first). */
static void check_proportion(const struct scrutin *s, struct count_list *l)
{
	struct count_gender *g = &l->gender;
	unsigned n = l->n_candidates, max_w, max_m;
	char exception_sex = 0;

	g->expected_women = count_gender_expected(n, s->share_women);
	g->expected_men = count_gender_expected(n, s->share_men);
	g->either_rounding = ends_in_half(n, s->share_women);
	max_w = g->expected_women ? g->expected_women : 1;
	max_m = g->expected_men ? g->expected_men : 1;
	if (g->women > max_w) {
		g->over_sex = 'F';
		g->excess = g->women - max_w;
	} else if (g->men > max_m) {
		g->over_sex = 'M';
		g->excess = g->men - max_m;
	}
	if (g->expected_women == 0 && g->women == 1)
		exception_sex = 'F';
	else if (g->expected_men == 0 && g->men == 1)
		exception_sex = 'M';
	g->exception = exception_sex != 0;
	g->exception_first = g->exception && l->candidates[0].def->sex == exception_sex;
}

void count_gender_check(const struct scrutin *s, struct count_list *l)
{
	struct count_gender *g = &l->gender;

	if (l->n_candidates < 2)
		return;   /* docs/RULES.md: lists with several candidates */
	g->checked = 1;
	count_sexes(l);
	check_proportion(s, l);
	check_alternation(l);
	g->conform = !g->over_sex && !g->alternation_breaks && !g->exception_first;
}

/* L2314-32: the judge annuls the election of as many elected members of
 * the over-represented sex as the list has in excess, the last elected in
 * reverse list order; and of the elected members whose place breaks the
 * alternation rule. */
void count_gender_exposed(struct count_list *l)
{
	const struct count_gender *g = &l->gender;
	unsigned left = g->excess;

	if (!g->checked)
		return;
	for (unsigned i = l->n_candidates; i-- > 0 && left > 0;) {
		struct count_candidate *c = &l->candidates[i];

		if (c->elected && c->def->sex == g->over_sex) {
			c->exposed |= COUNT_EXPOSED_PROPORTION;
			left--;
		}
	}
	for (unsigned i = 0; i < l->n_candidates; i++) {
		struct count_candidate *c = &l->candidates[i];

		if (c->elected && (c->alternation_break || (i == 0 && g->exception_first)))
			c->exposed |= COUNT_EXPOSED_POSITION;
	}
}
