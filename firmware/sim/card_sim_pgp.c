/*
 * The OpenPGP card application (v3.4) of the simulated card: one function per
 * command, each returning the status word. Only what the box uses, plus what
 * GnuPG needs to reset a card, is implemented; docs/CARD.md lists the
 * deviations. The state is the card file (struct card_sim_state); the access
 * status (which PIN is verified) is the session, forgotten at power-off.
 */
#include <string.h>

#include "sim/card_sim_int.h"
#include "lib/err.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"

#define SW_OK 0x9000
#define SW_TERMINATED 0x6285
#define SW_WRONG_LENGTH 0x6700
#define SW_DENIED 0x6982
#define SW_BLOCKED 0x6983
#define SW_CONDITIONS 0x6985
#define SW_WRONG_DATA 0x6A80
#define SW_NOT_FOUND 0x6A82
#define SW_NO_DATA 0x6A88
#define SW_WRONG_P1P2 0x6B00
#define SW_INS 0x6D00
#define SW_CLA 0x6E00
#define SW_UNKNOWN 0x6F00
#define SW_WRONG_PIN(tries) ((uint16_t)(0x63C0 | (tries)))

#define CARD_SIM_RESP_MAX 256

struct card_sim_cmd {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;
	size_t lc;
};

struct card_sim_resp {
	uint8_t data[CARD_SIM_RESP_MAX];
	size_t len;
};

static const uint8_t card_sim_historical[8] = {
	0x00,                   /* category: status indicator at the end */
	0x73, 0xC0, 0x00, 0x00, /* selection by full/partial DF name; no
				 * command chaining, no extended lengths */
	0x05, 0x90, 0x00        /* operational, 90 00 */
};

static const uint8_t card_sim_ext_caps[10] = {
	0x1C,       /* PW status changeable, private DOs, attributes changeable */
	0x00,       /* no secure messaging */
	0x00, 0x00, /* no GET CHALLENGE */
	0x00, 0x00, /* no cardholder certificate */
	0x00, 0xFF, /* special DOs: at most 255 bytes */
	0x00,       /* no PIN block 2 format */
	0x00        /* no MSE */
};

static const uint8_t card_sim_rsa2048[6] = { 0x01, 0x08, 0x00, 0x00, 0x20, 0x00 };

/* ------------------------------------------------------------ encoding */

/* Appends a BER-TLV (1- or 2-byte tag, length forms 1/81/82). */
static int card_sim_tlv(uint8_t *buf, size_t cap, size_t *off, uint16_t tag,
			const void *val, size_t len)
{
	size_t need = (tag > 0xFF ? 2 : 1) + (len < 0x80 ? 1 : len < 0x100 ? 2 : 3);

	if (len > 0xFFFF || *off + need + len > cap)
		return -1;
	if (tag > 0xFF)
		buf[(*off)++] = (uint8_t)(tag >> 8);
	buf[(*off)++] = (uint8_t)tag;
	if (len >= 0x100) {
		buf[(*off)++] = 0x82;
		buf[(*off)++] = (uint8_t)(len >> 8);
	} else if (len >= 0x80) {
		buf[(*off)++] = 0x81;
	}
	buf[(*off)++] = (uint8_t)len;
	if (len)
		memcpy(buf + *off, val, len);
	*off += len;
	return 0;
}

static uint16_t card_sim_reply(struct card_sim_resp *r, const void *data,
			       size_t len)
{
	if (len > sizeof(r->data))
		return SW_UNKNOWN;
	memcpy(r->data, data, len);
	r->len = len;
	return SW_OK;
}

static void card_sim_pw_status(const struct card_sim_state *st, uint8_t out[7])
{
	out[0] = st->pw1_multi ? 0x01 : 0x00;
	out[1] = CARD_SIM_PIN_MAX; /* UTF-8 PINs, no PIN block format 2 */
	out[2] = CARD_SIM_PIN_MAX;
	out[3] = CARD_SIM_PIN_MAX;
	out[4] = (uint8_t)st->pw1.tries;
	out[5] = (uint8_t)st->rc.tries;
	out[6] = (uint8_t)st->pw3.tries;
}

#define DO(st, d) (st)->do_val[CARD_SIM_DO_##d], (st)->do_len[CARD_SIM_DO_##d]

