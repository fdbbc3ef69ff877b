/*
 * The recount: the tallies of the pass (every published plaintext
 * classified by count/classify.h as the box does) through count_compute, and
 * the results file rebuilt as session/tabulate.c writes it (same keys, same
 * order, same canonical text), then compared with results.json byte for
 * byte, and field by field to name the first difference.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/json_util.h"
#include "count/count.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "verify/verify_int.h"
#include "verify/verify_jdiff.h"

struct vcount {
	struct count_results *res[ELECTION_MAX_SCRUTINS];
};

static json_t *vc_hex(const uint8_t *b)
{
	char hex[65];

	hex_encode(b, 32, hex);
	return json_string(hex);
}

static int vc_file_hex(struct vctx *c, const char *name, json_t **out)
{
	uint8_t sha[32];
	int ret = vhash(c, name, sha, NULL);

	if (ret) {
		vnote(c, VERIFY_COUNT, 1, VM_FILE_UNREADABLE, name, vdetail());
		return ret;
	}
	*out = vc_hex(sha);
	return *out ? 0 : ERR_NOMEM;
}

static int vc_scrutins(struct vctx *c, struct vcount *k, json_t *arr)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++) {
		json_t *o = NULL;
		err_clear();
		ret = count_compute(&c->e->scrutins[i], c->tallies[i], &k->res[i]);
		if (!ret)
			ret = count_results_json(k->res[i], &o);
		if (!ret && json_array_append_new(arr, o) != 0)
			ret = ERR_NOMEM;
		if (ret)
			vnote(c, VERIFY_COUNT, 1, VM_COUNT_COMPUTE, (unsigned)c->e->scrutins[i].id, vdetail());
	}
	return ret;
}

/* The results object, as tal_build (session/tabulate.c) assembles it. */
static int vc_build(struct vctx *c, struct vcount *k, json_t **out)
{
	json_t *scr = json_array(), *irr = NULL, *rec = vc_hex(c->record_sha), *urn = NULL,
	       *em = NULL, *dec = NULL;
	int ret = scr && rec ? 0 : ERR_NOMEM;

	if (!ret)
		ret = vc_file_hex(c, "urn.iso", &urn);
	if (!ret)
		ret = vc_file_hex(c, "emargement.iso", &em);
	if (!ret)
		ret = vc_file_hex(c, "ballots-decrypted.bin", &dec);
	if (!ret)
		ret = verify_irregularities_json(c, &irr);
	if (!ret)
		ret = vc_scrutins(c, k, scr);
	if (ret) {
		json_decref(scr);
		json_decref(irr);
		json_decref(rec);
		json_decref(urn);
		json_decref(em);
		json_decref(dec);
		return ret;
	}
	*out = json_pack("{s:s, s:o, s:{s:o, s:o, s:o}, s:{s:s, s:I, s:o}, s:o, s:o}", "format",
			 COUNT_RESULTS_FORMAT, "election_id", vc_hex(c->e->id), "inputs",
			 "record_sha256", rec, "urn_sha256", urn, "emargement_sha256", em,
			 "decrypted_ballots", "file", "ballots-decrypted.bin", "count",
			 (json_int_t)c->dec_count, "sha256", dec, "irregularities", irr,
			 "scrutins", scr);
	return *out ? 0 : ERR_NOMEM;
}

static void vc_compare(struct vctx *c, const json_t *expected)
{
	json_error_t jerr;
	json_t *found;
	struct vdiff d;

	if (c->r->recount_len == c->results_len &&
	    memcmp(c->r->recount, c->results, c->results_len) == 0) {
		vnote(c, VERIFY_COUNT, 0, VM_COUNT_SAME);
		return;
	}
	found = json_loadb((const char *)c->results, c->results_len, JSON_REJECT_DUPLICATES,
			   &jerr);
	if (!json_is_object(found)) {
		vnote(c, VERIFY_COUNT, 1, VM_RESULTS_UNPARSABLE, jerr.line, jerr.column, jerr.text);
		json_decref(found);
		return;
	}
	verify_jdiff(expected, found, "", &d);
	if (d.n)
		vnote(c, VERIFY_COUNT, 1, VM_JSON_DIFF, "results.json", d.path, d.expected,
		      d.found, d.n);
	else
		vnote(c, VERIFY_COUNT, 1, VM_COUNT_NOT_CANONICAL);
	json_decref(found);
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
	json_t *root = NULL;

	memset(&k, 0, sizeof(k));
	if (!c->e || !c->tally_ok || !c->emarg_read) {
		vskip(c, VERIFY_COUNT, VM_NEEDS_BALLOTS);
		return;
	}
	if (!c->results) {
		vnote(c, VERIFY_COUNT, 1, VM_FILE_UNREADABLE, "results.json", "-");
		return;
	}
	if (vc_build(c, &k, &root) == 0 &&
	    jutil_dump(root, &c->r->recount, &c->r->recount_len) == 0) {
		vc_summary(c, &k);
		vc_compare(c, root);
	} else if (!vfailed(c, VERIFY_COUNT)) {
		vnote(c, VERIFY_COUNT, 1, VM_INTERNAL, vdetail());
	}
	json_decref(root);
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		count_results_free(k.res[i]);
	vdone(c, VERIFY_COUNT);
}
