/*
 * The CCID driver's parsers of outside data: ATRs (real ones of tokens and
 * cards, and broken ones), the CCID class descriptor (good, truncated,
 * lying lengths), response headers, NotifySlotChange and T=1 blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "card/ccid_atr.h"
#include "card/ccid_msg.h"
#include "card/ccid_t1.h"
#include "cardtest.h"

struct atr_row {
	const char *title, *hex;
	int ok;
	unsigned protocols;
	unsigned ifsc, nhist;
	int crc;
};

static const struct atr_row atr_rows[] = {
	{ "YubiKey 5 (T=1, IFSC 254)",
	  "3BFD1300008131FE158073C021C057597562694B657940", 1, CCID_ATR_T1, 254, 13, 0 },
	{ "Nitrokey 3 (T=1 only in TD1, IFSC default)",
	  "3B8F01805D4E6974726F6B657900000000006A", 1, CCID_ATR_T1, 32, 15, 0 },
	{ "OpenPGP card v3.4 (T=1, T=15 global byte)",
	  "3BDA18FF81B1FE751F030031F573C001600090001C", 1, CCID_ATR_T1, 254, 10, 0 },
	{ "T=1 JavaCard (NXP J3H145)",
	  "3BDC18FF8191FE1FC38073C821136601061159000128", 1, CCID_ATR_T1, 254, 12, 0 },
	{ "T=0 only, no TCK", "3B6500002063CB6600", 1, CCID_ATR_T0, 32, 5, 0 },
	{ "wrong TCK", "3B8F01805D4E6974726F6B657900000000006B", 0, 0, 0, 0, 0 },
	{ "TCK missing", "3B8F01805D4E6974726F6B65790000000000", 0, 0, 0, 0, 0 },
	{ "byte after TCK", "3B8F01805D4E6974726F6B657900000000006A00", 0, 0, 0, 0, 0 },
	{ "bad TS", "3C6500002063CB6600", 0, 0, 0, 0, 0 },
	{ "truncated interface bytes", "3BF0", 0, 0, 0, 0, 0 },
	{ "one byte", "3B", 0, 0, 0, 0, 0 },
	{ "IFSC 0", "3B80817100010070", 0, 0, 0, 0, 0 },
	{ "TD1 says T=15", "3B800F8F", 0, 0, 0, 0, 0 },
	{ "34 bytes", "3B0F0102030405060708090A0B0C0D0E0F0102030405060708090A0B0C0D0E0F1011", 0, 0, 0, 0, 0 },
};

static void test_atr_table(void **state)
{
	for (size_t i = 0; i < CT_ROWS(atr_rows); i++) {
		const struct atr_row *r = &atr_rows[i];
		uint8_t raw[40];
		struct ccid_atr a;
		size_t n = ct_unhex(r->hex, raw, sizeof(raw));
		int ret = ccid_atr_parse(raw, n, &a);

		if (r->ok != (ret == 0))
			fail_msg("%s: ret %d", r->title, ret);
		if (!r->ok) {
			assert_int_equal(ret, ERR_FORMAT);
			continue;
		}
		if (a.protocols != r->protocols || a.ifsc != r->ifsc ||
		    a.nhist != r->nhist || a.edc_crc != r->crc)
			fail_msg("%s: protocols %u ifsc %u hist %zu crc %d", r->title,
				 a.protocols, a.ifsc, a.nhist, a.edc_crc);
	}
}

static void test_atr_crc_and_fields(void **state)
{
	/* 3B 80 81 71 | TA3 20 TB3 45 TC3 01 | TCK */
	uint8_t raw[] = { 0x3B, 0x80, 0x81, 0x71, 0x20, 0x45, 0x01, 0x00 };
	struct ccid_atr a;

	raw[7] = 0x80 ^ 0x81 ^ 0x71 ^ 0x20 ^ 0x45 ^ 0x01;
	assert_int_equal(ccid_atr_parse(raw, sizeof(raw), &a), 0);
	assert_int_equal(a.edc_crc, 1);
	assert_int_equal(a.ifsc, 0x20);
	assert_int_equal(a.bwi_cwi, 0x45);
	assert_true(a.t1_first);
	raw[6] = 0x03; /* reserved bit in TC3 */
	raw[7] ^= 0x02;
	assert_int_equal(ccid_atr_parse(raw, sizeof(raw), &a), ERR_FORMAT);
}

/* A CCID class descriptor (OMNIKEY 3121-like, short APDU level). */
static size_t good_desc(uint8_t *d)
{
	return ct_unhex("0924100001070202 00"   /* another class descriptor to skip */
			"3621" "1001" "00" "07" "03000000" "A00F0000" "A00F0000" "00"
			"80250000" "80250000" "00" "FE000000" "00000000" "00000000"
			"BA040200" "0F010000" "FF" "FF" "0000" "00" "01", d, 128);
}

static void test_desc_good(void **state)
{
	uint8_t d[128];
	struct ccid_desc desc;
	size_t n = good_desc(d);

	assert_int_equal(ccid_desc_parse(d, n, &desc), 0);
	assert_int_equal(desc.level, CCID_LEVEL_APDU);
	assert_int_equal(desc.max_slot, 0);
	assert_int_equal(desc.max_ifsd, 254);
	assert_int_equal(desc.max_msg, 271);
	assert_int_equal(desc.protocols, 3);
	assert_true(desc.features & CCID_FEAT_AUTO_PARAMS);
}

