/*
 * The verifier: CheckShuffleProof (Haenni et al. 2017, algorithm 8,
 * additively; the spec's section 5, "Check"). Two passes:
 *  1. hashing: the inputs, OUT and C give the statement's seed, then
 *     C^, T and t^ give c (no multiplication: the calling thread alone);
 *  2. windows on the pool: every point and scalar of the file checked, each
 *     equation t^_i = c C^_i + s^_i G + s'_i C^_{i-1} checked on its own, and
 *     the sums of the other equations gathered per thread:
 *        S_C = sum C_j,  S_h = sum h_i,  prod u_j,
 *        X3 = sum (c u_j) C_j + s'_j h_j,
 *        XA = sum (c u_j) A_j + s'_j A'_j,  XB = sum (c u_j) B_j + s'_j B'_j
 *     (input j and output i = j share a task: the sums do not care);
 * then t1 = c (S_C - S_h) + s1 G, t2 = c C^_N - (c prod u) h + s2 G,
 * t3 = X3 + s3 G, tA = XA - s4 G, tB = XB - s4 PK.
 * Every scalar is public: mbedtls_ecp_muladd (two terms, no blinding).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/internal.h"
#include "crypto/shuffle_int.h"

enum { ACC_C, ACC_H, ACC_X3, ACC_XA, ACC_XB };
enum { SUM_PROD };

struct sh_verify {
	struct sh_run run;
	uint8_t stseed[32];
	mbedtls_mpi c;
	uint8_t t[5 * GROUP_POINT_LEN], s[4 * GROUP_SCALAR_LEN];
	uint8_t chat_n[GROUP_POINT_LEN];  /* C^_N */
	/* one window of each part; chat[0] is C^_{first-1} (h when first = 0) */
	uint8_t *in, *out, *C, *chat, *that, *shat, *sprime;
	uint32_t bad;                     /* the first failing t^ equation, or n */
};

#define SV(run) ((struct sh_verify *)(run)->pass)

/* --- pass 1: the hashes ------------------------------------------------------------ */

/* Reads a part a window at a time into buf and hashes its points. */
static int sv_hash_part(struct sh_verify *sv, enum shuffle_part part, struct hash_ctx *h,
			uint8_t *buf)
{
	const struct shuffle_io *io = sv->run.io;
	uint32_t n = shuffle_part_count(part, sv->run.st->n), win = sh_window_len(), count;
	size_t elem = shuffle_part_elem(part);
	int ret = 0;

	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		ret = io->read(io->ctx, part, first, count, buf);
		if (ret == 0)
			ret = sh_hash_points(h, buf, (size_t)count * elem);
	}
	return ret;
}

static int sv_hashes(struct sh_verify *sv)
{
	struct hash_ctx *h = NULL;
	uint8_t c[HASH_LEN];
	int ret = sh_hash_begin(&h, SH_TAG_STATEMENT);

	if (ret == 0)
		ret = sh_hash_statement(h, sv->run.st);
	if (ret == 0)
		ret = sh_hash_inputs(&sv->run, h, sv->in);
	if (ret == 0)
		ret = sv_hash_part(sv, SHUFFLE_OUT, h, sv->out);
	if (ret == 0)
		ret = sv_hash_part(sv, SHUFFLE_C, h, sv->out);
	if (ret == 0) {
		ret = hash_final(h, sv->stseed);
		h = NULL;
	}
	if (ret == 0)
		ret = sh_hash_begin(&h, SH_TAG_CHALLENGE);
	if (ret == 0)
		ret = sh_hash_part(h, sv->stseed, sizeof(sv->stseed));
	if (ret == 0)
		ret = sv_hash_part(sv, SHUFFLE_CHAT, h, sv->out);
	if (ret == 0)
		ret = sv_hash_part(sv, SHUFFLE_T, h, sv->out);
	if (ret == 0)
		ret = sv_hash_part(sv, SHUFFLE_THAT, h, sv->out);
	if (ret == 0) {
		ret = hash_final(h, c);
		h = NULL;
	}
	hash_abort(h);
	return ret != 0 ? ret : sh_scalar_from_hash(&sv->c, c);
}

/* --- pass 2: the tasks ------------------------------------------------------------------ */

