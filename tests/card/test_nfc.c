/*
 * The NFC engine (card_nfc.c) over the simulated reader (`nfc-sim`): a whole
 * OpenPGP session, presence by polling, a card leaving the field during an
 * exchange, another card taking its place, a radio error (the command is not
 * repeated), a slow card, a memory tag, two cards, no reader and several
 * readers. The simulated libnfc counts what it is asked, so the tests also
 * see leaks and calls that would hang a real reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim/nfc_sim.h"
#include "card/openpgp.h"
#include "cardtest.h"

#define SELECT "00 A4 04 00 06 D2 76 00 01 24 01"
#define C4 "00 CA 00 C4 00"
#define WRONG82 "00 20 00 82 06 31 31 31 31 31 31"

static const struct card_ops *nfcsim(void)
{
	const struct card_ops *ops = card_transport("nfc-sim");

	assert_non_null(ops);
	return ops;
}

/* Opens "OPTS:DIR" (or DIR): ret expected. */
static int nt_open(const char *opts, const char *dir, struct card **c)
{
	char spec[256];

	if (opts)
		snprintf(spec, sizeof(spec), "%s:%s", opts, dir);
	else
		snprintf(spec, sizeof(spec), "%s", dir);
	return card_open(nfcsim(), spec, c);
}

static struct card *nt_connected(const char *opts, const char *dir)
{
	struct card *c = NULL;

	assert_int_equal(nt_open(opts, dir, &c), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	return c;
}

/* One raw APDU: the transport's return code, SW in *sw when 0. */
static int nt_apdu(struct card *c, const char *hex, uint16_t *sw)
{
	uint8_t cmd[CARD_APDU_MAX], r[CARD_RAPDU_MAX];
	size_t clen = ct_unhex(hex, cmd, sizeof(cmd)), n = sizeof(r);
	int ret = card_transmit(c, cmd, clen, r, &n);

	if (!ret && sw)
		*sw = (uint16_t)(r[n - 2] << 8 | r[n - 1]);
	return ret;
}

static int unlink_pull_at(const char *dir)
{
	char path[512];

	ct_path(path, sizeof(path), dir, CARD_SIM_PULL_AT_FILE);
	return unlink(path);
}

static void nt_detail_has(const char *what)
{
	if (!strstr(err_last_detail(), what))
		fail_msg("detail \"%s\" lacks \"%s\"", err_last_detail(), what);
}

static void nt_balanced(void)
{
	assert_int_equal(card_nfc_sim_stats.inits, card_nfc_sim_stats.exits);
	assert_int_equal(card_nfc_sim_stats.opens, card_nfc_sim_stats.closes);
	assert_int_equal(card_nfc_sim_stats.bad, 0);
}

static int nt_setup(void **state)
{
	(void)state;
	memset(&card_nfc_sim_stats, 0, sizeof(card_nfc_sim_stats));
	err_clear();
	return 0;
}

static int nt_teardown(void **state)
{
	(void)state;
	nt_balanced();
	return 0;
}

static unsigned nt_pw1_tries(const char *dir)
{
	char path[512];
	struct card_sim_info info;

	ct_path(path, sizeof(path), dir, CARD_SIM_CARD_FILE);
	assert_int_equal(card_sim_info(path, &info), 0);
	return info.pw1_tries;
}

static void registry_and_label(void **state)
{
	char dir[64], label[80];
	struct card *c = NULL;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	assert_ptr_equal(card_transport("nfc-sim"), &card_nfc_sim_ops);
#ifndef CONFIG_CARD_NFC
	assert_null(card_transport("nfc"));
#endif
	assert_int_equal(nt_open(NULL, dir, &c), 0);
	snprintf(label, sizeof(label), "NFC %s", dir);
	assert_string_equal(c->label, label);
	assert_ptr_equal(c->ops, &card_nfc_sim_ops);
	card_close(c);
	testlib_rmdir(dir);
}

/* SELECT, the AID, VERIFY, PUT and GET DATA: what the count does on a card. */
static void whole_openpgp_session(void **state)
{
	static const uint8_t marker[] = "sceau nfc test";
	char dir[64], serial[9];
	struct pgp_status st;
	uint8_t buf[256];
	size_t len = sizeof(buf);
	unsigned tries = 0;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = nt_connected(NULL, dir);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_status(c, &st), 0);
	pgp_serial_hex(st.aid, serial);
	assert_string_equal(serial, "12345678");
	assert_int_equal(st.pw1_tries, 3);
	assert_int_equal(pgp_verify(c, PGP_PW1, PGP_PW1_DEFAULT, &tries), 0);
	assert_int_equal(pgp_put_data(c, 0x0101, marker, sizeof(marker)), 0);
	assert_int_equal(pgp_get_data(c, 0x0101, buf, &len), 0);
	assert_int_equal(len, sizeof(marker));
	assert_memory_equal(buf, marker, sizeof(marker));
	/* Presence is asked of the selected target, which is still there. */
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(pgp_verify_status(c, PGP_PW1, NULL), 1);
	assert_int_equal(card_nfc_sim_stats.last_timeout, CONFIG_CARD_NFC_TIMEOUT_MS);
	assert_int_equal(card_nfc_sim_stats.field_offs, 0);
	card_close(c);
	/* Closing switched the field off: the card's PIN status went with it. */
	assert_int_equal(card_nfc_sim_stats.field_offs, 1);
	testlib_rmdir(dir);
}

