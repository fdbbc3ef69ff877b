/* SQLite access for the session database; see store.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/err.h"
#include "lib/fault.h"
#include "store/store.h"

enum store_stmt_id { ST_CHUNK, ST_COUNTS, ST_IRREG, ST_DECRYPTED, ST_SET_ASIDE, ST__COUNT };

static const char *const store_stmt_sql[ST__COUNT] = {
	[ST_CHUNK] = "INSERT INTO ballot_chunks(first, n, data) VALUES(?, ?, ?)",
	[ST_COUNTS] = ("INSERT OR REPLACE INTO scrutin_counts(scrutin, ballots,"
		       " emargements) VALUES(?, ?, ?)"),
	[ST_IRREG] = "INSERT INTO irregularities(scrutin, kind, detail) VALUES(?, ?, ?)",
	[ST_DECRYPTED] = ("INSERT INTO decrypted(scrutin, idx, s_point, proof, status,"
			  " plaintext) VALUES(?, ?, ?, ?, ?, ?)"),
	[ST_SET_ASIDE] = "INSERT INTO set_aside(seq, scrutin, reason) VALUES(?, ?, ?)",
};

struct store {
	sqlite3 *db;
	int sealed;
	int bulk; /* inside store_begin_bulk(): rollback journal until the end */
	sqlite3_stmt *st[ST__COUNT]; /* prepared on first use, kept for speed */
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS files(name TEXT PRIMARY KEY, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	" event TEXT NOT NULL, detail TEXT NOT NULL, prev BLOB NOT NULL,"
	" hash BLOB NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal"
	" BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal"
	" BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS files_no_update BEFORE UPDATE ON files"
	" BEGIN SELECT RAISE(ABORT, 'archived files are immutable'); END;"
	"CREATE TABLE IF NOT EXISTS ballot_chunks(first INTEGER PRIMARY KEY,"
	" n INTEGER NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS scrutin_counts(scrutin INTEGER PRIMARY KEY,"
	" ballots INTEGER NOT NULL, emargements INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS irregularities(id INTEGER PRIMARY KEY,"
	" scrutin INTEGER, kind TEXT NOT NULL, detail TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS set_aside(seq INTEGER PRIMARY KEY,"
	" scrutin INTEGER NOT NULL, reason TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS shuffles(scrutin INTEGER PRIMARY KEY,"
	" n INTEGER NOT NULL, sha256 TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS decrypted(scrutin INTEGER NOT NULL,"
	" idx INTEGER NOT NULL, s_point BLOB NOT NULL, proof BLOB NOT NULL,"
	" status INTEGER NOT NULL, plaintext BLOB NOT NULL, PRIMARY KEY(scrutin, idx));";

/* What the bureau can do about a failed write differs: a full disk is
 * freed, a read-only one is replaced; anything else is an I/O error. */
static int store_code(struct store *s)
{
	switch (sqlite3_errcode(s->db) & 0xff) {
	case SQLITE_FULL:
		return ERR_NOSPACE;
	case SQLITE_READONLY:
		return ERR_READONLY;
	case SQLITE_IOERR: case SQLITE_CANTOPEN: /* the system's reason, if it has one */
		return err_from_errno(sqlite3_system_errno(s->db));
	default:
		return ERR_IO;
	}
}

static int store_fail(struct store *s, const char *what)
{
	err_detail("database: %s: %s", what, sqlite3_errmsg(s->db));
	return store_code(s);
}

static int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_detail("database: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return store_code(s);
	}
	return 0;
}

/* A write outside any transaction is committed at once: a step boundary,
 * where the tests' crash points (lib/fault.h) may stop the process. */
static void store_point(struct store *s, const char *kind, const char *name)
{
	if (sqlite3_get_autocommit(s->db))
		fault_pointf("db:%s:%s", kind, name);
}

static int store_load_sealed(struct store *s)
{
	char v[8];
	int ret = store_meta_get(s, "sealed", v, sizeof(v));

	if (ret == ERR_NOTFOUND)
		return 0;
	if (ret)
		return ret;
	s->sealed = strcmp(v, "1") == 0;
	return 0;
}

/* SQLite's allocation statistics take a global mutex on every malloc; the
 * import makes millions of them and reads no statistic. Must precede
 * sqlite3_initialize, hence once, before the first open. */
