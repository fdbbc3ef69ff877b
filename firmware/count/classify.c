/* Ballot plaintext classification (count/classify.h; docs/RULES.md
 * "Ballots"). */
#include <string.h>

#include "count/classify.h"
#include "lib/err.h"

static const char *const reason_names[BALLOT_REASON_COUNT] = {
	[BALLOT_OK] = "valid",
	[BALLOT_BLANK_CHOICE] = "blank",
	[BALLOT_BLANK_ALL_STRUCK] = "all-struck",
	[BALLOT_NUL_UNREADABLE] = "unreadable",
	[BALLOT_NUL_WRONG_LENGTH] = "wrong-length",
	[BALLOT_NUL_BAD_VERSION] = "bad-version",
	[BALLOT_NUL_LIST_RANGE] = "list-out-of-range",
	[BALLOT_NUL_PADDING] = "non-zero-padding",
	[BALLOT_NUL_BEYOND_LIST] = "bits-beyond-list",
	[BALLOT_NUL_DUPLICATE] = "duplicate",
	[BALLOT_NUL_PROOF_FAILED] = "proof-failed",
};

const char *ballot_reason_name(enum ballot_reason reason)
{
	if ((unsigned)reason >= BALLOT_REASON_COUNT)
		return NULL;
	return reason_names[reason];
}

int ballot_reason_from_name(const char *name, enum ballot_reason *out)
{
	for (unsigned i = 0; name && i < BALLOT_REASON_COUNT; i++) {
		if (strcmp(name, reason_names[i]) == 0) {
			*out = (enum ballot_reason)i;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

enum ballot_kind ballot_reason_kind(enum ballot_reason reason)
{
	if (reason == BALLOT_OK)
		return BALLOT_VALID;
	if (reason == BALLOT_BLANK_CHOICE || reason == BALLOT_BLANK_ALL_STRUCK)
		return BALLOT_BLANK;
	return BALLOT_NUL;
}

static void set(struct ballot_class *out, enum ballot_reason reason, unsigned list)
{
	memset(out, 0, sizeof(*out));
	out->kind = ballot_reason_kind(reason);
	out->reason = reason;
	out->list = list;
}

int ballot_nul(enum ballot_reason reason, struct ballot_class *out)
{
	if ((unsigned)reason >= BALLOT_REASON_COUNT ||
	    ballot_reason_kind(reason) != BALLOT_NUL)
		return ERR_RANGE;
	set(out, reason, 0);
	return 0;
}

static int bit(const uint8_t *bitmap, unsigned i)
{
	return (bitmap[i / 8] >> (i % 8)) & 1;
}

/* 1 if a bit of bitmap[from .. to) (bit indexes) is set. */
static int any_bit(const uint8_t *bitmap, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		if (bit(bitmap, i))
			return 1;
	return 0;
}

static unsigned bitmap_len(const struct scrutin *s)
{
	return (s->max_candidates + 7) / 8;
}

/* The checks of a list ballot once length, version and range hold. The
 * bits from max_candidates on belong to no list of the scrutin: padding,
 * so a plaintext that sets them is malformed whatever the choice. Bits
 * between the list's length and max_candidates would strike a candidate of
 * a longer list: "bits beyond the list's length" (docs/RULES.md "Ballots"). */
static void classify_list(const struct scrutin *s, const uint8_t *bitmap,
			  unsigned choice, struct ballot_class *out)
{
	unsigned n = s->lists[choice - 1].n_candidates, nb = bitmap_len(s);

	if (any_bit(bitmap, s->max_candidates, nb * 8)) {
		set(out, BALLOT_NUL_PADDING, 0);
	} else if (any_bit(bitmap, n, s->max_candidates)) {
		set(out, BALLOT_NUL_BEYOND_LIST, 0);
	} else {
		unsigned struck = 0;

		for (unsigned c = 0; c < n; c++)
			struck += (unsigned)bit(bitmap, c);
		/* Every candidate struck: assimilated to a blank ballot, by
		 * analogy with the paper rule (docs/RULES.md "Ballots"). */
		set(out, struck == n ? BALLOT_BLANK_ALL_STRUCK : BALLOT_OK, choice);
		if (out->kind == BALLOT_VALID)
			memcpy(out->struck, bitmap, nb);
	}
}

int ballot_classify(const struct scrutin *s, const uint8_t *pt, size_t len,
		    struct ballot_class *out)
{
	unsigned choice, nb;

	if (!s || !out || (!pt && len))
		return ERR_INTERNAL;
	nb = bitmap_len(s);
	if (s->max_candidates > ELECTION_MAX_CANDIDATES ||
	    s->pt_len != BALLOT_PT_HEADER + nb)
		return ERR_INTERNAL;
	if (len != s->pt_len) {
		set(out, BALLOT_NUL_WRONG_LENGTH, 0);
		return 0;
	}
	if (pt[0] != BALLOT_PT_VERSION) {
		set(out, BALLOT_NUL_BAD_VERSION, 0);
		return 0;
	}
	choice = (unsigned)pt[1] << 8 | pt[2];
	if (choice > s->n_lists)
		set(out, BALLOT_NUL_LIST_RANGE, 0);
	else if (choice == 0)
		/* A blank ballot has no list: its whole bitmap is padding. */
		set(out, any_bit(pt + BALLOT_PT_HEADER, 0, nb * 8) ?
			 BALLOT_NUL_PADDING : BALLOT_BLANK_CHOICE, 0);
	else
		classify_list(s, pt + BALLOT_PT_HEADER, choice, out);
	return 0;
}

int ballot_is_struck(const struct ballot_class *b, unsigned c)
{
	if (b->kind != BALLOT_VALID || c < 1 || c > ELECTION_MAX_CANDIDATES)
		return 0;
	return bit(b->struck, c - 1);
}

int ballot_encode(const struct scrutin *s, unsigned choice, const uint8_t *struck,
		  uint8_t *pt, size_t cap, size_t *len)
{
	unsigned nb = bitmap_len(s);

	if (choice > s->n_lists || cap < s->pt_len || nb > BALLOT_BITMAP_MAX ||
	    s->pt_len != BALLOT_PT_HEADER + nb)
		return ERR_RANGE;
	memset(pt, 0, s->pt_len);
	pt[0] = BALLOT_PT_VERSION;
	pt[1] = (uint8_t)(choice >> 8);
	pt[2] = (uint8_t)choice;
	if (choice && struck) {
		if (any_bit(struck, s->lists[choice - 1].n_candidates, nb * 8))
			return ERR_RANGE;
		memcpy(pt + BALLOT_PT_HEADER, struck, nb);
	}
	*len = s->pt_len;
	return 0;
}
