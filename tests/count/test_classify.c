/*
 * Classification of decrypted ballot plaintexts (count/classify.c; docs/RULES.md
 * "Ballots"). The scrutin of the rows has three lists of 5, 10 and 1
 * candidates: max_candidates 10, a 2-byte bitmap, pt_len 5. Each row gives
 * the plaintext in hex, the expected reason (its archive id), the list and
 * the struck candidates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "count/classify.h"
#include "counttest.h"

static const struct ct_spec spec = {
	.round = 1, .seats = 1, .inscrits = 10,
	.lists = { "FMFMF 0", "FMFMFMFMFM 0", "F 0" },
};

struct ballot_row {
	const char *title;
	const char *hex;
	const char *reason;   /* ballot_reason_name */
	unsigned list;
	const char *struck;   /* "1,10" */
};

static const struct ballot_row ballot_rows[] = {
	{ "valid: list 1, nothing struck — docs/RULES.md Ballots",
	  "0100010000", "valid", 1, "" },
	{ "valid: list 2 with candidates 1 and 10 struck (bit 0 of byte 3, "
	  "bit 1 of byte 4) — docs/RULES.md Ballots; CT L2314-29 (ratures)",
	  "0100020102", "valid", 2, "1,10" },
	{ "valid: list 1 with all but one candidate struck stays valid — "
	  "docs/RULES.md Ballots", "010001 0f00", "valid", 1, "1,2,3,4" },
	{ "blank: choice 0 with an all-zero bitmap — docs/RULES.md Ballots (blanc)",
	  "0100000000", "blank", 0, "" },
	{ "blank: every candidate of the chosen list struck (assimilated to "
	  "blank, by analogy with the paper rule) — docs/RULES.md Ballots",
	  "0100011f00", "all-struck", 1, "" },
	{ "blank: the only candidate of a one-candidate list struck — docs/RULES.md "
	  "Ballots (assimilated to blank)", "0100030100", "all-struck", 3, "" },
	{ "blank: all ten candidates of list 2 struck, across two bitmap bytes "
	  "— docs/RULES.md Ballots", "010002ff03", "all-struck", 2, "" },
	{ "nul: version 0 — docs/RULES.md Ballots (nul: malformed, bad version)",
	  "0000010000", "bad-version", 0, "" },
	{ "nul: version 2 — docs/RULES.md Ballots (nul: malformed, bad version)",
	  "0200010000", "bad-version", 0, "" },
	{ "nul: list 4 of 3 — docs/RULES.md Ballots (nul: list number out of range)",
	  "0100040000", "list-out-of-range", 0, "" },
	{ "nul: list 0x0101, the high byte counts — docs/RULES.md Ballots (nul: list "
	  "number out of range)", "0101010000", "list-out-of-range", 0, "" },
	{ "nul: list 0xffff — docs/RULES.md Ballots (nul: list number out of range)",
	  "01ffff0000", "list-out-of-range", 0, "" },
	{ "nul: candidate 6 struck on a 5-candidate list — docs/RULES.md Ballots "
	  "(nul: bits set beyond the list's length)", "0100012000", "bits-beyond-list", 0, "" },
	{ "nul: candidate 2 struck on the one-candidate list — docs/RULES.md Ballots "
	  "(nul: bits set beyond the list's length)", "0100030200", "bits-beyond-list", 0, "" },
	{ "nul: the bit of a 11th candidate set, past every list (max 10) — docs/RULES.md "
	  "Ballots (nul: non-zero padding)", "0100020004", "non-zero-padding", 0, "" },
	{ "nul: last bit of the bitmap set — docs/RULES.md Ballots (nul: non-zero "
	  "padding)", "0100010080", "non-zero-padding", 0, "" },
	{ "nul: a blank ballot with a strike: no list, its whole bitmap is "
	  "padding (decision) — docs/RULES.md Ballots (nul: non-zero padding)",
	  "0100000100", "non-zero-padding", 0, "" },
	{ "nul: padding wins over bits beyond the list (checks in a fixed "
	  "order) — docs/RULES.md Ballots (nul: malformed)", "0100012004",
	  "non-zero-padding", 0, "" },
	{ "nul: bad version wins over a list out of range (checks in a fixed "
	  "order) — docs/RULES.md Ballots (nul: malformed)", "0700090000",
	  "bad-version", 0, "" },
	{ "nul: 4 bytes where the scrutin's plaintext has 5 — docs/RULES.md Ballots "
	  "(nul: malformed)", "01000100", "wrong-length", 0, "" },
	{ "nul: 6 bytes where the scrutin's plaintext has 5 — docs/RULES.md Ballots "
	  "(nul: malformed)", "010001000000", "wrong-length", 0, "" },
	{ "nul: empty plaintext — docs/RULES.md Ballots (nul: malformed)",
	  "", "wrong-length", 0, "" },
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (const char *p = hex; *p; p++) {
		char pair[3] = { 0 };

		if (*p == ' ')
			continue;
		pair[0] = p[0];
		pair[1] = p[1];
		assert_true(n < cap);
		out[n++] = (uint8_t)strtoul(pair, NULL, 16);
		p++;
	}
	return n;
}

