/*
 * The bureau file parser (format/bureau.c): the demo bureau made by
 * sceau-prepare, then one row per way the file can be malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/bureau.h"
#include "lib/err.h"
#include "json_mutate.h"

#define DEMO "tests/data/demo-bureau.json"

static char *demo;
static size_t demo_len;

static int parse_text(const char *text, struct bureau *b)
{
	err_clear();
	return bureau_parse((const uint8_t *)text, strlen(text), b);
}

static void expect_reject(const char *text, int err, const char *detail)
{
	struct bureau b;
	int ret = parse_text(text, &b);

	if (ret != err || !strstr(err_last_detail(), detail))
		fail_msg("got %d \"%s\"; expected %d with \"%s\"", ret,
			 err_last_detail(), err, detail);
	assert_int_equal(b.n_members, 0);
}

static void demo_parses(void **state)
{
	const char *top = getenv("SCEAU_TOP");
	char path[4200];
	struct bureau b;

	snprintf(path, sizeof(path), "%s/" DEMO, top && *top ? top : ".");
	assert_int_equal(bureau_load(path, &b), 0);
	assert_int_equal(b.n_members, 3);
	assert_string_equal(b.members[0].role, "président");
	assert_string_equal(b.members[0].last_name, "Marchand");
	assert_string_equal(b.members[0].first_name, "Yves");
	assert_string_equal(b.members[1].role, "assesseure");
	assert_string_equal(b.members[1].first_name, "Aurélie");
	assert_string_equal(b.members[2].last_name, "Nguyen");
}

static void no_email_in_the_bureau_file(void **state)
{
	assert_null(strstr(demo, "@"));
	assert_null(strstr(demo, "email"));
}

/* The demo bureau with n members (distinct names). */
static char *with_members(unsigned n)
{
	json_t *doc = jm_load(demo), *arr = jm_get(doc, "members");
	char *text;

	json_array_clear(arr);
	for (unsigned i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "Membre %u", i + 1);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "role",
			i ? "assesseur" : "président", "last_name", name,
			"first_name", "Alex"));
	}
	text = jm_dump(doc);
	json_decref(doc);
	return text;
}

static void members_9_accepted_10_rejected(void **state)
{
	char *t9 = with_members(9), *t10 = with_members(10), *t1 = with_members(1);
	struct bureau b;

	assert_int_equal(parse_text(t9, &b), 0);
	assert_int_equal(b.n_members, 9);
	assert_string_equal(b.members[8].last_name, "Membre 9");
	assert_int_equal(parse_text(t1, &b), 0);
	assert_int_equal(b.n_members, 1);
	expect_reject(t10, ERR_RANGE, "members: 10 elements, expected 1..9");
	free(t9);
	free(t10);
	free(t1);
}

static void file_size_bound(void **state)
{
	char *big = malloc(BUREAU_FILE_MAX + 1);
	struct bureau b;

	assert_non_null(big);
	memset(big, '\n', BUREAU_FILE_MAX + 1);
	memcpy(big, demo, demo_len);
	assert_int_equal(bureau_parse((uint8_t *)big, BUREAU_FILE_MAX, &b), 0);
	assert_int_equal(bureau_parse((uint8_t *)big, BUREAU_FILE_MAX + 1, &b),
			 ERR_RANGE);
	assert_int_equal(b.n_members, 0);
	free(big);
}

static void not_a_bureau_file(void **state)
{
	struct bureau b;

	expect_reject("", ERR_FORMAT, "(document)");
	expect_reject("[{}]", ERR_FORMAT, "(document): expected a JSON object");
	expect_reject("{\"format\": \"sceau-election/1\", \"members\": []}", ERR_FORMAT,
		      "format: expected \"sceau-bureau/1\"");
	assert_int_equal(bureau_load("/nonexistent/bureau.json", &b), ERR_NOTFOUND);
}

struct bad_row {
	const char *title;
	const char *path;
	const char *value;   /* JSON text, or NULL to delete */
	int err;
	const char *detail;
};

static const struct bad_row bad_rows[] = {
	{ "format_missing", "format", NULL, ERR_FORMAT, "format: missing" },
	{ "format_of_another_version", "format", "\"sceau-bureau/2\"", ERR_FORMAT,
	  "format: expected \"sceau-bureau/1\", got \"sceau-bureau/2\"" },
	{ "unknown_top_level_key", "election", "\"x\"", ERR_FORMAT,
	  "election: unknown key" },
	{ "members_missing", "members", NULL, ERR_FORMAT, "members: missing" },
	{ "members_empty", "members", "[]", ERR_RANGE, "members: 0 elements" },
	{ "members_an_object", "members", "{}", ERR_FORMAT,
	  "members: expected an array" },
	{ "member_a_string", "members[1]", "\"Dupuis\"", ERR_FORMAT,
	  "members[1]: expected an object, got a string" },
	{ "member_with_email", "members[2].email", "\"t.nguyen@example.fr\"",
	  ERR_FORMAT, "members[2].email: unknown key" },
	{ "member_role_missing", "members[0].role", NULL, ERR_FORMAT,
	  "members[0].role: missing" },
	{ "member_last_name_empty", "members[1].last_name", "\"\"", ERR_FORMAT,
	  "members[1].last_name: empty text" },
	{ "member_first_name_a_number", "members[1].first_name", "7", ERR_FORMAT,
	  "members[1].first_name: expected a string, got an integer" },
	{ "member_name_with_tab", "members[2].last_name", "\"Ngu\\tyen\"", ERR_FORMAT,
	  "members[2].last_name: invalid UTF-8, control" },
	{ "member_name_with_zero_width_space", "members[2].last_name",
	  "\"Ngu\\u200byen\"", ERR_FORMAT, "members[2].last_name: invalid" },
	{ "member_name_with_leading_space", "members[2].first_name", "\" Thomas\"",
	  ERR_FORMAT, "members[2].first_name: leading or trailing space" },
	{ "member_role_too_long", "members[0].role",
	  "\"" "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "01234567890123456789012345678901234567890123456789012345678901\"",
	  ERR_RANGE, "members[0].role: text too long (202 bytes, at most 200)" },
	{ "same_person_holds_two_cards", "members[2]",
	  "{\"role\": \"assesseur\", \"last_name\": \"Marchand\", \"first_name\": \"Yves\"}",
	  ERR_FORMAT, "members[2]: same person as members[0]" },
};

static void run_bad_row(void **state)
{
	const struct bad_row *r = *state;
	json_t *doc = jm_load(demo);
	char *text;

	if (!doc || jm_set(doc, r->path, r->value))
		fail_msg("%s: the mutation does not apply to the demo file", r->title);
	text = jm_dump(doc);
	expect_reject(text, r->err, r->detail);
	free(text);
	json_decref(doc);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_parses),
		cmocka_unit_test(no_email_in_the_bureau_file),
		cmocka_unit_test(members_9_accepted_10_rejected),
		cmocka_unit_test(file_size_bound),
		cmocka_unit_test(not_a_bureau_file),
	};

	return jm_main("bureau", DEMO, &demo, &demo_len, tests, sizeof(tests) / sizeof(tests[0]),
		       bad_rows, sizeof(bad_rows) / sizeof(bad_rows[0]), sizeof(bad_rows[0]),
		       run_bad_row);
}
