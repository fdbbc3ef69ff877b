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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/checks.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/opt.h"
#include "lib/i18n.h"
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
		"  --sample N       check the decryption proofs of N ballots drawn at random\n"
		"                   (default: all; the shuffle proofs are always checked in full)\n"
		"  --seed S         seed of the sample (default: drawn; printed in the report)\n"
		"  --qr TEXT        a QR code of the printed PV, typed or read by a phone (repeatable)\n"
		"  --scan IMAGE     a photo or scan of a PV page: PNG, JPEG, PBM, PGM, PPM (repeatable)\n"
		"  --no-pdf         do not read the archive's PV PDFs (read by default; the\n"
		"                   report then warns that their codes were not checked)\n"
		"  --json FILE      also write the machine-readable report (- for stdout)\n"
		"  --recount FILE   write the results.json that the recount gives\n"
		"  --lang fr|en     language of the report (default: from LANG)\n"
		"  --quiet          print the verdict only\n");
	fprintf(f, "  --crypto NAME    the implementation of the v2 checks (proofs of\n"
		   "                   knowledge, shuffles, decryptions): default %s;\n"
		   "                   this build has:",
		crypto_checks_default()->name);
	for (int b = 0; b < CRYPTO_BACKENDS; b++)
		if (crypto_checks((enum crypto_backend)b))
			fprintf(f, " %s", crypto_checks((enum crypto_backend)b)->name);
	fprintf(f, "\nexit status: 0 every check holds, 1 a check failed, 2 wrong usage\n");
}

static int vt_lang(const char *s, void *out)
{
	(void)out;
	return i18n_lang_parse(s);
}

static int parse_args(int argc, char **argv, struct vt_args *a)
{
	int help = 0, rest = 0, ret;
	const struct opt opts[] = {
		OPT_BOOL("session", &a->o.session), OPT_NUM("jobs", &a->o.jobs, 1, 1024),
		OPT_NUM64("sample", &a->o.sample, 1, UINT32_MAX),
		{ "seed", OPT_U64, &a->o.seed, 0, UINT64_MAX, NULL, NULL, &a->o.seed_set },
		OPT_MANY("qr", a->qr, VERIFY_MAX_QR, &a->o.n_qr),
		OPT_MANY("scan", a->scan, VERIFY_MAX_SCAN, &a->o.n_scan),
		OPT_BOOL("no-pdf", &a->o.no_pdf), OPT_STR("crypto", &a->o.crypto),
		OPT_STR("json", &a->json), OPT_STR("recount", &a->recount),
		OPT_CALL("lang", vt_lang, NULL), OPT_BOOL("quiet", &a->quiet),
		OPT_BOOL("help", &help),
	};

	ret = opt_parse_rest(argc, argv, opts, sizeof(opts) / sizeof(opts[0]), &rest);
	if (!ret && help) {
		usage(stdout);
		exit(0);
	}
	if (ret) {
		fprintf(stderr, "sceau-verify: %s\n", err_last_detail());
		return ret;
	}
	if (a->o.crypto && !crypto_checks_by_name(a->o.crypto)) {
		fprintf(stderr, "sceau-verify: --crypto %s: not in this build\n", a->o.crypto);
		return ERR_USAGE;
	}
	if (rest != argc - 1) {
		fprintf(stderr, "sceau-verify: give exactly one archive\n");
		return ERR_USAGE;
	}
	a->o.archive = argv[rest];
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
