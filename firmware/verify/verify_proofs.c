/* Parallel checking of decryption proofs; see verify_proofs.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "crypto/dleq.h"
#include "verify/verify_proofs.h"

void verify_proof_one(const uint8_t pk[65], const uint8_t election_id[32],
		      struct vproof_item *it)
{
	const struct store_decrypted *d = &it->d;
	uint8_t pt[BALLOT_PT_MAX];
	int ret = dleq_verify(pk, it->R, d->S, d->proof);

	if (ret) {
		it->outcome = ret == ERR_VERIFY || ret == ERR_FORMAT ? VPROOF_BAD_PROOF
								     : VPROOF_ERROR;
		return;
	}
	ret = ballot_open_point(d->S, election_id, d->scrutin, it->R, it->ct, it->ct_len, pt);
	if (ret && ret != ERR_VERIFY)
		it->outcome = VPROOF_ERROR;
	else if ((ret == 0) != (d->opened != 0))
		it->outcome = VPROOF_OPENED;
	else if (ret == 0 && (d->pt_len != it->ct_len - BALLOT_TAG_LEN ||
			      memcmp(pt, d->pt, d->pt_len) != 0))
		it->outcome = VPROOF_PLAINTEXT;
	else
		it->outcome = VPROOF_OK;
}

struct vpool {
	const uint8_t *pk, *eid;
	uint8_t pk_buf[65], eid_buf[32];
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned gen, running, n_threads, started;
	int quit;
	struct vproof_item *items;
	unsigned n_items;
	atomic_uint next;
	pthread_t *threads;
};

static void *vpool_thread(void *arg)
{
	struct vpool *p = arg;
	unsigned seen = 0, i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		seen = p->gen;
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);
		while ((i = atomic_fetch_add(&p->next, 1)) < p->n_items)
			verify_proof_one(p->pk, p->eid, &p->items[i]);
		pthread_mutex_lock(&p->mu);
		if (--p->running == 0)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

void vpool_run(struct vpool *p, struct vproof_item *items, unsigned n)
{
	pthread_mutex_lock(&p->mu);
	p->items = items;
	p->n_items = n;
	atomic_store(&p->next, 0);
	p->running = p->started;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

void vpool_wait(struct vpool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->running > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void vpool_stop(struct vpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int vpool_start(unsigned jobs, const uint8_t pk[65], const uint8_t election_id[32],
		struct vpool **out)
{
	struct vpool *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return ERR_NOMEM;
	memcpy(p->pk_buf, pk, 65);
	memcpy(p->eid_buf, election_id, 32);
	p->pk = p->pk_buf;
	p->eid = p->eid_buf;
	p->n_threads = jobs ? jobs : 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	p->threads = calloc(p->n_threads, sizeof(*p->threads));
	for (; p->threads && p->started < p->n_threads; p->started++)
		if (pthread_create(&p->threads[p->started], NULL, vpool_thread, p) != 0)
			break;
	if (p->started == 0) {
		err_detail("cannot start a verification thread");
		vpool_stop(p);
		return ERR_NOMEM;
	}
	*out = p;
	return 0;
}
