/* The session database and its hash-chained journal (store/, store/journal.c),
 * and what the verifier reads back from it (tables, meta, files, counts, the
 * decrypted ballots in steps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "format/journal_entry.h"
#include "lib/err.h"
#include "lib/hex.h"
#include "store/journal.h"
#include "store/store.h"
#include "../support/testlib.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s;
};

static int setup(void **state)
{
	static struct fixture f;

	testlib_tmpdir(f.dir, sizeof(f.dir));
	snprintf(f.path, sizeof(f.path), "%s/session.db", f.dir);
	if (store_open(f.path, 1, &f.s) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	testlib_rmdir(f->dir);
	return 0;
}

static void test_meta_and_files(void **state)
{
	struct fixture *f = *state;
	char v[32];
	uint8_t *data = NULL;
	size_t len = 0;

	assert_int_equal(store_meta_set(f->s, "phase", "ceremony"), 0);
	assert_int_equal(store_meta_get(f->s, "phase", v, sizeof(v)), 0);
	assert_string_equal(v, "ceremony");
	assert_int_equal(store_meta_get(f->s, "phase", v, 4), ERR_RANGE);
	assert_int_equal(store_meta_get(f->s, "nothing", v, sizeof(v)), ERR_NOTFOUND);
	assert_int_equal(store_file_put(f->s, "record.json", "{}\n", 3), 0);
	/* an archived file is written once */
	assert_int_equal(store_file_put(f->s, "record.json", "{1}\n", 4), ERR_IO);
	assert_int_equal(store_file_get(f->s, "record.json", &data, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "{}\n", 3);
	free(data);
	assert_int_equal(store_file_get(f->s, "nope", &data, &len), ERR_NOTFOUND);
}

static void test_create_refuses_existing(void **state)
{
	struct fixture *f = *state;
	struct store *s2 = NULL;

	assert_int_equal(store_open(f->path, 1, &s2), ERR_EXISTS);
	assert_int_equal(store_open("/tmp/sceau-test-none/x.db", 0, &s2), ERR_NOTFOUND);
}