static void test_desc_bad(void **state)
{
	uint8_t d[128];
	struct ccid_desc desc;
	size_t n = good_desc(d);

	/* truncated: the class descriptor cut short */
	assert_int_equal(ccid_desc_parse(d, n - 1, &desc), ERR_FORMAT);
	/* lying bLength of the first descriptor (past the end) */
	d[0] = 0x80;
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_FORMAT);
	d[0] = 0x01; /* bLength below 2 */
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_FORMAT);
	n = good_desc(d);
	d[9] = 0x35; /* class descriptor of 53 bytes */
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_FORMAT);
	n = good_desc(d);
	d[9 + 42] = 0x00; /* character level */
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_RANGE);
	n = good_desc(d);
	d[9 + 44] = 0x10; /* dwMaxCCIDMessageLength 0x110 = 272: fine */
	assert_int_equal(ccid_desc_parse(d, n, &desc), 0);
	d[9 + 44] = 0x0E; d[9 + 45] = 0x00; /* 14 bytes: too short for us */
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_RANGE);
	n = good_desc(d);
	d[9 + 4] = 16; /* bMaxSlotIndex 16 */
	assert_int_equal(ccid_desc_parse(d, n, &desc), ERR_FORMAT);
	/* no class descriptor at all */
	assert_int_equal(ccid_desc_parse(d, 9, &desc), ERR_NOTFOUND);
}

static void test_resp_and_notify(void **state)
{
	uint8_t m[32];
	struct ccid_resp r;
	uint16_t present, changed;
	size_t n;

	n = ct_unhex("80 02000000 00 07 00 00 00 9000", m, sizeof(m));
	assert_int_equal(ccid_resp_parse(m, n, &r), 0);
	assert_int_equal(r.seq, 7);
	assert_int_equal(r.dlen, 2);
	/* dwLength lies */
	m[1] = 3;
	assert_int_equal(ccid_resp_parse(m, n, &r), ERR_FORMAT);
	/* SlotStatus with data, unknown type, reserved bStatus bits */
	n = ct_unhex("81 01000000 00 07 00 00 00 90", m, sizeof(m));
	assert_int_equal(ccid_resp_parse(m, n, &r), ERR_FORMAT);
	n = ct_unhex("99 00000000 00 07 00 00 00", m, sizeof(m));
	assert_int_equal(ccid_resp_parse(m, n, &r), ERR_FORMAT);
	n = ct_unhex("81 00000000 00 07 04 00 00", m, sizeof(m));
	assert_int_equal(ccid_resp_parse(m, n, &r), ERR_FORMAT);
	n = ct_unhex("81 00000000 00 07 82 FE 00", m, sizeof(m));
	assert_int_equal(ccid_resp_parse(m, n, &r), 0);
	assert_int_equal(r.cmd, CCID_CMD_TIME_EXT);
	assert_int_equal(r.icc, CCID_ICC_ABSENT);
	assert_int_equal(ccid_resp_parse(m, 9, &r), ERR_FORMAT);
	/* slot 1 of 2: inserted and changed */
	n = ct_unhex("50 0C", m, sizeof(m));
	assert_int_equal(ccid_notify_parse(m, n, 1, &present, &changed), 0);
	assert_int_equal(present, 2);
	assert_int_equal(changed, 2);
	assert_int_equal(ccid_notify_parse(m, n + 1, 1, &present, &changed), ERR_FORMAT);
	m[0] = 0x51;
	assert_int_equal(ccid_notify_parse(m, n, 1, &present, &changed), ERR_FORMAT);
}

static void test_t1_blocks(void **state)
{
	uint8_t b[CCID_T1_BLOCK_MAX], inf[3] = { 0x00, 0xA4, 0x04 };
	struct ccid_t1_block blk;
	size_t n;

	for (int crc = 0; crc < 2; crc++) {
		n = ccid_t1_frame(crc, 0, 0x40, inf, 3, b);
		assert_int_equal(n, 7 + (size_t)crc);
		assert_int_equal(ccid_t1_parse(crc, b, n, &blk), 0);
		assert_int_equal(blk.kind, CCID_T1_IBLOCK);
		assert_memory_equal(blk.inf, inf, 3);
		b[n - 1] ^= 1; /* EDC */
		assert_int_equal(ccid_t1_parse(crc, b, n, &blk), ERR_FORMAT);
		b[n - 1] ^= 1;
		assert_int_equal(ccid_t1_parse(crc, b, n - 1, &blk), ERR_FORMAT);
		assert_int_equal(ccid_t1_parse(!crc, b, n, &blk), ERR_FORMAT);
	}
	/* R-block with INF, S(WTX) without INF, I-block with reserved bits */
	n = ccid_t1_frame(0, 0, 0x90, inf, 1, b);
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), ERR_FORMAT);
	n = ccid_t1_frame(0, 0, 0xC3, NULL, 0, b);
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), ERR_FORMAT);
	n = ccid_t1_frame(0, 0, 0x41, inf, 1, b);
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), ERR_FORMAT);
	n = ccid_t1_frame(0, 0, 0xC3, inf, 1, b);
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), 0);
	assert_int_equal(blk.kind, CCID_T1_SBLOCK);
	n = ccid_t1_frame(0, 0, 0x92, NULL, 0, b);
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), 0);
	assert_int_equal(blk.kind, CCID_T1_RBLOCK);
	/* LEN FF */
	b[2] = 0xFF;
	assert_int_equal(ccid_t1_parse(0, b, n, &blk), ERR_FORMAT);
	/* CRC of "123456789" (CRC-16/X-25 check value 906E) */
	assert_int_equal(ccid_t1_crc((const uint8_t *)"123456789", 9), 0x906E);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atr_table),
		cmocka_unit_test(test_atr_crc_and_fields),
		cmocka_unit_test(test_desc_good),
		cmocka_unit_test(test_desc_bad),
		cmocka_unit_test(test_resp_and_notify),
		cmocka_unit_test(test_t1_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
