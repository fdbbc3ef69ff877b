/*
 * Union audience (titulaires, round 1; CT L2122-1; docs/RULES.md "Union
 * audience"): each valid ballot for a list is one full vote for its union,
 * ratures or not; a joint list splits it by the declared shares, equally if
 * none was declared (the election parser then sets each share to 1/n).
 */
#include <stdlib.h>
#include <string.h>

#include "count/seats.h"
#include "lib/err.h"

/* Adds votes to the union's total, appending the union on first sight so
 * the totals keep the order of the lists and their unions. */
static int add_to_union(struct count_results *r, const char *name,
			struct frac_u votes)
{
	unsigned i;

	for (i = 0; i < r->n_audience; i++)
		if (strcmp(r->audience[i].name, name) == 0)
			break;
	if (i == r->n_audience) {
		r->audience[i].name = name;
		r->audience[i].votes = (struct frac_u){ 0, 1 };
		r->n_audience++;
	}
	return frac_add(r->audience[i].votes, votes, &r->audience[i].votes);
}

static int list_audience(struct count_results *r, struct count_list *l)
{
	for (unsigned u = 0; u < l->n_unions; u++) {
		struct count_union *cu = &l->unions[u];
		int ret = frac_mul_u(cu->share, l->ballots, &cu->votes);

		if (!ret)
			ret = add_to_union(r, cu->name, cu->votes);
		if (ret)
			return ret;
	}
	return 0;
}

int count_audience_compute(struct count_results *r)
{
	const struct scrutin *s = r->scrutin;
	size_t most = 0;

	r->audience_applies = s->body == BODY_TITULAIRES && s->round == 1;
	if (!r->audience_applies)
		return 0;
	for (unsigned i = 0; i < r->n_lists; i++)
		most += r->lists[i].n_unions;
	r->audience = calloc(most ? most : 1, sizeof(*r->audience));
	if (!r->audience)
		return ERR_NOMEM;
	for (unsigned i = 0; i < r->n_lists; i++) {
		int ret = list_audience(r, &r->lists[i]);

		if (ret)
			return ret;
	}
	return 0;
}
