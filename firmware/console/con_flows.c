/*
 * The console's flows: each builds the engine's options from the working
 * directory (con_dir.c) and calls the very function the command line calls
 * (ceremony_run, import_run, counting_run, ...), with the curses ui. The
 * outcome becomes a last page saying what happened, what it means for the
 * election, and what to do.
 */
#include <stdlib.h>
#include <string.h>

#include "session/boot.h"
#include "lib/cancel.h"
#include "session/count_run.h"
#include "lib/err.h"
#include "print/print.h"
#include "session/import.h"
#include "session/pv_make.h"
#include "session/recount.h"
#include "session/seal.h"
#include "session/stick.h"
#include "verify/verify.h"
#include "console/con_priv.h"

#define CON_DECLINED 1 /* the bureau chose not to go on: nothing was done */

struct con_flow {
	enum msg_id name;    /* the header, and the menu's item */
	enum msg_id kept;    /* what abandoning keeps */
	enum msg_id meaning; /* what a failure means for the election */
	int (*run)(struct con *c);
	int progress_stops;  /* Escape during its progress can stop it */
};

static int con_do_selftest(struct con *c)
{
	con_page_new(c, msg(MSG_STEP_SELFTEST));
	return boot_check(&c->ui);
}

static int con_do_ceremony(struct con *c)
{
	struct ceremony_opts o = { .t = c->o->t, .m = c->o->m };

	o.definition = c->paths.definition;
	o.bureau = c->paths.bureau;
	o.platform_key = c->paths.platform_key;
	o.out_dir = c->paths.ceremony;
	o.transport = c->o->transport;
	o.n_slots = c->paths.n_slots;
	memcpy(o.slots, c->paths.slots, sizeof(o.slots));
	return ceremony_run(&o, &c->ui);
}

static int con_do_import(struct con *c)
{
	struct import_opts o = { 0 };

	o.session_dir = c->paths.session;
	o.record = c->paths.record;
	o.definition = c->paths.cer_definition;
	o.urn = c->o->urn ? c->o->urn : c->paths.urn;
	o.emargement = c->o->emargement ? c->o->emargement : c->paths.emargement;
	return import_run(&o, &c->ui);
}

static void con_session_opts(struct con *c, struct counting_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->session_dir = c->paths.session;
	o->transport = c->o->transport;
	o->n_slots = c->paths.n_slots;
	memcpy(o->slots, c->paths.slots, sizeof(o->slots));
	o->jobs = c->o->jobs;
	o->printer = c->o->printer;
	o->paper_mm = c->o->paper_mm;
}

static int con_do_count(struct con *c)
{
	struct counting_opts o;

	con_page_new(c, msg(MSG_CON_MENU_COUNT));
	if (!con_confirm(c, msg(MSG_CON_COUNT_CONFIRM)))
		return CON_DECLINED;
	con_session_opts(c, &o);
	return counting_run(&o, &c->ui);
}

static int con_do_pv(struct con *c)
{
	struct counting_opts o;

	con_session_opts(c, &o);
	return pvmake_run(&o, &c->ui);
}

static int con_do_seal(struct con *c)
{
	struct counting_opts o;

	con_session_opts(c, &o);
	return seal_run(&o, &c->ui);
}

static int con_do_recount(struct con *c)
{
	struct counting_opts o;

	con_session_opts(c, &o);
	return recount_run(&o, &c->ui);
}

static void con_verify_progress(uint64_t done, uint64_t total, void *arg)
{
	ui_progress(arg, done, total, done >= total);
}

/* The expert's check (sceau-verify) of the sealed archive, on the box. */
static int con_do_verify(struct con *c)
{
	struct verify_opts o = { .archive = c->paths.archive };
	struct verify_report *r = NULL;
	char *text = NULL;
	size_t len = 0;
	int ret;

	con_page_new(c, msg(MSG_CON_MENU_VERIFY));
	o.progress = con_verify_progress;
	o.progress_arg = &c->ui;
	ui_progress_start(&c->ui, UI_UNIT_VERIFIED, 0);
	ret = verify_archive(&o, &r);
	if (!ret)
		ret = verify_report_text(r, i18n_lang(), &text, &len);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line)
			con_page_add(c, UI_INFO, line);
	}
	if (!ret && !verify_report_ok(r)) {
		err_detail("%u check(s) failed", verify_report_failures(r));
		ret = ERR_VERIFY;
	}
	free(text);
	verify_report_free(r);
	return ret;
}

#ifdef CONFIG_UI_CONSOLE_USB_STICKS
static int con_do_load(struct con *c)
{
	con_page_new(c, msg(MSG_CON_MENU_LOAD));
	return stick_load(c->o->dir, &c->ui);
}

static int con_do_export(struct con *c)
{
	con_page_new(c, msg(MSG_CON_MENU_EXPORT));
	return stick_export(c->o->dir, &c->ui);
}
#endif

