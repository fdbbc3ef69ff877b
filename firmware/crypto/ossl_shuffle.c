/*
 * CheckShuffleProof on OpenSSL (ossl.h), written from the spec's section 5
 * ("Check") apart from shuffle_verify.c: the same callbacks, the same
 * worker pool and the same answers, but each pool task sums its chunk of
 * indices with OpenSSL's multi-scalar multiplication instead of adding
 * term by term. Passes:
 *  1. hashing (calling thread): the inputs, OUT and C give the statement's
 *     seed, then C^, T and t^ give c;
 *  2. T and S read and checked (every malformation is ERR_FORMAT, found
 *     before any equation is judged);
 *  3. windows on the pool; a task takes OSV_CHUNK indices, checks every
 *     point and scalar of them, and adds to its thread's sums
 *        S_C = sum C_j, S_h = sum h_j, prod u_j,
 *        X3 = sum (c u_j) C_j + s'_j h_j,
 *        XA = sum (c u_j) A_j + s'_j A'_j,  XB = sum (c u_j) B_j + s'_j B'_j
 *     (three multi-scalar sums per chunk), then checks the chunk's
 *     t^_i = c C^_i + s^_i G + s'_i C^_{i-1} (ossl.h: BATCH or SERIAL);
 *  4. t1 = c (S_C - S_h) + s1 G, t2 = c C^_N - (c prod u) h + s2 G,
 *     t3 = X3 + s3 G, tA = XA - s4 G, tB = XB - s4 PK.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/pool.h"
#include "crypto/ossl.h"
#include "crypto/ossl_int.h"

#define OSV_CHUNK 16u    /* indices per pool task: 32 terms per sum */
#define OSV_WINDOW 2048u /* indices per window, as shuffle_verify.c */
#define OSV_WEIGHT 16    /* bytes of a random weight of the batch */
#define OSV_TAG_STATEMENT "sceau/shuffle/v2/statement"
#define OSV_TAG_U "sceau/shuffle/v2/u"
#define OSV_TAG_CHALLENGE "sceau/shuffle/v2/challenge"
#define OSV_CT (2 * GROUP_POINT_LEN)

enum { ACC_C, ACC_H, ACC_X3, ACC_XA, ACC_XB, OSV_ACC };
/* The points of an index in a slot: inputs, outputs, C_j, h_j, t^_i. */
enum { PT_A, PT_B, PT_A2, PT_B2, PT_C, PT_H, PT_THAT, OSV_PTS };

/* One thread's sums, and its scratch for one chunk (kept between tasks). */
struct osv_slot {
	EC_POINT *acc[OSV_ACC];
	BIGNUM *prod;
	EC_POINT *pt[OSV_CHUNK][OSV_PTS];
	EC_POINT *chat[OSV_CHUNK + 1]; /* C^_{first-1} .. C^_{first+count-1} */
	EC_POINT *tmp;
	BIGNUM *c, *cu[OSV_CHUNK], *sh[OSV_CHUNK], *sp[OSV_CHUNK];
	BIGNUM *w[3 * OSV_CHUNK + 1], *g; /* the batch's weights and coefficients */
	uint32_t first;                   /* the chunk's first index */
	int busy;
};

struct osv {
	const struct shuffle_statement *st;
	const struct shuffle_io *io;
	enum shuffle_ossl_that how;
	struct pool *pool;
	pthread_mutex_t mu;
	struct osv_slot *slots;
	unsigned nslots;
	uint32_t w_first, w_count, bad; /* bad: the first failing t^ equation, or n */
	uint8_t seed[HASH_LEN], c[GROUP_SCALAR_LEN], h[GROUP_POINT_LEN];
	uint8_t t[5 * GROUP_POINT_LEN], s[4 * GROUP_SCALAR_LEN], chat_n[GROUP_POINT_LEN];
	/* one window of each part; chat[0] is C^_{first-1} (h when first = 0) */
	uint8_t *in, *out, *C, *chat, *that, *shat, *sprime;
	int ret;
	char detail[160];
};

static uint32_t osv_window(void)
{
#ifdef CONFIG_CRYPTO_TEST_SEED
	if (shuffle_test_window >= 1 && shuffle_test_window <= OSV_WINDOW)
		return shuffle_test_window;
#endif
	return OSV_WINDOW;
}

static void osv_be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24), out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8), out[3] = (uint8_t)v;
}

/* --- pass 1: the hashes --------------------------------------------------------------- */

