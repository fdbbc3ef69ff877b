/*
 * The recount: the tallies of the pass (every published plaintext
 * classified by count/classify.h as the box does) through count_compute, and
 * the results document rebuilt as session/tabulate.c makes it, written by
 * the same writer (format/results.h), then compared with results.json byte
 * for byte, and field by field to name the first difference.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "count/count.h"
#include "format/results.h"
#include "verify/verify_int.h"
#include "verify/verify_jdiff.h"

struct vcount {
	struct count_results *res[ELECTION_MAX_SCRUTINS];
	struct results doc;
};

static int vc_file_hash(struct vctx *c, const char *name, uint8_t sha[32])
{
	int ret = vhash(c, name, sha, NULL);

	if (ret)
		vnote(c, VERIFY_COUNT, 1, VM_FILE_UNREADABLE, name, vdetail());
	return ret;
}

static int vc_scrutins(struct vctx *c, struct vcount *k)
{
	int ret = 0;

	k->doc.scrutins = calloc(c->e->n_scrutins, sizeof(*k->doc.scrutins));
	if (!k->doc.scrutins)
		return ERR_NOMEM;
	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++) {
		err_clear();
		ret = count_compute(&c->e->scrutins[i], c->tallies[i], &k->res[i]);
		if (!ret)
			ret = count_results_doc(k->res[i], &k->doc.scrutins[i]);
		k->doc.n_scrutins = i + 1;
		if (ret)
			vnote(c, VERIFY_COUNT, 1, VM_COUNT_COMPUTE, (unsigned)c->e->scrutins[i].id, vdetail());
	}
	return ret;
}

/* The results document, as session/tabulate.c makes it from the same
 * inputs. */
static int vc_build(struct vctx *c, struct vcount *k)
{
	struct results *d = &k->doc;
	int ret;

	memcpy(d->election_id, c->e->id, 32);
	memcpy(d->record_sha256, c->record_sha, 32);
	d->has_urn = d->has_emargement = 1;
	d->dec_count = c->dec_count;
	ret = vc_file_hash(c, "urn.iso", d->urn);
	if (!ret)
		ret = vc_file_hash(c, "emargement.iso", d->emargement);
	if (!ret)
		ret = vc_file_hash(c, RESULTS_DECFILE_NAME, d->dec_sha256);
	if (!ret)
		ret = verify_irregularities_doc(c, d);
	if (!ret)
		ret = vc_scrutins(c, k);
	return ret;
}

/* Byte for byte, else field by field to name the first difference. */
static void vc_compare(struct vctx *c)
{
	json_error_t jerr;
	json_t *expected, *found;
	struct vdiff d;

	if (c->r->recount_len == c->results_len &&
	    memcmp(c->r->recount, c->results, c->results_len) == 0) {
		vnote(c, VERIFY_COUNT, 0, VM_COUNT_SAME);
		return;
	}
	expected = json_loadb(c->r->recount, c->r->recount_len, 0, NULL);
	found = json_loadb((const char *)c->results, c->results_len, JSON_REJECT_DUPLICATES,
			   &jerr);
	if (!json_is_object(found)) {
		vnote(c, VERIFY_COUNT, 1, VM_RESULTS_UNPARSABLE, jerr.line, jerr.column, jerr.text);
		json_decref(found);
		json_decref(expected);
		return;
	}
	verify_jdiff(expected, found, "", &d);
	if (d.n)
		vnote(c, VERIFY_COUNT, 1, VM_JSON_DIFF, "results.json", d.path, d.expected,
		      d.found, d.n);
	else
		vnote(c, VERIFY_COUNT, 1, VM_COUNT_NOT_CANONICAL);
	json_decref(found);
	json_decref(expected);
}

static void vc_summary(struct vctx *c, const struct vcount *k)
{
	for (unsigned i = 0; i < c->e->n_scrutins; i++) {
		const struct count_results *r = k->res[i];
		vnote(c, VERIFY_COUNT, 0, VM_COUNT_SCRUTIN, (unsigned)r->scrutin->id,
		      (unsigned long long)r->votants, (unsigned long long)r->blancs,
		      (unsigned long long)r->nuls, (unsigned long long)r->sve);
	}
}

void verify_count(struct vctx *c)
{
	struct vcount k;

	memset(&k, 0, sizeof(k));
	if (!c->e || !c->tally_ok || !c->emarg_read) {
		vskip(c, VERIFY_COUNT, VM_NEEDS_BALLOTS);
		return;
	}
	if (!c->results) {
		vnote(c, VERIFY_COUNT, 1, VM_FILE_UNREADABLE, "results.json", "-");
		return;
	}
	if (vc_build(c, &k) == 0 &&
	    results_write(&k.doc, &c->r->recount, &c->r->recount_len) == 0) {
		vc_summary(c, &k);
		vc_compare(c);
	} else if (!vfailed(c, VERIFY_COUNT)) {
		vnote(c, VERIFY_COUNT, 1, VM_INTERNAL, vdetail());
	}
	results_free(&k.doc);
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		count_results_free(k.res[i]);
	vdone(c, VERIFY_COUNT);
}
