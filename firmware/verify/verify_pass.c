/*
 * One streaming pass over the ballots, in constant memory but for the set
 * of points R (duplicates): the urn's ballots.bin read from urn.iso with
 * the box's reader (urn_reader: sort order, uniqueness, points, scrutins,
 * lengths) in lockstep with ballots-decrypted.bin (same tracker, same
 * scrutin, one for one), each published plaintext classified and tallied
 * as session/tabulate.c does, and each ballot (or the sample) handed to the proof
 * threads, which check the batch before while this thread reads the next.
 * The database's copies of both files are compared in the same pass
 * (verify_db_pass.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "count/classify.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "format/urn.h"
#include "format/decrypted.h"
#include "verify/verify_dupset.h"
#include "verify/verify_int.h"
#include "verify/verify_proofs.h"
#include "verify/verify_sample.h"

#define VPASS_BATCH_PER_JOB 256
#define VPASS_BATCH_MAX 4096     /* items per buffer (about 3.5 MB) */
#define VPASS_MISMATCH_NOTES 8

struct vpass {
	struct vctx *c;
	struct urn_reader *ur;
	struct hash_ctx *h;
	uint64_t size;
	FILE *df;
	struct decfile_reader *dr;
	int dec_broken;            /* stop reading it: an error was noted */
	int tally_broken;
	uint64_t mismatches;
	struct vdup *dups;
	struct vsample sample;
	struct vpool *pool;
	struct vproof_item *batch[2];
	unsigned n[2], cap, cur;
	int running;
};

static void vpass_collect(struct vpass *p, const struct vproof_item *items, unsigned n)
{
	static const enum vmsg why[] = {
		[VPROOF_BAD_PROOF] = VM_PROOF_BAD, [VPROOF_OPENED] = VM_PROOF_OPENED,
		[VPROOF_PLAINTEXT] = VM_PROOF_PLAINTEXT, [VPROOF_ERROR] = VM_PROOF_ERROR,
	};
	struct verify_proofs *st = &p->c->r->proofs;

	for (unsigned i = 0; i < n; i++) {
		const struct vproof_item *it = &items[i];
		char hex[17];
		if (it->outcome == VPROOF_OK)
			continue;
		st->failed++;
		hex_encode(it->d.tracker, 8, hex);
		vnote(p->c, VERIFY_DEC_PROOFS, 1, why[it->outcome],
		      (unsigned long long)it->number, hex);
	}
	st->checked += n;
	if (p->c->o->progress)
		p->c->o->progress(st->checked, st->sample ? st->sample : st->total,
				  p->c->o->progress_arg);
}

/* Hands the filled batch to the threads, after collecting the one before. */
static void vpass_flush(struct vpass *p)
{
	unsigned prev = p->cur ^ 1;

	if (p->running) {
		vpool_wait(p->pool);
		vpass_collect(p, p->batch[prev], p->n[prev]);
		p->running = 0;
	}
	if (p->n[p->cur] == 0)
		return;
	vpool_run(p->pool, p->batch[p->cur], p->n[p->cur]);
	p->running = 1;
	p->cur = prev;
	p->n[p->cur] = 0;
}

static void vpass_queue(struct vpass *p, const struct urn_ballot *b,
			const struct decrypted_ballot *d)
{
	struct vproof_item *it = &p->batch[p->cur][p->n[p->cur]++];

	it->number = b->number;
	memcpy(it->R, b->R, 65);
	it->ct_len = b->ct_len <= sizeof(it->ct) ? b->ct_len : 0;
	memcpy(it->ct, b->ct, it->ct_len);
	it->d = *d;
	it->outcome = VPROOF_OK;
	if (p->n[p->cur] == p->cap)
		vpass_flush(p);
}

