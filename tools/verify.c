/*
 * sceau-verify: checks a sealed Sceau archive end to end, from public data
 * only (no card, no secret, no root), with the firmware's own library
 * (firmware/verify/, docs/VERIFY.md). This file only reads the options and
 * prints the report.
 *
 *   sceau-verify [options] ARCHIVE        (a directory, or the archive's ISO image)
 *
 * Exit status: 0 if every check holds, 1 if one fails, 2 for a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "ui/msg.h"
#include "verify/verify.h"

struct vt_args {
	struct verify_opts o;
	const char *qr[VERIFY_MAX_QR], *scan[VERIFY_MAX_SCAN];
	const char *json, *recount;
	int quiet;
};

static void usage(FILE *f)
{
	fprintf(f, "%s",
		"usage: sceau-verify [options] ARCHIVE\n"
		"  ARCHIVE          the sealed archive: its directory, or its ISO image\n"
		"  --session        ARCHIVE is a counting session not sealed yet\n"
		"                   (final manifest and signatures then optional)\n"
		"  --jobs N         threads checking the proofs (default: one per core)\n"
		"  --sample N       check the proofs of N ballots drawn at random (default: all)\n"
		"  --seed S         seed of the sample (default: drawn; printed in the report)\n"
		"  --qr TEXT        a QR code of the printed PV, typed or read by a phone (repeatable)\n"
		"  --scan IMAGE     a photo or scan of a PV page: PNG, JPEG, PBM, PGM, PPM (repeatable)\n"
		"  --json FILE      also write the machine-readable report (- for stdout)\n"
		"  --recount FILE   write the results.json that the recount gives\n"
		"  --lang fr|en     language of the report (default: from LANG)\n"
		"  --quiet          print the verdict only\n"
		"exit status: 0 every check holds, 1 a check failed, 2 wrong usage\n");
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return ERR_USAGE;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return ERR_USAGE;
	*out = v;
	return 0;
}

static int parse_opt(struct vt_args *a, int c, const char *arg)
{
	uint64_t v = 0;

	switch (c) {
	case 'S':
		a->o.session = 1;
		return 0;
	case 'j':
		return parse_u64(arg, 1024, &v) || v == 0 ? ERR_USAGE : (a->o.jobs = (unsigned)v, 0);
	case 'n':
		return parse_u64(arg, UINT32_MAX, &v) || v == 0 ? ERR_USAGE : (a->o.sample = v, 0);
	case 's':
		a->o.seed_set = 1;
		return parse_u64(arg, UINT64_MAX, &a->o.seed);
	case 'q':
		return a->o.n_qr == VERIFY_MAX_QR ? ERR_USAGE : (a->qr[a->o.n_qr++] = arg, 0);
	case 'i':
		return a->o.n_scan == VERIFY_MAX_SCAN ? ERR_USAGE
						      : (a->scan[a->o.n_scan++] = arg, 0);
	case 'J':
		a->json = arg;
		return 0;
	case 'R':
		a->recount = arg;
		return 0;
	case 'l':
		return i18n_lang_parse(arg);
	case 'Q':
		a->quiet = 1;
		return 0;
	default:
		return ERR_USAGE;
	}
}

static int parse_args(int argc, char **argv, struct vt_args *a)
{
	static const struct option opts[] = {
		{ "session", no_argument, NULL, 'S' }, { "jobs", required_argument, NULL, 'j' },
		{ "sample", required_argument, NULL, 'n' }, { "seed", required_argument, NULL, 's' },
		{ "qr", required_argument, NULL, 'q' }, { "scan", required_argument, NULL, 'i' },
		{ "json", required_argument, NULL, 'J' }, { "recount", required_argument, NULL, 'R' },
		{ "lang", required_argument, NULL, 'l' }, { "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (parse_opt(a, c, optarg) != 0) {
			fprintf(stderr, "sceau-verify: invalid option or value%s%s\n",
				optarg ? ": " : "", optarg ? optarg : "");
			return ERR_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "sceau-verify: give exactly one archive\n");
		return ERR_USAGE;
	}
	a->o.archive = argv[optind];
	a->o.qr = a->qr;
	a->o.scan = a->scan;
	return 0;
}

static void progress(uint64_t done, uint64_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r  %llu / %llu", (unsigned long long)done, (unsigned long long)total);
	if (done >= total)
		fprintf(stderr, "\n");
}

static int write_out(const char *path, const char *text, size_t len)
{
	if (strcmp(path, "-") == 0)
		return fwrite(text, 1, len, stdout) == len && fputc('\n', stdout) != EOF ? 0 : ERR_IO;
	return file_write_atomic(path, text, len, 1);
}

static int outputs(const struct vt_args *a, const struct verify_report *r)
{
	char *text = NULL;
	size_t len = 0;
	int ret = verify_report_text(r, i18n_lang(), &text, &len);

	if (!ret && !a->quiet) {
		fwrite(text, 1, len, stdout);
	} else if (!ret) {
		const char *v = strstr(text, i18n_lang() == LANG_EN ? "RESULT:" : "RÉSULTAT :");
		fputs(v ? v : text, stdout);
	}
	free(text);
	if (!ret && a->json) {
		ret = verify_report_json(r, &text, &len);
		if (!ret)
			ret = write_out(a->json, text, len);
		free(text);
	}
	if (!ret && a->recount && r->recount)
		ret = write_out(a->recount, r->recount, r->recount_len);
	else if (!ret && a->recount)
		fprintf(stderr, "sceau-verify: no recount could be made; %s not written\n",
			a->recount);
	if (ret)
		fprintf(stderr, "sceau-verify: cannot write the report: %s %s\n", msg_err(ret),
			err_last_detail());
	return ret;
}

int main(int argc, char **argv)
{
	struct vt_args a;
	struct verify_report *r = NULL;
	int ret;

	memset(&a, 0, sizeof(a));
	i18n_lang_from_env();
	if (parse_args(argc, argv, &a) != 0) {
		usage(stderr);
		return 2;
	}
	if (isatty(STDERR_FILENO) && !a.quiet)
		a.o.progress = progress;
	ret = verify_archive(&a.o, &r);
	if (ret) {
		fprintf(stderr, "sceau-verify: %s %s\n", msg_err(ret), err_last_detail());
		return ret == ERR_USAGE ? 2 : 1;
	}
	ret = outputs(&a, r);
	ret = ret ? 1 : verify_report_ok(r) ? 0 : 1;
	verify_report_free(r);
	return ret;
}
