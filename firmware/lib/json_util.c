/* Strict JSON field readers shared by the parsers of outside data. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/json_util.h"
#include "lib/hex.h"

void jutil_path_init(struct jutil_path *p)
{
	p->s[0] = '\0';
	p->len = 0;
}

/* Appends ".key" (or "key" at the root) or "[i]"; truncates silently. */
static size_t path_append(struct jutil_path *p, const char *key, size_t i)
{
	size_t mark = p->len, room = sizeof(p->s) - p->len;
	int n;

	if (key)
		n = snprintf(p->s + p->len, room, "%s%s", p->len ? "." : "", key);
	else
		n = snprintf(p->s + p->len, room, "[%zu]", i);
	if (n < 0)
		n = 0;
	p->len += (size_t)n < room ? (size_t)n : room - 1;
	return mark;
}

size_t jutil_path_key(struct jutil_path *p, const char *key)
{
	return path_append(p, key, 0);
}

size_t jutil_path_index(struct jutil_path *p, size_t i)
{
	return path_append(p, NULL, i);
}

void jutil_path_pop(struct jutil_path *p, size_t mark)
{
	if (mark < p->len) {
		p->len = mark;
		p->s[mark] = '\0';
	}
}

int jutil_fail(const struct jutil_path *p, const char *key, int err,
	       const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!key && !p->len)
		err_detail("(document): %s", msg);
	else
		err_detail("%s%s%s: %s", p->s, key && p->len ? "." : "",
			   key ? key : "", msg);
	return err;
}

/* jansson's message may quote input bytes: keep printable ASCII only. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

int jutil_load(const uint8_t *buf, size_t len, size_t max, json_t **root)
{
	json_error_t e;
	json_t *r;

	*root = NULL;
	if (len > max) {
		err_detail("(document): %zu bytes, at most %zu allowed", len, max);
		return ERR_RANGE;
	}
	r = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &e);
	if (!r) {
		sanitize(e.text);
		err_detail("(document): line %d, column %d: %s", e.line, e.column,
			   e.text);
		return ERR_FORMAT;
	}
	if (!json_is_object(r)) {
		json_decref(r);
		err_detail("(document): expected a JSON object");
		return ERR_FORMAT;
	}
	*root = r;
	return 0;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* The value of a required key, of the wanted type. */
static int get(const json_t *obj, const struct jutil_path *p, const char *key,
	       json_type type, const char *what, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return jutil_fail(p, key, ERR_FORMAT, "missing");
	if (json_typeof(v) != type)
		return jutil_fail(p, key, ERR_FORMAT, "expected %s, got %s", what,
				  type_name(v));
	*out = v;
	return 0;
}

int jutil_keys(const json_t *obj, const struct jutil_path *p,
	       const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)obj, k, v) {
		size_t i;

		for (i = 0; i < n && strcmp(k, keys[i]) != 0; i++)
			;
		if (i < n)
			continue;
		if (strlen(k) > 64 || jutil_bad_char(k, strlen(k)) >= 0)
			return jutil_fail(p, NULL, ERR_FORMAT,
					  "unknown key (not shown: long or "
					  "with forbidden characters)");
		return jutil_fail(p, k, ERR_FORMAT, "unknown key");
	}
	return 0;
}

/* One UTF-8 sequence at s[0..n): its code point and length, or -1. */
static int utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return -1;
	if (len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return (int)len;
}

/* Control characters, and invisible characters that could make two names
 * look alike or reorder a printed line (bidirectional overrides). */
static int forbidden(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x200b ||
	       c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xfeff;
}

long jutil_bad_char(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		int n = utf8_next(u + i, len - i, &c);

		if (n < 0 || forbidden(c))
			return (long)i;
		i += (size_t)n;
	}
	return -1;
}

int jutil_text_check(const char *s, size_t len, size_t max,
		     const struct jutil_path *p, const char *key)
{
	long bad;

	if (len == 0)
		return jutil_fail(p, key, ERR_FORMAT, "empty text");
	if (len > max)
		return jutil_fail(p, key, ERR_RANGE,
				  "text too long (%zu bytes, at most %zu)", len, max);
	bad = jutil_bad_char(s, len);
	if (bad >= 0)
		return jutil_fail(p, key, ERR_FORMAT,
				  "invalid UTF-8, control or invisible formatting "
				  "character at byte %ld", bad);
	if (s[0] == ' ' || s[len - 1] == ' ')
		return jutil_fail(p, key, ERR_FORMAT, "leading or trailing space");
	return 0;
}

int jutil_text(const json_t *obj, const struct jutil_path *p, const char *key,
	       char *out, size_t cap)
{
	json_t *v;
	size_t len;
	int ret;

	ret = get(obj, p, key, JSON_STRING, "a string", &v);
	if (ret)
		return ret;
	len = json_string_length(v);
	ret = jutil_text_check(json_string_value(v), len, cap - 1, p, key);
	if (ret)
		return ret;
	memcpy(out, json_string_value(v), len);
	out[len] = '\0';
	return 0;
}

