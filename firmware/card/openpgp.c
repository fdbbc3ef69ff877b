/*
 * Client side of the OpenPGP card application (spec v3.4), short APDUs only.
 * Responses are parsed strictly; 61 xx (more data) and 6C xx (wrong Le) are
 * followed as ISO 7816-4 says, so that real tokens whose answers exceed one
 * short response still work. Command and response buffers may hold PINs or
 * the share: they are wiped before returning.
 */
#include <string.h>

#include "card/openpgp.h"
#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

#define PGP_RESP_MAX 1024 /* largest answer accepted, GET RESPONSE included */
#define PGP_ROUNDS 8      /* GET RESPONSE rounds at most */

static const uint8_t pgp_rid[6] = { 0xD2, 0x76, 0x00, 0x01, 0x24, 0x01 };

/* ------------------------------------------------------------ exchange */

int pgp_sw_error(uint16_t sw, unsigned *tries)
{
	if (sw == 0x9000)
		return 0;
	if ((sw & 0xFFF0) == 0x63C0) {
		if (tries)
			*tries = sw & 0x0F;
		err_detail("wrong PIN, %u tries left", sw & 0x0F);
		return (sw & 0x0F) ? ERR_PIN_WRONG : ERR_PIN_BLOCKED;
	}
	switch (sw) {
	case 0x6983:
		if (tries)
			*tries = 0;
		err_detail("PIN blocked");
		return ERR_PIN_BLOCKED;
	case 0x6982:
		err_detail("security status not satisfied (PIN not verified)");
		return ERR_CARD_DENIED;
	case 0x6A88:
	case 0x6A82:
		err_detail("data not found on the card (%04X)", sw);
		return ERR_CARD_NODATA;
	case 0x6285:
		err_detail("the card is terminated and must be reset");
		return ERR_CARD_USED;
	default:
		err_detail("the card answered %04X", sw);
		return ERR_CARD_PROTO;
	}
}

/*
 * Sends one command (case 1 to 4: data if lc > 0, Le = 00 if le) and
 * collects the whole answer into out (capacity *olen; NULL: discarded).
 */
static int pgp_cmd(struct card *c, uint8_t ins, uint8_t p1, uint8_t p2,
		   const uint8_t *data, size_t lc, int le, uint8_t *out,
		   size_t *olen, uint16_t *sw)
{
	uint8_t cmd[CARD_APDU_MAX], r[CARD_RAPDU_MAX];
	size_t clen = 4, rl, got = 0, cap = olen ? *olen : 0;
	int ret = ERR_CARD_PROTO;

	if (lc > 255)
		return ERR_RANGE;
	cmd[0] = 0x00, cmd[1] = ins, cmd[2] = p1, cmd[3] = p2;
	if (lc) {
		cmd[clen++] = (uint8_t)lc;
		memcpy(cmd + clen, data, lc);
		clen += lc;
	}
	if (le)
		cmd[clen++] = 0x00;
	for (int round = 0; round < PGP_ROUNDS; round++) {
		rl = sizeof(r);
		ret = card_transmit(c, cmd, clen, r, &rl);
		if (ret)
			goto out;
		*sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
		rl -= 2;
		if ((*sw >> 8) == 0x6C && le && round == 0) {
			cmd[clen - 1] = (uint8_t)*sw; /* resend with the right Le */
			continue;
		}
		if (rl > PGP_RESP_MAX - got || (rl && out && rl > cap - got)) {
			err_detail("card answer longer than %zu bytes",
				   out ? cap : (size_t)PGP_RESP_MAX);
			ret = out ? ERR_RANGE : ERR_CARD_PROTO;
			goto out;
		}
		if (out && rl)
			memcpy(out + got, r, rl);
		got += rl;
		if ((*sw >> 8) != 0x61)
			break;
		/* More data: GET RESPONSE, Le = SW2. */
		secmem_wipe(cmd, sizeof(cmd));
		cmd[0] = 0x00, cmd[1] = 0xC0, cmd[2] = 0x00, cmd[3] = 0x00;
		cmd[4] = (uint8_t)*sw;
		clen = 5;
		ret = ERR_CARD_PROTO;
	}
	if ((*sw >> 8) == 0x61 || (*sw >> 8) == 0x6C) {
		err_detail("the card keeps answering %04X", *sw);
		ret = ERR_CARD_PROTO;
		goto out;
	}
	if (olen)
		*olen = got;
	ret = 0;
out:
	WIPE_BUFFER(cmd);
	WIPE_BUFFER(r);
	return ret;
}

