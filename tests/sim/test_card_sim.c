/*
 * The transport registry and the `sim` transport: slots, presence, the
 * session reset at connect and at every pull, atomic saves, the strict card
 * file, and the pull-at fault injection (docs/CARD.md).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "card/openpgp.h"
#include "lib/file.h"
#include "../card/cardtest.h"

#define SELECT "00 A4 04 00 06 D2 76 00 01 24 01"
#define VERIFY82 "00 20 00 82 06 31 32 33 34 35 36"
#define WRONG82 "00 20 00 82 06 31 31 31 31 31 31"
#define C4 "00 CA 00 C4 00"

static void registry(void **state)
{
	struct card *c = (struct card *)1;

	(void)state;
	assert_ptr_equal(card_transport("sim"), &card_sim_ops);
	assert_string_equal(card_sim_ops.name, "sim");
	assert_null(card_transport("ccid-none"));
	assert_null(card_transport(""));
	assert_null(card_transport(NULL));
#ifdef CONFIG_CARD_DEFAULT_SIM
	assert_ptr_equal(card_default_transport(), &card_sim_ops);
#endif
	assert_int_equal(card_open(NULL, "/tmp", &c), ERR_NOTFOUND);
	assert_null(c);
	card_close(NULL);
	assert_int_equal(card_present(NULL), ERR_INTERNAL);
}

static void open_needs_a_slot_directory(void **state)
{
	char dir[64], file[128];
	struct card *c = NULL;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	ct_path(file, sizeof(file), dir, "f");
	ct_write(dir, "f", "x");
	assert_int_equal(card_open(&card_sim_ops, file, &c), ERR_NOTFOUND);
	assert_null(c);
	ct_path(file, sizeof(file), dir, "missing");
	assert_int_equal(card_open(&card_sim_ops, file, &c), ERR_NOTFOUND);
	assert_int_equal(card_open(&card_sim_ops, "", &c), ERR_USAGE);
	assert_int_equal(card_open(&card_sim_ops, dir, &c), 0);
	assert_string_equal(c->label, dir);
	assert_ptr_equal(c->ops, &card_sim_ops);
	card_close(c);
	testlib_rmdir(dir);
}

static void presence_follows_the_card_file(void **state)
{
	char dir[64];
	struct card *c = NULL;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	assert_int_equal(card_open(&card_sim_ops, dir, &c), 0);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	assert_int_equal(card_sim_create(dir, 1), 0);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	ct_move(dir, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	assert_int_equal(card_present(c), 0);
	ct_move(dir, CARD_SIM_OUT_FILE, CARD_SIM_CARD_FILE);
	assert_int_equal(card_present(c), 1);
	card_close(c);
	testlib_rmdir(dir);
}

static void transmit_bounds(void **state)
{
	char dir[64];
	struct card *c = NULL;
	uint8_t cmd[CARD_APDU_MAX + 1] = { 0x00, 0xCA, 0x00, 0x4F, 0x00 };
	uint8_t r[CARD_RAPDU_MAX];
	size_t n;

	(void)state;
	ct_slot(dir, sizeof(dir), 1);
	assert_int_equal(card_open(&card_sim_ops, dir, &c), 0);
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, 5, r, &n), ERR_STATE);
	assert_int_equal(card_connect(c), 0);
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, 3, r, &n), ERR_RANGE);
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, CARD_APDU_MAX + 1, r, &n), ERR_RANGE);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	n = 10; /* too small for the 16-byte AID */
	assert_int_equal(card_transmit(c, cmd, 5, r, &n), ERR_RANGE);
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, 5, r, &n), 0);
	assert_int_equal(n, 18);
	/* the longest short command: Lc 255 (refused by the card, not the transport) */
	cmd[0] = 0x00, cmd[1] = 0xDA, cmd[2] = 0x01, cmd[3] = 0x01, cmd[4] = 0xFF;
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, CARD_APDU_MAX - 1, r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0] << 8 | r[1], 0x6982);
	card_close(c);
	testlib_rmdir(dir);
}