static uint16_t card_sim_app_data(const struct card_sim_state *st,
				  struct card_sim_resp *r)
{
	uint8_t dd[200], inner[240], pws[7];
	size_t dl = 0, il = 0;
	int bad = 0;

	card_sim_pw_status(st, pws);
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC0, card_sim_ext_caps,
			    sizeof(card_sim_ext_caps));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC1, DO(st, ALGO_SIG));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC2, DO(st, ALGO_DEC));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC3, DO(st, ALGO_AUT));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC4, pws, sizeof(pws));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC5, DO(st, FPR));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xC6, DO(st, CA_FPR));
	bad |= card_sim_tlv(dd, sizeof(dd), &dl, 0xCD, DO(st, DATES));
	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x4F, st->aid, 16);
	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x5F52, card_sim_historical,
			    sizeof(card_sim_historical));
	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x73, dd, dl);
	r->len = 0;
	bad |= card_sim_tlv(r->data, sizeof(r->data), &r->len, 0x6E, inner, il);
	return bad ? SW_UNKNOWN : SW_OK;
}

static uint16_t card_sim_cardholder(const struct card_sim_state *st,
				    struct card_sim_resp *r)
{
	uint8_t inner[64];
	size_t il = 0;
	int bad = 0;

	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x5B, DO(st, NAME));
	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x5F2D, DO(st, LANG));
	bad |= card_sim_tlv(inner, sizeof(inner), &il, 0x5F35, DO(st, SEX));
	r->len = 0;
	bad |= card_sim_tlv(r->data, sizeof(r->data), &r->len, 0x65, inner, il);
	return bad ? SW_UNKNOWN : SW_OK;
}

static uint16_t card_sim_pubkey(const struct card_sim_state *st,
				struct card_sim_resp *r)
{
	uint8_t inner[70];
	size_t il = 0;

	if (card_sim_tlv(inner, sizeof(inner), &il, 0x86, st->key_pub, 65))
		return SW_UNKNOWN;
	r->len = 0;
	if (card_sim_tlv(r->data, sizeof(r->data), &r->len, 0x7F49, inner, il))
		return SW_UNKNOWN;
	return SW_OK;
}

/* ------------------------------------------------------------------ PINs */

static int card_sim_pin_hash(const struct card_sim_state *st, uint8_t id,
			     const uint8_t *pin, size_t len,
			     uint8_t out[CARD_SIM_PIN_HASH_LEN])
{
	struct hash_part parts[3] = {
		{ st->salt, sizeof(st->salt) }, { &id, 1 }, { pin, len }
	};

	return hash_tagged("sceau/simcard/pin/v1", parts, 3, out);
}

static int card_sim_pin_set(const struct card_sim_state *st,
			    struct card_sim_pin *pin, uint8_t id,
			    const uint8_t *val, size_t len)
{
	int ret = card_sim_pin_hash(st, id, val, len, pin->hash);

	if (ret)
		return ret;
	pin->len = (unsigned)len;
	pin->tries = CARD_SIM_TRIES;
	return 0;
}

/*
 * Compares a presented PIN, counting a failure before anything else can
 * happen. The hash is computed whatever the length, so that the time taken
 * does not tell the PIN's length.
 */
static uint16_t card_sim_pin_check(struct card_sim_state *st,
				   struct card_sim_pin *pin, uint8_t id,
				   const uint8_t *val, size_t len, int *dirty)
{
	uint8_t h[CARD_SIM_PIN_HASH_LEN];
	int same;

	if (pin->tries == 0)
		return SW_BLOCKED;
	if (card_sim_pin_hash(st, id, val, len, h) != 0)
		return SW_UNKNOWN;
	same = secmem_ct_compare(h, pin->hash, sizeof(h)) == 0;
	WIPE_BUFFER(h);
	if (same && len == pin->len) {
		if (pin->tries != CARD_SIM_TRIES) {
			pin->tries = CARD_SIM_TRIES;
			*dirty = 1;
		}
		return SW_OK;
	}
	pin->tries--;
	*dirty = 1;
	return SW_WRONG_PIN(pin->tries);
}

static int card_sim_new_pin_ok(size_t len, size_t min)
{
	return len >= min && len <= CARD_SIM_PIN_MAX;
}

