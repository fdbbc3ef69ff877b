/*
 * libFuzzer target: the CCID wire formats (card/ccid_msg.c). The first byte
 * picks the parser: 0 the class descriptor in interface extra bytes, 1 a
 * bulk-IN response, anything else NotifySlotChange (slot count from it).
 */
#include <stddef.h>
#include <stdint.h>

#include "card/ccid_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccid_desc d;
	struct ccid_resp r;
	uint16_t present, changed;

	if (size < 1)
		return 0;
	if (data[0] == 0) {
		if (ccid_desc_parse(data + 1, size - 1, &d) == 0 &&
		    (d.max_slot >= CCID_SLOTS_MAX || d.max_msg < CCID_MSG_MIN))
			__builtin_trap();
	} else if (data[0] == 1) {
		if (ccid_resp_parse(data + 1, size - 1, &r) == 0 &&
		    (r.dlen != size - 1 - CCID_HDR || r.data != data + 1 + CCID_HDR))
			__builtin_trap();
	} else {
		ccid_notify_parse(data + 1, size - 1, data[0] & 0x0F, &present,
				  &changed);
	}
	return 0;
}
