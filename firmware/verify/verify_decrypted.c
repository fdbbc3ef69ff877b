/*
 * The decryptions (v2): ballots-decrypted.bin read strictly (format/
 * decrypted.h: scrutins ascending, positions 1, 2, ... within each), each
 * scrutin's entries exactly the N of its shuffled list; each entry's
 * proof checked against the shuffled ciphertext at its position (A', B'
 * from the OUT part of shuffle-<scrutin>.bin: dleq2_verify with the
 * election key, then M = B' - S decoded again and compared with what was
 * published), on every core while this thread reads ahead; every
 * published plaintext classified and tallied as session/tabulate.c does
 * (the set-aside ballots were tallied by the pass over the urn). The
 * database's copy is compared in the same pass (verify_db_pass.c).
 * --sample N samples these proofs only (never the shuffle proof).
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
#include "format/decrypted.h"
#include "format/shuffle_file.h"
#include "lib/hex.h"
#include "verify/verify_int.h"
#include "verify/verify_proofs.h"
#include "verify/verify_sample.h"

#define VDEC_BATCH_PER_JOB 256
#define VDEC_BATCH_MAX 4096      /* items per buffer */
#define VDEC_NOTES 8             /* entries named per kind of fault */
#define VDEC_CT_WIN 512          /* shuffled ciphertexts read at a time */

struct vdec {
	struct vctx *c;
	FILE *df;
	struct decfile_reader *dr;
	int broken;                /* the file stopped being readable (noted) */
	int tally_broken;
	uint64_t number, beyond;
	/* the shuffled list of the current scrutin, read ahead */
	unsigned sc;               /* its index, or ~0u */
	struct shuffle_file_reader *sr;
	uint32_t win_first, win_n;
	uint8_t *win;
	/* the proofs: one batch checked while the next is filled */
	struct vsample sample;
	struct vpool *pool;
	struct vproof_item *batch[2];
	unsigned n[2], cap, cur;
	int running;
};

static void vdec_collect(struct vdec *p, const struct vproof_item *items, unsigned n)
{
	static const enum vmsg why[] = {
		[VPROOF_BAD_PROOF] = VM_PROOF_BAD, [VPROOF_OPENED] = VM_PROOF_OPENED,
		[VPROOF_PLAINTEXT] = VM_PROOF_PLAINTEXT, [VPROOF_ERROR] = VM_PROOF_ERROR,
		[VPROOF_NO_CT] = VM_PROOF_NO_CT,
	};
	struct verify_proofs *st = &p->c->r->proofs;

	for (unsigned i = 0; i < n; i++) {
		const struct vproof_item *it = &items[i];
		struct verify_scrutin *s = &p->c->r->scrutins[it->d.scrutin - 1];
		s->proofs_checked++;
		if (it->outcome == VPROOF_OK)
			continue;
		st->failed++;
		s->proofs_failed++;
		vnote(p->c, VERIFY_DEC_PROOFS, 1, why[it->outcome], (unsigned long long)it->number,
		      (unsigned)it->d.scrutin, (unsigned long)it->d.idx);
	}
	st->checked += n;
	if (p->c->o->progress)
		p->c->o->progress(st->checked, st->sample ? st->sample : st->total,
				  p->c->o->progress_arg);
}

/* Hands the filled batch to the threads, after collecting the one before. */
static void vdec_flush(struct vdec *p)
{
	unsigned prev = p->cur ^ 1;

	if (p->running) {
		vpool_wait(p->pool);
		vdec_collect(p, p->batch[prev], p->n[prev]);
		p->running = 0;
	}
	if (p->n[p->cur] == 0)
		return;
	vpool_run(p->pool, p->batch[p->cur], p->n[p->cur]);
	p->running = 1;
	p->cur = prev;
	p->n[p->cur] = 0;
}

/* The shuffle file of scrutin index i opened (its check already said
 * whether it holds; here it only serves its OUT part, the list the box
 * decrypted). */
static void vdec_open_shuffle(struct vdec *p, unsigned i)
{
	struct vctx *c = p->c;
	struct shuffle_file_header want;
	char name[SHUFFLE_FILE_NAME_MAX];

	shuffle_file_close(p->sr);
	p->sr = NULL;
	p->sc = i;
	p->win_n = 0;
	shuffle_file_name(c->r->scrutins[i].id, name);
	memcpy(want.election_id, c->rec.election_id, 32);
	want.scrutin = c->r->scrutins[i].id;
	/* Whatever N the file has: a list of another length than the urn's
	 * inputs is the shuffle check's failure; the decryptions are checked
	 * against the list that was decrypted. */
	want.n = 0;
	err_clear();
	if (vexists(c, name) && shuffle_file_open(vpath(c, name), &want, &p->sr) != 0)
		p->sr = NULL;
}

