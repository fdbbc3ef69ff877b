/*
 * One streaming pass over the ballots: the urn's ballots.bin read from
 * urn.iso with the box's reader (urn_reader: sort order, uniqueness,
 * points, scalars, scrutins, proofs of knowledge), the database's copy
 * compared in the same pass (verify_db_pass.c).
 *
 * TODO(v2 verifier port): the set-aside list, the shuffle proofs, the
 * decrypted-ballots file (v2, in shuffled order), its DLEQ proofs against
 * the shuffle files' OUT parts (verify_proofs.c) and the tally are not
 * checked yet: those checks are reported as not done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "format/urn.h"
#include "verify/verify_int.h"

struct vpass {
	struct vctx *c;
	struct urn_reader *ur;
	struct hash_ctx *h;
	uint64_t size;
};

static int vpass_ballot(const struct urn_ballot *b, void *arg)
{
	struct vpass *p = arg;

	p->c->urn_counts[b->scrutin - 1]++;
	verify_db_ballot(p->c, b);
	return 0;
}

static int vpass_feed(const uint8_t *data, size_t len, void *arg)
{
	struct vpass *p = arg;
	int ret = hash_update(p->h, data, len);

	p->size += len;
	return ret ? ret : urn_reader_feed(p->ur, data, len);
}

static int vpass_setup(struct vpass *p)
{
	struct vctx *c = p->c;
	int ret = urn_reader_new(c->e, vpass_ballot, p, c->o->jobs, &p->ur);

	if (!ret)
		ret = hash_begin(&p->h);
	if (!ret)
		ret = verify_db_pass_start(c);
	return ret;
}

static double vpass_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Streams ballots.bin; the urn's outcome is noted here. */
static void vpass_stream(struct vpass *p, uint64_t *total)
{
	struct vctx *c = p->c;
	struct medium m;
	uint8_t sha[32];
	int ret;

	err_clear();
	ret = verify_medium_open(c, "urn.iso", &m);
	if (!ret)
		ret = media_iso_stream(&m, "ballots.bin", vpass_feed, p);
	if (!ret)
		ret = urn_reader_finish(p->ur, total);
	media_close(&m);
	if (ret) {
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_URN_INVALID, vdetail());
		return;
	}
	c->urn_read = 1;
	vnote(c, VERIFY_URN_BALLOTS, 0, VM_URN_READ, (unsigned long long)*total);
	ret = hash_final(p->h, sha);
	p->h = NULL;
	if (!ret && c->urn_man_ok)
		verify_media_match(c, VERIFY_URN_BALLOTS, &c->urn_man, p->size, sha, c->urn_counts,
				   *total);
	else if (!ret)
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_NO_MANIFEST, "urn.iso");
}

static void vpass_free(struct vpass *p)
{
	urn_reader_free(p->ur);
	hash_abort(p->h);
}

void verify_ballots(struct vctx *c)
{
	struct vpass p;
	uint64_t total = 0;
	double t0;

	memset(&p, 0, sizeof(p));
	p.c = c;
	if (!c->e || !c->record_ok) {
		vskip(c, VERIFY_URN_BALLOTS, VM_NEEDS_ELECTION);
		vskip(c, VERIFY_DEC_FILE, VM_NEEDS_ELECTION);
		vskip(c, VERIFY_DEC_PROOFS, VM_NEEDS_ELECTION);
		return;
	}
	if (vpass_setup(&p) != 0) {
		vnote(c, VERIFY_URN_BALLOTS, 1, VM_INTERNAL, vdetail());
		vpass_free(&p);
		return;
	}
	t0 = vpass_now();
	vpass_stream(&p, &total);
	c->r->proofs.seconds = vpass_now() - t0;
	verify_db_pass_end(c, c->urn_read, total, 0, 0);
	c->tally_ok = 0;
	vnote(c, VERIFY_DEC_FILE, 1, VM_INTERNAL, "not ported to the v2 formats yet");
	vnote(c, VERIFY_DEC_PROOFS, 1, VM_INTERNAL, "not ported to the v2 formats yet");
	vdone(c, VERIFY_URN_BALLOTS);
	vdone(c, VERIFY_DEC_FILE);
	vpass_free(&p);
}
