/*
 * T=1 block framing and the block exchange of one APDU. transceive() runs
 * a small loop: send the current block, look at the answer, decide the
 * next block. The card's S-requests (WTX, IFS) are answered below that
 * loop, in ccid_t1_exchange(), so that the loop only sees I- and R-blocks.
 */
#include <string.h>
#include <time.h>

#include "card/ccid_t1.h"
#include "lib/cancel.h"
#include "lib/err.h"
#include "crypto/secmem.h"

#define CCID_T1_BAD 1 /* a block that fails parsing: not an ERR_* code */

size_t ccid_t1_edc_len(int crc)
{
	return crc ? 2 : 1;
}

uint8_t ccid_t1_lrc(const uint8_t *p, size_t n)
{
	uint8_t x = 0;

	while (n--)
		x ^= *p++;
	return x;
}

/* ISO/IEC 13239 CRC-16 (reflected 0x1021, preset FFFF, complemented). */
uint16_t ccid_t1_crc(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0x8408) :
					  (uint16_t)(crc >> 1);
	}
	return (uint16_t)~crc;
}

size_t ccid_t1_frame(int crc, uint8_t nad, uint8_t pcb, const uint8_t *inf,
		     size_t len, uint8_t *out)
{
	size_t n = 3 + len;

	out[0] = nad;
	out[1] = pcb;
	out[2] = (uint8_t)len;
	if (len)
		memcpy(out + 3, inf, len);
	if (crc) {
		uint16_t c = ccid_t1_crc(out, n);

		out[n++] = (uint8_t)(c >> 8);
		out[n++] = (uint8_t)c;
	} else {
		out[n] = ccid_t1_lrc(out, n);
		n++;
	}
	return n;
}

static int ccid_t1_edc_ok(int crc, const uint8_t *buf, size_t n)
{
	if (crc) {
		uint16_t c = ccid_t1_crc(buf, n - 2);

		return buf[n - 2] == (uint8_t)(c >> 8) && buf[n - 1] == (uint8_t)c;
	}
	return ccid_t1_lrc(buf, n - 1) == buf[n - 1];
}

/* PCB and LEN rules of §11.3.2: 0 if the block is well-formed. */
static int ccid_t1_pcb_ok(uint8_t pcb, size_t len, enum ccid_t1_kind *kind)
{
	if (!(pcb & 0x80)) {
		*kind = CCID_T1_IBLOCK;
		return (pcb & 0x1F) == 0 ? 0 : -1;
	}
	if ((pcb & 0xC0) == CCID_T1_R) {
		*kind = CCID_T1_RBLOCK;
		return (pcb & 0x2C) == 0 && (pcb & 0x03) != 3 && len == 0 ? 0 : -1;
	}
	*kind = CCID_T1_SBLOCK;
	switch (pcb & 0x1F) {
	case CCID_T1_S_RESYNCH:
	case CCID_T1_S_ABORT:
		return len == 0 ? 0 : -1;
	case CCID_T1_S_IFS:
	case CCID_T1_S_WTX:
		return len == 1 ? 0 : -1;
	default:
		return -1;
	}
}

int ccid_t1_parse(int crc, const uint8_t *buf, size_t n, struct ccid_t1_block *b)
{
	size_t edc = ccid_t1_edc_len(crc);

	memset(b, 0, sizeof(*b));
	if (n < 3 + edc || n > CCID_T1_BLOCK_MAX) {
		err_detail("T=1: block of %zu bytes", n);
		return ERR_FORMAT;
	}
	if (buf[2] > CCID_T1_INF_MAX || n != 3 + (size_t)buf[2] + edc) {
		err_detail("T=1: LEN %u in a block of %zu bytes", buf[2], n);
		return ERR_FORMAT;
	}
	if (!ccid_t1_edc_ok(crc, buf, n)) {
		err_detail("T=1: wrong %s", crc ? "CRC" : "LRC");
		return ERR_FORMAT;
	}
	if (ccid_t1_pcb_ok(buf[1], buf[2], &b->kind) != 0) {
		err_detail("T=1: invalid PCB %02X with LEN %u", buf[1], buf[2]);
		return ERR_FORMAT;
	}
	b->nad = buf[0];
	b->pcb = buf[1];
	b->len = buf[2];
	memcpy(b->inf, buf + 3, b->len);
	return 0;
}

void ccid_t1_init(struct ccid_t1 *t, const struct ccid_atr *atr)
{
	t->crc = atr->edc_crc;
	t->ifsc = atr->ifsc;
	t->ifsd = 32; /* ISO default until S(IFS) */
	t->ns = 0;
	t->nr = 0;
	t->wtx = 0;
	t->broken = 0;
	t->deadline = 0;
}

