/*
 * The pass over the urn (v2): ballots.bin read from urn.iso with the box's
 * reader (urn_reader: header, size, order by tracker, scrutins, A and B
 * valid points, c and z below n, and each ballot's proof of knowledge on
 * the worker threads, with the chosen implementation of the checks), then
 * the set-aside rule decided again exactly as the box does at import
 * (docs/FORMATS.md, "Ballot and its proof of knowledge"): a ballot whose
 * proof fails is nul "proof-failed"; one whose proof holds and whose A is
 * the A of an earlier ballot whose proof held (urn order, whatever the
 * scrutin) is nul "duplicate"; every other ballot is an input of its
 * scrutin's shuffle, in urn order. The inputs go to one unlinked temporary
 * file per scrutin (130 bytes a ballot), which the shuffle check reads
 * back (verify_shuffle.c); memory stays flat but for the set of A's. The
 * database's copy of the urn is compared in the same pass (verify_db_pass.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/hex.h"
#include "count/classify.h"
#include "crypto/hash.h"
#include "format/urn.h"
#include "verify/verify_dupset.h"
#include "verify/verify_int.h"

#define VURN_NOTES 8             /* set-aside ballots named one by one */
#define VURN_DUP_HINT_MAX (1u << 20)

struct vurn {
	struct vctx *c;
	struct urn_reader *ur;
	struct hash_ctx *h;
	uint64_t size;
	struct vdup *dups;
	int broken;                  /* an internal error: set-aside and inputs stop */
};

FILE *vtempfile(void)
{
	const char *t = getenv("TMPDIR");
	char path[4096];
	FILE *f = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/sceau-verify-XXXXXX", t && *t ? t : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		err_detail("%s: %s", path, strerror(errno));
		return NULL;
	}
	unlink(path);
	f = fdopen(fd, "w+b");
	if (!f) {
		err_detail("temporary file: %s", strerror(errno));
		close(fd);
	}
	return f;
}

static int vurn_aside(struct vurn *u, const struct urn_ballot *b, enum ballot_reason why)
{
	struct vctx *c = u->c;
	struct verify_scrutin *s = &c->r->scrutins[b->scrutin - 1];
	struct ballot_class bc;
	char hex[17];
	int ret;

	if (c->n_aside == c->cap_aside) {
		uint64_t cap = c->cap_aside ? 2 * c->cap_aside : 64;
		struct vaside *a = realloc(c->aside, (size_t)cap * sizeof(*a));
		if (!a)
			return ERR_NOMEM;
		c->aside = a;
		c->cap_aside = cap;
	}
	c->aside[c->n_aside].seq = b->number;
	c->aside[c->n_aside].scrutin = b->scrutin;
	c->aside[c->n_aside].reason = (uint8_t)why;
	if (c->n_aside++ < VURN_NOTES) {
		hex_encode(b->tracker, 8, hex);
		vnote(c, VERIFY_URN_BALLOTS, 0, VM_URN_ASIDE, (unsigned long long)b->number, hex,
		      (unsigned)b->scrutin, ballot_reason_name(why));
	}
	if (why == BALLOT_NUL_PROOF_FAILED)
		s->proof_failed++;
	else
		s->duplicate++;
	ret = ballot_nul(why, &bc);
	return ret ? ret : tally_add(c->tallies[b->scrutin - 1], &bc);
}

/* An input of the scrutin's shuffle: A || B, in urn order. */
static int vurn_keep(struct vurn *u, const struct urn_ballot *b)
{
	struct vinputs *in = &u->c->inputs[b->scrutin - 1];

	if (!in->f && (in->f = vtempfile()) == NULL)
		return ERR_IO;
	if (fwrite(b->A, 1, GROUP_POINT_LEN, in->f) != GROUP_POINT_LEN ||
	    fwrite(b->B, 1, GROUP_POINT_LEN, in->f) != GROUP_POINT_LEN) {
		err_detail("temporary file of the shuffle's inputs: %s", strerror(errno));
		return ERR_IO;
	}
	in->n++;
	u->c->r->scrutins[b->scrutin - 1].shuffled++;
	return 0;
}

static int vurn_ballot(const struct urn_ballot *b, void *arg)
{
	struct vurn *u = arg;
	int seen = 0, ret;

	u->c->urn_counts[b->scrutin - 1]++;
	u->c->r->scrutins[b->scrutin - 1].ballots++;
	verify_db_ballot(u->c, b);
	if (u->broken)
		return 0;
	if (!b->proof_ok) {
		ret = vurn_aside(u, b, BALLOT_NUL_PROOF_FAILED);
	} else {
		ret = vdup_insert(u->dups, b->A, &seen);
		if (!ret)
			ret = seen ? vurn_aside(u, b, BALLOT_NUL_DUPLICATE) : vurn_keep(u, b);
	}
	if (ret) {
		u->broken = 1;
		vnote(u->c, VERIFY_URN_BALLOTS, 1, VM_INTERNAL, vdetail());
	}
	return 0;
}

