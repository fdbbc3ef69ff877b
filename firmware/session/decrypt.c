/* Parallel decryption and proof of the ballots; see decrypt.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/decrypt.h"
#include "lib/err.h"
#include "lib/fault.h"
#include "lib/pool.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/secmem.h"
#include "format/urn.h"
#include "store/store.h"

struct dec_item {
	struct decrypted_ballot out;
	uint8_t R[65];
	uint8_t ct[BALLOT_PT_MAX + BALLOT_TAG_LEN];
	size_t ct_len;
	int err;
	char detail[128]; /* the worker thread's err_detail when err != 0 */
};

struct dec_pool {
	const struct decrypt_job *job;
	struct dec_item *items;
	unsigned n_items;
	struct pool *threads;
};

/* One ballot: S = sR and the plaintext if the tag verifies; the proof
 * covers S either way, so a ballot that does not open is still proven. */
static void dec_one(const struct decrypt_job *j, struct dec_item *it)
{
	struct decrypted_ballot *d = &it->out;
	int ret;

	err_clear();
	ret = ballot_open(j->secret, j->election_id, d->scrutin, it->R, it->ct, it->ct_len,
			  d->pt, d->S);
	d->opened = ret == 0;
	d->pt_len = ret == 0 ? it->ct_len - BALLOT_TAG_LEN : 0;
	if (ret && ret != ERR_VERIFY) {
		it->err = ret;
	} else {
		if (!d->opened)
			secmem_wipe(d->pt, sizeof(d->pt));
		it->err = j->proofs ? dleq_prove(j->secret, j->pk, it->R, d->S, d->tracker,
						 d->proof)
				    : 0;
	}
	/* err_detail is per thread: keep it for the thread that reports. */
	if (it->err)
		snprintf(it->detail, sizeof(it->detail), "%s", err_last_detail());
}

static void dec_item_fn(void *arg, unsigned i)
{
	struct dec_pool *p = arg;

	dec_one(p->job, &p->items[i]);
}

static void dec_batch(struct dec_pool *p)
{
	pool_run(p->threads, p->n_items);
	pool_wait(p->threads);
}

static int dec_load(uint64_t seq, uint16_t scrutin, const uint8_t *tracker,
		    const uint8_t *record, size_t len, void *arg)
{
	struct dec_pool *p = arg;
	struct dec_item *it = &p->items[p->n_items];

	if (len < 67 + BALLOT_TAG_LEN || len > URN_RECORD_MAX) {
		err_detail("ballot %llu: malformed record in the session",
			   (unsigned long long)seq);
		return ERR_FORMAT;
	}
	memset(&it->out, 0, sizeof(it->out));
	it->out.seq = seq;
	it->out.scrutin = scrutin;
	memcpy(it->out.tracker, tracker, 32);
	memcpy(it->R, record + 2, 65);
	it->ct_len = len - 67;
	memcpy(it->ct, record + 67, it->ct_len);
	it->err = 0;
	it->detail[0] = '\0';
	p->n_items++;
	return 0;
}

/* Writes a batch in seq order, in one transaction. */
static int dec_store(struct dec_pool *p)
{
	struct store *db = p->job->db;
	int ret = store_begin(db);

	for (unsigned i = 0; !ret && i < p->n_items; i++) {
		ret = p->items[i].err;
		if (ret)
			err_detail("ballot %llu: decryption failed%s%s",
				   (unsigned long long)p->items[i].out.seq,
				   p->items[i].detail[0] ? ": " : "", p->items[i].detail);
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

static int dec_loop(struct dec_pool *p, unsigned batch, uint64_t *done)
{
	const struct decrypt_job *j = p->job;
	uint64_t last = 0;
	unsigned n = 0;
	int ret = store_decrypted_last(j->db, &last);

	*done = last ? last : 0;
	while (!ret) {
		ret = j->check ? j->check(j->check_arg) : 0;
		if (ret)
			break;
		p->n_items = 0;
		ret = store_ballots_read(j->db, last, batch, dec_load, p, &n);
		if (ret || n == 0)
			break;
		dec_batch(p);
		ret = dec_store(p);
		last = p->items[p->n_items - 1].out.seq;
		*done += n;
		if (!ret && j->progress)
			j->progress(*done, j->total, j->progress_arg);
	}
	return ret;
}

int decrypt_run(const struct decrypt_job *j, uint64_t *done, unsigned *threads)
{
	struct dec_pool p = { .job = j };
	unsigned batch = DECRYPT_BATCH_PER_JOB * (j->jobs ? j->jobs : 1);
	int ret = pool_start(j->jobs, dec_item_fn, &p, &p.threads);

	*threads = 0;
	if (ret)
		return ret;
	*threads = pool_threads(p.threads);
	/* Plaintexts are secret until counted: the batch lives in locked memory. */
	p.items = secmem_alloc(batch * sizeof(*p.items));
	ret = p.items ? dec_loop(&p, batch, done) : ERR_NOMEM;
	pool_stop(p.threads);
	secmem_free(p.items, batch * sizeof(*p.items));
	return ret;
}
