/*
 * The OpenPGP card application (spec v3.4) as the box uses it: short APDUs
 * only. Status words are mapped to ERR_* codes (lib/err.h):
 *   63 Cx -> ERR_PIN_WRONG (x tries left, in *tries when asked)
 *   69 83 -> ERR_PIN_BLOCKED, 69 82 -> ERR_CARD_DENIED,
 *   6A 88 / 6A 82 -> ERR_CARD_NODATA, anything unexpected -> ERR_CARD_PROTO,
 *   a card that disappears -> ERR_CARD_ABSENT.
 *   62 85 (card terminated, e.g. a reset interrupted between TERMINATE DF
 *   and ACTIVATE FILE) -> ERR_CARD_USED: pgp_factory_reset() repairs it.
 */
#ifndef SCEAU_CARD_OPENPGP_H
#define SCEAU_CARD_OPENPGP_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"

#define PGP_AID_LEN 16
#define PGP_PW1_SIGN 0x81  /* PW1 for PSO:CDS */
#define PGP_PW1 0x82       /* PW1 for other commands (private DO 0103) */
#define PGP_PW3 0x83       /* admin PIN */
#define PGP_DO_PRIVATE3 0x0103
#define PGP_DO_NAME 0x005B
#define PGP_PW1_DEFAULT "123456"
#define PGP_PW3_DEFAULT "12345678"
#define PGP_PIN_MIN 6
#define PGP_PIN_MAX 64

struct pgp_status {
	uint8_t aid[PGP_AID_LEN]; /* D2 76 00 01 24 01 | ver(2) | manuf(2) | serial(4) | 00 00 */
	unsigned pw1_tries, pw3_tries, rc_tries;
	unsigned pw1_max, pw3_max;
	int pw1_multi_sign; /* C4 first byte: PW1 valid for several PSO:CDS */
};

int pgp_select(struct card *c);
int pgp_status(struct card *c, struct pgp_status *st);
/* "serial" as printed by GnuPG: 8 hex digits of the AID serial. */
void pgp_serial_hex(const uint8_t aid[PGP_AID_LEN], char out[9]);

/* 1 if pin has a length the card can accept for ref (no VERIFY is worth
 * sending otherwise: an empty or oversize entry is re-asked, no try spent). */
int pgp_pin_wellformed(uint8_t ref, const char *pin);
/* VERIFY. tries (may be NULL) gets the tries left after a wrong PIN. */
int pgp_verify(struct card *c, uint8_t ref, const char *pin, unsigned *tries);
/* CHANGE REFERENCE DATA (ref 0x81 for PW1, 0x83 for PW3). */
int pgp_change_pin(struct card *c, uint8_t ref, const char *old_pin,
		   const char *new_pin, unsigned *tries);

int pgp_get_data(struct card *c, uint16_t tag, uint8_t *out, size_t *len);
int pgp_put_data(struct card *c, uint16_t tag, const uint8_t *data, size_t len);

/* Key attributes C1 := ECDSA P-256 (needs PW3). */
int pgp_set_sig_algo_p256(struct card *c);
/* GENERATE ASYMMETRIC KEY PAIR 80 (needs PW3); the public point is returned. */
int pgp_generate_sig_key(struct card *c, uint8_t pub[65]);
/* Reads the signature public key (GENERATE ... 81, 7F49/86). */
int pgp_read_sig_key(struct card *c, uint8_t pub[65]);
/* PSO:COMPUTE DIGITAL SIGNATURE over a SHA-256 digest (needs PW1 81): r || s. */
int pgp_sign(struct card *c, const uint8_t digest[32], uint8_t sig[64]);

/*
 * What GnuPG and OpenSC show of a card (docs/HARDWARE.md): the signature
 * key's fingerprint (C7) and generation time (CE), written after GENERATE as
 * GnuPG does, and the cardholder's name (5B).
 */