static void test_journal_chain(void **state)
{
	struct fixture *f = *state;
	uint8_t head[32], head2[32], zero[32] = { 0 };
	uint64_t n = 0;

	assert_int_equal(journal_head(f->s, head, &n), 0);
	assert_int_equal(n, 0);
	assert_memory_equal(head, zero, 32);
	assert_int_equal(journal_append(f->s, "ceremony.start", "t=%u m=%u", 2u, 3u), 0);
	assert_int_equal(journal_append(f->s, "card.written", "index=1"), 0);
	assert_int_equal(journal_append(f->s, "card.written", "index=2"), 0);
	assert_int_equal(journal_head(f->s, head, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(journal_verify(f->s, &n, head2), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(head, head2, 32);
}

/* docs/FORMATS.md "Journal": the documented example entry hashes to the
 * documented value, so an outsider can check their own implementation. */
static void test_journal_documented_example(void **state)
{
	struct journal_row row;
	uint8_t h[32], want[32];

	(void)state;
	memset(&row, 0, sizeof(row));
	row.seq = 1;
	snprintf(row.time, sizeof(row.time), "2026-12-08T18:42:10Z");
	snprintf(row.event, sizeof(row.event), "results.signed");
	row.detail = "cards=3";
	assert_int_equal(hex_decode("2c1b5eb1302c15191df88bb883390a5ea64896bdb2d20e7f8e12f8f0"
				    "44a4d8bd", want, 32), 0);
	assert_int_equal(journal_hash(&row, h), 0);
	assert_memory_equal(h, want, 32);
}

static void tamper(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_journal_is_append_only(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;

	assert_int_equal(journal_append(f->s, "a", "1"), 0);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE journal SET detail='x'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM journal", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
}

/* Someone who drops the triggers and edits an entry still breaks the chain. */
static void test_journal_edit_detected(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(journal_append(f->s, "a", "one"), 0);
	assert_int_equal(journal_append(f->s, "b", "two"), 0);
	assert_int_equal(journal_append(f->s, "c", "three"), 0);
	tamper(f->path, "DROP TRIGGER journal_no_update;"
			"UPDATE journal SET detail='TWO' WHERE seq=2;");
	assert_int_equal(journal_verify(f->s, NULL, NULL), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "entry 2"));
}

static void test_journal_removal_detected(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(journal_append(f->s, "a", "one"), 0);
	assert_int_equal(journal_append(f->s, "b", "two"), 0);
	assert_int_equal(journal_append(f->s, "c", "three"), 0);
	tamper(f->path, "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq=2;");
	assert_int_equal(journal_verify(f->s, NULL, NULL), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "entry 3"));
}

static void test_sealed_refuses_writes(void **state)
{
	struct fixture *f = *state;
	struct store *again = NULL;

	assert_int_equal(journal_append(f->s, "a", "1"), 0);
	assert_int_equal(store_seal(f->s), 0);
	assert_true(store_is_sealed(f->s));
	assert_int_equal(journal_append(f->s, "b", "2"), ERR_STATE);
	assert_int_equal(store_file_put(f->s, "x", "y", 1), ERR_STATE);
	assert_int_equal(store_meta_set(f->s, "phase", "x"), ERR_STATE);
	/* the seal survives closing and reopening */
	assert_int_equal(store_open(f->path, 0, &again), 0);
	assert_true(store_is_sealed(again));
	assert_int_equal(journal_append(again, "b", "2"), ERR_STATE);
	store_close(again);
}

static int tables_named(const char *path, const char *name)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master"
						" WHERE type = 'table' AND name = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* A session made with another schema is refused, and left as it was:
 * schema 1 (ballots not in chunks), schema 2 (v1 ballots: no set_aside,
 * no shuffles), none. */
static void test_other_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct store *again = NULL;

	tamper(f->path, "UPDATE meta SET value='2' WHERE key='schema';"
			"DROP TABLE set_aside; DROP TABLE shuffles;");
	assert_int_equal(store_open(f->path, 0, &again), ERR_SCHEMA);
	assert_non_null(strstr(err_last_detail(), "schema 2; this firmware reads schema 3"));
	assert_int_equal(tables_named(f->path, "set_aside"), 0);
	assert_int_equal(tables_named(f->path, "shuffles"), 0);
	tamper(f->path, "UPDATE meta SET value='1' WHERE key='schema';"
			"DROP TABLE ballot_chunks;");
	assert_int_equal(store_open(f->path, 0, &again), ERR_SCHEMA);
	assert_non_null(strstr(err_last_detail(), "schema 1; this firmware reads schema 3"));
	assert_int_equal(tables_named(f->path, "ballot_chunks"), 0);
	tamper(f->path, "DELETE FROM meta WHERE key='schema';");
	assert_int_equal(store_open(f->path, 0, &again), ERR_SCHEMA);
	assert_non_null(strstr(err_last_detail(), "schema (none); this firmware"));
	assert_int_equal(tables_named(f->path, "ballot_chunks"), 0);
	tamper(f->path, "INSERT INTO meta VALUES ('schema', '3');");
	assert_int_equal(store_open(f->path, 0, &again), 0);
	store_close(again);
}

/* A SQLite file that is not a Sceau session (no meta table) is refused,
 * and nothing is created in it. */
static void test_foreign_database_refused(void **state)
{
	struct fixture *f = *state;
	struct store *again = NULL;
	char path[sizeof(f->path) + 8];

	snprintf(path, sizeof(path), "%s.other", f->path);
	unlink(path);
	tamper(path, "CREATE TABLE t (x);");
	assert_int_equal(store_open(path, 0, &again), ERR_SCHEMA);
	assert_null(again);
	assert_non_null(strstr(err_last_detail(), "is not a Sceau session database"));
	assert_int_equal(tables_named(path, "ballot_chunks"), 0);
	assert_int_equal(tables_named(path, "meta"), 0);
	unlink(path);
}

/* The archive's database on read-only media: opened as it is, from a path
 * with characters a URI escapes, nothing created beside it, no write. */
static void test_readonly_open(void **state)
{
	struct fixture *f = *state;
	struct store *ro = NULL;
	char dir[200], path[260], side[280];
	uint64_t n = 0;

	assert_int_equal(journal_append(f->s, "a", "1"), 0);
	assert_int_equal(journal_append(f->s, "b", "2"), 0);
	assert_int_equal(store_compact(f->s), 0);
	store_close(f->s);
	f->s = NULL;
	snprintf(dir, sizeof(dir), "%s/odd dir #1?%%", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/session.db", dir);
	assert_int_equal(rename(f->path, path), 0);
	assert_int_equal(store_open_readonly(path, &ro), 0);
	assert_int_equal(journal_verify(ro, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(journal_append(ro, "c", "3"), ERR_STATE);
	store_close(ro);
	snprintf(side, sizeof(side), "%s-wal", path);
	assert_int_not_equal(access(side, F_OK), 0);
	snprintf(side, sizeof(side), "%s-shm", path);
	assert_int_not_equal(access(side, F_OK), 0);
}

/* --- ballots in chunks ---------------------------------------------------- */

#define N_BALLOTS (2 * STORE_CHUNK_MAX + 300)

/* Ballot seq, as the import would store it: bytes from seq. */
static void ballot_make(uint64_t seq, uint8_t tracker[32], uint8_t rec[BALLOT2_RECORD_LEN])
{
	for (int i = 0; i < 32; i++)
		tracker[i] = (uint8_t)(seq * 31 + (uint64_t)i);
	rec[0] = 0;
	rec[1] = (uint8_t)(1 + seq % 4);
	for (size_t i = 2; i < BALLOT2_RECORD_LEN; i++)
		rec[i] = (uint8_t)(seq ^ (seq >> 8) ^ i);
}

/* n ballots from first, laid out as store.h says; *len bytes (the buffer
 * has room for one entry more). */
static uint8_t *chunk_make(uint64_t first, unsigned n, size_t *len)
{
	uint8_t *d = malloc((size_t)(n + 1) * STORE_ENTRY_LEN), *p = d;

	assert_non_null(d);
	for (unsigned i = 0; i < n; i++, p += STORE_ENTRY_LEN)
		ballot_make(first + i, p, p + 32);
	*len = (size_t)(p - d);
	return d;
}

static void chunk_store(struct store *s, uint64_t first, unsigned n)
{
	size_t len;
	uint8_t *d = chunk_make(first, n, &len);

	assert_int_equal(store_ballot_chunk_add(s, first, n, d, len), 0);
	free(d);
}

/* Stores ballots 1..total in chunks as the import does: full ones, then
 * the rest. */
static void ballots_store(struct store *s, uint64_t total)
{
	assert_int_equal(store_begin(s), 0);
	for (uint64_t first = 1; first <= total; first += STORE_CHUNK_MAX) {
		uint64_t n = total - first + 1;

		chunk_store(s, first, n < STORE_CHUNK_MAX ? (unsigned)n : STORE_CHUNK_MAX);
	}
	assert_int_equal(store_commit(s), 0);
}

struct expect {
	uint64_t next;   /* the seq the next call must have */
	unsigned calls;
	unsigned fail_at; /* return ERR_CANCELLED on this call (0: never) */
};

static int expect_ballot(uint64_t seq, const uint8_t *tracker, const uint8_t *record,
			 void *arg)
{
	struct expect *x = arg;
	uint8_t t[32], r[BALLOT2_RECORD_LEN];

	ballot_make(seq, t, r);
	assert_int_equal(seq, x->next);
	assert_int_equal(ballot2_scrutin(record), 1 + seq % 4);
	assert_memory_equal(tracker, t, 32);
	assert_memory_equal(record, r, BALLOT2_RECORD_LEN);
	x->next++;
	return ++x->calls == x->fail_at ? ERR_CANCELLED : 0;
}

/* Reads from after, at most max, and checks it got exactly want ballots. */
static void read_check(struct store *s, uint64_t after, unsigned max, unsigned want)
{
	struct expect x = { after + 1, 0, 0 };
	unsigned n = 12345;

	assert_int_equal(store_ballots_read(s, after, max, expect_ballot, &x, &n), 0);
	assert_int_equal(n, want);
	assert_int_equal(x.calls, want);
}

static void test_chunks_round_trip(void **state)
{
	static const struct {
		const char *what;
		uint64_t after;
		unsigned max, want;
	} rows[] = {
		{ "from the start, one", 0, 1, 1 },
		{ "from the start, all", 0, 100000, N_BALLOTS },
		{ "nothing asked", 0, 0, 0 },
		{ "the last of a chunk", STORE_CHUNK_MAX - 1, 1, 1 },
		{ "across a boundary", STORE_CHUNK_MAX - 1, 2, 2 },
		{ "the first of the second chunk", STORE_CHUNK_MAX, 1, 1 },
		{ "a decryption batch inside a chunk", 1000, 512, 512 },
		{ "two chunks' worth, from the middle of one", 100, 2 * STORE_CHUNK_MAX,
		  2 * STORE_CHUNK_MAX },
		{ "more than is left", 500, 2 * STORE_CHUNK_MAX, N_BALLOTS - 500 },
		{ "the short last chunk", 2 * STORE_CHUNK_MAX, 1000, 300 },
		{ "up to the end", N_BALLOTS - 10, 512, 10 },
		{ "at the end", N_BALLOTS, 512, 0 },
		{ "past the end", N_BALLOTS + 5000, 512, 0 },
	};
	struct fixture *f = *state;
	uint64_t total = 0;

	ballots_store(f->s, N_BALLOTS);
	assert_int_equal(store_ballot_count(f->s, &total), 0);
	assert_int_equal(total, N_BALLOTS);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("  %s\n", rows[i].what);
		read_check(f->s, rows[i].after, rows[i].max, rows[i].want);
	}
}

/* The decryptor's loop: batches from the last seq read, until none is left. */
static void test_chunks_read_in_batches(void **state)
{
	struct fixture *f = *state;
	struct expect x = { 1, 0, 0 };
	uint64_t after = 0;
	unsigned n;

	ballots_store(f->s, N_BALLOTS);
	do {
		assert_int_equal(store_ballots_read(f->s, after, 700, expect_ballot, &x, &n), 0);
		after += n;
	} while (n);
	assert_int_equal(x.calls, N_BALLOTS);
}

static void test_chunks_empty(void **state)
{
	struct fixture *f = *state;
	struct expect x = { 1, 0, 0 };
	uint64_t total = 1;
	unsigned n = 1;

	assert_int_equal(store_ballot_count(f->s, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(store_ballots_read(f->s, 0, 512, expect_ballot, &x, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(x.calls, 0);
}

static void test_chunks_callback_stops(void **state)
{
	struct fixture *f = *state;
	struct expect x = { 1, 0, 3 };
	unsigned n = 0;

	ballots_store(f->s, 10);
	assert_int_equal(store_ballots_read(f->s, 0, 10, expect_ballot, &x, &n),
			 ERR_CANCELLED);
	assert_int_equal(x.calls, 3);
}

/* A row written behind the store's back, as is. */
static void chunk_raw(const char *path, int64_t first, int64_t n, const uint8_t *d,
		      size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO ballot_chunks VALUES(?, ?, ?)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_blob(st, 3, d, (int)len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

enum chunk_fault { CF_PAST_END, CF_LEFT_OVER, CF_N_MORE, CF_N_ZERO, CF_N_HUGE, CF_GAP,
		   CF_OVERLAP, CF_NO_FIRST };

/* Ballots 1..3 in one chunk, then 4..5 in a second one, one rule broken. */
static void chunk_faulty(const char *path, enum chunk_fault fault)
{
	size_t len, len2;
	uint8_t *d = chunk_make(1, 3, &len), *d2 = chunk_make(4, 2, &len2);
	int64_t n = 3, first2 = 4;

	if (fault == CF_PAST_END)
		len--;
	if (fault == CF_LEFT_OVER)
		d[len++] = 0; /* chunk_make's buffer is larger than its chunk */
	if (fault == CF_N_MORE)
		n = 4;
	if (fault == CF_N_ZERO)
		n = 0;
	if (fault == CF_N_HUGE)
		n = STORE_CHUNK_MAX + 1;
	if (fault == CF_GAP)
		first2 = 5;
	if (fault == CF_OVERLAP)
		first2 = 3;
	if (fault != CF_NO_FIRST)
		chunk_raw(path, 1, n, d, len);
	chunk_raw(path, first2, 2, d2, len2);
	free(d);
	free(d2);
}

static void test_chunks_malformed_refused(void **state)
{
	static const struct {
		enum chunk_fault fault;
		const char *detail;
	} rows[] = {
		{ CF_PAST_END, "683 bytes for 3 ballots of 228 bytes" },
		{ CF_LEFT_OVER, "685 bytes for 3 ballots of 228 bytes" },
		{ CF_N_MORE, "684 bytes for 4 ballots of 228 bytes" },
		{ CF_N_ZERO, "0 ballots" },
		{ CF_N_HUGE, "1025 ballots" },
		{ CF_GAP, "ballot 4 expected first" },
		{ CF_OVERLAP, "ballot 4 expected first" },
		{ CF_NO_FIRST, "ballots 1 to 3 are missing" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct expect x = { 1, 0, 0 };
		unsigned n = 0;

		print_message("  %s\n", rows[i].detail);
		tamper(f->path, "DELETE FROM ballot_chunks");
		chunk_faulty(f->path, rows[i].fault);
		assert_int_equal(store_ballots_read(f->s, 0, 100, expect_ballot, &x, &n),
				 ERR_FORMAT);
		assert_non_null(strstr(err_last_detail(), "malformed"));
		assert_non_null(strstr(err_last_detail(), rows[i].detail));
		/* a chunk is checked whole before any of its ballots is used */
		assert_true(x.calls == 0 || x.calls == 3);
	}
}

/* The gap is found from wherever the reading starts. */
static void test_chunks_gap_after(void **state)
{
	struct fixture *f = *state;
	struct expect x = { 1501, 0, 0 };
	unsigned n = 0;

	ballots_store(f->s, STORE_CHUNK_MAX);
	assert_int_equal(store_begin(f->s), 0);
	chunk_store(f->s, 2 * STORE_CHUNK_MAX + 1, 10);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_ballots_read(f->s, 1500, 10, expect_ballot, &x, &n), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "ballots 1501 to 2048 are missing"));
	x.next = STORE_CHUNK_MAX + 1;
	assert_int_equal(store_ballots_read(f->s, STORE_CHUNK_MAX, 10, expect_ballot, &x, &n),
			 ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "ballot 1025 expected first"));
}

/* The store never writes a chunk it would refuse to read. */
static void test_chunks_add_checks(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *d = chunk_make(1, 3, &len);

	assert_int_equal(store_ballot_chunk_add(f->s, 1, 3, d, len + 1), ERR_FORMAT);
	assert_int_equal(store_ballot_chunk_add(f->s, 1, 4, d, len), ERR_FORMAT);
	assert_int_equal(store_ballot_chunk_add(f->s, 0, 3, d, len), ERR_FORMAT);
	assert_int_equal(store_ballot_chunk_add(f->s, 1, 3, d, len), 0);
	free(d);
}

/* --- set aside, shuffles, decrypted ------------------------------------------ */

static int aside_row(uint64_t seq, unsigned scrutin, const char *reason, void *arg)
{
	char *text = arg;
	size_t k = strlen(text);

	snprintf(text + k, 256 - k, "%llu:%u:%s;", (unsigned long long)seq, scrutin, reason);
	return 0;
}

/* Set-aside ballots come back by seq, in pages. */
static void test_set_aside(void **state)
{
	struct fixture *f = *state;
	char text[256] = "";
	uint64_t rows = 0;
	unsigned n = 9;

	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_set_aside_add(f->s, 9, 2, "duplicate"), 0);
	assert_int_equal(store_set_aside_add(f->s, 3, 1, "proof-failed"), 0);
	assert_int_equal(store_set_aside_add(f->s, 5, 4, "proof-failed"), 0);
	assert_int_equal(store_set_aside_add(f->s, 5, 4, "duplicate"), ERR_IO);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_count_rows(f->s, "set_aside", &rows), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(store_set_aside_read(f->s, 0, 2, aside_row, text, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_set_aside_read(f->s, 5, 2, aside_row, text, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(text, "3:1:proof-failed;5:4:proof-failed;9:2:duplicate;");
	assert_int_equal(store_set_aside_read(f->s, 9, 2, aside_row, text, &n), 0);
	assert_int_equal(n, 0);
}

static int shuffle_row(unsigned scrutin, uint32_t n, const char *sha, void *arg)
{
	char *text = arg;
	size_t k = strlen(text);

	snprintf(text + k, 256 - k, "%u:%u:%.4s;", scrutin, (unsigned)n, sha);
	return 0;
}

/* One row per scrutin, replaced by a new shuffle, cleared by a new import. */
static void test_shuffles(void **state)
{
	static const char h1[] = "11112222333344445555666677778888999900001111222233334444aaaabbbb";
	static const char h2[] = "2222000000000000000000000000000000000000000000000000000000000000";
	struct fixture *f = *state;
	char text[256] = "";

	assert_int_equal(store_shuffle_put(f->s, 3, 10, h1), 0);
	assert_int_equal(store_shuffle_put(f->s, 1, 7, h1), 0);
	assert_int_equal(store_shuffle_put(f->s, 3, 11, h2), 0);
	assert_int_equal(store_shuffles_each(f->s, shuffle_row, text), 0);
	assert_string_equal(text, "1:7:1111;3:11:2222;");
	assert_int_equal(store_shuffles_clear(f->s), 0);
	text[0] = '\0';
	assert_int_equal(store_shuffles_each(f->s, shuffle_row, text), 0);
	assert_string_equal(text, "");
	/* a malformed hash is refused on reading */
	assert_int_equal(store_shuffle_put(f->s, 2, 5, "abc"), 0);
	assert_int_equal(store_shuffles_each(f->s, shuffle_row, text), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "shuffle of scrutin 2"));
}

static void decrypted_add(struct store *s, uint16_t scrutin, uint32_t idx, uint8_t point)
{
	struct decrypted_ballot d;

	memset(&d, 0, sizeof(d));
	d.scrutin = scrutin;
	d.idx = idx;
	d.status = idx % 3 == 0 ? DECFILE_UNREADABLE : DECFILE_READ;
	d.S[0] = 4;
	memset(d.S + 1, point, 64);
	d.pt_len = 3;
	d.pt[0] = d.status == DECFILE_READ;
	assert_int_equal(store_decrypted_add(s, &d), 0);
}

struct seen {
	char text[512];
	uint32_t pos[16];
	unsigned n;
};

static int seen_dec(const struct decrypted_ballot *d, void *arg)
{
	struct seen *s = arg;

	s->pos[s->n++] = (uint32_t)d->scrutin << 16 | d->idx;
	return d->pt_len == 3 && d->S[1] == (uint8_t)(0x10 * d->scrutin + d->idx) &&
			       d->status == (d->idx % 3 == 0) && d->pt[0] == (d->idx % 3 != 0)
		       ? 0
		       : ERR_INTERNAL;
}

/* By (scrutin, idx), resumed in steps from a position; the last idx of a
 * scrutin tells the decryption where to resume. */
static void test_decrypted_read_in_steps(void **state)
{
	static const uint32_t want[] = { 0x10001, 0x10002, 0x10003, 0x10004,
					 0x30001, 0x30002, 0x30003 };
	struct fixture *f = *state;
	struct seen s;
	unsigned n = 99;
	uint32_t last = 99;

	assert_int_equal(store_begin(f->s), 0);
	for (uint32_t i = 3; i >= 1; i--) /* stored in any order */
		decrypted_add(f->s, 3, i, (uint8_t)(0x30 + i));
	for (uint32_t i = 1; i <= 4; i++)
		decrypted_add(f->s, 1, i, (uint8_t)(0x10 + i));
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_decrypted_last(f->s, 1, &last), 0);
	assert_int_equal(last, 4);
	assert_int_equal(store_decrypted_last(f->s, 2, &last), 0);
	assert_int_equal(last, 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_decrypted_read(f->s, 0, 0, 3, seen_dec, &s, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_decrypted_read(f->s, 1, 3, 3, seen_dec, &s, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_decrypted_read(f->s, 3, 2, 3, seen_dec, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_decrypted_read(f->s, 3, 3, 3, seen_dec, &s, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(s.n, 7);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(s.pos[i], want[i]);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_decrypted_each(f->s, seen_dec, &s), 0);
	assert_int_equal(s.n, 7);
	assert_memory_equal(s.pos, want, sizeof(want));
	/* a malformed row (S of 3 bytes) is a format error naming it */
	store_close(f->s);
	f->s = NULL;
	tamper(f->path, "UPDATE decrypted SET s_point = x'040102' WHERE scrutin = 3 AND idx = 2");
	assert_int_equal(store_open(f->path, 0, &f->s), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_decrypted_read(f->s, 0, 0, 10, seen_dec, &s, &n), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "decrypted ballot 3/2"));
}

static int seen_name(const char *name, void *arg)
{
	struct seen *s = arg;
	size_t k = strlen(s->text);

	snprintf(s->text + k, sizeof(s->text) - k, "%s;", name);
	return 0;
}

static int seen_meta(const char *key, const char *value, void *arg)
{
	struct seen *s = arg;
	size_t k = strlen(s->text);

	snprintf(s->text + k, sizeof(s->text) - k, "%s=%s;", key, value);
	return 0;
}

static int seen_file(const char *name, const uint8_t *data, size_t len, void *arg)
{
	struct seen *s = arg;
	size_t k = strlen(s->text);

	snprintf(s->text + k, sizeof(s->text) - k, "%s:%.*s;", name, (int)len, (const char *)data);
	return 0;
}

static int seen_counts(unsigned scrutin, uint64_t ballots, uint64_t emargements, void *arg)
{
	struct seen *s = arg;
	size_t k = strlen(s->text);

	snprintf(s->text + k, sizeof(s->text) - k, "%u:%llu/%llu;", scrutin,
		 (unsigned long long)ballots, (unsigned long long)emargements);
	return 0;
}

static void test_tables_listed(void **state)
{
	struct fixture *f = *state;
	struct seen s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(store_tables_each(f->s, seen_name, &s), 0);
	assert_string_equal(s.text, "ballot_chunks;decrypted;files;irregularities;journal;meta;"
				    "scrutin_counts;set_aside;shuffles;");
	assert_int_equal(store_meta_set(f->s, "urn_sha256", "ab"), 0);
	assert_int_equal(store_file_put(f->s, "results.json", "{}", 2), 0);
	assert_int_equal(store_file_put(f->s, "election.json", "[]", 2), 0);
	assert_int_equal(store_counts_set(f->s, 2, 5, 6), 0);
	assert_int_equal(store_counts_set(f->s, 1, 3, 4), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_meta_each(f->s, seen_meta, &s), 0);
	assert_string_equal(s.text, "schema=3;urn_sha256=ab;");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_files_each(f->s, seen_file, &s), 0);
	assert_string_equal(s.text, "election.json:[];results.json:{};");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_counts_each(f->s, seen_counts, &s), 0);
	assert_string_equal(s.text, "1:3/4;2:5/6;");
	store_close(f->s);
	f->s = NULL;
	tamper(f->path, "CREATE TABLE notes(x); ANALYZE");
	assert_int_equal(store_open(f->path, 0, &f->s), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_tables_each(f->s, seen_name, &s), 0);
	/* SQLite's own tables (sqlite_stat1 after ANALYZE) are left out */
	assert_string_equal(s.text, "ballot_chunks;decrypted;files;irregularities;journal;meta;"
				    "notes;scrutin_counts;set_aside;shuffles;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meta_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_chain, setup, teardown),
		cmocka_unit_test(test_journal_documented_example),
		cmocka_unit_test_setup_teardown(test_journal_is_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_edit_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_removal_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_refuses_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_database_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_read_in_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_malformed_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_gap_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunks_add_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shuffles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decrypted_read_in_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables_listed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
