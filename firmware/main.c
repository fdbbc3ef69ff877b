/*
 * sceau: the counting box's one program. Subcommands come from a table
 * (wireguard-tools style); each parses its options, runs the engine and
 * prints the outcome. Only this file and tools/ print and exit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card/card.h"
#include "console/console.h"
#include "session/boot.h"
#include "lib/cancel.h"
#include "session/ceremony.h"
#include "session/count_run.h"
#include "lib/err.h"
#include "lib/opt.h"
#include "session/import.h"
#include "session/recount.h"
#include "session/pv_make.h"
#include "session/seal.h"
#include "session/share_read.h"
#include "crypto/secmem.h"
#include "lib/i18n.h"
#include "ui/msg.h"
#include "ui/ui.h"

#ifndef CONFIG_THRESHOLD_T
#define CONFIG_THRESHOLD_T 2
#endif
#ifndef CONFIG_THRESHOLD_M
#define CONFIG_THRESHOLD_M 3
#endif
#ifndef CONFIG_JOBS
#define CONFIG_JOBS 0
#endif
#ifndef CONFIG_UI_CONSOLE_DIR
#define CONFIG_UI_CONSOLE_DIR "/var/lib/sceau"
#endif
#ifndef CONFIG_UI_CONSOLE_URN
#define CONFIG_UI_CONSOLE_URN ""
#endif
#ifndef CONFIG_UI_CONSOLE_EMARGEMENT
#define CONFIG_UI_CONSOLE_EMARGEMENT ""
#endif
#ifndef CONFIG_UI_CONSOLE_PRINTER
#define CONFIG_UI_CONSOLE_PRINTER ""
#endif

static void main_on_signal(int sig)
{
	(void)sig;
	cancel_requested = 1;
}

/* No SA_RESTART: a blocking read returns EINTR, the engine unwinds through
 * its out: paths and wipes its secrets before the process ends. */
static void main_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int main_fail(const char *prog, int ret)
{
	const char *d = err_last_text();

	fprintf(stderr, "%s: %s%s%s\n", prog, boot_err_text(ret), d[0] ? msg(MSG_COLON) : "", d);
	return ret == ERR_USAGE ? 2 : 1;
}

/* --- option values -------------------------------------------------------------- */

static int main_transport(const char *name, void *out)
{
	const struct card_ops *ops = card_transport(name);

	if (!ops)
		return ERR_USAGE;
	*(const struct card_ops **)out = ops;
	return 0;
}

static int main_lang(const char *s, void *out)
{
	(void)out;
	return i18n_lang_parse(s);
}

static int main_paper(const char *s, void *out)
{
	if (strcmp(s, "58") != 0 && strcmp(s, "80") != 0)
		return ERR_USAGE;
	*(unsigned *)out = s[0] == '5' ? 58 : 80;
	return 0;
}

/* How the line console reads the bureau's answers. */
struct main_ui_opts {
	const char *script;
	unsigned script_fd; /* 0: none (stdin is never a script) */
	unsigned wait_seconds;
};

#define MAIN_UI_OPTS(uo) \
	OPT_STR("script", &(uo).script), OPT_NUM("script-fd", &(uo).script_fd, 3, 1024), \
	OPT_NUM("wait-seconds", &(uo).wait_seconds, 0, 3600), \
	OPT_CALL("lang", main_lang, NULL)

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int main_usage(const char *usage)
{
	fprintf(stderr, "%s", usage);
	return 2;
}

/* 0 if the options parse and complete(arg) says every required one is
 * there; else the reason, the usage lines, and 2 for main() to return. */
static int main_options(const char *name, const char *usage, int argc, char **argv,
			const struct opt *opts, size_t n, int (*complete)(const void *arg),
			const void *arg)
{
	if (opt_parse(argc, argv, opts, n) != 0) {
		fprintf(stderr, "%s: %s\n", name, err_last_detail());
		return main_usage(usage);
	}
	return complete && !complete(arg) ? main_usage(usage) : 0;
}

