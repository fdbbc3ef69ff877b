/*
 * The simulated OpenPGP card (CONFIG_CARD_SIM, tests and demos only). A slot
 * is a directory; the card is inserted while <slot>/card.json exists. The
 * card answers the APDUs of a real OpenPGP card v3.4 with real PIN retry
 * counters; the file format, the deviations from the specification and the
 * fault injection (<slot>/pull-at) are described in docs/CARD.md.
 */
#ifndef SCEAU_SIM_CARD_SIM_H
#define SCEAU_SIM_CARD_SIM_H

#include <stdint.h>

#include "card/card.h"

#define CARD_SIM_CARD_FILE "card.json"        /* the inserted card */
#define CARD_SIM_OUT_FILE "card.out.json"     /* pulled by sceau-simcard pull */
#define CARD_SIM_PULLED_FILE "card.pulled.json" /* pulled by fault injection */
#define CARD_SIM_PULL_AT_FILE "pull-at"       /* N: pull at the N-th APDU */
#define CARD_SIM_FORMAT "sceau-simcard/1"

extern const struct card_ops card_sim_ops;

/*
 * Writes a factory-fresh card (PW1 123456, PW3 12345678, no key, no data)
 * with that AID serial into slot_dir, created if missing. ERR_EXISTS if the
 * slot already holds a card, inserted or pulled.
 */
int card_sim_create(const char *slot_dir, uint32_t serial);

/* What sceau-simcard show prints: nothing secret. */
struct card_sim_info {
	uint8_t aid[16];
	int terminated;
	unsigned pw1_tries, rc_tries, pw3_tries;
	int has_private[4]; /* DO 0101..0104 not empty */
	int has_sig_key;
	int sig_attr_p256;  /* C1 = ECDSA P-256 */
	uint32_t sig_count;
};

/* Reads a card file (card.json, or a pulled one) strictly. */
int card_sim_info(const char *card_file, struct card_sim_info *info);

#endif