/* Reads count elements (of elem bytes) a window at a time, each point one
 * part. part < 0: the inputs. */
static int osv_hash_part(struct osv *v, struct ossl_tls *t, int part, uint32_t n, size_t elem)
{
	const struct shuffle_io *io = v->io;
	uint32_t win = osv_window(), count;
	int ret = 0;

	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		ret = part < 0 ? io->read_inputs(io->ctx, first, count, v->out)
			       : io->read(io->ctx, (enum shuffle_part)part, first, count, v->out);
		for (size_t o = 0; o < (size_t)count * elem && ret == 0; o += GROUP_POINT_LEN)
			ret = ossl_hash_part(t, v->out + o, GROUP_POINT_LEN);
	}
	return ret;
}

/* seed = H(statement tag; election_id, u16be(sid), PK, u32be(N), inputs, OUT, C) */
static int osv_seed(struct osv *v, struct ossl_tls *t)
{
	const struct shuffle_statement *st = v->st;
	uint8_t sid[2] = { (uint8_t)(st->scrutin_id >> 8), (uint8_t)st->scrutin_id }, n[4];
	int ret = ossl_hash_begin(t, OSV_TAG_STATEMENT);

	osv_be32(n, st->n);
	if (ret == 0)
		ret = ossl_hash_part(t, st->election_id, 32);
	if (ret == 0)
		ret = ossl_hash_part(t, sid, 2);
	if (ret == 0)
		ret = ossl_hash_part(t, st->pk, GROUP_POINT_LEN);
	if (ret == 0)
		ret = ossl_hash_part(t, n, 4);
	if (ret == 0)
		ret = osv_hash_part(v, t, -1, st->n, OSV_CT);
	if (ret == 0)
		ret = osv_hash_part(v, t, SHUFFLE_OUT, st->n, OSV_CT);
	if (ret == 0)
		ret = osv_hash_part(v, t, SHUFFLE_C, st->n, GROUP_POINT_LEN);
	return ret != 0 ? ret : ossl_hash_final(t, v->seed);
}

/* c = Hn(challenge tag; seed, C^_1..C^_N, t1..tB, t^_1..t^_N) */
static int osv_challenge(struct osv *v, struct ossl_tls *t)
{
	uint8_t d[HASH_LEN];
	BIGNUM *x;
	int ret = ossl_hash_begin(t, OSV_TAG_CHALLENGE);

	if (ret == 0)
		ret = ossl_hash_part(t, v->seed, sizeof(v->seed));
	if (ret == 0)
		ret = osv_hash_part(v, t, SHUFFLE_CHAT, v->st->n, GROUP_POINT_LEN);
	if (ret == 0)
		ret = osv_hash_part(v, t, SHUFFLE_T, 1, 5 * GROUP_POINT_LEN);
	if (ret == 0)
		ret = osv_hash_part(v, t, SHUFFLE_THAT, v->st->n, GROUP_POINT_LEN);
	if (ret == 0)
		ret = ossl_hash_final(t, d);
	if (ret != 0)
		return ret;
	if ((x = BN_new()) == NULL || ossl_hash_scalar(t, x, d) != 0 ||
	    BN_bn2binpad(x, v->c, sizeof(v->c)) != (int)sizeof(v->c))
		ret = ossl_err("shuffle proof: c");
	BN_free(x);
	return ret;
}

/* --- pass 3: a chunk of indices --------------------------------------------------------- */

/* Every point and scalar of local index j (index i = first + j), checked;
 * C^_{first-1} with j = 0 too (h, or the previous chunk's last C^). */