/* The points of index i (0: A, 1: B, 2: A', 3: B', 4: C, 5: C^_{i-1},
 * 6: C^_i, 7: t^_i) and its scalars s^_i, s'_i, each checked. */
#define SV_PTS 8
static int sv_load(const mbedtls_ecp_group *grp, struct sh_verify *sv, uint32_t i,
		   mbedtls_ecp_point *p, mbedtls_mpi *sh, mbedtls_mpi *sp)
{
	static const char *const names[SV_PTS] = { "input A", "input B", "output A'",
						   "output B'", "C", "C^", "C^", "t^" };
	size_t w = i - sv->run.w_first;
	const uint8_t *src[SV_PTS] = {
		sv->in + w * SHUFFLE_CT_LEN, sv->in + w * SHUFFLE_CT_LEN + GROUP_POINT_LEN,
		sv->out + w * SHUFFLE_CT_LEN, sv->out + w * SHUFFLE_CT_LEN + GROUP_POINT_LEN,
		sv->C + w * GROUP_POINT_LEN, sv->chat + w * GROUP_POINT_LEN,
		sv->chat + (w + 1) * GROUP_POINT_LEN, sv->that + w * GROUP_POINT_LEN,
	};
	int ret = 0;

	for (int k = 0; k < SV_PTS && ret == 0; k++)
		ret = sh_point_read(grp, &p[k], src[k], names[k], k == 5 ? i : i + 1);
	if (ret == 0)
		ret = group_scalar_read(grp, sh, sv->shat + w * GROUP_SCALAR_LEN, 0);
	if (ret == 0)
		ret = group_scalar_read(grp, sp, sv->sprime + w * GROUP_SCALAR_LEN, 0);
	if (ret == ERR_RANGE) {
		err_detail("shuffle proof: s^ or s' %u: not below n", i + 1);
		ret = ERR_FORMAT;
	}
	return ret;
}

/* acc[a] += x P + y Q */
static int sv_acc(mbedtls_ecp_group *grp, struct sh_slot *slot, int a, const mbedtls_mpi *x,
		  const mbedtls_ecp_point *P, const mbedtls_mpi *y, const mbedtls_ecp_point *Q,
		  mbedtls_ecp_point *tmp)
{
	int ret = gx_muladd_public(grp, tmp, x, P, y, Q);

	return ret != 0 ? ret : gx_add(grp, &slot->acc[a], &slot->acc[a], tmp);
}

/* c C^_i + s'_i C^_{i-1} == t^_i - s^_i G ? (1 if so) */
static int sv_that(mbedtls_ecp_group *grp, const mbedtls_mpi *c, const mbedtls_ecp_point *p,
		   mbedtls_mpi *sh, const mbedtls_mpi *sp, int *ok)
{
	mbedtls_ecp_point l, r;
	mbedtls_mpi one;
	int ret;

	mbedtls_ecp_point_init(&l), mbedtls_ecp_point_init(&r);
	mbedtls_mpi_init(&one);
	ret = gx_muladd_public(grp, &l, c, &p[6], sp, &p[5]);
	if (ret == 0)
		ret = sh_neg(grp, sh, sh);
	if (ret == 0)
		ret = mbedtls_mpi_lset(&one, 1) != 0 ? ERR_NOMEM : 0;
	if (ret == 0)
		ret = gx_muladd_public(grp, &r, &one, &p[7], sh, NULL);
	if (ret == 0)
		*ok = gx_equal(&l, &r);
	mbedtls_ecp_point_free(&l), mbedtls_ecp_point_free(&r);
	mbedtls_mpi_free(&one);
	return ret;
}

