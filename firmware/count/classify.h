/*
 * Classification of one decrypted ballot plaintext of a scrutin (layout:
 * docs/FORMATS.md "Ballot plaintext"; rules: docs/RULES.md "Ballots"):
 *
 *   byte 0       version = 1
 *   bytes 1..2   choice, big-endian: 0 = blank, L = list number L
 *   bytes 3..    bitmap, ceil(max_candidates / 8) bytes: candidate c
 *                (1-based) of the chosen list is struck iff bit (c-1) % 8
 *                (LSB first) of byte 3 + (c-1) / 8 is set
 *   length       scrutin->pt_len = 3 + ceil(max_candidates / 8)
 *
 * Every bit that is not a candidate of the chosen list must be zero. The
 * outcome is valid (a list and its strikes), blank (choice 0; or a list with
 * every candidate struck, assimilated to blank) or nul with its reason. A nul
 * is a result, not an error: it never stops the count (docs/DESIGN.md).
 * Checks run in this order and the first failure gives the reason:
 * length, version, list range, padding, bits beyond the list.
 */
#ifndef SCEAU_COUNT_CLASSIFY_H
#define SCEAU_COUNT_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

#define BALLOT_PT_VERSION 1
#define BALLOT_PT_HEADER 3   /* version + choice */
#define BALLOT_BITMAP_MAX ((ELECTION_MAX_CANDIDATES + 7) / 8)

enum ballot_kind {
	BALLOT_VALID = 1,
	BALLOT_BLANK = 2,
	BALLOT_NUL = 3,
};

/* Why a ballot is what it is. Kept in the archive by its name
 * (ballot_reason_name): the names are stable, never reuse or rename one. */
enum ballot_reason {
	BALLOT_OK = 0,            /* "valid": a list, some candidates kept */
	BALLOT_BLANK_CHOICE,      /* "blank": choice 0, bitmap all zero */
	BALLOT_BLANK_ALL_STRUCK,  /* "all-struck": a list, every candidate struck */
	BALLOT_NUL_UNREADABLE,    /* "unreadable": M carries no plaintext (caller) */
	BALLOT_NUL_WRONG_LENGTH,  /* "wrong-length": not pt_len bytes */
	BALLOT_NUL_BAD_VERSION,   /* "bad-version": byte 0 is not 1 */
	BALLOT_NUL_LIST_RANGE,    /* "list-out-of-range": choice > lists */
	BALLOT_NUL_PADDING,       /* "non-zero-padding": a bit no candidate owns */
	BALLOT_NUL_BEYOND_LIST,   /* "bits-beyond-list": a bit past the list */
	BALLOT_NUL_DUPLICATE,     /* "duplicate": A of an earlier ballot (caller) */
	BALLOT_NUL_PROOF_FAILED,  /* "proof-failed": its proof of knowledge fails (caller) */
	BALLOT_REASON_COUNT
};

struct ballot_class {
	enum ballot_kind kind;
	enum ballot_reason reason;
	unsigned list;            /* 1-based list chosen (also for "all-struck"), else 0 */
	uint8_t struck[BALLOT_BITMAP_MAX]; /* bitmap as in the plaintext; valid only */
};

/*
 * Classifies pt (len bytes) against scrutin s. Returns 0 with the outcome in
 * *out, whatever the plaintext holds; ERR_INTERNAL only if s itself is
 * inconsistent (pt_len not 3 + ceil(max_candidates / 8)).
 */
int ballot_classify(const struct scrutin *s, const uint8_t *pt, size_t len,
		    struct ballot_class *out);
/* A nul the caller found (unreadable, duplicate, proof-failed): ERR_RANGE if reason is
 * not a nul reason. */
int ballot_nul(enum ballot_reason reason, struct ballot_class *out);

/* The kind a reason belongs to. */
enum ballot_kind ballot_reason_kind(enum ballot_reason reason);
/* The stable ASCII id ("bad-version"), or NULL for an unknown value. */
const char *ballot_reason_name(enum ballot_reason reason);
/* The reason with that id; ERR_NOTFOUND if none. */
int ballot_reason_from_name(const char *name, enum ballot_reason *out);

/* 1 if candidate c (1-based) is struck in a valid ballot's bitmap. */
int ballot_is_struck(const struct ballot_class *b, unsigned c);

/*
 * Encodes the plaintext of a well-formed choice (tools and tests: the
 * platform simulator, the recount cross-checks). struck is the bitmap of the
 * list's strikes (NULL: none; ignored for a blank). ERR_RANGE if the choice
 * is not 0..n_lists, a strike is past the list, or cap < pt_len.
 */
int ballot_encode(const struct scrutin *s, unsigned choice, const uint8_t *struck,
		  uint8_t *pt, size_t cap, size_t *len);

#endif