static void create_refuses_to_overwrite(void **state)
{
	char dir[64], slot[128];

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	ct_path(slot, sizeof(slot), dir, "a/b/slot");
	assert_int_equal(card_sim_create(slot, 7), 0); /* creates the directories */
	assert_true(ct_exists(slot, CARD_SIM_CARD_FILE));
	assert_int_equal(card_sim_create(slot, 8), ERR_EXISTS);
	ct_move(slot, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	assert_int_equal(card_sim_create(slot, 8), ERR_EXISTS);
	ct_move(slot, CARD_SIM_OUT_FILE, CARD_SIM_PULLED_FILE);
	assert_int_equal(card_sim_create(slot, 8), ERR_EXISTS);
	assert_false(ct_exists(slot, CARD_SIM_CARD_FILE));
	testlib_rmdir(dir);
}

static void info_tells_no_secret(void **state)
{
	char dir[64], path[128];
	struct card_sim_info in;
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), 0xCAFE0001u);
	ct_path(path, sizeof(path), dir, CARD_SIM_CARD_FILE);
	assert_int_equal(card_sim_info(path, &in), 0);
	assert_int_equal(in.aid[10], 0xCA);
	assert_int_equal(in.aid[13], 0x01);
	assert_int_equal(in.pw1_tries, 3);
	assert_int_equal(in.rc_tries, 0);
	assert_int_equal(in.pw3_tries, 3);
	assert_false(in.has_private[2]);
	assert_false(in.has_sig_key);
	assert_false(in.terminated);
	c = ct_open(dir);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, VERIFY82, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, "00 DA 01 03 01 55", NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, WRONG82, NULL, NULL), 0x63C2);
	card_close(c);
	assert_int_equal(card_sim_info(path, &in), 0);
	assert_true(in.has_private[2]);
	assert_int_equal(in.pw1_tries, 2);
	ct_path(path, sizeof(path), dir, "nothing.json");
	assert_int_equal(card_sim_info(path, &in), ERR_NOTFOUND);
	testlib_rmdir(dir);
}

/* A card keeps its counters across handles; the access status does not. */
static void state_persists_session_does_not(void **state)
{
	char dir[64];
	struct card *a, *b;
	uint8_t d[CARD_RAPDU_MAX];
	size_t n;

	(void)state;
	ct_slot(dir, sizeof(dir), 2);
	a = ct_open(dir);
	assert_int_equal(ct_apdu(a, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(a, VERIFY82, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(a, WRONG82, NULL, NULL), 0x63C2);
	card_close(a);
	b = ct_open(dir);
	assert_int_equal(ct_apdu(b, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(b, C4, d, &n), 0x9000);
	assert_int_equal(d[4], 2);
	assert_int_equal(ct_apdu(b, "00 CA 01 03 00", NULL, NULL), 0x6982);
	card_close(b);
	testlib_rmdir(dir);
}

static void pins_never_stored_in_clear(void **state)
{
	char dir[64], path[128];
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), 3);
	ct_path(path, sizeof(path), dir, CARD_SIM_CARD_FILE);
	assert_false(testlib_file_contains(path, "123456", 6));
	assert_false(testlib_file_contains(path, "313233343536", 12));
	c = ct_open(dir);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_change_pin(c, PGP_PW1_SIGN, "123456", "918273", NULL), 0);
	assert_int_equal(pgp_change_pin(c, PGP_PW3, "12345678", "zq-admin-pin", NULL), 0);
	card_close(c);
	assert_false(testlib_file_contains(path, "918273", 6));
	assert_false(testlib_file_contains(path, "393138323733", 12));
	assert_false(testlib_file_contains(path, "zq-admin-pin", 12));
	testlib_rmdir(dir);
}

static int count_temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, ".card.tmp", 9) == 0;
	closedir(d);
	return n;
}

static void saves_leave_no_temporary(void **state)
{
	char dir[64];
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), 4);
	c = ct_open(dir);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ct_apdu(c, VERIFY82, NULL, NULL), 0x9000);
		assert_int_equal(ct_apdu(c, "00 DA 01 01 01 41", NULL, NULL), 0x9000);
	}
	card_close(c);
	assert_int_equal(count_temp_files(dir), 0);
	testlib_rmdir(dir);
}

