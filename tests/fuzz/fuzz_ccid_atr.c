/*
 * libFuzzer target: the ATR parser (card/ccid_atr.c). An accepted ATR must
 * account for every byte and have legal T=1 parameters.
 */
#include <stddef.h>
#include <stdint.h>

#include "card/ccid_atr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccid_atr a;

	if (ccid_atr_parse(data, size, &a) != 0)
		return 0;
	if (a.len != size || a.nhist > 15 || a.ifsc == 0 || a.ifsc == 0xFF ||
	    !a.protocols || (a.bwi_cwi >> 4) > 9)
		__builtin_trap();
	return 0;
}