static int osv_load(struct ossl_tls *t, struct osv *v, struct osv_slot *s, uint32_t j)
{
	static const char *const names[OSV_PTS] = { "input A", "input B", "output A'",
						     "output B'", "C", NULL, "t^" };
	uint32_t i = s->first + j;
	size_t w = i - v->w_first;
	const uint8_t *src[OSV_PTS] = {
		v->in + w * OSV_CT, v->in + w * OSV_CT + GROUP_POINT_LEN,
		v->out + w * OSV_CT, v->out + w * OSV_CT + GROUP_POINT_LEN,
		v->C + w * GROUP_POINT_LEN, NULL, v->that + w * GROUP_POINT_LEN,
	};
	char what[48];
	int ret = 0;

	if (j == 0) {
		snprintf(what, sizeof(what), "C^ %u", i);
		ret = ossl_point_read(t, s->chat[0], v->chat + w * GROUP_POINT_LEN, what);
	}
	for (int k = 0; k < OSV_PTS && ret == 0; k++) {
		if (src[k] == NULL)
			continue; /* h_j is computed */
		snprintf(what, sizeof(what), "%s %u", names[k], i + 1);
		ret = ossl_point_read(t, s->pt[j][k], src[k], what);
	}
	snprintf(what, sizeof(what), "C^ %u", i + 1);
	if (ret == 0)
		ret = ossl_point_read(t, s->chat[j + 1], v->chat + (w + 1) * GROUP_POINT_LEN, what);
	snprintf(what, sizeof(what), "shuffle proof: s^ %u", i + 1);
	if (ret == 0)
		ret = ossl_scalar_read(t, s->sh[j], v->shat + w * GROUP_SCALAR_LEN, what);
	snprintf(what, sizeof(what), "shuffle proof: s' %u", i + 1);
	if (ret == 0)
		ret = ossl_scalar_read(t, s->sp[j], v->sprime + w * GROUP_SCALAR_LEN, what);
	return ret;
}

/* h_j, u_j; cu_j = c u_j; prod *= u_j; S_C += C_j; S_h += h_j. */
static int osv_index_sums(struct ossl_tls *t, struct osv *v, struct osv_slot *s, uint32_t j)
{
	uint32_t i = s->first + j;
	uint8_t be[4], d[HASH_LEN];
	struct hash_part parts[2] = { { v->seed, HASH_LEN }, { be, 4 } };
	int ret;

	osv_be32(be, i + 1);
	ret = ossl_generator(t, v->st->election_id, v->st->scrutin_id, i + 1, s->pt[j][PT_H]);
	if (ret == 0)
		ret = ossl_hash_tagged(t, OSV_TAG_U, parts, 2, d);
	if (ret == 0)
		ret = ossl_hash_scalar(t, s->cu[j], d); /* u_j, then c u_j */
	if (ret != 0)
		return ret;
	if (!BN_mod_mul(s->prod, s->prod, s->cu[j], t->n, t->bn) ||
	    !BN_mod_mul(s->cu[j], s->cu[j], s->c, t->n, t->bn) ||
	    !EC_POINT_add(t->grp, s->acc[ACC_C], s->acc[ACC_C], s->pt[j][PT_C], t->bn) ||
	    !EC_POINT_add(t->grp, s->acc[ACC_H], s->acc[ACC_H], s->pt[j][PT_H], t->bn))
		return ossl_err("shuffle proof: sums");
	return 0;
}

/* acc[a] += sum over the chunk of cu_j P_j + s'_j Q_j. */
static int osv_chunk_sum(struct ossl_tls *t, struct osv_slot *s, uint32_t count, int a, int p,
			 int q)
{
	const EC_POINT *P[2 * OSV_CHUNK];
	const BIGNUM *k[2 * OSV_CHUNK];
	int ret;

	for (uint32_t j = 0; j < count; j++) {
		P[2 * j] = s->pt[j][p], k[2 * j] = s->cu[j];
		P[2 * j + 1] = s->pt[j][q], k[2 * j + 1] = s->sp[j];
	}
	ret = ossl_msm(t, s->tmp, NULL, P, k, 2 * count);
	if (ret == 0 && !EC_POINT_add(t->grp, s->acc[a], s->acc[a], s->tmp, t->bn))
		ret = ossl_err("shuffle proof: sums");
	return ret;
}

/* *ok = (t^_j == c C^_j + s^_j G + s'_j C^_{j-1}), local index j. */
static int osv_that_one(struct ossl_tls *t, struct osv_slot *s, uint32_t j, int *ok)
{
	const EC_POINT *P[2] = { s->chat[j + 1], s->chat[j] };
	const BIGNUM *k[2] = { s->c, s->sp[j] };
	int ret = ossl_msm(t, s->tmp, s->sh[j], P, k, 2), cmp;

	if (ret != 0)
		return ret;
	cmp = EC_POINT_cmp(t->grp, s->tmp, s->pt[j][PT_THAT], t->bn);
	if (cmp < 0)
		return ossl_err("shuffle proof: compare");
	*ok = cmp == 0;
	return 0;
}

/* The chunk's t^ equations one by one; the first that fails goes to
 * v->bad. batch_failed: called because the chunk's batched sum was not zero. */
