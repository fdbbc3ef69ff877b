/* QR payloads of the PV: writer, strict parser, symbol (libqrencode). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "lib/err.h"
#include "pv/qr.h"

static const char pv_qr_hexdig[] = "0123456789ABCDEF";

/* Appends to out (sticky ERR_RANGE once the text no longer fits). */
struct pv_qr_buf {
	char *s;
	size_t cap, len;
	int err;
};

static void pv_qr_put(struct pv_qr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pv_qr_put(struct pv_qr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->err = ERR_RANGE;
		b->s[b->len] = '\0';
		return;
	}
	b->len += (size_t)n;
}

static void pv_qr_hex(struct pv_qr_buf *b, const char *tag, const uint8_t *d, size_t n)
{
	char hex[2 * 64 + 1];

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = pv_qr_hexdig[d[i] >> 4];
		hex[2 * i + 1] = pv_qr_hexdig[d[i] & 15];
	}
	hex[2 * n] = '\0';
	if (tag)
		pv_qr_put(b, ":%s:%s", tag, hex);
	else
		pv_qr_put(b, ":%s", hex);
}

int pv_qr_payload_hashes(unsigned scrutin, const struct pv_qr_hashes *h, char *out,
			 size_t cap)
{
	struct pv_qr_buf b = { out, cap, 0, 0 };

	if (cap == 0 || scrutin > 65535)
		return ERR_RANGE;
	out[0] = '\0';
	pv_qr_put(&b, "%s:H:%u", PV_QR_MAGIC, scrutin);
	pv_qr_hex(&b, "E", h->election_id, 32);
	pv_qr_hex(&b, "R", h->results, 32);
	pv_qr_hex(&b, "U", h->urn, 32);
	pv_qr_hex(&b, "M", h->emargement, 32);
	pv_qr_hex(&b, "X", h->shuffles, 32);
	pv_qr_hex(&b, "D", h->decrypted, 32);
	pv_qr_hex(&b, "J", h->journal, 32);
	pv_qr_hex(&b, "F", h->firmware, 32);
	return b.err;
}

int pv_qr_payload_signatures(unsigned scrutin, const uint8_t results[32],
			     unsigned n_sigs, const unsigned cards[],
			     const uint8_t (*sigs)[64], char *out, size_t cap)
{
	struct pv_qr_buf b = { out, cap, 0, 0 };

	if (cap == 0 || scrutin > 65535 || n_sigs < 1 || n_sigs > PV_QR_MAX_SIGS)
		return ERR_RANGE;
	for (unsigned i = 0; i < n_sigs; i++)
		if (cards[i] < 1 || cards[i] > PV_QR_MAX_SIGS ||
		    (i > 0 && cards[i] <= cards[i - 1]))
			return ERR_RANGE;
	out[0] = '\0';
	pv_qr_put(&b, "%s:S:%u", PV_QR_MAGIC, scrutin);
	pv_qr_hex(&b, "R", results, 32);
	for (unsigned i = 0; i < n_sigs; i++) {
		pv_qr_put(&b, ":%u", cards[i]);
		pv_qr_hex(&b, NULL, sigs[i], 64);
	}
	return b.err;
}

/* ---- parser ------------------------------------------------------------ */

struct pv_qr_cur {
	const char *p;
	const char *start;
};

static int pv_qr_bad(const struct pv_qr_cur *c, const char *what)
{
	err_detail("QR payload, character %zu: %s", (size_t)(c->p - c->start) + 1, what);
	return ERR_FORMAT;
}

static int pv_qr_lit(struct pv_qr_cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(c->p, lit, n) != 0)
		return pv_qr_bad(c, "unexpected text");
	c->p += n;
	return 0;
}

/* Decimal without leading zeros, at most max. */
static int pv_qr_num(struct pv_qr_cur *c, unsigned max, unsigned *out)
{
	unsigned long v = 0;
	size_t n = 0;

	while (c->p[n] >= '0' && c->p[n] <= '9' && n < 6)
		v = v * 10 + (unsigned long)(c->p[n++] - '0');
	if (n == 0 || (n > 1 && c->p[0] == '0'))
		return pv_qr_bad(c, "expected a number without leading zeros");
	if (v > max || (c->p[n] >= '0' && c->p[n] <= '9'))
		return pv_qr_bad(c, "number out of range");
	c->p += n;
	*out = (unsigned)v;
	return 0;
}

static int pv_qr_nibble(char ch)
{
	const char *d = ch ? strchr(pv_qr_hexdig, ch) : NULL;

	return d ? (int)(d - pv_qr_hexdig) : -1;
}