/* A'_idx || B'_idx of the entry's scrutin into ct; 0 if there is none. */
static int vdec_ct(struct vdec *p, const struct decrypted_ballot *d, uint8_t ct[130])
{
	uint32_t k = d->idx - 1, n;

	if (p->sc != (unsigned)(d->scrutin - 1u))
		vdec_open_shuffle(p, d->scrutin - 1u);
	if (!p->sr)
		return 0;
	n = shuffle_file_header(p->sr)->n;
	if (k >= n)
		return 0;
	if (k < p->win_first || k >= p->win_first + p->win_n) {
		p->win_first = k;
		p->win_n = n - k < VDEC_CT_WIN ? n - k : VDEC_CT_WIN;
		if (shuffle_file_read(p->sr, SHUFFLE_OUT, k, p->win_n, p->win) != 0) {
			p->win_n = 0;
			return 0;
		}
	}
	memcpy(ct, p->win + (size_t)(k - p->win_first) * SHUFFLE_CT_LEN, SHUFFLE_CT_LEN);
	return 1;
}

static void vdec_queue(struct vdec *p, const struct decrypted_ballot *d)
{
	struct vproof_item *it = &p->batch[p->cur][p->n[p->cur]++];

	it->number = p->number;
	it->d = *d;
	it->has_ct = vdec_ct(p, d, it->ct);
	it->outcome = VPROOF_OK;
	if (p->n[p->cur] == p->cap)
		vdec_flush(p);
}

/* The class session/tabulate.c gives a decrypted ballot. */
static int vdec_tally(struct vdec *p, const struct decrypted_ballot *d)
{
	const struct scrutin *s = election_scrutin(p->c->e, d->scrutin);
	struct ballot_class bc;
	int ret;

	if (d->status == DECFILE_UNREADABLE)
		ret = ballot_nul(BALLOT_NUL_UNREADABLE, &bc);
	else
		ret = ballot_classify(s, d->pt, d->pt_len, &bc);
	return ret ? ret : tally_add(p->c->tallies[d->scrutin - 1], &bc);
}

static void vdec_entry(struct vdec *p, const struct decrypted_ballot *d)
{
	struct vctx *c = p->c;
	unsigned i = d->scrutin - 1u;

	p->number++;
	verify_db_decrypted(c, p->number, d);
	c->r->scrutins[i].decrypted++;
	if (c->urn_read && d->idx > c->inputs[i].n) {
		p->tally_broken = 1;
		if (p->beyond++ < VDEC_NOTES)
			vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_BEYOND, (unsigned long long)p->number,
			      (unsigned)d->scrutin, (unsigned long)d->idx,
			      (unsigned long long)c->inputs[i].n);
		return;
	}
	if (!p->tally_broken && c->tallies[i] && vdec_tally(p, d) != 0) {
		p->tally_broken = 1;
		vnote(c, VERIFY_COUNT, 1, VM_INTERNAL, vdetail());
	}
	if (vsample_take(&p->sample))
		vdec_queue(p, d);
}

static int vdec_open(struct vdec *p)
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

static int vdec_setup(struct vdec *p)
{
	struct vctx *c = p->c;
	struct verify_proofs *st = &c->r->proofs;
	uint64_t n;
	int ret = vdec_open(p);

	p->sc = ~0u;
	n = p->dr ? decfile_reader_count(p->dr) : 0;
	st->total = n;
	st->jobs = c->o->jobs ? c->o->jobs : 1;
	st->sample = c->o->sample && c->o->sample < n ? c->o->sample : 0;
	st->seed = c->o->seed;
	if (!ret && !c->o->seed_set)
		ret = verify_seed_random(&st->seed);
	vsample_init(&p->sample, n, st->sample, st->seed);
	p->cap = st->jobs < VDEC_BATCH_MAX / VDEC_BATCH_PER_JOB ? VDEC_BATCH_PER_JOB * st->jobs
								 : VDEC_BATCH_MAX;
	for (int i = 0; !ret && i < 2; i++)
		ret = (p->batch[i] = calloc(p->cap, sizeof(struct vproof_item))) ? 0 : ERR_NOMEM;
	if (!ret)
		ret = (p->win = malloc((size_t)VDEC_CT_WIN * SHUFFLE_CT_LEN)) ? 0 : ERR_NOMEM;
	if (!ret)
		ret = vpool_start(st->jobs, c->ck, c->rec.pub.pk, c->rec.election_id, &p->pool);
	return ret;
}

