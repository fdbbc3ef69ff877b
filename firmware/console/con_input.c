/*
 * Keys and answers. No key confirms an irreversible step by accident:
 * con_confirm needs the word "oui" typed out, and Enter on a choice takes
 * the highlighted button, whose default is always the harmless one.
 * Typed secrets go straight into the caller's (locked) buffer; the screen
 * shows only their length as stars.
 */
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/cancel.h"
#include "lib/err.h"
#include "crypto/secmem.h"
#include "console/con_priv.h"

/* A terminal that hung up makes every read fail at once; the signal may
 * not reach us (the process is not the session's), so this counts too. */
static void con_hangup_check(struct con *c, int timeout_ms, unsigned long long t0)
{
	if (timeout_ms < 100 || con_now_ms() - t0 >= (unsigned long long)timeout_ms / 2) {
		c->fast_errors = 0;
		return;
	}
	if (++c->fast_errors >= CON_HANGUP_READS)
		cancel_requested = 1;
}

int con_key(struct con *c, int timeout_ms)
{
	unsigned long long t0 = con_now_ms();
	wint_t ch = 0;
	int r, key;

	timeout(timeout_ms);
	r = wget_wch(stdscr, &ch);
	if (r == ERR) {
		con_hangup_check(c, timeout_ms, t0);
		return -1;
	}
	c->fast_errors = 0;
	if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
		con_draw(c);
		return -1;
	}
	key = r == KEY_CODE_YES ? CON_FN((int)ch) : (int)ch;
	ch = 0;
	secmem_wipe(&ch, sizeof(ch));
	return key;
}

void con_flush(void)
{
	flushinp();
}

static int con_is_enter(int k)
{
	return k == '\n' || k == '\r' || k == CON_FN(KEY_ENTER);
}

static int con_is_backspace(int k)
{
	return k == 127 || k == 8 || k == CON_FN(KEY_BACKSPACE);
}

/* Removes the last UTF-8 character of buf[0..*len). */
static void con_erase_char(char *buf, size_t *len)
{
	while (*len > 0) {
		unsigned char b = (unsigned char)buf[--*len];
		buf[*len] = '\0';
		if ((b & 0xC0) != 0x80)
			break;
	}
}

/* Appends the character k; ERR_RANGE if it does not fit. */
static int con_put_char(char *buf, size_t n, size_t *len, int k)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t m;
	int ret = 0;

	memset(&st, 0, sizeof(st));
	m = wcrtomb(mb, (wchar_t)k, &st);
	if (m == (size_t)-1 || *len + m + 1 > n)
		ret = ERR_RANGE;
	else {
		memcpy(buf + *len, mb, m);
		*len += m;
		buf[*len] = '\0';
	}
	secmem_wipe(mb, sizeof(mb));
	return ret;
}

int con_browse(struct con *c, int k)
{
	if ((k == CON_FN(KEY_LEFT) || k == CON_FN(KEY_PPAGE)) && c->shown > 0)
		c->shown--;
	else if ((k == CON_FN(KEY_RIGHT) || k == CON_FN(KEY_NPAGE)) && c->shown + 1 < c->n_pages)
		c->shown++;
	else
		return 0;
	return 1;
}

int con_line(struct con *c, const char *prompt, char *buf, size_t n, int secret)
{
	size_t len = 0;
	int k, ret, overflow = 0;

	buf[0] = '\0';
	con_flush();
	c->pr.text = prompt;
	c->pr.masked = 0;
	c->pr.input = secret ? NULL : buf;
	if (!c->pr.hint)
		c->pr.hint = msg(secret ? MSG_CON_HINT_SECRET : MSG_CON_HINT_LINE);
	for (;;) {
		c->pr.masked = secret ? (unsigned)mbstowcs(NULL, buf, 0) : 0;
		if (secret && !c->pr.masked)
			c->pr.input = "";
		con_draw(c);
		k = con_key(c, 250);
		if (cancel_requested)
			k = CON_ESC;
		if (k == CON_ESC || con_is_enter(k))
			break;
		if (con_browse(c, k))
			continue;
		if (con_is_backspace(k))
			con_erase_char(buf, &len);
		else if (k >= 0x20 && k < CON_FN(0) && k != 127 &&
			 con_put_char(buf, n, &len, k) != 0) {
			c->pr.notice = msg(MSG_CON_TOO_LONG);
			overflow = 1;
		}
	}
	/* As the line console: the excess is dropped and ERR_RANGE returned. */
	ret = k == CON_ESC ? CON_ESC : overflow ? ERR_RANGE : 0;
	k = 0;
	secmem_wipe(&k, sizeof(k));
	memset(&c->pr, 0, sizeof(c->pr));
	if (ret)
		secmem_wipe(buf, n);
	return ret;
}

int con_choose(struct con *c, const char *text, const char *const *buttons,
	       unsigned n, unsigned sel)
{
	int k;

	con_flush();
	memset(&c->pr, 0, sizeof(c->pr));
	c->pr.text = text;
	c->pr.buttons = buttons;
	c->pr.n_buttons = n;
	c->pr.sel = sel;
	c->pr.hint = msg(MSG_CON_HINT_CHOOSE);
	for (;;) {
		con_draw(c);
		k = con_key(c, 250);
		if (k == CON_ESC || cancel_requested) {
			memset(&c->pr, 0, sizeof(c->pr));
			return -1;
		}
		if (con_is_enter(k))
			break;
		if (k == CON_FN(KEY_LEFT) || k == CON_FN(KEY_UP) || k == CON_FN(KEY_BTAB))
			c->pr.sel = c->pr.sel ? c->pr.sel - 1 : n - 1;
		else if (k == CON_FN(KEY_RIGHT) || k == CON_FN(KEY_DOWN) || k == '\t')
			c->pr.sel = (c->pr.sel + 1) % n;
	}
	sel = c->pr.sel;
	memset(&c->pr, 0, sizeof(c->pr));
	return (int)sel;
}

int con_abandon(struct con *c)
{
	char text[2 * CON_TEXT];
	const char *b[2];

	b[0] = msg(MSG_CON_BTN_CONTINUE);
	b[1] = msg(MSG_CON_BTN_ABANDON);
	snprintf(text, sizeof(text), "%s %s", msg(MSG_CON_ABANDON_Q), msg(c->kept));
	return con_choose(c, text, b, 2, 0) == 1;
}

int con_confirm(struct con *c, const char *text)
{
	char answer[16];
	const char *notice = NULL;
	int ret;

	for (;;) {
		c->pr.hint = msg(MSG_CON_CONFIRM_HINT);
		c->pr.notice = notice;
		ret = con_line(c, text, answer, sizeof(answer), 0);
		if (ret == CON_ESC)
			return 0;
		if (ret == 0 && strcmp(answer, msg(MSG_YES)) == 0)
			return 1;
		notice = msg(MSG_CON_CONFIRM_AGAIN);
	}
}
