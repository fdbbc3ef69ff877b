/*
 * Inside the verifier: the state the checks share (what each one found
 * and the next ones need), the notes, and one entry point per check file.
 */
#ifndef SCEAU_VERIFY_VERIFY_INT_H
#define SCEAU_VERIFY_VERIFY_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/checks.h"
#include "format/archive_manifest.h"
#include "format/election.h"
#include "format/record.h"
#include "count/tally.h"
#include "format/media_manifest.h"
#include "media/media.h"
#include "verify/verify.h"
#include "verify/verify_msg.h"

#define VFILE_MAX 1024            /* files of an archive */
#define VFILE_NAME_MAX ARCHIVE_NAME_MAX /* bytes of a file name */
#define VRESULTS_MAX (256u << 20) /* results.json */

/* An archive file, hashed once whoever asks first. */
struct vfile {
	char name[VFILE_NAME_MAX + 1];
	int state;                    /* 0: not read, 1: hashed, <0: ERR_* */
	uint64_t size;
	uint8_t sha[32];
};

struct store;
struct vdb_stream;

/* A ballot of the urn set aside (nul, not shuffled), as the box decides. */
struct vaside {
	uint64_t seq;                 /* its position in the urn, 1-based */
	uint16_t scrutin;
	uint8_t reason;               /* BALLOT_NUL_PROOF_FAILED or _DUPLICATE */
};

/* A scrutin's shuffle inputs: A || B of its ballots not set aside, in urn
 * order, kept in an unlinked temporary file (130 bytes a ballot). */
struct vinputs {
	FILE *f;
	uint64_t n;
};

struct vctx {
	const struct verify_opts *o;
	struct verify_report *r;
	char dir[4096];               /* the archive's files */
	char tmp[4096];               /* an ISO extracted here; removed at the end */
	char path[4096 + 320];
	unsigned n_files;
	struct vfile files[VFILE_MAX]; /* hash cache */

	int record_ok;
	struct record rec;
	uint8_t record_sha[32];
	struct election *e;           /* NULL unless election.json parsed and matched */

	int urn_man_ok, emarg_man_ok; /* manifests parsed (seal or not) */
	struct manifest urn_man, emarg_man;

	int urn_read, emarg_read;     /* data files read to the end */
	uint64_t urn_total;           /* ballots in the urn, once read */
	uint64_t urn_counts[ELECTION_MAX_SCRUTINS], emarg_counts[ELECTION_MAX_SCRUTINS];
	const struct crypto_checks *ck; /* the v2 checks' implementation */
	struct vinputs inputs[ELECTION_MAX_SCRUTINS];
	struct vaside *aside;         /* the set-aside ballots, in urn order */
	uint64_t n_aside, cap_aside;
	int shuffles_done;            /* every scrutin's shuffle file examined */
	int tally_ok;                 /* every ballot counted: set aside, or decrypted */
	struct tally *tallies[ELECTION_MAX_SCRUTINS];
	uint64_t dec_count;

	uint8_t *results;             /* results.json bytes, or NULL */
	size_t results_len;

	int amf_ok;
	struct archive_manifest amf;  /* the final manifest */
	uint8_t *amf_buf;
	size_t amf_len;

	struct store *db;             /* session.db (a private copy), or NULL */
	char db_tmp[4096];            /* the copy's directory; removed at the end */
	struct vdb_stream *dbs;       /* its tables read in step with the pass */
	int db_pass_done;             /* ballot_chunks and decrypted compared */

	int journal_ok;
	uint8_t journal_head[32];
	uint64_t journal_n;
	uint8_t (*journal_hashes)[32]; /* [journal_n], entry seq at [seq - 1] */

	int qr_quiet;                 /* QR codes of the PDFs: failures only noted */
};

/* Notes: the message in both languages, from verify_msg.h. fail = 1 marks
 * the check failed, 0 only informs; vwarn marks it to be read. */
void vnote(struct vctx *c, enum verify_check_id id, int fail, enum vmsg m, ...);
void vwarn(struct vctx *c, enum verify_check_id id, enum vmsg m, ...);
/* Makes t valid UTF-8 without control characters (others become '?'). */
void vsanitize(char *t);
/* Not run, with the reason. */
void vskip(struct vctx *c, enum verify_check_id id, enum vmsg m, ...);
/* Ends a check: PASS unless it failed or warned already. */
void vdone(struct vctx *c, enum verify_check_id id);
int vfailed(const struct vctx *c, enum verify_check_id id);

/* Archive files. */
const char *vpath(struct vctx *c, const char *name);
int vexists(struct vctx *c, const char *name);
int vread(struct vctx *c, const char *name, size_t max, uint8_t **buf, size_t *len);
/* SHA-256 and size of a file (cached; vhash_put fills the cache from a
 * pass that read the file anyway). */
