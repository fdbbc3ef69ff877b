/*
 * The results file, "sceau-results/1" (docs/FORMATS.md "Results" and "The
 * results file"), as a document of plain structs: what `sceau count`
 * writes, what the PV prints from and what the verifier recomputes.
 *
 * results_write gives the one canonical text of a document (keys in the
 * documented order, fractions reduced with their 4-decimal text, indent 2,
 * non-ASCII unescaped, final newline), so that the same document always
 * gives the same bytes. results_read is strict: every key, no other, each
 * in range, and the numbers the PV prints side by side must add up (a file
 * that does not is refused with the JSON path of the first fault, not
 * printed). Like every Sceau JSON reader it does not care about key order,
 * white space or string escapes; results_write(read(text)) is the canonical
 * form of any text it accepts.
 *
 * Strings of a document point into the definition it was counted from
 * (count_results_doc) or into the text it was read from: they live as long
 * as those. Arrays are malloc'd and released by results_free.
 */
#ifndef SCEAU_FORMAT_RESULTS_H
#define SCEAU_FORMAT_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

#define RESULTS_FORMAT "sceau-results/1"
#define RESULTS_FILE_MAX (64u << 20)     /* bytes of results.json */
#define RESULTS_DECIMALS 4               /* of each fraction's decimal text */
#define RESULTS_DECIMAL_MAX 32           /* "18446744073709551615.0000" + NUL */
#define RESULTS_DECFILE_NAME "ballots-decrypted.bin"
#define RESULTS_MAX_IRREGULARITIES 4096
/* The one kind of irregularity the box records today, with its detail
 * "urn=N emargement=M" (results_irreg_ballots). */
#define RESULTS_IRREG_BALLOTS "ballots-vs-emargement"

/* Nul ballots by reason, in the order of the file's nuls_by_reason. */
enum results_nul {
	RESULTS_NUL_UNREADABLE,
	RESULTS_NUL_WRONG_LENGTH,
	RESULTS_NUL_BAD_VERSION,
	RESULTS_NUL_LIST_RANGE,
	RESULTS_NUL_PADDING,
	RESULTS_NUL_BEYOND_LIST,
	RESULTS_NUL_DUPLICATE,
	RESULTS_NUL_PROOF_FAILED,
	RESULTS_NUL_REASONS
};

/* An exact fraction, in lowest terms (0 is 0/1). */
struct results_frac {
	uint64_t num, den;
	char dec[RESULTS_DECIMAL_MAX]; /* "47.8333": RESULTS_DECIMALS, half up */
};

/* Why an elected member is exposed to annulment (the file's "exposed"). */
#define RESULTS_EXPOSED_PROPORTION 1u
#define RESULTS_EXPOSED_POSITION 2u

struct results_cand {
	unsigned position, rank;
	const char *last_name, *first_name;
	char sex;                  /* 'F' or 'M' */
	uint64_t votes, ratures;
	int ratures_count, elected;
	unsigned exposed;          /* RESULTS_EXPOSED_* bits */
};

struct results_gender {
	int present;               /* not null */
	uint64_t women, men, expected_women, expected_men, excess;
	int either_rounding, exception, exception_first, conform;
	char over;                 /* 'F', 'M' or 0 */
	size_t n_breaks;
	unsigned breaks[ELECTION_MAX_CANDIDATES]; /* positions, increasing */
};

struct results_union {
	const char *name;
	struct results_frac share, votes;
	int has_votes;             /* votes is not null */
};

struct results_list {
	unsigned number;
	const char *name;
	unsigned n_unions;
	struct results_union unions[ELECTION_MAX_UNIONS];
	uint64_t ballots, candidates_count, candidate_votes;
	struct results_frac average;
	int has_seats;             /* seats is not null */
	uint64_t s_quotient, s_average, s_total, s_vacant, s_filled;
	struct results_cand *cands; /* [candidates_count] */
	struct results_gender gender;
};

enum results_tie_rule { RESULTS_TIE_VOTES = 1, RESULTS_TIE_AGE, RESULTS_TIE_BUREAU };
enum results_tie_outcome {
	RESULTS_TIE_SEAT = 1, RESULTS_TIE_NO_SEAT, RESULTS_TIE_UNDECIDED
};

struct results_tie_list {
	unsigned number;
	struct results_frac average;
	unsigned next;             /* position, 0: none */
	const char *birth_date;    /* NULL iff next is 0 */
	enum results_tie_outcome outcome;
};