/* A command whose only outcome is its status word. */
static int pgp_simple(struct card *c, uint8_t ins, uint8_t p1, uint8_t p2,
		      const uint8_t *data, size_t lc)
{
	uint16_t sw;
	int ret = pgp_cmd(c, ins, p1, p2, data, lc, 0, NULL, NULL, &sw);

	return ret ? ret : pgp_sw_error(sw, NULL);
}

/* ---------------------------------------------------------------- TLV */

static int pgp_tlv_bad(void)
{
	err_detail("card answer: malformed TLV");
	return ERR_CARD_PROTO;
}

int pgp_tlv_next(const uint8_t **p, const uint8_t *end, struct pgp_tlv *t)
{
	const uint8_t *q = *p;
	size_t len;
	uint16_t tag;

	if (q >= end || end - q < 2 || *q == 0x00 || *q == 0xFF)
		return pgp_tlv_bad();
	t->constructed = (*q & 0x20) != 0;
	tag = *q++;
	if ((tag & 0x1F) == 0x1F) {
		/* Two-byte tags only (5F xx, 7F xx), number >= 31. */
		if (*q & 0x80 || *q < 0x1F)
			return pgp_tlv_bad();
		tag = (uint16_t)(tag << 8 | *q++);
	}
	if (q == end)
		return pgp_tlv_bad();
	if (*q < 0x80) {
		len = *q++;
	} else if (*q == 0x81 && end - q >= 2) {
		len = q[1];
		q += 2;
	} else if (*q == 0x82 && end - q >= 3) {
		len = (size_t)q[1] << 8 | q[2];
		q += 3;
	} else {
		return pgp_tlv_bad();
	}
	if (len > (size_t)(end - q))
		return pgp_tlv_bad();
	t->tag = tag;
	t->val = q;
	t->len = len;
	*p = q + len;
	return 0;
}

int pgp_tlv_find(const uint8_t *buf, size_t len, uint16_t tag,
		 const uint8_t **val, size_t *vlen)
{
	const uint8_t *p = buf, *end = buf + len;
	struct pgp_tlv t;
	int found = 0, ret;

	while (p < end) {
		ret = pgp_tlv_next(&p, end, &t);
		if (ret)
			return ret;
		if (t.tag != tag)
			continue;
		if (found++) {
			err_detail("card answer: tag %04X repeated", tag);
			return ERR_CARD_PROTO;
		}
		*val = t.val;
		*vlen = t.len;
	}
	if (!found) {
		err_detail("card answer: tag %04X missing", tag);
		return ERR_CARD_NODATA;
	}
	return 0;
}

/* buf must be exactly one TLV with that tag. */
static int pgp_tlv_only(const uint8_t *buf, size_t len, uint16_t tag,
			const uint8_t **val, size_t *vlen)
{
	const uint8_t *p = buf;
	struct pgp_tlv t;
	int ret;

	ret = pgp_tlv_next(&p, buf + len, &t);
	if (ret)
		return ret;
	if (t.tag != tag || p != buf + len) {
		err_detail("card answer: expected a single %04X object", tag);
		return ERR_CARD_PROTO;
	}
	*val = t.val;
	*vlen = t.len;
	return 0;
}

/* Like pgp_tlv_find, but a missing tag is a protocol error too. */
static int pgp_tlv_need(const uint8_t *buf, size_t len, uint16_t tag,
			const uint8_t **val, size_t *vlen, size_t want)
{
	int ret = pgp_tlv_find(buf, len, tag, val, vlen);

	if (ret == ERR_CARD_NODATA)
		ret = ERR_CARD_PROTO;
	if (!ret && want && *vlen != want) {
		err_detail("card answer: tag %04X of %zu bytes, expected %zu", tag,
			   *vlen, want);
		ret = ERR_CARD_PROTO;
	}
	return ret;
}