/* -------------------------------------------------------------- commands */

static uint16_t card_sim_select(const struct card_sim_state *st,
				struct card_sim_session *ss,
				const struct card_sim_cmd *c)
{
	if (c->p1 != 0x04 || (c->p2 != 0x00 && c->p2 != 0x0C))
		return SW_WRONG_P1P2;
	ss->selected = 0;
	ss->pw1_81 = ss->pw1_82 = ss->pw3 = 0;
	if (c->lc < 6 || c->lc > sizeof(st->aid) ||
	    memcmp(c->data, st->aid, c->lc) != 0)
		return SW_NOT_FOUND;
	ss->selected = 1;
	return st->terminated ? SW_TERMINATED : SW_OK;
}

static uint16_t card_sim_get_data(const struct card_sim_state *st,
				  const struct card_sim_session *ss,
				  const struct card_sim_cmd *c,
				  struct card_sim_resp *r)
{
	uint16_t tag = (uint16_t)(c->p1 << 8 | c->p2);
	uint8_t buf[8];

	if (c->lc != 0)
		return SW_WRONG_LENGTH;
	switch (tag) {
	case 0x004F:
		return card_sim_reply(r, st->aid, sizeof(st->aid));
	case 0x005E:
		return card_sim_reply(r, DO(st, LOGIN));
	case 0x5F50:
		return card_sim_reply(r, DO(st, URL));
	case 0x5F52:
		return card_sim_reply(r, card_sim_historical,
				      sizeof(card_sim_historical));
	case 0x0065:
		return card_sim_cardholder(st, r);
	case 0x005B:
		return card_sim_reply(r, DO(st, NAME));
	case 0x5F2D:
		return card_sim_reply(r, DO(st, LANG));
	case 0x5F35:
		return card_sim_reply(r, DO(st, SEX));
	case 0x006E:
		return card_sim_app_data(st, r);
	case 0x007A:
		buf[0] = (uint8_t)(st->sig_count >> 16);
		buf[1] = (uint8_t)(st->sig_count >> 8);
		buf[2] = (uint8_t)st->sig_count;
		r->len = 0;
		if (card_sim_tlv(r->data, sizeof(r->data), &r->len, 0x7A,
				 (const uint8_t[]){ 0x93, 0x03, buf[0], buf[1], buf[2] },
				 5))
			return SW_UNKNOWN;
		return SW_OK;
	case 0x00C0:
		return card_sim_reply(r, card_sim_ext_caps, sizeof(card_sim_ext_caps));
	case 0x00C1:
		return card_sim_reply(r, DO(st, ALGO_SIG));
	case 0x00C2:
		return card_sim_reply(r, DO(st, ALGO_DEC));
	case 0x00C3:
		return card_sim_reply(r, DO(st, ALGO_AUT));
	case 0x00C4:
		card_sim_pw_status(st, buf);
		return card_sim_reply(r, buf, 7);
	case 0x00C5:
		return card_sim_reply(r, DO(st, FPR));
	case 0x00C6:
		return card_sim_reply(r, DO(st, CA_FPR));
	case 0x00CD:
		return card_sim_reply(r, DO(st, DATES));
	case 0x0101:
		return card_sim_reply(r, DO(st, 0101));
	case 0x0102:
		return card_sim_reply(r, DO(st, 0102));
	case 0x0103:
		if (!ss->pw1_82)
			return SW_DENIED;
		return card_sim_reply(r, DO(st, 0103));
	case 0x0104:
		if (!ss->pw3)
			return SW_DENIED;
		return card_sim_reply(r, DO(st, 0104));
	default:
		return SW_NO_DATA;
	}
}

