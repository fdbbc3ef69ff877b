/*
 * The verifier (issue 6): checks a sealed archive end to end from public
 * data only, with the firmware's own parsers and crypto (one library, no
 * copy of the logic), without card, printer, root or secret. Used by the
 * experts' tool sceau-verify and, later, by the box's `sceau verify`.
 *
 * verify_archive runs every check of docs/VERIFY.md and fills a report:
 * one entry per check (stable id, outcome, notes in French and English).
 * It never prints. A failed check is a result, not an error: the function
 * returns 0 whenever the report could be made, and verify_report_ok says
 * whether every check held.
 */
#ifndef SCEAU_VERIFY_VERIFY_H
#define SCEAU_VERIFY_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/i18n.h"

/* The checks, in report order. Their ids (verify_check_name) are stable. */
enum verify_check_id {
	VERIFY_ARCHIVE = 0,      /* "archive" */
	VERIFY_RECORD,           /* "record" */
	VERIFY_ELECTION,         /* "election" */
	VERIFY_URN_SEAL,         /* "urn.seal" */
	VERIFY_URN_BALLOTS,      /* "urn.ballots" */
	VERIFY_EMARG_SEAL,       /* "emargement.seal" */
	VERIFY_EMARG_ENTRIES,    /* "emargement.entries" */
	VERIFY_IRREGULARITIES,   /* "irregularities" */
	VERIFY_SHUFFLE,          /* "shuffle" */
	VERIFY_DEC_FILE,         /* "decrypted.file" */
	VERIFY_DEC_PROOFS,       /* "decrypted.proofs" */
	VERIFY_COUNT,            /* "count" */
	VERIFY_SIG_RESULTS,      /* "signatures.results" */
	VERIFY_JOURNAL,          /* "journal" */
	VERIFY_DATABASE,         /* "database" */
	VERIFY_MANIFEST,         /* "manifest" */
	VERIFY_SIG_MANIFEST,     /* "signatures.manifest" */
	VERIFY_PV_QR,            /* "pv.qr" */
	VERIFY_CHECK_COUNT
};

enum verify_status {
	VERIFY_NOT_RUN = 0,
	VERIFY_PASS,             /* the check holds */
	VERIFY_FAIL,             /* it does not: the archive is not conform */
	VERIFY_WARN,             /* holds, with something a person must read */
	VERIFY_SKIP,             /* not applicable, or impossible (a note says why) */
};

#define VERIFY_NOTE_MAX 400    /* bytes of one note, per language */
#define VERIFY_NOTES_MAX 24    /* notes kept per check; more are counted */
#define VERIFY_MAX_QR 64       /* --qr payloads */
#define VERIFY_MAX_SCAN 64     /* --scan images */
#define VERIFY_MAX_SCRUTINS 64 /* ELECTION_MAX_SCRUTINS */

struct verify_note {
	int fail;                     /* a note that explains a failure */
	char text[2][VERIFY_NOTE_MAX]; /* [LANG_FR], [LANG_EN] */
};

struct verify_check {
	enum verify_status status;
	unsigned n_notes;
	unsigned n_dropped;           /* notes beyond VERIFY_NOTES_MAX */
	struct verify_note notes[VERIFY_NOTES_MAX];
};

/* Detection probability of the sampled proof check (docs/VERIFY.md). */
struct verify_detect {
	uint64_t k;                   /* altered ballots assumed */
	long double p;                /* 1 - C(n-k, N) / C(n, N) */
};

struct verify_proofs {
	uint64_t total;               /* ballots in the urn */
	uint64_t checked;             /* proofs verified (all, or the sample) */
	uint64_t failed;
	uint64_t sample;              /* 0: every ballot */
	uint64_t seed;
	unsigned jobs;
	double seconds;               /* wall time of the pass over the ballots */
	struct verify_detect detect[3]; /* k = 1, 10, 1 % of total */
};

/* What the verifier found for one scrutin (the report's "scrutins"). */
enum verify_shuffle_state {
	VERIFY_SHUFFLE_NONE = 0,      /* no ballot to shuffle, and no file */
	VERIFY_SHUFFLE_PASS,          /* the proof holds in full */
	VERIFY_SHUFFLE_FAIL,          /* file missing, malformed, or the proof fails */
	VERIFY_SHUFFLE_NOT_CHECKED,   /* the urn could not be read to the end */
};

struct verify_scrutin {
	uint16_t id;
	uint64_t ballots;             /* records of the scrutin in the urn */
	uint64_t proof_failed;        /* set aside: proof of knowledge fails */
	uint64_t duplicate;           /* set aside: A of an earlier ballot */
	uint64_t shuffled;            /* N: the others, the shuffle's inputs */
	enum verify_shuffle_state shuffle;
	double shuffle_seconds;
	uint64_t decrypted;           /* entries of the decrypted file */
	uint64_t proofs_checked, proofs_failed;
};

struct verify_report {
	char archive[4096];
	int sealed;                   /* a sealed archive (else a counted session) */
	char election_title[256];
	char election_id[65];
	struct verify_check checks[VERIFY_CHECK_COUNT];
	struct verify_proofs proofs;
	char crypto[16];              /* the checks' implementation: "openssl", "mbedtls" */
	unsigned n_scrutins;
	struct verify_scrutin scrutins[VERIFY_MAX_SCRUTINS];
	char *recount;                /* the results.json the recount gives, or NULL */
	size_t recount_len;
};

struct verify_opts {
	const char *archive;          /* a directory, or an ISO 9660 image */
	int session;                  /* a counted session: seal files may be absent */
	unsigned jobs;                /* threads for the proofs; 0: one per core */
	uint64_t sample;              /* 0: every ballot; N: N ballots at random */
	int seed_set;                 /* else the seed is drawn and reported */
	uint64_t seed;
	const char *const *qr;        /* PV QR payloads, typed or read by a phone */
	unsigned n_qr;
	const char *const *scan;      /* images of PV pages (PNG, JPEG, PBM, PGM) */
	unsigned n_scan;
	int no_pdf;                   /* the archive's PV PDFs not read (a warning) */
	const char *crypto;           /* "openssl", "mbedtls"; NULL: the build's default */
	/* Called from the main thread while the ballots are checked; optional. */
	void (*progress)(uint64_t done, uint64_t total, void *arg);
	void *progress_arg;
};

/*
 * Checks the archive. 0 with *out filled (whatever the outcome),
 * ERR_USAGE for inconsistent options, ERR_NOMEM. Free with verify_report_free.
 */
int verify_archive(const struct verify_opts *o, struct verify_report **out);
void verify_report_free(struct verify_report *r); /* NULL ok */

/* 1 if no check failed. */
int verify_report_ok(const struct verify_report *r);
/* Number of failed checks. */
unsigned verify_report_failures(const struct verify_report *r);

/* "urn.seal", ...; NULL for an unknown id. */
const char *verify_check_name(enum verify_check_id id);
/* What the check verifies, in language l. */
const char *verify_check_title(enum verify_check_id id, enum lang l);
const char *verify_status_name(enum verify_status s);

/* The readable report in language l (NUL-terminated; free()). */
int verify_report_text(const struct verify_report *r, enum lang l, char **text,
		       size_t *len);
/* The machine-readable report ("sceau-verify-report/2", docs/VERIFY.md). */
int verify_report_json(const struct verify_report *r, char **text, size_t *len);

#endif