/* Polling must switch the field off and on: a card already polled is halted. */
static void presence_by_polling(void **state)
{
	char dir[64];
	struct card *c = NULL;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	assert_int_equal(nt_open(NULL, dir, &c), 0);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	nt_detail_has("no card in the field");
	assert_int_equal(nt_apdu(c, SELECT, NULL), ERR_STATE);
	assert_int_equal(card_sim_create(dir, 7), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(card_present(c), 1);
	ct_move(dir, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	assert_int_equal(card_present(c), 0);
	ct_move(dir, CARD_SIM_OUT_FILE, CARD_SIM_CARD_FILE);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	card_close(c);
	testlib_rmdir(dir);
}

/* The slot's pull-at: the card leaves during the 3rd exchange. */
static void card_leaves_mid_exchange(void **state)
{
	char dir[64];
	uint16_t sw = 0;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	ct_write(dir, CARD_SIM_PULL_AT_FILE, "3\n");
	c = nt_connected(NULL, dir);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(pgp_verify(c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT);
	nt_detail_has("left the field during an exchange");
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	/* Back on the reader: still absent for this session, until connect(). */
	ct_move(dir, CARD_SIM_PULLED_FILE, CARD_SIM_CARD_FILE);
	assert_int_equal(unlink_pull_at(dir), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(pgp_select(c), 0);
	/* A fresh session: the PIN verified before the pull is forgotten. */
	assert_int_equal(pgp_verify_status(c, PGP_PW1, NULL), 0);
	card_close(c);
	testlib_rmdir(dir);
}

/* Card A is taken away and card B put down: B never inherits A's session. */
static void another_card_takes_its_place(void **state)
{
	char a[64], b[64], pa[160], pb[160];
	struct pgp_status st;
	char serial[9];
	uint16_t sw = 0;
	struct card *c;

	(void)state;
	ct_slot(a, sizeof(a), 0x0000A001);
	ct_slot(b, sizeof(b), 0x0000B002);
	c = nt_connected(NULL, a);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_verify(c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	ct_move(a, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	ct_path(pa, sizeof(pa), a, CARD_SIM_CARD_FILE);
	ct_path(pb, sizeof(pb), b, CARD_SIM_CARD_FILE);
	assert_int_equal(rename(pb, pa), 0);
	/* Without a presence check in between, the exchange itself fails. */
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT);
	nt_detail_has("UID 5C0000");
	assert_int_equal(card_present(c), 1); /* B is in the field... */
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT); /* ...not ours */
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_status(c, &st), 0);
	pgp_serial_hex(st.aid, serial);
	assert_string_equal(serial, "0000B002");
	assert_int_equal(pgp_verify_status(c, PGP_PW1, NULL), 0);
	card_close(c);
	testlib_rmdir(a);
	testlib_rmdir(b);
}

/* Same card lifted and put back between two presence checks: session lost. */
static void lifted_and_put_back(void **state)
{
	char dir[64];
	uint16_t sw = 0;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = nt_connected("randuid", dir);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(card_present(c), 1);
	ct_move(dir, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	ct_move(dir, CARD_SIM_OUT_FILE, CARD_SIM_CARD_FILE);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(nt_apdu(c, SELECT, &sw), ERR_CARD_ABSENT);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(sw, 0x9000);
	card_close(c);
	testlib_rmdir(dir);
}

/*
 * A radio error on the 3rd exchange, a wrong VERIFY the card did count: the
 * error is reported, the command is not sent again (one try lost, not two),
 * and the session must be connected again.
 */
static void radio_error_not_repeated(void **state)
{
	char dir[64];
	uint16_t sw = 0;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = nt_connected("rferr=3", dir);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(nt_apdu(c, WRONG82, &sw), 0);
	assert_int_equal(sw, 0x63C2);
	assert_int_equal(nt_apdu(c, WRONG82, &sw), ERR_IO);
	nt_detail_has("radio error");
	nt_detail_has("not repeated");
	if (strstr(err_last_detail(), "111111") || strstr(err_last_detail(), "313131"))
		fail_msg("PIN in the detail: %s", err_last_detail());
	assert_int_equal(card_nfc_sim_stats.commands_run, 3);
	assert_int_equal(nt_pw1_tries(dir), 1);
	assert_int_equal(nt_apdu(c, C4, &sw), ERR_CARD_ABSENT);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(nt_apdu(c, "00 20 00 82 00", &sw), 0);
	assert_int_equal(sw, 0x63C1);
	card_close(c);
	testlib_rmdir(dir);
}

static void slow_card_times_out(void **state)
{
	char dir[64];
	uint16_t sw = 0;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = nt_connected("slow=60000", dir);
	assert_int_equal(nt_apdu(c, SELECT, &sw), ERR_IO);
	nt_detail_has("no answer in time");
	assert_int_equal(card_nfc_sim_stats.last_timeout, CONFIG_CARD_NFC_TIMEOUT_MS);
	assert_int_equal(nt_apdu(c, SELECT, &sw), ERR_CARD_ABSENT);
	card_close(c);
	/* A card slower than usual but within the bound is fine. */
	c = nt_connected("slow=200", dir);
	assert_int_equal(nt_apdu(c, SELECT, &sw), 0);
	assert_int_equal(sw, 0x9000);
	card_close(c);
	testlib_rmdir(dir);
}

static void memory_tag_refused(void **state)
{
	char dir[64];
	struct card *c = NULL;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	assert_int_equal(nt_open("nodep", dir, &c), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), ERR_CARD_PROTO);
	nt_detail_has("does not speak ISO 14443-4");
	assert_int_equal(nt_apdu(c, SELECT, NULL), ERR_STATE);
	card_close(c);
	testlib_rmdir(dir);
}

static void two_cards_refused(void **state)
{
	char dir[64];
	struct card *c = NULL;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	assert_int_equal(nt_open("second,randuid", dir, &c), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), ERR_CARD_PROTO);
	nt_detail_has("leave only one");
	assert_int_equal(nt_apdu(c, SELECT, NULL), ERR_STATE);
	card_close(c);
	testlib_rmdir(dir);
}

static void readers_and_specs(void **state)
{
	static const char *const bad[] = {
		"bogus", "rferr=0", "rferr=x", "slow=", "readers=9", "second=1", "",
		"rferr=3,,nodep", "slow=-1",
	};
	char dir[64];
	struct card *c = (struct card *)1;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	assert_int_equal(nt_open("readers=0", dir, &c), ERR_NOTFOUND);
	assert_null(c);
	nt_detail_has("no NFC reader");
	assert_int_equal(nt_open("readers=2", dir, &c), ERR_USAGE);
	nt_detail_has("several NFC readers");
	for (size_t i = 0; i < CT_ROWS(bad); i++)
		if (nt_open(bad[i], dir, &c) != ERR_USAGE)
			fail_msg("spec option \"%s\" accepted", bad[i]);
	assert_int_equal(card_open(nfcsim(), "", &c), ERR_USAGE);
	assert_int_equal(card_open(nfcsim(), "/nonexistent/slot", &c), ERR_NOTFOUND);
	assert_int_equal(nt_open("readers=1,rferr=2,slow=0", dir, &c), 0);
	card_close(c);
	testlib_rmdir(dir);
}

/* A reader unplugged before connect: "card absent" (the console's advice is
 * then the readers' and cards', not the files'), never "not found". */
static void reader_unplugged_at_connect(void **state)
{
	char dir[64];
	struct card *c = NULL;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	assert_int_equal(nt_open("unplug=2", dir, &c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	nt_detail_has("unplugged");
	card_close(c);
	testlib_rmdir(dir);
}

/* A reader name with terminal escapes (the simulated reader is named after
 * its slot directory) reaches the label filtered. */
static void reader_name_filtered(void **state)
{
	char dir[64], odd[160];
	struct card *c = NULL;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	snprintf(odd, sizeof(odd), "%s-\x1b]0;x\x07\xC3", dir);
	assert_int_equal(symlink(dir, odd), 0);
	assert_int_equal(nt_open(NULL, odd, &c), 0);
	assert_null(strchr(c->label, 0x1b));
	assert_null(strchr(c->label, 0x07));
	assert_non_null(strstr(c->label, "-?]0;x??"));
	card_close(c);
	unlink(odd);
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registry_and_label, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(whole_openpgp_session, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(presence_by_polling, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(card_leaves_mid_exchange, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(another_card_takes_its_place, nt_setup,
						nt_teardown),
		cmocka_unit_test_setup_teardown(lifted_and_put_back, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(radio_error_not_repeated, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(slow_card_times_out, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(memory_tag_refused, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(two_cards_refused, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(readers_and_specs, nt_setup, nt_teardown),
		cmocka_unit_test_setup_teardown(reader_unplugged_at_connect, nt_setup,
						nt_teardown),
		cmocka_unit_test_setup_teardown(reader_name_filtered, nt_setup, nt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