static int osv_that_serial(struct ossl_tls *t, struct osv *v, struct osv_slot *s,
			   uint32_t count, int batch_failed)
{
	int ret = 0, ok = 1;
	uint32_t j;

	for (j = 0; j < count && ret == 0 && ok; j++)
		ret = osv_that_one(t, s, j, &ok);
	if (ret != 0)
		return ret;
	if (ok && batch_failed) { /* all hold: then the weighted sum is zero */
		err_detail("shuffle proof: the batched t^ sum fails, no equation does");
		return ERR_INTERNAL;
	}
	if (!ok) {
		pthread_mutex_lock(&v->mu);
		if (s->first + j - 1 < v->bad)
			v->bad = s->first + j - 1;
		pthread_mutex_unlock(&v->mu);
	}
	return 0;
}

/* The batch's scalars: weights w_j (128 random bits), g = sum w_j s^_j,
 * coefficient of C^_{j} (slot chat[j], j = 0..count): w_{j-1} c + w_j s'_j
 * (each term when its index exists), of t^_j: -w_j. */
static int osv_batch_scalars(struct ossl_tls *t, struct osv_slot *s, uint32_t count)
{
	uint8_t rnd[OSV_CHUNK * OSV_WEIGHT];
	BIGNUM **wt = s->w, **cc = s->w + OSV_CHUNK, **ct = s->w + 2 * OSV_CHUNK + 1, *x;
	int ok;

	if (RAND_bytes(rnd, (int)(count * OSV_WEIGHT)) != 1)
		return ossl_err("shuffle proof: random weights");
	BN_CTX_start(t->bn);
	ok = (x = BN_CTX_get(t->bn)) != NULL;
	BN_zero(s->g);
	for (uint32_t j = 0; j < count && ok; j++)
		ok = BN_bin2bn(rnd + j * OSV_WEIGHT, OSV_WEIGHT, wt[j]) &&
		     BN_mod_mul(x, wt[j], s->sh[j], t->n, t->bn) &&
		     BN_mod_add_quick(s->g, s->g, x, t->n) &&
		     ossl_scalar_neg(t, ct[j], wt[j]) == 0;
	for (uint32_t j = 0; j <= count && ok; j++) {
		BN_zero(cc[j]);
		if (j > 0)
			ok = BN_mod_mul(cc[j], wt[j - 1], s->c, t->n, t->bn);
		if (ok && j < count)
			ok = BN_mod_mul(x, wt[j], s->sp[j], t->n, t->bn) &&
			     BN_mod_add_quick(cc[j], cc[j], x, t->n);
	}
	BN_CTX_end(t->bn);
	return ok ? 0 : ossl_err("shuffle proof: batch");
}

/* *ok = (sum_j w_j (c C^_j + s^_j G + s'_j C^_{j-1} - t^_j) == O). */
static int osv_that_batch(struct ossl_tls *t, struct osv_slot *s, uint32_t count, int *ok)
{
	const EC_POINT *P[2 * OSV_CHUNK + 1];
	const BIGNUM *k[2 * OSV_CHUNK + 1];
	uint32_t m = 0;
	int ret = osv_batch_scalars(t, s, count);

	if (ret != 0)
		return ret;
	for (uint32_t j = 0; j <= count; j++)
		P[m] = s->chat[j], k[m++] = s->w[OSV_CHUNK + j];
	for (uint32_t j = 0; j < count; j++)
		P[m] = s->pt[j][PT_THAT], k[m++] = s->w[2 * OSV_CHUNK + 1 + j];
	ret = ossl_msm(t, s->tmp, s->g, P, k, m);
	if (ret == 0)
		*ok = EC_POINT_is_at_infinity(t->grp, s->tmp);
	return ret;
}

static int osv_task(struct osv *v, struct osv_slot *s, uint32_t first, uint32_t count)
{
	struct ossl_tls *t = ossl_tls();
	int ret = t != NULL ? 0 : ERR_NOMEM, ok = 0;

	s->first = first;
	for (uint32_t j = 0; j < count && ret == 0; j++)
		ret = osv_load(t, v, s, j);
	for (uint32_t j = 0; j < count && ret == 0; j++)
		ret = osv_index_sums(t, v, s, j);
	if (ret == 0)
		ret = osv_chunk_sum(t, s, count, ACC_X3, PT_C, PT_H);
	if (ret == 0)
		ret = osv_chunk_sum(t, s, count, ACC_XA, PT_A, PT_A2);
	if (ret == 0)
		ret = osv_chunk_sum(t, s, count, ACC_XB, PT_B, PT_B2);
	if (ret == 0 && v->how == SHUFFLE_OSSL_BATCH)
		ret = osv_that_batch(t, s, count, &ok);
	if (ret == 0 && (v->how != SHUFFLE_OSSL_BATCH || !ok))
		ret = osv_that_serial(t, v, s, count, v->how == SHUFFLE_OSSL_BATCH);
	return ret;
}

