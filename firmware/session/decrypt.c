/* Parallel decryption and proof of the shuffled lists; see decrypt.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/decrypt.h"
#include "lib/err.h"
#include "lib/fault.h"
#include "lib/pool.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/secmem.h"
#include "format/shuffle_file.h"
#include "store/store.h"

struct dec_item {
	struct decrypted_ballot out;
	uint8_t ct[SHUFFLE_CT_LEN];  /* A' || B' */
	int err;
	char detail[128]; /* the worker thread's err_detail when err != 0 */
};

struct dec_pool {
	const struct decrypt_job *job;
	struct dec_item *items;
	unsigned n_items, cap;
	struct pool *threads;
};

/* One ciphertext: S = sA', M = B' - S decoded (or unreadable); the proof
 * covers S either way, so an unreadable ballot is proven too. */
static void dec_one(const struct decrypt_job *j, struct dec_item *it)
{
	struct decrypted_ballot *d = &it->out;
	const uint8_t *A = it->ct, *B = it->ct + GROUP_POINT_LEN;
	struct dleq2_statement st = { j->pk, j->e->id, d->scrutin, A, B, d->S };
	int ret;

	err_clear();
	ret = ballot2_open(j->secret, A, B, d->pt_len, d->S, d->pt);
	d->status = ret == 0 ? DECFILE_READ : DECFILE_UNREADABLE;
	if (ret == ERR_VERIFY) {
		secmem_wipe(d->pt, sizeof(d->pt));
		ret = 0;
	}
	if (!ret && j->proofs)
		ret = dleq2_prove(j->secret, &st, d->proof);
	it->err = ret;
	/* err_detail is per thread: keep it for the thread that reports. */
	if (it->err)
		snprintf(it->detail, sizeof(it->detail), "%s", err_last_detail());
}

static void dec_item_fn(void *arg, unsigned i)
{
	struct dec_pool *p = arg;

	dec_one(p->job, &p->items[i]);
}

/* Positions first .. first + n - 1 of the list, read from its file. */
static int dec_load(struct dec_pool *p, struct shuffle_file_reader *r, uint16_t scrutin,
		    size_t pt_len, uint32_t first, unsigned n)
{
	uint8_t buf[64 * SHUFFLE_CT_LEN];
	int ret = 0;

	p->n_items = 0;
	for (unsigned k = 0; !ret && k < n; k += 64) {
		unsigned m = n - k < 64 ? n - k : 64;
		ret = shuffle_file_read(r, SHUFFLE_OUT, first - 1 + k, m, buf);
		for (unsigned i = 0; !ret && i < m; i++) {
			struct dec_item *it = &p->items[p->n_items++];
			memset(&it->out, 0, sizeof(it->out));
			it->out.scrutin = scrutin;
			it->out.idx = first + k + i;
			it->out.pt_len = pt_len;
			memcpy(it->ct, buf + (size_t)i * SHUFFLE_CT_LEN, SHUFFLE_CT_LEN);
			it->err = 0;
			it->detail[0] = '\0';
		}
	}
	return ret;
}

/* Writes a batch in (scrutin, idx) order, in one transaction. */
static int dec_store(struct dec_pool *p)
{
	struct store *db = p->job->db;
	int ret = store_begin(db);

	for (unsigned i = 0; !ret && i < p->n_items; i++) {
		ret = p->items[i].err;
		if (ret) /* the position in the shuffled list ties to no ballot of the urn */
			err_detail("scrutin %u, ballot %u of the shuffled list: decryption "
				   "failed%s%s", p->items[i].out.scrutin,
				   (unsigned)p->items[i].out.idx, p->items[i].detail[0] ? ": " : "",
				   p->items[i].detail);
		else
			ret = store_decrypted_add(db, &p->items[i].out);
	}
	if (ret) {
		store_rollback(db);
		return ret;
	}
	fault_point("decrypt:batch:before-commit");
	ret = store_commit(db);
	if (!ret)
		fault_point("decrypt:batch:after-commit");
	return ret;
}

/* One scrutin's list, from where a previous run stopped. */
static int dec_list(struct dec_pool *p, const struct decrypt_list *l, uint64_t *done)
{
	const struct decrypt_job *j = p->job;
	const struct scrutin *s = election_scrutin(j->e, l->scrutin);
	struct shuffle_file_header want = { { 0 }, l->scrutin, l->n };
	struct shuffle_file_reader *r = NULL;
	uint32_t last = 0;
	int ret = s ? store_decrypted_last(j->db, l->scrutin, &last) : ERR_INTERNAL;

	memcpy(want.election_id, j->e->id, 32);
	if (!ret && last > l->n) {
		err_detail("scrutin %u: %u ballots decrypted, its list has %u", l->scrutin,
			   (unsigned)last, (unsigned)l->n);
		ret = ERR_FORMAT;
	}
	if (!ret && last < l->n)
		ret = shuffle_file_open(l->path, &want, &r);
	while (!ret && last < l->n) {
		unsigned n = l->n - last < p->cap ? l->n - last : p->cap;
		ret = j->check ? j->check(j->check_arg) : 0;
		if (!ret)
			ret = dec_load(p, r, l->scrutin, s->pt_len, last + 1, n);
		if (ret)
			break;
		pool_run(p->threads, p->n_items);
		pool_wait(p->threads);
		ret = dec_store(p);
		if (ret)
			break;
		last += n;
		*done += n;
		if (j->progress)
			j->progress(*done, j->total, j->progress_arg);
	}
	shuffle_file_close(r);
	return ret;
}

static int dec_loop(struct dec_pool *p, uint64_t *done)
{
	const struct decrypt_job *j = p->job;
	int ret = 0;

	*done = 0;
	for (unsigned i = 0; !ret && i < j->n_lists; i++) {
		uint32_t last = 0;
		ret = store_decrypted_last(j->db, j->lists[i].scrutin, &last);
		*done += last;
	}
	for (unsigned i = 0; !ret && i < j->n_lists; i++)
		ret = dec_list(p, &j->lists[i], done);
	return ret;
}

int decrypt_run(const struct decrypt_job *j, uint64_t *done, unsigned *threads)
{
	struct dec_pool p = { .job = j };
	int ret = pool_start(j->jobs, dec_item_fn, &p, &p.threads);

	*threads = 0;
	*done = 0;
	if (ret)
		return ret;
	*threads = pool_threads(p.threads);
	p.cap = DECRYPT_BATCH_PER_JOB * (j->jobs ? j->jobs : 1);
	/* Plaintexts are secret until counted: the batch lives in locked memory. */
	p.items = secmem_alloc(p.cap * sizeof(*p.items));
	ret = p.items ? dec_loop(&p, done) : ERR_NOMEM;
	pool_stop(p.threads);
	secmem_free(p.items, p.cap * sizeof(*p.items));
	return ret;
}
