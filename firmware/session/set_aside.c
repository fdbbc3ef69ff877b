/* The set-aside decisions of the import; see set_aside.h. */
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "lib/err.h"
#include "lib/fpset.h"
#include "session/set_aside.h"

#define SA_KEY_LEN 32

struct set_aside {
	struct fpset *seen;
	uint8_t key[SA_KEY_LEN];
	const uint8_t *A;  /* the ballot being looked up */
	int (*read_A)(uint64_t seq, uint8_t A[65], void *arg);
	void *arg;
};

int set_aside_new(uint64_t total, struct set_aside **out)
{
	struct set_aside *sa = calloc(1, sizeof(*sa));
	struct rng *r = NULL;
	int ret = sa ? fpset_new(total, &sa->seen) : ERR_NOMEM;

	*out = NULL;
	/* The key only spreads the fingerprints: that it is secret keeps
	 * anyone from choosing A's that pile up in one slot of the set. */
	if (!ret)
		ret = rng_new(&r, "sceau/import/fingerprints", NULL);
	if (!ret)
		ret = rng_bytes(r, sa->key, sizeof(sa->key));
	rng_free(r);
	if (ret) {
		set_aside_free(sa);
		return ret;
	}
	*out = sa;
	return 0;
}

void set_aside_free(struct set_aside *sa)
{
	if (!sa)
		return;
	fpset_free(sa->seen);
	secmem_wipe(sa->key, sizeof(sa->key));
	free(sa);
}

/* The earlier ballot id, read back: the same A, byte for byte? */
static int sa_confirm(uint32_t id, void *arg)
{
	struct set_aside *sa = arg;
	uint8_t A[65];
	int ret = sa->read_A(id, A, sa->arg);

	return ret ? ret : memcmp(A, sa->A, sizeof(A)) == 0;
}

int set_aside_ballot(struct set_aside *sa, uint64_t seq, const uint8_t A[65], int proof_ok,
		     int (*read_A)(uint64_t seq, uint8_t A[65], void *arg), void *arg,
		     const char **reason)
{
	uint8_t mac[HASH_LEN];
	uint64_t fp = 0;
	uint32_t found = 0;
	int ret;

	*reason = NULL;
	if (!proof_ok) { /* never an "earlier ballot" for the duplicates */
		*reason = SET_ASIDE_PROOF;
		return 0;
	}
	if (seq == 0 || seq > UINT32_MAX)
		return ERR_RANGE;
	ret = hmac_sha256(sa->key, sizeof(sa->key), A, 65, mac);
	for (int i = 0; !ret && i < 8; i++)
		fp = fp << 8 | mac[i];
	sa->A = A;
	sa->read_A = read_A;
	sa->arg = arg;
	if (!ret)
		ret = fpset_find_or_add(sa->seen, fp, (uint32_t)seq, sa_confirm, sa, &found);
	if (!ret && found)
		*reason = SET_ASIDE_DUPLICATE;
	return ret;
}
