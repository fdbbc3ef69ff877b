/*
 * The NFC transports (docs/HARDWARE.md, "NFC"): one engine (card_nfc.c) over
 * struct card_nfc_dev, a table of the libnfc calls it makes, with libnfc's
 * own signatures. nfc_libnfc.c fills it with libnfc itself (transport "nfc");
 * sim/nfc_sim.c with a simulated reader around the simulated card
 * (transport "nfc-sim", tests and demos only). The same engine runs over both.
 */
#ifndef SCEAU_CARD_NFC_DEV_H
#define SCEAU_CARD_NFC_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nfc/nfc.h>

#include "card/card.h"

#define CARD_NFC_UID_MAX 10 /* ISO 14443-3: 4, 7 or 10 bytes */

struct card_nfc_dev {
	void (*init)(nfc_context **ctx);
	void (*exit)(nfc_context *ctx);
	size_t (*list_devices)(nfc_context *ctx, nfc_connstring connstrings[],
			       size_t connstrings_len);
	nfc_device *(*open)(nfc_context *ctx, const nfc_connstring connstring);
	void (*close)(nfc_device *pnd);
	int (*initiator_init)(nfc_device *pnd);
	int (*device_set_property_bool)(nfc_device *pnd, const nfc_property property,
					const bool enable);
	int (*initiator_list_passive_targets)(nfc_device *pnd, const nfc_modulation nm,
					      nfc_target ant[], const size_t sz);
	int (*initiator_select_passive_target)(nfc_device *pnd, const nfc_modulation nm,
					       const uint8_t *init_data,
					       const size_t init_len, nfc_target *pnt);
	int (*initiator_transceive_bytes)(nfc_device *pnd, const uint8_t *tx,
					  const size_t tx_len, uint8_t *rx,
					  const size_t rx_len, int timeout);
	int (*initiator_target_is_present)(nfc_device *pnd, const nfc_target *pnt);
	int (*initiator_deselect_target)(nfc_device *pnd);
	const char *(*strerror)(const nfc_device *pnd);
	const char *(*device_get_name)(nfc_device *pnd);
};

/*
 * What the engine learns of a target from its selection. iso_dep: the target
 * announced ISO 14443-4 (SAK bit 6) and sent a well-formed ATS.
 */
struct card_nfc_target {
	uint8_t uid[CARD_NFC_UID_MAX];
	size_t uid_len;
	int iso_dep;
};

/*
 * Checks a target reported by the reader (outside data): ISO 14443-A at
 * 106 kbit/s, a UID of 4, 7 or 10 bytes, an ATS whose format byte T0 is
 * consistent with its length. ERR_FORMAT if malformed; 0 otherwise, with
 * out->iso_dep telling whether APDUs can be sent to it.
 */
int card_nfc_target_check(const nfc_target *t, struct card_nfc_target *out);

/* The engine: card_ops.open over a given libnfc table. */
int card_nfc_open_with(const struct card_nfc_dev *dev, const struct card_ops *ops,
		       const char *spec, struct card **out);
int card_nfc_present(struct card *c);
int card_nfc_connect(struct card *c);
int card_nfc_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		      uint8_t *rapdu, size_t *rlen);
void card_nfc_close(struct card *c);

#ifdef CONFIG_CARD_NFC
extern const struct card_nfc_dev card_nfc_libnfc; /* libnfc itself */
extern const struct card_ops card_nfc_ops;        /* "nfc" */
#endif

#endif
