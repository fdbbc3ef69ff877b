/*
 * The `nfc-sim` transport (CONFIG_CARD_NFC_SIM, tests and demos only): the
 * NFC engine (card_nfc.c) over a simulated libnfc whose only reader has in
 * its field the simulated card of a slot directory (card_sim.h): the card
 * is in the field while <slot>/card.json exists.
 *
 * spec: [OPTION[,OPTION...]:]SLOT_DIR, the options being
 *   readers=N  libnfc lists N simulated readers (default 1; 0 or 2 to test
 *              "no reader" and "several readers")
 *   rferr=N    the N-th exchange since open: the card runs the command, its
 *              answer is lost to a radio error (NFC_ERFTRANS), once
 *   slow=MS    the card needs MS ms per command; more than the transport's
 *              timeout is NFC_ETIMEOUT after the card ran the command
 *   second     a second ISO-DEP card (UID 5C0000EEEEEEEE) lies in the field
 *              whenever the slot's card does
 *   nodep      the slot's card answers as a MIFARE Classic tag (no ISO-DEP)
 *   randuid    the card draws a new 4-byte random UID (08xxxxxx) at each
 *              power-up, as many JavaCards do; otherwise its UID is
 *              5C 00 00 followed by its AID serial number
 * The slot's own fault injection (<slot>/pull-at) works as with `sim`: the
 * card leaves the field during that exchange. Nothing sleeps: a slow card
 * is compared with the timeout, not waited for.
 */
#ifndef SCEAU_SIM_NFC_SIM_H
#define SCEAU_SIM_NFC_SIM_H

#include "card/card.h"

extern const struct card_ops card_nfc_sim_ops;

/* What the simulated libnfc saw, for the tests (process-wide). */
struct card_nfc_sim_stats {
	unsigned inits, exits, opens, closes;
	unsigned field_resets, field_offs, selects, lists, deselects, presence_checks;
	unsigned exchanges, commands_run; /* commands the card actually ran */
	unsigned bad;                     /* calls libnfc would block on or refuse */
	int last_timeout;                 /* of the last exchange */
};

extern struct card_nfc_sim_stats card_nfc_sim_stats;

#endif
