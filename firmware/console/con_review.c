/*
 * The review at the end of a flow: its pages one at a time (the results of
 * each scrutin, then the outcome), browsed with the arrows; Enter or Escape
 * goes back to the menu, which loses nothing: every page came from files
 * the engine has already written.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "lib/cancel.h"
#include "console/con_priv.h"

void con_review(struct con *c, unsigned first)
{
	char hint[CON_TEXT];
	int k;

	if (!c->n_pages)
		return;
	c->shown = first < c->n_pages ? first : c->n_pages - 1;
	con_flush();
	while (!cancel_requested) {
		memset(&c->pr, 0, sizeof(c->pr));
		snprintf(hint, sizeof(hint), msg(MSG_CON_HINT_REVIEW), c->shown + 1, c->n_pages);
		c->pr.hint = hint;
		con_draw(c);
		k = con_key(c, 250);
		if (k == '\n' || k == '\r' || k == CON_FN(KEY_ENTER) || k == CON_ESC)
			break;
		con_browse(c, k);
	}
	memset(&c->pr, 0, sizeof(c->pr));
}