static uint64_t ccid_t1_now(const struct ccid_t1 *t)
{
	struct timespec ts;

	if (t->now_ms)
		return t->now_ms(t->arg);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Before every block: the operator's cancel and the exchange's deadline. */
static int ccid_t1_may_send(const struct ccid_t1 *t)
{
	if (cancel_requested) {
		err_detail("T=1: cancelled between two blocks");
		return ERR_CANCELLED;
	}
	if (t->deadline && ccid_t1_now(t) >= t->deadline) {
		err_detail("T=1: the card did not complete the command within "
			   "%u s", CCID_T1_DEADLINE_MS / 1000u);
		return ERR_IO;
	}
	return 0;
}

/* One block out, one well-formed block back, or CCID_T1_BAD. */
static int ccid_t1_xfr(struct ccid_t1 *t, const uint8_t *blk, size_t n,
		       struct ccid_t1_block *rx)
{
	uint8_t resp[CCID_T1_BLOCK_MAX + 1];
	size_t rn = 0;
	uint8_t wtx = t->wtx;
	int ret;

	t->wtx = 0;
	ret = ccid_t1_may_send(t);
	if (ret)
		return ret;
	ret = t->xfr(t->arg, blk, n, wtx, resp, sizeof(resp), &rn);
	if (ret)
		return ret;
	ret = ccid_t1_parse(t->crc, resp, rn, rx);
	WIPE_BUFFER(resp);
	if (ret)
		return CCID_T1_BAD;
	if (rx->nad != 0) {
		err_detail("T=1: NAD %02X from the card", rx->nad);
		return CCID_T1_BAD;
	}
	return 0;
}

/* Answers a card's S(WTX) or S(IFS) request; 1 if rx was not one. */
static int ccid_t1_s_request(struct ccid_t1 *t, const struct ccid_t1_block *rx,
			     uint8_t *tx, size_t *tn)
{
	uint8_t type = rx->pcb & 0x1F;

	if (rx->kind != CCID_T1_SBLOCK || (rx->pcb & CCID_T1_S_RESP))
		return 1;
	if (type == CCID_T1_S_WTX) {
		t->wtx = rx->inf[0];
		t->n_wtx++;
	} else if (type == CCID_T1_S_IFS) {
		if (rx->inf[0] == 0 || rx->inf[0] == 0xFF)
			return 1;
		t->ifsc = rx->inf[0];
		t->n_ifs++;
	} else {
		return 1;
	}
	*tn = ccid_t1_frame(t->crc, 0, (uint8_t)(rx->pcb | CCID_T1_S_RESP),
			    rx->inf, 1, tx);
	return 0;
}

/*
 * Sends tx and returns the card's next block that is not an S-request it
 * made (those are answered here). 0, CCID_T1_BAD or an ERR_* code.
 */
static int ccid_t1_exchange(struct ccid_t1 *t, const uint8_t *tx, size_t tn,
			    struct ccid_t1_block *rx)
{
	uint8_t sresp[8];
	size_t sn;
	int ret;

	ret = ccid_t1_xfr(t, tx, tn, rx);
	for (unsigned i = 0; !ret && i < CCID_T1_SREQ_MAX; i++) {
		if (ccid_t1_s_request(t, rx, sresp, &sn) != 0)
			return 0;
		ret = ccid_t1_xfr(t, sresp, sn, rx);
	}
	if (!ret) {
		err_detail("T=1: the card keeps sending S-requests");
		return ERR_CARD_PROTO;
	}
	return ret;
}

/* S(RESYNCH), then the command is abandoned; why: the reason, logged. */
static int ccid_t1_resynch(struct ccid_t1 *t, const char *why, int *synced)
{
	struct ccid_t1_block rx;
	uint8_t tx[8];
	size_t tn;
	int ret;

	t->n_resynch++;
	tn = ccid_t1_frame(t->crc, 0, CCID_T1_S | CCID_T1_S_RESYNCH, NULL, 0, tx);
	for (int i = 0; i < CCID_T1_ERRORS_MAX; i++) {
		ret = ccid_t1_exchange(t, tx, tn, &rx);
		if (ret < 0)
			return ret;
		if (ret == 0 && rx.kind == CCID_T1_SBLOCK &&
		    rx.pcb == (CCID_T1_S | CCID_T1_S_RESP | CCID_T1_S_RESYNCH)) {
			t->ns = 0;
			t->nr = 0;
			*synced = 1;
			err_detail("T=1: %s; link resynchronised, command "
				   "abandoned (the card may have run it)", why);
			return ERR_CARD_PROTO;
		}
	}
	t->broken = 1;
	err_detail("T=1: the card does not answer resynchronisation");
	return ERR_CARD_PROTO;
}

static int ccid_t1_ifs(struct ccid_t1 *t, uint8_t ifsd)
{
	struct ccid_t1_block rx;
	uint8_t tx[8];
	size_t tn;
	int ret;

	tn = ccid_t1_frame(t->crc, 0, CCID_T1_S | CCID_T1_S_IFS, &ifsd, 1, tx);
	for (int i = 0; i < CCID_T1_ERRORS_MAX; i++) {
		ret = ccid_t1_exchange(t, tx, tn, &rx);
		if (ret < 0)
			return ret;
		if (ret == 0 && rx.kind == CCID_T1_SBLOCK &&
		    rx.pcb == (CCID_T1_S | CCID_T1_S_RESP | CCID_T1_S_IFS) &&
		    rx.inf[0] == ifsd) {
			t->ifsd = ifsd;
			return 0;
		}
		t->n_retries++;
	}
	err_detail("T=1: the card does not accept IFSD %u", ifsd);
	return ERR_CARD_PROTO;
}

int ccid_t1_negotiate_ifsd(struct ccid_t1 *t, uint8_t ifsd)
{
	int ret;

	if (ifsd == 0 || ifsd > CCID_T1_INF_MAX)
		return ERR_INTERNAL;
	t->deadline = ccid_t1_now(t) + CCID_T1_DEADLINE_MS;
	ret = ccid_t1_ifs(t, ifsd);
	t->deadline = 0;
	return ret;
}

/* Where one APDU exchange stands. */
struct ccid_t1_run {
	const uint8_t *capdu;
	size_t clen, off, chunk;
	int sending;  /* our last I-block is not acknowledged yet */
	uint8_t last_i[CCID_T1_BLOCK_MAX], last_r[8];
	size_t last_in, last_rn;
	const uint8_t *tx; /* last_i or last_r: the block to send next */
	size_t tn;
	uint8_t *rapdu;
	size_t cap, got;
	unsigned errors;
	int done;
	int synced; /* resynchronised: the link is good, the command lost */
};

static int ccid_t1_more(const struct ccid_t1_run *r)
{
	return r->off + r->chunk < r->clen;
}

static void ccid_t1_next_i(struct ccid_t1 *t, struct ccid_t1_run *r)
{
	uint8_t pcb;

	r->chunk = r->clen - r->off;
	if (r->chunk > t->ifsc)
		r->chunk = t->ifsc;
	pcb = (uint8_t)((t->ns ? CCID_T1_I_NS : 0) |
			(ccid_t1_more(r) ? CCID_T1_I_MORE : 0));
	r->last_in = ccid_t1_frame(t->crc, 0, pcb, r->capdu + r->off, r->chunk,
				   r->last_i);
	r->tx = r->last_i;
	r->tn = r->last_in;
	r->sending = 1;
}

static void ccid_t1_send_r(struct ccid_t1 *t, struct ccid_t1_run *r, uint8_t err)
{
	uint8_t pcb = (uint8_t)(CCID_T1_R | (t->nr ? CCID_T1_R_NR : 0) | err);

	r->last_rn = ccid_t1_frame(t->crc, 0, pcb, NULL, 0, r->last_r);
	r->tx = r->last_r;
	r->tn = r->last_rn;
}

/* A bad or unexpected block: R-block (resend 0), our last I-block if
 * sending or R-block (resend 1), the last block as it is (resend 2); or
 * resynch at the limit. */
static int ccid_t1_error(struct ccid_t1 *t, struct ccid_t1_run *r, uint8_t err,
			 int resend)
{
	t->n_retries++;
	if (++r->errors >= CCID_T1_ERRORS_MAX)
		return ccid_t1_resynch(t, "too many transmission errors",
				       &r->synced);
	if (!resend) {
		ccid_t1_send_r(t, r, err);
	} else if (resend == 2) {
		return 0;
	} else if (r->sending) {
		r->tx = r->last_i;
		r->tn = r->last_in;
	} else {
		r->tx = r->last_r;
		r->tn = r->last_rn;
	}
	return 0;
}

/* Rules in ccid_t1.h: the last I-block of a command is resent only when
 * the card says it received it damaged. */
static int ccid_t1_on_r(struct ccid_t1 *t, struct ccid_t1_run *r,
			const struct ccid_t1_block *rx)
{
	uint8_t nr = (rx->pcb & CCID_T1_R_NR) ? 1 : 0;
	int damaged = (rx->pcb & 0x03) != 0;

	if (!r->sending) /* our R-block again (rule 7.2) */
		return ccid_t1_error(t, r, 0, 1);
	if (ccid_t1_more(r) && nr != t->ns) {
		t->ns ^= 1;
		r->off += r->chunk;
		r->errors = 0;
		ccid_t1_next_i(t, r);
		return 0;
	}
	if (nr == t->ns && (ccid_t1_more(r) || damaged))
		return ccid_t1_error(t, r, 0, 1);
	/* The card got our I-block, not our R-block since (rule 7.2). */
	if (nr != t->ns && damaged && r->tx == r->last_r)
		return ccid_t1_error(t, r, 0, 2);
	t->n_retries++;
	return ccid_t1_resynch(t, nr != t->ns ?
			       "the card acknowledged the command with an R-block" :
			       "the card asked for the command again without an error",
			       &r->synced);
}

static int ccid_t1_on_i(struct ccid_t1 *t, struct ccid_t1_run *r,
			const struct ccid_t1_block *rx)
{
	uint8_t ns = (rx->pcb & CCID_T1_I_NS) ? 1 : 0;

	if ((r->sending && ccid_t1_more(r)) || ns != t->nr)
		return ccid_t1_error(t, r, 2, 0);
	/* A chained block with nothing in it: invalid (it would let a card
	 * chain forever without ever making progress). */
	if ((rx->pcb & CCID_T1_I_MORE) && rx->len == 0)
		return ccid_t1_error(t, r, 2, 0);
	if (r->sending) {
		t->ns ^= 1; /* the card's I-block acknowledges ours */
		r->sending = 0;
	}
	if (rx->len > r->cap - r->got) {
		t->broken = 1;
		err_detail("T=1: response longer than %zu bytes", r->cap);
		return ERR_CARD_PROTO;
	}
	memcpy(r->rapdu + r->got, rx->inf, rx->len);
	r->got += rx->len;
	t->nr ^= 1;
	r->errors = 0;
	if (rx->pcb & CCID_T1_I_MORE)
		ccid_t1_send_r(t, r, 0);
	else
		r->done = 1;
	return 0;
}

static int ccid_t1_on_s(struct ccid_t1 *t, struct ccid_t1_run *r,
			const struct ccid_t1_block *rx)
{
	if (rx->pcb == (CCID_T1_S | CCID_T1_S_ABORT)) {
		err_detail("T=1: the card aborted the exchange");
		t->broken = 1;
		return ERR_CARD_PROTO;
	}
	return ccid_t1_error(t, r, 2, 0);
}

static int ccid_t1_step(struct ccid_t1 *t, struct ccid_t1_run *r)
{
	struct ccid_t1_block rx;
	int ret;

	t->n_blocks++;
	ret = ccid_t1_exchange(t, r->tx, r->tn, &rx);
	if (ret == CCID_T1_BAD)
		ret = ccid_t1_error(t, r, 1, 0);
	else if (ret == 0 && rx.kind == CCID_T1_RBLOCK)
		ret = ccid_t1_on_r(t, r, &rx);
	else if (ret == 0 && rx.kind == CCID_T1_IBLOCK)
		ret = ccid_t1_on_i(t, r, &rx);
	else if (ret == 0)
		ret = ccid_t1_on_s(t, r, &rx);
	secmem_wipe(&rx, sizeof(rx));
	return ret;
}

/*
 * Every I-block either way carries at least one byte, but the last (chained
 * empty blocks are refused); a card may chain blocks shorter than IFSD, so
 * the bound counts bytes, not IFSD-sized blocks. Between two useful blocks
 * come fewer than CCID_T1_ERRORS_MAX bad ones, then a resynch ends it all.
 */
unsigned ccid_t1_blocks_max(size_t clen, size_t rcap)
{
	return (unsigned)(clen + rcap + 3) * CCID_T1_ERRORS_MAX;
}

static int ccid_t1_run_blocks(struct ccid_t1 *t, struct ccid_t1_run *r)
{
	unsigned max = ccid_t1_blocks_max(r->clen, r->cap);
	int ret = 0;

	ccid_t1_next_i(t, r);
	for (unsigned i = 0; !ret && !r->done; i++) {
		if (i == max) {
			err_detail("T=1: more than %u blocks for one APDU", max);
			return ERR_CARD_PROTO;
		}
		ret = ccid_t1_step(t, r);
	}
	return ret;
}

int ccid_t1_transceive(struct ccid_t1 *t, const uint8_t *capdu, size_t clen,
		       uint8_t *rapdu, size_t *rlen)
{
	struct ccid_t1_run r;
	int ret;

	if (t->broken) {
		err_detail("T=1: link lost; the card must be reset");
		return ERR_CARD_PROTO;
	}
	memset(&r, 0, sizeof(r));
	r.capdu = capdu;
	r.clen = clen;
	r.rapdu = rapdu;
	r.cap = *rlen;
	t->deadline = ccid_t1_now(t) + CCID_T1_DEADLINE_MS;
	ret = ccid_t1_run_blocks(t, &r);
	t->deadline = 0;
	if (!ret)
		*rlen = r.got;
	else if (ret < 0 && !r.synced)
		t->broken = 1; /* N(S)/N(R) may not match the card's */
	secmem_wipe(&r, sizeof(r));
	return ret;
}
