/*
 * Per-scrutin accumulator of classified ballots (docs/RULES.md "Ballots",
 * "Votes of candidates and lists"). Memory is fixed by the scrutin (lists x
 * candidates counters), whatever the number of ballots: the decryption
 * pipeline feeds it one ballot at a time and may keep one tally per thread,
 * then merge them. Every counter is a sum, so the merged result does not
 * depend on how the ballots were split or ordered.
 */
#ifndef SCEAU_COUNT_TALLY_H
#define SCEAU_COUNT_TALLY_H

#include <stdint.h>

#include "format/election.h"
#include "count/classify.h"

struct tally_list {
	uint64_t ballots;         /* valid ballots choosing this list */
	unsigned n_candidates;
	uint64_t *ratures;        /* [n_candidates]: strikes per candidate */
};

struct tally {
	const struct scrutin *scrutin; /* not owned; must outlive the tally */
	uint64_t votants;         /* every ballot fed, whatever its kind */
	uint64_t blancs;
	uint64_t nuls;
	uint64_t by_reason[BALLOT_REASON_COUNT]; /* each ballot under its reason */
	unsigned n_lists;
	struct tally_list *lists; /* [n_lists], list L at [L - 1] */
};

/* An empty tally for scrutin s. */
int tally_new(const struct scrutin *s, struct tally **out);
void tally_free(struct tally *t); /* NULL ok */
/* Adds one classified ballot. ERR_RANGE (nothing added) if b does not fit
 * the scrutin (list out of range, a strike past the list, unknown reason). */
int tally_add(struct tally *t, const struct ballot_class *b);
/* dst += src; ERR_RANGE (dst unchanged) if they are not of the same scrutin. */
int tally_merge(struct tally *dst, const struct tally *src);
/* 1 if a and b hold the same counts for the same scrutin. */
int tally_equal(const struct tally *a, const struct tally *b);

#endif
