/*
 * The printed PV against the archive: each QR payload of the archive's PV
 * PDFs (verify_pv_pdf.c, always), typed (--qr) or decoded from a photo or
 * a scan (--scan) is parsed strictly and its hashes compared with the
 * archive's files: election, results, urn,
 * émargement, decrypted ballots, the journal (the head printed must be an
 * entry of the verified chain: the PV is printed before the seal adds its
 * own entries) and the firmware named by the final manifest; its card
 * signatures must verify over the results with the record's card keys,
 * at least t of them, each in its low-s form.
 */
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "format/signatures.h"
#include "crypto/hash.h"
#include "crypto/sig.h"
#include "verify/verify_int.h"
#include "pv/qr.h"
#include "verify/verify_qr.h"
#include "verify/verify_scan.h"

int verify_qr_normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t a = 0, b = len, n = 0;

	while (a < b && (in[a] == ' ' || in[a] == '\t' || in[a] == '\r' || in[a] == '\n'))
		a++;
	while (b > a && (in[b - 1] == ' ' || in[b - 1] == '\t' || in[b - 1] == '\r' ||
			 in[b - 1] == '\n'))
		b--;
	if (b - a >= cap) {
		err_detail("QR payload: %zu characters, more than %zu", b - a, cap - 1);
		return ERR_RANGE;
	}
	for (size_t i = a; i < b; i++)
		out[n++] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 'a' + 'A') : in[i];
	out[n] = '\0';
	return 0;
}

/* A file's SHA-256 against the one printed. */
static void vqr_file(struct vctx *c, const char *src, const char *name, const uint8_t want[32])
{
	uint8_t sha[32];

	if (vhash(c, name, sha, NULL) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_FILE_UNREADABLE, name, vdetail());
	else if (memcmp(sha, want, 32) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_FILE, src, name);
}

/* The head printed is one entry of the verified chain. */
static void vqr_journal(struct vctx *c, const char *src, const uint8_t head[32])
{
	if (!c->journal_ok) {
		vnote(c, VERIFY_PV_QR, 1, VM_QR_NO_JOURNAL, src);
		return;
	}
	for (uint64_t i = c->journal_n; i > 0; i--)
		if (memcmp(c->journal_hashes[i - 1], head, 32) == 0) {
			if (!c->qr_quiet)
				vnote(c, VERIFY_PV_QR, 0, VM_QR_JOURNAL_AT, src,
				      (unsigned long long)i, (unsigned long long)c->journal_n);
			return;
		}
	vnote(c, VERIFY_PV_QR, 1, VM_QR_JOURNAL, src);
}

void verify_qr_shuffles(struct vctx *c, const char *src, const uint8_t x[32])
{
	uint8_t mine[32];

	if (!c->shuffles_done || vfailed(c, VERIFY_SHUFFLE) || verify_shuffles_hash(c, mine) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_SHUFFLES_UNCHECKED, src);
	else if (memcmp(mine, x, 32) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_SHUFFLES, src);
}

static void vqr_hashes(struct vctx *c, const char *src, const struct pv_qr *q)
{
	if (!c->record_ok || memcmp(q->h.election_id, c->rec.election_id, 32) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_ELECTION, src);
	vqr_file(c, src, "results.json", q->h.results);
	vqr_file(c, src, "urn.iso", q->h.urn);
	vqr_file(c, src, "emargement.iso", q->h.emargement);
	verify_qr_shuffles(c, src, q->h.shuffles);
	vqr_file(c, src, "ballots-decrypted.bin", q->h.decrypted);
	vqr_journal(c, src, q->h.journal);
	if (c->amf_ok && memcmp(q->h.firmware, c->amf.firmware_sha256, 32) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_FIRMWARE, src);
	else if (!c->amf_ok)
		vwarn(c, VERIFY_PV_QR, VM_QR_FIRMWARE_UNCHECKED, src);
}

