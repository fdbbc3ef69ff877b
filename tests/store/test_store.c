/* The session database and its hash-chained journal (store/, core/journal.c). */
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

#include "core/err.h"
#include "core/journal.h"
#include "store/store.h"
#include "../lib/testlib.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meta_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_is_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_edit_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_removal_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_refuses_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_open, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
