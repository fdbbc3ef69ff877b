/*
 * Error codes. Functions return 0 or a negative ERR_* code; the failing
 * module may add a detail (a field name, a file and record number) with
 * err_detail(), which main() or a tool prints after the translated message
 * (ui/msg.h). Only main() and tools/ print.
 *
 * This header holds the generic codes, which any module may return. A code
 * that belongs to one module (a card's, a printer's) is defined in that
 * module's header, with a value reserved below so that no two codes ever
 * collide:
 *    -8 .. -16  card/card.h         ERR_CARD_*, ERR_PIN_*
 *   -17         session/boot.h      ERR_AIRGAP
 *   -18         crypto/selftest.h   ERR_SELFTEST
 *   -24         media/media.h       ERR_MEDIA_WRITABLE
 *   -25 .. -29  print/print.h       ERR_PRINTER_*
 *   -30         store/store.h       ERR_SCHEMA
 *   -33 .. -34  media/media.h       ERR_MEDIA_LAYOUT, ERR_MEDIA_TREES
 * A new code, generic or not, takes the next free value (-37) and, if it
 * belongs to a module, a line here. msg_err() (ui/msg.c) words every code
 * but ERR_AIRGAP, which session/boot.h's boot_err_text() adds.
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
	/* -8 .. -18: reserved (above) */
	ERR_CANCELLED = -19,   /* the operator cancelled */
	ERR_USAGE = -20,       /* wrong command-line use */
	ERR_EXISTS = -21,      /* refusing to overwrite or to do twice */
	ERR_NOTFOUND = -22,    /* a file, a record or a key is missing */
	ERR_INTERNAL = -23,    /* a bug: an invariant does not hold */
	/* -24 .. -30: reserved (above) */
	ERR_BUSY = -31,        /* another command is using the session */
	ERR_FILETYPE = -32,    /* not a regular file (a FIFO, a device, a directory) */
	/* -33 .. -34: reserved (above) */
	ERR_NOSPACE = -35,     /* the disk is full (ENOSPC, EDQUOT, EFBIG) */
	ERR_READONLY = -36,    /* the directory or the file cannot be written */
};

/* Records a detail for the last error of this thread (printf-like, truncated). */
void err_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The detail recorded last by this thread ("" if none), as written by the
 * code (English): what journals and logs keep. err_clear() empties it. */
const char *err_last_detail(void);
void err_clear(void);
/* Both texts of the detail (below), kept while other code runs or handed
 * to another thread, then put back. */
#define ERR_DETAIL_MAX 512
struct err_saved {
	char detail[ERR_DETAIL_MAX], text[ERR_DETAIL_MAX];
};
void err_save(struct err_saved *s);
void err_restore(const struct err_saved *s);
/* "prefix: detail", for a caller naming what the detail is about (the text
 * of err_last_text() gets the prefix too). */
void err_detail_prefix(const char *prefix);

/*
 * The detail for the people reading it, in their language (lib/i18n.h):
 * the layer that talks to them (ui/) installs, once and before any thread
 * starts, a translator from the formats err_detail() is called with to
 * the texts of its message table (the same conversions, in the same
 * order); a format it does not know is shown as written.
 */
void err_set_translator(const char *(*tr)(const char *fmt));
const char *err_last_text(void);

/* The code for a failed write or read whose errno is e: ERR_NOSPACE for a
 * full disk or a file too large (ENOSPC, EDQUOT, EFBIG), ERR_READONLY for
 * a read-only file system or a permission refused (EROFS, EACCES, EPERM),
 * ERR_IO otherwise. */
int err_from_errno(int e);

#endif
