/*
 * Robustness of the simulated card's APDU processor (card_sim_pgp.c, through
 * its internal header): every INS it knows with every P1 P2 and several
 * data lengths, all PINs verified so that the deep paths run. The answer
 * must always be a status word with at most 256 data bytes; under ASan and
 * UBSan this also checks that no combination reads or writes out of bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/card_sim_int.h"
#include "crypto/secmem.h"
#include "../card/cardtest.h"

static void every_ins_p1_p2(void **state)
{
	static const uint8_t ins[] = { 0xA4, 0xCA, 0x20, 0x24, 0x2C, 0xDA,
				       0x47, 0x2A, 0xE6, 0x44, 0x00, 0xFF };
	static const size_t lens[] = { 0, 1, 2, 4, 9, 20, 32, 255 };
	static const uint8_t p256[9] = { 0x13, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
	int signed_once = 0;
	struct card_sim_state *st = calloc(1, sizeof(*st));
	struct card_sim_session ss;
	uint8_t cmd[CARD_APDU_MAX], r[CARD_RAPDU_MAX];
	size_t n;
	unsigned long calls = 0;
	uint32_t x = 1;

	(void)state;
	assert_non_null(st);
	st->aid[0] = 0xD2;
	assert_int_equal(card_sim_factory(st), 0);
	for (size_t i = 0; i < sizeof(ins); i++) {
		for (unsigned p = 0; p < 0x10000; p++) {
			size_t l = lens[(p + i) % (sizeof(lens) / sizeof(lens[0]))];
			int dirty = 0;

			/* make the key generation and the signature succeed */
			if ((ins[i] == 0x47 && p == 0x8000) || (ins[i] == 0xDA && p == 0x00C1))
				l = 9;
			if (ins[i] == 0x2A && p == 0x9E9A)
				l = 32;
			cmd[0] = 0x00, cmd[1] = ins[i];
			cmd[2] = (uint8_t)(p >> 8), cmd[3] = (uint8_t)p;
			cmd[4] = (uint8_t)l;
			for (size_t k = 0; k < l; k++) {
				x = x * 1103515245u + 12345u;
				cmd[5 + k] = (uint8_t)(x >> 16);
			}
			if (ins[i] == 0x47 && p == 0x8000)
				l = 2, cmd[4] = 2, cmd[5] = 0xB6, cmd[6] = 0x00;
			if (ins[i] == 0xDA && p == 0x00C1)
				memcpy(cmd + 5, p256, sizeof(p256));
			ss.selected = 1;
			ss.pw1_81 = ss.pw1_82 = ss.pw3 = 1;
			n = 0;
			card_sim_process(st, &ss, cmd, l ? 5 + l : 4 + (p & 1), r, &n,
					 &dirty);
			if (n < 2 || n > 258)
				fail_msg("INS %02X P1P2 %04X: %zu bytes", ins[i], p, n);
			calls++;
			signed_once |= ins[i] == 0x2A && p == 0x9E9A && n == 66;
			/* keep the card usable for the next rows */
			if (st->terminated || st->pw1.tries == 0 || st->pw3.tries == 0) {
				st->terminated = 0;
				assert_int_equal(card_sim_factory(st), 0);
			}
		}
	}
	assert_true(calls > 700000);
	assert_true(signed_once);
	secmem_wipe(st, sizeof(*st));
	free(st);
}

static void malformed_lengths(void **state)
{
	struct card_sim_state *st = calloc(1, sizeof(*st));
	struct card_sim_session ss = { 1, 1, 1, 1 };
	uint8_t cmd[CARD_APDU_MAX], r[CARD_RAPDU_MAX];
	size_t n;
	int dirty = 0;

	(void)state;
	assert_non_null(st);
	assert_int_equal(card_sim_factory(st), 0);
	memset(cmd, 0, sizeof(cmd));
	cmd[1] = 0xDA, cmd[2] = 0x01, cmd[3] = 0x01;
	for (size_t len = 4; len <= CARD_APDU_MAX; len++) {
		for (unsigned lc = 0; lc < 256; lc += 17) {
			cmd[4] = (uint8_t)lc;
			card_sim_process(st, &ss, cmd, len, r, &n, &dirty);
			assert_true(n >= 2 && n <= 258);
		}
	}
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_ins_p1_p2),
		cmocka_unit_test(malformed_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