int pgp_parse_app_data(const uint8_t *buf, size_t len, struct pgp_status *st)
{
	const uint8_t *app, *aid, *dd, *pws;
	size_t applen, aidlen, ddlen, pwslen;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = pgp_tlv_only(buf, len, 0x6E, &app, &applen);
	if (!ret)
		ret = pgp_tlv_need(app, applen, 0x4F, &aid, &aidlen, PGP_AID_LEN);
	if (!ret)
		ret = pgp_tlv_need(app, applen, 0x73, &dd, &ddlen, 0);
	if (!ret)
		ret = pgp_tlv_need(dd, ddlen, 0xC4, &pws, &pwslen, 7);
	if (ret)
		return ret;
	if (memcmp(aid, pgp_rid, sizeof(pgp_rid)) != 0) {
		err_detail("card answer: not an OpenPGP application");
		return ERR_CARD_PROTO;
	}
	memcpy(st->aid, aid, PGP_AID_LEN);
	st->pw1_multi_sign = pws[0] != 0;
	st->pw1_max = pws[1] & 0x7F;
	st->pw3_max = pws[3] & 0x7F;
	st->pw1_tries = pws[4];
	st->rc_tries = pws[5];
	st->pw3_tries = pws[6];
	return 0;
}

int pgp_parse_pubkey(const uint8_t *buf, size_t len, uint8_t pub[65])
{
	const uint8_t *tpl, *pt;
	size_t tlen, plen;
	int ret;

	ret = pgp_tlv_only(buf, len, 0x7F49, &tpl, &tlen);
	if (!ret)
		ret = pgp_tlv_need(tpl, tlen, 0x86, &pt, &plen, GROUP_POINT_LEN);
	if (ret)
		return ret;
	if (pt[0] != 0x04 || group_point_check(pt) != 0) {
		err_detail("card answer: public key is not a P-256 point");
		return ERR_CARD_PROTO;
	}
	memcpy(pub, pt, GROUP_POINT_LEN);
	return 0;
}

/* ------------------------------------------------------------ commands */

int pgp_select(struct card *c)
{
	uint16_t sw;
	int ret;

	/* P2 = 00: some cards refuse 0C; the FCI they may return is ignored. */
	ret = pgp_cmd(c, 0xA4, 0x04, 0x00, pgp_rid, sizeof(pgp_rid), 0, NULL,
		      NULL, &sw);
	return ret ? ret : pgp_sw_error(sw, NULL);
}

int pgp_get_data(struct card *c, uint16_t tag, uint8_t *out, size_t *len)
{
	uint16_t sw;
	int ret;

	ret = pgp_cmd(c, 0xCA, (uint8_t)(tag >> 8), (uint8_t)tag, NULL, 0, 1, out,
		      len, &sw);
	if (!ret)
		ret = pgp_sw_error(sw, NULL);
	if (ret)
		*len = 0;
	return ret;
}

int pgp_put_data(struct card *c, uint16_t tag, const uint8_t *data, size_t len)
{
	if (len > 255) {
		err_detail("PUT DATA %04X: %zu bytes, at most 255", tag, len);
		return ERR_RANGE;
	}
	return pgp_simple(c, 0xDA, (uint8_t)(tag >> 8), (uint8_t)tag, data, len);
}

int pgp_status(struct card *c, struct pgp_status *st)
{
	uint8_t buf[PGP_RESP_MAX];
	size_t len = sizeof(buf);
	int ret;

	memset(st, 0, sizeof(*st));
	ret = pgp_get_data(c, 0x006E, buf, &len);
	if (!ret)
		ret = pgp_parse_app_data(buf, len, st);
	return ret;
}