int jutil_const(const json_t *obj, const struct jutil_path *p, const char *key,
		const char *want)
{
	const char *got;
	size_t n;
	json_t *v;
	int ret;

	ret = get(obj, p, key, JSON_STRING, "a string", &v);
	if (ret)
		return ret;
	got = json_string_value(v);
	n = json_string_length(v);
	if (n == strlen(want) && memcmp(got, want, n) == 0)
		return 0;
	if (n > 0 && n <= 64 && jutil_bad_char(got, n) < 0)
		return jutil_fail(p, key, ERR_FORMAT, "expected \"%s\", got \"%s\"",
				  want, got);
	return jutil_fail(p, key, ERR_FORMAT, "expected \"%s\"", want);
}

int jutil_uint(const json_t *obj, const struct jutil_path *p, const char *key,
	       uint64_t min, uint64_t max, uint64_t *out)
{
	json_int_t i;
	json_t *v;
	int ret;

	ret = get(obj, p, key, JSON_INTEGER, "an integer", &v);
	if (ret)
		return ret;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i < min || (uint64_t)i > max)
		return jutil_fail(p, key, ERR_RANGE,
				  "out of range (%lld, expected %" PRIu64 "..%" PRIu64
				  ")", (long long)i, min, max);
	*out = (uint64_t)i;
	return 0;
}

int jutil_bool(const json_t *obj, const struct jutil_path *p, const char *key, int *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return jutil_fail(p, key, ERR_FORMAT, "missing");
	if (!json_is_boolean(v))
		return jutil_fail(p, key, ERR_FORMAT, "expected true or false, got %s",
				  type_name(v));
	*out = json_is_true(v);
	return 0;
}

static int hex_value(const json_t *v, const struct jutil_path *p, const char *key,
		     uint8_t *out, size_t n)
{
	if (!json_is_string(v) || json_string_length(v) != 2 * n ||
	    hex_decode(json_string_value(v), out, n) != 0)
		return jutil_fail(p, key, ERR_FORMAT, "expected %zu lower-case hex digits", 2 * n);
	return 0;
}

int jutil_hex(const json_t *obj, const struct jutil_path *p, const char *key,
	      uint8_t *out, size_t n)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return jutil_fail(p, key, ERR_FORMAT, "missing");
	return hex_value(v, p, key, out, n);
}

int jutil_elem_hex(const json_t *arr, size_t i, const struct jutil_path *p,
		   uint8_t *out, size_t n)
{
	return hex_value(json_array_get(arr, i), p, NULL, out, n);
}

json_t *jutil_hex_string(const uint8_t *b, size_t n)
{
	char hex[2 * JUTIL_HEX_MAX + 1];

	if (n > JUTIL_HEX_MAX)
		return NULL;
	hex_encode(b, n, hex);
	return json_string(hex);
}

int jutil_object(const json_t *obj, const struct jutil_path *p, const char *key,
		 json_t **out)
{
	return get(obj, p, key, JSON_OBJECT, "an object", out);
}

int jutil_array(const json_t *obj, const struct jutil_path *p, const char *key,
		size_t min, size_t max, json_t **out)
{
	size_t n;
	int ret;

	ret = get(obj, p, key, JSON_ARRAY, "an array", out);
	if (ret)
		return ret;
	n = json_array_size(*out);
	if (n < min || n > max)
		return jutil_fail(p, key, ERR_RANGE,
				  "%zu elements, expected %zu..%zu", n, min, max);
	return 0;
}

int jutil_elem_object(const json_t *arr, size_t i, const struct jutil_path *p,
		      json_t **out)
{
	json_t *v = json_array_get(arr, i);

	*out = NULL;
	if (!json_is_object(v))
		return jutil_fail(p, NULL, ERR_FORMAT, "expected an object, got %s",
				  v ? type_name(v) : "nothing");
	*out = v;
	return 0;
}

int jutil_each(const json_t *arr, struct jutil_path *p, const char *key, jutil_elem_fn fn,
	       void *arg)
{
	size_t mark = jutil_path_key(p, key);
	int ret = 0;

	for (size_t i = 0; !ret && i < json_array_size(arr); i++) {
		size_t m = jutil_path_index(p, i);
		json_t *o = NULL;

		ret = jutil_elem_object(arr, i, p, &o);
		if (!ret)
			ret = fn(o, p, i, arg);
		jutil_path_pop(p, m);
	}
	jutil_path_pop(p, mark);
	return ret;
}

/* ---- dates, times, decimal shares ------------------------------------- */

/* Exactly n ASCII digits. */
static int digits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned d[12] = { 31, 28, 31, 30, 31, 30,
					31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return d[m - 1] + (m == 2 && leap);
}

/* Days since 1970-01-01 of a valid Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" at s (not necessarily NUL-terminated after it). */
static int date_at(const char *s, int64_t *days)
{
	unsigned y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return ERR_FORMAT;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return ERR_FORMAT;
	if (days)
		*days = days_from_civil(y, m, d);
	return 0;
}

