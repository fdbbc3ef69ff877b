/*
 * One CCID reader opened over a USB layer (struct usb_ops): found by a
 * device spec, claimed once, and shared by every struct card that talks to
 * one of its slots (two slots of one reader are two cards). Commands are
 * synchronous: one bulk-OUT message, then bulk-IN messages until the one
 * with our slot and bSeq that is not a time extension. Not thread-safe:
 * the card layer is used from one thread.
 */
#ifndef SCEAU_CARD_CCID_READER_H
#define SCEAU_CARD_CCID_READER_H

#include <stddef.h>
#include <stdint.h>

#include "card/ccid_msg.h"
#include "lib/usb.h"

#define CCID_TIMEOUT_OUT_MS 5000u
#define CCID_TIMEOUT_IN_MS 30000u
#define CCID_TIME_EXT_MAX 1000   /* time extensions for one command */
#define CCID_CMD_DEADLINE_MS 60000u /* one command, time extensions included */
#define CCID_STALE_MAX 8         /* answers to older commands skipped */

struct ccid_reader {
	const struct usb_ops *usb;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	unsigned char ep_out, ep_in, ep_int; /* ep_int 0: none */
	struct ccid_desc d;
	uint16_t vid, pid;
	uint8_t bus, addr;
	uint8_t seq;
	unsigned refs;
	int gone;          /* unplugged: every command fails */
	uint16_t changed;  /* slots NotifySlotChange said changed */
	struct ccid_reader *next;
	uint8_t buf[CCID_MSG_BUF];
};

/*
 * The reader named by spec ("" the only one, "VVVV:PPPP", "BUS:ADDR"),
 * opened and claimed, or the same reader again if a card already uses it.
 * Takes ctx (from usb->init) in every case.
 */
int ccid_reader_get(const struct usb_ops *usb, libusb_context *ctx,
		    const char *spec, struct ccid_reader **out);
void ccid_reader_put(struct ccid_reader *r);

/*
 * Runs one command on a slot; the answer's data (at most cap bytes) go to
 * out. The answer's status is in *resp (resp->data is not valid after).
 * ERR_CARD_ABSENT if the reader is gone; bStatus is left to the caller.
 * ERR_IO if no final answer came within CCID_CMD_DEADLINE_MS, however many
 * time extensions the reader sent.
 */
int ccid_reader_cmd(struct ccid_reader *r, uint8_t slot, uint8_t type,
		    const uint8_t p[3], const uint8_t *data, size_t dlen,
		    uint8_t *out, size_t cap, size_t *outlen,
		    struct ccid_resp *resp);
/* The reader's monotonic clock, in milliseconds. */
uint64_t ccid_reader_now_ms(const struct ccid_reader *r);
/* The ERR_* code (with a detail) of an answer whose command failed. */
int ccid_reader_status_err(const struct ccid_reader *r, const struct ccid_resp *resp);
/* Reads pending NotifySlotChange messages without waiting. */
void ccid_reader_poll(struct ccid_reader *r);

#endif
