/* Thread-local error detail: lets deep code name the field or record that
 * failed; see err.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "lib/i18n.h"

static _Thread_local char detail[ERR_DETAIL_MAX];
static _Thread_local char text[ERR_DETAIL_MAX];
static const char *(*err_tr)(const char *fmt);

void err_detail(const char *fmt, ...)
{
	const char *local = err_tr ? err_tr(fmt) : NULL;
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	if (local)
		vsnprintf(text, sizeof(text), local, again);
	else
		memcpy(text, detail, sizeof(text));
	va_end(again);
	va_end(ap);
}

const char *err_last_detail(void)
{
	return detail;
}

const char *err_last_text(void)
{
	return text;
}

void err_clear(void)
{
	detail[0] = '\0';
	text[0] = '\0';
}

void err_save(struct err_saved *s)
{
	memcpy(s->detail, detail, sizeof(detail));
	memcpy(s->text, text, sizeof(text));
}

void err_restore(const struct err_saved *s)
{
	memcpy(detail, s->detail, sizeof(detail));
	memcpy(text, s->text, sizeof(text));
}

void err_set_translator(const char *(*tr)(const char *fmt))
{
	err_tr = tr;
}

/* French puts a space before the colon. Truncated like any detail. */
void err_detail_prefix(const char *prefix)
{
	char d[sizeof(detail)], t[sizeof(text)];
	const char *sep = i18n_lang() == LANG_FR ? " : " : ": ";
	int n;

	memcpy(d, detail, sizeof(d));
	memcpy(t, text, sizeof(t));
	n = snprintf(detail, sizeof(detail), "%s%s", prefix, d[0] ? ": " : "");
	if (n >= 0 && (size_t)n < sizeof(detail))
		memcpy(detail + n, d, strnlen(d, sizeof(detail) - (size_t)n - 1) + 1);
	detail[sizeof(detail) - 1] = '\0';
	n = snprintf(text, sizeof(text), "%s%s", prefix, t[0] ? sep : "");
	if (n >= 0 && (size_t)n < sizeof(text))
		memcpy(text + n, t, strnlen(t, sizeof(text) - (size_t)n - 1) + 1);
	text[sizeof(text) - 1] = '\0';
}

int err_from_errno(int e)
{
	switch (e) {
	case ENOSPC: case EDQUOT: case EFBIG:
		return ERR_NOSPACE;
	case EROFS: case EACCES: case EPERM:
		return ERR_READONLY;
	default:
		return ERR_IO;
	}
}
