/*
 * P-256 points through mbedTLS. Each thread keeps its own loaded group and
 * its own blinding HMAC-DRBG: the decryption threads multiply a million
 * times, so the curve is loaded once per thread rather than per call, and a
 * per-thread DRBG needs no lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/internal.h"

#define GROUP_BLIND_PERS "sceau/group-blind/v1"

struct group_tls {
	mbedtls_ecp_group grp;
	mbedtls_hmac_drbg_context blind;
	/* group_point_check's point, kept: the import checks a million points,
	 * and its limbs are then allocated once per thread, not per point. */
	mbedtls_ecp_point check;
};

static _Thread_local struct group_tls *group_tls;
static pthread_key_t group_key;
static pthread_once_t group_key_once = PTHREAD_ONCE_INIT;
static int group_key_ok;

static void group_tls_free(void *p)
{
	struct group_tls *t = p;

	mbedtls_ecp_group_free(&t->grp);
	mbedtls_ecp_point_free(&t->check);
	mbedtls_hmac_drbg_free(&t->blind); /* zeroizes the DRBG state */
	free(t);
}

/* exit() runs no key destructor: release the exiting thread's own group
 * (the others' caches are theirs; the process is going away anyway). */
static void group_tls_atexit(void)
{
	struct group_tls *t = group_tls;

	if (t == NULL)
		return;
	group_tls = NULL;
	if (group_key_ok)
		pthread_setspecific(group_key, NULL);
	group_tls_free(t);
}

/* The key's destructor releases a thread's group when the thread exits. */
static void group_key_create(void)
{
	group_key_ok = pthread_key_create(&group_key, group_tls_free) == 0;
	atexit(group_tls_atexit);
}

static int group_entropy(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	return rng_os_bytes(out, len) == 0 ? 0 : MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED;
}

static struct group_tls *group_tls_new(void)
{
	struct group_tls *t = calloc(1, sizeof(*t));
	int ret;

	if (t == NULL)
		return NULL;
	mbedtls_ecp_group_init(&t->grp);
	mbedtls_ecp_point_init(&t->check);
	mbedtls_hmac_drbg_init(&t->blind);
	ret = mbedtls_ecp_group_load(&t->grp, MBEDTLS_ECP_DP_SECP256R1);
	if (ret == 0)
		ret = mbedtls_hmac_drbg_seed(&t->blind,
					     mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
					     group_entropy, NULL,
					     (const unsigned char *)GROUP_BLIND_PERS,
					     strlen(GROUP_BLIND_PERS));
	if (ret != 0) {
		crypto_err(ret, "group setup");
		group_tls_free(t);
		return NULL;
	}
	pthread_once(&group_key_once, group_key_create);
	if (group_key_ok)
		pthread_setspecific(group_key, t);
	group_tls = t;
	return t;
}

mbedtls_ecp_group *group_grp(void)
{
	struct group_tls *t = group_tls;

	if (t == NULL)
		t = group_tls_new();
	return t != NULL ? &t->grp : NULL;
}

int group_blind_rng(void *p_rng, unsigned char *out, size_t len)
{
	struct group_tls *t = group_tls;

	(void)p_rng;
	if (t == NULL && (t = group_tls_new()) == NULL)
		return MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED;
	return mbedtls_hmac_drbg_random(&t->blind, out, len);
}

int group_point_read(const mbedtls_ecp_group *grp, mbedtls_ecp_point *pt,
		     const uint8_t in[GROUP_POINT_LEN])
{
	int ret;

	/* Only uncompressed: the prefix also rules out the point at infinity. */
	if (in[0] != 0x04) {
		err_detail("point: not SEC1 uncompressed (prefix %02x)", in[0]);
		return ERR_FORMAT;
	}
	ret = mbedtls_ecp_point_read_binary(grp, pt, in, GROUP_POINT_LEN);
	if (ret == 0)
		ret = mbedtls_ecp_check_pubkey(grp, pt); /* x, y < p, on the curve */
	if (ret == MBEDTLS_ERR_MPI_ALLOC_FAILED || ret == MBEDTLS_ERR_ECP_ALLOC_FAILED)
		return ERR_NOMEM;
	if (ret != 0) {
		err_detail("point: not on P-256");
		return ERR_FORMAT;
	}
	return 0;
}

int group_point_write(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *pt,
		      uint8_t out[GROUP_POINT_LEN])
{
	size_t olen = 0;
	int ret;

	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)pt)) {
		err_detail("point at infinity");
		return ERR_VERIFY;
	}
	ret = mbedtls_ecp_point_write_binary(grp, pt, MBEDTLS_ECP_PF_UNCOMPRESSED,
					     &olen, out, GROUP_POINT_LEN);
	if (ret != 0)
		return crypto_err(ret, "point write");
	if (olen != GROUP_POINT_LEN) {
		err_detail("point write: %zu bytes", olen);
		return ERR_INTERNAL;
	}
	return 0;
}

