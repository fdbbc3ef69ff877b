/*
 * The card side of T=1 in the simulated reader: reassembles the host's
 * I-block chain, runs the APDU on the simulated card, and chains the answer
 * back in blocks of at most IFSD bytes. It acknowledges, retransmits on an
 * R-block, answers S(IFS) and S(RESYNCH), and injects the faults of the
 * options (S(WTX) requests, corrupted blocks either way, a pull at the
 * N-th block).
 */
#include <stdio.h>
#include <string.h>

#include "sim/ccid_sim_int.h"
#include "sim/card_sim.h"
#include "lib/err.h"
#include "crypto/secmem.h"

void ccid_sim_t1_reset(struct ccid_sim_slot *sl)
{
	sl->ns = 0;
	sl->nr = 0;
	sl->ifsd = 32;
	sl->cmd_len = 0;
	sl->resp_len = 0;
	sl->resp_off = 0;
	sl->chunk = 0;
	sl->last_n = 0;
	sl->pending_n = 0;
}

/* A block leaves the card: counted, maybe corrupted on the wire. */
static void ccid_sim_t1_wire(struct ccid_sim *sim, uint8_t *out, size_t outn)
{
	sim->blocks_out++;
	if (sim->o.corrupt_at && sim->blocks_out >= sim->o.corrupt_at &&
	    sim->blocks_out < sim->o.corrupt_at + sim->o.corrupt_count)
		out[outn - 1] ^= 0x5A;
}

/* Sends a block, remembered for retransmission. */
static void ccid_sim_t1_send(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			     uint8_t pcb, const uint8_t *inf, size_t len,
			     uint8_t *out, size_t *outn)
{
	sl->last_n = ccid_t1_frame(sim->o.crc, 0, pcb, inf, len, sl->last);
	memcpy(out, sl->last, sl->last_n);
	*outn = sl->last_n;
	ccid_sim_t1_wire(sim, out, *outn);
}

static void ccid_sim_t1_resend(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			       uint8_t *out, size_t *outn)
{
	memcpy(out, sl->last, sl->last_n);
	*outn = sl->last_n;
	ccid_sim_t1_wire(sim, out, *outn);
}

/* An R-block; one reporting an error is not remembered: a retransmission
 * the host asks for next is of the card's last I-block or R(ack). */
static void ccid_sim_t1_r(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			  uint8_t err, uint8_t *out, size_t *outn)
{
	uint8_t pcb = (uint8_t)(CCID_T1_R | (sl->nr ? CCID_T1_R_NR : 0) | err);

	if (!err || !sl->last_n) {
		ccid_sim_t1_send(sim, sl, pcb, NULL, 0, out, outn);
		return;
	}
	*outn = ccid_t1_frame(sim->o.crc, 0, pcb, NULL, 0, out);
	ccid_sim_t1_wire(sim, out, *outn);
}

/* The next block of the answer, preceded by S(WTX) when planned. */
static void ccid_sim_t1_answer(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			       uint8_t *out, size_t *outn)
{
	size_t left = sl->resp_len - sl->resp_off;
	uint8_t pcb, one = 1;

	sl->chunk = left > sl->ifsd ? sl->ifsd : left;
	pcb = (uint8_t)((sl->ns ? CCID_T1_I_NS : 0) |
			(left > sl->chunk ? CCID_T1_I_MORE : 0));
	if (sim->o.wtxstorm ||
	    (sim->o.wtx_every && ++sim->wtx_count % sim->o.wtx_every == 0)) {
		sl->pending_n = ccid_t1_frame(sim->o.crc, 0, pcb,
					      sl->resp + sl->resp_off, sl->chunk,
					      sl->pending);
		ccid_sim_t1_send(sim, sl, CCID_T1_S | CCID_T1_S_WTX, &one, 1,
				 out, outn);
		return;
	}
	ccid_sim_t1_send(sim, sl, pcb, sl->resp + sl->resp_off, sl->chunk, out,
			 outn);
	sl->ns ^= 1;
}

/* rack, rsame: the APDU ran, but the card answers with an R-block. */
static void ccid_sim_t1_fake_r(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			       uint8_t *out, size_t *outn)
{
	sl->ns ^= 1; /* its I-block never left */
	if (sim->blocks_in == sim->o.rsame_at)
		sl->nr ^= 1; /* and it forgets the command */
	ccid_sim_t1_r(sim, sl, 0, out, outn);
}

/* The host's chain is complete: run the APDU. */
static int ccid_sim_t1_run(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			   uint8_t *out, size_t *outn)
{
	int ret;

	sl->resp_len = sizeof(sl->resp);
	ret = ccid_sim_apdu(sl, sl->cmd, sl->cmd_len, sl->resp, &sl->resp_len);
	secmem_wipe(sl->cmd, sizeof(sl->cmd));
	sl->cmd_len = 0;
	if (ret)
		return ret;
	sl->resp_off = 0;
	if (sim->blocks_in == sim->o.rack_at || sim->blocks_in == sim->o.rsame_at)
		ccid_sim_t1_fake_r(sim, sl, out, outn);
	else
		ccid_sim_t1_answer(sim, sl, out, outn);
	return 0;
}

static int ccid_sim_t1_on_i(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			    const struct ccid_t1_block *b, uint8_t *out,
			    size_t *outn)
{
	uint8_t ns = (b->pcb & CCID_T1_I_NS) ? 1 : 0;

	if (ns != sl->nr || b->len > sizeof(sl->cmd) - sl->cmd_len) {
		ccid_sim_t1_r(sim, sl, 2, out, outn);
		return 0;
	}
	/* A new command: whatever answer was left is dropped. */
	sl->resp_len = 0;
	sl->resp_off = 0;
	memcpy(sl->cmd + sl->cmd_len, b->inf, b->len);
	sl->cmd_len += b->len;
	sl->nr ^= 1;
	if (b->pcb & CCID_T1_I_MORE) {
		ccid_sim_t1_r(sim, sl, 0, out, outn);
		return 0;
	}
	return ccid_sim_t1_run(sim, sl, out, outn);
}

