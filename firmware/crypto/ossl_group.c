/*
 * P-256 on OpenSSL's libcrypto for the second implementation of the v2
 * checks (ossl_int.h): per-thread objects, points, scalars, the tagged hash
 * over EVP, and multi-scalar sums. Each thread keeps its own group and
 * BN_CTX, loaded once (a verifier checks millions of points).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/ossl.h"
#include "crypto/ossl_int.h"

static _Thread_local struct ossl_tls *ossl_tls_cur;
static pthread_key_t ossl_key;
static pthread_once_t ossl_key_once = PTHREAD_ONCE_INIT;
static int ossl_key_ok;

int ossl_err(const char *what)
{
	unsigned long e = ERR_peek_error();
	char text[128] = "no detail";

	if (e != 0)
		ERR_error_string_n(e, text, sizeof(text));
	ERR_clear_error();
	err_detail("%s: OpenSSL: %s", what, text);
	return ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE ? ERR_NOMEM : ERR_CRYPTO;
}

static void ossl_tls_free(void *p)
{
	struct ossl_tls *t = p;

	ossl_swu_free(&t->swu);
	BN_free(t->p);
	EVP_MD_CTX_free(t->md);
	EVP_MD_free(t->sha);
	BN_CTX_free(t->bn);
	EC_GROUP_free(t->grp);
	free(t);
}

/* exit() runs no key destructor: the exiting thread's own objects go here
 * (registered after OpenSSL's first use, so this runs before OpenSSL's
 * own clean-up at exit). */
static void ossl_tls_atexit(void)
{
	struct ossl_tls *t = ossl_tls_cur;

	if (t == NULL)
		return;
	ossl_tls_cur = NULL;
	if (ossl_key_ok)
		pthread_setspecific(ossl_key, NULL);
	ossl_tls_free(t);
}

static void ossl_key_create(void)
{
	ossl_key_ok = pthread_key_create(&ossl_key, ossl_tls_free) == 0;
	atexit(ossl_tls_atexit);
}

static int ossl_tls_load(struct ossl_tls *t)
{
	t->grp = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	t->bn = BN_CTX_new();
	t->sha = EVP_MD_fetch(NULL, "SHA256", NULL);
	t->md = EVP_MD_CTX_new();
	t->p = BN_new();
	if (t->grp == NULL || t->bn == NULL || t->sha == NULL || t->md == NULL || t->p == NULL ||
	    !EC_GROUP_get_curve(t->grp, t->p, NULL, NULL, t->bn))
		return ossl_err("P-256 setup");
	t->n = EC_GROUP_get0_order(t->grp);
	return ossl_swu_init(t);
}

struct ossl_tls *ossl_tls(void)
{
	struct ossl_tls *t = ossl_tls_cur;

	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		err_detail("OpenSSL: no memory for the thread's group");
		return NULL;
	}
	if (ossl_tls_load(t) != 0) {
		ossl_tls_free(t);
		return NULL;
	}
	pthread_once(&ossl_key_once, ossl_key_create);
	if (ossl_key_ok)
		pthread_setspecific(ossl_key, t);
	ossl_tls_cur = t;
	return t;
}

/* --- points and scalars ------------------------------------------------------ */

int ossl_point_read(struct ossl_tls *t, EC_POINT *P, const uint8_t in[GROUP_POINT_LEN],
		    const char *what)
{
	BIGNUM *x, *y;
	int ret = ERR_FORMAT;

	if (in[0] != 0x04) { /* also rules out the one-byte encoding of infinity */
		err_detail("%s: not a SEC1 uncompressed point (prefix %02x)", what, in[0]);
		return ERR_FORMAT;
	}
	BN_CTX_start(t->bn);
	x = BN_CTX_get(t->bn);
	y = BN_CTX_get(t->bn);
	if (y == NULL || !BN_bin2bn(in + 1, 32, x) || !BN_bin2bn(in + 33, 32, y)) {
		ret = ossl_err(what);
		goto out;
	}
	/* OpenSSL would reduce a coordinate >= p: the encoding is then not ours */
	if (BN_ucmp(x, t->p) >= 0 || BN_ucmp(y, t->p) >= 0 ||
	    !EC_POINT_set_affine_coordinates(t->grp, P, x, y, t->bn) ||
	    EC_POINT_is_on_curve(t->grp, P, t->bn) != 1) {
		ERR_clear_error();
		err_detail("%s: not a point of P-256", what);
		goto out;
	}
	ret = 0;
out:
	BN_CTX_end(t->bn);
	return ret;
}

