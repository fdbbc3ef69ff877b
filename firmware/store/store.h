/*
 * The session database (SQLite): one file per session, which becomes part
 * of the archive. It holds public data only: metadata, copies of the input
 * and output files, and the hash-chained journal (store/journal.h). Secrets
 * never enter it. Once the session is sealed, store_seal() makes every
 * write fail with ERR_STATE.
 */
#ifndef SCEAU_STORE_STORE_H
#define SCEAU_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ballot.h"
#include "format/decrypted.h"
#include "format/journal_entry.h"

/* A session database made by another firmware (value reserved in lib/err.h). */
enum store_err { ERR_SCHEMA = -30 };

/* Schema 3: v2 ballots (fixed entries in ballot_chunks), set_aside,
 * shuffles, decrypted by (scrutin, idx). */
#define STORE_SCHEMA_VERSION 3

/*
 * The imported ballots are stored STORE_CHUNK_MAX to a row of ballot_chunks
 * (first seq, n, data; docs/FORMATS.md), data holding for each ballot in
 * seq order a fixed entry of STORE_ENTRY_LEN bytes: tracker (32) | the
 * urn's record (196: u16be scrutin | A | B | c | z).
 */
#define STORE_CHUNK_MAX 1024
#define STORE_ENTRY_LEN (BALLOT2_TRACKER_LEN + BALLOT2_RECORD_LEN)

struct store;

/* Opens (create = 1: creates, refusing an existing file) a session database;
 * one of another schema version, or not a Sceau session, is refused
 * (ERR_SCHEMA) and left untouched; one that cannot be written is
 * ERR_READONLY. A sealed database is opened without any change to it. */
int store_open(const char *path, int create, struct store **out);
/* Opens a database read-only (the verifier, an archive on write-once
 * media): no schema change, every write fails. */
int store_open_readonly(const char *path, struct store **out);
void store_close(struct store *s); /* NULL ok */

int store_begin(struct store *s);
/* The same for one large transaction that mostly appends (the import);
 * store_commit/store_rollback end it. */
int store_begin_bulk(struct store *s);
int store_commit(struct store *s);
/* 1 inside a transaction begun by store_begin or store_begin_bulk. */
int store_in_transaction(struct store *s);
int store_rollback(struct store *s);

int store_meta_set(struct store *s, const char *key, const char *value);
/* ERR_NOTFOUND if absent; ERR_RANGE if it does not fit in n bytes. */
int store_meta_get(struct store *s, const char *key, char *out, size_t n);

/* Named public files (definition, record, report): insert once. */
int store_file_put(struct store *s, const char *name, const void *data, size_t len);
int store_file_get(struct store *s, const char *name, uint8_t **data, size_t *len);

int store_journal_insert(struct store *s, const struct journal_row *row);
/* The last row (seq 0 and zero hashes if the journal is empty); detail not filled. */
int store_journal_last(struct store *s, struct journal_row *row);
/* Calls fn for every row in order; stops at the first non-zero return. */
int store_journal_each(struct store *s,
		       int (*fn)(const struct journal_row *row, void *arg), void *arg);

/* Imported data (session/import.c), inside a store_begin/commit transaction. */
/* n ballots of seqs first.., data = n entries laid out as above (checked:
 * ERR_FORMAT). */
int store_ballot_chunk_add(struct store *s, uint64_t first, unsigned n,
			   const uint8_t *data, size_t len);
/* Number of ballots imported (summed over the chunks). */
int store_ballot_count(struct store *s, uint64_t *n);
/* Number of ballots the urn's manifest declared (summed over scrutin_counts). */
int store_counts_ballots(struct store *s, uint64_t *n);
int store_counts_set(struct store *s, uint16_t scrutin, uint64_t ballots,
		     uint64_t emargements);
int store_irregularity_add(struct store *s, uint16_t scrutin, const char *kind,
			   const char *detail);
/* Number of rows of a table ("irregularities", "journal", "decrypted",
 * "set_aside", "shuffles"). */
