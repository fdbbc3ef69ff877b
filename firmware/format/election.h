/*
 * The election definition: what the organiser decided before the vote
 * (scrutins, lists, candidates, seats, inscrits, sex shares). Parsed from
 * the strict JSON format "sceau-election/1" (docs/FORMATS.md) with jansson;
 * election_id = SHA-256 of the file's exact bytes. Every bound below is
 * enforced by the parser, which names the offending field on error
 * (err_detail, e.g. "scrutins[1].lists[0].candidates[2].birth_date").
 */
#ifndef SCEAU_FORMAT_ELECTION_H
#define SCEAU_FORMAT_ELECTION_H

#include <stddef.h>
#include <stdint.h>

#define ELECTION_FILE_MAX (4u << 20)   /* bytes of the JSON file */
#define ELECTION_MAX_SCRUTINS 64
#define ELECTION_MAX_LISTS 64         /* per scrutin */
#define ELECTION_MAX_CANDIDATES 128   /* per list */
#define ELECTION_MAX_UNIONS 8         /* per list (joint lists) */
#define ELECTION_TEXT_MAX 200         /* bytes of UTF-8 per text field, + NUL */
#define ELECTION_MAX_SEATS 1000       /* per scrutin */
#define ELECTION_MAX_INSCRITS 10000000u /* per scrutin */
#define ELECTION_FORMAT "sceau-election/1"

enum body { BODY_TITULAIRES = 1, BODY_SUPPLEANTS = 2 };

/* An exact non-negative fraction; decimals like "0.38" become 38/100. */
struct frac_u {
	uint64_t num, den;
};

struct candidate {
	char last_name[ELECTION_TEXT_MAX + 1];
	char first_name[ELECTION_TEXT_MAX + 1];
	char sex;             /* 'F' or 'M' */
	char birth_date[11];  /* YYYY-MM-DD, a valid calendar date */
};

struct union_share {
	char name[ELECTION_TEXT_MAX + 1];
	struct frac_u share;  /* declared split; equal split if not declared */
};

struct elist {
	unsigned number;      /* 1-based, = the ballot's choice value */
	char name[ELECTION_TEXT_MAX + 1];
	unsigned n_unions;
	int split_declared;   /* 1 if shares were given (they then sum to 1) */
	struct union_share unions[ELECTION_MAX_UNIONS];
	unsigned n_candidates;
	struct candidate *candidates; /* in order of presentation */
};

struct scrutin {
	uint16_t id;          /* 1-based, = scrutin_id in ballots */
	char college[ELECTION_TEXT_MAX + 1];
	enum body body;
	unsigned round;       /* 1 or 2 */
	unsigned seats;       /* >= 1 */
	unsigned inscrits;    /* >= 1 */
	struct frac_u share_women, share_men; /* sum to 1 */
	char opens[32], closes[32]; /* ISO 8601 with offset, as given */
	unsigned n_lists;
	struct elist *lists;
	unsigned max_candidates; /* over the lists */
	unsigned pt_len;      /* ballot plaintext bytes: 3 + ceil(max_candidates/8) */
};

struct election {
	uint8_t id[32];       /* SHA-256 of the file's bytes */
	char establishment[ELECTION_TEXT_MAX + 1];
	char siret[15];       /* 14 digits */
	char title[ELECTION_TEXT_MAX + 1];
	unsigned n_scrutins;
	struct scrutin *scrutins;
};

int election_parse(const uint8_t *buf, size_t len, struct election **out);
int election_load(const char *path, struct election **out);
void election_free(struct election *e); /* NULL ok */

/* The scrutin with that id, or NULL. */
const struct scrutin *election_scrutin(const struct election *e, uint16_t id);
/* "titulaires" / "suppléants". */
const char *election_body_name(enum body b);

#endif