static const struct con_flow con_flows[] = {
	{ MSG_CON_MENU_SELFTEST, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_SELFTEST, con_do_selftest, 0 },
#ifdef CONFIG_UI_CONSOLE_USB_STICKS
	{ MSG_CON_MENU_LOAD, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_STICK, con_do_load, 0 },
#endif
	{ MSG_CON_MENU_CEREMONY, MSG_CON_KEPT_CEREMONY, MSG_CON_MEAN_CEREMONY, con_do_ceremony, 0 },
	{ MSG_CON_MENU_IMPORT, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_IMPORT, con_do_import, 0 },
	{ MSG_CON_MENU_COUNT, MSG_CON_KEPT_COUNT, MSG_CON_MEAN_COUNT, con_do_count, 1 },
	{ MSG_CON_MENU_PV, MSG_CON_KEPT_PV, MSG_CON_MEAN_PV, con_do_pv, 0 },
	{ MSG_CON_MENU_SEAL, MSG_CON_KEPT_SEAL, MSG_CON_MEAN_SEAL, con_do_seal, 0 },
	{ MSG_CON_MENU_RECOUNT, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_CHECK, con_do_recount, 0 },
	{ MSG_CON_MENU_VERIFY, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_CHECK, con_do_verify, 0 },
#ifdef CONFIG_UI_CONSOLE_USB_STICKS
	{ MSG_CON_MENU_EXPORT, MSG_CON_KEPT_OTHER, MSG_CON_MEAN_STICK, con_do_export, 0 },
#endif
};

static enum msg_id con_todo(int ret)
{
	switch (ret) {
	case ERR_CARD_ABSENT: return MSG_CON_TODO_CARD;
	case ERR_PIN_BLOCKED: return MSG_CON_TODO_BLOCKED;
	case ERR_PIN_WRONG: case ERR_CARD_DENIED: return MSG_CON_TODO_PIN;
	case ERR_CANCELLED: return MSG_CON_TODO_AGAIN;
	case ERR_NOTFOUND: case ERR_IO: case ERR_EXISTS: return MSG_CON_TODO_FILES;
	case ERR_AIRGAP: return MSG_CON_TODO_AIRGAP;
	case ERR_NOSPACE: return MSG_CON_TODO_SPACE;
	case ERR_READONLY: return MSG_CON_TODO_READONLY;
	case ERR_BUSY: return MSG_CON_TODO_BUSY;
	case ERR_PRINTER_NOPAPER: case ERR_PRINTER_OFFLINE: case ERR_PRINTER_ABSENT:
	case ERR_PRINTER_TIMEOUT: case ERR_PRINTER_LANG: return MSG_CON_TODO_PRINTER;
	default: return MSG_CON_TODO_DEFAULT;
	}
}

static void con_outcome(struct con *c, const struct con_flow *f, int ret)
{
	const char *d = err_last_text();

	/* On the last page, under what the engine said last. */
	if (ret == 0 || ret == CON_DECLINED) {
		con_page_add(c, UI_STEP, msg(MSG_CON_DONE_TITLE));
		con_page_add(c, UI_OK, msg(ret ? MSG_CON_DECLINED : MSG_CON_DONE));
		return;
	}
	con_page_add(c, UI_STEP, msg(MSG_CON_FAILED_TITLE));
	ui_say(&c->ui, UI_ERROR, msg(MSG_CON_WHAT), boot_err_text(ret), d[0] ? msg(MSG_COLON) : "",
	       d);
	ui_say(&c->ui, UI_WARN, "%s", msg(f->meaning));
	ui_say(&c->ui, UI_INFO, msg(con_todo(ret)), c->o->dir);
}

/* The first page of results (a count), or the outcome page. */
static unsigned con_first_review(const struct con *c)
{
	const char *r = msg(MSG_RESULT_SCRUTIN);
	size_t n = strcspn(r, "%");

	for (unsigned i = 0; i < c->n_pages; i++)
		if (strncmp(c->pages[i].title, r, n) == 0)
			return i;
	return c->n_pages - 1;
}

void con_run_flow(struct con *c, unsigned item)
{
	const struct con_flow *f = &con_flows[item];
	int ret;

	con_flow_begin(c, f->name, f->kept);
	c->progress_stops = f->progress_stops;
	c->abandoned = 0;
	err_clear();
	con_draw(c);
	ret = f->run(c);
	/* An abandon from the dialog ends the step, not the console (a signal
	 * or a hang-up during the step still ends it). */
	if (c->abandoned && c->fast_errors < CON_HANGUP_READS)
		cancel_requested = 0;
	con_outcome(c, f, ret);
	con_review(c, con_first_review(c));
}

unsigned con_flow_count(void)
{
	return sizeof(con_flows) / sizeof(con_flows[0]);
}

enum msg_id con_flow_name(unsigned item)
{
	return con_flows[item].name;
}
