/* Parallel checking of decryption proofs; see verify_proofs.h. */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/pool.h"
#include "crypto/dleq.h"
#include "verify/verify_proofs.h"

void verify_proof_one(const struct crypto_checks *ck, const uint8_t pk[65],
		      const uint8_t election_id[32], struct vproof_item *it)
{
	const struct decrypted_ballot *d = &it->d;
	const uint8_t *A = it->ct, *B = it->ct + 65;
	struct dleq2_statement st = { pk, election_id, d->scrutin, A, B, d->S };
	uint8_t pt[PTENC_PT_MAX];
	int ret;

	if (!it->has_ct) {
		it->outcome = VPROOF_NO_CT;
		return;
	}
	ret = ck->dleq_verify(&st, d->proof);
	if (ret) {
		it->outcome = ret == ERR_VERIFY || ret == ERR_FORMAT ? VPROOF_BAD_PROOF
								     : VPROOF_ERROR;
		return;
	}
	ret = ck->open_point(d->S, B, d->pt_len, pt);
	if (ret && ret != ERR_VERIFY)
		it->outcome = VPROOF_ERROR;
	else if ((ret == 0) != (d->status == DECFILE_READ))
		it->outcome = VPROOF_OPENED;
	else if (ret == 0 && memcmp(pt, d->pt, d->pt_len) != 0)
		it->outcome = VPROOF_PLAINTEXT;
	else
		it->outcome = VPROOF_OK;
}

struct vpool {
	const struct crypto_checks *ck;
	uint8_t pk[65], eid[32];
	struct vproof_item *items;
	struct pool *threads;
};

static void vpool_item_fn(void *arg, unsigned i)
{
	struct vpool *p = arg;

	verify_proof_one(p->ck, p->pk, p->eid, &p->items[i]);
}

void vpool_run(struct vpool *p, struct vproof_item *items, unsigned n)
{
	p->items = items;
	pool_run(p->threads, n);
}

void vpool_wait(struct vpool *p)
{
	pool_wait(p->threads);
}

void vpool_stop(struct vpool *p)
{
	if (!p)
		return;
	pool_stop(p->threads);
	free(p);
}

int vpool_start(unsigned jobs, const struct crypto_checks *ck, const uint8_t pk[65],
		const uint8_t election_id[32], struct vpool **out)
{
	struct vpool *p = calloc(1, sizeof(*p));
	int ret;

	*out = NULL;
	if (!p)
		return ERR_NOMEM;
	p->ck = ck;
	memcpy(p->pk, pk, 65);
	memcpy(p->eid, election_id, 32);
	ret = pool_start(jobs, vpool_item_fn, p, &p->threads);
	if (ret) {
		free(p);
		return ret;
	}
	*out = p;
	return 0;
}
