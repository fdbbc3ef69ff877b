/*
 * The PVs the box rendered, read back by default: every page of every
 * pv-*.pdf of the archive (of pv/ for a counted session) rendered at
 * VPV_DPI as printed, its QR codes decoded as --scan does and checked as a
 * typed code is (verify_qr.c). Each PDF must carry a hashes code and a
 * signatures code, every code of its own scrutin (pv-N.pdf: N; the
 * summary's and the ceremony's PVs: 0). So a box that rewrote its journal,
 * a file or a signature after printing is caught by its own PVs even when
 * no one scans the paper. The PostScript copies are not read (they are the
 * same pages; the final manifest covers their bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>

#include "lib/err.h"
#include "pv/qr.h"
#include "verify/verify_int.h"
#include "verify/verify_scan.h"

#define VPV_DPI 150       /* what the tests scan paper PVs at (docs/VERIFY.md) */
#define VPV_MAX 64        /* PDFs read */
#define VPV_NAME (VFILE_NAME_MAX + 8)

struct vpv_doc {
	struct vctx *c;
	const char *name;
	unsigned scrutin, page, hashes, sigs;
};

/* pv-N.pdf belongs to scrutin N, any other PV (summary, ceremony) to 0. */
static unsigned vpv_scrutin(const char *name)
{
	const char *b = strrchr(name, '/'), *p;
	unsigned long n = 0;

	b = b ? b + 1 : name;
	for (p = b + 3; *p >= '0' && *p <= '9' && n <= 65535; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	return p > b + 3 && strcmp(p, ".pdf") == 0 && b[3] != '0' && n <= 65535 ? (unsigned)n : 0;
}

static int vpv_code(const char *text, size_t len, void *arg)
{
	struct vpv_doc *d = arg;
	char src[VPV_NAME + 32];
	struct pv_qr q;

	snprintf(src, sizeof(src), "%s page %u", d->name, d->page);
	if (!verify_qr_check(d->c, src, text, len, &q))
		return 0;
	if (q.scrutin != d->scrutin)
		vnote(d->c, VERIFY_PV_QR, 1, VM_PDF_SCRUTIN, src, q.scrutin, d->scrutin);
	if (q.kind == PV_QR_HASHES)
		d->hashes++;
	else
		d->sigs++;
	return 0;
}

static int vpv_page(unsigned page, const struct vgray *g, void *arg)
{
	struct vpv_doc *d = arg;
	unsigned found = 0;

	d->page = page;
	return verify_scan_qr(g, vpv_code, d, &found);
}

/* Failure notes of the check so far (or -1 once notes were dropped). */
static long vpv_fails(const struct vctx *c)
{
	const struct verify_check *k = &c->r->checks[VERIFY_PV_QR];
	long n = 0;

	for (unsigned i = 0; i < k->n_notes; i++)
		n += k->notes[i].fail;
	return k->n_dropped ? -1 : n;
}

static unsigned vpv_doc(struct vctx *c, const char *name)
{
	struct vpv_doc d = { c, name, vpv_scrutin(name), 0, 0, 0 };
	unsigned pages = 0;
	long fails = vpv_fails(c);

	err_clear();
	if (verify_pdf_pages(vpath(c, name), VPV_DPI, vpv_page, &d, &pages) != 0) {
		vnote(c, VERIFY_PV_QR, 1, VM_QR_IMAGE, name, vdetail());
		return pages;
	}
	if (!d.hashes)
		vnote(c, VERIFY_PV_QR, 1, VM_PDF_NO_HASHES, name);
	if (!d.sigs)
		vnote(c, VERIFY_PV_QR, 1, VM_PDF_NO_SIGS, name);
	if (fails >= 0 && vpv_fails(c) == fails)
		vnote(c, VERIFY_PV_QR, 0, VM_PDF_OK, name, pages, d.scrutin);
	return pages;
}

static int vpv_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The PDFs' names (relative to the archive), sorted; at most VPV_MAX. */
static unsigned vpv_list(struct vctx *c, const char *sub, char (*names)[VPV_NAME])
{
	DIR *d = opendir(vpath(c, sub));
	struct dirent *de;
	unsigned n = 0;

	while (d && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char rel[sizeof(de->d_name) + 8];
		if (len < 8 || strncmp(de->d_name, "pv-", 3) != 0 ||
		    strcmp(de->d_name + len - 4, ".pdf") != 0 || len > VFILE_NAME_MAX)
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", sub, *sub ? "/" : "", de->d_name);
		if (!vexists(c, rel))
			continue;
		if (n == VPV_MAX) {
			vnote(c, VERIFY_PV_QR, 1, VM_PDF_TOO_MANY, VPV_MAX);
			break;
		}
		if (strlen(rel) < VPV_NAME)
			memcpy(names[n++], rel, strlen(rel) + 1);
	}
	if (d)
		closedir(d);
	qsort(names, n, VPV_NAME, vpv_cmp);
	return n;
}

static double vpv_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void verify_pv_pdfs(struct vctx *c)
{
	char (*names)[VPV_NAME] = calloc(VPV_MAX, VPV_NAME);
	unsigned n, pages = 0;
	double t0 = vpv_now();

	if (!names) {
		vnote(c, VERIFY_PV_QR, 1, VM_INTERNAL, "out of memory");
		return;
	}
	n = vpv_list(c, "", names);
	if (!n && !c->r->sealed)
		n = vpv_list(c, "pv", names);
	if (!n && c->r->sealed)
		vnote(c, VERIFY_PV_QR, 1, VM_PDF_NONE);
	else if (!n)
		vskip(c, VERIFY_PV_QR, VM_PDF_NONE_SESSION);
	c->qr_quiet = 1;
	for (unsigned i = 0; i < n; i++)
		pages += vpv_doc(c, names[i]);
	c->qr_quiet = 0;
	if (n)
		vnote(c, VERIFY_PV_QR, 0, VM_PDF_DONE, n, pages, vpv_now() - t0);
	free(names);
}
