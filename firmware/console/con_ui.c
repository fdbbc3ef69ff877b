/*
 * The curses backend of struct ui_ops: the engine's messages fill the
 * current page (a UI_STEP opens a new one), questions and waits use the
 * prompt area, and Escape during a question or a wait offers to abandon
 * the step, saying what will be kept. Abandoning returns ERR_CANCELLED to
 * the engine, which unwinds through its usual paths.
 */
#include <curses.h>
#include <string.h>

#include "lib/cancel.h"
#include "lib/err.h"
#include "crypto/secmem.h"
#include "console/con_priv.h"

#define CON_POLL_MS 200
#define CON_PROGRESS_MS 150

static struct con *con_of(struct ui *u)
{
	return u->priv;
}

static void con_ui_say(struct ui *u, enum ui_level level, const char *text)
{
	struct con *c = con_of(u);

	if (level == UI_STEP)
		con_page_new(c, text);
	else
		con_page_add(c, level, text);
	c->shown = c->n_pages - 1;
	con_draw(c);
}

static int con_ui_ask(struct ui *u, const char *prompt, char *buf, size_t n, int secret)
{
	struct con *c = con_of(u);
	int ret;

	for (;;) {
		ret = con_line(c, prompt, buf, n, secret);
		if (ret != CON_ESC)
			return ret;
		if (cancel_requested || con_abandon(c))
			return ERR_CANCELLED;
	}
}

static int con_ui_wait(struct ui *u, const char *text, int (*ready)(void *arg), void *arg)
{
	struct con *c = con_of(u);
	int r, k;

	con_flush();
	while ((r = ready(arg)) == 0) {
		c->pr.text = text;
		c->pr.hint = msg(MSG_CON_HINT_WAIT);
		con_draw(c);
		k = con_key(c, CON_POLL_MS);
		if (cancel_requested)
			r = ERR_CANCELLED;
		else if (k == CON_ESC && con_abandon(c))
			r = ERR_CANCELLED;
		else
			con_browse(c, k);
		if (r)
			break;
	}
	memset(&c->pr, 0, sizeof(c->pr));
	con_draw(c);
	return r < 0 ? r : 0;
}

/* Escape while the engine works: where the engine stops on cancel_requested
 * between two reports (decryption), the bureau may abandon the step; it
 * ends as a card pull would, keeping what is done. */
static void con_ui_progress_key(struct con *c)
{
	int k, esc = 0;

	/* Every key typed since the last report is read, so none is left to
	 * answer the next prompt; only Escape means something here. */
	while ((k = con_key(c, 0)) != -1)
		esc |= k == CON_ESC;
	if (!esc || !c->progress_stops || c->abandoned)
		return;
	if (con_abandon(c)) {
		c->abandoned = 1;
		cancel_requested = 1;
	}
}

/* Redrawn at most every CON_PROGRESS_MS; a resize is picked up meanwhile.
 * Other keys are dropped: the engine is busy and watches the cards itself. */
static void con_ui_progress(struct ui *u, const struct ui_progress *p)
{
	struct con *c = con_of(u);

	c->prog = *p;
	c->has_progress = 1;
	con_ui_progress_key(c);
	if (!p->final && con_now_ms() - c->last_draw_ms < CON_PROGRESS_MS)
		return;
	con_draw(c);
}

static int con_ui_confirm(struct ui *u, const char *text)
{
	return con_confirm(con_of(u), text);
}

static const struct ui_ops con_ui_ops = {
	.say = con_ui_say,
	.ask = con_ui_ask,
	.wait = con_ui_wait,
	.progress = con_ui_progress,
	.confirm = con_ui_confirm,
};

void con_ui_init(struct con *c)
{
	memset(&c->ui, 0, sizeof(c->ui));
	c->ui.ops = &con_ui_ops;
	c->ui.priv = c;
}
