/*
 * The CCID driver over the simulated reader (ccid-sim): short-APDU and
 * TPDU/T=1 readers, chaining both ways with small IFSC and IFSD, IFSD
 * negotiation, S(WTX), time extensions, a corrupted block recovered, too
 * many errors (resynch, then a clear error), the card pulled in the middle
 * of a chain, two readers and two slots at once, and a reader unplugged.
 * Hostile cards and readers: empty chained blocks, a command answered by an
 * R-block (never re-sent), time extensions and S(WTX) without end (the
 * deadlines, on the reader's virtual clock), a lost answer (link broken).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "card/card_ccid.h"
#include "sim/ccid_sim.h"
#include "card/openpgp.h"
#include "lib/cancel.h"
#include "lib/file.h"
#include "cardtest.h"

struct fx {
	char dir[2][128];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	for (int i = 0; i < 2; i++) {
		testlib_tmpdir(f->dir[i], sizeof(f->dir[i]));
		if (card_sim_create(f->dir[i], CT_SERIAL + (unsigned)i) != 0)
			return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	for (int i = 0; i < 2; i++)
		testlib_rmdir(f->dir[i]);
	free(f);
	return 0;
}

static struct card *open_spec(const char *opts, const char *dirs, const char *slot)
{
	char spec[512];
	struct card *c = NULL;

	snprintf(spec, sizeof(spec), "%s:%s%s", opts, dirs, slot);
	assert_int_equal(card_open(card_transport("ccid-sim"), spec, &c), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	return c;
}

/* SELECT, then the AID serial: the card answers through the reader. */
static void check_serial(struct card *c, uint32_t serial)
{
	struct pgp_status st;

	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_status(c, &st), 0);
	assert_int_equal(st.aid[10] << 24 | st.aid[11] << 16 | st.aid[12] << 8 |
			 st.aid[13], serial);
}

/* 200 bytes into private DO 0101 and back: chains both ways at small sizes. */
static int big_roundtrip(struct card *c)
{
	uint8_t data[200], back[256];
	size_t n = sizeof(back);
	int ret;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	ret = pgp_select(c);
	if (!ret)
		ret = pgp_verify(c, PGP_PW1, PGP_PW1_DEFAULT, NULL);
	if (!ret)
		ret = pgp_put_data(c, 0x0101, data, sizeof(data));
	if (!ret)
		ret = pgp_get_data(c, 0x0101, back, &n);
	if (!ret && (n != sizeof(data) || memcmp(back, data, n) != 0))
		ret = ERR_VERIFY;
	return ret;
}

static void test_apdu_reader(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("apdu", f->dir[0], "");

	assert_null(card_ccid_t1(c));
	check_serial(c, CT_SERIAL);
	assert_int_equal(big_roundtrip(c), 0);
	assert_non_null(strstr(c->label, "CCID 1d6b:0cc1"));
	card_close(c);
}

static void test_t1_plain_and_ifsd(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_non_null(t);
	assert_int_equal(t->ifsd, 254); /* negotiated by S(IFS) */
	assert_int_equal(t->ifsc, 32);
	check_serial(c, CT_SERIAL);
	assert_int_equal(t->n_retries, 0);
	card_close(c);
}

static void test_t1_chaining_small_sizes(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,ifsc=16,maxifsd=20,crc", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(t->ifsd, 20);
	assert_int_equal(t->ifsc, 16);
	assert_int_equal(t->crc, 1);
	assert_int_equal(big_roundtrip(c), 0);
	card_close(c);
}

static void test_t1_wtx_and_time_extension(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,wtx=2,timeext=3,ifsc=20", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(big_roundtrip(c), 0);
	assert_int_equal(t->n_wtx, 2); /* 4 answers, one WTX before every 2nd */
	card_close(c);
	c = open_spec("apdu,timeext=1", f->dir[0], "");
	check_serial(c, CT_SERIAL);
	card_close(c);
}