static void store_config_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static pthread_once_t store_config_done = PTHREAD_ONCE_INIT;

#define STORE_STR(x) STORE_STR2(x)
#define STORE_STR2(x) #x

/* A database of another schema (made by another firmware, or not by Sceau)
 * is refused before anything is created in it: read with this schema, its
 * ballots would silently be missing. Only store_open(create = 0) calls it:
 * the file exists, so it must carry this schema's number. */
static int store_check_schema(struct store *s, const char *path)
{
	char v[16];
	int ret = store_meta_get(s, "schema", v, sizeof(v));

	if (ret == 0 && strcmp(v, STORE_STR(STORE_SCHEMA_VERSION)) == 0)
		return 0;
	/* A file that could not be read (a full disk, a read-only directory,
	 * an I/O error) says nothing about its schema. */
	if (ret != 0 && ret != ERR_NOTFOUND && ret != ERR_RANGE &&
	    (sqlite3_errcode(s->db) & 0xff) != SQLITE_ERROR &&
	    (sqlite3_errcode(s->db) & 0xff) != SQLITE_NOTADB)
		return ret;
	if (ret != 0 && ret != ERR_NOTFOUND && ret != ERR_RANGE) {
		/* no meta table, or not a database at all */
		err_detail("%s is not a Sceau session database (%s)", path, sqlite3_errmsg(s->db));
		return ERR_SCHEMA;
	}
	err_detail("%s was made with database schema %s; this firmware reads schema %s",
		   path, ret == ERR_NOTFOUND ? "(none)" : ret ? "?" : v,
		   STORE_STR(STORE_SCHEMA_VERSION));
	return ERR_SCHEMA;
}

int store_open(const char *path, int create, struct store **out)
{
	struct store *s;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
	int ret;

	if (create && access(path, F_OK) == 0) {
		err_detail("%s already exists", path);
		return ERR_EXISTS;
	}
	if (!create && access(path, F_OK) != 0) {
		err_detail("%s: no such session database", path);
		return ERR_NOTFOUND;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	pthread_once(&store_config_done, store_config_once);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		ret = store_fail(s, path);
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		err_detail("%s: the file cannot be written", path);
		ret = ERR_READONLY;
		goto fail;
	}
	ret = create ? 0 : store_check_schema(s, path);
	if (ret == 0 && !create)
		ret = store_load_sealed(s);
	/* A sealed database is read as it is: not even its journal mode may
	 * change, so that it stays the file the archive holds. */
	if (ret == 0 && !s->sealed)
		ret = store_exec(s, schema);
	if (ret == 0 && create)
		ret = store_meta_set(s, "schema", STORE_STR(STORE_SCHEMA_VERSION));
	if (ret)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return ret;
}

/* "file:<path>?immutable=1" with the URI's special characters escaped:
 * SQLite then reads the file as it is, creating nothing beside it (no
 * -wal, no -shm), which read-only media require. */
static int store_uri(const char *path, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = (size_t)snprintf(out, n, "file:");

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (k + 4 >= n)
			return ERR_RANGE;
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f) {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		} else {
			out[k++] = (char)*p;
		}
	}
	if (k + sizeof("?immutable=1") > n)
		return ERR_RANGE;
	memcpy(out + k, "?immutable=1", sizeof("?immutable=1"));
	return 0;
}

int store_open_readonly(const char *path, struct store **out)
{
	struct store *s = calloc(1, sizeof(*s));
	char uri[8192];
	int ret;

	if (!s)
		return ERR_NOMEM;
	ret = store_uri(path, uri, sizeof(uri));
	if (ret) {
		free(s);
		return ret;
	}
	pthread_once(&store_config_done, store_config_once);
	if (sqlite3_open_v2(uri, &s->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		ret = store_fail(s, path);
		store_close(s);
		return ret;
	}
	s->sealed = 1; /* nothing may be written through this handle */
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s);
}

int store_begin(struct store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE");
}

/* A transaction that appends far more than it changes (the import): with a
 * rollback journal, pages appended past the file's old end are not
 * journaled, so each is written once; in WAL mode each would be written to
 * the WAL, then again into the database by the checkpoint. Atomic either
 * way. */