void pgp_serial_hex(const uint8_t aid[PGP_AID_LEN], char out[9])
{
	static const char digits[] = "0123456789ABCDEF";

	for (int i = 0; i < 4; i++) {
		out[2 * i] = digits[aid[10 + i] >> 4];
		out[2 * i + 1] = digits[aid[10 + i] & 0x0F];
	}
	out[8] = '\0';
}

static int pgp_pin_ok(uint8_t ref, const char *pin, size_t *len)
{
	size_t min = ref == PGP_PW3 ? 8 : PGP_PIN_MIN;

	if (!pin) {
		err_detail("no PIN given");
		return ERR_RANGE;
	}
	*len = strnlen(pin, PGP_PIN_MAX + 1);
	if (*len < min || *len > PGP_PIN_MAX) {
		err_detail("a PIN has %zu to %d characters", min, PGP_PIN_MAX);
		return ERR_RANGE;
	}
	return 0;
}

int pgp_pin_wellformed(uint8_t ref, const char *pin)
{
	size_t min = ref == PGP_PW3 ? 8 : PGP_PIN_MIN, len;

	if (!pin)
		return 0;
	len = strnlen(pin, PGP_PIN_MAX + 1);
	return len >= min && len <= PGP_PIN_MAX;
}

/* Tries left for ref from the PW status bytes (C4). */
static int pgp_c4_tries(struct card *c, uint8_t ref, unsigned *tries)
{
	uint8_t pws[16];
	size_t len = sizeof(pws);
	int ret;

	ret = pgp_get_data(c, 0x00C4, pws, &len);
	if (!ret && len != 7) {
		err_detail("card answer: PW status of %zu bytes", len);
		ret = ERR_CARD_PROTO;
	}
	if (!ret)
		*tries = ref == PGP_PW3 ? pws[6] : pws[4];
	return ret;
}

/*
 * The outcome of a VERIFY or CHANGE REFERENCE DATA. Some tokens answer a
 * wrong PIN with 69 82 and no count: the count is then read from C4.
 */
static int pgp_pin_result(struct card *c, uint8_t ref, uint16_t sw,
			  unsigned *tries)
{
	unsigned left;
	int ret;

	if (sw != 0x6982)
		return pgp_sw_error(sw, tries);
	ret = pgp_c4_tries(c, ref, &left);
	if (ret)
		return ret;
	if (tries)
		*tries = left;
	err_detail("wrong PIN, %u tries left", left);
	return left ? ERR_PIN_WRONG : ERR_PIN_BLOCKED;
}

static int pgp_ref_ok(uint8_t ref, int change)
{
	if (ref == PGP_PW1_SIGN || ref == PGP_PW3 || (!change && ref == PGP_PW1))
		return 0;
	err_detail("no PIN reference %02X", ref);
	return ERR_INTERNAL;
}

int pgp_verify(struct card *c, uint8_t ref, const char *pin, unsigned *tries)
{
	size_t len;
	uint16_t sw;
	int ret;

	ret = pgp_ref_ok(ref, 0);
	if (!ret)
		ret = pgp_pin_ok(ref, pin, &len);
	if (!ret)
		ret = pgp_cmd(c, 0x20, 0x00, ref, (const uint8_t *)pin, len, 0,
			      NULL, NULL, &sw);
	return ret ? ret : pgp_pin_result(c, ref, sw, tries);
}

int pgp_verify_status(struct card *c, uint8_t ref, unsigned *tries)
{
	unsigned left;
	uint16_t sw;
	int ret;

	ret = pgp_ref_ok(ref, 0);
	if (!ret)
		ret = pgp_cmd(c, 0x20, 0x00, ref, NULL, 0, 0, NULL, NULL, &sw);
	if (ret)
		return ret;
	if (sw == 0x9000)
		return 1;
	if (sw == 0x6983 || sw == 0x63C0)
		return pgp_sw_error(sw, tries);
	if ((sw & 0xFFF0) == 0x63C0) {
		left = sw & 0x0F;
	} else {
		/* No status query on this card: C4 at least gives the count. */
		ret = pgp_c4_tries(c, ref, &left);
		if (ret)
			return ret;
		if (left == 0)
			return pgp_sw_error(0x6983, tries);
	}
	if (tries)
		*tries = left;
	return 0;
}

