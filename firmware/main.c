/*
 * sceau: the counting box's one program. Subcommands come from a table
 * (wireguard-tools style); each parses its options, runs the engine and
 * prints the outcome. Only this file and tools/ print and exit.
 */
#include <getopt.h>
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
#include "session/import.h"
#include "session/recount.h"
#include "session/pv_make.h"
#include "session/seal.h"
#include "session/share_read.h"
#include "crypto/secmem.h"
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
	core_cancel = 1;
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
	const char *d = err_last_detail();

	fprintf(stderr, "%s: %s%s%s\n", prog, boot_err_text(ret), d[0] ? " : " : "", d);
	return ret == ERR_USAGE ? 2 : 1;
}

static int main_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s[0] || s[0] == '-')
		return ERR_USAGE;
	v = strtoul(s, &end, 10);
	if (*end || v < lo || v > hi)
		return ERR_USAGE;
	*out = (unsigned)v;
	return 0;
}

/* --- ceremony ------------------------------------------------------------------ */

struct main_ui_opts {
	const char *script;
	int script_fd;
	unsigned wait_seconds;
};

static int main_ceremony_opt(int ch, const char *arg, struct ceremony_opts *o,
			     struct main_ui_opts *u)
{
	unsigned v;

	switch (ch) {
	case 'd': o->definition = arg; return 0;
	case 'b': o->bureau = arg; return 0;
	case 'p': o->platform_key = arg; return 0;
	case 'o': o->out_dir = arg; return 0;
	case 's':
		if (o->n_slots >= SHAMIR_MAX)
			return ERR_USAGE;
		o->slots[o->n_slots++] = arg;
		return 0;
	case 'T':
		o->transport = card_transport(arg);
		if (!o->transport)
			err_detail("transport '%s' is not compiled into this build", arg);
		return o->transport ? 0 : ERR_USAGE;
	case 't': return main_parse_uint(arg, 2, SHAMIR_MAX, &o->t);
	case 'm': return main_parse_uint(arg, 2, SHAMIR_MAX, &o->m);
	case 'S': u->script = arg; return 0;
	case 'F':
		if (main_parse_uint(arg, 0, 1024, &v))
			return ERR_USAGE;
		u->script_fd = (int)v;
		return 0;
	case 'w': return main_parse_uint(arg, 0, 3600, &u->wait_seconds);
	case 'l': return i18n_lang_parse(arg);
	default: return ERR_USAGE;
	}
}

static int cmd_ceremony(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "definition", required_argument, NULL, 'd' },
		{ "bureau", required_argument, NULL, 'b' },
		{ "platform-key", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "slot", required_argument, NULL, 's' },
		{ "transport", required_argument, NULL, 'T' },
		{ "threshold", required_argument, NULL, 't' },
		{ "cards", required_argument, NULL, 'm' },
		{ "script", required_argument, NULL, 'S' },
		{ "script-fd", required_argument, NULL, 'F' },
		{ "wait-seconds", required_argument, NULL, 'w' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct ceremony_opts o = { .t = CONFIG_THRESHOLD_T, .m = CONFIG_THRESHOLD_M };
	struct main_ui_opts uo = { .script_fd = -1, .wait_seconds = 10 };
	struct ui u;
	int ch, ret;

	o.transport = card_default_transport();
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (main_ceremony_opt(ch, optarg, &o, &uo) != 0)
			return main_fail("sceau ceremony", ERR_USAGE);
	if (optind != argc || !o.definition || !o.bureau || !o.platform_key || !o.out_dir) {
		fprintf(stderr, "usage: sceau ceremony --definition FILE --bureau FILE "
				"--platform-key FILE --out DIR --slot READER (once per card)\n"
				"       [--transport NAME] [--threshold T] [--cards M]\n"
				"       [--script FILE | --script-fd N] [--wait-seconds S] "
				"[--lang fr|en]\n");
		return 2;
	}
	ret = ui_tty_init(&u, uo.script, uo.script_fd, uo.wait_seconds);
	if (ret)
		return main_fail("sceau ceremony", ret);
	ret = ceremony_run(&o, &u);
	ui_tty_close(&u);
	return ret ? main_fail("sceau ceremony", ret) : 0;
}

