/*
 * Strict reading of the small JSON files (jansson): the document must be one
 * object, without duplicate keys, NUL escapes or trailing bytes; each getter
 * checks one field's presence, type and bounds. On error a getter records
 * "<path>: <what is wrong>" with err_detail() (e.g.
 * "scrutins[1].lists[0].candidates[2].birth_date: not a valid date
 * (2026-02-30)") and returns ERR_FORMAT (malformed) or ERR_RANGE (a value,
 * a length or a count outside its bounds). Getters never echo a string
 * that failed the text checks.
 */
#ifndef SCEAU_LIB_JSON_UTIL_H
#define SCEAU_LIB_JSON_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define JUTIL_PATH_MAX 192

/* The JSON path of the value being read: "scrutins[1].lists[0]". */
struct jutil_path {
	char s[JUTIL_PATH_MAX];
	size_t len;
};

void jutil_path_init(struct jutil_path *p);
/* Appends ".key" (or "[i]") and returns a mark for jutil_path_pop. */
size_t jutil_path_key(struct jutil_path *p, const char *key);
size_t jutil_path_index(struct jutil_path *p, size_t i);
void jutil_path_pop(struct jutil_path *p, size_t mark);

/* Records "<path>[.key]: <message>" and returns err. key may be NULL. */
int jutil_fail(const struct jutil_path *p, const char *key, int err,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Parses buf (at most max bytes) strictly; the root must be an object. */
int jutil_load(const uint8_t *buf, size_t len, size_t max, json_t **root);

/* Rejects any key of obj not in keys[0..n-1]; obj must be an object. */
int jutil_keys(const json_t *obj, const struct jutil_path *p,
	       const char *const *keys, size_t n);

/* Checks a text: valid UTF-8, 1..max bytes, no control or invisible
 * formatting character, no leading or trailing space. */
int jutil_text_check(const char *s, size_t len, size_t max,
		     const struct jutil_path *p, const char *key);
/* A required text field, copied NUL-terminated into out (cap = max + 1). */
int jutil_text(const json_t *obj, const struct jutil_path *p, const char *key,
	       char *out, size_t cap);
/* A required string equal to want (the format tag). */
int jutil_const(const json_t *obj, const struct jutil_path *p, const char *key,
		const char *want);
/* A required JSON integer (not a real) in [min, max]. */
int jutil_uint(const json_t *obj, const struct jutil_path *p, const char *key,
	       uint64_t min, uint64_t max, uint64_t *out);
/* A required object, or array of min..max elements. */
int jutil_object(const json_t *obj, const struct jutil_path *p, const char *key,
		 json_t **out);
int jutil_array(const json_t *obj, const struct jutil_path *p, const char *key,
		size_t min, size_t max, json_t **out);
/* Element i of an array, which must be an object (path already at "[i]"). */
int jutil_elem_object(const json_t *arr, size_t i, const struct jutil_path *p,
		      json_t **out);

/* Calls fn(element, path, i, arg) for every element of arr (read from
 * obj's key), each of which must be an object, with the path at
 * "key[i]"; stops at the first error and returns it. */
typedef int (*jutil_elem_fn)(const json_t *o, struct jutil_path *p, size_t i, void *arg);
int jutil_each(const json_t *arr, struct jutil_path *p, const char *key, jutil_elem_fn fn,
	       void *arg);

/* A required boolean. */
int jutil_bool(const json_t *obj, const struct jutil_path *p, const char *key, int *out);
/* A required string of exactly 2*n lower-case hex digits into n bytes. */
int jutil_hex(const json_t *obj, const struct jutil_path *p, const char *key,
	      uint8_t *out, size_t n);
/* The same for element i of an array (path already at "[i]"). */
int jutil_elem_hex(const json_t *arr, size_t i, const struct jutil_path *p,
		   uint8_t *out, size_t n);
/* What the writers put where jutil_hex reads: n bytes (at most
 * JUTIL_HEX_MAX) as a string of lower-case hex; NULL if n is larger or
 * memory runs out (jansson's setters then fail, as for any NULL value). */
#define JUTIL_HEX_MAX 128
json_t *jutil_hex_string(const uint8_t *b, size_t n);
/* The canonical text of a document Sceau writes: keys in insertion order,
 * 2-space indent, UTF-8 unescaped, a final newline. *text is malloc'd and
 * NUL-terminated; *len excludes the NUL. o is not released. */
int jutil_dump(const json_t *o, char **text, size_t *len);

/* Calendar date "YYYY-MM-DD" (proleptic Gregorian, year >= 1); out gets the
 * 10 characters + NUL; days = days since 1970-01-01 (may be NULL). */
int jutil_date(const json_t *obj, const struct jutil_path *p, const char *key,
	       char out[11], int64_t *days);
/* ISO 8601 "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)", copied as given;
 * utc = seconds since 1970-01-01T00:00Z. */
int jutil_datetime(const json_t *obj, const struct jutil_path *p, const char *key,
		   char out[32], int64_t *utc);
/* A share written as an exact decimal string in [0, 1]: "0", "1", "0.38",
 * "1.0"; at most JUTIL_SHARE_DIGITS decimals. "0.38" gives 38/100 (not
 * reduced: den = 10^decimals). */
#define JUTIL_SHARE_DIGITS 9
int jutil_share(const json_t *obj, const struct jutil_path *p, const char *key,
		uint64_t *num, uint64_t *den);

/* The same syntax checks without JSON, for tools: 0, ERR_FORMAT (syntax,
 * impossible date) or ERR_RANGE (a share above 1 or with too many decimals). */
int jutil_parse_date(const char *s, int64_t *days);
int jutil_parse_datetime(const char *s, int64_t *utc);
int jutil_parse_share(const char *s, uint64_t *num, uint64_t *den);
/* Byte offset of the first forbidden character in s[0..len), or -1 if the
 * text is valid UTF-8 without any (see jutil_text_check). */
long jutil_bad_char(const char *s, size_t len);

#endif
