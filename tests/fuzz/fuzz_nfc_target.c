/*
 * libFuzzer target: what an NFC reader reports of a target (card/nfc_dev.h,
 * card_nfc_target_check). Input: modulation, rate, UID length, SAK, ATS
 * length (2 bytes, big-endian: lengths beyond the buffers are tried too),
 * 10 UID bytes, then the ATS bytes. A target taken for ISO-DEP must have a
 * valid UID and a bounded ATS; a refused one is ERR_FORMAT and not ISO-DEP.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card/nfc_dev.h"
#include "lib/err.h"

#define FUZZ_NFC_HEAD 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct card_nfc_target out;
	nfc_target t;
	size_t ats;
	int ret;

	if (size < FUZZ_NFC_HEAD)
		return 0;
	memset(&t, 0, sizeof(t));
	t.nm.nmt = (nfc_modulation_type)data[0];
	t.nm.nbr = (nfc_baud_rate)data[1];
	t.nti.nai.szUidLen = data[2];
	t.nti.nai.btSak = data[3];
	t.nti.nai.szAtsLen = (size_t)data[4] << 8 | data[5];
	memcpy(t.nti.nai.abtUid, data + 6, sizeof(t.nti.nai.abtUid));
	ats = size - FUZZ_NFC_HEAD;
	if (ats > sizeof(t.nti.nai.abtAts))
		ats = sizeof(t.nti.nai.abtAts);
	memcpy(t.nti.nai.abtAts, data + FUZZ_NFC_HEAD, ats);
	ret = card_nfc_target_check(&t, &out);
	if (ret != 0 && (ret != ERR_FORMAT || out.iso_dep))
		__builtin_trap();
	if (ret == 0 && out.uid_len != 4 && out.uid_len != 7 && out.uid_len != 10)
		__builtin_trap();
	if (out.iso_dep && (t.nti.nai.szAtsLen == 0 || t.nti.nai.szAtsLen > 254 ||
			    !(t.nti.nai.btSak & 0x20)))
		__builtin_trap();
	return 0;
}