/* --- import ------------------------------------------------------------------------ */

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "session", required_argument, NULL, 's' },
		{ "record", required_argument, NULL, 'r' },
		{ "definition", required_argument, NULL, 'd' },
		{ "urn", required_argument, NULL, 'u' },
		{ "emargement", required_argument, NULL, 'e' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o = { 0 };
	struct ui u;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': o.session_dir = optarg; break;
		case 'r': o.record = optarg; break;
		case 'd': o.definition = optarg; break;
		case 'u': o.urn = optarg; break;
		case 'e': o.emargement = optarg; break;
		case 'j':
			if (main_parse_uint(optarg, 1, 256, &o.jobs) == 0)
				break;
			return main_fail("sceau import", ERR_USAGE);
		case 'l':
			if (i18n_lang_parse(optarg) == 0)
				break;
			/* fall through */
		default: return main_fail("sceau import", ERR_USAGE);
		}
	}
	if (optind != argc || !o.session_dir || !o.record || !o.definition || !o.urn ||
	    !o.emargement) {
		fprintf(stderr, "usage: sceau import --session DIR --record record.json "
				"--definition election.json\n"
				"       --urn DEVICE|IMAGE --emargement DEVICE|IMAGE "
				"[--jobs N] [--lang fr|en]\n");
		return 2;
	}
#if CONFIG_JOBS > 0
	if (!o.jobs)
		o.jobs = CONFIG_JOBS;
#endif
	ret = ui_tty_init(&u, NULL, -1, 0);
	if (ret)
		return main_fail("sceau import", ret);
	ret = import_run(&o, &u);
	ui_tty_close(&u);
	return ret ? main_fail("sceau import", ret) : 0;
}

/* --- count ------------------------------------------------------------------------- */

/* count, recount, pv and seal: a session and the cards of the bureau. */
static int cmd_session(int argc, char **argv, const char *name,
		       int (*run)(const struct counting_opts *o, struct ui *u));

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
	return cmd_session(argc, argv, "sceau pv", pvsession_run);
}

static int cmd_seal(int argc, char **argv)
{
	return cmd_session(argc, argv, "sceau seal", seal_run);
}

static int cmd_session(int argc, char **argv, const char *name,
		       int (*run)(const struct counting_opts *o, struct ui *u))
{
	static const struct option opts[] = {
		{ "session", required_argument, NULL, 'D' },
		{ "slot", required_argument, NULL, 's' },
		{ "transport", required_argument, NULL, 'T' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "printer", required_argument, NULL, 'P' },
		{ "paper", required_argument, NULL, 'W' },
		{ "script", required_argument, NULL, 'S' },
		{ "script-fd", required_argument, NULL, 'F' },
		{ "wait-seconds", required_argument, NULL, 'w' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct ceremony_opts co = { .t = 0 };
	struct counting_opts o = { .paper_mm = 80 };
	struct main_ui_opts uo = { .script_fd = -1, .wait_seconds = 10 };
	struct ui u;
	int ch, ret;

	co.transport = card_default_transport();
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'D')
			o.session_dir = optarg;
		else if (ch == 'P')
			o.printer = optarg;
		else if (ch == 'W' && (strcmp(optarg, "58") == 0 || strcmp(optarg, "80") == 0))
			o.paper_mm = (unsigned)strtoul(optarg, NULL, 10);
		else if (ch == 'j' && main_parse_uint(optarg, 1, 256, &o.jobs) == 0)
			continue;
		else if (ch == 'j' || main_ceremony_opt(ch, optarg, &co, &uo) != 0)
			return main_fail(name, ERR_USAGE);
	}
	if (optind != argc || !o.session_dir || co.n_slots == 0) {
		fprintf(stderr, "usage: %s --session DIR --slot READER (once per card) "
				"[--jobs N] [--transport NAME]\n"
				"       [--printer BACKEND:SPEC [--paper 58|80]] (sceau pv)\n"
				"       [--script FILE | --script-fd N] [--lang fr|en]\n", name);
		return 2;
	}
	o.transport = co.transport;
	o.n_slots = co.n_slots;
	memcpy(o.slots, co.slots, sizeof(o.slots));
#if CONFIG_JOBS > 0
	if (!o.jobs)
		o.jobs = CONFIG_JOBS;
#endif
	ret = ui_tty_init(&u, uo.script, uo.script_fd, uo.wait_seconds);
	if (ret)
		return main_fail(name, ret);
	ret = run(&o, &u);
	ui_tty_close(&u);
	return ret ? main_fail(name, ret) : 0;
}

/* --- card-check ---------------------------------------------------------------- */

