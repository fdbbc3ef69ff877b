/* Constant-memory ballot accumulator (count/tally.h). */
#include <stdlib.h>

#include "count/tally.h"
#include "lib/err.h"

int tally_new(const struct scrutin *s, struct tally **out)
{
	struct tally *t;
	uint64_t *r;
	size_t total = 0;

	*out = NULL;
	if (!s || s->n_lists == 0 || s->n_lists > ELECTION_MAX_LISTS)
		return ERR_INTERNAL;
	for (unsigned i = 0; i < s->n_lists; i++)
		total += s->lists[i].n_candidates;
	t = calloc(1, sizeof(*t));
	if (!t)
		return ERR_NOMEM;
	t->lists = calloc(s->n_lists, sizeof(*t->lists));
	/* One block for every ratures counter: freed with lists[0]. */
	r = calloc(total ? total : 1, sizeof(*r));
	if (!t->lists || !r) {
		free(r);
		free(t->lists);
		free(t);
		return ERR_NOMEM;
	}
	t->scrutin = s;
	t->n_lists = s->n_lists;
	for (unsigned i = 0; i < s->n_lists; i++) {
		t->lists[i].n_candidates = s->lists[i].n_candidates;
		t->lists[i].ratures = r;
		r += s->lists[i].n_candidates;
	}
	*out = t;
	return 0;
}

void tally_free(struct tally *t)
{
	if (!t)
		return;
	free(t->lists[0].ratures);
	free(t->lists);
	free(t);
}

/* A valid ballot must name a list of this scrutin and strike only its
 * candidates: the classifier guarantees it, the tally re-checks so that a
 * caller's mistake cannot shift votes. */
static int check_valid(const struct tally *t, const struct ballot_class *b)
{
	unsigned n;

	if (b->list < 1 || b->list > t->n_lists)
		return ERR_RANGE;
	n = t->lists[b->list - 1].n_candidates;
	for (unsigned i = n; i < BALLOT_BITMAP_MAX * 8; i++)
		if ((b->struck[i / 8] >> (i % 8)) & 1)
			return ERR_RANGE;
	return 0;
}

static void add_valid(struct tally *t, const struct ballot_class *b)
{
	struct tally_list *l = &t->lists[b->list - 1];

	l->ballots++;
	for (unsigned byte = 0; byte * 8 < l->n_candidates; byte++) {
		unsigned bits = b->struck[byte];

		for (unsigned k = 0; bits; k++, bits >>= 1)
			if (bits & 1)
				l->ratures[byte * 8 + k]++;
	}
}

int tally_add(struct tally *t, const struct ballot_class *b)
{
	if ((unsigned)b->reason >= BALLOT_REASON_COUNT ||
	    b->kind != ballot_reason_kind(b->reason))
		return ERR_RANGE;
	if (b->kind == BALLOT_VALID) {
		int ret = check_valid(t, b);

		if (ret)
			return ret;
		add_valid(t, b);
	} else if (b->kind == BALLOT_BLANK) {
		t->blancs++;
	} else {
		t->nuls++;
	}
	t->votants++;
	t->by_reason[b->reason]++;
	return 0;
}

static int same_shape(const struct tally *a, const struct tally *b)
{
	if (a->scrutin != b->scrutin || a->n_lists != b->n_lists)
		return 0;
	for (unsigned i = 0; i < a->n_lists; i++)
		if (a->lists[i].n_candidates != b->lists[i].n_candidates)
			return 0;
	return 1;
}

int tally_merge(struct tally *dst, const struct tally *src)
{
	if (!same_shape(dst, src))
		return ERR_RANGE;
	dst->votants += src->votants;
	dst->blancs += src->blancs;
	dst->nuls += src->nuls;
	for (unsigned r = 0; r < BALLOT_REASON_COUNT; r++)
		dst->by_reason[r] += src->by_reason[r];
	for (unsigned i = 0; i < dst->n_lists; i++) {
		struct tally_list *d = &dst->lists[i];
		const struct tally_list *s = &src->lists[i];

		d->ballots += s->ballots;
		for (unsigned c = 0; c < d->n_candidates; c++)
			d->ratures[c] += s->ratures[c];
	}
	return 0;
}

int tally_equal(const struct tally *a, const struct tally *b)
{
	if (!same_shape(a, b) || a->votants != b->votants ||
	    a->blancs != b->blancs || a->nuls != b->nuls)
		return 0;
	for (unsigned r = 0; r < BALLOT_REASON_COUNT; r++)
		if (a->by_reason[r] != b->by_reason[r])
			return 0;
	for (unsigned i = 0; i < a->n_lists; i++) {
		if (a->lists[i].ballots != b->lists[i].ballots)
			return 0;
		for (unsigned c = 0; c < a->lists[i].n_candidates; c++)
			if (a->lists[i].ratures[c] != b->lists[i].ratures[c])
				return 0;
	}
	return 1;
}