int store_begin_bulk(struct store *s)
{
	int ret = store_exec(s, "PRAGMA journal_mode=DELETE;");

	if (!ret)
		ret = store_begin(s);
	if (!ret)
		s->bulk = 1;
	return ret;
}

static int store_end_bulk(struct store *s, int ret)
{
	int r2;

	if (!s->bulk)
		return ret;
	s->bulk = 0;
	r2 = store_exec(s, "PRAGMA journal_mode=WAL;");
	return ret ? ret : r2;
}

int store_in_transaction(struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

int store_commit(struct store *s)
{
	return store_end_bulk(s, store_exec(s, "COMMIT"));
}

int store_rollback(struct store *s)
{
	return store_end_bulk(s, store_exec(s, "ROLLBACK"));
}

static int store_writable(struct store *s)
{
	if (s->sealed) {
		err_detail("the session is sealed");
		return ERR_STATE;
	}
	return 0;
}

/* Prepares sql, binds texts/blobs per the format ('t' text, 'b' blob+len,
 * 'i' int64), steps once, expecting SQLITE_DONE. */
static int store_run(struct store *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int ret = 0, i = 1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++, i++) {
		if (*f == 't') {
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		} else if (*f == 'i') {
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
		} else {
			const void *d = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			sqlite3_bind_blob64(st, i, d, n, SQLITE_TRANSIENT);
		}
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = store_fail(s, "write");
	sqlite3_finalize(st);
	return ret;
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
	int ret = store_writable(s);

	if (ret)
		return ret;
	ret = store_run(s, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", "tt", key,
			value);
	if (!ret && strcmp(key, "phase") != 0) /* the phase has points of its own */
		store_point(s, "meta", key);
	return ret;
}

int store_meta_get(struct store *s, const char *key, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int ret = ERR_NOTFOUND;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		ret = ERR_RANGE;
		if (v && len < n) {
			memcpy(out, v, len + 1);
			ret = 0;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

int store_file_put(struct store *s, const char *name, const void *data, size_t len)
{
	int ret = store_writable(s);

	if (ret)
		return ret;
	ret = store_run(s, "INSERT INTO files(name, data) VALUES(?, ?)", "tb", name, data,
			len);
	if (!ret)
		store_point(s, "file", name);
	return ret;
}

int store_file_get(struct store *s, const char *name, uint8_t **data, size_t *len)
{
	sqlite3_stmt *st = NULL;
	int ret = ERR_NOTFOUND;

	if (sqlite3_prepare_v2(s->db, "SELECT data FROM files WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		const void *b = sqlite3_column_blob(st, 0);
		ret = ERR_NOMEM;
		*data = malloc(n + 1);
		if (*data) {
			if (n)
				memcpy(*data, b, n);
			(*data)[n] = 0;
			*len = n;
			ret = 0;
		}
	} else {
		err_detail("%s is not in the session", name);
	}
	sqlite3_finalize(st);
	return ret;
}

int store_journal_insert(struct store *s, const struct journal_row *row)
{
	int ret = store_writable(s);

	if (ret)
		return ret;
	ret = store_run(s,
			"INSERT INTO journal(seq, time, event, detail, prev, hash)"
			" VALUES(?, ?, ?, ?, ?, ?)",
			"itttbb", (int64_t)row->seq, row->time, row->event, row->detail, row->prev,
			(size_t)32, row->hash, (size_t)32);
	if (!ret)
		store_point(s, "journal", row->event);
	return ret;
}

static int store_row_read(sqlite3_stmt *st, struct journal_row *row, int detail)
{
	const unsigned char *t = sqlite3_column_text(st, 1);
	const unsigned char *e = sqlite3_column_text(st, 2);
	const unsigned char *d = sqlite3_column_text(st, 3);

	memset(row, 0, sizeof(*row));
	row->seq = (uint64_t)sqlite3_column_int64(st, 0);
	if (!t || !e || !d || sqlite3_column_bytes(st, 4) != 32 ||
	    sqlite3_column_bytes(st, 5) != 32 ||
	    strlen((const char *)t) >= sizeof(row->time) ||
	    strlen((const char *)e) >= sizeof(row->event)) {
		err_detail("journal entry %llu is malformed", (unsigned long long)row->seq);
		return ERR_FORMAT;
	}
	memcpy(row->time, t, strlen((const char *)t) + 1);
	memcpy(row->event, e, strlen((const char *)e) + 1);
	memcpy(row->prev, sqlite3_column_blob(st, 4), 32);
	memcpy(row->hash, sqlite3_column_blob(st, 5), 32);
	if (detail) {
		row->detail = strdup((const char *)d);
		if (!row->detail)
			return ERR_NOMEM;
	}
	return 0;
}

int store_journal_last(struct store *s, struct journal_row *row)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	memset(row, 0, sizeof(*row));
	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, time, event, detail, prev, hash FROM journal"
			       " ORDER BY seq DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = store_row_read(st, row, 0);
	else if (rc != SQLITE_DONE)
		ret = store_fail(s, "read journal");
	sqlite3_finalize(st);
	return ret;
}

int store_journal_each(struct store *s,
		       int (*fn)(const struct journal_row *row, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	struct journal_row row;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, time, event, detail, prev, hash FROM journal"
			       " ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = store_row_read(st, &row, 1);
		if (ret == 0)
			ret = fn(&row, arg);
		free(row.detail);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "read journal");
	sqlite3_finalize(st);
	return ret;
}

static sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id)
{
	if (!s->st[id] &&
	    sqlite3_prepare_v2(s->db, store_stmt_sql[id], -1, &s->st[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

static int store_step(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "write");
}

/* One row of ballot_chunks, as read or about to be written. */
struct store_chunk {
	uint64_t first;
	unsigned n;
	const uint8_t *data;
	size_t len;
};

static int store_chunk_bad(const struct store_chunk *c, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err_detail("database: the ballot chunk starting at ballot %llu is malformed: %s",
		   (unsigned long long)c->first, what);
	return ERR_FORMAT;
}

/* Checks the chunk's shape: n entries of STORE_ENTRY_LEN bytes, nothing
 * else. With fn, hands out the ballots of seq > after while *left lasts. */
static int store_chunk_walk(const struct store_chunk *c, uint64_t after, unsigned *left,
			    store_ballot_fn fn, void *arg)
{
	int ret;

	if (c->first < 1 || c->n < 1 || c->n > STORE_CHUNK_MAX)
		return store_chunk_bad(c, "first %llu, %u ballots (1 to %u)",
				       (unsigned long long)c->first, c->n, STORE_CHUNK_MAX);
	if (c->len != (size_t)c->n * STORE_ENTRY_LEN)
		return store_chunk_bad(c, "%zu bytes for %u ballots of %u bytes", c->len, c->n,
				       STORE_ENTRY_LEN);
	for (unsigned i = 0; fn && i < c->n && *left; i++) {
		uint64_t seq = c->first + i;
		const uint8_t *p = c->data + (size_t)i * STORE_ENTRY_LEN;

		if (seq <= after)
			continue;
		(*left)--;
		ret = fn(seq, p, p + BALLOT2_TRACKER_LEN, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int store_ballot_chunk_add(struct store *s, uint64_t first, unsigned n,
			   const uint8_t *data, size_t len)
{
	struct store_chunk c = { first, n, data, len };
	sqlite3_stmt *st;
	int ret;

	if (s->sealed)
		return store_writable(s);
	/* Never write what store_ballots_read would refuse. */
	ret = store_chunk_walk(&c, 0, NULL, NULL, NULL);
	if (ret)
		return ret;
	st = store_stmt(s, ST_CHUNK);
	if (!st)
		return store_fail(s, "prepare");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)first);
	sqlite3_bind_int(st, 2, (int)n);
	sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
	return store_step(s, st);
}

int store_counts_set(struct store *s, uint16_t scrutin, uint64_t ballots,
		     uint64_t emargements)
{
	sqlite3_stmt *st;

	if (s->sealed)
		return store_writable(s);
	st = store_stmt(s, ST_COUNTS);
	if (!st)
		return store_fail(s, "prepare");
	sqlite3_bind_int(st, 1, scrutin);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ballots);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)emargements);
	return store_step(s, st);
}

int store_irregularity_add(struct store *s, uint16_t scrutin, const char *kind,
			   const char *detail)
{
	sqlite3_stmt *st;

	if (s->sealed)
		return store_writable(s);
	st = store_stmt(s, ST_IRREG);
	if (!st)
		return store_fail(s, "prepare");
	sqlite3_bind_int(st, 1, scrutin);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, detail, -1, SQLITE_STATIC);
	return store_step(s, st);
}

int store_count_rows(struct store *s, const char *table, uint64_t *n)
{
	static const char *const allowed[] = { "irregularities", "journal", "decrypted",
						"set_aside", "shuffles" };
	sqlite3_stmt *st = NULL;
	char sql[64];
	int ok = 0, ret = 0;

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		ok |= strcmp(table, allowed[i]) == 0;
	if (!ok)
		return ERR_INTERNAL;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(st, 0);
	else
		ret = store_fail(s, "count");
	sqlite3_finalize(st);
	return ret;
}

/* The one integer a query returns (a sum over a table). */
static int store_sum(struct store *s, const char *sql, uint64_t *n)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(st, 0);
	else
		ret = store_fail(s, "count ballots");
	sqlite3_finalize(st);
	return ret;
}

int store_ballot_count(struct store *s, uint64_t *n)
{
	return store_sum(s, "SELECT coalesce(sum(n), 0) FROM ballot_chunks", n);
}

int store_counts_ballots(struct store *s, uint64_t *n)
{
	return store_sum(s, "SELECT coalesce(sum(ballots), 0) FROM scrutin_counts", n);
}

/* The current row of a chunk query (first, n, data). */
static int store_chunk_row(sqlite3_stmt *st, struct store_chunk *c)
{
	sqlite3_int64 first = sqlite3_column_int64(st, 0), n = sqlite3_column_int64(st, 1);

	c->first = first > 0 ? (uint64_t)first : 0;
	c->n = 0;
	c->data = sqlite3_column_blob(st, 2);
	c->len = (size_t)sqlite3_column_bytes(st, 2);
	if (first < 1 || n < 1 || n > STORE_CHUNK_MAX)
		return store_chunk_bad(c, "first %lld, %lld ballots", (long long)first,
				       (long long)n);
	c->n = (unsigned)n;
	return 0;
}

/* The chunks must follow each other without a gap or an overlap; the
 * first one read must hold ballot after + 1, or come before it. */
static int store_chunk_follows(const struct store_chunk *c, uint64_t after,
			       uint64_t *next)
{
	if (*next && c->first != *next)
		return store_chunk_bad(c, "ballot %llu expected first",
				       (unsigned long long)*next);
	if (!*next && c->first > after + 1)
		return store_chunk_bad(c, "ballots %llu to %llu are missing",
				       (unsigned long long)after + 1,
				       (unsigned long long)c->first - 1);
	*next = c->first + c->n;
	return 0;
}

/* A ballot of seq after + 1 is in a chunk of first > after - STORE_CHUNK_MAX:
 * the query starts there, by rowid, and steps only as far as max needs. */
int store_ballots_read(struct store *s, uint64_t after, unsigned max, store_ballot_fn fn,
		       void *arg, unsigned *n)
{
	sqlite3_stmt *st = NULL;
	struct store_chunk c;
	uint64_t next = 0;
	unsigned left = max;
	int ret = 0, rc = SQLITE_DONE;

	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT first, n, data FROM ballot_chunks WHERE first > ?"
			       " ORDER BY first",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_int64(st, 1,
			   after > STORE_CHUNK_MAX ? (sqlite3_int64)(after - STORE_CHUNK_MAX) : 0);
	while (!ret && left && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = store_chunk_row(st, &c);
		if (!ret)
			ret = store_chunk_follows(&c, after, &next);
		if (!ret) /* the whole chunk checked before any of it is used */
			ret = store_chunk_walk(&c, after, NULL, NULL, NULL);
		if (!ret)
			ret = store_chunk_walk(&c, after, &left, fn, arg);
	}
	*n = max - left;
	if (!ret && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_fail(s, "read ballots");
	sqlite3_finalize(st);
	return ret;
}

int store_set_aside_add(struct store *s, uint64_t seq, uint16_t scrutin, const char *reason)
{
	sqlite3_stmt *st;

	if (s->sealed)
		return store_writable(s);
	st = store_stmt(s, ST_SET_ASIDE);
	if (!st)
		return store_fail(s, "prepare");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_int(st, 2, scrutin);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	return store_step(s, st);
}

int store_set_aside_read(struct store *s, uint64_t after, unsigned max,
			 int (*fn)(uint64_t seq, unsigned scrutin, const char *reason, void *arg),
			 void *arg, unsigned *n)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc = SQLITE_DONE;

	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, scrutin, reason FROM set_aside WHERE seq > ?"
			       " ORDER BY seq LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
	sqlite3_bind_int(st, 2, (int)max);
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(st, 2);
		sqlite3_int64 seq = sqlite3_column_int64(st, 0);
		if (!reason || seq < 1 || strlen(reason) >= STORE_REASON_MAX) {
			err_detail("database: set-aside ballot %lld is malformed", (long long)seq);
			ret = ERR_FORMAT;
			break;
		}
		ret = fn((uint64_t)seq, (unsigned)sqlite3_column_int(st, 1), reason, arg);
		if (ret == 0)
			(*n)++;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_fail(s, "read set_aside");
	sqlite3_finalize(st);
	return ret;
}

int store_shuffle_put(struct store *s, uint16_t scrutin, uint32_t n, const char *sha256_hex)
{
	int ret = store_writable(s);

	if (!ret)
		ret = store_run(s, "INSERT OR REPLACE INTO shuffles(scrutin, n, sha256)"
			       " VALUES(?, ?, ?)", "iit", (int64_t)scrutin, (int64_t)n,
			       sha256_hex);
	if (!ret) {
		char name[8];
		snprintf(name, sizeof(name), "%u", (unsigned)scrutin);
		store_point(s, "shuffle", name);
	}
	return ret;
}

int store_shuffles_clear(struct store *s)
{
	int ret = store_writable(s);

	return ret ? ret : store_run(s, "DELETE FROM shuffles", "");
}

int store_shuffles_each(struct store *s,
			int (*fn)(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg),
			void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db, "SELECT scrutin, n, sha256 FROM shuffles ORDER BY scrutin",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 2);
		sqlite3_int64 n = sqlite3_column_int64(st, 1);
		if (!h || strlen(h) != 64 || n < 1 || n > UINT32_MAX) {
			err_detail("database: the shuffle of scrutin %d is malformed",
				   sqlite3_column_int(st, 0));
			ret = ERR_FORMAT;
			break;
		}
		ret = fn((unsigned)sqlite3_column_int(st, 0), (uint32_t)n, h, arg);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "read shuffles");
	sqlite3_finalize(st);
	return ret;
}

