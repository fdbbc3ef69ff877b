/* The console's screen model, shared by its files (not a public header). */
#ifndef SCEAU_CONSOLE_CON_PRIV_H
#define SCEAU_CONSOLE_CON_PRIV_H

#include <stddef.h>

#include "console/console.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define CON_TEXT 512   /* one message, as the engine formats it */
#define CON_LINES 48   /* messages kept per page */
#define CON_PAGES 96   /* pages kept per flow, for the review */
#define CON_PATH 4096
#define CON_ESC 27
#define CON_FN(k) (0x110000 + (k)) /* a function key from con_key */
#define CON_HANGUP_READS 20        /* reads failing at once: the terminal is gone */

struct con_line {
	enum ui_level level;
	char text[CON_TEXT];
};

/* A page: one step of a flow (a UI_STEP title and what followed). */
struct con_page {
	char title[CON_TEXT];
	struct con_line lines[CON_LINES];
	unsigned n;
};

/* Where the files of an election live (docs/CONSOLE.md). */
struct con_paths {
	char definition[CON_PATH], bureau[CON_PATH], platform_key[CON_PATH];
	char ceremony[CON_PATH], record[CON_PATH], cer_definition[CON_PATH];
	char urn[CON_PATH], emargement[CON_PATH], session[CON_PATH];
	char archive[CON_PATH], results[CON_PATH];
	char slot_buf[SHAMIR_MAX][CON_PATH];
	const char *slots[SHAMIR_MAX];
	unsigned n_slots;
};

/* The prompt area at the bottom of the screen. */
struct con_prompt {
	const char *text;      /* the question, or NULL */
	const char *input;     /* what was typed (never a secret's bytes) */
	unsigned masked;       /* a secret: this many '*' instead of input */
	const char *hint;      /* the keys that act here */
	const char *notice;    /* a remark on the last answer, or NULL */
	const char *const *buttons;
	unsigned n_buttons, sel;
};

struct con {
	const struct console_opts *o;
	struct con_paths paths;
	struct ui ui;
	const char *flow;      /* the header: what the bureau is doing */
	enum msg_id kept;      /* what an abandon keeps (the Escape dialog) */
	int progress_stops;    /* the engine stops between progress reports
				* when cancel_requested is set (decryption) */
	int abandoned;         /* cancel_requested was set by the Escape dialog */
	unsigned fast_errors;  /* reads that failed before their timeout */
	struct con_page *pages;
	unsigned n_pages, shown; /* shown: the page on screen */
	int has_progress;
	struct ui_progress prog;
	struct con_prompt pr;
	unsigned long long last_draw_ms;
	char fingerprint[CON_TEXT]; /* the first screen's "Empreinte du logiciel" */
};

/* con_screen.c */
void con_draw(struct con *c);
/* Rows that text takes at width w, wrapped at spaces; drawn from (y, x)
 * when draw, never at or below row ymax. */
int con_wrap(const char *text, int y, int x, int w, int ymax, int draw);
void con_flow_begin(struct con *c, enum msg_id flow, enum msg_id kept);
void con_page_new(struct con *c, const char *title);
void con_page_add(struct con *c, enum ui_level level, const char *text);
unsigned long long con_now_ms(void);

/* con_input.c: keys; CON_ESC for Escape; KEY_RESIZE is handled inside. */
int con_key(struct con *c, int timeout_ms);
/* Drops the keys typed before a question, a choice or a wait is shown:
 * keys typed while the engine was busy never answer the next prompt. */
void con_flush(void);
/* Edits a line into buf (UTF-8). 0 on Enter, CON_ESC on Escape, ERR_RANGE
 * if it does not fit. A secret shows one '*' per character. */
int con_line(struct con *c, const char *prompt, char *buf, size_t n, int secret);
/* A choice between buttons; sel is the default. Index, or -1 on Escape. */
int con_choose(struct con *c, const char *text, const char *const *buttons,
	       unsigned n, unsigned sel);
/* ← → (or the page keys) show the flow's earlier or later pages: during a
 * question the bureau can read again what the previous steps said. 1 if k
 * was such a key. */
int con_browse(struct con *c, int k);
/* The Escape dialog during a flow: 1 if the bureau abandons the step. */
int con_abandon(struct con *c);
/* An irreversible step: 1 only once "oui"/"yes" is typed; 0 on Escape. */
int con_confirm(struct con *c, const char *text);

/* con_ui.c */
void con_ui_init(struct con *c);

/* con_dir.c */
int con_paths_init(struct con *c);
/* What is already done in the directory, as a line for the menu. */
void con_status(const struct con *c, char *buf, size_t n);
int con_exists(const char *path);

/* con_flows.c: the menu's flows, in menu order. */
void con_run_flow(struct con *c, unsigned item);
unsigned con_flow_count(void);
enum msg_id con_flow_name(unsigned item);
/* con_review.c */
void con_review(struct con *c, unsigned first);

#endif
