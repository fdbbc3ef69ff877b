/*
 * Test helper (header-only, shared by tests/format/test_*.c): edits a JSON
 * document at a path like "scrutins[1].lists[0].name", so that each row of a
 * table of malformed inputs states exactly which field it breaks, and runs
 * such a table (jm_main).
 */
#ifndef SCEAU_TESTS_JSON_MUTATE_H
#define SCEAU_TESTS_JSON_MUTATE_H

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/file.h"

/* The file at $SCEAU_TOP/rel (or ./rel), NUL-terminated; NULL if unreadable. */
static inline char *jm_read(const char *rel, size_t *len)
{
	const char *top = getenv("SCEAU_TOP");
	char path[4096];
	uint8_t *buf = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", rel);
	if (file_read_all(path, 16u << 20, &buf, &n))
		return NULL;
	if (len)
		*len = n;
	return (char *)buf;
}

/* The element at path (borrowed), or NULL. */
static inline json_t *jm_get(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;

	while (cur && *p) {
		if (*p == '[') {
			char *end;
			size_t i = strtoul(p + 1, &end, 10);

			p = end + 1;
			cur = json_array_get(cur, i);
		} else {
			char key[128];
			size_t n;

			p += *p == '.';
			n = strcspn(p, ".[");
			if (n >= sizeof(key))
				return NULL;
			memcpy(key, p, n);
			key[n] = '\0';
			p += n;
			cur = json_object_get(cur, key);
		}
	}
	return cur;
}

/* Sets (value = JSON text) or deletes (value = NULL) the element at path.
 * "[n]" equal to an array's size appends. Returns 0, or -1 if the path
 * does not lead anywhere. */
static inline int jm_set(json_t *root, const char *path, const char *value)
{
	char parent[256];
	size_t cut = 0;
	const char *last;
	json_t *at, *v = NULL;
	int ret = -1;

	for (size_t i = 0; path[i]; i++)
		if (path[i] == '.' || path[i] == '[')
			cut = i;
	if (cut >= sizeof(parent))
		return -1;
	memcpy(parent, path, cut);
	parent[cut] = '\0';
	at = jm_get(root, parent);
	last = path + cut;
	if (!at || (value && !(v = json_loads(value, JSON_DECODE_ANY, NULL))))
		return -1;
	if (*last == '[') {
		size_t i = strtoul(last + 1, NULL, 10);

		if (!v)
			ret = json_array_remove(at, i);
		else if (i == json_array_size(at))
			ret = json_array_append_new(at, v), v = NULL;
		else
			ret = json_array_set_new(at, i, v), v = NULL;
	} else {
		last += *last == '.';
		ret = v ? json_object_set_new(at, last, v) : json_object_del(at, last);
		v = NULL;
	}
	json_decref(v);
	return ret;
}

/* Parses text, or returns NULL. */
static inline json_t *jm_load(const char *text)
{
	return json_loads(text, 0, NULL);
}

/* Serialises like sceau-prepare does (a malloc'd string). */
static inline char *jm_dump(const json_t *doc)
{
	return json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* text with its first occurrence of find replaced (malloc'd), or NULL. */
static inline char *jm_replace(const char *text, const char *find, const char *repl)
{
	const char *at = strstr(text, find);
	size_t a, f = strlen(find), r = strlen(repl), n = strlen(text);
	char *out;

	if (!at)
		return NULL;
	a = (size_t)(at - text);
	out = malloc(n - f + r + 1);
	if (!out)
		return NULL;
	memcpy(out, text, a);
	memcpy(out + a, repl, r);
	memcpy(out + a + r, at + f, n - a - f + 1);
	return out;
}

/*
 * The main() of a format's tests: reads the file rel (*doc, *len), runs the
 * group name of n_tests tests, then run_row once for each of the n_rows
 * rows of a table of malformed inputs (each size bytes, starting with its
 * title; run_row gets the row as its state) in the group "<name>_malformed".
 * 1 if any failed or rel cannot be read, else 0.
 */
static inline int jm_main(const char *name, const char *rel, char **doc, size_t *len,
			  const struct CMUnitTest *tests, size_t n_tests, const void *rows,
			  size_t n_rows, size_t size, CMUnitTestFunction run_row)
{
	struct CMUnitTest *t = calloc(n_rows, sizeof(*t));
	char group[64];
	int failed;

	*doc = jm_read(rel, len);
	if (!*doc || !t) {
		fprintf(stderr, "cannot read %s (run from the repository or set "
			"SCEAU_TOP)\n", rel);
		free(t);
		return 1;
	}
	for (size_t i = 0; i < n_rows; i++) {
		const void *row = (const char *)rows + i * size;

		t[i] = (struct CMUnitTest){ .name = *(const char *const *)row,
					    .test_func = run_row,
					    .initial_state = (void *)row };
	}
	snprintf(group, sizeof(group), "%s_malformed", name);
	failed = _cmocka_run_group_tests(name, tests, n_tests, NULL, NULL);
	failed += _cmocka_run_group_tests(group, t, n_rows, NULL, NULL);
	free(t);
	free(*doc);
	return failed ? 1 : 0;
}

#endif
