/*
 * The IEEE 1284 device id a printer gives ("MFG:..;MDL:..;CMD:..;") and the
 * language the box speaks to it. The id comes from the device, so it is
 * outside data: parsed strictly, within fixed bounds, never trusted to be
 * NUL-terminated.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/err.h"
#include "print/print.h"

#define PRINT_DEVID_KEY_MAX 32
#define PRINT_DEVID_FIELDS_MAX 64

struct print_span {
	const char *s;
	size_t n;
};

/* Thermal printers that speak ESC/POS without saying so in CMD. */
static const struct {
	const char *mfg; /* prefix, NULL: any manufacturer */
	const char *mdl; /* prefix of the model */
} print_thermal_models[] = {
	{ "EPSON", "TM-T" }, /* TM-T20, TM-T70, TM-T82, TM-T88 */
	{ "EPSON", "TM-M" }, /* TM-m10, TM-m30 */
	{ NULL, "POS-58" }, { NULL, "POS58" },
	{ NULL, "POS-80" }, { NULL, "POS80" },
	{ NULL, "XP-58" }, { NULL, "XP-80" }, /* Xprinter */
	{ NULL, "ZJ-58" }, { NULL, "ZJ-80" }, /* Zjiang */
};

static int print_devid_keychar(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '_';
}

static struct print_span print_trim(const char *s, size_t n)
{
	struct print_span sp = { s, n };

	while (sp.n && sp.s[0] == ' ') {
		sp.s++;
		sp.n--;
	}
	while (sp.n && sp.s[sp.n - 1] == ' ')
		sp.n--;
	return sp;
}

static int print_span_is(struct print_span sp, const char *word)
{
	return sp.n == strlen(word) && strncasecmp(sp.s, word, sp.n) == 0;
}

/* Scans one "KEY:value" ending at ';' or at the end; *pos moves past it. */
static int print_devid_field(const char *s, size_t len, size_t *pos,
			     struct print_span *key, struct print_span *val)
{
	size_t i = *pos, k0 = i;

	while (i < len && print_devid_keychar(s[i]))
		i++;
	if (i >= len || s[i] != ':') {
		err_detail("device id: byte %zu: expected a key and ':'", i);
		return ERR_FORMAT;
	}
	*key = print_trim(s + k0, i - k0);
	if (!key->n || key->n > PRINT_DEVID_KEY_MAX) {
		err_detail("device id: byte %zu: empty or long key", k0);
		return ERR_FORMAT;
	}
	i++;
	for (size_t v0 = i;; i++) {
		if (i == len || s[i] == ';') {
			*val = print_trim(s + v0, i - v0);
			*pos = i < len ? i + 1 : i;
			return 0;
		}
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) {
			err_detail("device id: byte %zu: not printable ASCII", i);
			return ERR_FORMAT;
		}
	}
}

static int print_devid_keep(struct print_span key, struct print_span val,
			    struct print_devid *out)
{
	char *dst = NULL;

	if (print_span_is(key, "MFG") || print_span_is(key, "MANUFACTURER"))
		dst = out->mfg;
	else if (print_span_is(key, "MDL") || print_span_is(key, "MODEL"))
		dst = out->mdl;
	else if (print_span_is(key, "CMD") || print_span_is(key, "COMMAND SET"))
		dst = out->cmd;
	if (!dst)
		return 0;
	if (dst[0]) {
		err_detail("device id: %.*s given twice", (int)key.n, key.s);
		return ERR_FORMAT;
	}
	if (val.n >= PRINT_DEVID_FIELD_MAX) {
		err_detail("device id: %.*s longer than %d bytes", (int)key.n,
			   key.s, PRINT_DEVID_FIELD_MAX - 1);
		return ERR_RANGE;
	}
	memcpy(dst, val.s, val.n);
	dst[val.n] = '\0';
	return 0;
}

static int print_devid_dup(const struct print_span *keys, size_t n, struct print_span k)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].n == k.n && strncasecmp(keys[i].s, k.s, k.n) == 0)
			return 1;
	return 0;
}

int print_devid_parse(const char *s, size_t len, struct print_devid *out)
{
	struct print_span keys[PRINT_DEVID_FIELDS_MAX], key, val;
	size_t pos = 0, nkeys = 0;
	int ret;

	if (!s || !out)
		return ERR_INTERNAL;
	memset(out, 0, sizeof(*out));
	if (!len) {
		err_detail("device id: empty");
		return ERR_FORMAT;
	}
	if (len >= PRINT_DEVICE_ID_MAX) {
		err_detail("device id: %zu bytes, at most %d", len, PRINT_DEVICE_ID_MAX - 1);
		return ERR_RANGE;
	}
	while (pos < len) {
		ret = print_devid_field(s, len, &pos, &key, &val);
		if (ret)
			return ret;
		if (nkeys == PRINT_DEVID_FIELDS_MAX || print_devid_dup(keys, nkeys, key)) {
			err_detail("device id: key %.*s repeated, or too many keys",
				   (int)key.n, key.s);
			return ERR_FORMAT;
		}
		keys[nkeys++] = key;
		ret = print_devid_keep(key, val, out);
		if (ret)
			return ret;
	}
	return 0;
}