/* --- the pool ------------------------------------------------------------------------- */

static void osv_fail(struct osv *v, int ret)
{
	pthread_mutex_lock(&v->mu);
	if (v->ret == 0) {
		v->ret = ret;
		snprintf(v->detail, sizeof(v->detail), "%s", err_last_detail());
	}
	pthread_mutex_unlock(&v->mu);
}

/* A free slot; NULL when a task failed already (then nothing more runs). */
static struct osv_slot *osv_slot_take(struct osv *v)
{
	struct osv_slot *s = NULL;

	pthread_mutex_lock(&v->mu);
	for (unsigned i = 0; i < v->nslots && s == NULL && v->ret == 0; i++)
		if (!v->slots[i].busy) {
			s = &v->slots[i];
			s->busy = 1;
		}
	pthread_mutex_unlock(&v->mu);
	return s; /* no more tasks run at once than threads: one is free */
}

static void osv_pool_fn(void *arg, unsigned k)
{
	struct osv *v = arg;
	uint32_t first = v->w_first + k * OSV_CHUNK, end = v->w_first + v->w_count;
	struct osv_slot *s = osv_slot_take(v);
	int ret;

	if (s == NULL)
		return; /* a task failed: its error is the run's */
	ret = osv_task(v, s, first, end - first < OSV_CHUNK ? end - first : OSV_CHUNK);
	pthread_mutex_lock(&v->mu);
	s->busy = 0;
	pthread_mutex_unlock(&v->mu);
	if (ret != 0)
		osv_fail(v, ret);
}

static int osv_slot_init(struct ossl_tls *t, struct osv *v, struct osv_slot *s)
{
	int ok = 1;

	for (int a = 0; a < OSV_ACC; a++)
		ok = ok && (s->acc[a] = EC_POINT_new(t->grp)) != NULL &&
		     EC_POINT_set_to_infinity(t->grp, s->acc[a]);
	for (uint32_t j = 0; j < OSV_CHUNK; j++)
		for (int k = 0; k < OSV_PTS; k++)
			ok = ok && (s->pt[j][k] = EC_POINT_new(t->grp)) != NULL;
	for (uint32_t j = 0; j <= OSV_CHUNK; j++)
		ok = ok && (s->chat[j] = EC_POINT_new(t->grp)) != NULL;
	ok = ok && (s->tmp = EC_POINT_new(t->grp)) != NULL;
	for (uint32_t j = 0; j < OSV_CHUNK; j++)
		ok = ok && (s->cu[j] = BN_new()) && (s->sh[j] = BN_new()) && (s->sp[j] = BN_new());
	for (uint32_t j = 0; j < 3 * OSV_CHUNK + 1; j++)
		ok = ok && (s->w[j] = BN_new()) != NULL;
	ok = ok && (s->g = BN_new()) && (s->prod = BN_new()) && BN_one(s->prod) &&
	     (s->c = BN_bin2bn(v->c, GROUP_SCALAR_LEN, NULL)) != NULL;
	return ok ? 0 : ossl_err("shuffle proof: setup");
}

static void osv_slot_free(struct osv_slot *s)
{
	for (int a = 0; a < OSV_ACC; a++)
		EC_POINT_free(s->acc[a]);
	for (uint32_t j = 0; j < OSV_CHUNK; j++) {
		for (int k = 0; k < OSV_PTS; k++)
			EC_POINT_free(s->pt[j][k]);
		BN_free(s->cu[j]), BN_free(s->sh[j]), BN_free(s->sp[j]);
	}
	for (uint32_t j = 0; j <= OSV_CHUNK; j++)
		EC_POINT_free(s->chat[j]);
	for (uint32_t j = 0; j < 3 * OSV_CHUNK + 1; j++)
		BN_free(s->w[j]);
	EC_POINT_free(s->tmp);
	BN_free(s->g), BN_free(s->prod), BN_free(s->c);
}

