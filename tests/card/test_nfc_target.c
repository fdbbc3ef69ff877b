/*
 * card_nfc_target_check: what a reader reports of a target (ISO/IEC
 * 14443-3 A activation, ISO/IEC 14443-4 ATS), row by row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "card/nfc_dev.h"
#include "cardtest.h"

struct row {
	const char *title;
	int nmt, nbr;
	size_t uid_len;
	uint8_t sak;
	const char *ats; /* hex, T0 onwards (libnfc drops TL) */
	size_t ats_len;  /* when not 0: overrides the length of ats */
	int ret, iso_dep;
};

static const struct row rows[] = {
	{ "YubiKey-like: 7-byte UID, T0 78, TA TB TC, historical bytes", NMT_ISO14443A,
	  NBR_106, 7, 0x20, "78 80 70 02 00 73 C0 00 00 05 90 00", 0, 0, 1 },
	{ "random 4-byte UID, ATS with T0 only", NMT_ISO14443A, NBR_106, 4, 0x20, "05", 0,
	  0, 1 },
	{ "10-byte UID", NMT_ISO14443A, NBR_106, 10, 0x20, "75 77 81 02 80", 0, 0, 1 },
	{ "MIFARE Classic: SAK 08, no ATS: not ISO-DEP", NMT_ISO14443A, NBR_106, 4, 0x08,
	  "", 0, 0, 0 },
	{ "SAK 20 but no ATS (RATS refused): not ISO-DEP", NMT_ISO14443A, NBR_106, 7, 0x20,
	  "", 0, 0, 0 },
	{ "ATS from a SAK without the ISO-DEP bit", NMT_ISO14443A, NBR_106, 4, 0x08, "05",
	  0, ERR_FORMAT, 0 },
	{ "UID of 5 bytes", NMT_ISO14443A, NBR_106, 5, 0x20, "05", 0, ERR_FORMAT, 0 },
	{ "UID of 0 bytes", NMT_ISO14443A, NBR_106, 0, 0x20, "05", 0, ERR_FORMAT, 0 },
	{ "UID length beyond the buffer", NMT_ISO14443A, NBR_106, 1000, 0x20, "05", 0,
	  ERR_FORMAT, 0 },
	{ "SAK cascade bit: UID incomplete", NMT_ISO14443A, NBR_106, 4, 0x24, "05", 0,
	  ERR_FORMAT, 0 },
	{ "ATS longer than 254 bytes", NMT_ISO14443A, NBR_106, 4, 0x20, "05", 255,
	  ERR_FORMAT, 0 },
	{ "ATS length far beyond the buffer", NMT_ISO14443A, NBR_106, 4, 0x20, "05",
	  (size_t)-1, ERR_FORMAT, 0 },
	{ "T0 RFU bit set", NMT_ISO14443A, NBR_106, 4, 0x20, "85", 0, ERR_FORMAT, 0 },
	{ "T0 announces TA TB TC, one byte follows", NMT_ISO14443A, NBR_106, 4, 0x20,
	  "78 80", 0, ERR_FORMAT, 0 },
	{ "T0 announces TB, none follows", NMT_ISO14443A, NBR_106, 4, 0x20, "28", 0,
	  ERR_FORMAT, 0 },
	{ "TB1 with the reserved FWI 15", NMT_ISO14443A, NBR_106, 4, 0x20, "28 F0", 0,
	  ERR_FORMAT, 0 },
	{ "TB1 with the reserved SFGI 15", NMT_ISO14443A, NBR_106, 4, 0x20, "38 00 7F", 0,
	  ERR_FORMAT, 0 },
	{ "type B target", NMT_ISO14443B, NBR_106, 4, 0x20, "05", 0, ERR_FORMAT, 0 },
	{ "type A at 212 kbit/s", NMT_ISO14443A, NBR_212, 4, 0x20, "05", 0, ERR_FORMAT, 0 },
};

static void target_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		const struct row *r = &rows[i];
		struct card_nfc_target out;
		nfc_target t;
		size_t n;

		memset(&t, 0, sizeof(t));
		t.nm.nmt = (nfc_modulation_type)r->nmt;
		t.nm.nbr = (nfc_baud_rate)r->nbr;
		t.nti.nai.szUidLen = r->uid_len;
		for (size_t k = 0; k < sizeof(t.nti.nai.abtUid); k++)
			t.nti.nai.abtUid[k] = (uint8_t)(0xA0 + k);
		t.nti.nai.btSak = r->sak;
		n = ct_unhex(r->ats, t.nti.nai.abtAts, sizeof(t.nti.nai.abtAts));
		t.nti.nai.szAtsLen = r->ats_len ? r->ats_len : n;
		memset(&out, 0x55, sizeof(out));
		if (card_nfc_target_check(&t, &out) != r->ret || out.iso_dep != r->iso_dep)
			fail_msg("row %zu (%s): ret %d iso_dep %d", i, r->title,
				 card_nfc_target_check(&t, &out), out.iso_dep);
		if (r->ret == 0) {
			assert_int_equal(out.uid_len, r->uid_len);
			assert_memory_equal(out.uid, t.nti.nai.abtUid, r->uid_len);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(target_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