/* The value of a length that fits what was received, or 0. */
static size_t print_devid_len(unsigned l, size_t n)
{
	return l >= 2 && l <= n ? l : 0;
}

int print_devid_unwrap(const uint8_t *buf, size_t n, char *out, size_t outsz)
{
	size_t l, end;

	if (!buf || !out || !outsz)
		return ERR_INTERNAL;
	out[0] = '\0';
	if (n < 2) {
		err_detail("device id: answer of %zu bytes", n);
		return ERR_FORMAT;
	}
	l = print_devid_len((unsigned)buf[0] << 8 | buf[1], n);
	if (!l)
		l = print_devid_len((unsigned)buf[1] << 8 | buf[0], n);
	if (!l) {
		err_detail("device id: length %u but %zu bytes received",
			   (unsigned)buf[0] << 8 | buf[1], n);
		return ERR_FORMAT;
	}
	/* Trailing NULs are padding; a NUL inside would hide the rest. */
	for (end = l; end > 2 && buf[end - 1] == 0; end--)
		;
	if (memchr(buf + 2, 0, end - 2)) {
		err_detail("device id: NUL byte inside");
		return ERR_FORMAT;
	}
	if (end - 2 >= outsz) {
		err_detail("device id: %zu bytes, at most %zu", end - 2, outsz - 1);
		return ERR_RANGE;
	}
	memcpy(out, buf + 2, end - 2);
	out[end - 2] = '\0';
	return 0;
}

static int print_token_is_ps(struct print_span t)
{
	size_t i;

	if (t.n >= 10 && strncasecmp(t.s, "POSTSCRIPT", 10) == 0)
		return 1; /* POSTSCRIPT, POSTSCRIPT2, POSTSCRIPT LEVEL 3 */
	if (t.n < 2 || strncasecmp(t.s, "PS", 2) != 0)
		return 0;
	for (i = 2; i < t.n && t.s[i] >= '0' && t.s[i] <= '9'; i++)
		;
	return i == t.n; /* PS, PS2, PS3 */
}

static int print_token_is_escpos(struct print_span t)
{
	return (t.n >= 7 && strncasecmp(t.s, "ESC/POS", 7) == 0) ||
	       (t.n >= 6 && strncasecmp(t.s, "ESCPOS", 6) == 0);
}

/* 1 if a comma-separated token of cmd satisfies is(). */
static int print_cmd_has(const char *cmd, int (*is)(struct print_span))
{
	const char *p = cmd;

	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (is(print_trim(p, n)))
			return 1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

static int print_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int print_is_thermal(const struct print_devid *id)
{
	size_t n = sizeof(print_thermal_models) / sizeof(print_thermal_models[0]);

	for (size_t i = 0; i < n; i++) {
		if (print_thermal_models[i].mfg &&
		    !print_prefix(id->mfg, print_thermal_models[i].mfg))
			continue;
		if (print_prefix(id->mdl, print_thermal_models[i].mdl))
			return 1;
	}
	return 0;
}

int print_lang_choose(const struct print_devid *id, enum print_lang *out)
{
	if (!id || !out)
		return ERR_INTERNAL;
	*out = PRINT_LANG_NONE;
	if (print_cmd_has(id->cmd, print_token_is_ps))
		*out = PRINT_LANG_POSTSCRIPT;
	else if (print_cmd_has(id->cmd, print_token_is_escpos) || print_is_thermal(id))
		*out = PRINT_LANG_ESCPOS;
	if (*out != PRINT_LANG_NONE)
		return 0;
	err_detail("printer \"%s %s\" speaks neither PostScript nor ESC/POS "
		   "(CMD: \"%s\")", id->mfg[0] ? id->mfg : "?",
		   id->mdl[0] ? id->mdl : "?", id->cmd);
	return ERR_PRINTER_LANG;
}

int print_lang_of(const struct printer *p, enum print_lang *out)
{
	struct print_devid id;
	size_t n;
	int ret;

	if (!p || !out)
		return ERR_INTERNAL;
	*out = PRINT_LANG_NONE;
	n = strnlen(p->device_id, sizeof(p->device_id));
	if (!n) {
		err_detail("%s: the printer gives no IEEE 1284 device id, so its "
			   "language is unknown", p->label);
		return ERR_PRINTER_LANG;
	}
	ret = print_devid_parse(p->device_id, n, &id);
	if (ret)
		return ret == ERR_INTERNAL ? ret : ERR_PRINTER_LANG;
	return print_lang_choose(&id, out);
}

const char *print_lang_name(enum print_lang l)
{
	switch (l) {
	case PRINT_LANG_POSTSCRIPT:
		return "PostScript";
	case PRINT_LANG_ESCPOS:
		return "ESC/POS";
	default:
		return "none";
	}
}
