/*
 * The counting rules of docs/RULES.md, one small function per rule, each citing
 * its source. count_compute (count/count.h) chains them; tests call them one
 * by one. Every value is exact (count/frac.h).
 */
#ifndef SCEAU_COUNT_SEATS_H
#define SCEAU_COUNT_SEATS_H

#include <stdint.h>

#include "count/count.h"
#include "count/frac.h"

/* Votes of a candidate = ballots for the list - ratures on them.
 * ERR_INTERNAL if ratures > ballots (a tally cannot produce it). */
int seats_candidate_votes(uint64_t ballots, uint64_t ratures, uint64_t *votes);
/* V_L = Σ candidate votes / number of candidates (ERR_RANGE if n is 0). */
int seats_list_average(uint64_t total_votes, unsigned n_candidates,
		       struct frac_u *average);
/* SVE = votants - blancs - nuls (ERR_INTERNAL if negative). */
int seats_sve(uint64_t votants, uint64_t blancs, uint64_t nuls, uint64_t *sve);
/* Q = SVE / seats (ERR_RANGE if seats is 0). */
int seats_quotient(uint64_t sve, unsigned seats, struct frac_u *q);
/* Round 1: reached iff 2 x SVE >= inscrits; round 2: not applicable. */
enum count_quorum seats_quorum(unsigned round, uint64_t sve, uint64_t inscrits);
/* floor(V_L / Q), Q > 0. */
int seats_at_quotient(struct frac_u average, struct frac_u q, unsigned *won);
/* The average for the next seat: V_L / (won + 1). */
int seats_next_average(struct frac_u average, unsigned won, struct frac_u *out);
/* 1 if ratures count for ranking: 10 x ratures >= ballots for the list
 * (and ratures > 0). */
int seats_ratures_count(uint64_t ratures, uint64_t ballots);

/* Votes, effective votes and rank of each candidate of l (from l->ballots
 * and the candidates' ratures, already set). */
int seats_rank(struct count_list *l);
/* Seats at the quotient, then at the highest average, ties, vacant seats;
 * marks the elected. Needs averages and ranks; r->seats_allocated set. */
int seats_allocate(struct count_results *r);

/* Gender balance (CT L2314-30): round-half-up(n x share), exact. */
unsigned count_gender_expected(unsigned n, struct frac_u share);
/* Checks the composition of l against the scrutin's shares. */
void count_gender_check(const struct scrutin *s, struct count_list *l);
/* After the election: marks the elected members exposed to annulment
 * (CT L2314-32). */
void count_gender_exposed(struct count_list *l);

/* Union audience (titulaires, round 1): per list and summed by union. */
int count_audience_compute(struct count_results *r);

#endif