static void vdec_stream(struct vdec *p)
{
	struct decrypted_ballot d;
	int ret = 0;

	while (p->dr && !p->broken) {
		err_clear();
		ret = decfile_reader_next(p->dr, &d);
		if (ret == 1)
			break;
		if (ret) {
			p->broken = 1;
			vnote(p->c, VERIFY_DEC_FILE, 1, VM_DEC_INVALID, vdetail());
			break;
		}
		vdec_entry(p, &d);
	}
	vdec_flush(p);
	vdec_flush(p);
}

/* The end of the file, and each scrutin's entries against its list. */
static void vdec_end(struct vdec *p)
{
	struct vctx *c = p->c;
	uint64_t size = 0, want = 0;
	uint8_t sha[32];
	char hex[65];

	if (!p->dr || p->broken)
		return;
	err_clear();
	if (decfile_reader_finish(p->dr, sha, &size) != 0) {
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_INVALID, vdetail());
		p->broken = 1;
		return;
	}
	c->dec_count = decfile_reader_count(p->dr);
	vhash_put(c, "ballots-decrypted.bin", sha, size);
	for (unsigned i = 0; c->urn_read && i < c->r->n_scrutins; i++) {
		const struct verify_scrutin *s = &c->r->scrutins[i];
		want += c->inputs[i].n;
		if (s->decrypted != c->inputs[i].n) {
			p->tally_broken = 1;
			vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_SCRUTIN_COUNT, (unsigned)s->id,
			      (unsigned long long)s->decrypted,
			      (unsigned long long)c->inputs[i].n);
		}
	}
	if (p->beyond > VDEC_NOTES)
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_BEYOND_ALL, (unsigned long long)p->beyond);
	hex_encode(sha, 32, hex);
	vnote(c, VERIFY_DEC_FILE, 0, VM_DEC_READ, (unsigned long long)c->dec_count, hex);
	if (c->urn_read && c->dec_count != want)
		vnote(c, VERIFY_DEC_FILE, 1, VM_DEC_COUNT, (unsigned long long)c->dec_count,
		      (unsigned long long)want);
}

static void vdec_outcome(struct vdec *p, int complete)
{
	struct vctx *c = p->c;
	struct verify_proofs *st = &c->r->proofs;
	uint64_t n = st->total, ks[3] = { 1, 10, (n + 99) / 100 };

	if (!p->dr) {
		vskip(c, VERIFY_DEC_PROOFS, VM_NEEDS_DECFILE);
		return;
	}
	vnote(c, VERIFY_DEC_PROOFS, 0, VM_PROOFS_DONE, (unsigned long long)st->checked,
	      (unsigned long long)n, (unsigned long long)st->failed, st->jobs, st->seconds,
	      c->ck->name);
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

static void vdec_free(struct vdec *p)
{
	vpool_stop(p->pool);
	decfile_reader_free(p->dr);
	if (p->df)
		fclose(p->df);
	shuffle_file_close(p->sr);
	free(p->win);
	free(p->batch[0]);
	free(p->batch[1]);
}

static double vdec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void verify_decrypted(struct vctx *c)
{
	struct vdec p;
	double t0;
	int complete;

	memset(&p, 0, sizeof(p));
	p.c = c;
	if (!c->e || !c->record_ok) {
		vskip(c, VERIFY_DEC_FILE, VM_NEEDS_ELECTION);
		vskip(c, VERIFY_DEC_PROOFS, VM_NEEDS_ELECTION);
		return;
	}
	err_clear();
	if (vdec_setup(&p) != 0) {
		vnote(c, VERIFY_DEC_FILE, 1, VM_INTERNAL, vdetail());
		vdec_free(&p);
		return;
	}
	t0 = vdec_now();
	vdec_stream(&p);
	c->r->proofs.seconds = vdec_now() - t0;
	vdec_end(&p);
	complete = c->urn_read && p.dr && !p.broken;
	verify_db_pass_end(c, c->urn_read, c->urn_total, complete, c->dec_count);
	c->tally_ok = complete && !p.tally_broken;
	vdec_outcome(&p, complete);
	vdone(c, VERIFY_DEC_FILE);
	vdec_free(&p);
}
