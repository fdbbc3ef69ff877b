/* Formatting wrappers around the ui ops table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"
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
	if (level == UI_ERROR)
		u->n_errors++;
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
	if (u->ops->confirm)
		return u->ops->confirm(u, prompt);
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

static uint64_t ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ui_progress_start(struct ui *u, enum ui_unit unit, uint64_t done)
{
	u->p_unit = unit;
	u->p_start_done = done;
	u->p_start_ms = ui_now_ms();
}

void ui_progress(struct ui *u, uint64_t done, uint64_t total, int final)
{
	struct ui_progress p = { .unit = u->p_unit, .done = done, .total = total,
				 .final = final };
	uint64_t ms = ui_now_ms() - u->p_start_ms;

	if (ms && done > u->p_start_done)
		p.rate = (done - u->p_start_done) * 1000u / ms;
	if (p.rate && total > done)
		p.left_s = (total - done) / p.rate;
	u->ops->progress(u, &p);
}

void ui_progress_text(const struct ui_progress *p, char *buf, size_t n)
{
	static const enum msg_id ids[] = {
		[UI_UNIT_DECRYPTED] = MSG_COUNT_PROGRESS,
		[UI_UNIT_IMPORTED] = MSG_PROGRESS_IMPORT,
		[UI_UNIT_VERIFIED] = MSG_PROGRESS_VERIFY,
	};

	snprintf(buf, n, msg(ids[p->unit]), (unsigned long long)p->done,
		 (unsigned long long)p->total, (unsigned long long)p->rate,
		 (unsigned long long)p->left_s);
}
