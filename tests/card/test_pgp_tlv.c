/*
 * Strict BER-TLV parsing of card answers (card/openpgp.h): length forms 1,
 * 81 and 82, two-byte tags, values inside their parent, no repeated tag, no
 * trailing bytes; application related data (6E) and public keys (7F49).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "card/openpgp.h"
#include "cardtest.h"

static void tlv_find_rows(void **state)
{
	static const struct {
		const char *title, *in;
		uint16_t tag;
		int ret;
		const char *val;
	} rows[] = {
		{ "short length", "4F 02 AA BB", 0x4F, 0, "AA BB" },
		{ "empty value", "5E 00", 0x5E, 0, "" },
		{ "second of two", "4F 01 AA 5E 01 BB", 0x5E, 0, "BB" },
		{ "81 form", "C5 81 03 01 02 03", 0xC5, 0, "01 02 03" },
		{ "82 form", "C5 82 00 02 01 02", 0xC5, 0, "01 02" },
		{ "non-minimal 81 form is BER", "C5 81 01 07", 0xC5, 0, "07" },
		{ "two-byte tag 5F52", "5F 52 01 00", 0x5F52, 0, "00" },
		{ "two-byte tag 7F49", "7F 49 02 86 00", 0x7F49, 0, "86 00" },
		{ "absent tag", "4F 01 AA", 0x5E, ERR_CARD_NODATA, NULL },
		{ "empty buffer", "", 0x4F, ERR_CARD_NODATA, NULL },
		{ "repeated tag", "4F 01 AA 4F 01 BB", 0x4F, ERR_CARD_PROTO, NULL },
		{ "value past the end", "4F 03 AA BB", 0x4F, ERR_CARD_PROTO, NULL },
		{ "81 without its byte", "4F 81", 0x4F, ERR_CARD_PROTO, NULL },
		{ "82 with one byte", "4F 82 00", 0x4F, ERR_CARD_PROTO, NULL },
		{ "83 form refused", "4F 83 00 00 01 AA", 0x4F, ERR_CARD_PROTO, NULL },
		{ "indefinite length refused", "4F 80 AA 00 00", 0x4F, ERR_CARD_PROTO, NULL },
		{ "three-byte tag refused", "5F 81 01 01 AA", 0x5F81, ERR_CARD_PROTO, NULL },
		{ "two-byte tag below 31 refused", "5F 1E 01 AA", 0x5F1E, ERR_CARD_PROTO, NULL },
		{ "padding byte 00 refused", "00 4F 01 AA", 0x4F, ERR_CARD_PROTO, NULL },
		{ "padding byte FF refused", "4F 01 AA FF", 0x4F, ERR_CARD_PROTO, NULL },
		{ "trailing byte after the match", "4F 01 AA 5E", 0x4F, ERR_CARD_PROTO, NULL },
		{ "tag alone", "4F", 0x4F, ERR_CARD_PROTO, NULL },
		{ "two-byte tag alone", "5F 52", 0x5F52, ERR_CARD_PROTO, NULL },
	};
	uint8_t in[64], want[64];
	const uint8_t *val;
	size_t n, vlen, wlen;
	int ret;

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		n = ct_unhex(rows[i].in, in, sizeof(in));
		ret = pgp_tlv_find(in, n, rows[i].tag, &val, &vlen);
		if (ret != rows[i].ret)
			fail_msg("%s: %d, expected %d", rows[i].title, ret, rows[i].ret);
		if (!rows[i].val)
			continue;
		wlen = ct_unhex(rows[i].val, want, sizeof(want));
		if (vlen != wlen || (wlen && memcmp(val, want, wlen) != 0))
			fail_msg("%s: wrong value", rows[i].title);
	}
}

static void tlv_next_flags_constructed(void **state)
{
	uint8_t in[] = { 0x73, 0x03, 0xC4, 0x01, 0x00, 0x93, 0x00 };
	const uint8_t *p = in;
	struct pgp_tlv t;

	(void)state;
	assert_int_equal(pgp_tlv_next(&p, in + sizeof(in), &t), 0);
	assert_int_equal(t.tag, 0x73);
	assert_true(t.constructed);
	assert_int_equal(t.len, 3);
	assert_int_equal(pgp_tlv_next(&p, in + sizeof(in), &t), 0);
	assert_int_equal(t.tag, 0x93);
	assert_false(t.constructed);
	assert_ptr_equal(p, in + sizeof(in));
	assert_int_equal(pgp_tlv_next(&p, in + sizeof(in), &t), ERR_CARD_PROTO);
}

#define AID "D2 76 00 01 24 01 03 04 FF FE 12 34 56 78 00 00"
#define APP "6E 28 4F 10 " AID " 5F 52 03 00 73 00 73 0E C1 01 13 C4 07 01 20 40 7F 02 01 00 DE 00"

static void app_data(void **state)
{
	static const struct {
		const char *title, *in;
		int ret;
		const char *detail;
	} rows[] = {
		{ "nested 6E / 73 / C4", APP, 0, "" },
		{ "82-form lengths", "6E 82 00 2A 4F 10 " AID " 5F 52 03 00 73 00 73 82 00 0E "
		  "C1 01 13 C4 07 01 20 40 7F 02 01 00 DE 00", 0, "" },
		{ "no 4F", "6E 0B 73 09 C4 07 01 20 40 7F 02 01 00", ERR_CARD_PROTO, "004F missing" },
		{ "4F of 15 bytes", "6E 1C 4F 0F D2 76 00 01 24 01 03 04 FF FE 12 34 56 78 00 "
		  "73 09 C4 07 01 20 40 7F 02 01 00", ERR_CARD_PROTO, "expected 16" },
		{ "C4 outside 73", "6E 1B 4F 10 " AID " C4 07 01 20 40 7F 02 01 00", ERR_CARD_PROTO, "0073 missing" },
		{ "C4 of 6 bytes", "6E 1C 4F 10 " AID " 73 08 C4 06 01 20 40 7F 02 01", ERR_CARD_PROTO, "expected 7" },
		{ "two 6E", APP " 6E 00", ERR_CARD_PROTO, "single" },
		{ "not 6E", "65 00", ERR_CARD_PROTO, "single" },
		{ "two C4", "6E 26 4F 10 " AID " 73 12 C4 07 01 20 40 7F 02 01 00 C4 07 01 20 40 7F 02 01 00",
		  ERR_CARD_PROTO, "repeated" },
	};
	uint8_t in[256];
	struct pgp_status st;
	size_t n;
	int ret;

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		n = ct_unhex(rows[i].in, in, sizeof(in));
		ret = pgp_parse_app_data(in, n, &st);
		if (ret != rows[i].ret || (ret && !strstr(err_last_detail(), rows[i].detail)))
			fail_msg("%s: %d (%s), expected %d", rows[i].title, ret,
				 err_last_detail(), rows[i].ret);
	}
	n = ct_unhex(APP, in, sizeof(in));
	assert_int_equal(pgp_parse_app_data(in, n, &st), 0);
	assert_int_equal(st.aid[13], 0x78);
	assert_true(st.pw1_multi_sign);
	assert_int_equal(st.pw1_max, 32);
	assert_int_equal(st.pw3_max, 127);
	assert_int_equal(st.pw1_tries, 2);
	assert_int_equal(st.rc_tries, 1);
	assert_int_equal(st.pw3_tries, 0);
	/* every truncation fails cleanly */
	for (size_t len = 0; len < n; len++)
		assert_int_not_equal(pgp_parse_app_data(in, len, &st), 0);
}