struct results_tie {
	uint64_t seats, undecided;
	struct results_frac average;
	enum results_tie_rule decided_by;
	unsigned n_lists;
	struct results_tie_list *lists;
};

struct results_audience {
	const char *name;
	struct results_frac votes;
};

/* notices, as bits, in the file's order */
#define RESULTS_N_SECOND_ROUND 1u
#define RESULTS_N_NO_VALID_VOTE 2u
#define RESULTS_N_SEATS_VACANT 4u
#define RESULTS_N_TIE_BUREAU 8u
#define RESULTS_N_GENDER 16u

enum results_quorum {
	RESULTS_QUORUM_NA = 0, RESULTS_QUORUM_REACHED, RESULTS_QUORUM_NOT_REACHED
};

/* One scrutin (docs/FORMATS.md "Scrutin object"). */
struct results_scrutin {
	unsigned id, round;
	const char *college;
	int suppleants;
	uint64_t inscrits, votants, blancs, blank, all_struck, nuls, sve, seats;
	uint64_t by_reason[RESULTS_NUL_REASONS];
	struct results_frac quotient;
	enum results_quorum quorum;
	int second_round, seats_allocated;
	uint64_t s_unallocated, s_vacant, s_undecided;
	unsigned n_lists;
	struct results_list *lists;
	int has_audience;          /* union_audience is not null */
	unsigned n_audience;
	struct results_audience *audience;
	int has_tie;               /* ties holds one tie */
	struct results_tie tie;
	unsigned notices;          /* RESULTS_N_* */
	uint8_t sha256[32];        /* of results_scrutin_text: set by results_read */
};

struct results_irreg {
	unsigned scrutin;
	char kind[ELECTION_TEXT_MAX + 1];
	char detail[ELECTION_TEXT_MAX + 1];
};

struct json_t;

/* The whole file. */
struct results {
	struct json_t *root;       /* the text read (owns the strings), or NULL */
	uint8_t election_id[32], record_sha256[32], urn[32], emargement[32];
	int has_urn, has_emargement; /* the input hash is in the file */
	uint64_t dec_count;
	uint8_t dec_sha256[32];
	unsigned n_irreg;
	struct results_irreg *irreg;
	unsigned n_scrutins;
	struct results_scrutin *scrutins;
};

/* The canonical text of the document: *text is malloc'd, NUL-terminated,
 * *len excludes the NUL. Fractions are written in lowest terms with their
 * decimal text, whatever the document holds. ERR_RANGE if a number does not
 * fit a JSON integer or a fraction has a zero denominator, ERR_INTERNAL for
 * an enumeration out of range. */
int results_write(const struct results *r, char **text, size_t *len);
/* One scrutin object alone, as canonical text (what its sha256 is of). */
int results_scrutin_text(const struct results_scrutin *s, char **text, size_t *len);

/* Strict reading into *out (results_free it, also after an error). */
int results_read(const uint8_t *buf, size_t len, struct results *out);
/* Only the format tag and the irregularities, read as strictly (the
 * verifier compares them even when the counts are wrong). */
int results_read_irregularities(const uint8_t *buf, size_t len, struct results *out);
void results_free(struct results *r);          /* r itself not; NULL ok */
void results_scrutin_free(struct results_scrutin *s);

/* The seats of s's tie that stay vacant whichever list the bureau picks:
 * its undecided seats when none of the lists it chooses among has a
 * candidate left (next_candidate null); 0 otherwise. They are in
 * s_vacant, and in no list's s_vacant. */
uint64_t results_tie_vacant(const struct results_scrutin *s);

/* The results agree with the definition (ids, collèges, bodies, rounds,
 * seats, inscrits, lists, unions and candidates): ERR_VERIFY otherwise. */
int results_check_election(const struct results *r, const struct election *e);

/* num/den reduced, with its decimal text; ERR_RANGE if den is 0. */
int results_frac_make(uint64_t num, uint64_t den, struct results_frac *out);
/* The detail of a RESULTS_IRREG_BALLOTS irregularity, and back (0 or
 * ERR_FORMAT if the detail is not of that form). */
void results_irreg_ballots(struct results_irreg *g, unsigned scrutin, uint64_t urn,
			   uint64_t emargement);
int results_irreg_ballots_parse(const struct results_irreg *g, uint64_t *urn,
				uint64_t *emargement);

#endif
