/*
 * Printers behind one small ops table (like card/card.h). A backend knows
 * how to reach one printer (a file, /dev/usb/lp*, the USB printer class
 * through libusb), hand it bytes, and, when it can, say why it does not
 * print (no paper, off line). The bytes are already in the printer's
 * language (PostScript or ESC/POS, see print_lang_choose()); backends never
 * look at them. Backends are compiled in by Kconfig (CONFIG_PRINT_*).
 *
 * A job is printed only when print_job_send() returns 0: every byte was
 * taken by the device (or the file is complete under its final name).
 * Every failure returns one of the ERR_PRINTER_* codes below or a generic
 * ERR_* code (lib/err.h), with err_detail() saying what happened, in
 * English for the journal. Retrying is the caller's decision (after the bureau acts).
 */
#ifndef SCEAU_PRINT_PRINT_H
#define SCEAU_PRINT_PRINT_H

#include <stddef.h>
#include <stdint.h>

/* Printer failures (values reserved in lib/err.h). */
enum print_err {
	ERR_PRINTER_NOPAPER = -25, /* out of paper: load paper, retry */
	ERR_PRINTER_OFFLINE = -26, /* off line or in error: cover, jam, button */
	ERR_PRINTER_ABSENT = -27,  /* no printer there, or unplugged mid-job */
	ERR_PRINTER_TIMEOUT = -28, /* the printer took no data for too long */
	ERR_PRINTER_LANG = -29,    /* speaks neither PostScript nor ESC/POS */
};

/* print_status() when the backend cannot tell (a file, an old driver). */
#define PRINT_STATUS_UNKNOWN 1

#define PRINT_LABEL_MAX 128
#define PRINT_DEVICE_ID_MAX 1024 /* IEEE 1284 device id, as usblp bounds it */

struct printer;

struct print_ops {
	const char *name; /* "file", "usblp", "libusb" */
	/* Opens the printer named by spec (backend-specific, see each backend). */
	int (*open)(const char *spec, struct printer **out);
	/* Hands len bytes to the printer; 0 only if all of them were taken. */
	int (*send)(struct printer *p, const uint8_t *data, size_t len);
	/* Optional: 0 ready, PRINT_STATUS_UNKNOWN, or an ERR_PRINTER_* fault. */
	int (*status)(struct printer *p);
	/*
	 * Optional: ends the job; 0 only if everything sent is out of the
	 * box's hands (drained to the device, or the file fsync'd and renamed
	 * into place). Without it, send() returning 0 is enough.
	 */
	int (*finish)(struct printer *p);
	/* Releases the printer; a job not finished is abandoned (file removed). */
	void (*close)(struct printer *p);
};

/* Common head of every backend's printer structure. */
struct printer {
	const struct print_ops *ops;
	char label[PRINT_LABEL_MAX]; /* for the journal: a path, "USB 04b8:0e15" */
	/* The IEEE 1284 device id ("MFG:..;MDL:..;CMD:..;"), "" if unknown. */
	char device_id[PRINT_DEVICE_ID_MAX];
	/* Longest wait for the printer to take data; set by open, may be changed. */
	unsigned timeout_ms;
};

/* The backend compiled in under that name, or NULL. */
const struct print_ops *print_backend(const char *name);
/* The default backend (CONFIG_PRINT_DEFAULT_BACKEND), or NULL if none. */
const struct print_ops *print_default_backend(void);

int print_open(const struct print_ops *ops, const char *spec, struct printer **out);
int print_send(struct printer *p, const uint8_t *data, size_t len);
int print_status(struct printer *p); /* PRINT_STATUS_UNKNOWN without status op */
int print_finish(struct printer *p);
void print_close(struct printer *p); /* NULL ok */

/*
 * Prints one job: open, refuse early if the printer reports a fault, send
 * every byte, finish, close. 0 only if the whole job was taken; on failure
 * nothing of it is reported as printed (the bureau retries the whole job).
 */
int print_job_send(const struct print_ops *ops, const char *spec,
		   const uint8_t *data, size_t len);

/* --- Printer language, from the IEEE 1284 device id (print_devid.c) --- */

enum print_lang {
	PRINT_LANG_NONE = 0,
	PRINT_LANG_POSTSCRIPT,
	PRINT_LANG_ESCPOS,
};

#define PRINT_DEVID_FIELD_MAX 256

/* The fields of a device id the language choice uses ("" when absent). */
struct print_devid {
	char mfg[PRINT_DEVID_FIELD_MAX]; /* MFG: or MANUFACTURER: */
	char mdl[PRINT_DEVID_FIELD_MAX]; /* MDL: or MODEL: */
	char cmd[PRINT_DEVID_FIELD_MAX]; /* CMD: or COMMAND SET: */
};

/*
 * Parses "KEY:value;KEY:value;..." (len bytes, no NUL needed) strictly:
 * printable ASCII only, non-empty keys of letters, digits, space, '-' or
 * '_', no key twice, at most PRINT_DEVICE_ID_MAX - 1 bytes, the kept fields
 * shorter than PRINT_DEVID_FIELD_MAX. The last ';' may be missing.
 * ERR_FORMAT or ERR_RANGE with a detail otherwise.
 */
int print_devid_parse(const char *s, size_t len, struct print_devid *out);
/*
 * Unwraps the answer to GET_DEVICE_ID (and LPIOC_GET_DEVICE_ID): two bytes
 * of length, big-endian, counting themselves, then the string. A length
 * that only makes sense little-endian is accepted (a common firmware bug).
 * Copies the string, NUL-terminated, into out (PRINT_DEVICE_ID_MAX bytes).
 */
int print_devid_unwrap(const uint8_t *buf, size_t n, char *out, size_t outsz);
/*
 * PostScript if CMD lists POSTSCRIPT (or PS, PS2, PS3...), else ESC/POS if
 * CMD lists ESC/POS (or ESCPOS) or MFG/MDL is a known thermal printer,
 * else ERR_PRINTER_LANG naming the printer and its CMD.
 */
int print_lang_choose(const struct print_devid *id, enum print_lang *out);
/* print_devid_parse() then print_lang_choose() on a printer's device_id. */
int print_lang_of(const struct printer *p, enum print_lang *out);
/* Opens, reads the language, closes: what to render before a job. */
int print_probe(const struct print_ops *ops, const char *spec, enum print_lang *out);
const char *print_lang_name(enum print_lang l); /* "PostScript", "ESC/POS" */

/*
 * What a USB printer-class status byte (GET_PORT_STATUS, LPGETSTATUS)
 * says: 0, ERR_PRINTER_NOPAPER or ERR_PRINTER_OFFLINE. Paper first, as it is
 * what the bureau can fix; many printers out of paper also say off line.
 */
int print_port_status_fault(unsigned status);

#endif