int pgp_change_pin(struct card *c, uint8_t ref, const char *old_pin,
		   const char *new_pin, unsigned *tries)
{
	uint8_t data[2 * PGP_PIN_MAX];
	size_t olen, nlen;
	uint16_t sw;
	int ret;

	ret = pgp_ref_ok(ref, 1);
	if (!ret)
		ret = pgp_pin_ok(ref, old_pin, &olen);
	if (!ret)
		ret = pgp_pin_ok(ref, new_pin, &nlen);
	if (ret)
		return ret;
	memcpy(data, old_pin, olen);
	memcpy(data + olen, new_pin, nlen);
	ret = pgp_cmd(c, 0x24, 0x00, ref, data, olen + nlen, 0, NULL, NULL, &sw);
	WIPE_BUFFER(data);
	return ret ? ret : pgp_pin_result(c, ref, sw, tries);
}

int pgp_reset_pw1(struct card *c, const char *new_pin)
{
	size_t len;
	int ret = pgp_pin_ok(PGP_PW1, new_pin, &len);

	return ret ? ret : pgp_simple(c, 0x2C, 0x02, 0x81,
				      (const uint8_t *)new_pin, len);
}

int pgp_set_sig_algo_p256(struct card *c)
{
	static const uint8_t attr[9] = {
		0x13, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07
	};

	return pgp_put_data(c, 0x00C1, attr, sizeof(attr));
}

static int pgp_keypair(struct card *c, uint8_t p1, uint8_t pub[65])
{
	static const uint8_t crt_sig[2] = { 0xB6, 0x00 };
	uint8_t buf[PGP_RESP_MAX];
	size_t len = sizeof(buf);
	uint16_t sw;
	int ret;

	ret = pgp_cmd(c, 0x47, p1, 0x00, crt_sig, sizeof(crt_sig), 1, buf, &len,
		      &sw);
	if (!ret)
		ret = pgp_sw_error(sw, NULL);
	if (!ret)
		ret = pgp_parse_pubkey(buf, len, pub);
	return ret;
}

int pgp_generate_sig_key(struct card *c, uint8_t pub[65])
{
	return pgp_keypair(c, 0x80, pub);
}

int pgp_read_sig_key(struct card *c, uint8_t pub[65])
{
	return pgp_keypair(c, 0x81, pub);
}

int pgp_sign(struct card *c, const uint8_t digest[32], uint8_t sig[64])
{
	uint8_t buf[PGP_RESP_MAX];
	size_t len = sizeof(buf);
	uint16_t sw;
	int ret;

	ret = pgp_cmd(c, 0x2A, 0x9E, 0x9A, digest, 32, 1, buf, &len, &sw);
	if (!ret)
		ret = pgp_sw_error(sw, NULL);
	if (!ret && len != 64) {
		err_detail("card answer: signature of %zu bytes, expected 64", len);
		ret = ERR_CARD_PROTO;
	}
	if (!ret)
		memcpy(sig, buf, 64);
	return ret;
}

int pgp_sig_count(struct card *c, uint32_t *count)
{
	uint8_t buf[64];
	const uint8_t *sst, *ctr;
	size_t len = sizeof(buf), slen, clen;
	int ret;

	ret = pgp_get_data(c, 0x007A, buf, &len);
	if (!ret)
		ret = pgp_tlv_only(buf, len, 0x7A, &sst, &slen);
	if (!ret)
		ret = pgp_tlv_need(sst, slen, 0x93, &ctr, &clen, 3);
	if (!ret)
		*count = (uint32_t)ctr[0] << 16 | (uint32_t)ctr[1] << 8 | ctr[2];
	return ret;
}

/* ------------------------------------------- what GnuPG shows of a card */

