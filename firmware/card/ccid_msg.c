/* CCID wire formats: the class descriptor, message headers, slot changes. */
#include <string.h>

#include "card/ccid_msg.h"
#include "lib/err.h"

static uint32_t ccid_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int ccid_desc_bad(const char *what)
{
	err_detail("CCID descriptor: %s", what);
	return ERR_FORMAT;
}

/* Reads the fields of a 54-byte class descriptor and checks them. */
static int ccid_desc_fields(const uint8_t *p, struct ccid_desc *d)
{
	uint32_t level;

	memset(d, 0, sizeof(*d));
	d->bcd = (uint16_t)(p[2] | p[3] << 8);
	d->max_slot = p[4];
	d->protocols = ccid_le32(p + 6);
	d->max_ifsd = ccid_le32(p + 28);
	d->features = ccid_le32(p + 40);
	d->max_msg = ccid_le32(p + 44);
	if (d->max_slot >= CCID_SLOTS_MAX)
		return ccid_desc_bad("bMaxSlotIndex out of range");
	if (!(d->protocols & 3))
		return ccid_desc_bad("neither T=0 nor T=1");
	/* CCID §5.1: at most 65544 + 10 (an extended APDU and its header). */
	if (d->max_msg > 65544 + CCID_HDR)
		return ccid_desc_bad("dwMaxCCIDMessageLength out of range");
	level = d->features & CCID_FEAT_LEVEL_MASK;
	if (level == CCID_FEAT_TPDU) {
		d->level = CCID_LEVEL_TPDU;
	} else if (level == CCID_FEAT_SHORT_APDU || level == CCID_FEAT_EXT_APDU) {
		d->level = CCID_LEVEL_APDU;
	} else {
		err_detail("CCID reader at character level or with no "
			   "exchange level (dwFeatures %08X)", (unsigned)d->features);
		return ERR_RANGE;
	}
	if (d->max_msg < CCID_MSG_MIN) {
		err_detail("CCID reader takes messages of %u bytes only",
			   (unsigned)d->max_msg);
		return ERR_RANGE;
	}
	return 0;
}

int ccid_desc_parse(const uint8_t *extra, size_t len, struct ccid_desc *d)
{
	size_t off = 0;

	memset(d, 0, sizeof(*d));
	while (off < len) {
		size_t dl;

		if (len - off < 2)
			return ccid_desc_bad("truncated descriptor header");
		dl = extra[off];
		if (dl < 2 || dl > len - off)
			return ccid_desc_bad("bLength out of bounds");
		if (extra[off + 1] == CCID_DESC_TYPE) {
			if (dl != CCID_DESC_LEN)
				return ccid_desc_bad("class descriptor not 54 bytes");
			return ccid_desc_fields(extra + off, d);
		}
		off += dl;
	}
	err_detail("no CCID class descriptor");
	return ERR_NOTFOUND;
}

size_t ccid_msg_build(uint8_t *out, uint8_t type, uint8_t slot, uint8_t seq,
		      const uint8_t p[3], const uint8_t *data, size_t dlen)
{
	out[0] = type;
	out[1] = (uint8_t)dlen;
	out[2] = (uint8_t)(dlen >> 8);
	out[3] = (uint8_t)(dlen >> 16);
	out[4] = (uint8_t)(dlen >> 24);
	out[5] = slot;
	out[6] = seq;
	memcpy(out + 7, p, 3);
	if (dlen)
		memcpy(out + CCID_HDR, data, dlen);
	return CCID_HDR + dlen;
}

int ccid_resp_parse(const uint8_t *buf, size_t n, struct ccid_resp *r)
{
	uint32_t dlen;

	memset(r, 0, sizeof(*r));
	if (n < CCID_HDR) {
		err_detail("CCID: response of %zu bytes", n);
		return ERR_FORMAT;
	}
	r->type = buf[0];
	if (r->type != CCID_RDR_DATA_BLOCK && r->type != CCID_RDR_SLOT_STATUS &&
	    r->type != CCID_RDR_PARAMETERS) {
		err_detail("CCID: unknown message type %02X", r->type);
		return ERR_FORMAT;
	}
	dlen = ccid_le32(buf + 1);
	if (dlen != n - CCID_HDR) {
		err_detail("CCID: dwLength %u in a message of %zu bytes",
			   (unsigned)dlen, n);
		return ERR_FORMAT;
	}
	r->slot = buf[5];
	r->seq = buf[6];
	r->icc = buf[7] & 0x03;
	r->cmd = (uint8_t)(buf[7] >> 6);
	if ((buf[7] & 0x3C) || r->icc == 3 || r->cmd == 3) {
		err_detail("CCID: invalid bStatus %02X", buf[7]);
		return ERR_FORMAT;
	}
	if (r->type == CCID_RDR_SLOT_STATUS && dlen) {
		err_detail("CCID: SlotStatus with data");
		return ERR_FORMAT;
	}
	r->error = buf[8];
	r->param = buf[9];
	r->data = buf + CCID_HDR;
	r->dlen = dlen;
	return 0;
}

int ccid_notify_parse(const uint8_t *buf, size_t n, uint8_t max_slot,
		      uint16_t *present, uint16_t *changed)
{
	size_t need = 1 + ((size_t)max_slot + 1 + 3) / 4;

	*present = 0;
	*changed = 0;
	if (max_slot >= CCID_SLOTS_MAX || n != need ||
	    buf[0] != CCID_RDR_NOTIFY_SLOT_CHANGE) {
		err_detail("CCID: bad NotifySlotChange of %zu bytes", n);
		return ERR_FORMAT;
	}
	for (unsigned s = 0; s <= max_slot; s++) {
		uint8_t bits = (uint8_t)(buf[1 + s / 4] >> (2 * (s % 4)));

		if (bits & 1)
			*present |= (uint16_t)(1u << s);
		if (bits & 2)
			*changed |= (uint16_t)(1u << s);
	}
	return 0;
}
