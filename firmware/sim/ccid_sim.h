/*
 * The simulated CCID reader (CONFIG_CARD_CCID_SIM, tests and demos only):
 * a device on the simulated USB bus (usb_sim.h), whose slots hold
 * simulated cards (card_sim.h), so that the real CCID driver (card_ccid.c,
 * ccid_reader.c, ccid_t1.c) runs over it unchanged.
 *
 * Spec of the `ccid-sim` transport: MODE[,OPTION...]:DIR[+DIR...][#SLOT]
 *   MODE   apdu  a short-APDU-level reader (YubiKey-like): whole APDUs
 *          t1    a TPDU-level reader; the simulated card speaks T=1
 *   DIR    a slot directory of the sim transport; up to 4, one per slot
 *   #SLOT  the slot of a multi-slot reader (default 0)
 * Options (t1 only unless said):
 *   ifsc=N      IFSC in the ATR (default 32, 1-254)
 *   maxifsd=N   dwMaxIFSD of the reader: the IFSD the driver asks for
 *   crc         EDC is CRC instead of LRC
 *   wtx=N       the card asks S(WTX) before every N-th answer block
 *   corrupt=N[xK]  the card's blocks N..N+K-1 (counted from open) leave
 *               with a wrong EDC (retransmissions are clean)
 *   hostcorrupt=N[xK]  the host's blocks N..N+K-1 reach the card damaged
 *               (the card answers R-blocks asking for them again)
 *   pullblock=N the card is pulled (card.json renamed card.pulled.json)
 *               when it receives its N-th block
 *   timeext=N   (both modes) the reader sends a time extension before
 *               every N-th answer
 *   extstorm=K  (both modes) K time extensions before every XfrBlock answer
 * Every time extension takes one second of the reader's virtual clock
 * (struct usb_ops.now_ms), so that deadlines are tested at once.
 *   emptychain  the card answers every command with chained I-blocks of
 *               LEN 0, forever (mute after 1000 of them)
 *   wtxstorm    the card answers every command with S(WTX) requests, forever
 *   rack=N      the card runs the APDU ending in the host's N-th block, then
 *               answers R(N(R) != N(S)): an acknowledgement, not a resend
 *   rsame=N     the same with an error-free R(N(R) = N(S)), and the card
 *               forgets it ran it: a resent block would run it again
 *   noanswer=N  the reader loses its answer to the host's N-th block
 *               (bulk IN times out) after the card processed it
 * The reader is unplugged while DIR (of slot 0)/reader-unplugged exists:
 * it is no longer listed and every transfer fails with NO_DEVICE.
 */
#ifndef SCEAU_SIM_CCID_SIM_H
#define SCEAU_SIM_CCID_SIM_H

#include "card/card.h"

#define CARD_CCID_SIM_UNPLUGGED_FILE "reader-unplugged"
#define CARD_CCID_SIM_SLOTS 4

extern const struct card_ops card_ccid_sim_ops;

#endif
