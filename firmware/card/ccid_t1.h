/*
 * The T=1 block protocol (ISO/IEC 7816-3 §11) for CCID readers that
 * exchange TPDUs: blocks are framed here and carried by one callback, the
 * reader's XfrBlock. What is supported: NAD 0, LRC or CRC as the ATR says,
 * chaining in both directions, IFSD negotiation (S(IFS request) after
 * power-on), card IFS requests, S(WTX), R-blocks on a bad block and
 * retransmission on the card's request. After CCID_T1_ERRORS_MAX errors in
 * a row the link is resynchronised (S(RESYNCH)) and the command abandoned
 * with ERR_CARD_PROTO: it is never re-sent, since the card may have run it.
 *
 * When our last block may be sent again (ISO/IEC 7816-3 §11.6, error
 * handling, rules 7.1 and 7.2):
 *  - a chained I-block (M=1): on any R-block with N(R) = its N(S); the card
 *    runs nothing before the last block of the chain;
 *  - the last (unchained) I-block, which makes the card run the command
 *    (VERIFY, PSO:CDS, PUT DATA are not idempotent): only on an R-block
 *    with N(R) = its N(S) AND an error bit set (rule 7.1: the card says it
 *    received that block damaged, so it did not run it). Any other R-block
 *    (N(R) != N(S) acknowledges the block, i.e. "received"; an error-free
 *    R-block with N(R) = N(S) is not allowed after an unchained block) is
 *    not a request to resend: the link is resynchronised and the command
 *    abandoned with ERR_CARD_PROTO, saying the card may have run it;
 *  - our R-blocks (idempotent) are resent on an invalid answer (rule 7.2),
 *    also while our last I-block is unanswered: a damaged answer to it got
 *    an R-block from us, and an R-block with N(R) != N(S) and an error bit
 *    says the card got the I-block but not that R-block.
 * A chained I-block from the card with LEN 0 is an invalid block (R-block,
 * counted as an error). Each APDU is bounded: at most
 * ccid_t1_blocks_max() blocks, CCID_T1_DEADLINE_MS of wall-clock time (the
 * card's S(WTX) included) and it stops between two blocks when cancel_requested
 * is set (ERR_CANCELLED). Any failure that leaves the link in doubt (a
 * transport error, a timeout, a cancel, a failed resynch) marks the link
 * broken: every later APDU fails until connect() starts it again.
 */
#ifndef SCEAU_CARD_CCID_T1_H
#define SCEAU_CARD_CCID_T1_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"
#include "card/ccid_atr.h"

#define CCID_T1_INF_MAX 254
#define CCID_T1_BLOCK_MAX (3 + CCID_T1_INF_MAX + 2)
#define CCID_T1_ERRORS_MAX 3   /* bad blocks in a row before resynch */
#define CCID_T1_SREQ_MAX 256   /* card S-requests in a row (WTX, IFS) */
#define CCID_T1_DEADLINE_MS 120000u /* one APDU, all blocks included */

/* PCB values and masks (§11.3.2). */
#define CCID_T1_I_NS 0x40
#define CCID_T1_I_MORE 0x20
#define CCID_T1_R 0x80
#define CCID_T1_R_NR 0x10
#define CCID_T1_S 0xC0
#define CCID_T1_S_RESP 0x20
#define CCID_T1_S_RESYNCH 0x00
#define CCID_T1_S_IFS 0x01
#define CCID_T1_S_ABORT 0x02
#define CCID_T1_S_WTX 0x03

enum ccid_t1_kind { CCID_T1_IBLOCK, CCID_T1_RBLOCK, CCID_T1_SBLOCK };

struct ccid_t1_block {
	enum ccid_t1_kind kind;
	uint8_t nad, pcb;
	size_t len;
	uint8_t inf[CCID_T1_INF_MAX];
};

struct ccid_t1 {
	/* One block to the card, its answer back; wtx: the BWT multiplier
	 * the card asked for this exchange (0: none). <0: ERR_*. */
	int (*xfr)(void *arg, const uint8_t *blk, size_t n, uint8_t wtx,
		   uint8_t *resp, size_t cap, size_t *rn);
	void *arg;
	/* Monotonic milliseconds (NULL: CLOCK_MONOTONIC); tests inject it. */
	uint64_t (*now_ms)(void *arg);
	uint64_t deadline; /* of the running exchange, in now_ms() time */
	int crc;       /* EDC is CRC (else LRC) */
	size_t ifsc;   /* the card's receive size */
	size_t ifsd;   /* ours */
	uint8_t ns;    /* N(S) of our next I-block */
	uint8_t nr;    /* N(S) expected of the card's next I-block */
	uint8_t wtx;   /* multiplier for the next exchange */
	int broken;    /* link in doubt: connect again */
	/* counters, for the tests and the log */
	unsigned n_wtx, n_ifs, n_retries, n_resynch, n_blocks;
};

size_t ccid_t1_edc_len(int crc);
uint8_t ccid_t1_lrc(const uint8_t *p, size_t n);
uint16_t ccid_t1_crc(const uint8_t *p, size_t n);
/* Frames a block into out (CCID_T1_BLOCK_MAX bytes); returns its length. */
size_t ccid_t1_frame(int crc, uint8_t nad, uint8_t pcb, const uint8_t *inf,
		     size_t len, uint8_t *out);
/* Parses one received block strictly (length, EDC, PCB, S lengths). */
int ccid_t1_parse(int crc, const uint8_t *buf, size_t n, struct ccid_t1_block *b);

/* State after power-on, parameters from the ATR. */
void ccid_t1_init(struct ccid_t1 *t, const struct ccid_atr *atr);
/* Tells the card our IFSD (S(IFS request)). */
int ccid_t1_negotiate_ifsd(struct ccid_t1 *t, uint8_t ifsd);
/* The most blocks one APDU may take (both ways, errors included). */
unsigned ccid_t1_blocks_max(size_t clen, size_t rcap);
/* Sends one command APDU, gets its response (data || SW1 SW2). */
int ccid_t1_transceive(struct ccid_t1 *t, const uint8_t *capdu, size_t clen,
		       uint8_t *rapdu, size_t *rlen);

#endif
