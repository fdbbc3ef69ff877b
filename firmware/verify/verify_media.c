/*
 * The urn's and the émargement's media as archived (urn.iso,
 * emargement.iso), read with the box's own readers (media/): the platform's
 * seal over each manifest (manifest_check_sig with the record's platform
 * key), the election and record they name, and, for the émargement, every
 * entry (emarg_reader: order, uniqueness, scrutins) against the manifest.
 * Then ballots against émargements per scrutin: the box must have recorded
 * each difference as an irregularity in the results.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "format/emargement.h"
#include "format/media_manifest.h"
#include "format/results.h"
#include "verify/verify_int.h"
#include "verify/verify_jdiff.h"

/* An archived image is a plain file, whatever the build allows as media. */
int verify_medium_open(struct vctx *c, const char *name, struct medium *m)
{
	return media_open_image(vpath(c, name), m);
}

/* The manifest's identity: this election, this record, its scrutins. */
static void vseal_identity(struct vctx *c, enum verify_check_id id, const char *iso,
			   const struct manifest *man)
{
	char hex[65];

	if (memcmp(man->election_id, c->rec.election_id, 32) != 0) {
		hex_encode(man->election_id, 32, hex);
		vnote(c, id, 1, VM_SEAL_ELECTION, iso, hex);
	}
	if (memcmp(man->record_sha256, c->record_sha, 32) != 0) {
		hex_encode(man->record_sha256, 32, hex);
		vnote(c, id, 1, VM_SEAL_RECORD, iso, hex);
	}
	if (c->e && man->n_scrutins != c->e->n_scrutins)
		vnote(c, id, 1, VM_SEAL_SCRUTINS, iso, man->n_scrutins, c->e->n_scrutins);
}

static int vseal_read(struct vctx *c, enum verify_check_id id, const char *iso,
		      struct medium *m, uint8_t **man, size_t *man_len, uint8_t **sig,
		      size_t *sig_len)
{
	int ret = media_iso_read(m, "manifest.json", MANIFEST_FILE_MAX, man, man_len);

	if (!ret)
		ret = media_iso_read(m, "manifest.sig", 1024, sig, sig_len);
	if (ret)
		vnote(c, id, 1, VM_SEAL_UNREADABLE, iso, vdetail());
	return ret;
}

static void vseal(struct vctx *c, enum verify_check_id id, const char *iso,
		  enum manifest_kind kind, struct manifest *man, int *ok)
{
	struct medium m;
	uint8_t *mb = NULL, *sb = NULL;
	size_t ml = 0, sl = 0;
	int ret;

	err_clear();
	if (!c->record_ok) {
		vskip(c, id, VM_NEEDS_RECORD);
		return;
	}
	if (verify_medium_open(c, iso, &m) != 0) {
		vnote(c, id, 1, VM_FILE_UNREADABLE, iso, vdetail());
		return;
	}
	ret = media_iso_check_sealed(&m, kind);
	if (ret)
		vnote(c, id, 1, ret == ERR_MEDIA_TREES ? VM_ISO_TREES : VM_ISO_LAYOUT, iso,
		      vdetail());
	else
		ret = vseal_read(c, id, iso, &m, &mb, &ml, &sb, &sl);
	media_close(&m);
	if (!ret) {
		ret = manifest_check_sig(mb, ml, sb, sl, c->rec.platform_pub);
		if (ret)
			vnote(c, id, 1, VM_SEAL_BAD_SIG, iso, vdetail());
		else
			vnote(c, id, 0, VM_SEAL_SIG_OK, iso);
		err_clear();
		if (manifest_parse(mb, ml, kind, man) != 0)
			vnote(c, id, 1, VM_SEAL_MANIFEST_INVALID, iso, vdetail());
		else
			*ok = 1;
	}
	if (*ok) {
		vseal_identity(c, id, iso, man);
		vnote(c, id, 0, VM_SEAL_CLOSED, man->closed_at, (unsigned long long)man->total);
	}
	free(mb);
	free(sb);
	vdone(c, id);
}

void verify_seals(struct vctx *c)
{
	vseal(c, VERIFY_URN_SEAL, "urn.iso", MANIFEST_KIND_URN, &c->urn_man, &c->urn_man_ok);
	vseal(c, VERIFY_EMARG_SEAL, "emargement.iso", MANIFEST_KIND_EMARGEMENT, &c->emarg_man,
	      &c->emarg_man_ok);
}

/* A data file against its manifest: size, SHA-256, counts, total. */
void verify_media_match(struct vctx *c, enum verify_check_id id, const struct manifest *man,
			uint64_t size, const uint8_t sha[32], const uint64_t *counts,
			uint64_t total)
{
	const char *name = manifest_data_file(man->kind);

	if (size != man->file_size)
		vnote(c, id, 1, VM_MEDIA_SIZE, name, (unsigned long long)size,
		      (unsigned long long)man->file_size);
	if (memcmp(sha, man->file_sha256, 32) != 0)
		vnote(c, id, 1, VM_MEDIA_SHA, name);
	for (unsigned i = 0; i < c->e->n_scrutins && i < ELECTION_MAX_SCRUTINS; i++)
		if (i >= man->n_scrutins || counts[i] != man->counts[i])
			vnote(c, id, 1, VM_MEDIA_COUNT, name, i + 1, (unsigned long long)counts[i],
			      (unsigned long long)(i < man->n_scrutins ? man->counts[i] : 0));
	if (total != man->total)
		vnote(c, id, 1, VM_MEDIA_TOTAL, name, (unsigned long long)total,
		      (unsigned long long)man->total);
}

struct vemarg {
	struct vctx *c;
	struct emarg_reader *rd;
	struct hash_ctx *h;
	uint64_t size;
};

