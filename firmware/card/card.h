/*
 * Card transports behind one small ops table (like SQLite's VFS). A
 * transport knows how to find slots (a reader slot, an NFC field, a
 * simulated slot directory), tell whether a card is present in one, and
 * exchange short APDUs with it. Everything above (card/openpgp.c) only sees
 * struct card. Transports are compiled in by Kconfig (CONFIG_CARD_*).
 */
#ifndef SCEAU_CARD_CARD_H
#define SCEAU_CARD_CARD_H

#include <stddef.h>
#include <stdint.h>

/* The card's failures (values reserved in lib/err.h). */
enum card_err {
	ERR_CARD_ABSENT = -8,  /* no card in the slot, or pulled during an exchange */
	ERR_CARD_PROTO = -9,   /* the card answered something the spec does not allow */
	ERR_PIN_WRONG = -10,   /* wrong PIN, tries left > 0 */
	ERR_PIN_BLOCKED = -11, /* PIN retry counter at 0 */
	ERR_CARD_DENIED = -12, /* security status not satisfied (PIN not verified) */
	ERR_CARD_NODATA = -13, /* data object or key absent on the card */
	ERR_CARD_FOREIGN = -14,/* card holds a share of another election */
	ERR_CARD_USED = -15,   /* card not factory-fresh: needs an explicit reset */
	ERR_CARD_DUP = -16,    /* the same card presented twice */
};

#define CARD_APDU_MAX 261   /* short APDU: 5 + 255 + 1 */
#define CARD_RAPDU_MAX 258  /* 256 + SW1 SW2 */
#define CARD_LABEL_MAX 128

struct card;

struct card_ops {
	const char *name; /* "sim", "ccid", ... */
	/* Opens the slot named by spec (backend-specific: a directory for sim). */
	int (*open)(const char *spec, struct card **out);
	/* 1 if a card is inserted now, 0 if not, <0 on error. */
	int (*present)(struct card *c);
	/* Powers the card / resets the session; called before the first APDU. */
	int (*connect)(struct card *c);
	/* Exchanges one APDU. rapdu ends with SW1 SW2; *rlen is in/out. */
	int (*transmit)(struct card *c, const uint8_t *capdu, size_t clen,
			uint8_t *rapdu, size_t *rlen);
	void (*close)(struct card *c);
};

/* Common head of every backend's card structure. */
struct card {
	const struct card_ops *ops;
	char label[CARD_LABEL_MAX]; /* shown to the bureau: "lecteur 1", a path */
};

/* The transport compiled in under that name, or NULL. */
const struct card_ops *card_transport(const char *name);
/* The default transport (CONFIG_CARD_DEFAULT_TRANSPORT), or NULL if none. */
const struct card_ops *card_default_transport(void);

int card_open(const struct card_ops *ops, const char *spec, struct card **out);
int card_present(struct card *c);
int card_connect(struct card *c);
int card_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		  uint8_t *rapdu, size_t *rlen);
void card_close(struct card *c); /* NULL ok */

/*
 * Copies src (text from a device: a USB string, a reader name) into dst of
 * cap bytes, ready for the screen and the journal: control characters
 * (ESC included), C1 controls, bidirectional overrides and bytes that are
 * not well-formed UTF-8 become '?'; the copy is cut at a character boundary.
 */
void card_label_sanitize(char *dst, size_t cap, const char *src);

#endif
