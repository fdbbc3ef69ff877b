/* Ordered batches across worker threads; see batch.h. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/batch.h"
#include "lib/err.h"
#include "lib/pool.h"

#define BATCH_JOBS_MAX 16

/* Batch number seq lives in ring[seq % nring]; seq counts from 0. */
struct batch_ring {
	unsigned char *items;
	unsigned count;
	int done;
};

struct batch {
	size_t item_size;
	unsigned per, jobs, nring;
	batch_work_fn work;
	batch_deliver_fn deliver;
	void *arg;
	struct batch_ring *ring;
	uint64_t filling;   /* the batch being filled */
	uint64_t taken;     /* batches handed to a worker */
	uint64_t delivered; /* batches given back to the caller */
	int err, quit;
	pthread_mutex_t mu;
	pthread_cond_t more, done;
	pthread_t th[BATCH_JOBS_MAX];
	unsigned nth;
};

static void *batch_worker(void *p)
{
	struct batch *b = p;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		struct batch_ring *r;
		while (!b->quit && b->taken == b->filling)
			pthread_cond_wait(&b->more, &b->mu);
		if (b->quit)
			break;
		r = &b->ring[b->taken++ % b->nring];
		pthread_mutex_unlock(&b->mu);
		for (unsigned i = 0; i < r->count; i++)
			b->work(r->items + (size_t)i * b->item_size, b->arg);
		pthread_mutex_lock(&b->mu);
		r->done = 1;
		pthread_cond_broadcast(&b->done);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int batch_new(size_t item_size, unsigned items_per_batch, unsigned jobs,
	      batch_work_fn work, batch_deliver_fn deliver, void *arg, struct batch **out)
{
	struct batch *b = calloc(1, sizeof(*b));
	pthread_attr_t attr;

	*out = NULL;
	if (!b)
		return ERR_NOMEM;
	b->item_size = item_size;
	b->jobs = jobs > BATCH_JOBS_MAX ? BATCH_JOBS_MAX : jobs;
	b->per = b->jobs ? items_per_batch : 1;
	b->nring = b->jobs ? b->jobs + 2 : 1;
	b->work = work;
	b->deliver = deliver;
	b->arg = arg;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->more, NULL);
	pthread_cond_init(&b->done, NULL);
	b->ring = calloc(b->nring, sizeof(*b->ring));
	for (unsigned i = 0; b->ring && i < b->nring; i++)
		if (!(b->ring[i].items = malloc(b->per * item_size)))
			goto fail;
	if (!b->ring)
		goto fail;
	if (pthread_attr_init(&attr) != 0)
		goto fail;
	pthread_attr_setstacksize(&attr, POOL_STACK /* small: see pool.h */);
	for (; b->nth < b->jobs; b->nth++)
		if (pthread_create(&b->th[b->nth], &attr, batch_worker, b) != 0)
			break;
	pthread_attr_destroy(&attr);
	if (b->nth < b->jobs)
		goto fail;
	*out = b;
	return 0;
fail:
	batch_free(b);
	return ERR_NOMEM;
}

/* Waits for the oldest batch in flight and hands its items to deliver(). */
static int batch_deliver_oldest(struct batch *b)
{
	struct batch_ring *r = &b->ring[b->delivered % b->nring];

	pthread_mutex_lock(&b->mu);
	while (!r->done)
		pthread_cond_wait(&b->done, &b->mu);
	pthread_mutex_unlock(&b->mu);
	for (unsigned i = 0; !b->err && i < r->count; i++)
		b->err = b->deliver(r->items + (size_t)i * b->item_size, b->arg);
	r->count = 0;
	r->done = 0;
	b->delivered++;
	return b->err;
}

void *batch_slot(struct batch *b, int *err)
{
	struct batch_ring *r;

	/* A new batch may only take a ring entry once its last use is delivered. */
	while (!b->err && b->filling - b->delivered >= b->nring)
		batch_deliver_oldest(b);
	*err = b->err;
	if (b->err)
		return NULL;
	r = &b->ring[b->filling % b->nring];
	return r->items + (size_t)r->count * b->item_size;
}

static void batch_submit(struct batch *b)
{
	pthread_mutex_lock(&b->mu);
	b->filling++;
	pthread_cond_signal(&b->more);
	pthread_mutex_unlock(&b->mu);
}

int batch_push(struct batch *b)
{
	struct batch_ring *r = &b->ring[b->filling % b->nring];
	void *item = r->items + (size_t)r->count * b->item_size;

	if (b->err)
		return b->err;
	if (!b->jobs) {
		b->work(item, b->arg);
		return b->err = b->deliver(item, b->arg);
	}
	if (++r->count == b->per)
		batch_submit(b);
	return 0;
}

int batch_drain(struct batch *b)
{
	/* A batch is open only if the ring is not full of batches in flight
	 * (a full ring's next entry is the oldest, still out). */
	if (b->jobs && b->filling - b->delivered < b->nring &&
	    b->ring[b->filling % b->nring].count > 0)
		batch_submit(b);
	while (!b->err && b->delivered < b->filling)
		batch_deliver_oldest(b);
	return b->err;
}

int batch_frame_error(struct batch *b, int ret)
{
	struct err_saved e;
	int dret;

	err_save(&e); /* both texts: the bureau reads the translated one */
	dret = batch_drain(b);
	if (dret)
		return dret;
	err_restore(&e);
	return ret;
}

void batch_free(struct batch *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->quit = 1;
	pthread_cond_broadcast(&b->more);
	pthread_mutex_unlock(&b->mu);
	for (unsigned i = 0; i < b->nth; i++)
		pthread_join(b->th[i], NULL);
	for (unsigned i = 0; b->ring && i < b->nring; i++)
		free(b->ring[i].items);
	free(b->ring);
	pthread_cond_destroy(&b->more);
	pthread_cond_destroy(&b->done);
	pthread_mutex_destroy(&b->mu);
	free(b);
}
