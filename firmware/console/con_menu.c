/*
 * The console's entry: the terminal set up for UTF-8, the main menu (the
 * flows, help, language, quit) and its status line saying what is already
 * done in the working directory.
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cancel.h"
#include "lib/err.h"
#include "lib/hex.h"
#include "session/boot.h"
#include "console/con_priv.h"

enum { CON_ITEM_HELP = 100, CON_ITEM_LANG, CON_ITEM_QUIT };

/* ncursesw draws accents only in a UTF-8 LC_CTYPE; C.UTF-8 is built into
 * glibc, so the console never depends on a generated fr_FR locale. */
static void con_locale(void)
{
	const char *cs;

	if (setlocale(LC_CTYPE, "") && (cs = nl_langinfo(CODESET)) && strcmp(cs, "UTF-8") == 0)
		return;
	setlocale(LC_CTYPE, "C.UTF-8");
}

static unsigned con_menu_items(unsigned *items)
{
	unsigned n = 0;

	for (unsigned i = 0; i < con_flow_count(); i++)
		items[n++] = i;
	items[n++] = CON_ITEM_HELP;
	items[n++] = CON_ITEM_LANG;
	items[n++] = CON_ITEM_QUIT;
	return n;
}

static const char *con_item_text(unsigned item)
{
	if (item == CON_ITEM_HELP)
		return msg(MSG_CON_MENU_HELP);
	if (item == CON_ITEM_LANG)
		return msg(MSG_CON_MENU_LANG);
	if (item == CON_ITEM_QUIT)
		return msg(MSG_CON_MENU_QUIT);
	return msg(con_flow_name(item));
}

static void con_menu_draw(struct con *c, const unsigned *items, unsigned n, unsigned sel)
{
	char status[CON_TEXT], line[CON_TEXT], where[CON_TEXT], fw[CON_TEXT + 64];
	int lines, cols, y;

	con_flow_begin(c, MSG_CON_MENU_TITLE, MSG_CON_KEPT_OTHER);
	con_status(c, status, sizeof(status));
	c->pr.hint = msg(MSG_CON_HINT_MENU);
	con_draw(c);
	getmaxyx(stdscr, lines, cols);
	snprintf(where, sizeof(where), "%s%s", msg(MSG_CON_DIR), c->o->dir);
	snprintf(fw, sizeof(fw), msg(MSG_FIRMWARE_HASH), c->fingerprint);
	y = 2 + con_wrap(fw, 2, 1, cols - 2, lines - 1, 1);
	y += con_wrap(where, y, 1, cols - 2, lines - 1, 1);
	y += con_wrap(status, y, 1, cols - 2, lines - 1, 1) + 1;
	for (unsigned i = 0; i < n && y + (int)i < lines - 1; i++) {
		snprintf(line, sizeof(line), " %c. %s ", i < 10 ? (char)('0' + (i + 1) % 10) : ' ',
			 con_item_text(items[i]));
		if (i == sel)
			attron(A_REVERSE);
		con_wrap(line, y + (int)i, 3, cols - 4, y + (int)i + 1, 1);
		attroff(A_REVERSE);
	}
	refresh();
}

static void con_help(struct con *c)
{
	con_flow_begin(c, MSG_CON_MENU_HELP, MSG_CON_KEPT_OTHER);
	con_page_new(c, msg(MSG_CON_MENU_HELP));
	con_page_add(c, UI_INFO, msg(MSG_CON_HELP_KEYS));
	con_page_add(c, UI_INFO, msg(MSG_CON_HELP_ORDER));
	con_page_add(c, UI_INFO, msg(MSG_CON_HELP_CARDS));
	con_page_add(c, UI_INFO, msg(MSG_CON_HELP_PAPER));
	con_page_add(c, UI_INFO, msg(MSG_CON_DIR));
	con_page_add(c, UI_INFO, c->o->dir);
	con_review(c, 0);
}

/* Runs an item; 1 when the bureau quits. */
static int con_menu_act(struct con *c, unsigned item)
{
	if (item == CON_ITEM_QUIT)
		return 1;
	if (item == CON_ITEM_HELP)
		con_help(c);
	else if (item == CON_ITEM_LANG)
		i18n_set_lang(i18n_lang() == LANG_FR ? LANG_EN : LANG_FR);
	else
		con_run_flow(c, item);
	return 0;
}

static void con_menu(struct con *c)
{
	unsigned items[32], n = con_menu_items(items), sel = 0;
	int k;

	con_flush();
	while (!cancel_requested) {
		con_menu_draw(c, items, n, sel);
		k = con_key(c, 250);
		if (k == CON_FN(KEY_UP))
			sel = sel ? sel - 1 : n - 1;
		else if (k == CON_FN(KEY_DOWN))
			sel = (sel + 1) % n;
		else if (k >= '0' && k <= '9')
			sel = ((unsigned)(k - '0') + 9) % 10 < n ? ((unsigned)(k - '0') + 9) % 10 : sel;
		else if (k == '\n' || k == '\r' || k == CON_FN(KEY_ENTER)) {
			if (con_menu_act(c, items[sel]))
				break;
			con_flush(); /* keys typed during the flow are not menu choices */
		}
	}
}

/* The firmware fingerprint, on the first screen: on a box, the SHA-256 of
 * the image it booted from (session/boot.h), as printed on every PV. */
static void con_fingerprint(struct con *c)
{
	uint8_t fw[32];
	char hex[65];

	if (boot_firmware_hash(fw) == 0) {
		hex_encode(fw, 32, hex);
		snprintf(c->fingerprint, sizeof(c->fingerprint), "%s", hex);
	} else {
		snprintf(c->fingerprint, sizeof(c->fingerprint), "? (%s)", err_last_detail());
	}
	err_clear();
}

/* newterm, not initscr: initscr ends the process when the terminal is
 * unknown, and the engine's paths must unwind instead. */
static int con_screen_init(SCREEN **scr)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !term || !*term) {
		err_detail("the console needs a terminal (stdin and stdout, TERM set)");
		return ERR_USAGE;
	}
	*scr = newterm(NULL, stdout, stdin);
	if (!*scr) {
		err_detail("terminal type '%s' unknown", term);
		return ERR_IO;
	}
	set_term(*scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	return 0;
}

int console_run(const struct console_opts *o)
{
	struct con *c = calloc(1, sizeof(*c));
	SCREEN *scr = NULL;
	int ret;

	if (!c)
		return ERR_NOMEM;
	c->o = o;
	c->pages = calloc(CON_PAGES, sizeof(*c->pages));
	ret = c->pages ? con_paths_init(c) : ERR_NOMEM;
	if (!ret) {
		con_locale();
		con_ui_init(c);
		ret = con_screen_init(&scr);
	}
	if (!ret) {
		con_fingerprint(c);
		con_menu(c);
		endwin();
		delscreen(scr);
	}
	free(c->pages);
	free(c);
	return ret;
}