static void test_t1_corrupted_block_recovered(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,corrupt=3x2,ifsc=20,maxifsd=24", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(big_roundtrip(c), 0);
	assert_int_equal(t->n_retries, 2);
	assert_int_equal(t->n_resynch, 0);
	card_close(c);
	/* our blocks damaged on the way: in the command chain (block 5) and a
	 * last block (block 2, SELECT): the card asks, we send them again */
	c = open_spec("t1,hostcorrupt=5x2,ifsc=20,maxifsd=24", f->dir[0], "");
	t = card_ccid_t1(c);
	assert_int_equal(big_roundtrip(c), 0);
	assert_int_equal(t->n_retries, 2);
	card_close(c);
	c = open_spec("t1,hostcorrupt=2", f->dir[0], "");
	t = card_ccid_t1(c);
	check_serial(c, CT_SERIAL);
	assert_int_equal(t->n_retries, 1);
	card_close(c);
	/* the card's answer damaged (block 2), then our R-block (block 3): the
	 * card asks for the R-block again, never for the command */
	c = open_spec("t1,corrupt=2,hostcorrupt=3", f->dir[0], "");
	t = card_ccid_t1(c);
	check_serial(c, CT_SERIAL);
	assert_int_equal(t->n_retries, 2);
	assert_int_equal(t->n_resynch, 0);
	card_close(c);
}

static void test_t1_too_many_errors(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,corrupt=2x3", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	/* three bad blocks: resynch succeeds, the command is abandoned */
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), "resynchronised"));
	assert_int_equal(t->n_resynch, 1);
	check_serial(c, CT_SERIAL); /* the link works again */
	card_close(c);
	/* errors that never end: resynch fails too, the card must be reset */
	c = open_spec("t1,corrupt=2x50", f->dir[0], "");
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), "resynchronisation"));
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	card_close(c);
}

static void test_t1_card_pulled_mid_chain(void **state)
{
	struct fx *f = *state;
	char from[256], to[256];
	struct card *c;

	/* block 1 is S(IFS); the 5th is in the middle of the PUT DATA chain */
	c = open_spec("t1,ifsc=16,maxifsd=20,pullblock=9", f->dir[0], "");
	assert_int_equal(big_roundtrip(c), ERR_CARD_ABSENT);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(big_roundtrip(c), ERR_CARD_ABSENT);
	ct_path(from, sizeof(from), f->dir[0], CARD_SIM_PULLED_FILE);
	ct_path(to, sizeof(to), f->dir[0], CARD_SIM_CARD_FILE);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(card_present(c), 1);
	/* after reinsertion: a clean state, the PIN status gone */
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_put_data(c, 0x0101, (const uint8_t *)"x", 1),
			 ERR_CARD_DENIED);
	/* the chain was cut before its end: the card never ran PUT DATA */
	{
		uint8_t back[256];
		size_t n = sizeof(back);

		assert_int_equal(pgp_get_data(c, 0x0101, back, &n), 0);
		assert_int_equal(n, 0);
	}
	card_close(c);
	c = open_spec("t1,ifsc=16,maxifsd=20", f->dir[0], "");
	assert_int_equal(big_roundtrip(c), 0);
	card_close(c);
}

/* A card chaining empty I-blocks forever: refused as invalid blocks, the
 * exchange ends after the error budget (it used to go on forever). */
static void test_t1_empty_chain_ends(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,emptychain", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), "resynchronised"));
	assert_true(t->n_blocks <= CCID_T1_ERRORS_MAX + 1);
	assert_int_equal(t->n_resynch, 1);
	card_close(c);
	assert_true(ccid_t1_blocks_max(300, 300) < 3000);
}

static unsigned pw1_tries(struct card *c)
{
	struct pgp_status st;

	assert_int_equal(pgp_status(c, &st), 0);
	return st.pw1_tries;
}

/* The card answers a wrong-PIN VERIFY (host block 3) with an R-block. */
static void verify_answered_by_r(struct fx *f, const char *opts, const char *why)
{
	struct card *c = open_spec("t1", f->dir[0], "");
	const struct ccid_t1 *t;
	unsigned before;

	assert_int_equal(pgp_select(c), 0);
	before = pw1_tries(c);
	card_close(c);
	c = open_spec(opts, f->dir[0], "");
	t = card_ccid_t1(c);
	assert_int_equal(pgp_select(c), 0); /* block 2; block 1 is S(IFS) */
	assert_int_equal(pgp_verify(c, PGP_PW1, "999999", NULL), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), why));
	assert_non_null(strstr(err_last_detail(), "may have run"));
	assert_int_equal(t->n_resynch, 1);
	assert_int_equal(t->broken, 0);
	/* VERIFY ran once: it was never sent again */
	assert_int_equal(pw1_tries(c), before - 1);
	card_close(c);
}