int group_scalar_read(const mbedtls_ecp_group *grp, mbedtls_mpi *k,
		      const uint8_t in[GROUP_SCALAR_LEN], int lo)
{
	int ret = mbedtls_mpi_read_binary(k, in, GROUP_SCALAR_LEN);

	if (ret != 0)
		return crypto_err(ret, "scalar read");
	if (mbedtls_mpi_cmp_mpi(k, &grp->N) >= 0 ||
	    (lo && mbedtls_mpi_cmp_int(k, 0) == 0)) {
		err_detail("scalar out of range");
		return ERR_RANGE;
	}
	return 0;
}

int group_point_check(const uint8_t p[GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();

	if (grp == NULL)
		return ERR_NOMEM;
	/* A public point: nothing to wipe between two checks. */
	return group_point_read(grp, &group_tls->check, p);
}

/* out = k*P, or k*G when p is NULL; constant time in k, blinded. */
static int group_mul_any(uint8_t out[GROUP_POINT_LEN], const uint8_t k[GROUP_SCALAR_LEN],
			 const uint8_t *p)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point P, R;
	mbedtls_mpi m;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&m);
	mbedtls_ecp_point_init(&P);
	mbedtls_ecp_point_init(&R);
	ret = group_scalar_read(grp, &m, k, 1);
	if (ret == 0 && p != NULL)
		ret = group_point_read(grp, &P, p);
	if (ret != 0)
		goto out;
	ret = mbedtls_ecp_mul(grp, &R, &m, p != NULL ? &P : &grp->G,
			      group_blind_rng, NULL);
	if (ret != 0) {
		ret = crypto_err(ret, "ecp_mul");
		goto out;
	}
	ret = group_point_write(grp, &R, out);
out:
	mbedtls_mpi_free(&m); /* zeroizes the scalar */
	mbedtls_ecp_point_free(&P);
	mbedtls_ecp_point_free(&R);
	return ret;
}

int group_mul_base(uint8_t out[GROUP_POINT_LEN], const uint8_t k[GROUP_SCALAR_LEN])
{
	return group_mul_any(out, k, NULL);
}

int group_mul(uint8_t out[GROUP_POINT_LEN], const uint8_t k[GROUP_SCALAR_LEN],
	      const uint8_t p[GROUP_POINT_LEN])
{
	return group_mul_any(out, k, p);
}

/*
 * out = a*P + b*Q, P = G when p is NULL. The scalars are mbedTLS integers so
 * that -1 can be passed: mbedTLS's muladd takes 0, 1 and -1 as shortcuts
 * (no multiplication), which gives addition, subtraction and negation
 * through its public API alone. Not constant time: public scalars only.
 */