int store_decrypted_add(struct store *s, const struct decrypted_ballot *d)
{
	sqlite3_stmt *st;

	if (s->sealed)
		return store_writable(s);
	st = store_stmt(s, ST_DECRYPTED);
	if (!st)
		return store_fail(s, "prepare");
	sqlite3_bind_int(st, 1, d->scrutin);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)d->idx);
	sqlite3_bind_blob(st, 3, d->S, 65, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, d->proof, 64, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, d->status);
	sqlite3_bind_blob(st, 6, d->pt, (int)d->pt_len, SQLITE_STATIC);
	return store_step(s, st);
}

int store_decrypted_last(struct store *s, uint16_t scrutin, uint32_t *idx)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT coalesce(max(idx), 0) FROM decrypted WHERE scrutin = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_int(st, 1, scrutin);
	if (sqlite3_step(st) == SQLITE_ROW)
		*idx = (uint32_t)sqlite3_column_int64(st, 0);
	else
		ret = store_fail(s, "read decrypted");
	sqlite3_finalize(st);
	return ret;
}

#define STORE_DEC_COLS "scrutin, idx, s_point, proof, status, plaintext"

static int store_decrypted_row(sqlite3_stmt *st, struct decrypted_ballot *d)
{
	size_t pt = (size_t)sqlite3_column_bytes(st, 5);
	sqlite3_int64 idx = sqlite3_column_int64(st, 1);
	int status = sqlite3_column_int(st, 4), scrutin = sqlite3_column_int(st, 0);

	memset(d, 0, sizeof(*d));
	if (sqlite3_column_bytes(st, 2) != 65 || sqlite3_column_bytes(st, 3) != 64 || pt < 1 ||
	    pt > sizeof(d->pt) || idx < 1 || idx > UINT32_MAX || status < 0 || status > 1 ||
	    scrutin < 1 || scrutin > UINT16_MAX) {
		err_detail("database: decrypted ballot %d/%lld is malformed", scrutin,
			   (long long)idx);
		return ERR_FORMAT;
	}
	d->scrutin = (uint16_t)scrutin;
	d->idx = (uint32_t)idx;
	memcpy(d->S, sqlite3_column_blob(st, 2), 65);
	memcpy(d->proof, sqlite3_column_blob(st, 3), 64);
	d->status = (uint8_t)status;
	memcpy(d->pt, sqlite3_column_blob(st, 5), pt);
	d->pt_len = pt;
	return 0;
}