/* Index i's share of the sums, and its t^ equation. */
static int sv_index(mbedtls_ecp_group *grp, struct sh_verify *sv, struct sh_slot *slot,
		    uint32_t i, mbedtls_ecp_point *p, mbedtls_ecp_point *h, mbedtls_ecp_point *tmp)
{
	mbedtls_mpi sh, sp, u, cu;
	int ret, ok = 0;

	mbedtls_mpi_init(&sh), mbedtls_mpi_init(&sp), mbedtls_mpi_init(&u), mbedtls_mpi_init(&cu);
	ret = sv_load(grp, sv, i, p, &sh, &sp);
	if (ret == 0)
		ret = sh_generator(grp, sv->run.st, i + 1, h);
	if (ret == 0)
		ret = sh_challenge_u(grp, sv->stseed, i + 1, &u);
	if (ret == 0)
		ret = sh_mul(grp, &cu, &sv->c, &u);
	if (ret == 0)
		ret = sh_mul(grp, &slot->sum[SUM_PROD], &slot->sum[SUM_PROD], &u);
	if (ret == 0)
		ret = gx_add(grp, &slot->acc[ACC_C], &slot->acc[ACC_C], &p[4]);
	if (ret == 0)
		ret = gx_add(grp, &slot->acc[ACC_H], &slot->acc[ACC_H], h);
	if (ret == 0)
		ret = sv_acc(grp, slot, ACC_X3, &cu, &p[4], &sp, h, tmp);
	if (ret == 0)
		ret = sv_acc(grp, slot, ACC_XA, &cu, &p[0], &sp, &p[2], tmp);
	if (ret == 0)
		ret = sv_acc(grp, slot, ACC_XB, &cu, &p[1], &sp, &p[3], tmp);
	if (ret == 0)
		ret = sv_that(grp, &sv->c, p, &sh, &sp, &ok);
	if (ret == 0 && !ok) {
		pthread_mutex_lock(&sv->run.mu);
		if (i < sv->bad)
			sv->bad = i;
		pthread_mutex_unlock(&sv->run.mu);
	}
	mbedtls_mpi_free(&sh), mbedtls_mpi_free(&sp), mbedtls_mpi_free(&u), mbedtls_mpi_free(&cu);
	return ret;
}

static int sv_task(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
		   uint32_t count)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point p[SV_PTS], h, tmp;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	(void)k;
	for (int j = 0; j < SV_PTS; j++)
		mbedtls_ecp_point_init(&p[j]);
	mbedtls_ecp_point_init(&h), mbedtls_ecp_point_init(&tmp);
	for (uint32_t i = first; i < first + count && ret == 0; i++)
		ret = sv_index(grp, SV(run), slot, i, p, &h, &tmp);
	for (int j = 0; j < SV_PTS; j++)
		mbedtls_ecp_point_free(&p[j]);
	mbedtls_ecp_point_free(&h), mbedtls_ecp_point_free(&tmp);
	return ret;
}

/* A window of every part, C^ from index first - 1. */
static int sv_read_window(struct sh_verify *sv, uint32_t first, uint32_t count)
{
	const struct shuffle_io *io = sv->run.io;
	int ret = io->read_inputs(io->ctx, first, count, sv->in);

	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_OUT, first, count, sv->out);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_C, first, count, sv->C);
	if (ret == 0 && first == 0) {
		memcpy(sv->chat, sv->run.h, GROUP_POINT_LEN);
		ret = io->read(io->ctx, SHUFFLE_CHAT, 0, count, sv->chat + GROUP_POINT_LEN);
	} else if (ret == 0) {
		ret = io->read(io->ctx, SHUFFLE_CHAT, first - 1, count + 1, sv->chat);
	}
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_THAT, first, count, sv->that);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_SHAT, first, count, sv->shat);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_SPRIME, first, count, sv->sprime);
	if (ret == 0) /* C^_N when this is the last window */
		memcpy(sv->chat_n, sv->chat + (size_t)count * GROUP_POINT_LEN, GROUP_POINT_LEN);
	return ret;
}

