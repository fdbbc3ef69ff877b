/*
 * libFuzzer target: T=1 (card/ccid_t1.c). The first byte picks the EDC and
 * the IFSC; the rest is a script of card blocks, each preceded by its
 * length, played to the block engine as the card's answers while it sends
 * an APDU and negotiates IFSD. The block parser sees every block too. The
 * engine must end (answer, error) without reading or writing out of bounds,
 * and within its block cap: the script cannot make it loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card/ccid_t1.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct script {
	const uint8_t *p;
	size_t left;
	unsigned calls;
};

static int play(void *arg, const uint8_t *blk, size_t n, uint8_t wtx,
		uint8_t *resp, size_t cap, size_t *rn)
{
	struct script *s = arg;
	size_t len;

	if (n > CCID_T1_BLOCK_MAX || ++s->calls > 10000)
		__builtin_trap();
	if (s->left < 1)
		return ERR_IO; /* the script is over */
	len = s->p[0];
	s->p++;
	s->left--;
	if (len > s->left)
		len = s->left;
	if (len > cap)
		len = cap;
	memcpy(resp, s->p, len);
	s->p += len;
	s->left -= len;
	*rn = len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t apdu[40] = { 0x00, 0xDA, 0x01, 0x01, 35 };
	struct ccid_t1_block b;
	struct ccid_atr atr;
	struct ccid_t1 t;
	struct script s;
	uint8_t rapdu[258];
	size_t rlen = sizeof(rapdu);
	int ret;

	if (size < 1)
		return 0;
	ccid_t1_parse(data[0] & 1, data + 1, size - 1, &b);
	memset(&atr, 0, sizeof(atr));
	atr.edc_crc = data[0] & 1;
	atr.ifsc = (uint8_t)(data[0] >> 1 ? data[0] >> 1 : 1);
	memset(&t, 0, sizeof(t));
	s.p = data + 1;
	s.left = size - 1;
	s.calls = 0;
	t.xfr = play;
	t.arg = &s;
	ccid_t1_init(&t, &atr);
	ret = ccid_t1_negotiate_ifsd(&t, 254);
	if (ret == 0 || ret == ERR_CARD_PROTO) {
		ret = ccid_t1_transceive(&t, apdu, sizeof(apdu), rapdu, &rlen);
		if (ret == 0 && rlen > sizeof(rapdu))
			__builtin_trap();
		if (t.n_blocks > ccid_t1_blocks_max(sizeof(apdu), sizeof(rapdu)))
			__builtin_trap();
	}
	return 0;
}