/* Every row of a prepared query of STORE_DEC_COLS to fn; *n counted. */
static int store_decrypted_rows(struct store *s, sqlite3_stmt *st,
				int (*fn)(const struct decrypted_ballot *d, void *arg), void *arg,
				unsigned *n)
{
	struct decrypted_ballot d;
	int ret = 0, rc = SQLITE_DONE;

	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = store_decrypted_row(st, &d);
		if (ret == 0)
			ret = fn(&d, arg);
		if (ret == 0 && n)
			(*n)++;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_fail(s, "read decrypted");
	sqlite3_finalize(st);
	return ret;
}

int store_decrypted_each(struct store *s,
			 int (*fn)(const struct decrypted_ballot *d, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT " STORE_DEC_COLS " FROM decrypted ORDER BY scrutin, idx",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	return store_decrypted_rows(s, st, fn, arg, NULL);
}

int store_decrypted_read(struct store *s, uint16_t scrutin, uint32_t idx, unsigned max,
			 int (*fn)(const struct decrypted_ballot *d, void *arg), void *arg,
			 unsigned *n)
{
	sqlite3_stmt *st = NULL;

	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " STORE_DEC_COLS " FROM decrypted WHERE (scrutin, idx) > (?, ?)"
			       " ORDER BY scrutin, idx LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	sqlite3_bind_int(st, 1, scrutin);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
	sqlite3_bind_int(st, 3, (int)max);
	return store_decrypted_rows(s, st, fn, arg, n);
}

int store_irregularities_each(struct store *s,
			      int (*fn)(unsigned scrutin, const char *kind,
					const char *detail, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT scrutin, kind, detail FROM irregularities ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = fn((unsigned)sqlite3_column_int(st, 0),
			 (const char *)sqlite3_column_text(st, 1),
			 (const char *)sqlite3_column_text(st, 2), arg);
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "irregularities");
	sqlite3_finalize(st);
	return ret;
}

int store_tables_each(struct store *s, int (*fn)(const char *name, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT name FROM sqlite_master WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = fn((const char *)sqlite3_column_text(st, 0), arg);
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "tables");
	sqlite3_finalize(st);
	return ret;
}

int store_meta_each(struct store *s, int (*fn)(const char *key, const char *value, void *arg),
		    void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta ORDER BY key", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		ret = fn(k ? k : "", v ? v : "", arg);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "meta");
	sqlite3_finalize(st);
	return ret;
}

int store_files_each(struct store *s,
		     int (*fn)(const char *name, const uint8_t *data, size_t len, void *arg),
		     void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db, "SELECT name, data FROM files ORDER BY name", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const uint8_t *data = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		ret = fn(name ? name : "", data ? data : (const uint8_t *)"", len, arg);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "files");
	sqlite3_finalize(st);
	return ret;
}

int store_counts_each(struct store *s,
		      int (*fn)(unsigned scrutin, uint64_t ballots, uint64_t emargements,
				void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int ret = 0, rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT scrutin, ballots, emargements FROM scrutin_counts"
			       " ORDER BY scrutin",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "prepare");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = fn((unsigned)sqlite3_column_int64(st, 0),
			 (uint64_t)sqlite3_column_int64(st, 1),
			 (uint64_t)sqlite3_column_int64(st, 2), arg);
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(s, "scrutin_counts");
	sqlite3_finalize(st);
	return ret;
}

int store_seal(struct store *s)
{
	int ret = store_meta_set(s, "sealed", "1");

	if (ret == 0)
		s->sealed = 1;
	return ret;
}

int store_is_sealed(struct store *s)
{
	return s->sealed;
}

int store_compact(struct store *s)
{
	int ret = store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");

	if (!ret)
		fault_point("db:compacted");
	return ret;
}