static void ccid_sim_t1_on_r(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			     const struct ccid_t1_block *b, uint8_t *out,
			     size_t *outn)
{
	uint8_t nr = (b->pcb & CCID_T1_R_NR) ? 1 : 0;

	if (nr == sl->ns && sl->chunk &&
	    sl->resp_off + sl->chunk < sl->resp_len) {
		sl->resp_off += sl->chunk; /* our last I-block acknowledged */
		ccid_sim_t1_answer(sim, sl, out, outn);
		return;
	}
	ccid_sim_t1_resend(sim, sl, out, outn);
}

static void ccid_sim_t1_on_s(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			     const struct ccid_t1_block *b, uint8_t *out,
			     size_t *outn)
{
	uint8_t type = b->pcb & 0x1F;

	if (b->pcb == (CCID_T1_S | CCID_T1_S_RESP | CCID_T1_S_WTX) &&
	    sl->pending_n && sim->o.wtxstorm) {
		ccid_sim_t1_send(sim, sl, CCID_T1_S | CCID_T1_S_WTX, b->inf, 1,
				 out, outn);
		return;
	}
	if (b->pcb == (CCID_T1_S | CCID_T1_S_RESP | CCID_T1_S_WTX) &&
	    sl->pending_n) {
		memcpy(sl->last, sl->pending, sl->pending_n);
		sl->last_n = sl->pending_n;
		sl->pending_n = 0;
		sl->ns ^= 1;
		ccid_sim_t1_resend(sim, sl, out, outn);
		return;
	}
	if (b->pcb & CCID_T1_S_RESP) {
		ccid_sim_t1_r(sim, sl, 2, out, outn);
		return;
	}
	if (type == CCID_T1_S_RESYNCH)
		ccid_sim_t1_reset(sl);
	if (type == CCID_T1_S_IFS)
		sl->ifsd = b->inf[0];
	ccid_sim_t1_send(sim, sl, (uint8_t)(b->pcb | CCID_T1_S_RESP), b->inf,
			 b->len, out, outn);
}

/* The pullblock fault: the card leaves the slot as it gets a block. */
static int ccid_sim_t1_pull(struct ccid_sim_slot *sl)
{
	char from[CARD_SIM_PATH_MAX], to[CARD_SIM_PATH_MAX];

	if (card_sim_path(from, sizeof(from), sl->dir, CARD_SIM_CARD_FILE) ||
	    card_sim_path(to, sizeof(to), sl->dir, CARD_SIM_PULLED_FILE))
		return ERR_RANGE;
	rename(from, to);
	err_detail("%s: card pulled in the middle of a T=1 exchange", sl->dir);
	return ERR_CARD_ABSENT;
}

/* emptychain: an empty chained I-block for every I- or R-block; 0 if
 * sent, 1 if b is not for it, ERR_CARD_ABSENT when the card gives up. */
static int ccid_sim_t1_empty(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			     const struct ccid_t1_block *b, uint8_t *out,
			     size_t *outn)
{
	if (!sim->o.emptychain || b->kind == CCID_T1_SBLOCK ||
	    (b->kind == CCID_T1_IBLOCK && (b->pcb & CCID_T1_I_MORE)))
		return 1;
	if (++sim->empty_count > 1000) {
		err_detail("%s: the card gave up chaining empty blocks", sl->dir);
		return ERR_CARD_ABSENT;
	}
	ccid_sim_t1_send(sim, sl, (uint8_t)((sl->ns ? CCID_T1_I_NS : 0) |
					    CCID_T1_I_MORE), NULL, 0, out, outn);
	sl->ns ^= 1;
	return 0;
}

/* A well-formed block from the host. */
static int ccid_sim_t1_dispatch(struct ccid_sim *sim, struct ccid_sim_slot *sl,
				const struct ccid_t1_block *b, uint8_t *out,
				size_t *outn)
{
	int ret = ccid_sim_t1_empty(sim, sl, b, out, outn);

	if (ret != 1)
		return ret;
	if (b->kind == CCID_T1_IBLOCK)
		return ccid_sim_t1_on_i(sim, sl, b, out, outn);
	if (b->kind == CCID_T1_RBLOCK)
		ccid_sim_t1_on_r(sim, sl, b, out, outn);
	else
		ccid_sim_t1_on_s(sim, sl, b, out, outn);
	return 0;
}

int ccid_sim_t1_block(struct ccid_sim *sim, struct ccid_sim_slot *sl,
		      const uint8_t *blk, size_t n, uint8_t *out, size_t *outn)
{
	struct ccid_t1_block b;
	int ret = 0;

	if (++sim->blocks_in == sim->o.pull_block)
		return ccid_sim_t1_pull(sl);
	/* hostcorrupt: the block arrives damaged, as by a bad contact */
	if (sim->o.hcorrupt_at && sim->blocks_in >= sim->o.hcorrupt_at &&
	    sim->blocks_in < sim->o.hcorrupt_at + sim->o.hcorrupt_count)
		ccid_sim_t1_r(sim, sl, 1, out, outn);
	else if (ccid_t1_parse(sim->o.crc, blk, n, &b) != 0 || b.nad != 0)
		ccid_sim_t1_r(sim, sl, 1, out, outn);
	else
		ret = ccid_sim_t1_dispatch(sim, sl, &b, out, outn);
	secmem_wipe(&b, sizeof(b));
	return ret;
}
