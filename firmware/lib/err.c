/* Thread-local error detail: lets deep code name the field or record that failed. */
#include <stdarg.h>
#include <stdio.h>

#include "lib/err.h"

static _Thread_local char detail[512];

void err_detail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
}

const char *err_last_detail(void)
{
	return detail;
}

void err_clear(void)
{
	detail[0] = '\0';
}

void err_detail_in(const char *where)
{
	char was[sizeof(detail)];

	snprintf(was, sizeof(was), "%s", detail);
	err_detail("%s: %s", where, was);
}