static int osv_pool_begin(struct ossl_tls *t, struct osv *v, unsigned jobs)
{
	int ret = pool_start(jobs ? jobs : pool_default_jobs(), osv_pool_fn, v, &v->pool);

	if (ret != 0)
		return ret;
	v->nslots = pool_threads(v->pool);
	v->slots = calloc(v->nslots, sizeof(*v->slots));
	if (v->slots == NULL)
		return ERR_NOMEM;
	for (unsigned i = 0; i < v->nslots && ret == 0; i++)
		ret = osv_slot_init(t, v, &v->slots[i]);
	return ret;
}

/* --- the windows ---------------------------------------------------------------------- */

/* A window of every part, C^ from index first - 1. */
static int osv_read_window(struct osv *v, uint32_t first, uint32_t count)
{
	const struct shuffle_io *io = v->io;
	int ret = io->read_inputs(io->ctx, first, count, v->in);

	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_OUT, first, count, v->out);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_C, first, count, v->C);
	if (ret == 0 && first == 0) {
		memcpy(v->chat, v->h, GROUP_POINT_LEN);
		ret = io->read(io->ctx, SHUFFLE_CHAT, 0, count, v->chat + GROUP_POINT_LEN);
	} else if (ret == 0) {
		ret = io->read(io->ctx, SHUFFLE_CHAT, first - 1, count + 1, v->chat);
	}
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_THAT, first, count, v->that);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_SHAT, first, count, v->shat);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_SPRIME, first, count, v->sprime);
	if (ret == 0) /* C^_N when this is the last window */
		memcpy(v->chat_n, v->chat + (size_t)count * GROUP_POINT_LEN, GROUP_POINT_LEN);
	return ret;
}

static int osv_windows(struct osv *v)
{
	uint32_t n = v->st->n, win = osv_window(), count;
	int ret = 0;

	v->bad = n;
	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		ret = osv_read_window(v, first, count);
		if (ret != 0)
			break;
		v->w_first = first, v->w_count = count;
		pool_run(v->pool, (count + OSV_CHUNK - 1) / OSV_CHUNK);
		pool_wait(v->pool);
		if ((ret = v->ret) != 0)
			err_detail("%s", v->detail);
	}
	if (ret == 0 && v->bad < n) {
		err_detail("shuffle proof: the equation of t^_%u does not hold", v->bad + 1);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* --- the five sums' equations --------------------------------------------------------- */

/* What the final equations read: T and S (checked before the windows, so
 * that a malformed T or S is ERR_FORMAT whatever else fails), PK, h, C^_N. */
struct osv_final {
	EC_POINT *t[5], *pk, *h, *chat_n, *x, *y;
	BIGNUM *s[4], *c, *m;
};

static void osv_final_free(struct osv_final *f)
{
	for (int k = 0; k < 5; k++)
		EC_POINT_free(f->t[k]);
	for (int k = 0; k < 4; k++)
		BN_free(f->s[k]);
	EC_POINT_free(f->pk), EC_POINT_free(f->h), EC_POINT_free(f->chat_n);
	EC_POINT_free(f->x), EC_POINT_free(f->y);
	BN_free(f->c), BN_free(f->m);
}

static int osv_final_load(struct ossl_tls *t, struct osv *v, struct osv_final *f)
{
	EC_POINT **pts[] = { &f->t[0], &f->t[1], &f->t[2], &f->t[3], &f->t[4], &f->pk, &f->h,
			     &f->chat_n, &f->x, &f->y };
	char what[40];
	int ret = 0;

	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]) && ret == 0; i++)
		if ((*pts[i] = EC_POINT_new(t->grp)) == NULL)
			ret = ossl_err("shuffle proof: setup");
	for (int k = 0; k < 4 && ret == 0; k++)
		if ((f->s[k] = BN_new()) == NULL)
			ret = ossl_err("shuffle proof: setup");
	if (ret == 0 && ((f->m = BN_new()) == NULL ||
			 (f->c = BN_bin2bn(v->c, GROUP_SCALAR_LEN, NULL)) == NULL))
		ret = ossl_err("shuffle proof: setup");
	for (int k = 0; k < 5 && ret == 0; k++) {
		snprintf(what, sizeof(what), "t %d", k + 1);
		ret = ossl_point_read(t, f->t[k], v->t + k * GROUP_POINT_LEN, what);
	}
	for (int k = 0; k < 4 && ret == 0; k++) {
		snprintf(what, sizeof(what), "shuffle proof: s%d", k + 1);
		ret = ossl_scalar_read(t, f->s[k], v->s + k * GROUP_SCALAR_LEN, what);
	}
	if (ret == 0)
		ret = ossl_point_read(t, f->pk, v->st->pk, "the public key");
	return ret != 0 ? ret : ossl_point_read(t, f->h, v->h, "h");
}