int store_count_rows(struct store *s, const char *table, uint64_t *n);

/* A stored ballot: seq, tracker (32) and record (BALLOT2_RECORD_LEN). */
typedef int (*store_ballot_fn)(uint64_t seq, const uint8_t *tracker, const uint8_t *record,
			       void *arg);

/* Ballots with seq > after, in seq order, at most max of them. Returns the
 * number read in *n. Reads only the chunks it needs; a malformed chunk, or
 * chunks whose seqs do not follow each other, is ERR_FORMAT. */
int store_ballots_read(struct store *s, uint64_t after, unsigned max, store_ballot_fn fn,
		       void *arg, unsigned *n);

/* The ballots set aside at import (docs/FORMATS.md: reason "proof-failed"
 * or "duplicate"), one row each, by seq. */
#define STORE_REASON_MAX 32
int store_set_aside_add(struct store *s, uint64_t seq, uint16_t scrutin, const char *reason);
/* Rows of seq > after, in seq order, at most max of them; *n read. */
int store_set_aside_read(struct store *s, uint64_t after, unsigned max,
			 int (*fn)(uint64_t seq, unsigned scrutin, const char *reason, void *arg),
			 void *arg, unsigned *n);

/* The shuffle files (session/shuffle.c): one row per scrutin with at least
 * one ballot shuffled, its N and the file's SHA-256 (lower-case hex). */
int store_shuffle_put(struct store *s, uint16_t scrutin, uint32_t n, const char *sha256_hex);
/* Every row removed: the import shuffles again from scratch. */
int store_shuffles_clear(struct store *s);
int store_shuffles_each(struct store *s,
			int (*fn)(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg),
			void *arg);

/* The decryptions (session/decrypt.c), by (scrutin, idx). */
int store_decrypted_add(struct store *s, const struct decrypted_ballot *d);
/* The highest idx decrypted in a scrutin (0 if none). */
int store_decrypted_last(struct store *s, uint16_t scrutin, uint32_t *idx);
/* Every decrypted ballot, by scrutin then idx; d->pt_len is what is stored. */
int store_decrypted_each(struct store *s,
			 int (*fn)(const struct decrypted_ballot *d, void *arg), void *arg);
/* The decrypted ballots after (scrutin, idx) in that order, at most max of
 * them (a reader in step with another file keeps memory constant); the
 * number read in *n. A malformed row is ERR_FORMAT. */
int store_decrypted_read(struct store *s, uint16_t scrutin, uint32_t idx, unsigned max,
			 int (*fn)(const struct decrypted_ballot *d, void *arg), void *arg,
			 unsigned *n);

/* The irregularities in id order: fn(scrutin, kind, detail). */
int store_irregularities_each(struct store *s,
			      int (*fn)(unsigned scrutin, const char *kind,
					const char *detail, void *arg), void *arg);

/* What the database holds, for the verifier to compare with the published
 * files. Each calls fn per row (stopping at its first non-zero return). */
/* The names of its tables (SQLite's own sqlite_* tables left out). */
int store_tables_each(struct store *s, int (*fn)(const char *name, void *arg), void *arg);
/* Every meta key and value, by key. */
int store_meta_each(struct store *s, int (*fn)(const char *key, const char *value, void *arg),
		    void *arg);
/* Every stored file (files), by name. */
int store_files_each(struct store *s,
		     int (*fn)(const char *name, const uint8_t *data, size_t len, void *arg),
		     void *arg);
/* Every row of scrutin_counts, by scrutin. */
int store_counts_each(struct store *s,
		      int (*fn)(unsigned scrutin, uint64_t ballots, uint64_t emargements,
				void *arg), void *arg);

/* Marks the session sealed: from now on every write returns ERR_STATE. */
int store_seal(struct store *s);
int store_is_sealed(struct store *s);
/* Folds the write-ahead log into the file and leaves WAL mode, so that the
 * database is one self-contained file (for the archive and read-only media). */
int store_compact(struct store *s);

#endif