int ossl_point_write(struct ossl_tls *t, const EC_POINT *P, uint8_t out[GROUP_POINT_LEN])
{
	if (EC_POINT_is_at_infinity(t->grp, P)) {
		err_detail("point at infinity");
		return ERR_VERIFY;
	}
	if (EC_POINT_point2oct(t->grp, P, POINT_CONVERSION_UNCOMPRESSED, out, GROUP_POINT_LEN,
			       t->bn) != GROUP_POINT_LEN)
		return ossl_err("point write");
	return 0;
}

int ossl_scalar_read(struct ossl_tls *t, BIGNUM *k, const uint8_t in[GROUP_SCALAR_LEN],
		     const char *what)
{
	if (!BN_bin2bn(in, GROUP_SCALAR_LEN, k))
		return ossl_err(what);
	if (BN_cmp(k, t->n) >= 0) {
		err_detail("%s: not below n", what);
		return ERR_FORMAT;
	}
	return 0;
}

int ossl_scalar_neg(struct ossl_tls *t, BIGNUM *r, const BIGNUM *k)
{
	if (BN_is_zero(k)) {
		BN_zero(r);
		return 0;
	}
	return BN_sub(r, t->n, k) ? 0 : ossl_err("scalar");
}

/* --- the tagged hash ------------------------------------------------------------ */

int ossl_hash_part(struct ossl_tls *t, const void *data, size_t len)
{
	uint8_t be[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			  (uint8_t)len };

	if (!EVP_DigestUpdate(t->md, be, 4) || !EVP_DigestUpdate(t->md, data, len))
		return ossl_err("SHA-256");
	return 0;
}

int ossl_hash_begin(struct ossl_tls *t, const char *tag)
{
	if (!EVP_DigestInit_ex2(t->md, t->sha, NULL))
		return ossl_err("SHA-256");
	return ossl_hash_part(t, tag, strlen(tag));
}

int ossl_hash_final(struct ossl_tls *t, uint8_t out[HASH_LEN])
{
	unsigned len = 0;

	if (!EVP_DigestFinal_ex(t->md, out, &len) || len != HASH_LEN)
		return ossl_err("SHA-256");
	return 0;
}

int ossl_hash_tagged(struct ossl_tls *t, const char *tag, const struct hash_part *parts,
		     size_t n, uint8_t out[HASH_LEN])
{
	int ret = ossl_hash_begin(t, tag);

	for (size_t i = 0; i < n && ret == 0; i++)
		ret = ossl_hash_part(t, parts[i].data, parts[i].len);
	return ret != 0 ? ret : ossl_hash_final(t, out);
}

int ossl_hash_scalar(struct ossl_tls *t, BIGNUM *x, const uint8_t d[HASH_LEN])
{
	if (!BN_bin2bn(d, HASH_LEN, x) || !BN_nnmod(x, x, t->n, t->bn))
		return ossl_err("scalar");
	return 0;
}

/* --- multi-scalar sums ------------------------------------------------------------ */

/*
 * EC_POINTs_mul is the only public call of OpenSSL that reaches its
 * multi-point multiplication (nistz256: one table per point, the
 * doublings shared by all terms), about three times faster per term than
 * one EC_POINT_mul per term (docs/PERFORMANCE.md). OpenSSL 3.0 deprecated
 * it with the rest of the low-level EC API in favour of EVP_PKEY, which
 * has no such operation; it is still there in every 3.x. So its warning
 * is silenced for this one call, and no other deprecated call is made.
 */
