/*
 * The CCID driver as a card transport: one struct card per reader slot,
 * over any USB layer. card_ccid.c registers `ccid` (libusb, CONFIG_CARD_CCID);
 * the simulated reader (sim/ccid_sim.c) registers `ccid-sim` over the same
 * code. The spec is a device spec for ccid_reader_get() ("", "VVVV:PPPP",
 * "BUS:ADDR"), optionally followed by "#SLOT" (decimal) for multi-slot
 * readers; slot 0 by default.
 */
#ifndef SCEAU_CARD_CARD_CCID_H
#define SCEAU_CARD_CARD_CCID_H

#include "card/card.h"
#include "card/ccid_t1.h"
#include "lib/usb.h"

#ifdef CONFIG_CARD_CCID
extern const struct card_ops card_ccid_ops;
#endif
#ifdef CONFIG_CARD_CCID_SIM
extern const struct card_ops card_ccid_sim_ops;
#endif

/*
 * Opens a slot over usb, taking ctx (from usb->init()); the card's ops are
 * ops, whose other members must be the card_ccid_* ones below.
 */
int card_ccid_open_with(const struct usb_ops *usb, libusb_context *ctx,
			const struct card_ops *ops, const char *spec,
			struct card **out);
int card_ccid_present(struct card *c);
int card_ccid_connect(struct card *c);
int card_ccid_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		       uint8_t *rapdu, size_t *rlen);
void card_ccid_close(struct card *c);
/* The T=1 engine of a connected TPDU-level slot (tests), or NULL. */
const struct ccid_t1 *card_ccid_t1(struct card *c);

#endif