static uint16_t card_sim_verify(struct card_sim_state *st,
				struct card_sim_session *ss,
				const struct card_sim_cmd *c, int *dirty)
{
	struct card_sim_pin *pin = c->p2 == 0x83 ? &st->pw3 : &st->pw1;
	int *flag;
	uint16_t sw;

	switch (c->p2) {
	case 0x81: flag = &ss->pw1_81; break;
	case 0x82: flag = &ss->pw1_82; break;
	case 0x83: flag = &ss->pw3; break;
	default: return SW_WRONG_P1P2;
	}
	if (c->p1 == 0xFF) {
		if (c->lc != 0)
			return SW_WRONG_LENGTH;
		*flag = 0;
		return SW_OK;
	}
	if (c->p1 != 0x00)
		return SW_WRONG_P1P2;
	if (c->lc == 0) {
		if (pin->tries == 0)
			return SW_BLOCKED;
		return *flag ? SW_OK : SW_WRONG_PIN(pin->tries);
	}
	sw = card_sim_pin_check(st, pin, c->p2 == 0x83 ? CARD_SIM_ID_PW3 :
			       CARD_SIM_ID_PW1, c->data, c->lc, dirty);
	*flag = sw == SW_OK;
	if (pin->tries == 0 && pin == &st->pw1)
		ss->pw1_81 = ss->pw1_82 = 0;
	return sw;
}

static uint16_t card_sim_change(struct card_sim_state *st,
				const struct card_sim_cmd *c, int *dirty)
{
	struct card_sim_pin *pin;
	uint8_t id;
	size_t min, old;
	uint16_t sw;

	if (c->p1 != 0x00)
		return SW_WRONG_P1P2;
	if (c->p2 == 0x81) {
		pin = &st->pw1, id = CARD_SIM_ID_PW1, min = CARD_SIM_PW1_MIN;
	} else if (c->p2 == 0x83) {
		pin = &st->pw3, id = CARD_SIM_ID_PW3, min = CARD_SIM_PW3_MIN;
	} else {
		return SW_WRONG_P1P2;
	}
	if (c->lc == 0)
		return SW_WRONG_LENGTH;
	/* The card knows where the old PIN ends from its stored length; too
	 * short a command is a wrong PIN like any other. */
	old = c->lc < pin->len ? c->lc : pin->len;
	sw = card_sim_pin_check(st, pin, id, c->data, old, dirty);
	if (sw != SW_OK)
		return sw;
	if (!card_sim_new_pin_ok(c->lc - old, min))
		return SW_WRONG_DATA;
	if (card_sim_pin_set(st, pin, id, c->data + old, c->lc - old))
		return SW_UNKNOWN;
	*dirty = 1;
	return SW_OK;
}

static uint16_t card_sim_reset_rc(struct card_sim_state *st,
				  const struct card_sim_session *ss,
				  const struct card_sim_cmd *c, int *dirty)
{
	const uint8_t *pin = c->data;
	size_t len = c->lc, old;
	uint16_t sw;

	if (c->p2 != 0x81)
		return SW_WRONG_P1P2;
	if (c->p1 == 0x00) {
		old = c->lc < st->rc.len ? c->lc : st->rc.len;
		sw = card_sim_pin_check(st, &st->rc, CARD_SIM_ID_RC, c->data, old,
					dirty);
		if (sw != SW_OK)
			return sw;
		pin += old;
		len -= old;
	} else if (c->p1 == 0x02) {
		if (!ss->pw3)
			return SW_DENIED;
	} else {
		return SW_WRONG_P1P2;
	}
	if (!card_sim_new_pin_ok(len, CARD_SIM_PW1_MIN))
		return SW_WRONG_DATA;
	if (card_sim_pin_set(st, &st->pw1, CARD_SIM_ID_PW1, pin, len))
		return SW_UNKNOWN;
	*dirty = 1;
	return SW_OK;
}

static void card_sim_delete_sig_key(struct card_sim_state *st)
{
	st->has_key = 0;
	WIPE_BUFFER(st->key_priv);
	memset(st->key_pub, 0, sizeof(st->key_pub));
	memset(st->do_val[CARD_SIM_DO_FPR], 0, 20);
	memset(st->do_val[CARD_SIM_DO_DATES], 0, 4);
	st->sig_count = 0;
}

static uint16_t card_sim_put_attr(struct card_sim_state *st, enum card_sim_do d,
				  const struct card_sim_cmd *c)
{
	uint8_t algo = d == CARD_SIM_DO_ALGO_DEC ? 0x12 : 0x13;

	if (!card_sim_attr_rsa2048(c->data, c->lc) &&
	    !card_sim_attr_p256(c->data, c->lc, algo))
		return SW_WRONG_DATA;
	if (d == CARD_SIM_DO_ALGO_SIG &&
	    (c->lc != st->do_len[d] || memcmp(c->data, st->do_val[d], c->lc)))
		card_sim_delete_sig_key(st);
	memcpy(st->do_val[d], c->data, c->lc);
	st->do_len[d] = c->lc;
	return SW_OK;
}

