/*
 * For the round-trip targets of the JSON formats (header-only): whether the
 * text a writer made holds the same values as the text its reader accepted.
 * Sceau's readers take any key order, white space and string escapes (hex
 * only in lower case, docs/FORMATS.md); the writers emit one canonical
 * text. So objects compare as sets of keys, arrays element by element,
 * numbers by value, strings byte for byte.
 */
#ifndef SCEAU_FUZZ_JSON_H
#define SCEAU_FUZZ_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int fuzz_same_string(const json_t *a, const json_t *b)
{
	const char *x = json_string_value(a), *y = json_string_value(b);
	size_t n = json_string_length(a);

	return n == json_string_length(b) && memcmp(x, y, n) == 0;
}

static int fuzz_same_value(const json_t *a, const json_t *b)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach((json_t *)a, k, v)
			if (!json_object_get(b, k) || !fuzz_same_value(v, json_object_get(b, k)))
				return 0;
		return 1;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		json_array_foreach(a, i, v)
			if (!fuzz_same_value(v, json_array_get(b, i)))
				return 0;
		return 1;
	case JSON_STRING:
		return fuzz_same_string(a, b);
	default:
		return json_equal((json_t *)a, (json_t *)b);
	}
}

/* in (accepted by a reader) and out (what its writer made) hold the same values. */
static int fuzz_json_same(const uint8_t *in, size_t in_len, const char *out, size_t out_len)
{
	json_t *a = json_loadb((const char *)in, in_len, JSON_REJECT_DUPLICATES, NULL),
	       *b = json_loadb(out, out_len, JSON_REJECT_DUPLICATES, NULL);
	int same = a && b && fuzz_same_value(a, b);

	json_decref(a);
	json_decref(b);
	return same;
}

#endif
