/*
 * Internals of the simulated CCID reader, shared by the USB device
 * (ccid_sim.c) and the card side of T=1 (ccid_sim_t1.c).
 */
#ifndef SCEAU_SIM_CCID_SIM_INT_H
#define SCEAU_SIM_CCID_SIM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"
#include "sim/ccid_sim.h"
#include "card/ccid_msg.h"
#include "card/ccid_t1.h"
#include "sim/card_sim_int.h"
#include "sim/usb_sim.h"

struct ccid_sim_opts {
	int t1;
	int t0; /* TPDU level, T=0 only (QEMU's usb-ccid does so) */
	uint8_t ifsc, max_ifsd;
	int crc;
	unsigned wtx_every, timeext_every;
	unsigned corrupt_at, corrupt_count, pull_block;
	unsigned hcorrupt_at, hcorrupt_count; /* blocks from the host */
	int emptychain, wtxstorm;
	unsigned rack_at, rsame_at, noanswer_at, extstorm;
};

struct ccid_sim_slot {
	char dir[CARD_SIM_PATH_MAX];
	struct card *card; /* the simulated card in that slot (sim transport) */
	int powered;
	int known_present; /* as last told by NotifySlotChange */
	struct card_sim_id known_id; /* the card file then: a swap is a change */
	/* card side of T=1 */
	uint8_t ns, nr;
	size_t ifsd;
	uint8_t cmd[CARD_APDU_MAX];
	size_t cmd_len;
	uint8_t resp[CARD_RAPDU_MAX];
	size_t resp_len, resp_off, chunk;
	uint8_t last[CCID_T1_BLOCK_MAX], pending[CCID_T1_BLOCK_MAX];
	size_t last_n, pending_n;
	/* card side of T=0: an answer waiting for GET RESPONSE */
	uint8_t t0_held[CARD_RAPDU_MAX];
	size_t t0_len, t0_pos;
};

/* One reader on a simulated bus of its own, alive while the bus is held. */
struct ccid_sim {
	struct usb_sim_bus bus;
	struct usb_sim_dev dev;
	char key[CARD_SIM_PATH_MAX]; /* the spec without #SLOT */
	struct ccid_sim *next;
	struct ccid_sim_opts o;
	unsigned nslots;
	struct ccid_sim_slot slot[CARD_CCID_SIM_SLOTS];
	unsigned blocks_out, blocks_in, answers, wtx_count, empty_count;
	uint64_t virt_ms; /* virtual time added to the clock (time extensions) */
	/* the answer waiting for bulk IN */
	uint8_t out[CCID_MSG_BUF];
	size_t out_len;
	unsigned timeext; /* time extensions to send before the answer */
	/* descriptors */
	uint8_t extra[CCID_DESC_LEN];
	struct libusb_endpoint_descriptor ep[3];
	struct libusb_interface_descriptor alt;
	struct libusb_interface itf;
};

/* ccid_sim_t1.c: one host block in, the card's block out (in out).
 * ERR_CARD_ABSENT when the card went away during the exchange. */
int ccid_sim_t1_block(struct ccid_sim *sim, struct ccid_sim_slot *sl,
		      const uint8_t *blk, size_t n, uint8_t *out, size_t *outn);
void ccid_sim_t1_reset(struct ccid_sim_slot *sl);
/* ccid_sim.c: the card in the slot answers one APDU. */
int ccid_sim_apdu(struct ccid_sim_slot *sl, const uint8_t *capdu, size_t clen,
		  uint8_t *rapdu, size_t *rlen);

#endif