static void run_ballot_row(void **state)
{
	const struct ballot_row *row = *state;
	struct scrutin *s = ct_scrutin(&spec);
	uint8_t pt[32];
	size_t len = unhex(row->hex, pt, sizeof(pt));
	struct ballot_class c;
	char struck[128] = "";

	assert_int_equal(s->pt_len, 5);
	assert_int_equal(ballot_classify(s, pt, len, &c), 0);
	for (unsigned k = 1; k <= ELECTION_MAX_CANDIDATES; k++)
		if (ballot_is_struck(&c, k))
			ct_cat(struck, sizeof(struck), "%s%u", struck[0] ? "," : "", k);
	if (strcmp(ballot_reason_name(c.reason), row->reason) || c.list != row->list ||
	    strcmp(struck, row->struck) || c.kind != ballot_reason_kind(c.reason))
		fail_msg("%s\n  got %s list %u struck {%s}\n  wanted %s list %u struck {%s}",
			 row->title, ballot_reason_name(c.reason), c.list, struck,
			 row->reason, row->list, row->struck);
	ct_scrutin_free(s);
}

/* ---- the caller's nuls, names, encoding ---------------------------------- */

/* docs/RULES.md Ballots: a ballot whose point carries no plaintext, a
 * duplicate of an earlier one, or one whose proof fails, is nul with its
 * reason; the caller reports it. */
static void caller_reported_nuls(void **state)
{
	struct ballot_class c;

	assert_int_equal(ballot_nul(BALLOT_NUL_UNREADABLE, &c), 0);
	assert_int_equal(c.kind, BALLOT_NUL);
	assert_string_equal(ballot_reason_name(c.reason), "unreadable");
	assert_int_equal(ballot_nul(BALLOT_NUL_DUPLICATE, &c), 0);
	assert_string_equal(ballot_reason_name(c.reason), "duplicate");
	assert_int_equal(ballot_nul(BALLOT_NUL_PROOF_FAILED, &c), 0);
	assert_int_equal(c.kind, BALLOT_NUL);
	assert_string_equal(ballot_reason_name(c.reason), "proof-failed");
	assert_int_equal(ballot_nul(BALLOT_OK, &c), ERR_RANGE);
	assert_int_equal(ballot_nul(BALLOT_BLANK_CHOICE, &c), ERR_RANGE);
	assert_int_equal(ballot_nul(BALLOT_REASON_COUNT, &c), ERR_RANGE);
}

/* docs/RULES.md Ballots: each nul keeps its reason in the archive, under a
 * stable name. */
static void reason_names_are_stable(void **state)
{
	static const char *const names[BALLOT_REASON_COUNT] = {
		"valid", "blank", "all-struck", "unreadable", "wrong-length",
		"bad-version", "list-out-of-range", "non-zero-padding",
		"bits-beyond-list", "duplicate", "proof-failed",
	};
	enum ballot_reason r;

	for (unsigned i = 0; i < BALLOT_REASON_COUNT; i++) {
		assert_string_equal(ballot_reason_name((enum ballot_reason)i), names[i]);
		assert_int_equal(ballot_reason_from_name(names[i], &r), 0);
		assert_int_equal(r, i);
	}
	assert_null(ballot_reason_name(BALLOT_REASON_COUNT));
	assert_int_equal(ballot_reason_from_name("Bad-Version", &r), ERR_NOTFOUND);
	assert_int_equal(ballot_reason_from_name(NULL, &r), ERR_NOTFOUND);
	assert_int_equal(ballot_reason_kind(BALLOT_OK), BALLOT_VALID);
	assert_int_equal(ballot_reason_kind(BALLOT_BLANK_ALL_STRUCK), BALLOT_BLANK);
	assert_int_equal(ballot_reason_kind(BALLOT_NUL_PADDING), BALLOT_NUL);
}