int pgp_fingerprint_p256(const uint8_t pub[65], uint32_t created,
			 uint8_t fpr[PGP_FPR_LEN])
{
	/* ECDSA (19), then the OID 1.2.840.10045.3.1.7 after its length byte. */
	static const uint8_t algo_oid[10] = {
		0x13, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07
	};
	uint8_t pkt[3 + 5 + sizeof(algo_oid) + 2 + GROUP_POINT_LEN];
	size_t n = 0;

	if (pub[0] != 0x04) {
		err_detail("OpenPGP fingerprint: not an uncompressed P-256 point");
		return ERR_RANGE;
	}
	pkt[n++] = 0x99; /* public-key packet, old format, 2-byte length */
	pkt[n++] = (uint8_t)((sizeof(pkt) - 3) >> 8);
	pkt[n++] = (uint8_t)(sizeof(pkt) - 3);
	pkt[n++] = 0x04; /* version 4 */
	pkt[n++] = (uint8_t)(created >> 24);
	pkt[n++] = (uint8_t)(created >> 16);
	pkt[n++] = (uint8_t)(created >> 8);
	pkt[n++] = (uint8_t)created;
	memcpy(pkt + n, algo_oid, sizeof(algo_oid));
	n += sizeof(algo_oid);
	/* The point as an MPI: its bit count starts at the top bit set of the
	 * 04 prefix, 8 * 65 - 5 = 515. */
	pkt[n++] = 0x02;
	pkt[n++] = 0x03;
	memcpy(pkt + n, pub, GROUP_POINT_LEN);
	return hash_sha1(pkt, sizeof(pkt), fpr);
}

void pgp_fpr_text(const uint8_t fpr[PGP_FPR_LEN], char out[PGP_FPR_TEXT_LEN])
{
	static const char digits[] = "0123456789ABCDEF";
	size_t k = 0;

	for (int i = 0; i < PGP_FPR_LEN; i++) {
		if (i && i % 2 == 0)
			out[k++] = ' ';
		if (i == 10)
			out[k++] = ' ';
		out[k++] = digits[fpr[i] >> 4];
		out[k++] = digits[fpr[i] & 0x0F];
	}
	out[k] = '\0';
}

int pgp_put_sig_key_info(struct card *c, const uint8_t fpr[PGP_FPR_LEN],
			 uint32_t created)
{
	const uint8_t date[4] = { (uint8_t)(created >> 24), (uint8_t)(created >> 16),
				  (uint8_t)(created >> 8), (uint8_t)created };
	int ret = pgp_put_data(c, 0x00C7, fpr, PGP_FPR_LEN);

	return ret ? ret : pgp_put_data(c, 0x00CE, date, sizeof(date));
}

/* One code point of UTF-8 at *s, advancing past it; U+FFFD for a malformed
 * sequence, of which only the first byte is consumed. */
static uint32_t pgp_utf8_next(const char **s)
{
	const uint8_t *p = (const uint8_t *)*s;
	uint32_t cp;
	int more = p[0] >= 0xF0 ? 3 : p[0] >= 0xE0 ? 2 : p[0] >= 0xC0 ? 1 : 0;

	*s += 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] < 0xC2 || p[0] > 0xF4)
		return 0xFFFD;
	cp = p[0] & (0x3F >> more);
	for (int i = 1; i <= more; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*s += more;
	return cp;
}

/*
 * The ASCII of one code point in a name: "" (a combining mark), " " (a
 * separator), or one or two letters. Latin-1 then Latin Extended-A letters
 * lose their marks; '*' in the tables marks a letter written with two (the
 * switch).
 */