static int ossl_points_mul(struct ossl_tls *t, EC_POINT *r, const BIGNUM *g, size_t n,
			   const EC_POINT **P, const BIGNUM **k)
{
	int ok;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ok = EC_POINTs_mul(t->grp, r, g, n, P, k, t->bn);
#pragma GCC diagnostic pop
	return ok ? 0 : ossl_err("multi-scalar multiplication");
}

int ossl_msm(struct ossl_tls *t, EC_POINT *r, const BIGNUM *g, const EC_POINT **P,
	     const BIGNUM **k, size_t n)
{
	size_t m = 0;

	/* in place: the finite terms first */
	for (size_t i = 0; i < n; i++)
		if (!EC_POINT_is_at_infinity(t->grp, P[i])) {
			P[m] = P[i];
			k[m++] = k[i];
		}
	if (g == NULL && m == 0)
		return EC_POINT_set_to_infinity(t->grp, r) ? 0 : ossl_err("point");
	return ossl_points_mul(t, r, g, m, P, k);
}

const char *ossl_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

/* --- raw rates (sceau-bench) ------------------------------------------------------ */

static int ossl_bench_op(struct ossl_tls *t, enum ossl_raw op, unsigned count, EC_POINT **P,
			 const BIGNUM **k)
{
	uint8_t msg[4] = { 0 };
	int ret = 0;

	for (unsigned i = 0; i < count && ret == 0; i++) {
		unsigned j = i % OSSL_MSM_TERMS;

		msg[0] = (uint8_t)i, msg[1] = (uint8_t)(i >> 8);
		if (op == OSSL_RAW_VAR)
			ret = ossl_points_mul(t, P[OSSL_MSM_TERMS], NULL, 1,
					      (const EC_POINT **)&P[j], &k[j]);
		else if (op == OSSL_RAW_FIXED)
			ret = ossl_points_mul(t, P[OSSL_MSM_TERMS], k[j], 0, NULL, NULL);
		else if (op == OSSL_RAW_MSM && j == 0)
			ret = ossl_points_mul(t, P[OSSL_MSM_TERMS], NULL, OSSL_MSM_TERMS,
					      (const EC_POINT **)P, k);
		else if (op == OSSL_RAW_ADD)
			ret = EC_POINT_add(t->grp, P[OSSL_MSM_TERMS], P[OSSL_MSM_TERMS], P[j],
					   t->bn) ? 0 : ossl_err("add");
		else if (op == OSSL_RAW_H2C) /* as the verifier uses it: no encoding */
			ret = ossl_hash_to_curve(t, msg, sizeof(msg), "sceau-bench", 11,
						 P[OSSL_MSM_TERMS]);
	}
	return ret;
}

int ossl_bench_raw(enum ossl_raw op, unsigned count)
{
	struct ossl_tls *t = ossl_tls();
	EC_POINT *P[OSSL_MSM_TERMS + 1] = { NULL };
	BIGNUM *k[OSSL_MSM_TERMS] = { NULL };
	int ret = t != NULL ? 0 : ERR_NOMEM;

	/* P[i] = random multiples of G, k[i] random scalars; P[TERMS] the result */
	for (int i = 0; i <= OSSL_MSM_TERMS && ret == 0; i++)
		if ((P[i] = EC_POINT_new(t->grp)) == NULL)
			ret = ossl_err("bench setup");
	for (int i = 0; i < OSSL_MSM_TERMS && ret == 0; i++)
		if ((k[i] = BN_new()) == NULL || !BN_rand_range(k[i], t->n) ||
		    !EC_POINT_mul(t->grp, P[i], k[i], NULL, NULL, t->bn) ||
		    !BN_rand_range(k[i], t->n))
			ret = ossl_err("bench setup");
	if (ret == 0)
		ret = ossl_bench_op(t, op, count, P, (const BIGNUM **)k);
	for (int i = 0; i <= OSSL_MSM_TERMS; i++)
		EC_POINT_free(P[i]);
	for (int i = 0; i < OSSL_MSM_TERMS; i++)
		BN_free(k[i]);
	return ret;
}