/* 128 candidates (pt_len 19): the last candidate is bit 7 of byte 18. */
static void largest_list_last_candidate(void **state)
{
	struct ct_spec sp = { .round = 1, .seats = 1, .inscrits = 1 };
	char sexes[ELECTION_MAX_CANDIDATES + 4];
	struct scrutin *s;
	uint8_t pt[19] = { 1, 0, 1 };
	struct ballot_class c;

	memset(sexes, 'M', ELECTION_MAX_CANDIDATES);
	snprintf(sexes + ELECTION_MAX_CANDIDATES, 4, " 0");
	sp.lists[0] = sexes;
	s = ct_scrutin(&sp);
	assert_int_equal(s->pt_len, 19);
	pt[18] = 0x80;
	assert_int_equal(ballot_classify(s, pt, sizeof(pt), &c), 0);
	assert_int_equal(c.reason, BALLOT_OK);
	assert_true(ballot_is_struck(&c, 128));
	assert_false(ballot_is_struck(&c, 127));
	memset(pt + 3, 0xff, 16);
	assert_int_equal(ballot_classify(s, pt, sizeof(pt), &c), 0);
	assert_int_equal(c.reason, BALLOT_BLANK_ALL_STRUCK);
	ct_scrutin_free(s);
}

/* ballot_encode writes what ballot_classify reads back. */
static void encode_round_trip(void **state)
{
	struct scrutin *s = ct_scrutin(&spec);
	uint8_t pt[32], bm[2] = { 0x01, 0x02 }, bad[2] = { 0x20, 0 };
	size_t len;
	struct ballot_class c;

	assert_int_equal(ballot_encode(s, 2, bm, pt, sizeof(pt), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(pt, "\x01\x00\x02\x01\x02", 5);
	assert_int_equal(ballot_classify(s, pt, len, &c), 0);
	assert_int_equal(c.reason, BALLOT_OK);
	assert_true(ballot_is_struck(&c, 1) && ballot_is_struck(&c, 10));
	assert_int_equal(ballot_encode(s, 0, bm, pt, sizeof(pt), &len), 0);
	assert_memory_equal(pt, "\x01\x00\x00\x00\x00", 5);
	assert_int_equal(ballot_encode(s, 1, bad, pt, sizeof(pt), &len), ERR_RANGE);
	assert_int_equal(ballot_encode(s, 4, NULL, pt, sizeof(pt), &len), ERR_RANGE);
	assert_int_equal(ballot_encode(s, 1, NULL, pt, 4, &len), ERR_RANGE);
	ct_scrutin_free(s);
}

/* An inconsistent scrutin is a bug, not a nul ballot. */
static void inconsistent_scrutin_refused(void **state)
{
	struct scrutin *s = ct_scrutin(&spec);
	uint8_t pt[5] = { 1 };
	struct ballot_class c;

	s->pt_len = 6;
	assert_int_equal(ballot_classify(s, pt, 5, &c), ERR_INTERNAL);
	assert_int_equal(ballot_classify(NULL, pt, 5, &c), ERR_INTERNAL);
	ct_scrutin_free(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(caller_reported_nuls),
		cmocka_unit_test(reason_names_are_stable),
		cmocka_unit_test(largest_list_last_candidate),
		cmocka_unit_test(encode_round_trip),
		cmocka_unit_test(inconsistent_scrutin_refused),
	};
	struct CMUnitTest rows[N(ballot_rows)];
	int failed;

	for (size_t i = 0; i < N(ballot_rows); i++)
		rows[i] = (struct CMUnitTest){ .name = ballot_rows[i].title,
					       .test_func = run_ballot_row,
					       .initial_state = (void *)&ballot_rows[i] };
	failed = _cmocka_run_group_tests("ballot", rows, N(rows), NULL, NULL);
	failed += cmocka_run_group_tests_name("ballot_api", tests, NULL, NULL);
	return failed ? 1 : 0;
}