/* out = the sum of every slot's acc[a]. */
static int osv_acc_sum(struct ossl_tls *t, struct osv *v, int a, EC_POINT *out)
{
	if (!EC_POINT_set_to_infinity(t->grp, out))
		return ossl_err("shuffle proof: sums");
	for (unsigned i = 0; i < v->nslots; i++)
		if (!EC_POINT_add(t->grp, out, out, v->slots[i].acc[a], t->bn))
			return ossl_err("shuffle proof: sums");
	return 0;
}

/* f->y = g G + x (x already summed). */
static int osv_plus_g(struct ossl_tls *t, struct osv_final *f, const BIGNUM *g)
{
	int ret = ossl_msm(t, f->y, g, NULL, NULL, 0);

	if (ret == 0 && !EC_POINT_add(t->grp, f->y, f->y, f->x, t->bn))
		ret = ossl_err("shuffle proof: sums");
	return ret;
}

/* t1: c (S_C - S_h) + s1 G;  t2: c C^_N - (c prod u) h + s2 G. */
static int osv_rhs_12(struct ossl_tls *t, struct osv *v, struct osv_final *f, int k)
{
	const EC_POINT *P[2] = { f->x, NULL };
	const BIGNUM *m[2] = { f->c, f->m };
	int ret = 0;

	if (k == 0) {
		ret = osv_acc_sum(t, v, ACC_C, f->x);
		if (ret == 0)
			ret = osv_acc_sum(t, v, ACC_H, f->y);
		if (ret == 0 && (!EC_POINT_invert(t->grp, f->y, t->bn) ||
				 !EC_POINT_add(t->grp, f->x, f->x, f->y, t->bn)))
			ret = ossl_err("shuffle proof: S_C - S_h");
		return ret != 0 ? ret : ossl_msm(t, f->y, f->s[0], P, m, 1);
	}
	BN_one(f->m);
	for (unsigned i = 0; i < v->nslots && ret == 0; i++)
		if (!BN_mod_mul(f->m, f->m, v->slots[i].prod, t->n, t->bn))
			ret = ossl_err("shuffle proof: prod u");
	if (ret == 0 && !BN_mod_mul(f->m, f->m, f->c, t->n, t->bn))
		ret = ossl_err("shuffle proof: c prod u");
	if (ret == 0)
		ret = ossl_scalar_neg(t, f->m, f->m);
	if (ret == 0)
		ret = ossl_point_read(t, f->chat_n, v->chat_n, "C^_N");
	P[0] = f->chat_n, P[1] = f->h;
	return ret != 0 ? ret : ossl_msm(t, f->y, f->s[1], P, m, 2);
}

/* t3: X3 + s3 G;  tA: XA - s4 G;  tB: XB - s4 PK. */
static int osv_rhs_3ab(struct ossl_tls *t, struct osv *v, struct osv_final *f, int k)
{
	const EC_POINT *P[1] = { f->pk };
	const BIGNUM *m[1] = { f->m };
	int ret = osv_acc_sum(t, v, ACC_X3 + (k - 2), f->x);

	if (ret != 0 || k == 2)
		return ret != 0 ? ret : osv_plus_g(t, f, f->s[2]);
	ret = ossl_scalar_neg(t, f->m, f->s[3]);
	if (ret == 0 && k == 3)
		return osv_plus_g(t, f, f->m);
	if (ret == 0)
		ret = ossl_msm(t, f->y, NULL, P, m, 1);
	if (ret == 0 && !EC_POINT_add(t->grp, f->y, f->y, f->x, t->bn))
		ret = ossl_err("shuffle proof: sums");
	return ret;
}

static int osv_final(struct ossl_tls *t, struct osv *v, struct osv_final *f)
{
	static const char *const names[5] = { "t1", "t2", "t3", "tA", "tB" };
	int ret = 0, cmp;

	for (int k = 0; k < 5 && ret == 0; k++) {
		ret = k < 2 ? osv_rhs_12(t, v, f, k) : osv_rhs_3ab(t, v, f, k);
		if (ret != 0)
			break;
		cmp = EC_POINT_cmp(t->grp, f->y, f->t[k], t->bn);
		if (cmp < 0) {
			ret = ossl_err("shuffle proof: compare");
		} else if (cmp != 0) {
			err_detail("shuffle proof: the equation of %s does not hold", names[k]);
			ret = ERR_VERIFY;
		}
	}
	return ret;
}