static uint16_t card_sim_put_pw_status(struct card_sim_state *st,
				       const struct card_sim_cmd *c)
{
	if (c->lc != 1 && c->lc != 4)
		return SW_WRONG_LENGTH;
	if (c->data[0] > 0x01)
		return SW_WRONG_DATA;
	/* The PIN formats and lengths (bytes 2..4) cannot be changed. */
	for (size_t i = 1; i < c->lc; i++)
		if (c->data[i] != CARD_SIM_PIN_MAX)
			return SW_WRONG_DATA;
	st->pw1_multi = c->data[0];
	return SW_OK;
}

/* C7..CC, CE..D0: one fingerprint (20 bytes) or one date (4 bytes) of C5,
 * C6, CD. */
static uint16_t card_sim_put_part(struct card_sim_state *st, uint16_t tag,
				  const struct card_sim_cmd *c)
{
	enum card_sim_do d;
	size_t size, i;

	if (tag <= 0xC9)
		d = CARD_SIM_DO_FPR, size = 20, i = tag - 0xC7;
	else if (tag <= 0xCC)
		d = CARD_SIM_DO_CA_FPR, size = 20, i = tag - 0xCA;
	else
		d = CARD_SIM_DO_DATES, size = 4, i = tag - 0xCE;
	if (c->lc != size)
		return SW_WRONG_LENGTH;
	memcpy(st->do_val[d] + i * size, c->data, size);
	return SW_OK;
}

static uint16_t card_sim_put_rc(struct card_sim_state *st,
				const struct card_sim_cmd *c)
{
	if (c->lc == 0) {
		memset(&st->rc, 0, sizeof(st->rc));
		return SW_OK;
	}
	if (!card_sim_new_pin_ok(c->lc, CARD_SIM_PW3_MIN))
		return SW_WRONG_DATA;
	if (card_sim_pin_set(st, &st->rc, CARD_SIM_ID_RC, c->data, c->lc))
		return SW_UNKNOWN;
	return SW_OK;
}

static int card_sim_do_index(uint16_t tag)
{
	for (int d = 0; d < CARD_SIM_DO_COUNT; d++)
		if (card_sim_dos[d].tag == tag)
			return d;
	return -1;
}

static uint16_t card_sim_put_data(struct card_sim_state *st,
				  const struct card_sim_session *ss,
				  const struct card_sim_cmd *c, int *dirty)
{
	uint16_t tag = (uint16_t)(c->p1 << 8 | c->p2);
	int d = card_sim_do_index(tag), user = tag == 0x0101 || tag == 0x0103;
	int part = (tag >= 0x00C7 && tag <= 0x00CC) ||
		   (tag >= 0x00CE && tag <= 0x00D0);
	uint16_t sw;

	if ((d < 0 || d > CARD_SIM_DO_ALGO_AUT) && tag != 0x00C4 && !part &&
	    tag != 0x00D3)
		return SW_NO_DATA;
	if (user ? !ss->pw1_82 : !ss->pw3)
		return SW_DENIED;
	if (tag == 0x00C4)
		sw = card_sim_put_pw_status(st, c);
	else if (part)
		sw = card_sim_put_part(st, tag, c);
	else if (tag == 0x00D3)
		sw = card_sim_put_rc(st, c);
	else if (d >= CARD_SIM_DO_ALGO_SIG)
		sw = card_sim_put_attr(st, (enum card_sim_do)d, c);
	else if (c->lc > card_sim_dos[d].max)
		sw = SW_WRONG_LENGTH;
	else if (d == CARD_SIM_DO_SEX && c->lc == 1 && c->data[0] != '0' &&
		 c->data[0] != '1' && c->data[0] != '2' && c->data[0] != '9')
		sw = SW_WRONG_DATA; /* ISO 5218 */
	else {
		if (c->lc)
			memcpy(st->do_val[d], c->data, c->lc);
		secmem_wipe(st->do_val[d] + c->lc, CARD_SIM_DO_MAX - c->lc);
		st->do_len[d] = c->lc;
		sw = SW_OK;
	}
	if (sw == SW_OK)
		*dirty = 1;
	return sw;
}