static void test_t1_last_block_never_resent(void **state)
{
	struct fx *f = *state;

	verify_answered_by_r(f, "t1,rsame=3", "without an error");
	verify_answered_by_r(f, "t1,rack=3", "acknowledged");
}

/* Time extensions without end: each command stops at its deadline. */
static void test_reader_deadline(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("apdu,extstorm=50", f->dir[0], "");

	check_serial(c, CT_SERIAL); /* 50 s of time extensions: still in time */
	card_close(c);
	c = open_spec("apdu,extstorm=1000", f->dir[0], "");
	assert_int_equal(pgp_select(c), ERR_IO);
	assert_non_null(strstr(err_last_detail(), "no answer within 60 s"));
	card_close(c);
}

/* S(WTX) without end, 50 s each: the APDU stops at its deadline, and the
 * link is in doubt until the next connect. So it is after a cancel. */
static void test_t1_deadline_and_cancel(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,wtxstorm,extstorm=50", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(pgp_select(c), ERR_IO);
	assert_non_null(strstr(err_last_detail(), "within 120 s"));
	assert_true(t->n_wtx <= 3);
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), "link lost"));
	card_close(c);
	c = open_spec("t1", f->dir[0], "");
	cancel_requested = 1;
	assert_int_equal(pgp_select(c), ERR_CANCELLED);
	cancel_requested = 0;
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_int_equal(card_connect(c), 0);
	check_serial(c, CT_SERIAL);
	card_close(c);
}

/* The reader loses the answer to a block the card processed: N(S)/N(R) are
 * in doubt, so the link is broken until connect() (no desynchronised APDU). */
static void test_t1_transport_error_breaks_link(void **state)
{
	struct fx *f = *state;
	struct card *c = open_spec("t1,noanswer=3", f->dir[0], "");
	const struct ccid_t1 *t = card_ccid_t1(c);

	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_select(c), ERR_IO);
	assert_int_equal(t->broken, 1);
	assert_int_equal(pgp_select(c), ERR_CARD_PROTO);
	assert_non_null(strstr(err_last_detail(), "link lost"));
	assert_int_equal(card_connect(c), 0);
	t = card_ccid_t1(c);
	assert_int_equal(t->broken, 0);
	check_serial(c, CT_SERIAL);
	card_close(c);
}

static void test_two_readers_and_two_slots(void **state)
{
	struct fx *f = *state;
	char dirs[300];
	struct card *a, *b, *s0, *s1;

	a = open_spec("apdu", f->dir[0], "");
	b = open_spec("t1", f->dir[1], "");
	check_serial(a, CT_SERIAL);
	check_serial(b, CT_SERIAL + 1);
	assert_int_equal(big_roundtrip(a), 0);
	assert_int_equal(big_roundtrip(b), 0);
	card_close(a);
	card_close(b);
	/* one reader, two slots */
	snprintf(dirs, sizeof(dirs), "%s+%s", f->dir[0], f->dir[1]);
	s0 = open_spec("t1", dirs, "#0");
	s1 = open_spec("t1", dirs, "#1");
	assert_non_null(strstr(s1->label, "slot 1"));
	check_serial(s0, CT_SERIAL);
	check_serial(s1, CT_SERIAL + 1);
	assert_int_equal(big_roundtrip(s1), 0);
	assert_int_equal(big_roundtrip(s0), 0);
	card_close(s0);
	check_serial(s1, CT_SERIAL + 1);
	card_close(s1);
	/* slot 2 does not exist */
	snprintf(dirs, sizeof(dirs), "t1:%s+%s#2", f->dir[0], f->dir[1]);
	assert_int_equal(card_open(card_transport("ccid-sim"), dirs, &a), ERR_NOTFOUND);
}