static void app_data_of_the_sim_card(void **state)
{
	char dir[64];
	struct card *c;
	uint8_t buf[300];
	size_t len = sizeof(buf);
	struct pgp_status st;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = ct_open(dir);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_get_data(c, 0x006E, buf, &len), 0);
	assert_int_equal(pgp_parse_app_data(buf, len, &st), 0);
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(pgp_parse_app_data(buf, n, &st), 0);
	/* any single damaged byte: refused or parsed, never out of bounds */
	for (size_t i = 0; i < len; i++) {
		buf[i] ^= 0x80;
		(void)pgp_parse_app_data(buf, len, &st);
		buf[i] ^= 0x80;
	}
	card_close(c);
	testlib_rmdir(dir);
}

static void public_key_template(void **state)
{
	char dir[64];
	struct card *c;
	uint8_t pub[65], tpl[80], got[65];
	size_t n;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = ct_open(dir);
	assert_int_equal(pgp_select(c), 0);
	assert_int_equal(pgp_verify(c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(pgp_set_sig_algo_p256(c), 0);
	assert_int_equal(pgp_generate_sig_key(c, pub), 0);
	card_close(c);
	testlib_rmdir(dir);

	tpl[0] = 0x7F, tpl[1] = 0x49, tpl[2] = 0x43, tpl[3] = 0x86, tpl[4] = 0x41;
	memcpy(tpl + 5, pub, 65);
	n = 70;
	assert_int_equal(pgp_parse_pubkey(tpl, n, got), 0);
	assert_memory_equal(got, pub, 65);
	for (size_t len = 0; len < n; len++)
		assert_int_equal(pgp_parse_pubkey(tpl, len, got), ERR_CARD_PROTO);
	tpl[5] = 0x02; /* compressed form is not what the card must send */
	assert_int_equal(pgp_parse_pubkey(tpl, n, got), ERR_CARD_PROTO);
	tpl[5] = 0x04;
	tpl[40] ^= 0x01; /* off the curve */
	assert_int_equal(pgp_parse_pubkey(tpl, n, got), ERR_CARD_PROTO);
	tpl[40] ^= 0x01;
	tpl[4] = 0x40; /* 64-byte point */
	tpl[2] = 0x42;
	assert_int_equal(pgp_parse_pubkey(tpl, n - 1, got), ERR_CARD_PROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tlv_find_rows),
		cmocka_unit_test(tlv_next_flags_constructed),
		cmocka_unit_test(app_data),
		cmocka_unit_test(app_data_of_the_sim_card),
		cmocka_unit_test(public_key_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
