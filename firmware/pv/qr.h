/*
 * The two QR codes of every PV (docs/FORMATS.md "QR codes of the PV (v2)"):
 *
 *   SCEAU2:H:<scrutin>:E:<election_id>:R:<results>:U:<urn>:M:<emargement>:X:<shuffles>:D:<decrypted>:J:<journal head>:F:<firmware>
 *   SCEAU2:S:<scrutin>:R:<results>:<card>:<signature>[:<card>:<signature>...]
 *
 * X = H("sceau/shuffle-files/v2"; for each scrutin with a shuffle file, in
 * id order: u16be(scrutin_id), SHA-256 of shuffle-<id>.bin).
 *
 * Only the QR alphanumeric set: hex in upper case, <scrutin> in decimal
 * without leading zeros (0 on the summary and ceremony pages), cards 1..9
 * in increasing order. pv_qr_parse is what the experts' verifier runs on
 * the text a phone or zbarimg read: it accepts exactly what the payload
 * functions write, nothing else.
 */
#ifndef SCEAU_PV_QR_H
#define SCEAU_PV_QR_H

#include <stddef.h>
#include <stdint.h>

#define PV_QR_MAGIC "SCEAU2"
#define PV_QR_MAX_SIGS 9
/* Longest payload + NUL: a signatures code with 9 cards. */
#define PV_QR_TEXT_MAX 1400

enum pv_qr_kind { PV_QR_HASHES = 1, PV_QR_SIGNATURES = 2 };

struct pv_qr_hashes {
	uint8_t election_id[32], results[32], urn[32], emargement[32];
	uint8_t shuffles[32]; /* X */
	uint8_t decrypted[32], journal[32], firmware[32];
};

struct pv_qr {
	enum pv_qr_kind kind;
	unsigned scrutin;          /* 0..65535 */
	struct pv_qr_hashes h;     /* PV_QR_HASHES */
	uint8_t results[32];       /* both kinds (= h.results for hashes) */
	unsigned n_sigs;           /* PV_QR_SIGNATURES: 1..9 */
	struct {
		unsigned card;
		uint8_t sig[64];
	} sigs[PV_QR_MAX_SIGS];
};

/* The payloads, NUL-terminated in out (cap bytes; ERR_RANGE if too small,
 * or for a scrutin above 65535, no signature, a card outside 1..9 or out
 * of order). */
int pv_qr_payload_hashes(unsigned scrutin, const struct pv_qr_hashes *h, char *out,
			 size_t cap);
int pv_qr_payload_signatures(unsigned scrutin, const uint8_t results[32],
			     unsigned n_sigs, const unsigned cards[],
			     const uint8_t (*sigs)[64], char *out, size_t cap);

/* Strict parser: 0, or ERR_FORMAT naming what is wrong (err_detail). */
int pv_qr_parse(const char *text, struct pv_qr *out);

/* The QR symbol of a payload (alphanumeric mode, level M): width modules
 * per side (no quiet zone), modules[y * width + x] = 1 for dark. free() it. */
int pv_qr_encode(const char *payload, unsigned *width, uint8_t **modules);

#endif
