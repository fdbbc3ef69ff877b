/* The public election record (format/record.c): canonical writing, strict
 * parsing, and the commitment check every reader relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "format/platform_key.h"
#include "format/record.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/shamir.h"
#include "crypto/sig.h"
#include "lib/file.h"
#include "json_mutate.h"
#include "../support/testlib.h"

static char *good_json;
static size_t good_len;
static struct record good;

static void make_record(struct record *r)
{
	struct rng *g = NULL;
	uint8_t secret[32], shares[3][32], priv[32];
	static const char *const names[3][3] = {
		{ "président", "Marchand", "Yves" },
		{ "assesseure", "Dupuis", "Aurélie" },
		{ "assesseur", "Nguyen", "Thomas" },
	};

	memset(r, 0, sizeof(*r));
	assert_int_equal(rng_new(&g, "test", NULL), 0);
	assert_int_equal(shamir_generate(g, 2, 3, secret, shares, &r->pub), 0);
	assert_int_equal(sig_keygen(g, priv, r->platform_pub), 0);
	for (unsigned i = 0; i < 3; i++) {
		r->cards[i].index = i + 1;
		snprintf(r->cards[i].member.role, sizeof(r->cards[i].member.role), "%s",
			 names[i][0]);
		snprintf(r->cards[i].member.last_name, sizeof(r->cards[i].member.last_name),
			 "%s", names[i][1]);
		snprintf(r->cards[i].member.first_name,
			 sizeof(r->cards[i].member.first_name), "%s", names[i][2]);
		r->cards[i].aid[13] = (uint8_t)i;
		assert_int_equal(sig_keygen(g, priv, r->cards[i].sign_pub), 0);
		hash_sha256(&i, sizeof(i), r->cards[i].entropy_hash);
	}
	rng_free(g);
	WIPE_BUFFER(secret);
	WIPE_BUFFER(shares);
	memset(r->election_id, 0xE1, 32);
	snprintf(r->election_title, sizeof(r->election_title), "Élections du CSE 2026");
	snprintf(r->created, sizeof(r->created), "2026-11-20T09:30:00Z");
	snprintf(r->crypto_library, sizeof(r->crypto_library), "Mbed TLS 3.6.6");
	r->simulation = 1;
}

static int setup(void **state)
{
	(void)state;
	make_record(&good);
	return record_write(&good, &good_json, &good_len);
}

static int teardown(void **state)
{
	(void)state;
	free(good_json);
	return 0;
}

static void test_round_trip_is_canonical(void **state)
{
	struct record back;
	char *again = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(record_parse((uint8_t *)good_json, good_len, &back), 0);
	assert_int_equal(back.pub.t, 2);
	assert_int_equal(back.pub.m, 3);
	assert_memory_equal(back.pub.pk, good.pub.pk, 65);
	assert_string_equal(back.cards[1].member.first_name, "Aurélie");
	assert_int_equal(record_write(&back, &again, &len), 0);
	assert_int_equal(len, good_len);
	assert_memory_equal(again, good_json, len);
	assert_int_equal(good_json[good_len - 1], '\n');
	free(again);
}

struct row {
	const char *title;
	const char *path;  /* JSON path to change */
	const char *value; /* new JSON value, NULL to delete */
	int err;
	const char *detail; /* substring of err_last_detail() */
};

static const struct row rows[] = {
	{ "unknown top-level field", "extra", "1", ERR_FORMAT, "extra" },
	{ "format of another version", "format", "\"sceau-record/2\"", ERR_FORMAT, "format" },
	{ "election_id missing", "election_id", NULL, ERR_FORMAT, "election_id" },
	{ "election_id too short", "election_id", "\"abcd\"", ERR_FORMAT, "election_id" },
	{ "group other than P-256", "group", "\"P-384\"", ERR_FORMAT, "group" },
	{ "threshold above shares", "threshold", "4", ERR_RANGE, "threshold" },
	{ "threshold of 1", "threshold", "1", ERR_RANGE, "threshold" },
	{ "threshold as a string", "threshold", "\"2\"", ERR_FORMAT, "threshold" },
	{ "shares above 9", "shares", "10", ERR_RANGE, "shares" },
	{ "public key not on the curve", "public_key",
	  "\"04" "0000000000000000000000000000000000000000000000000000000000000001"
	  "0000000000000000000000000000000000000000000000000000000000000002\"",
	  ERR_FORMAT, "public_key" },
	{ "one commitment too few", "commitments[1]", NULL, ERR_RANGE, "commitments" },
	{ "card index out of order", "cards[1].index", "3", ERR_RANGE, "cards[1].index" },
	{ "card member with an unknown field", "cards[0].member.email", "\"a@b.fr\"",
	  ERR_FORMAT, "cards[0].member" },
	{ "card AID not hex", "cards[2].card_aid", "\"zz\"", ERR_FORMAT, "card_aid" },
	{ "platform fingerprint wrong", "platform_key_sha256",
	  "\"0000000000000000000000000000000000000000000000000000000000000000\"", ERR_VERIFY,
	  "platform_key_sha256" },
	{ "ceremony.simulation not a boolean", "ceremony.simulation", "1", ERR_FORMAT,
	  "ceremony.simulation" },
	{ "ceremony missing", "ceremony", NULL, ERR_FORMAT, "ceremony" },
};

