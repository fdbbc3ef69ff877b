/*
 * The bureau's card signatures (docs/FORMATS.md "Card signatures"):
 * signatures-results.json over results.json, signatures-manifest.json over
 * manifest.json. Parsed and checked with session/sign.h (the code that
 * made them): the subject, the signed file's SHA-256, the digest
 * hash_tagged("sceau/sign/<subject>/v1", file), and every signature with
 * its card's key in the record, in its low-s form. Fewer signatures than
 * the threshold t fails: t members vouch for the results and the archive,
 * as t cards were needed to count (docs/FORMATS.md "Card signatures").
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "format/signatures.h"
#include "crypto/hash.h"
#include "verify/verify_int.h"

struct vsig_what {
	enum verify_check_id id;
	const char *subject, *file, *sigfile;
};

static const struct vsig_what vsig_whats[2] = {
	{ VERIFY_SIG_RESULTS, "results", "results.json", "signatures-results.json" },
	{ VERIFY_SIG_MANIFEST, "manifest", "manifest.json", "signatures-manifest.json" },
};

/* The signed file's bytes (already read by the checks before). */
static int vsig_file(struct vctx *c, int manifest, const uint8_t **buf, size_t *len)
{
	*buf = manifest ? c->amf_buf : c->results;
	*len = manifest ? c->amf_len : c->results_len;
	return *buf ? 0 : ERR_NOTFOUND;
}

static void vsig_match(struct vctx *c, const struct vsig_what *w, const struct signing_set *set,
		       const uint8_t *buf, size_t len)
{
	uint8_t sha[32], digest[32];

	if (strcmp(set->subject, w->subject) != 0)
		vnote(c, w->id, 1, VM_SIG_SUBJECT, w->sigfile, set->subject, w->subject);
	if (hash_sha256(buf, len, sha) != 0 || memcmp(sha, set->file_sha256, 32) != 0)
		vnote(c, w->id, 1, VM_SIG_FILE_SHA, w->sigfile, w->file);
	if (signing_digest(w->subject, buf, len, digest) != 0 ||
	    memcmp(digest, set->digest, 32) != 0)
		vnote(c, w->id, 1, VM_SIG_DIGEST, w->sigfile, w->file);
}

/* Nothing covers the signatures of the final manifest but themselves: the
 * file must be exactly what signing_write makes of its content, so that no
 * byte of it can change unseen (hex case, spacing). */
static void vsig_canonical(struct vctx *c, const struct vsig_what *w,
			   const struct signing_set *set, const uint8_t *buf, size_t len)
{
	char *text = NULL;
	size_t n = 0;

	if (signing_write(set, &text, &n) != 0 || n != len || memcmp(text, buf, len) != 0)
		vnote(c, w->id, 1, VM_SIG_NOT_CANONICAL, w->sigfile);
	free(text);
}

static void vsig_cards(struct vctx *c, const struct vsig_what *w, const struct signing_set *set)
{
	err_clear();
	if (signing_check(set, &c->rec) != 0) {
		vnote(c, w->id, 1, VM_SIG_INVALID, w->sigfile, vdetail());
		return;
	}
	for (unsigned i = 0; i < set->n; i++) {
		const struct record_card *k = &c->rec.cards[set->sigs[i].card - 1];
		vnote(c, w->id, 0, VM_SIG_CARD_OK, k->index, k->member.first_name,
		      k->member.last_name, k->member.role);
	}
	if (set->n < c->rec.pub.t)
		vnote(c, w->id, 1, VM_SIG_FEW, set->n, c->rec.pub.t);
}

void verify_sigs(struct vctx *c, int manifest)
{
	const struct vsig_what *w = &vsig_whats[manifest != 0];
	struct signing_set set;
	const uint8_t *file;
	uint8_t *buf = NULL;
	size_t len = 0, flen = 0;

	err_clear();
	if (!vexists(c, w->sigfile)) {
		if (c->r->sealed)
			vnote(c, w->id, 1, VM_FILE_MISSING, w->sigfile);
		else
			vskip(c, w->id, VM_SESSION_NO_FILE, w->sigfile);
		return;
	}
	if (!c->record_ok) {
		vskip(c, w->id, VM_NEEDS_RECORD);
		return;
	}
	if (vsig_file(c, manifest, &file, &flen) != 0) {
		vnote(c, w->id, 1, VM_FILE_UNREADABLE, w->file, "-");
		return;
	}
	if (vread(c, w->sigfile, SIGNING_FILE_MAX, &buf, &len) != 0 ||
	    signing_parse(buf, len, &set) != 0) {
		vnote(c, w->id, 1, VM_SIG_UNPARSABLE, w->sigfile, vdetail());
		free(buf);
		return;
	}
	vsig_canonical(c, w, &set, buf, len);
	free(buf);
	vsig_match(c, w, &set, file, flen);
	vsig_cards(c, w, &set);
	vdone(c, w->id);
}