int verify_urn_feed(const uint8_t *data, size_t len, void *vurn)
{
	struct vurn *u = vurn;
	int ret = hash_update(u->h, data, len);

	u->size += len;
	return ret ? ret : urn_reader_feed(u->ur, data, len);
}

static void vurn_free(struct vurn *u)
{
	if (!u)
		return;
	urn_reader_free(u->ur);
	hash_abort(u->h);
	vdup_free(u->dups);
	free(u);
}

int verify_urn_begin(struct vctx *c, struct vurn **out)
{
	struct vurn *u = calloc(1, sizeof(*u));
	uint64_t expect = c->urn_man_ok ? c->urn_man.total : 1024;
	int ret = u ? 0 : ERR_NOMEM;

	*out = NULL;
	c->r->n_scrutins = c->e->n_scrutins;
	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++) {
		c->r->scrutins[i].id = c->e->scrutins[i].id;
		ret = tally_new(&c->e->scrutins[i], &c->tallies[i]);
	}
	if (!ret) {
		u->c = c;
		/* sized by the manifest, within reason (the set grows if needed):
		 * a manifest's number alone must not make it allocate gigabytes */
		ret = vdup_new(expect < VURN_DUP_HINT_MAX ? expect : VURN_DUP_HINT_MAX, &u->dups);
	}
	if (!ret)
		ret = urn_reader_new(c->e, vurn_ballot, u, c->o->jobs, &u->ur);
	if (!ret) {
		urn_reader_set_check(u->ur, c->ck->ballot_check);
		ret = hash_begin(&u->h);
	}
	if (!ret)
		ret = verify_db_pass_start(c);
	if (ret)
		vurn_free(u);
	else
		*out = u;
	return ret;
}

/* The shuffle inputs written out, ready for positional reads. */
static int vurn_flush_inputs(struct vctx *c)
{
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		if (c->inputs[i].f && fflush(c->inputs[i].f) != 0) {
			err_detail("temporary file of the shuffle's inputs: %s", strerror(errno));
			return ERR_IO;
		}
	return 0;
}

static void vurn_notes(struct vctx *c, uint64_t total, const struct vurn *u)
{
	uint8_t sha[32];

	vnote(c, VERIFY_URN_BALLOTS, 0, VM_URN_READ, (unsigned long long)total, c->ck->name);
	if (c->n_aside > VURN_NOTES)
		vnote(c, VERIFY_URN_BALLOTS, 0, VM_URN_ASIDE_ALL, (unsigned long long)c->n_aside);
	for (unsigned i = 0; i < c->r->n_scrutins; i++) {
		const struct verify_scrutin *s = &c->r->scrutins[i];
		vnote(c, VERIFY_URN_BALLOTS, 0, VM_URN_SCRUTIN, (unsigned)s->id,
		      (unsigned long long)s->ballots, (unsigned long long)s->proof_failed,
		      (unsigned long long)s->duplicate, (unsigned long long)s->shuffled);
	}
	if (hash_final(u->h, sha) != 0)
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_INTERNAL, vdetail());
	else if (c->urn_man_ok)
		verify_media_match(c, VERIFY_URN_BALLOTS, &c->urn_man, u->size, sha, c->urn_counts,
				   total);
	else
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_NO_MANIFEST, "urn.iso");
}

void verify_urn_end(struct vurn *u, int ret)
{
	struct vctx *c = u->c;
	uint64_t total = 0;

	if (!ret)
		ret = urn_reader_finish(u->ur, &total);
	if (ret) {
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_URN_INVALID, vdetail());
	} else if (!u->broken) {
		c->urn_read = 1;
		c->urn_total = total;
		vurn_notes(c, total, u);
		u->h = NULL;
		if (vurn_flush_inputs(c) != 0) {
			c->urn_read = 0;
			vnote(c, VERIFY_URN_BALLOTS, 1, VM_INTERNAL, vdetail());
		}
	}
	vurn_free(u);
}

void verify_ballots(struct vctx *c)
{
	struct vurn *u = NULL;
	struct medium m;
	int ret;

	if (!c->e || !c->record_ok) {
		vskip(c, VERIFY_URN_BALLOTS, VM_NEEDS_ELECTION);
		return;
	}
	err_clear();
	if (verify_urn_begin(c, &u) != 0) {
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_INTERNAL, vdetail());
		return;
	}
	ret = verify_medium_open(c, "urn.iso", &m);
	if (!ret)
		ret = media_iso_stream(&m, "ballots.bin", verify_urn_feed, u);
	media_close(&m);
	verify_urn_end(u, ret);
	vdone(c, VERIFY_URN_BALLOTS);
}

void verify_ballots_free(struct vctx *c)
{
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++) {
		if (c->inputs[i].f)
			fclose(c->inputs[i].f);
		c->inputs[i].f = NULL;
	}
	free(c->aside);
	c->aside = NULL;
	c->n_aside = c->cap_aside = 0;
}