int jutil_parse_date(const char *s, int64_t *days)
{
	if (strlen(s) != 10)
		return ERR_FORMAT;
	return date_at(s, days);
}

/* "+HH:MM", "-HH:MM" or "Z" ending the string: offset in seconds. */
static int offset_at(const char *s, int64_t *off)
{
	unsigned h, m;

	if (s[0] == 'Z' && s[1] == '\0') {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || digits(s + 1, 2, &h) ||
	    s[3] != ':' || digits(s + 4, 2, &m) || h > 14 || m > 59)
		return ERR_FORMAT;
	*off = (int64_t)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int jutil_parse_datetime(const char *s, int64_t *utc)
{
	unsigned h, mi, sec = 0;
	int64_t days, off;
	size_t pos = 16;

	if (strlen(s) < 17 || strlen(s) > 31 || date_at(s, &days) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi))
		return ERR_FORMAT;
	if (s[16] == ':') {
		if (digits(s + 17, 2, &sec))
			return ERR_FORMAT;
		pos = 19;
	}
	if (h > 23 || mi > 59 || sec > 59 || offset_at(s + pos, &off))
		return ERR_FORMAT;
	if (utc)
		*utc = days * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}

int jutil_parse_share(const char *s, uint64_t *num, uint64_t *den)
{
	size_t ni = strspn(s, "0123456789"), nf = 0;
	uint64_t f = 0, d = 1;

	if (ni == 0 || (ni > 1 && s[0] == '0'))
		return ERR_FORMAT;
	if (s[ni] == '.') {
		nf = strspn(s + ni + 1, "0123456789");
		if (nf == 0 || s[ni + 1 + nf] != '\0')
			return ERR_FORMAT;
	} else if (s[ni] != '\0') {
		return ERR_FORMAT;
	}
	if (ni > 1 || s[0] > '1' || nf > JUTIL_SHARE_DIGITS)
		return ERR_RANGE;
	for (size_t i = 0; i < nf; i++) {
		f = f * 10 + (uint64_t)(s[ni + 1 + i] - '0');
		d *= 10;
	}
	if (s[0] == '1' && f != 0)
		return ERR_RANGE;
	*num = (uint64_t)(s[0] - '0') * d + f;
	*den = d;
	return 0;
}

/* A short text field holding a date, a time or a number. */
static int short_text(const json_t *obj, const struct jutil_path *p,
		      const char *key, char *out, size_t cap)
{
	int ret = jutil_text(obj, p, key, out, cap);

	if (ret == ERR_RANGE)
		return jutil_fail(p, key, ERR_FORMAT, "too long for its format");
	return ret;
}

/* A date or a date and time, which parse must accept; what names its syntax
 * in the error. */
static int dated_text(const json_t *obj, const struct jutil_path *p, const char *key,
		      char buf[32], int (*parse)(const char *, int64_t *), int64_t *t,
		      const char *what)
{
	int ret = short_text(obj, p, key, buf, 32);

	if (!ret && parse(buf, t))
		ret = jutil_fail(p, key, ERR_FORMAT, "not a valid %s (%s)", what, buf);
	return ret;
}

int jutil_date(const json_t *obj, const struct jutil_path *p, const char *key,
	       char out[11], int64_t *days)
{
	char buf[32];
	int ret = dated_text(obj, p, key, buf, jutil_parse_date, days, "date YYYY-MM-DD");

	if (!ret)
		memcpy(out, buf, 11);
	return ret;
}

int jutil_datetime(const json_t *obj, const struct jutil_path *p, const char *key,
		   char out[32], int64_t *utc)
{
	char buf[32];
	int ret = dated_text(obj, p, key, buf, jutil_parse_datetime, utc,
			     "date and time YYYY-MM-DDTHH:MM[:SS]+HH:MM");

	if (!ret)
		memcpy(out, buf, sizeof(buf));
	return ret;
}

int jutil_share(const json_t *obj, const struct jutil_path *p, const char *key,
		uint64_t *num, uint64_t *den)
{
	char buf[32];
	int ret = short_text(obj, p, key, buf, sizeof(buf));

	if (ret)
		return ret;
	ret = jutil_parse_share(buf, num, den);
	if (ret == ERR_FORMAT)
		return jutil_fail(p, key, ret,
				  "not an exact decimal like \"0.38\" (%s)", buf);
	if (ret)
		return jutil_fail(p, key, ret,
				  "outside 0..1 or more than %d decimals (%s)",
				  JUTIL_SHARE_DIGITS, buf);
	return 0;
}

int jutil_dump(const json_t *o, char **text, size_t *len)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *t;
	size_t n;

	if (!s)
		return ERR_NOMEM;
	n = strlen(s);
	t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return ERR_NOMEM;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	*text = t;
	*len = n + 1;
	return 0;
}