/* Runs a command with the line console; only this file prints and exits. */
static int main_tty(const char *name, const struct main_ui_opts *uo,
		    int (*run)(const void *o, struct ui *u), const void *o)
{
	struct ui u;
	int ret = ui_tty_init(&u, uo->script, uo->script_fd ? (int)uo->script_fd : -1,
			      uo->wait_seconds);

	if (ret)
		return main_fail(name, ret);
	ret = run(o, &u);
	ui_tty_close(&u);
	/* A refusal the engine told the bureau is not told twice. */
	if (ret && u.n_errors)
		return ret == ERR_USAGE ? 2 : 1;
	return ret ? main_fail(name, ret) : 0;
}

static unsigned main_jobs(unsigned jobs)
{
	return jobs ? jobs : CONFIG_JOBS > 0 ? CONFIG_JOBS : 0;
}

/* --- ceremony ------------------------------------------------------------------ */

static const char main_ceremony_usage[] =
	"usage: sceau ceremony --definition FILE --bureau FILE --platform-key FILE "
	"--out DIR --slot READER (once per card)\n"
	"       [--transport NAME] [--threshold T] [--cards M]\n"
	"       [--script FILE | --script-fd N] [--wait-seconds S] [--lang fr|en]\n";

static int main_ceremony_complete(const void *arg)
{
	const struct ceremony_opts *o = arg;

	return o->definition && o->bureau && o->platform_key && o->out_dir;
}

static int main_ceremony_run(const void *o, struct ui *u)
{
	return ceremony_run(o, u);
}

static int cmd_ceremony(int argc, char **argv)
{
	struct ceremony_opts o = { .t = CONFIG_THRESHOLD_T, .m = CONFIG_THRESHOLD_M };
	struct main_ui_opts uo = { .wait_seconds = 10 };
	const struct opt opts[] = {
		OPT_STR("definition", &o.definition), OPT_STR("bureau", &o.bureau),
		OPT_STR("platform-key", &o.platform_key), OPT_STR("out", &o.out_dir),
		OPT_MANY("slot", o.slots, SHAMIR_MAX, &o.n_slots),
		OPT_CALL("transport", main_transport, &o.transport),
		OPT_NUM("threshold", &o.t, 2, SHAMIR_MAX), OPT_NUM("cards", &o.m, 2, SHAMIR_MAX),
		MAIN_UI_OPTS(uo),
	};

	o.transport = card_default_transport();
	if (main_options("sceau ceremony", main_ceremony_usage, argc, argv, opts, N(opts),
			 main_ceremony_complete, &o))
		return 2;
	return main_tty("sceau ceremony", &uo, main_ceremony_run, &o);
}

/* --- import -------------------------------------------------------------------- */

static const char main_import_usage[] =
	"usage: sceau import --session DIR --record record.json --definition election.json\n"
	"       --urn DEVICE|IMAGE --emargement DEVICE|IMAGE [--jobs N] [--lang fr|en]\n";

static int main_import_complete(const void *arg)
{
	const struct import_opts *o = arg;

	return o->session_dir && o->record && o->definition && o->urn && o->emargement;
}

static int main_import_run(const void *o, struct ui *u)
{
	return import_run(o, u);
}

static int cmd_import(int argc, char **argv)
{
	struct import_opts o = { 0 };
	struct main_ui_opts uo = { 0 };
	const struct opt opts[] = {
		OPT_STR("session", &o.session_dir), OPT_STR("record", &o.record),
		OPT_STR("definition", &o.definition), OPT_STR("urn", &o.urn),
		OPT_STR("emargement", &o.emargement), OPT_NUM("jobs", &o.jobs, 1, 256),
		OPT_CALL("lang", main_lang, NULL),
	};

	if (main_options("sceau import", main_import_usage, argc, argv, opts, N(opts),
			 main_import_complete, &o))
		return 2;
	o.jobs = main_jobs(o.jobs);
	return main_tty("sceau import", &uo, main_import_run, &o);
}

/* --- count, recount, pv, seal: a session and the bureau's cards ----------------- */

struct main_session {
	struct counting_opts o;
	int (*run)(const struct counting_opts *o, struct ui *u);
};

static int main_session_complete(const void *arg)
{
	const struct counting_opts *o = arg;

	return o->session_dir && o->n_slots > 0;
}

static int main_session_run(const void *arg, struct ui *u)
{
	const struct main_session *m = arg;

	return m->run(&m->o, u);
}

