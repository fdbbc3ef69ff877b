/*
 * How the engine talks to the bureau: a small ops table, so the same
 * ceremony and count code runs behind the line console (ui_tty.c), a
 * scripted session (answers read from a file or a descriptor, for tests and
 * demos) or the full-screen console (firmware/console/). Texts passed here are already
 * translated (ui/msg.h). Secrets typed by members land in the caller's
 * locked buffer and are never echoed.
 */
#ifndef SCEAU_UI_UI_H
#define SCEAU_UI_UI_H

#include <stddef.h>
#include <stdint.h>

enum ui_level {
	UI_STEP,  /* a new step: a title */
	UI_INFO,  /* what is happening */
	UI_OK,    /* a check passed */
	UI_WARN,  /* something the bureau must know; the session goes on */
	UI_ERROR, /* the action failed */
};

/* What a progress counts; each unit has its sentence (ui_progress_text). */
enum ui_unit {
	UI_UNIT_DECRYPTED, /* ballots decrypted and proven */
	UI_UNIT_IMPORTED,  /* ballots read from the urn and stored */
	UI_UNIT_VERIFIED,  /* ballots whose proof was checked again */
};

struct ui_progress {
	enum ui_unit unit;
	uint64_t done, total;
	uint64_t rate;   /* per second since this run started; 0: not known yet */
	uint64_t left_s; /* seconds left at that rate; 0: not known or done */
	int final;       /* the last report of this run */
};

struct ui;

struct ui_ops {
	void (*say)(struct ui *u, enum ui_level level, const char *text);
	/* Reads one line (without its newline) into buf; secret: not echoed.
	 * ERR_CANCELLED on end of input or cancel, ERR_RANGE if too long. */
	int (*ask)(struct ui *u, const char *prompt, char *buf, size_t n, int secret);
	/* Polls ready(arg) until it returns 1 (0: not yet; <0: error), telling
	 * the bureau what to do meanwhile. ERR_CANCELLED on timeout or cancel. */
	int (*wait)(struct ui *u, const char *text, int (*ready)(void *arg), void *arg);
	/* Where a long operation stands; p->final ends it. */
	void (*progress)(struct ui *u, const struct ui_progress *p);
	/* Optional: asks for an explicit decision on an irreversible step.
	 * 1 confirmed, 0 declined, <0 error. NULL: ui_confirm asks a line. */
	int (*confirm)(struct ui *u, const char *text);
};

struct ui {
	const struct ui_ops *ops;
	void *priv;
	/* Set by ui_progress_start, for the rate and the time left. */
	enum ui_unit p_unit;
	uint64_t p_start_ms, p_start_done;
	/* UI_ERROR lines said: a refusal the bureau has read is not repeated. */
	unsigned n_errors;
};

void ui_say(struct ui *u, enum ui_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ui_ask(struct ui *u, char *buf, size_t n, int secret, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Asks a yes/no question; only an explicit "oui"/"yes" is a yes (1). */
int ui_confirm(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A run of work on `unit` starts; `done` items were already done before
 * (a resumed count), so the rate counts only this run's work. */
void ui_progress_start(struct ui *u, enum ui_unit unit, uint64_t done);
void ui_progress(struct ui *u, uint64_t done, uint64_t total, int final);
/* The progress as one translated sentence (the line console's text). */
void ui_progress_text(const struct ui_progress *p, char *buf, size_t n);
int ui_wait(struct ui *u, int (*ready)(void *arg), void *arg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The line console. If script is not NULL, answers are read from it one
 * line per question (in the order the interactive session asks them) and
 * waits give up after wait_seconds; otherwise the terminal is used.
 */
int ui_tty_init(struct ui *u, const char *script_path, int script_fd,
		unsigned wait_seconds);
void ui_tty_close(struct ui *u);

#endif
