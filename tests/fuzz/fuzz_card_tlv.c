/*
 * libFuzzer target: the parsers of card answers (card/openpgp.c). The first
 * byte picks one: 0 application related data (6E), 1 public key template
 * (7F49), 2 a tag search (tag in the next two bytes), anything else a walk
 * of the whole TLV tree. Every value found must lie inside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "card/openpgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const uint8_t *v, size_t n, const uint8_t *buf, size_t len)
{
	if (v < buf || n > len || v - buf > (ptrdiff_t)(len - n))
		__builtin_trap();
}

static void walk(const uint8_t *buf, size_t len, const uint8_t *all, size_t alen,
		 int depth)
{
	const uint8_t *p = buf, *end = buf + len;
	struct pgp_tlv t;

	while (p < end && pgp_tlv_next(&p, end, &t) == 0) {
		inside(t.val, t.len, all, alen);
		if (t.constructed && depth < 8)
			walk(t.val, t.len, all, alen, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pgp_status st;
	uint8_t pub[65];
	const uint8_t *v;
	size_t n;

	if (size < 1)
		return 0;
	switch (data[0]) {
	case 0:
		if (pgp_parse_app_data(data + 1, size - 1, &st) == 0 &&
		    (st.aid[0] != 0xD2 || st.pw1_max > 127 || st.pw3_max > 127))
			__builtin_trap();
		break;
	case 1:
		if (pgp_parse_pubkey(data + 1, size - 1, pub) == 0 && pub[0] != 0x04)
			__builtin_trap();
		break;
	case 2:
		if (size >= 3 && pgp_tlv_find(data + 3, size - 3,
					      (uint16_t)(data[1] << 8 | data[2]), &v, &n) == 0)
			inside(v, n, data + 3, size - 3);
		break;
	default:
		walk(data + 1, size - 1, data + 1, size - 1, 0);
		break;
	}
	return 0;
}