static int cmd_session(int argc, char **argv, const char *name,
		       int (*run)(const struct counting_opts *o, struct ui *u))
{
	struct main_session m = { .o = { .paper_mm = 80 }, .run = run };
	struct counting_opts *o = &m.o;
	struct main_ui_opts uo = { .wait_seconds = 10 };
	const struct opt opts[] = {
		OPT_STR("session", &o->session_dir),
		OPT_MANY("slot", o->slots, SHAMIR_MAX, &o->n_slots),
		OPT_CALL("transport", main_transport, &o->transport),
		OPT_NUM("jobs", &o->jobs, 1, 256), OPT_STR("printer", &o->printer),
		OPT_CALL("paper", main_paper, &o->paper_mm), MAIN_UI_OPTS(uo),
	};
	char usage[512];

	snprintf(usage, sizeof(usage),
		 "usage: %s --session DIR --slot READER (once per card) "
		 "[--jobs N] [--transport NAME]\n"
		 "       [--printer BACKEND:SPEC [--paper 58|80]] (sceau pv)\n"
		 "       [--script FILE | --script-fd N] [--lang fr|en]\n", name);
	o->transport = card_default_transport();
	if (main_options(name, usage, argc, argv, opts, N(opts), main_session_complete, o))
		return 2;
	o->jobs = main_jobs(o->jobs);
	return main_tty(name, &uo, main_session_run, &m);
}

static int cmd_count(int argc, char **argv)
{
	return cmd_session(argc, argv, "sceau count", counting_run);
}

static int cmd_recount(int argc, char **argv)
{
	return cmd_session(argc, argv, "sceau recount", recount_run);
}

static int cmd_pv(int argc, char **argv)
{
	return cmd_session(argc, argv, "sceau pv", pvmake_run);
}

static int cmd_seal(int argc, char **argv)
{
	return cmd_session(argc, argv, "sceau seal", seal_run);
}

/* --- card-check ---------------------------------------------------------------- */

struct main_check {
	const struct card_ops *transport;
	const char *slots[1], *record;
	unsigned n_slots;
};

static int main_check_complete(const void *arg)
{
	const struct main_check *c = arg;

	return c->record && c->n_slots == 1 && c->transport;
}

static int main_check_run(const void *arg, struct ui *u)
{
	const struct main_check *c = arg;

	return share_check_card(c->transport, c->slots[0], c->record, u);
}

static int cmd_card_check(int argc, char **argv)
{
	struct main_check c = { .transport = card_default_transport() };
	struct main_ui_opts uo = { .wait_seconds = 10 };
	const struct opt opts[] = {
		OPT_STR("record", &c.record), OPT_MANY("slot", c.slots, 1, &c.n_slots),
		OPT_CALL("transport", main_transport, &c.transport), MAIN_UI_OPTS(uo),
	};

	if (main_options("sceau card-check",
			 "usage: sceau card-check --record FILE --slot READER [--transport NAME]\n"
			 "       [--script FILE | --script-fd N] [--lang fr|en]\n",
			 argc, argv, opts, N(opts), main_check_complete, &c))
		return 2;
	return main_tty("sceau card-check", &uo, main_check_run, &c);
}

/* --- selftest ------------------------------------------------------------------ */

static int cmd_selftest(int argc, char **argv)
{
	struct ui u;
	int ret;

	if (main_options("sceau selftest", "usage: sceau selftest\n", argc, argv, NULL, 0,
			 NULL, NULL))
		return 2;
	ret = ui_tty_init(&u, NULL, -1, 0);
	if (ret)
		return main_fail("sceau selftest", ret);
	ret = boot_check(&u);
	ui_tty_close(&u);
	if (ret == ERR_AIRGAP)
		return 1;
	return ret ? main_fail("sceau selftest", ret) : 0;
}

/* --- console ------------------------------------------------------------------ */

static int main_console_complete(const void *arg)
{
	const struct console_opts *o = arg;

	return o->transport && o->t <= o->m;
}