static int cmd_card_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "slot", required_argument, NULL, 's' },
		{ "transport", required_argument, NULL, 'T' },
		{ "script", required_argument, NULL, 'S' },
		{ "script-fd", required_argument, NULL, 'F' },
		{ "wait-seconds", required_argument, NULL, 'w' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct ceremony_opts o = { .t = 0 };
	struct main_ui_opts uo = { .script_fd = -1, .wait_seconds = 10 };
	const char *record = NULL;
	struct ui u;
	int ch, ret;

	o.transport = card_default_transport();
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			record = optarg;
		else if (main_ceremony_opt(ch, optarg, &o, &uo) != 0)
			return main_fail("sceau card-check", ERR_USAGE);
	}
	if (optind != argc || !record || o.n_slots != 1 || !o.transport) {
		fprintf(stderr, "usage: sceau card-check --record FILE --slot READER "
				"[--transport NAME] [--script FILE | --script-fd N] "
				"[--lang fr|en]\n");
		return 2;
	}
	ret = ui_tty_init(&u, uo.script, uo.script_fd, uo.wait_seconds);
	if (ret)
		return main_fail("sceau card-check", ret);
	ret = share_check_card(o.transport, o.slots[0], record, &u);
	ui_tty_close(&u);
	return ret ? main_fail("sceau card-check", ret) : 0;
}

/* --- selftest ------------------------------------------------------------------ */

static int cmd_selftest(int argc, char **argv)
{
	struct ui u;
	int ret;

	(void)argc;
	(void)argv;
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

static int main_console_opt(int ch, const char *arg, struct console_opts *o,
			    struct ceremony_opts *co, struct main_ui_opts *uo)
{
	switch (ch) {
	case 'D': o->dir = arg; return 0;
	case 'u': o->urn = arg; return 0;
	case 'e': o->emargement = arg; return 0;
	case 'P': o->printer = arg; return 0;
	case 'W':
		if (strcmp(arg, "58") != 0 && strcmp(arg, "80") != 0)
			return ERR_USAGE;
		o->paper_mm = (unsigned)strtoul(arg, NULL, 10);
		return 0;
	case 'j': return main_parse_uint(arg, 1, 256, &o->jobs);
	case 'l': o->lang_chosen = 1; return i18n_lang_parse(arg);
	default: return main_ceremony_opt(ch, arg, co, uo);
	}
}

static int cmd_console(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'D' },
		{ "slot", required_argument, NULL, 's' },
		{ "transport", required_argument, NULL, 'T' },
		{ "urn", required_argument, NULL, 'u' },
		{ "emargement", required_argument, NULL, 'e' },
		{ "printer", required_argument, NULL, 'P' },
		{ "paper", required_argument, NULL, 'W' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "threshold", required_argument, NULL, 't' },
		{ "cards", required_argument, NULL, 'm' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	/* The board's devices, unless options name others (docs/CONSOLE.md). */
	struct console_opts o = {
		.dir = CONFIG_UI_CONSOLE_DIR, .paper_mm = 80,
		.urn = CONFIG_UI_CONSOLE_URN[0] ? CONFIG_UI_CONSOLE_URN : NULL,
		.emargement = CONFIG_UI_CONSOLE_EMARGEMENT[0] ? CONFIG_UI_CONSOLE_EMARGEMENT : NULL,
		.printer = CONFIG_UI_CONSOLE_PRINTER[0] ? CONFIG_UI_CONSOLE_PRINTER : NULL,
	};
	struct ceremony_opts co = { .t = CONFIG_THRESHOLD_T, .m = CONFIG_THRESHOLD_M };
	struct main_ui_opts uo = { .script_fd = -1 };
	int ch, ret;

	co.transport = card_default_transport();
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (main_console_opt(ch, optarg, &o, &co, &uo) != 0)
			return main_fail("sceau console", ERR_USAGE);
	if (optind != argc || !co.transport || co.t > co.m) {
		fprintf(stderr, "usage: sceau console [--dir DIR] [--slot READER (once per card)]\n"
				"       [--transport NAME] [--urn DEVICE|IMAGE] "
				"[--emargement DEVICE|IMAGE]\n"
				"       [--printer BACKEND:SPEC [--paper 58|80]] [--jobs N] "
				"[--threshold T] [--cards M] [--lang fr|en]\n");
		return 2;
	}
	o.transport = co.transport;
	o.n_slots = co.n_slots;
	memcpy(o.slots, co.slots, sizeof(o.slots));
	o.t = co.t;
	o.m = co.m;
#if CONFIG_JOBS > 0
	if (!o.jobs)
		o.jobs = CONFIG_JOBS;
#endif
	ret = console_run(&o);
	return ret ? main_fail("sceau console", ret) : 0;
}

/* --- table ---------------------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} main_cmds[] = {
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
	for (size_t i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		printf("  %-10s %s\n", main_cmds[i].name, main_cmds[i].help);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	i18n_lang_from_env();
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
	for (size_t i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		if (strcmp(argv[1], main_cmds[i].name) == 0)
			return main_cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "sceau: unknown command '%s'\n", argv[1]);
	cmd_help(argc, argv);
	return 2;
}