/* The decrypted entry of this urn ballot: same tracker, same scrutin. */
static int vpass_pair(struct vpass *p, const struct urn_ballot *b, struct decrypted_ballot *d)
{
	char hex[17];
	int ret;

	if (p->dec_broken || !p->dr)
		return 0;
	err_clear();
	ret = decfile_reader_next(p->dr, d);
	if (!ret)
		verify_db_decrypted(p->c, b->number, d);
	if (ret) {
		p->dec_broken = 1;
		if (ret > 0)
			vnote(p->c, VERIFY_DEC_FILE, 1, VM_DEC_SHORT, (unsigned long long)b->number);
		else
			vnote(p->c, VERIFY_DEC_FILE, 1, VM_DEC_INVALID, vdetail());
		return 0;
	}
	if (memcmp(d->tracker, b->tracker, 32) == 0 && d->scrutin == b->scrutin)
		return 1;
	if (p->mismatches++ < VPASS_MISMATCH_NOTES) {
		hex_encode(b->tracker, 8, hex);
		vnote(p->c, VERIFY_DEC_FILE, 1, VM_DEC_MISMATCH, (unsigned long long)b->number,
		      hex);
	}
	return 0;
}

/* The class session/tabulate.c gives: duplicate, then undecryptable, then the plaintext. */
static int vpass_tally(struct vpass *p, const struct urn_ballot *b,
		       const struct decrypted_ballot *d)
{
	const struct scrutin *s = election_scrutin(p->c->e, b->scrutin);
	struct ballot_class bc;
	int seen = 0, ret = vdup_insert(p->dups, b->R, &seen);

	if (!ret && seen)
		ret = ballot_nul(BALLOT_NUL_DUPLICATE, &bc);
	else if (!ret && !d->opened)
		ret = ballot_nul(BALLOT_NUL_UNDECRYPTABLE, &bc);
	else if (!ret)
		ret = ballot_classify(s, d->pt, d->pt_len, &bc);
	if (!ret)
		ret = tally_add(p->c->tallies[b->scrutin - 1], &bc);
	return ret;
}

static int vpass_ballot(const struct urn_ballot *b, void *arg)
{
	struct vpass *p = arg;
	struct decrypted_ballot d;
	int paired;

	p->c->urn_counts[b->scrutin - 1]++;
	verify_db_ballot(p->c, b);
	paired = vpass_pair(p, b, &d);
	if (!paired) {
		p->tally_broken = 1;
		return 0;
	}
	if (!p->tally_broken && vpass_tally(p, b, &d) != 0) {
		p->tally_broken = 1;
		vnote(p->c, VERIFY_COUNT, 1, VM_INTERNAL, vdetail());
	}
	if (vsample_take(&p->sample))
		vpass_queue(p, b, &d);
	return 0;
}

static int vpass_feed(const uint8_t *data, size_t len, void *arg)
{
	struct vpass *p = arg;
	int ret = hash_update(p->h, data, len);

	p->size += len;
	return ret ? ret : urn_reader_feed(p->ur, data, len);
}

static int vpass_open_dec(struct vpass *p)
{
	struct vctx *c = p->c;
	struct stat st;
	int fd, ret;

	err_clear();
	fd = file_open_regular(vpath(c, "ballots-decrypted.bin"), &st);
	p->df = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!p->df) {
		if (fd >= 0)
			close(fd);
		vnote(c, VERIFY_DEC_FILE, 1, VM_FILE_UNREADABLE, "ballots-decrypted.bin", "-");
		return 0;
	}
	ret = decfile_reader_new(p->df, c->e, &p->dr);
	if (ret == ERR_NOMEM)
		return ret;
	if (ret)
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_INVALID, vdetail());
	return 0;
}