static const char *pgp_name_ascii(uint32_t cp, char buf[2])
{
	static const char latin1[] = "AAAAAA*CEEEEIIII" "DNOOOOO?OUUUUY**"
				     "aaaaaa*ceeeeiiii" "dnooooo?ouuuuy*y";
	static const char ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHh"
				    "IiIiIiIiIi**JjKkkLlLlLlLlLlNnNnNnnNnOoOo"
				    "Oo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYy"
				    "YZzZzZzs";

	switch (cp) {
	case 0xC6: return "AE";
	case 0xE6: return "ae";
	case 0xDE: return "TH";
	case 0xFE: return "th";
	case 0xDF: return "ss";
	case 0x132: return "IJ";
	case 0x133: return "ij";
	case 0x152: return "OE";
	case 0x153: return "oe";
	case 0xA0: return " "; /* no-break space */
	case 0x2019: return "'";
	case 0x2010: case 0x2011: return "-";
	}
	buf[1] = '\0';
	if (cp < 0x20 || cp == '<' || cp == 0x7F)
		buf[0] = ' ';
	else if (cp < 0x7F)
		buf[0] = (char)cp;
	else if (cp >= 0x300 && cp <= 0x36F)
		buf[0] = '\0';
	else if (cp >= 0xC0 && cp <= 0xFF)
		buf[0] = latin1[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		buf[0] = ext_a[cp - 0x100];
	else
		buf[0] = '?';
	return buf;
}

/* Appends the name part s to out[*n], each run of separators one '<' and
 * none at either end, stopping at PGP_NAME_MAX bytes. */
static void pgp_name_part(const char *s, char *out, size_t *n)
{
	int gap = 0, any = 0;
	char buf[2];

	while (*s) {
		const char *a = pgp_name_ascii(pgp_utf8_next(&s), buf);

		if (*a == ' ') {
			gap = any;
			continue;
		}
		for (; *a; a++) {
			if (*n + (size_t)gap + 1 > PGP_NAME_MAX)
				return;
			if (gap)
				out[(*n)++] = '<';
			out[(*n)++] = *a;
			gap = 0;
			any = 1;
		}
	}
}

size_t pgp_holder_name(const char *last, const char *first,
		       char out[PGP_NAME_MAX + 1])
{
	size_t n = 0;

	pgp_name_part(last, out, &n);
	for (int i = 0; i < 2 && n < PGP_NAME_MAX; i++)
		out[n++] = '<';
	pgp_name_part(first, out, &n);
	out[n] = '\0';
	return n;
}

/* ------------------------------------------------------- factory reset */

/* Presents wrong PINs until the card says the PIN is blocked. */
static int pgp_block(struct card *c, uint8_t ref)
{
	/* Valid lengths for PW1 and PW3; if the real PIN happens to be the
	 * first, the second one is wrong. */
	static const char *const wrong[2] = { "@@@@@@@@", "@@@@@@@A" };
	unsigned tries;
	uint16_t sw;
	int w = 0, ret;

	for (int i = 0; i < 16; i++) {
		ret = pgp_verify_status(c, ref, &tries);
		if (ret == ERR_PIN_BLOCKED)
			return 0;
		if (ret < 0)
			return ret;
		ret = pgp_cmd(c, 0x20, 0x00, ref, (const uint8_t *)wrong[w], 8, 0,
			      NULL, NULL, &sw);
		if (ret)
			return ret;
		if (sw == 0x6983 || sw == 0x63C0)
			return 0;
		if (sw == 0x9000)
			w ^= 1;
		else if ((sw & 0xFFF0) != 0x63C0 && sw != 0x6982)
			return pgp_sw_error(sw, NULL);
	}
	err_detail("PIN %02X still not blocked after 16 wrong PINs", ref);
	return ERR_CARD_PROTO;
}

int pgp_factory_reset(struct card *c)
{
	int ret;

	ret = pgp_select(c);
	if (ret == ERR_CARD_USED)
		goto activate; /* already terminated */
	if (!ret)
		ret = pgp_block(c, PGP_PW1_SIGN);
	if (!ret)
		ret = pgp_block(c, PGP_PW3);
	if (!ret)
		ret = pgp_simple(c, 0xE6, 0x00, 0x00, NULL, 0); /* TERMINATE DF */
	if (ret)
		return ret;
activate:
	ret = pgp_simple(c, 0x44, 0x00, 0x00, NULL, 0); /* ACTIVATE FILE */
	if (!ret)
		ret = pgp_select(c);
	if (!ret)
		err_clear();
	return ret;
}