static void pull_at_fault_injection(void **state)
{
	char dir[64];
	struct card *c;
	uint8_t cmd[16], r[CARD_RAPDU_MAX];
	size_t clen, n = sizeof(r);

	(void)state;
	ct_slot(dir, sizeof(dir), 5);
	ct_write(dir, CARD_SIM_PULL_AT_FILE, "3\n");
	c = ct_open(dir);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);     /* 1 */
	assert_int_equal(ct_apdu(c, VERIFY82, NULL, NULL), 0x9000);   /* 2 */
	clen = ct_unhex(WRONG82, cmd, sizeof(cmd));                   /* 3 */
	assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_CARD_ABSENT);
	assert_non_null(strstr(err_last_detail(), "pulled"));
	assert_false(ct_exists(dir, CARD_SIM_CARD_FILE));
	assert_true(ct_exists(dir, CARD_SIM_PULLED_FILE));
	assert_int_equal(card_present(c), 0);
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_CARD_ABSENT);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	/* the bureau puts the card back */
	ct_move(dir, CARD_SIM_PULLED_FILE, CARD_SIM_CARD_FILE);
	assert_int_equal(card_present(c), 1);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	/* the pulled APDU (a wrong PIN) never reached the card, and the
	 * verification of APDU 2 was lost with the power */
	assert_int_equal(ct_apdu(c, "00 20 00 82", NULL, NULL), 0x63C3);
	assert_int_equal(ct_apdu(c, "00 CA 01 03 00", NULL, NULL), 0x6982);
	card_close(c);

	/* the count starts again at each open */
	ct_write(dir, CARD_SIM_PULL_AT_FILE, "1");
	c = ct_open(dir);
	n = sizeof(r);
	clen = ct_unhex(SELECT, cmd, sizeof(cmd));
	assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_CARD_ABSENT);
	assert_true(ct_exists(dir, CARD_SIM_PULLED_FILE));
	card_close(c);
	testlib_rmdir(dir);
}

static void pull_at_must_be_a_positive_integer(void **state)
{
	static const char *const bad[] = { "abc", "0", "-1", "", "3x", " 4", "99999999999999999999999" };
	char dir[64];
	struct card *c;
	uint8_t cmd[16], r[CARD_RAPDU_MAX];
	size_t clen, n;

	(void)state;
	ct_slot(dir, sizeof(dir), 6);
	clen = ct_unhex(SELECT, cmd, sizeof(cmd));
	for (size_t i = 0; i < CT_ROWS(bad); i++) {
		ct_write(dir, CARD_SIM_PULL_AT_FILE, bad[i]);
		c = ct_open(dir);
		n = sizeof(r);
		if (card_transmit(c, cmd, clen, r, &n) != ERR_FORMAT)
			fail_msg("pull-at \"%s\" accepted", bad[i]);
		card_close(c);
	}
	assert_true(ct_exists(dir, CARD_SIM_CARD_FILE));
	testlib_rmdir(dir);
}

/* Pulled and put back between two APDUs: like PC/SC's "card reset", the
 * handle must connect again, and the session is gone. */
static void reinserted_card_needs_connect(void **state)
{
	char dir[64], other[64];
	struct card *c;
	uint8_t cmd[16], r[CARD_RAPDU_MAX];
	size_t clen, n = sizeof(r);

	(void)state;
	ct_slot(dir, sizeof(dir), 7);
	c = ct_open(dir);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, VERIFY82, NULL, NULL), 0x9000);
	ct_move(dir, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	ct_move(dir, CARD_SIM_OUT_FILE, CARD_SIM_CARD_FILE);
	clen = ct_unhex("00 CA 01 03 00", cmd, sizeof(cmd));
	assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_CARD_ABSENT);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, "00 CA 01 03 00", NULL, NULL), 0x6982);

	/* another card put in the slot */
	ct_slot(other, sizeof(other), 8);
	ct_move(dir, CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	{
		char a[128], b[128];

		ct_path(a, sizeof(a), other, CARD_SIM_CARD_FILE);
		ct_path(b, sizeof(b), dir, CARD_SIM_CARD_FILE);
		assert_int_equal(rename(a, b), 0);
	}
	n = sizeof(r);
	assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_CARD_ABSENT);
	card_close(c);
	testlib_rmdir(other);
	testlib_rmdir(dir);
}

