/*
 * ATR parsing. The interface bytes are walked group by group: TDi says
 * which of TA(i+1)..TD(i+1) follow and which protocol they speak of. The
 * first TA/TB/TC of a group that speaks of T=1 (i >= 3) are IFSC, BWI/CWI
 * and the EDC type (§11.4).
 */
#include <string.h>

#include "card/ccid_atr.h"
#include "lib/err.h"

struct ccid_atr_walk {
	const uint8_t *p;
	size_t len, pos;
	unsigned group; /* i of the interface bytes being read */
	unsigned proto; /* T of the current group (from the previous TD) */
	int t1_seen[3]; /* IFSC, BWI/CWI, EDC already taken */
};

static int ccid_atr_bad(const char *what)
{
	err_detail("ATR: %s", what);
	return ERR_FORMAT;
}

static int ccid_atr_byte(struct ccid_atr_walk *w, uint8_t *b)
{
	if (w->pos >= w->len)
		return ccid_atr_bad("truncated interface bytes");
	*b = w->p[w->pos++];
	return 0;
}

/* Takes one interface byte of kind k (0 TA, 1 TB, 2 TC) of the group. */
static int ccid_atr_iface(struct ccid_atr_walk *w, unsigned k, struct ccid_atr *a)
{
	uint8_t b;
	int ret = ccid_atr_byte(w, &b);

	if (ret)
		return ret;
	if (w->group == 1) {
		if (k == 0) {
			a->has_ta1 = 1;
			a->ta1 = b;
		} else if (k == 2) {
			a->tc1 = b;
		}
		return 0;
	}
	if (w->group == 2 && k == 2 && w->proto == 0) {
		a->has_tc2 = 1;
		a->tc2 = b;
		return 0;
	}
	if (w->group < 3 || w->proto != 1 || w->t1_seen[k])
		return 0;
	w->t1_seen[k] = 1;
	if (k == 0) {
		if (b == 0x00 || b == 0xFF)
			return ccid_atr_bad("IFSC of T=1 out of range");
		a->ifsc = b;
	} else if (k == 1) {
		if ((b >> 4) > 9)
			return ccid_atr_bad("BWI of T=1 out of range");
		a->bwi_cwi = b;
	} else {
		if (b & 0xFE)
			return ccid_atr_bad("reserved bits set in TC of T=1");
		a->edc_crc = b & 1;
	}
	return 0;
}

/* Walks the interface bytes from T0; returns whether TCK is required. */
static int ccid_atr_groups(struct ccid_atr_walk *w, uint8_t y, struct ccid_atr *a,
			   int *need_tck)
{
	uint8_t td;
	int ret;

	for (w->group = 1;; w->group++) {
		for (unsigned k = 0; k < 3; k++) {
			if (y & (1u << k)) {
				ret = ccid_atr_iface(w, k, a);
				if (ret)
					return ret;
			}
		}
		if (!(y & 0x8))
			return 0;
		ret = ccid_atr_byte(w, &td);
		if (ret)
			return ret;
		w->proto = td & 0x0F;
		if (w->group == 1)
			a->t1_first = w->proto == 1;
		if (w->proto == 0)
			a->protocols |= CCID_ATR_T0;
		else if (w->proto == 1)
			a->protocols |= CCID_ATR_T1;
		if (w->proto != 0)
			*need_tck = 1;
		if (w->proto == 15 && w->group == 1)
			return ccid_atr_bad("TD1 indicates T=15");
		y = td >> 4;
	}
}

int ccid_atr_parse(const uint8_t *atr, size_t len, struct ccid_atr *out)
{
	struct ccid_atr_walk w;
	struct ccid_atr a;
	int need_tck = 0, ret;
	uint8_t x = 0;

	memset(out, 0, sizeof(*out));
	if (!atr || len < 2 || len > CCID_ATR_MAX)
		return ccid_atr_bad("length out of range");
	if (atr[0] != 0x3B && atr[0] != 0x3F)
		return ccid_atr_bad("TS is neither 3B nor 3F");
	memset(&a, 0, sizeof(a));
	memset(&w, 0, sizeof(w));
	a.ta1 = 0x11;
	a.ifsc = 32;
	a.bwi_cwi = 0x4D;
	w.p = atr;
	w.len = len;
	w.pos = 2;
	ret = ccid_atr_groups(&w, atr[1] >> 4, &a, &need_tck);
	if (ret)
		return ret;
	if (!a.protocols)
		a.protocols = CCID_ATR_T0; /* no TD1: T=0 only */
	a.nhist = atr[1] & 0x0F;
	if (len - w.pos < a.nhist + (size_t)need_tck)
		return ccid_atr_bad("truncated historical bytes or TCK");
	if (len - w.pos > a.nhist + (size_t)need_tck)
		return ccid_atr_bad("bytes after the end");
	if (need_tck) {
		for (size_t i = 1; i < len; i++)
			x ^= atr[i];
		if (x)
			return ccid_atr_bad("wrong TCK");
		a.has_tck = 1;
	}
	memcpy(a.raw, atr, len);
	a.len = len;
	memcpy(a.hist, atr + w.pos, a.nhist);
	*out = a;
	return 0;
}
