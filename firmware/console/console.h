/*
 * The full-screen console for the bureau (ncursesw): one screen at a time,
 * in French or English, driving the same engine functions as the command
 * line through a curses struct ui_ops. Files live in one working directory
 * (docs/CONSOLE.md); options override the readers, media and printer.
 */
#ifndef SCEAU_CONSOLE_CONSOLE_H
#define SCEAU_CONSOLE_CONSOLE_H

#include "session/ceremony.h"

struct console_opts {
	const char *dir;                 /* the working directory */
	const struct card_ops *transport;
	const char *slots[SHAMIR_MAX];   /* none: DIR/slots/1..m */
	unsigned n_slots;
	const char *urn, *emargement;    /* none: DIR/media/urn.iso, emargement.iso */
	const char *printer;             /* none: PDF and PostScript files only */
	unsigned paper_mm;
	unsigned jobs;
	unsigned t, m;
	int lang_chosen;                 /* --lang given: skip the language menu */
};

/* Runs the console until the bureau quits; 0 or an ERR_* code. */
int console_run(const struct console_opts *o);

#endif