/* Exactly 2n upper-case hex digits. */
static int pv_qr_hexin(struct pv_qr_cur *c, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = pv_qr_nibble(c->p[2 * i]);
		int lo = hi < 0 ? -1 : pv_qr_nibble(c->p[2 * i + 1]);

		if (lo < 0)
			return pv_qr_bad(c, "expected upper-case hex digits");
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	c->p += 2 * n;
	return 0;
}

static int pv_qr_field(struct pv_qr_cur *c, const char *tag, uint8_t out[32])
{
	char lit[8];
	int ret;

	snprintf(lit, sizeof(lit), ":%s:", tag);
	ret = pv_qr_lit(c, lit);
	return ret ? ret : pv_qr_hexin(c, out, 32);
}

static int pv_qr_parse_hashes(struct pv_qr_cur *c, struct pv_qr *q)
{
	static const char *const tags[8] = { "E", "R", "U", "M", "X", "D", "J", "F" };
	uint8_t *dst[8] = { q->h.election_id, q->h.results, q->h.urn, q->h.emargement,
			    q->h.shuffles, q->h.decrypted, q->h.journal, q->h.firmware };
	int ret = 0;

	for (unsigned i = 0; !ret && i < 8; i++)
		ret = pv_qr_field(c, tags[i], dst[i]);
	if (!ret)
		memcpy(q->results, q->h.results, 32);
	return ret;
}

static int pv_qr_parse_sigs(struct pv_qr_cur *c, struct pv_qr *q)
{
	int ret = pv_qr_field(c, "R", q->results);

	while (!ret && *c->p == ':') {
		unsigned card;

		if (q->n_sigs == PV_QR_MAX_SIGS)
			return pv_qr_bad(c, "more than 9 signatures");
		c->p++;
		ret = pv_qr_num(c, PV_QR_MAX_SIGS, &card);
		if (!ret && (card == 0 || (q->n_sigs && card <= q->sigs[q->n_sigs - 1].card)))
			ret = pv_qr_bad(c, "cards must be 1..9, increasing");
		if (!ret)
			ret = pv_qr_lit(c, ":");
		if (!ret)
			ret = pv_qr_hexin(c, q->sigs[q->n_sigs].sig, 64);
		if (!ret)
			q->sigs[q->n_sigs++].card = card;
	}
	if (!ret && q->n_sigs == 0)
		ret = pv_qr_bad(c, "no signature");
	return ret;
}

int pv_qr_parse(const char *text, struct pv_qr *out)
{
	struct pv_qr_cur c = { text, text };
	struct pv_qr q;
	int ret;

	memset(&q, 0, sizeof(q));
	if (strnlen(text, PV_QR_TEXT_MAX) >= PV_QR_TEXT_MAX)
		return pv_qr_bad(&c, "too long");
	ret = pv_qr_lit(&c, PV_QR_MAGIC ":");
	if (!ret && c.p[0] == 'H' && c.p[1] == ':')
		q.kind = PV_QR_HASHES;
	else if (!ret && c.p[0] == 'S' && c.p[1] == ':')
		q.kind = PV_QR_SIGNATURES;
	else if (!ret)
		ret = pv_qr_bad(&c, "expected H or S");
	if (!ret) {
		c.p += 2;
		ret = pv_qr_num(&c, 65535, &q.scrutin);
	}
	if (!ret)
		ret = q.kind == PV_QR_HASHES ? pv_qr_parse_hashes(&c, &q)
					     : pv_qr_parse_sigs(&c, &q);
	if (!ret && *c.p)
		ret = pv_qr_bad(&c, "unexpected text after the payload");
	if (!ret)
		*out = q;
	return ret;
}

/* ---- symbol -------------------------------------------------------------- */

int pv_qr_encode(const char *payload, unsigned *width, uint8_t **modules)
{
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
	QRcode *qr = NULL;
	uint8_t *m = NULL;
	size_t n;
	int ret = in ? 0 : ERR_NOMEM;

	*modules = NULL;
	if (!ret && QRinput_append(in, QR_MODE_AN, (int)strlen(payload),
				   (const unsigned char *)payload) != 0) {
		err_detail("QR payload outside the alphanumeric set");
		ret = ERR_FORMAT;
	}
	if (!ret) {
		qr = QRcode_encodeInput(in);
		ret = qr ? 0 : ERR_RANGE;
	}
	if (ret)
		goto out;
	n = (size_t)qr->width * (size_t)qr->width;
	m = malloc(n);
	if (!m) {
		ret = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		m[i] = qr->data[i] & 1;
	*width = (unsigned)qr->width;
	*modules = m;
out:
	QRcode_free(qr);
	QRinput_free(in);
	return ret;
}