static void test_reader_unplugged_and_plugged(void **state)
{
	struct fx *f = *state;
	char path[256], spec[256];
	struct card *c = open_spec("t1", f->dir[0], "");

	ct_path(path, sizeof(path), f->dir[0], CARD_CCID_SIM_UNPLUGGED_FILE);
	assert_int_equal(file_write_atomic(path, "", 0, 1), 0);
	assert_int_equal(pgp_select(c), ERR_CARD_ABSENT);
	assert_non_null(strstr(err_last_detail(), "unplugged"));
	assert_int_equal(card_present(c), 0);
	card_close(c);
	snprintf(spec, sizeof(spec), "apdu:%s", f->dir[0]);
	assert_int_equal(card_open(card_transport("ccid-sim"), spec, &c), ERR_NOTFOUND);
	assert_int_equal(unlink(path), 0);
	c = open_spec("apdu", f->dir[0], "");
	check_serial(c, CT_SERIAL);
	card_close(c);
}

/* A card swapped between two looks: NotifySlotChange says so, and the
 * transport wants a new connect before talking to the new card. */
static void test_card_swapped_between_looks(void **state)
{
	struct fx *f = *state;
	char from[256], to[256];
	struct card *c = open_spec("t1", f->dir[0], "");

	check_serial(c, CT_SERIAL);
	ct_path(from, sizeof(from), f->dir[0], CARD_SIM_CARD_FILE);
	ct_path(to, sizeof(to), f->dir[0], "away.json");
	/* the same card back as a new file (another inode): another card */
	assert_int_equal(rename(from, to), 0);
	{
		uint8_t *buf = NULL;
		size_t len = 0;

		assert_int_equal(file_read_all(to, 1 << 20, &buf, &len), 0);
		assert_int_equal(file_write_atomic(from, buf, len, 1), 0);
		free(buf);
	}
	assert_int_equal(unlink(to), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(pgp_select(c), ERR_CARD_ABSENT);
	assert_non_null(strstr(err_last_detail(), "removed since connect"));
	assert_int_equal(card_connect(c), 0);
	check_serial(c, CT_SERIAL);
	card_close(c);
}

static void test_bad_specs(void **state)
{
	static const char *const bad[] = {
		"t2:/tmp", "t1", "t1:", "t1,wtx=0:/tmp", "t1,foo=1:/tmp",
		"t1,ifsc=300:/tmp", "apdu:/nonexistent-slot", "t1:/tmp#x",
	};
	struct card *c = NULL;

	for (size_t i = 0; i < CT_ROWS(bad); i++) {
		int ret = card_open(card_transport("ccid-sim"), bad[i], &c);

		if (ret == 0)
			fail_msg("spec \"%s\" accepted", bad[i]);
		assert_null(c);
	}
}

static void test_no_card(void **state)
{
	struct fx *f = *state;
	char from[256], to[256], spec[256];
	struct card *c = NULL;

	ct_path(from, sizeof(from), f->dir[0], CARD_SIM_CARD_FILE);
	ct_path(to, sizeof(to), f->dir[0], "away.json");
	assert_int_equal(rename(from, to), 0);
	snprintf(spec, sizeof(spec), "t1:%s", f->dir[0]);
	assert_int_equal(card_open(card_transport("ccid-sim"), spec, &c), 0);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	assert_int_equal(rename(to, from), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	check_serial(c, CT_SERIAL);
	card_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_apdu_reader),
		T(test_t1_plain_and_ifsd),
		T(test_t1_chaining_small_sizes),
		T(test_t1_wtx_and_time_extension),
		T(test_t1_corrupted_block_recovered),
		T(test_t1_too_many_errors),
		T(test_t1_card_pulled_mid_chain),
		T(test_t1_empty_chain_ends),
		T(test_t1_last_block_never_resent),
		T(test_reader_deadline),
		T(test_t1_deadline_and_cancel),
		T(test_t1_transport_error_breaks_link),
		T(test_two_readers_and_two_slots),
		T(test_reader_unplugged_and_plugged),
		T(test_card_swapped_between_looks),
		T(test_bad_specs),
		T(test_no_card),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