static int vemarg_entry(const struct emarg_entry *en, void *arg)
{
	struct vctx *c = arg;

	c->emarg_counts[en->scrutin - 1]++;
	return 0;
}

static int vemarg_feed(const uint8_t *data, size_t len, void *arg)
{
	struct vemarg *v = arg;
	int ret = hash_update(v->h, data, len);

	v->size += len;
	return ret ? ret : emarg_reader_feed(v->rd, data, len);
}

static int vemarg_stream(struct vctx *c, struct vemarg *v, uint8_t sha[32], uint64_t *total)
{
	struct medium m;
	int ret = verify_medium_open(c, "emargement.iso", &m);

	if (!ret)
		ret = emarg_reader_new(c->e, vemarg_entry, c, &v->rd);
	if (!ret)
		ret = hash_begin(&v->h);
	if (!ret)
		ret = media_iso_stream(&m, "entries.bin", vemarg_feed, v);
	if (!ret)
		ret = emarg_reader_finish(v->rd, total);
	if (!ret)
		ret = hash_final(v->h, sha);
	else
		hash_abort(v->h);
	v->h = NULL;
	emarg_reader_free(v->rd);
	media_close(&m);
	return ret;
}

void verify_emarg_entries(struct vctx *c)
{
	struct vemarg v = { c, NULL, NULL, 0 };
	uint8_t sha[32];
	uint64_t total = 0;

	err_clear();
	if (!c->e) {
		vskip(c, VERIFY_EMARG_ENTRIES, VM_NEEDS_ELECTION);
		return;
	}
	if (vemarg_stream(c, &v, sha, &total) != 0) {
		vnote(c, VERIFY_EMARG_ENTRIES, 1, VM_EMARG_INVALID, vdetail());
		return;
	}
	c->emarg_read = 1;
	vnote(c, VERIFY_EMARG_ENTRIES, 0, VM_EMARG_READ, (unsigned long long)total);
	if (c->emarg_man_ok)
		verify_media_match(c, VERIFY_EMARG_ENTRIES, &c->emarg_man, v.size, sha,
				   c->emarg_counts, total);
	else
		vnote(c, VERIFY_EMARG_ENTRIES, 1, VM_NO_MANIFEST, "emargement.iso");
	vdone(c, VERIFY_EMARG_ENTRIES);
}

int verify_irregularities_doc(const struct vctx *c, struct results *doc)
{
	free(doc->irreg);
	doc->n_irreg = 0;
	doc->irreg = calloc(c->e->n_scrutins + 1, sizeof(*doc->irreg));
	if (!doc->irreg)
		return ERR_NOMEM;
	for (unsigned i = 0; i < c->e->n_scrutins; i++)
		if (c->urn_counts[i] != c->emarg_counts[i])
			results_irreg_ballots(&doc->irreg[doc->n_irreg++], c->e->scrutins[i].id,
					      c->urn_counts[i], c->emarg_counts[i]);
	return 0;
}

static void virr_text(const struct results_irreg *g, char *out, size_t n)
{
	if (g)
		snprintf(out, n, "{scrutin %u, %.40s, %.50s}", g->scrutin, g->kind, g->detail);
	else
		snprintf(out, n, "(absent)");
}

static int virr_same(const struct results_irreg *a, const struct results_irreg *b)
{
	return a && b && a->scrutin == b->scrutin && strcmp(a->kind, b->kind) == 0 &&
	       strcmp(a->detail, b->detail) == 0;
}

/* The published irregularities, read alone, one by one against those the
 * media give. */
static void virr_compare(struct vctx *c, const struct results *expected)
{
	char path[48], e[VDIFF_VALUE_MAX], f[VDIFF_VALUE_MAX];
	struct results found;
	unsigned long n = 0;

	if (results_read_irregularities(c->results, c->results_len, &found) != 0) {
		vnote(c, VERIFY_IRREGULARITIES, 1, VM_FILE_UNREADABLE, "results.json", vdetail());
		return;
	}
	for (unsigned i = 0; i < expected->n_irreg || i < found.n_irreg; i++) {
		const struct results_irreg *x = i < expected->n_irreg ? &expected->irreg[i] : NULL,
					   *y = i < found.n_irreg ? &found.irreg[i] : NULL;

		if (virr_same(x, y) || n++ > 0)
			continue;
		snprintf(path, sizeof(path), "irregularities[%u]", i);
		virr_text(x, e, sizeof(e));
		virr_text(y, f, sizeof(f));
	}
	if (n)
		vnote(c, VERIFY_IRREGULARITIES, 1, VM_JSON_DIFF, "results.json", path, e, f, n);
	results_free(&found);
}

void verify_irregularities(struct vctx *c)
{
	struct results expected;

	memset(&expected, 0, sizeof(expected));
	if (!c->e || !c->urn_read || !c->emarg_read) {
		vskip(c, VERIFY_IRREGULARITIES, VM_NEEDS_MEDIA);
		return;
	}
	for (unsigned i = 0; i < c->e->n_scrutins; i++)
		if (c->urn_counts[i] != c->emarg_counts[i])
			vwarn(c, VERIFY_IRREGULARITIES, VM_IRREGULARITY, (unsigned)c->e->scrutins[i].id,
			      (unsigned long long)c->urn_counts[i],
			      (unsigned long long)c->emarg_counts[i]);
	if (!c->results)
		vnote(c, VERIFY_IRREGULARITIES, 1, VM_FILE_UNREADABLE, "results.json", "-");
	else if (verify_irregularities_doc(c, &expected) != 0)
		vnote(c, VERIFY_IRREGULARITIES, 1, VM_INTERNAL, "irregularities");
	else
		virr_compare(c, &expected);
	results_free(&expected);
	vdone(c, VERIFY_IRREGULARITIES);
}