static int sv_windows(struct sh_verify *sv)
{
	uint32_t n = sv->run.st->n, win = sh_window_len(), count;
	int ret = sh_slots_set(&sv->run, SUM_PROD, 1);

	sv->bad = n;
	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		ret = sv_read_window(sv, first, count);
		if (ret == 0)
			ret = sh_window(&sv->run, first, count, sv_task);
	}
	if (ret == 0 && sv->bad < n) {
		err_detail("shuffle proof: the equation of t^_%u does not hold", sv->bad + 1);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* --- the five sums' equations ----------------------------------------------------------- */

/* 0 if y equals t_k (k from 1), else ERR_VERIFY naming it. */
static int sv_equal(const mbedtls_ecp_point *y, const mbedtls_ecp_point *t, const char *name)
{
	if (gx_equal(y, t))
		return 0;
	err_detail("shuffle proof: the equation of %s does not hold", name);
	return ERR_VERIFY;
}

/* t, s and the other fixed points, each checked. */
static int sv_final_load(const mbedtls_ecp_group *grp, struct sh_verify *sv,
			 mbedtls_ecp_point *t, mbedtls_mpi *s, mbedtls_ecp_point *pk,
			 mbedtls_ecp_point *h, mbedtls_ecp_point *chat_n)
{
	int ret = 0;

	for (int k = 0; k < 5 && ret == 0; k++)
		ret = sh_point_read(grp, &t[k], sv->t + k * GROUP_POINT_LEN, "t", (uint32_t)k + 1);
	for (int k = 0; k < 4 && ret == 0; k++)
		if ((ret = group_scalar_read(grp, &s[k], sv->s + k * GROUP_SCALAR_LEN, 0)) != 0) {
			err_detail("shuffle proof: s%d: not below n", k + 1);
			ret = ERR_FORMAT;
		}
	if (ret == 0)
		ret = group_point_read(grp, pk, sv->run.st->pk);
	if (ret == 0)
		ret = group_point_read(grp, h, sv->run.h);
	return ret != 0 ? ret : group_point_read(grp, chat_n, sv->chat_n);
}

/* y = the right-hand side of equation k (0: t1 ... 4: tB). */
static int sv_rhs(mbedtls_ecp_group *grp, struct sh_verify *sv, int k, mbedtls_mpi *s,
		  const mbedtls_ecp_point *pk, const mbedtls_ecp_point *h,
		  const mbedtls_ecp_point *chat_n, mbedtls_ecp_point *y)
{
	mbedtls_ecp_point x;
	mbedtls_mpi m, one;
	int ret;

	mbedtls_ecp_point_init(&x);
	mbedtls_mpi_init(&m), mbedtls_mpi_init(&one);
	ret = mbedtls_mpi_lset(&one, 1) != 0 ? ERR_NOMEM : 0;
	if (ret == 0 && k == 0) { /* c (S_C - S_h) + s1 G */
		ret = sh_slots_acc(&sv->run, ACC_C, y);
		if (ret == 0)
			ret = sh_slots_acc(&sv->run, ACC_H, &x);
		if (ret == 0)
			ret = gx_sub(grp, &x, y, &x);
		if (ret == 0)
			ret = gx_muladd_public(grp, y, &sv->c, &x, &s[0], NULL);
	} else if (ret == 0 && k == 1) { /* c C^_N - (c prod u) h + s2 G */
		ret = sh_slots_sum(&sv->run, SUM_PROD, 1, &m);
		if (ret == 0)
			ret = sh_mul(grp, &m, &m, &sv->c);
		if (ret == 0)
			ret = sh_neg(grp, &m, &m); /* m = -c prod u */
		if (ret == 0)
			ret = gx_muladd_public(grp, &x, &sv->c, chat_n, &m, h);
		if (ret == 0)
			ret = gx_muladd_public(grp, y, &one, &x, &s[1], NULL);
	} else if (ret == 0) { /* X3 + s3 G, XA - s4 G, XB - s4 PK */
		ret = sh_slots_acc(&sv->run, ACC_X3 + (k - 2), &x);
		if (ret == 0 && k == 2)
			ret = mbedtls_mpi_copy(&m, &s[2]) != 0 ? ERR_NOMEM : 0;
		else if (ret == 0)
			ret = sh_neg(grp, &m, &s[3]);
		if (ret == 0)
			ret = gx_muladd_public(grp, y, &one, &x, &m, k == 4 ? pk : NULL);
	}
	mbedtls_ecp_point_free(&x);
	mbedtls_mpi_free(&m), mbedtls_mpi_free(&one);
	return ret;
}

static int sv_final(struct sh_verify *sv)
{
	static const char *const names[5] = { "t1", "t2", "t3", "tA", "tB" };
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point t[5], pk, h, chat_n, y;
	mbedtls_mpi s[4];
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	for (int k = 0; k < 5; k++)
		mbedtls_ecp_point_init(&t[k]);
	for (int k = 0; k < 4; k++)
		mbedtls_mpi_init(&s[k]);
	mbedtls_ecp_point_init(&pk), mbedtls_ecp_point_init(&h);
	mbedtls_ecp_point_init(&chat_n), mbedtls_ecp_point_init(&y);
	if (ret == 0)
		ret = sv_final_load(grp, sv, t, s, &pk, &h, &chat_n);
	for (int k = 0; k < 5 && ret == 0; k++) {
		ret = sv_rhs(grp, sv, k, s, &pk, &h, &chat_n, &y);
		if (ret == 0)
			ret = sv_equal(&y, &t[k], names[k]);
	}
	for (int k = 0; k < 5; k++)
		mbedtls_ecp_point_free(&t[k]);
	for (int k = 0; k < 4; k++)
		mbedtls_mpi_free(&s[k]);
	mbedtls_ecp_point_free(&pk), mbedtls_ecp_point_free(&h);
	mbedtls_ecp_point_free(&chat_n), mbedtls_ecp_point_free(&y);
	return ret;
}

/* T and S well formed, checked before any equation is judged: a file with a
 * malformed part is ERR_FORMAT whatever else fails, as in every other part
 * (and in the OpenSSL check, crypto/ossl.h, which must answer alike). */
static int sv_ts_check(struct sh_verify *sv)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point p;
	mbedtls_mpi k;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	mbedtls_ecp_point_init(&p);
	mbedtls_mpi_init(&k);
	for (int i = 0; i < 5 && ret == 0; i++)
		ret = sh_point_read(grp, &p, sv->t + i * GROUP_POINT_LEN, "t", (uint32_t)i + 1);
	for (int i = 0; i < 4 && ret == 0; i++)
		if ((ret = group_scalar_read(grp, &k, sv->s + i * GROUP_SCALAR_LEN, 0)) != 0) {
			err_detail("shuffle proof: s%d: not below n", i + 1);
			ret = ERR_FORMAT;
		}
	mbedtls_ecp_point_free(&p);
	mbedtls_mpi_free(&k);
	return ret;
}

