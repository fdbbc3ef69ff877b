/*
 * Drawing the console's one screen from its model (struct con): a header
 * naming the flow, the current step's title and messages, a progress bar,
 * and the prompt area. Everything is redrawn from the model, so a terminal
 * resize (KEY_RESIZE) only has to call con_draw again.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "console/con_priv.h"

#define CON_WMAX 1024

unsigned long long con_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000u + (unsigned long long)ts.tv_nsec / 1000000u;
}

/* Rows that text takes at width w; draws it from (y, x) if draw, stopping
 * before row ymax. Breaks at spaces; a word longer than a row is cut. */
int con_wrap(const char *text, int y, int x, int w, int ymax, int draw)
{
	wchar_t ws[CON_WMAX];
	size_t len = mbstowcs(ws, text, CON_WMAX - 1);
	size_t pos = 0;
	int rows = 0;

	if (len == (size_t)-1 || w < 8)
		return 1;
	ws[len] = L'\0';
	while (pos < len || rows == 0) {
		size_t n = len - pos, cut;

		if (n > (size_t)w) {
			for (cut = (size_t)w; cut > 0 && ws[pos + cut] != L' '; cut--)
				;
			n = cut ? cut : (size_t)w;
		}
		if (draw && y + rows < ymax)
			mvaddnwstr(y + rows, x, ws + pos, (int)n);
		rows++;
		pos += n;
		while (pos < len && ws[pos] == L' ')
			pos++;
	}
	return rows;
}

static void con_draw_header(struct con *c, int cols)
{
	char h[CON_TEXT];

	attron(A_REVERSE);
	mvhline(0, 0, ' ', cols);
	snprintf(h, sizeof(h), " SCEAU — %s", c->flow ? c->flow : "");
	con_wrap(h, 0, 0, cols, 1, 1);
	attroff(A_REVERSE);
}

static const char *con_mark(enum ui_level l)
{
	switch (l) {
	case UI_OK: return "✓ ";
	case UI_WARN: return "! ";
	case UI_ERROR: return "✗ ";
	default: return "  ";
	}
}

static attr_t con_attr(enum ui_level l)
{
	if (l == UI_STEP)
		return A_REVERSE;
	return l == UI_ERROR || l == UI_WARN ? A_BOLD : A_NORMAL;
}

/* The messages of the shown page that fit between rows top and bottom,
 * the latest ones if not all fit. */
static void con_draw_page(struct con *c, int top, int bottom, int cols)
{
	const struct con_page *p;
	unsigned first;
	int rows = 0, y;

	if (!c->n_pages)
		return;
	p = &c->pages[c->shown];
	attron(A_BOLD);
	top += con_wrap(p->title, top, 1, cols - 2, bottom, 1) + 1;
	attroff(A_BOLD);
	for (first = p->n; first > 0; first--) {
		int r = con_wrap(p->lines[first - 1].text, 0, 3, cols - 5, 0, 0);
		if (top + rows + r > bottom)
			break;
		rows += r;
	}
	for (y = top; first < p->n; first++) {
		attron(con_attr(p->lines[first].level));
		mvaddstr(y, 1, con_mark(p->lines[first].level));
		y += con_wrap(p->lines[first].text, y, 3, cols - 5, bottom, 1);
		attroff(con_attr(p->lines[first].level));
	}
}

static void con_draw_progress(struct con *c, int y, int cols)
{
	char text[CON_TEXT];
	int w = cols - 12, fill;
	unsigned pct;

	if (w < 10)
		return;
	pct = c->prog.total ? (unsigned)(c->prog.done * 100 / c->prog.total) : 0;
	fill = (int)((long long)w * pct / 100);
	mvaddch(y, 1, '[');
	for (int i = 0; i < w; i++)
		addch(i < fill ? '#' : '.');
	printw("] %3u %%", pct);
	ui_progress_text(&c->prog, text, sizeof(text));
	con_wrap(text, y + 1, 1, cols - 2, y + 3, 1);
}

/* Rows the prompt area needs, drawn from row y if draw. */
static int con_prompt_rows(struct con *c, int y, int cols, int lines, int draw)
{
	const struct con_prompt *pr = &c->pr;
	int r = 0;

	if (pr->text)
		r += con_wrap(pr->text, y + r, 1, cols - 2, lines - 1, draw);
	if (pr->input || pr->masked) {
		if (draw) {
			mvaddstr(y + r, 1, "> ");
			for (unsigned i = 0; i < pr->masked; i++)
				addch('*');
			if (!pr->masked && pr->input)
				con_wrap(pr->input, y + r, 3, cols - 4, lines - 1, 1);
		}
		r++;
	}
	if (pr->notice) {
		if (draw)
			attron(A_BOLD);
		r += con_wrap(pr->notice, y + r, 1, cols - 2, lines - 1, draw);
		if (draw)
			attroff(A_BOLD);
	}
	if (pr->n_buttons) {
		if (draw) {
			move(y + r, 1);
			for (unsigned i = 0; i < pr->n_buttons; i++) {
				attron(i == pr->sel ? A_REVERSE : A_NORMAL);
				printw("[ %s ]", pr->buttons[i]);
				attroff(A_REVERSE);
				addstr("   ");
			}
		}
		r++;
	}
	return r;
}

void con_draw(struct con *c)
{
	int lines, cols, pr_rows, bottom;

	getmaxyx(stdscr, lines, cols);
	erase();
	if (lines < 10 || cols < 40) {
		mvaddstr(0, 0, "80x24 min.");
		refresh();
		return;
	}
	con_draw_header(c, cols);
	pr_rows = con_prompt_rows(c, 0, cols, lines, 0);
	bottom = lines - 2 - pr_rows - (c->has_progress ? 3 : 0);
	con_draw_page(c, 2, bottom, cols);
	if (c->has_progress)
		con_draw_progress(c, bottom + 1, cols);
	con_prompt_rows(c, lines - 1 - pr_rows, cols, lines, 1);
	if (c->pr.hint) {
		attron(A_REVERSE);
		mvhline(lines - 1, 0, ' ', cols);
		con_wrap(c->pr.hint, lines - 1, 1, cols - 2, lines, 1);
		attroff(A_REVERSE);
	}
	refresh();
	c->last_draw_ms = con_now_ms();
}

void con_flow_begin(struct con *c, enum msg_id flow, enum msg_id kept)
{
	c->flow = msg(flow);
	c->kept = kept;
	c->n_pages = 0;
	c->shown = 0;
	c->has_progress = 0;
	memset(&c->pr, 0, sizeof(c->pr));
}

void con_page_new(struct con *c, const char *title)
{
	struct con_page *p;

	if (c->n_pages == CON_PAGES) {
		memmove(c->pages, c->pages + 1, sizeof(*p) * (CON_PAGES - 1));
		c->n_pages--;
	}
	p = &c->pages[c->n_pages++];
	snprintf(p->title, sizeof(p->title), "%s", title);
	p->n = 0;
	c->shown = c->n_pages - 1;
	c->has_progress = 0;
}

void con_page_add(struct con *c, enum ui_level level, const char *text)
{
	struct con_page *p;

	if (!c->n_pages)
		con_page_new(c, c->flow ? c->flow : "");
	p = &c->pages[c->n_pages - 1];
	if (p->n == CON_LINES) {
		memmove(p->lines, p->lines + 1, sizeof(p->lines[0]) * (CON_LINES - 1));
		p->n--;
	}
	p->lines[p->n].level = level;
	snprintf(p->lines[p->n].text, sizeof(p->lines[0].text), "%s", text);
	p->n++;
	c->shown = c->n_pages - 1;
}