static void test_malformed_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *doc = jm_load(good_json);
		struct record r;
		char *text;
		int ret;

		assert_non_null(doc);
		if (jm_set(doc, rows[i].path, rows[i].value) != 0)
			fail_msg("row '%s': path %s not found", rows[i].title, rows[i].path);
		text = jm_dump(doc);
		json_decref(doc);
		err_clear();
		ret = record_parse((uint8_t *)text, strlen(text), &r);
		free(text);
		if (ret != rows[i].err || !strstr(err_last_detail(), rows[i].detail))
			fail_msg("row '%s': got %d (%s)", rows[i].title, ret, err_last_detail());
	}
}

/* A share public key swapped for another valid point breaks Y_i = sum i^j C_j. */
static void test_commitments_rechecked(void **state)
{
	char *text, hex[131];
	struct record r;

	(void)state;
	hex_encode(good.pub.share_pub[0], 65, hex);
	{
		char was[131];
		hex_encode(good.pub.share_pub[1], 65, was);
		text = jm_replace(good_json, was, hex);
	}
	assert_int_equal(record_parse((uint8_t *)text, strlen(text), &r), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "commitments"));
	free(text);
}

static void test_platform_key_file(void **state)
{
	static const char *const bad[] = {
		"{\"format\": \"sceau-platform-key/1\"}",
		"{\"format\": \"sceau-platform-key/2\", \"public_key\": \"04\"}",
		"{\"format\": \"sceau-platform-key/1\", \"public_key\": \"04\", \"x\": 1}",
		"[]",
	};
	uint8_t pub[65];
	char hex[131], text[300];

	(void)state;
	hex_encode(good.platform_pub, 65, hex);
	snprintf(text, sizeof(text), "{\"format\": \"sceau-platform-key/1\", "
				     "\"public_key\": \"%s\"}\n", hex);
	assert_int_equal(platform_key_parse((uint8_t *)text, strlen(text), pub), 0);
	assert_memory_equal(pub, good.platform_pub, 65);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(platform_key_parse((const uint8_t *)bad[i], strlen(bad[i]),
						    pub), ERR_FORMAT);
}

/* Loaded from a file, a record or a platform key that is wrong names the
 * file, as the definition and the bureau do (lib/file.h file_parse). */
static void test_load_names_the_file(void **state)
{
	static const char bad[] = "{\"format\": \"sceau-record/1\"}";
	char dir[64], path[128], want[160];
	uint8_t pub[65];
	struct record r;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/record.json", dir);
	assert_int_equal(file_write_atomic(path, bad, strlen(bad), 0), 0);
	assert_int_equal(record_load(path, &r), ERR_FORMAT);
	snprintf(want, sizeof(want), "%s: ", path);
	assert_memory_equal(err_last_detail(), want, strlen(want));
	assert_int_equal(platform_key_load(path, pub), ERR_FORMAT);
	assert_memory_equal(err_last_detail(), want, strlen(want));
	assert_non_null(strstr(err_last_detail(), "format"));
	snprintf(path, sizeof(path), "%s/absent.json", dir);
	assert_int_equal(record_load(path, &r), ERR_NOTFOUND);
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_is_canonical),
		cmocka_unit_test(test_malformed_rows),
		cmocka_unit_test(test_commitments_rechecked),
		cmocka_unit_test(test_platform_key_file),
		cmocka_unit_test(test_load_names_the_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