static uint16_t card_sim_generate(struct card_sim_state *st,
				  const struct card_sim_session *ss,
				  const struct card_sim_cmd *c,
				  struct card_sim_resp *r, int *dirty)
{
	uint8_t priv[32], pub[65];
	struct rng *rng = NULL;
	uint16_t sw = SW_UNKNOWN;

	if ((c->p1 != 0x80 && c->p1 != 0x81) || c->p2 != 0x00)
		return SW_WRONG_P1P2;
	if (c->lc != 2 && c->lc != 5)
		return SW_WRONG_LENGTH;
	if (c->data[1] != c->lc - 2)
		return SW_WRONG_DATA;
	/* Only the signature key (CRT B6) exists on this card. */
	if (c->data[0] == 0xB8 || c->data[0] == 0xA4)
		return SW_NO_DATA;
	if (c->data[0] != 0xB6 ||
	    (c->lc == 5 && (c->data[2] != 0x84 || c->data[3] != 0x01 ||
			    c->data[4] != 0x01)))
		return SW_WRONG_DATA;
	if (c->p1 == 0x81)
		return st->has_key ? card_sim_pubkey(st, r) : SW_NO_DATA;
	if (!ss->pw3)
		return SW_DENIED;
	if (!card_sim_attr_p256(DO(st, ALGO_SIG), 0x13))
		return SW_CONDITIONS;
	if (rng_new(&rng, "sceau-simcard/keygen", NULL) != 0 ||
	    sig_keygen(rng, priv, pub) != 0)
		goto out;
	card_sim_delete_sig_key(st);
	memcpy(st->key_priv, priv, sizeof(priv));
	memcpy(st->key_pub, pub, sizeof(pub));
	st->has_key = 1;
	*dirty = 1;
	sw = card_sim_pubkey(st, r);
out:
	rng_free(rng);
	WIPE_BUFFER(priv);
	return sw;
}

static uint16_t card_sim_sign(struct card_sim_state *st,
			      struct card_sim_session *ss,
			      const struct card_sim_cmd *c,
			      struct card_sim_resp *r, int *dirty)
{
	if (c->p1 != 0x9E || c->p2 != 0x9A)
		return SW_WRONG_P1P2;
	if (!ss->pw1_81)
		return SW_DENIED;
	if (!st->has_key)
		return SW_NO_DATA;
	if (c->lc != 32)
		return SW_WRONG_LENGTH;
	if (sig_sign(st->key_priv, c->data, r->data) != 0)
		return SW_UNKNOWN;
	r->len = SIG_LEN;
	if (st->sig_count < 0xFFFFFF)
		st->sig_count++;
	if (!st->pw1_multi)
		ss->pw1_81 = 0;
	*dirty = 1;
	return SW_OK;
}

int card_sim_factory(struct card_sim_state *st)
{
	uint8_t aid[16];
	struct rng *rng = NULL;
	int ret;

	memcpy(aid, st->aid, sizeof(aid));
	secmem_wipe(st, sizeof(*st));
	memcpy(st->aid, aid, sizeof(aid));
	ret = rng_new(&rng, "sceau-simcard/salt", NULL);
	if (!ret)
		ret = rng_bytes(rng, st->salt, sizeof(st->salt));
	rng_free(rng);
	if (!ret)
		ret = card_sim_pin_set(st, &st->pw1, CARD_SIM_ID_PW1,
				       (const uint8_t *)"123456", 6);
	if (!ret)
		ret = card_sim_pin_set(st, &st->pw3, CARD_SIM_ID_PW3,
				       (const uint8_t *)"12345678", 8);
	if (ret)
		return ret;
	for (int d = CARD_SIM_DO_ALGO_SIG; d <= CARD_SIM_DO_ALGO_AUT; d++) {
		memcpy(st->do_val[d], card_sim_rsa2048, sizeof(card_sim_rsa2048));
		st->do_len[d] = sizeof(card_sim_rsa2048);
	}
	st->do_len[CARD_SIM_DO_FPR] = 60;
	st->do_len[CARD_SIM_DO_CA_FPR] = 60;
	st->do_len[CARD_SIM_DO_DATES] = 12;
	return 0;
}