/* --- the whole check ------------------------------------------------------------------ */

static int osv_alloc(struct osv *v)
{
	v->in = malloc((size_t)OSV_WINDOW * OSV_CT);
	v->out = malloc((size_t)OSV_WINDOW * OSV_CT);
	v->C = malloc((size_t)OSV_WINDOW * GROUP_POINT_LEN);
	v->chat = malloc((size_t)(OSV_WINDOW + 1) * GROUP_POINT_LEN);
	v->that = malloc((size_t)OSV_WINDOW * GROUP_POINT_LEN);
	v->shat = malloc((size_t)OSV_WINDOW * GROUP_SCALAR_LEN);
	v->sprime = malloc((size_t)OSV_WINDOW * GROUP_SCALAR_LEN);
	if (!v->in || !v->out || !v->C || !v->chat || !v->that || !v->shat || !v->sprime) {
		err_detail("shuffle proof: no memory for a window");
		return ERR_NOMEM;
	}
	return 0;
}

static void osv_free(struct osv *v)
{
	pool_stop(v->pool);
	for (unsigned i = 0; v->slots != NULL && i < v->nslots; i++)
		osv_slot_free(&v->slots[i]);
	free(v->slots);
	free(v->in), free(v->out), free(v->C), free(v->chat), free(v->that);
	free(v->shat), free(v->sprime);
	pthread_mutex_destroy(&v->mu);
}

/* 1 <= N <= SHUFFLE_MAX_N (ERR_RANGE), PK a point (ERR_FORMAT), as
 * shuffle_verify checks them first. */
static int osv_statement(struct ossl_tls *t, const struct shuffle_statement *st)
{
	EC_POINT *P;
	int ret;

	if (st->n == 0 || st->n > SHUFFLE_MAX_N) {
		err_detail("shuffle: %u ballots (1 to %u; an empty scrutin has no shuffle)", st->n,
			   SHUFFLE_MAX_N);
		return ERR_RANGE;
	}
	if ((P = EC_POINT_new(t->grp)) == NULL)
		return ossl_err("shuffle: setup");
	ret = ossl_point_read(t, P, st->pk, "shuffle: the public key");
	EC_POINT_free(P);
	return ret;
}

/* Everything after the statement's check: hashes, T and S, windows, sums. */
static int osv_run(struct ossl_tls *t, struct osv *v, unsigned jobs)
{
	struct osv_final f;
	EC_POINT *h = EC_POINT_new(t->grp);
	int ret = h != NULL ? 0 : ossl_err("shuffle: setup");

	memset(&f, 0, sizeof(f));
	if (ret == 0)
		ret = ossl_generator(t, v->st->election_id, v->st->scrutin_id, 0, h);
	if (ret == 0)
		ret = ossl_point_write(t, h, v->h);
	EC_POINT_free(h);
	if (ret == 0)
		ret = osv_seed(v, t);
	if (ret == 0)
		ret = osv_challenge(v, t);
	if (ret == 0)
		ret = v->io->read(v->io->ctx, SHUFFLE_T, 0, 1, v->t);
	if (ret == 0)
		ret = v->io->read(v->io->ctx, SHUFFLE_S, 0, 1, v->s);
	if (ret == 0)
		ret = osv_final_load(t, v, &f);
	if (ret == 0)
		ret = osv_pool_begin(t, v, jobs);
	if (ret == 0)
		ret = osv_windows(v);
	if (ret == 0)
		ret = osv_final(t, v, &f);
	osv_final_free(&f);
	return ret;
}

int shuffle_verify_ossl_with(const struct shuffle_statement *st, const struct shuffle_io *io,
			     unsigned jobs, enum shuffle_ossl_that how)
{
	struct ossl_tls *t = ossl_tls();
	struct osv *v;
	int ret;

	if (t == NULL)
		return ERR_NOMEM;
	if ((ret = osv_statement(t, st)) != 0)
		return ret;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return ERR_NOMEM;
	v->st = st, v->io = io, v->how = how;
	pthread_mutex_init(&v->mu, NULL);
	ret = osv_alloc(v);
	if (ret == 0)
		ret = osv_run(t, v, jobs);
	osv_free(v);
	free(v);
	return ret;
}

int shuffle_verify_ossl(const struct shuffle_statement *st, const struct shuffle_io *io,
			unsigned jobs)
{
	return shuffle_verify_ossl_with(st, io, jobs, SHUFFLE_OSSL_BATCH);
}
