/*
 * The one parser of the NFC transports: what a reader says of a target
 * (ISO/IEC 14443-3 type A activation, then the ATS of ISO/IEC 14443-4).
 * It comes from outside (a reader, a card, anything in the field), so every
 * length is checked before use; tests/fuzz/fuzz_nfc_target.c drives it.
 */
#include <string.h>

#include "card/nfc_dev.h"
#include "lib/err.h"

#define CARD_NFC_SAK_INCOMPLETE 0x04 /* cascade bit: UID not complete */
#define CARD_NFC_SAK_ISO_DEP 0x20    /* ISO/IEC 14443-4 compliant */
#define CARD_NFC_ATS_MAX 254         /* FSD 256 minus TL and CRC */

/* Checks the ATS after TL (libnfc keeps T0 onwards): T0, TA1, TB1, TC1, T1..Tk. */
static int card_nfc_ats_check(const uint8_t *ats, size_t len)
{
	uint8_t t0;
	size_t need = 1;

	if (len == 0 || len > CARD_NFC_ATS_MAX) {
		err_detail("nfc: ATS of %zu bytes", len);
		return ERR_FORMAT;
	}
	t0 = ats[0];
	if (t0 & 0x80) {
		err_detail("nfc: ATS format byte %02X has its RFU bit set", t0);
		return ERR_FORMAT;
	}
	need += (t0 & 0x10) != 0; /* TA1: bit rates */
	need += (t0 & 0x20) != 0; /* TB1: FWI, SFGI */
	need += (t0 & 0x40) != 0; /* TC1: NAD, CID */
	if (len < need) {
		err_detail("nfc: ATS of %zu bytes announces %zu interface bytes", len,
			   need - 1);
		return ERR_FORMAT;
	}
	if (t0 & 0x20) {
		uint8_t tb1 = ats[1 + ((t0 & 0x10) != 0)];

		if ((tb1 >> 4) == 15 || (tb1 & 0x0F) == 15) {
			err_detail("nfc: ATS TB1 %02X uses a reserved FWI or SFGI", tb1);
			return ERR_FORMAT;
		}
	}
	return 0;
}

int card_nfc_target_check(const nfc_target *t, struct card_nfc_target *out)
{
	size_t uid_len = t->nti.nai.szUidLen, ats_len = t->nti.nai.szAtsLen;
	uint8_t sak = t->nti.nai.btSak;
	int ret;

	memset(out, 0, sizeof(*out));
	if (t->nm.nmt != NMT_ISO14443A || t->nm.nbr != NBR_106) {
		err_detail("nfc: target of modulation %d at rate %d, not 14443-A at 106 kbit/s",
			   (int)t->nm.nmt, (int)t->nm.nbr);
		return ERR_FORMAT;
	}
	if (uid_len != 4 && uid_len != 7 && uid_len != 10) {
		err_detail("nfc: UID of %zu bytes", uid_len);
		return ERR_FORMAT;
	}
	if (sak & CARD_NFC_SAK_INCOMPLETE) {
		err_detail("nfc: SAK %02X says the UID is incomplete", sak);
		return ERR_FORMAT;
	}
	memcpy(out->uid, t->nti.nai.abtUid, uid_len);
	out->uid_len = uid_len;
	if (ats_len == 0)
		return 0; /* no ATS: a memory tag, or a card that refused RATS */
	if (!(sak & CARD_NFC_SAK_ISO_DEP)) {
		err_detail("nfc: ATS from a target whose SAK %02X is not ISO-DEP", sak);
		return ERR_FORMAT;
	}
	ret = card_nfc_ats_check(t->nti.nai.abtAts, ats_len);
	if (!ret)
		out->iso_dep = 1;
	return ret;
}