int vhash(struct vctx *c, const char *name, uint8_t sha[32], uint64_t *size);
void vhash_put(struct vctx *c, const char *name, const uint8_t sha[32], uint64_t size);
/* A private temporary directory (TMPDIR or /tmp) into out. */
int vtempdir(char *out, size_t n);
/* The last error detail, never empty. */
const char *vdetail(void);

/* The checks, one file each. */
int verify_open_archive(struct vctx *c);       /* verify_archive_dir.c */
void verify_close_archive(struct vctx *c);
void verify_record(struct vctx *c);            /* verify_record.c */
void verify_election(struct vctx *c);
void verify_seals(struct vctx *c);             /* verify_media.c */
void verify_emarg_entries(struct vctx *c);
void verify_irregularities(struct vctx *c);
void verify_ballots(struct vctx *c);           /* verify_pass.c: the urn */
void verify_shuffles(struct vctx *c);          /* verify_shuffle.c */
/* X of the PV's hashes code: the hash of every shuffle file (all hold). */
int verify_shuffles_hash(struct vctx *c, uint8_t out[32]);
void verify_decrypted(struct vctx *c);         /* verify_decrypted.c (+ verify_proofs.c) */
void verify_ballots_free(struct vctx *c);
/* The three above without the urn's image: ballots.bin's bytes fed by the
 * caller (verify_ballots reads them from urn.iso). */
struct vurn;
int verify_urn_begin(struct vctx *c, struct vurn **out);
int verify_urn_feed(const uint8_t *data, size_t len, void *vurn);
/* After the last byte (ret: what reading the file gave, 0 if it went to the
 * end): the urn's outcome noted. Frees u. */
void verify_urn_end(struct vurn *u, int ret);
/* An unlinked temporary file (TMPDIR or /tmp), read and written. */
FILE *vtempfile(void);
void verify_count(struct vctx *c);             /* verify_count.c */
void verify_sigs(struct vctx *c, int manifest); /* verify_sigs.c */
void verify_manifest_load(struct vctx *c);     /* verify_files.c */
void verify_manifest_files(struct vctx *c);
void verify_journal(struct vctx *c);           /* verify_journal.c */
void verify_db_open(struct vctx *c);           /* verify_db.c */
void verify_db_close(struct vctx *c);
void verify_database(struct vctx *c);
void verify_db_journal(struct vctx *c);        /* verify_db_journal.c */
/* hex is the SHA-256 of the archive's file (64 lower-case digits). */
int verify_sha_is(struct vctx *c, const char *file, const char *hex);
void verify_pv(struct vctx *c);                /* verify_qr.c */
/* One QR payload read from src, checked against the archive; 1 with *q
 * filled if it parsed, else 0 (a failure noted). */
struct pv_qr;
int verify_qr_check(struct vctx *c, const char *src, const char *text, size_t len,
		    struct pv_qr *q);
void verify_pv_pdfs(struct vctx *c);           /* verify_pv_pdf.c */
/* The X a hashes code printed (its hash of the shuffle files) against the
 * archive's shuffle files, all of which must hold (verify_qr.c). */
void verify_qr_shuffles(struct vctx *c, const char *src, const uint8_t x[32]);

/* The database's ballot_chunks and decrypted tables in step with the pass
 * over the ballots (verify_db_pass.c): each urn ballot, each entry of the
 * decrypted file (number = its position), then the counts at the end. */
struct urn_ballot;
struct decrypted_ballot;
int verify_db_pass_start(struct vctx *c);
void verify_db_ballot(struct vctx *c, const struct urn_ballot *b);
void verify_db_decrypted(struct vctx *c, uint64_t number, const struct decrypted_ballot *d);
/* The tables set_aside and shuffles against what the verifier found. */
void verify_db_v2(struct vctx *c);
void verify_db_pass_end(struct vctx *c, int urn_complete, uint64_t urn_total,
			int dec_complete, uint64_t dec_total);
void verify_db_pass_free(struct vctx *c, struct vdb_stream *d); /* NULL: c's own */

/* An archived image (a plain file) opened for the media/ readers. */
int verify_medium_open(struct vctx *c, const char *name, struct medium *m);
/* A medium's data file against its manifest: size, SHA-256, counts, total. */
void verify_media_match(struct vctx *c, enum verify_check_id id, const struct manifest *man,
			uint64_t size, const uint8_t sha[32], const uint64_t *counts,
			uint64_t total);
/* The irregularities the box must have recorded, into doc->irreg (a
 * previous list is released). */
struct results;
int verify_irregularities_doc(const struct vctx *c, struct results *doc);

#endif
