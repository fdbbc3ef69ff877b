/*
 * Error codes shared by every module. Functions return 0 or a negative
 * ERR_* code; the failing module may add a detail (a field name, a file and
 * record number) with err_detail(), which main() or a tool prints after the
 * translated message (ui/msg.h). Only main() and tools/ print.
 */
#ifndef SCEAU_LIB_ERR_H
#define SCEAU_LIB_ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOMEM = -1,        /* allocation or mlock failed */
	ERR_IO = -2,           /* read/write/open failed (errno kept in detail) */
	ERR_FORMAT = -3,       /* outside data malformed (detail names the field) */
	ERR_RANGE = -4,        /* a value or a size outside the allowed bounds */
	ERR_CRYPTO = -5,       /* a cryptographic library call failed */
	ERR_VERIFY = -6,       /* a check failed: signature, proof, commitment, hash */
	ERR_STATE = -7,        /* the session's phase forbids this action */
	ERR_CARD_ABSENT = -8,  /* no card in the slot, or pulled during an exchange */
	ERR_CARD_PROTO = -9,   /* the card answered something the spec does not allow */
	ERR_PIN_WRONG = -10,   /* wrong PIN, tries left > 0 */
	ERR_PIN_BLOCKED = -11, /* PIN retry counter at 0 */
	ERR_CARD_DENIED = -12, /* security status not satisfied (PIN not verified) */
	ERR_CARD_NODATA = -13, /* data object or key absent on the card */
	ERR_CARD_FOREIGN = -14,/* card holds a share of another election */
	ERR_CARD_USED = -15,   /* card not factory-fresh: needs an explicit reset */
	ERR_CARD_DUP = -16,    /* the same card presented twice */
	ERR_AIRGAP = -17,      /* a network interface other than loopback is up */
	ERR_SELFTEST = -18,    /* a start-up self-test failed */
	ERR_CANCELLED = -19,   /* the operator cancelled */
	ERR_USAGE = -20,       /* wrong command-line use */
	ERR_EXISTS = -21,      /* refusing to overwrite or to do twice */
	ERR_NOTFOUND = -22,    /* a file, a record or a key is missing */
	ERR_INTERNAL = -23,    /* a bug: an invariant does not hold */
	ERR_MEDIA_WRITABLE = -24, /* a medium that is not write-protected */
	ERR_PRINTER_NOPAPER = -25, /* out of paper: load paper, retry */
	ERR_PRINTER_OFFLINE = -26, /* off line or in error: cover, jam, button */
	ERR_PRINTER_ABSENT = -27,  /* no printer there, or unplugged mid-job */
	ERR_PRINTER_TIMEOUT = -28, /* the printer took no data for too long */
	ERR_PRINTER_LANG = -29,    /* speaks neither PostScript nor ESC/POS */
	ERR_SCHEMA = -30,          /* a session database made by another firmware */
	ERR_BUSY = -31,            /* another command is using the session */
};

/* Records a detail for the last error of this thread (printf-like, truncated). */
void err_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The detail recorded last by this thread ("" if none); err_clear() empties it. */
const char *err_last_detail(void);
void err_clear(void);

#endif