static int cmd_console(int argc, char **argv)
{
	/* The board's devices, unless options name others (docs/CONSOLE.md). */
	struct console_opts o = {
		.dir = CONFIG_UI_CONSOLE_DIR, .paper_mm = 80,
		.urn = CONFIG_UI_CONSOLE_URN[0] ? CONFIG_UI_CONSOLE_URN : NULL,
		.emargement = CONFIG_UI_CONSOLE_EMARGEMENT[0] ? CONFIG_UI_CONSOLE_EMARGEMENT : NULL,
		.printer = CONFIG_UI_CONSOLE_PRINTER[0] ? CONFIG_UI_CONSOLE_PRINTER : NULL,
		.t = CONFIG_THRESHOLD_T, .m = CONFIG_THRESHOLD_M,
		.transport = card_default_transport(),
	};
	const struct opt opts[] = {
		OPT_STR("dir", &o.dir), OPT_MANY("slot", o.slots, SHAMIR_MAX, &o.n_slots),
		OPT_CALL("transport", main_transport, &o.transport),
		OPT_STR("urn", &o.urn), OPT_STR("emargement", &o.emargement),
		OPT_STR("printer", &o.printer), OPT_CALL("paper", main_paper, &o.paper_mm),
		OPT_NUM("jobs", &o.jobs, 1, 256),
		OPT_NUM("threshold", &o.t, 2, SHAMIR_MAX), OPT_NUM("cards", &o.m, 2, SHAMIR_MAX),
		{ "lang", OPT_FN, NULL, 0, 0, NULL, main_lang, &o.lang_chosen },
	};
	int ret;

	if (main_options("sceau console",
			 "usage: sceau console [--dir DIR] [--slot READER (once per card)]\n"
			 "       [--transport NAME] [--urn DEVICE|IMAGE] "
			 "[--emargement DEVICE|IMAGE]\n"
			 "       [--printer BACKEND:SPEC [--paper 58|80]] [--jobs N] "
			 "[--threshold T] [--cards M] [--lang fr|en]\n",
			 argc, argv, opts, N(opts), main_console_complete, &o))
		return 2;
	o.jobs = main_jobs(o.jobs);
	ret = console_run(&o);
	if (ret)
		return main_fail("sceau console", ret);
	/* Ended by a signal (Ctrl-C, a hang-up), not by "Quitter": the box's
	 * process 1 starts the console again instead of powering off. */
	return cancel_requested ? 130 : 0;
}

/* --- table ---------------------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

static const struct opt_cmd main_cmds[] = {
	{ "ceremony", cmd_ceremony, "hold the key ceremony: cards, key, public record" },
	{ "count", cmd_count, "decrypt with the bureau's cards, count, write the results" },
	{ "pv", cmd_pv, "sign the results with the cards present and render the PVs" },
	{ "seal", cmd_seal, "seal the session, sign the final manifest, export the archive" },
	{ "recount", cmd_recount, "count again from the archived inputs and compare" },
	{ "import", cmd_import, "import the sealed urn and emargement from read-only media" },
	{ "card-check", cmd_card_check, "check that a card opens with its PIN and holds a valid share" },
	{ "selftest", cmd_selftest, "run the start-up self-tests and the air-gap check" },
	{ "console", cmd_console, "the bureau's full-screen console (the default with no command)" },
	{ "help", cmd_help, "show this list" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: sceau COMMAND [OPTIONS]\n\n");
	for (size_t i = 0; i < N(main_cmds); i++)
		printf("  %-10s %s\n", main_cmds[i].name, main_cmds[i].help);
	return 0;
}

int main(int argc, char **argv)
{
	const struct opt_cmd *cmd;
	int ret;

	i18n_lang_from_env();
	msg_details_install();
	ret = secmem_init();
	if (!ret && secmem_lock_all() != 0) {
		/* A real box runs as root and must lock its memory; a developer's
		 * simulation build may run without the privilege. */
		if (!boot_simulation_build())
			ret = ERR_NOMEM;
		else
			fprintf(stderr, "sceau: memory not locked (%s); acceptable only "
					"in a simulation build\n", err_last_detail());
	}
	if (ret)
		return main_fail("sceau", ret);
	main_signals();
	/* With no command: the bureau's console on a terminal, else the list. */
	if (argc < 2 && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		return cmd_help(argc, argv) ? 1 : 2;
	if (argc < 2)
		return cmd_console(argc, argv);
	cmd = opt_cmd_find(main_cmds, N(main_cmds), argv[1]);
	if (cmd)
		return cmd->fn(argc - 1, argv + 1);
	fprintf(stderr, "sceau: unknown command '%s'\n", argv[1]);
	cmd_help(argc, argv);
	return 2;
}
