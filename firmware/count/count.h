/*
 * The results of one scrutin: every number the PV prints (docs/RULES.md "The
 * PV"), computed exactly from the scrutin's definition and its tally by the
 * rules of docs/RULES.md (one small function per rule, count/seats.h), and the
 * same numbers as a scrutin of the results file (format/results.h).
 *
 * The results point into the election definition (names, candidates): the
 * election must outlive them. Nothing here changes a result to "fix" it:
 * gender non-conformities are warnings, ties the rules cannot break are left
 * to the bureau, vacant seats stay vacant.
 */
#ifndef SCEAU_COUNT_COUNT_H
#define SCEAU_COUNT_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"
#include "format/results.h"
#include "count/classify.h"
#include "count/tally.h"

/* Bound on votants per scrutin that keeps every fraction far from 2^64
 * (count/frac.h); the definition already caps inscrits at 10^7. */
#define COUNT_MAX_VOTES 10000000u

enum count_quorum {
	COUNT_QUORUM_NOT_APPLICABLE = 0, /* round 2: no quorum */
	COUNT_QUORUM_REACHED,
	COUNT_QUORUM_NOT_REACHED,
};

/* What settled a tie for a seat (docs/RULES.md "Seats"). */
enum count_tie_rule {
	COUNT_TIE_BY_VOTES = 1,   /* more votes V_L */
	COUNT_TIE_BY_AGE,         /* oldest candidate who would be elected */
	COUNT_TIE_BUREAU,         /* still equal: the bureau decides */
};

enum count_tie_outcome {
	COUNT_TIE_SEAT = 1,       /* the list got the seat */
	COUNT_TIE_NO_SEAT,
	COUNT_TIE_UNDECIDED,      /* among the lists the bureau chooses from */
};

/* Why an elected member is exposed to annulment by a judge (CT L2314-32). */
#define COUNT_EXPOSED_PROPORTION 1u /* last elected of the over-represented sex */
#define COUNT_EXPOSED_POSITION 2u   /* placed against alternation / first-place rule */

struct count_candidate {
	const struct candidate *def;
	unsigned position;        /* 1-based order of presentation */
	uint64_t ratures;
	uint64_t votes;           /* ballots for the list - ratures */
	int ratures_count;        /* ratures > 0 and 10 x ratures >= ballots for the list */
	uint64_t effective;       /* votes if ratures count, else the list's ballots */
	unsigned rank;            /* 1-based rank inside the list */
	int elected;
	int alternation_break;    /* same sex as the previous, other sex still to come */
	unsigned exposed;         /* COUNT_EXPOSED_* (elected members only) */
};

/* Gender balance of one list (CT L2314-30, L2314-32): warnings only. */
struct count_gender {
	int checked;              /* the list has several candidates */
	unsigned women, men;
	unsigned expected_women, expected_men; /* round-half-up(n x share) */
	int either_rounding;      /* both n x share end in exactly .5 (see gender.c) */
	int exception;            /* one candidate of a sex otherwise excluded */
	int exception_first;      /* ... and that candidate is first: not allowed */
	char over_sex;            /* 'F' or 'M' over-represented, 0 if none */
	unsigned excess;          /* candidates of over_sex beyond the allowed number */
	unsigned alternation_breaks; /* candidates with alternation_break */
	int conform;
};

struct count_union {
	const char *name;
	struct frac_u share;      /* declared, or 1/n (election parser) */
	struct frac_u votes;      /* ballots x share; 0 if audience does not apply */
};

struct count_list {
	const struct elist *def;
	uint64_t ballots;         /* valid ballots for the list */
	unsigned n_candidates;
	uint64_t total_votes;     /* Σ candidate votes */
	struct frac_u average;    /* V_L = total_votes / n_candidates, not reduced */
	unsigned seats_quotient;  /* won at the quotient: floor(V_L / Q) */
	unsigned seats_average;   /* won at the highest average */
	unsigned seats_vacant;    /* won but without a candidate to fill them */
	unsigned seats_filled;    /* = elected = quotient + average - vacant */
	unsigned n_unions;
	struct count_union unions[ELECTION_MAX_UNIONS];
	struct count_gender gender;
	struct count_candidate *candidates; /* [n_candidates], presentation order */
	unsigned *ranked;         /* [n_candidates]: candidate indexes by rank */
};

struct count_tie_list {
	unsigned list;            /* list number */
	unsigned next;            /* position of the candidate who would be elected, 0: none */
	enum count_tie_outcome outcome;
};

/* Lists with the same highest average competing for fewer seats than
 * there are of them. Only such a tie matters, and it uses up every seat
 * left, so a scrutin has at most one. */
struct count_tie {
	unsigned seats;           /* seats contested */
	struct frac_u average;    /* the equal average V_L / (won + 1) */
	enum count_tie_rule decided_by; /* the rule that settled the last seat */
	unsigned undecided;       /* seats left to the bureau */
	unsigned vacant;          /* of those, the seats that stay vacant whichever
				   * list the bureau picks: none of the lists it
				   * chooses among has a candidate left */
	unsigned n_lists;
	struct count_tie_list lists[ELECTION_MAX_LISTS];
};

/* Union audience (titulaires, round 1; CT L2122-1), summed by union name. */
struct count_audience {
	const char *name;
	struct frac_u votes;      /* reduced */
};

struct count_results {
	const struct scrutin *scrutin;
	uint64_t inscrits, votants, blancs, nuls, sve;
	uint64_t by_reason[BALLOT_REASON_COUNT];
	unsigned seats;
	struct frac_u quotient;   /* Q = SVE / seats, not reduced */
	enum count_quorum quorum;
	int second_round_required; /* quorum not reached: nobody is elected */
	int seats_allocated;      /* 0 if the quorum is not reached */
	unsigned seats_unallocated; /* no valid vote at all (round 2, SVE = 0) */
	unsigned seats_vacant;    /* Σ lists' vacant seats + the tie's vacant ones */
	unsigned seats_undecided; /* left to the bureau by a tie (vacant or not) */
	unsigned n_lists;
	struct count_list *lists; /* list L at [L - 1] */
	int audience_applies;     /* titulaires, round 1 */
	unsigned n_audience;
	struct count_audience *audience;
	unsigned n_ties;          /* 0 or 1 */
	struct count_tie ties[1];
};

/*
 * Computes the results of scrutin s from its tally (t->scrutin must be s).
 * ERR_RANGE if votants exceed COUNT_MAX_VOTES; ERR_INTERNAL if the tally is
 * inconsistent (votants != blancs + nuls + Σ ballots for the lists).
 */
int count_compute(const struct scrutin *s, const struct tally *t,
		  struct count_results **out);
void count_results_free(struct count_results *r); /* NULL ok */

/* Stable ids, for messages and tests. */
const char *count_quorum_name(enum count_quorum q);
const char *count_tie_rule_name(enum count_tie_rule r);
const char *count_tie_outcome_name(enum count_tie_outcome o);

/* The scrutin's results as the results file has them: *out's texts point
 * into the definition; results_scrutin_free(out) releases its arrays (also
 * done on error). */
int count_results_doc(const struct count_results *r, struct results_scrutin *out);
/* The same scrutin alone as canonical text (results_scrutin_text). *text is
 * NUL-terminated, *len excludes the NUL; free() it. */
int count_results_text(const struct count_results *r, char **text, size_t *len);

#endif
