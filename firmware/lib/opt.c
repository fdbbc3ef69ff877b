/* Command-line options from a table; see opt.h. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/opt.h"

#define OPT_MAX 40

int opt_number(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	if (!s || s[0] < '0' || s[0] > '9')
		return ERR_USAGE;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return ERR_USAGE;
	*out = v;
	return 0;
}

static int opt_value(const struct opt *o, const char *v)
{
	uint64_t x = 0;

	if (o->seen)
		*o->seen = 1;
	switch (o->kind) {
	case OPT_STRING: *(const char **)o->out = v; return 0;
	case OPT_FLAG: *(int *)o->out = 1; return 0;
	case OPT_UINT:
	case OPT_U64:
		if (opt_number(v, o->min, o->max, &x)) {
			err_detail("--%s: %s is not a whole number in %llu..%llu", o->name, v,
				   (unsigned long long)o->min, (unsigned long long)o->max);
			return ERR_USAGE;
		}
		if (o->kind == OPT_UINT)
			*(unsigned *)o->out = (unsigned)x;
		else
			*(uint64_t *)o->out = x;
		return 0;
	case OPT_LIST:
		if (*o->n >= o->max) {
			err_detail("--%s: at most %llu", o->name, (unsigned long long)o->max);
			return ERR_USAGE;
		}
		((const char **)o->out)[(*o->n)++] = v;
		return 0;
	case OPT_FN:
		if (o->fn(v, o->out) == 0)
			return 0;
		err_detail("--%s: %s is not allowed here", o->name, v);
		return ERR_USAGE;
	}
	return ERR_INTERNAL;
}

int opt_parse(int argc, char **argv, const struct opt *opts, size_t n)
{
	return opt_parse_rest(argc, argv, opts, n, NULL);
}

int opt_parse_rest(int argc, char **argv, const struct opt *opts, size_t n, int *rest)
{
	struct option lo[OPT_MAX + 1];
	int c, idx, ret = 0;

	if (n > OPT_MAX)
		return ERR_INTERNAL;
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){ opts[i].name,
					 opts[i].kind == OPT_FLAG ? no_argument : required_argument,
					 NULL, (int)i + 1 };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0; /* glibc: a full re-initialisation, for a second parse */
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, "", lo, &idx)) != -1) {
		if (c < 1 || (size_t)c > n) {
			err_detail("unknown option %s, or a value missing", argv[optind - 1]);
			return ERR_USAGE;
		}
		ret = opt_value(&opts[c - 1], optarg);
	}
	if (rest)
		*rest = optind;
	else if (!ret && optind != argc) {
		err_detail("unexpected argument %s", argv[optind]);
		ret = ERR_USAGE;
	}
	return ret;
}

const struct opt_cmd *opt_cmd_find(const struct opt_cmd *cmds, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}