static int vpass_setup(struct vpass *p)
{
	struct vctx *c = p->c;
	struct verify_proofs *st = &c->r->proofs;
	uint64_t n;
	int ret = 0;

	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++)
		ret = tally_new(&c->e->scrutins[i], &c->tallies[i]);
	if (!ret)
		ret = vpass_open_dec(p);
	n = p->dr ? decfile_reader_count(p->dr) : 0;
	st->total = n;
	st->jobs = c->o->jobs ? c->o->jobs : 1;
	st->sample = c->o->sample && c->o->sample < n ? c->o->sample : 0;
	st->seed = c->o->seed;
	if (!ret && !c->o->seed_set)
		ret = verify_seed_random(&st->seed);
	vsample_init(&p->sample, n, st->sample, st->seed);
	p->cap = st->jobs < VPASS_BATCH_MAX / VPASS_BATCH_PER_JOB ? VPASS_BATCH_PER_JOB * st->jobs
								   : VPASS_BATCH_MAX;
	for (int i = 0; !ret && i < 2; i++)
		ret = (p->batch[i] = calloc(p->cap, sizeof(struct vproof_item))) ? 0 : ERR_NOMEM;
	if (!ret)
		ret = vdup_new(n, &p->dups);
	if (!ret)
		ret = vpool_start(st->jobs, c->rec.pub.pk, c->rec.election_id, &p->pool);
	if (!ret)
		ret = urn_reader_new(c->e, vpass_ballot, p, &p->ur);
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
	vpass_flush(p);
	vpass_flush(p);
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

/* The decrypted-ballots file must end where the urn does. */
static void vpass_end_dec(struct vpass *p, uint64_t total)
{
	struct vctx *c = p->c;
	uint8_t sha[32];
	uint64_t size = 0;
	char hex[65];

	if (!p->dr || p->dec_broken)
		return;
	err_clear();
	if (decfile_reader_finish(p->dr, sha, &size) != 0) {
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_INVALID, vdetail());
		p->dec_broken = 1;
		return;
	}
	c->dec_count = decfile_reader_count(p->dr);
	vhash_put(c, "ballots-decrypted.bin", sha, size);
	if (c->urn_read && c->dec_count != total)
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_COUNT, (unsigned long long)c->dec_count,
		      (unsigned long long)total);
	hex_encode(sha, 32, hex);
	vnote(c, VERIFY_DEC_FILE, 0, VM_DEC_READ, (unsigned long long)c->dec_count, hex);
}

static void vpass_proofs_outcome(struct vpass *p, int complete)
{
	struct vctx *c = p->c;
	struct verify_proofs *st = &c->r->proofs;
	uint64_t n = st->total, ks[3] = { 1, 10, (n + 99) / 100 };

	if (!p->dr) {
		vskip(c, VERIFY_DEC_PROOFS, VM_NEEDS_DECFILE);
		return;
	}
	vnote(c, VERIFY_DEC_PROOFS, 0, VM_PROOFS_DONE, (unsigned long long)st->checked,
	      (unsigned long long)n, (unsigned long long)st->failed, st->jobs, st->seconds);
	if (st->sample) {
		vnote(c, VERIFY_DEC_PROOFS, 0, VM_PROOFS_SAMPLE, (unsigned long long)st->sample,
		      (unsigned long long)n, (unsigned long long)st->seed);
		for (int i = 0; i < 3; i++) {
			st->detect[i].k = ks[i];
			st->detect[i].p = verify_detect_prob(n, st->sample, ks[i]);
			vnote(c, VERIFY_DEC_PROOFS, 0, VM_PROOFS_DETECT, (unsigned long long)ks[i],
			      (double)(100.0L * st->detect[i].p));
		}
	}
	if (!complete)
		vskip(c, VERIFY_DEC_PROOFS, VM_PROOFS_INCOMPLETE);
	vdone(c, VERIFY_DEC_PROOFS);
}

static void vpass_free(struct vpass *p)
{
	vpool_stop(p->pool);
	urn_reader_free(p->ur);
	hash_abort(p->h);
	decfile_reader_free(p->dr);
	if (p->df)
		fclose(p->df);
	vdup_free(p->dups);
	free(p->batch[0]);
	free(p->batch[1]);
}

void verify_ballots(struct vctx *c)
{
	struct vpass p;
	uint64_t total = 0;
	double t0;
	int complete;

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
	vpass_end_dec(&p, total);
	complete = c->urn_read && p.dr && !p.dec_broken;
	verify_db_pass_end(c, c->urn_read, total, complete, c->dec_count);
	c->tally_ok = complete && !p.tally_broken;
	vpass_proofs_outcome(&p, complete);
	vdone(c, VERIFY_URN_BALLOTS);
	vdone(c, VERIFY_DEC_FILE);
	vpass_free(&p);
}