#define PGP_FPR_LEN 20
#define PGP_FPR_TEXT_LEN 51 /* "XXXX XXXX XXXX XXXX XXXX  XXXX ... XXXX" + NUL */
#define PGP_NAME_MAX 39     /* DO 5B, spec v3.4 */
/*
 * The OpenPGP v4 fingerprint (RFC 4880 §12.2) of the ECDSA P-256 key pub
 * (04 || X || Y) created at `created` (seconds since 1970, UTC): SHA-1 of
 * the public-key packet 99 | length(2) | 04 | created(4) | 13 (ECDSA) |
 * 08 2A 86 48 CE 3D 03 01 07 (the curve OID, RFC 6637) | 02 03 (the point
 * as an MPI of 515 bits) | pub, exactly as GnuPG's scdaemon computes it.
 * ERR_RANGE if pub is not an uncompressed point.
 */
int pgp_fingerprint_p256(const uint8_t pub[65], uint32_t created,
			 uint8_t fpr[PGP_FPR_LEN]);
/* The fingerprint as GnuPG prints it: 10 groups of 4 upper-case hex
 * digits, two spaces in the middle. */
void pgp_fpr_text(const uint8_t fpr[PGP_FPR_LEN], char out[PGP_FPR_TEXT_LEN]);
/* PUT DATA C7 (fingerprint) then CE (generation time) of the signature key
 * (needs PW3). */
int pgp_put_sig_key_info(struct card *c, const uint8_t fpr[PGP_FPR_LEN],
			 uint32_t created);
/*
 * DO 5B from a last and a first name in UTF-8: "Last<<First", each run of
 * spaces a single '<' (ISO/IEC 7501-1, as the spec and GnuPG write it), at
 * most PGP_NAME_MAX bytes, NUL-terminated; returns its length. The spec
 * says Latin-1 while GnuPG prints the bytes as UTF-8 (and lets one type
 * ASCII only): the name is written in the ASCII both read alike, Latin
 * letters without their marks ("Aurélie" -> "Aurelie", "œ" -> "oe"), any
 * other character '?'.
 */
size_t pgp_holder_name(const char *last, const char *first,
		       char out[PGP_NAME_MAX + 1]);

/*
 * Factory reset as GnuPG does it: blocks PW1 and PW3 with wrong PINs, then
 * TERMINATE DF and ACTIVATE FILE. Everything on the card is erased.
 */
int pgp_factory_reset(struct card *c);

/* --- Added by the card module (not used by other modules yet). --------- */

/* VERIFY without data: 1 if ref is verified in this session, 0 if not
 * (*tries, may be NULL, gets the tries left), ERR_PIN_BLOCKED if blocked. */
int pgp_verify_status(struct card *c, uint8_t ref, unsigned *tries);
/* RESET RETRY CODE with PW3 verified (P1=02): new PW1, counter back to 3. */
int pgp_reset_pw1(struct card *c, const char *new_pin);
/* Digital signature counter (7A/93). */
int pgp_sig_count(struct card *c, uint32_t *count);

/* Maps a status word to 0 or ERR_* as above (no card access: 69 82 after
 * VERIFY is handled by pgp_verify itself). tries may be NULL. */
int pgp_sw_error(uint16_t sw, unsigned *tries);

/*
 * Strict BER-TLV parsing of card responses: tags of 1 or 2 bytes, lengths in
 * the 1, 81 and 82 forms, every value inside its parent. Malformed input is
 * ERR_CARD_PROTO, never a read out of bounds.
 */
struct pgp_tlv {
	uint16_t tag;
	int constructed;
	const uint8_t *val;
	size_t len;
};
/* Reads the TLV at *p (before end) and advances *p past it. */
int pgp_tlv_next(const uint8_t **p, const uint8_t *end, struct pgp_tlv *t);
/* Finds tag among the TLVs that exactly fill buf (one level): 0,
 * ERR_CARD_NODATA if absent, ERR_CARD_PROTO if malformed or repeated. */
int pgp_tlv_find(const uint8_t *buf, size_t len, uint16_t tag,
		 const uint8_t **val, size_t *vlen);
/* GET DATA 6E (application related data) -> AID and PW status. */
int pgp_parse_app_data(const uint8_t *buf, size_t len, struct pgp_status *st);
/* 7F49 { 86 } -> SEC1 point, validated on P-256. */
int pgp_parse_pubkey(const uint8_t *buf, size_t len, uint8_t pub[65]);

#endif