static void vqr_sigs(struct vctx *c, const char *src, const struct pv_qr *q)
{
	uint8_t digest[32];

	vqr_file(c, src, "results.json", q->results);
	if (!c->record_ok || !c->results ||
	    signing_digest("results", c->results, c->results_len, digest) != 0) {
		vnote(c, VERIFY_PV_QR, 1, VM_NEEDS_RECORD);
		return;
	}
	/* As signatures-results.json: t cards, each signature in its one form. */
	if (q->n_sigs < c->rec.pub.t)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_SIG_FEW, src, q->n_sigs, c->rec.pub.t);
	for (unsigned i = 0; i < q->n_sigs; i++) {
		unsigned k = q->sigs[i].card;
		if (k > c->rec.pub.m || sig_verify(c->rec.cards[k - 1].sign_pub, digest,
						   q->sigs[i].sig) != 0)
			vnote(c, VERIFY_PV_QR, 1, VM_QR_SIG_BAD, src, k);
		else if (!sig_is_low_s(q->sigs[i].sig))
			vnote(c, VERIFY_PV_QR, 1, VM_QR_SIG_HIGH_S, src, k);
		else if (!c->qr_quiet)
			vnote(c, VERIFY_PV_QR, 0, VM_QR_SIG_OK, src, k,
			      c->rec.cards[k - 1].member.first_name,
			      c->rec.cards[k - 1].member.last_name);
	}
}

static void vqr_payload(struct vctx *c, const char *src, const struct pv_qr *q)
{
	int h = q->kind == PV_QR_HASHES;

	if (c->e && q->scrutin > c->e->n_scrutins)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_SCRUTIN, src, q->scrutin);
	if (!c->qr_quiet)
		vnote(c, VERIFY_PV_QR, 0, h ? VM_QR_READ_H : VM_QR_READ_S, src, q->scrutin);
	if (h)
		vqr_hashes(c, src, q);
	else
		vqr_sigs(c, src, q);
}

int verify_qr_check(struct vctx *c, const char *src, const char *text, size_t len,
		    struct pv_qr *q)
{
	char norm[PV_QR_TEXT_MAX];

	err_clear();
	if (memchr(text, '\0', len)) {
		err_detail("QR payload: a NUL character");
	} else if (verify_qr_normalize(text, len, norm, sizeof(norm)) == 0 &&
		   pv_qr_parse(norm, q) == 0) {
		vqr_payload(c, src, q);
		return 1;
	}
	vnote(c, VERIFY_PV_QR, 1, VM_QR_INVALID, src, vdetail());
	return 0;
}

static int vqr_check(struct vctx *c, const char *src, const char *text, size_t len)
{
	struct pv_qr q;

	verify_qr_check(c, src, text, len, &q);
	return 0;
}


#ifdef CONFIG_VERIFY_SCAN
struct vqr_scan {
	struct vctx *c;
	const char *path;
};

static int vqr_scanned(const char *text, size_t len, void *arg)
{
	struct vqr_scan *s = arg;

	return vqr_check(s->c, s->path, text, len);
}

static void vqr_image(struct vctx *c, const char *path)
{
	struct vqr_scan s = { c, path };
	struct vgray g;
	unsigned found = 0;

	err_clear();
	if (verify_image_load(path, &g) != 0) {
		vnote(c, VERIFY_PV_QR, 1, VM_QR_IMAGE, path, vdetail());
		return;
	}
	if (verify_scan_qr(&g, vqr_scanned, &s, &found) != 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_IMAGE, path, vdetail());
	else if (found == 0)
		vnote(c, VERIFY_PV_QR, 1, VM_QR_NONE, path);
	verify_gray_free(&g);
}
#else
/* Without CONFIG_VERIFY_SCAN (a box) no image decoder is linked. */
static void vqr_image(struct vctx *c, const char *path)
{
	err_detail("this build reads no images (CONFIG_VERIFY_SCAN is off)");
	vnote(c, VERIFY_PV_QR, 1, VM_QR_IMAGE, path, vdetail());
}

/* Nor a PDF renderer: the PVs' codes are left to --qr, and said so. */
void verify_pv_pdfs(struct vctx *c)
{
	vwarn(c, VERIFY_PV_QR, VM_PDF_NOT_BUILT);
}
#endif

void verify_pv(struct vctx *c)
{
	const struct verify_opts *o = c->o;

	if (o->no_pdf)
		vwarn(c, VERIFY_PV_QR, VM_PDF_NOT_ASKED);
	else
		verify_pv_pdfs(c);
	for (unsigned i = 0; i < o->n_qr; i++) {
		char src[16];
		snprintf(src, sizeof(src), "--qr %u", i + 1);
		vqr_check(c, src, o->qr[i], strlen(o->qr[i]));
	}
	for (unsigned i = 0; i < o->n_scan; i++)
		vqr_image(c, o->scan[i]);
	vdone(c, VERIFY_PV_QR);
}
