/*
 * Command-line options from a table, for the firmware's main() and every
 * tool, so that all commands parse alike: each row names a long option
 * ("--jobs"), the kind of its value and where it goes. opt_parse() runs
 * getopt_long over the rows, checks every value (a whole number within its
 * bounds, a list within its capacity, a custom parser's verdict), refuses
 * positional arguments, and says which option was wrong in the detail
 * (err_detail). A single option given twice keeps its last value, as
 * getopt does. Only long options exist.
 */
#ifndef SCEAU_LIB_OPT_H
#define SCEAU_LIB_OPT_H

#include <stddef.h>
#include <stdint.h>

enum opt_kind {
	OPT_STRING,  /* const char **out */
	OPT_UINT,    /* unsigned *out, in [min, max] */
	OPT_U64,     /* uint64_t *out, in [min, max] */
	OPT_FLAG,    /* int *out set to 1; takes no value */
	OPT_LIST,    /* const char **out[max], *n of them: the option may repeat */
	OPT_FN,      /* fn(value, out): 0 or ERR_USAGE */
};

struct opt {
	const char *name;
	enum opt_kind kind;
	void *out;
	uint64_t min, max;
	unsigned *n;
	int (*fn)(const char *value, void *out);
	int *seen;   /* optional: set to 1 when the option was given */
};

#define OPT_STR(name, out) { name, OPT_STRING, out, 0, 0, NULL, NULL, NULL }
#define OPT_NUM(name, out, lo, hi) { name, OPT_UINT, out, lo, hi, NULL, NULL, NULL }
#define OPT_NUM64(name, out, lo, hi) { name, OPT_U64, out, lo, hi, NULL, NULL, NULL }
#define OPT_BOOL(name, out) { name, OPT_FLAG, out, 0, 0, NULL, NULL, NULL }
#define OPT_MANY(name, arr, cap, n) { name, OPT_LIST, arr, 0, cap, n, NULL, NULL }
#define OPT_CALL(name, fn, out) { name, OPT_FN, out, 0, 0, NULL, fn, NULL }

/* Parses argv[1..argc) (argv[0] is the command's name); n rows. 0, or
 * ERR_USAGE with a detail such as "--jobs: 0 is not in 1..256". */
int opt_parse(int argc, char **argv, const struct opt *opts, size_t n);
/* The same, for a command that takes arguments after its options: parsing
 * stops at the first one, whose index goes to *rest (argc if none). */
int opt_parse_rest(int argc, char **argv, const struct opt *opts, size_t n, int *rest);

/* A subcommand of a program ("sceau count", "sceau-simcard new"): its name,
 * what runs it on its own arguments (argv[0] is its name), a line of help. */
struct opt_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

/* The row of cmds[0..n) named name, or NULL. */
const struct opt_cmd *opt_cmd_find(const struct opt_cmd *cmds, size_t n, const char *name);

/* A whole decimal number in [lo, hi]: digits only (no sign, no space). */
int opt_number(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

#endif