static void damaged_card_file_refused(void **state)
{
	static const char *const files[] = {
		"",
		"{",
		"[]",
		"{\"format\": \"sceau-simcard/2\"}",
	};
	static const struct {
		const char *from, *to;
	} edits[] = {
		{ "\"tries\": 3", "\"tries\": 4" },
		{ "\"tries\": 3", "\"tries\": -1" },
		{ "\"length\": 6", "\"length\": 5" },
		{ "\"sceau-simcard/1\"", "\"sceau-simcard/9\"" },
		{ "\"operational\"", "\"broken\"" },
		{ "\"signature_counter\": 0", "\"signature_counter\": 16777216" },
		{ "\"signature_key\": null", "\"signature_key\": 1" },
		{ "\"0103\": \"\"", "\"0103\": \"0\"" },
		{ "\"0103\": \"\"", "\"0103\": \"zz\"" },
		{ "\"00c1\": \"010800002000\"", "\"00c1\": \"160800002000\"" },
		{ "\"005b\": \"\"", "\"005b\": \"\", \"005c\": \"\"" },
		{ "\"aid\": \"d2760001", "\"aid\": \"d2760002" },
		{ "\"pw1_multi_sign\": false", "\"pw1_multi_sign\": 0" },
		{ "\"format\"", "\"extra\": 1, \"format\"" },
		{ "\"salt\": \"", "\"salt\": \"00" },
	};
	char dir[64], path[128];
	uint8_t *orig = NULL;
	size_t olen;
	struct card_sim_info in;

	(void)state;
	ct_slot(dir, sizeof(dir), 9);
	ct_path(path, sizeof(path), dir, CARD_SIM_CARD_FILE);
	assert_int_equal(file_read_all(path, 1 << 16, &orig, &olen), 0);
	for (size_t i = 0; i < CT_ROWS(files); i++) {
		ct_write(dir, CARD_SIM_CARD_FILE, files[i]);
		if (card_sim_info(path, &in) != ERR_FORMAT)
			fail_msg("card file \"%s\" accepted", files[i]);
	}
	for (size_t i = 0; i < CT_ROWS(edits); i++) {
		char text[8192], *at;
		size_t pre;

		at = strstr((char *)orig, edits[i].from);
		if (!at)
			fail_msg("edit %zu: \"%s\" not in the card file", i, edits[i].from);
		pre = (size_t)(at - (char *)orig);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)pre, (char *)orig,
			 edits[i].to, at + strlen(edits[i].from));
		ct_write(dir, CARD_SIM_CARD_FILE, text);
		if (card_sim_info(path, &in) != ERR_FORMAT)
			fail_msg("edit \"%s\" accepted", edits[i].to);
		/* and through the transport */
		{
			struct card *c = ct_open(dir);
			uint8_t cmd[16], r[CARD_RAPDU_MAX];
			size_t clen = ct_unhex(SELECT, cmd, sizeof(cmd)), n = sizeof(r);

			assert_int_equal(card_transmit(c, cmd, clen, r, &n), ERR_FORMAT);
			card_close(c);
		}
	}
	ct_write(dir, CARD_SIM_CARD_FILE, (char *)orig);
	assert_int_equal(card_sim_info(path, &in), 0);
	free(orig);
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry),
		cmocka_unit_test(open_needs_a_slot_directory),
		cmocka_unit_test(presence_follows_the_card_file),
		cmocka_unit_test(transmit_bounds),
		cmocka_unit_test(create_refuses_to_overwrite),
		cmocka_unit_test(info_tells_no_secret),
		cmocka_unit_test(state_persists_session_does_not),
		cmocka_unit_test(pins_never_stored_in_clear),
		cmocka_unit_test(saves_leave_no_temporary),
		cmocka_unit_test(pull_at_fault_injection),
		cmocka_unit_test(pull_at_must_be_a_positive_integer),
		cmocka_unit_test(reinserted_card_needs_connect),
		cmocka_unit_test(damaged_card_file_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
