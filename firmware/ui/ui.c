/* Formatting wrappers around the ui ops table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define UI_TEXT_MAX 1024

void ui_say(struct ui *u, enum ui_level level, const char *fmt, ...)
{
	char text[UI_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	u->ops->say(u, level, text);
}

int ui_ask(struct ui *u, char *buf, size_t n, int secret, const char *fmt, ...)
{
	char prompt[UI_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prompt, sizeof(prompt), fmt, ap);
	va_end(ap);
	return u->ops->ask(u, prompt, buf, n, secret);
}

int ui_confirm(struct ui *u, const char *fmt, ...)
{
	char prompt[UI_TEXT_MAX], answer[16];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(prompt, sizeof(prompt), fmt, ap);
	va_end(ap);
	ret = u->ops->ask(u, prompt, answer, sizeof(answer), 0);
	if (ret == ERR_RANGE)
		return 0;
	if (ret)
		return ret;
	return strcmp(answer, msg(MSG_YES)) == 0;
}

int ui_wait(struct ui *u, int (*ready)(void *arg), void *arg, const char *fmt, ...)
{
	char text[UI_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return u->ops->wait(u, text, ready, arg);
}

void ui_progress(struct ui *u, int final, const char *fmt, ...)
{
	char text[UI_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	u->ops->progress(u, text, final);
}