static int group_combine(uint8_t out[GROUP_POINT_LEN], const mbedtls_mpi *a,
			 const uint8_t *p, const mbedtls_mpi *b,
			 const uint8_t q[GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point P, Q, R;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_ecp_point_init(&P);
	mbedtls_ecp_point_init(&Q);
	mbedtls_ecp_point_init(&R);
	if ((p != NULL && (ret = group_point_read(grp, &P, p)) != 0) ||
	    (ret = group_point_read(grp, &Q, q)) != 0)
		goto out;
	ret = mbedtls_ecp_muladd(grp, &R, a, p != NULL ? &P : &grp->G, b, &Q);
	if (ret != 0) {
		ret = crypto_err(ret, "ecp_muladd");
		goto out;
	}
	ret = group_point_write(grp, &R, out);
out:
	mbedtls_ecp_point_free(&P);
	mbedtls_ecp_point_free(&Q);
	mbedtls_ecp_point_free(&R);
	return ret;
}

/* group_combine with 32-byte scalars, each in [0, n-1]. */
static int group_combine_bytes(uint8_t out[GROUP_POINT_LEN], const uint8_t a[GROUP_SCALAR_LEN],
			       const uint8_t *p, const uint8_t b[GROUP_SCALAR_LEN],
			       const uint8_t q[GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi ma, mb;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&ma);
	mbedtls_mpi_init(&mb);
	if ((ret = group_scalar_read(grp, &ma, a, 0)) == 0 &&
	    (ret = group_scalar_read(grp, &mb, b, 0)) == 0)
		ret = group_combine(out, &ma, p, &mb, q);
	mbedtls_mpi_free(&ma);
	mbedtls_mpi_free(&mb);
	return ret;
}

int group_muladd(uint8_t out[GROUP_POINT_LEN], const uint8_t a[GROUP_SCALAR_LEN],
		 const uint8_t p[GROUP_POINT_LEN], const uint8_t b[GROUP_SCALAR_LEN],
		 const uint8_t q[GROUP_POINT_LEN])
{
	return group_combine_bytes(out, a, p, b, q);
}

int group_muladd_base(uint8_t out[GROUP_POINT_LEN], const uint8_t a[GROUP_SCALAR_LEN],
		      const uint8_t b[GROUP_SCALAR_LEN], const uint8_t q[GROUP_POINT_LEN])
{
	return group_combine_bytes(out, a, NULL, b, q);
}

/* out = u*P + v*Q for small signed u, v (the shortcuts 0, 1, -1). */
static int group_combine_small(uint8_t out[GROUP_POINT_LEN], int u,
			       const uint8_t p[GROUP_POINT_LEN], int v,
			       const uint8_t q[GROUP_POINT_LEN])
{
	mbedtls_mpi mu, mv;
	int ret;

	mbedtls_mpi_init(&mu);
	mbedtls_mpi_init(&mv);
	if ((ret = mbedtls_mpi_lset(&mu, u)) != 0 || (ret = mbedtls_mpi_lset(&mv, v)) != 0)
		ret = crypto_err(ret, "mpi_lset");
	else
		ret = group_combine(out, &mu, p, &mv, q);
	mbedtls_mpi_free(&mu);
	mbedtls_mpi_free(&mv);
	return ret;
}

int group_add(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN],
	      const uint8_t q[GROUP_POINT_LEN])
{
	return group_combine_small(out, 1, p, 1, q);
}

int group_sub(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN],
	      const uint8_t q[GROUP_POINT_LEN])
{
	return group_combine_small(out, 1, p, -1, q);
}

int group_neg(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN])
{
	/* -P + 0*P: the zero term costs a point check, no multiplication. */
	return group_combine_small(out, -1, p, 0, p);
}

void group_point_x(const uint8_t p[GROUP_POINT_LEN], uint8_t x[32])
{
	memcpy(x, p + 1, 32);
}

/* Loop body of the benchmark, kept apart so that the setup is not timed twice. */
static int group_bench_loop(mbedtls_ecp_group *grp, unsigned count,
			    const mbedtls_mpi *k, const mbedtls_ecp_point *P)
{
	mbedtls_ecp_point R;
	int ret = 0;
	unsigned i;

	mbedtls_ecp_point_init(&R);
	for (i = 0; i < count && ret == 0; i++)
		ret = mbedtls_ecp_mul(grp, &R, k, P, group_blind_rng, NULL);
	mbedtls_ecp_point_free(&R);
	return ret != 0 ? crypto_err(ret, "ecp_mul") : 0;
}

int group_bench_raw(unsigned count, int base)
{
	/* Arbitrary fixed scalar below n; the multiplication is constant time. */
	static const uint8_t kb[32] = {
		0x5a, 0x17, 0x3c, 0x9e, 0x21, 0x44, 0xd0, 0x6b, 0x88, 0x13, 0x7f,
		0x02, 0xc4, 0x59, 0xe6, 0x31, 0x0d, 0xab, 0x72, 0x4e, 0x95, 0x38,
		0xf1, 0x66, 0x2c, 0xb7, 0x80, 0x1a, 0xd3, 0x47, 0x5e, 0x09,
	};
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point P;
	mbedtls_mpi k;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&k);
	mbedtls_ecp_point_init(&P);
	ret = mbedtls_mpi_read_binary(&k, kb, sizeof(kb));
	/* A variable base that is not G, so that mbedTLS builds its table. */
	if (ret == 0 && !base)
		ret = mbedtls_ecp_mul(grp, &P, &k, &grp->G, group_blind_rng, NULL);
	if (ret != 0) {
		ret = crypto_err(ret, "bench setup");
		goto out;
	}
	ret = group_bench_loop(grp, count, &k, base ? &grp->G : &P);
out:
	mbedtls_mpi_free(&k);
	mbedtls_ecp_point_free(&P);
	return ret;
}

int group_bench_codec(unsigned count)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point P;
	uint8_t buf[GROUP_POINT_LEN];
	int ret;
	unsigned i;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_ecp_point_init(&P);
	ret = group_point_write(grp, &grp->G, buf);
	for (i = 0; i < count && ret == 0; i++) {
		ret = group_point_read(grp, &P, buf);
		if (ret == 0)
			ret = group_point_write(grp, &P, buf);
	}
	mbedtls_ecp_point_free(&P);
	return ret;
}