/* --- the whole check ---------------------------------------------------------------- */

static int sv_alloc(struct sh_verify *sv)
{
	sv->in = malloc((size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	sv->out = malloc((size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	sv->C = malloc((size_t)SH_WINDOW * GROUP_POINT_LEN);
	sv->chat = malloc((size_t)(SH_WINDOW + 1) * GROUP_POINT_LEN);
	sv->that = malloc((size_t)SH_WINDOW * GROUP_POINT_LEN);
	sv->shat = malloc((size_t)SH_WINDOW * GROUP_SCALAR_LEN);
	sv->sprime = malloc((size_t)SH_WINDOW * GROUP_SCALAR_LEN);
	if (!sv->in || !sv->out || !sv->C || !sv->chat || !sv->that || !sv->shat || !sv->sprime)
		return ERR_NOMEM;
	return 0;
}

static void sv_free(struct sh_verify *sv)
{
	sh_run_end(&sv->run);
	free(sv->in), free(sv->out), free(sv->C), free(sv->chat), free(sv->that);
	free(sv->shat), free(sv->sprime);
	mbedtls_mpi_free(&sv->c);
}

int shuffle_verify(const struct shuffle_statement *st, const struct shuffle_io *io,
		   unsigned jobs)
{
	struct sh_verify sv;
	int ret;

	memset(&sv, 0, sizeof(sv));
	mbedtls_mpi_init(&sv.c);
	ret = sh_statement_check(st);
	if (ret != 0)
		return ret;
	ret = sv_alloc(&sv);
	if (ret == 0) {
		ret = sh_run_begin(&sv.run, st, io, jobs);
		sv.run.pass = &sv;
	}
	if (ret == 0)
		ret = sv_hashes(&sv);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_T, 0, 1, sv.t);
	if (ret == 0)
		ret = io->read(io->ctx, SHUFFLE_S, 0, 1, sv.s);
	if (ret == 0)
		ret = sv_ts_check(&sv);
	if (ret == 0)
		ret = sv_windows(&sv);
	if (ret == 0)
		ret = sv_final(&sv);
	sv_free(&sv);
	return ret;
}