static uint16_t card_sim_terminate(struct card_sim_state *st,
				   struct card_sim_session *ss,
				   const struct card_sim_cmd *c, int *dirty)
{
	if (c->p1 != 0x00 || c->p2 != 0x00)
		return SW_WRONG_P1P2;
	if (!ss->pw3 && st->pw3.tries != 0)
		return SW_DENIED;
	/* Everything is erased now rather than at ACTIVATE FILE, so that a
	 * terminated card holds no secret. */
	if (card_sim_factory(st))
		return SW_UNKNOWN;
	st->terminated = 1;
	ss->pw1_81 = ss->pw1_82 = ss->pw3 = 0;
	*dirty = 1;
	return SW_OK;
}

static uint16_t card_sim_activate(struct card_sim_state *st,
				  struct card_sim_session *ss,
				  const struct card_sim_cmd *c, int *dirty)
{
	if (c->p1 != 0x00 || c->p2 != 0x00)
		return SW_WRONG_P1P2;
	if (!st->terminated)
		return SW_OK;
	if (card_sim_factory(st))
		return SW_UNKNOWN;
	ss->pw1_81 = ss->pw1_82 = ss->pw3 = 0;
	*dirty = 1;
	return SW_OK;
}

/* ISO 7816-3 cases 1-4, short lengths only. */
static int card_sim_parse_apdu(const uint8_t *a, size_t n, struct card_sim_cmd *c)
{
	if (n < 4)
		return -1;
	c->cla = a[0], c->ins = a[1], c->p1 = a[2], c->p2 = a[3];
	c->data = NULL;
	c->lc = 0;
	if (n <= 5)
		return 0; /* case 1, or case 2 (Le is not enforced) */
	if (a[4] == 0)
		return -1; /* extended length */
	c->lc = a[4];
	c->data = a + 5;
	return n == 5 + c->lc || n == 6 + c->lc ? 0 : -1;
}

static uint16_t card_sim_dispatch(struct card_sim_state *st,
				  struct card_sim_session *ss,
				  const struct card_sim_cmd *c,
				  struct card_sim_resp *r, int *dirty)
{
	if (c->cla != 0x00)
		return SW_CLA;
	if (c->ins == 0xA4)
		return card_sim_select(st, ss, c);
	if (!ss->selected)
		return SW_INS;
	if (st->terminated)
		return c->ins == 0x44 ? card_sim_activate(st, ss, c, dirty) :
					SW_TERMINATED;
	switch (c->ins) {
	case 0xCA: return card_sim_get_data(st, ss, c, r);
	case 0x20: return card_sim_verify(st, ss, c, dirty);
	case 0x24: return card_sim_change(st, c, dirty);
	case 0x2C: return card_sim_reset_rc(st, ss, c, dirty);
	case 0xDA: return card_sim_put_data(st, ss, c, dirty);
	case 0x47: return card_sim_generate(st, ss, c, r, dirty);
	case 0x2A: return card_sim_sign(st, ss, c, r, dirty);
	case 0xE6: return card_sim_terminate(st, ss, c, dirty);
	case 0x44: return card_sim_activate(st, ss, c, dirty);
	default: return SW_INS;
	}
}

void card_sim_process(struct card_sim_state *st, struct card_sim_session *ss,
		      const uint8_t *capdu, size_t clen, uint8_t *rapdu,
		      size_t *rlen, int *dirty)
{
	struct card_sim_cmd c;
	struct card_sim_resp r;
	uint16_t sw;

	r.len = 0;
	if (card_sim_parse_apdu(capdu, clen, &c) != 0)
		sw = SW_WRONG_LENGTH;
	else
		sw = card_sim_dispatch(st, ss, &c, &r, dirty);
	if (sw != SW_OK)
		r.len = 0;
	memcpy(rapdu, r.data, r.len);
	rapdu[r.len] = (uint8_t)(sw >> 8);
	rapdu[r.len + 1] = (uint8_t)sw;
	*rlen = r.len + 2;
	WIPE_BUFFER(r.data);
}
