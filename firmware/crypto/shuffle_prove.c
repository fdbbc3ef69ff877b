/*
 * The prover: GenShuffle and GenShuffleProof (Haenni et al. 2017,
 * algorithms 4 and 6, additively; the spec's sections 4 and 5), as passes
 * over the indices, each pass writing its part of the file in order:
 *
 *   P0  inputs, in order               hashed into the statement seed
 *   P1  i: A'_i = A_psi(i) + r'_psi(i) G, B'_i = B_psi(i) + r'_psi(i) PK;
 *       sums w'_i h_i, w'_i A'_i, w'_i B'_i (for t3, tA, tB)       -> OUT
 *   P2  j: C_j = r_j G + h_phi(j) (phi = psi^-1)                  -> C
 *   P3  i: C^_i = R_i G + U_i h                                    -> CHAT
 *          t1..tB                                                  -> T
 *   P4  i: t^_i = (w^_i + w'_i R_{i-1}) G + (w'_i U_{i-1}) h       -> THAT
 *          s1..s4                                                  -> S
 *   P5  i: s^_i = w^_i - c r^_i                                    -> SHAT
 *   P6  i: s'_i = w'_i - c u'_i                                    -> SPRIME
 *
 * The commitment chain C^_i = r^_i G + u'_i C^_{i-1} (C^_0 = h) is written
 * C^_i = R_i G + U_i h with the scalars U_i = u'_1 ... u'_i and
 * R_i = r^_i + u'_i R_{i-1} (R_0 = 0), so that every C^_i is computed on its
 * own, in parallel: only these scalars are chained, a chunk at a time (each
 * chunk's product and local R first, then each chunk's start from the one
 * before). R_N is then the spec's r^ = sum r^_i v_i.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/internal.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/shuffle_int.h"

enum { ACC_H, ACC_A, ACC_B };           /* slot sums of w'_i h_i, w'_i A'_i, w'_i B'_i */
enum { SUM_R, SUM_RTILDE, SUM_RHO };    /* r-bar, r~, rho */

/* Locked: the seed and the chain's scalars of the current window. */
struct sh_sec {
	uint8_t seed[32];
	uint8_t local[SH_CHUNKS][2][32]; /* per chunk: R from 0, product of u' */
	uint8_t start[SH_CHUNKS][2][32]; /* per chunk: R_{first-1}, U_{first-1} */
	uint8_t carry[2][32];            /* R, U before the window */
	uint8_t rhat[32];                /* R_N: the spec's r^ */
};

struct sh_prove {
	struct sh_run run;
	struct sh_sec *sec;
	uint32_t *psi;                   /* locked, 4 bytes per ballot */
	uint8_t *in, *out;               /* locked, one window each */
	uint8_t stseed[32];              /* the statement's seed (public) */
	mbedtls_mpi c;                   /* the challenge (public) */
};

#define PV(run) ((struct sh_prove *)(run)->pass)

/* --- the tasks (worker threads) ------------------------------------------------ */

/* e' = e + (r G, r PK): one output; a and b receive A' and B'. */
static int sh_reencrypt(mbedtls_ecp_group *grp, const mbedtls_ecp_point *pk,
			const uint8_t *e, const mbedtls_mpi *r, mbedtls_ecp_point *a,
			mbedtls_ecp_point *b, uint8_t *o)
{
	mbedtls_ecp_point x;
	int ret;

	/* no index in the detail: it would tie an output to its input */
	if (group_point_read(grp, a, e) != 0 || group_point_read(grp, b, e + GROUP_POINT_LEN) != 0) {
		err_detail("shuffle: an input ciphertext is not a pair of points");
		return ERR_FORMAT;
	}
	mbedtls_ecp_point_init(&x);
	ret = gx_mul_secret(grp, &x, r, NULL);
	if (ret == 0)
		ret = gx_add(grp, a, a, &x);
	if (ret == 0)
		ret = gx_mul_secret(grp, &x, r, pk);
	if (ret == 0)
		ret = gx_add(grp, b, b, &x);
	mbedtls_ecp_point_free(&x); /* zeroizes r G, r PK */
	if (ret == 0)
		ret = sh_point_write(grp, a, o);
	return ret != 0 ? ret : sh_point_write(grp, b, o + GROUP_POINT_LEN);
}

/* acc[a] += w p */
static int sh_acc_mul(mbedtls_ecp_group *grp, struct sh_slot *slot, int a, const mbedtls_mpi *w,
		      const mbedtls_ecp_point *p)
{
	mbedtls_ecp_point x;
	int ret;

	mbedtls_ecp_point_init(&x);
	ret = gx_mul_secret(grp, &x, w, p);
	if (ret == 0)
		ret = gx_add(grp, &slot->acc[a], &slot->acc[a], &x);
	mbedtls_ecp_point_free(&x);
	return ret;
}

/* P1: output i re-encrypts input psi(i); w'_i times h_i, A'_i, B'_i summed. */
static int sh_task_out(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
		       uint32_t count)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point pk, a, b, h;
	mbedtls_mpi r, w;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	(void)k;
	mbedtls_ecp_point_init(&pk), mbedtls_ecp_point_init(&a), mbedtls_ecp_point_init(&b);
	mbedtls_ecp_point_init(&h);
	mbedtls_mpi_init(&r), mbedtls_mpi_init(&w);
	if (ret == 0)
		ret = group_point_read(grp, &pk, run->st->pk);
	for (uint32_t i = first; i < first + count && ret == 0; i++) {
		size_t at = (size_t)(i - run->w_first) * SHUFFLE_CT_LEN;

		ret = sh_secret(pv->sec->seed, SH_RPRIME, pv->psi[i], &r);
		if (ret == 0)
			ret = sh_reencrypt(grp, &pk, pv->in + at, &r, &a, &b, pv->out + at);
		if (ret == 0)
			ret = sh_generator(grp, run->st, i + 1, &h);
		if (ret == 0)
			ret = sh_secret(pv->sec->seed, SH_OMEGA_PRIME, i, &w);
		if (ret == 0)
			ret = sh_acc_mul(grp, slot, ACC_H, &w, &h);
		if (ret == 0)
			ret = sh_acc_mul(grp, slot, ACC_A, &w, &a);
		if (ret == 0)
			ret = sh_acc_mul(grp, slot, ACC_B, &w, &b);
	}
	mbedtls_ecp_point_free(&pk), mbedtls_ecp_point_free(&a), mbedtls_ecp_point_free(&b);
	mbedtls_ecp_point_free(&h);
	mbedtls_mpi_free(&r), mbedtls_mpi_free(&w); /* zeroize */
	return ret;
}

/* P2: C_j = r_j G + h_phi(j); r_j summed (r-bar). psi holds phi here. */
static int sh_task_c(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
		     uint32_t count)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point x, h;
	mbedtls_mpi r;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	(void)k;
	mbedtls_ecp_point_init(&x), mbedtls_ecp_point_init(&h);
	mbedtls_mpi_init(&r);
	for (uint32_t j = first; j < first + count && ret == 0; j++) {
		ret = sh_generator(grp, run->st, pv->psi[j] + 1, &h);
		if (ret == 0)
			ret = sh_secret(pv->sec->seed, SH_R, j, &r);
		if (ret == 0)
			ret = gx_mul_secret(grp, &x, &r, NULL);
		if (ret == 0)
			ret = gx_add(grp, &x, &x, &h);
		if (ret == 0)
			ret = sh_point_write(grp, &x, pv->out + (size_t)(j - run->w_first) *
								  GROUP_POINT_LEN);
		if (ret == 0)
			ret = sh_add(grp, &slot->sum[SUM_R], &slot->sum[SUM_R], &r);
	}
	mbedtls_ecp_point_free(&x), mbedtls_ecp_point_free(&h);
	mbedtls_mpi_free(&r);
	return ret;
}

/* One step of the chain at index i: u' = u_psi(i), R = r^_i + u' R, U = u' U. */
static int sh_chain_step(struct sh_prove *pv, const mbedtls_ecp_group *grp, uint32_t i,
			 mbedtls_mpi *u, mbedtls_mpi *rh, mbedtls_mpi *R, mbedtls_mpi *U)
{
	int ret = sh_challenge_u(grp, pv->stseed, pv->psi[i] + 1, u);

	if (ret == 0)
		ret = sh_secret(pv->sec->seed, SH_RHAT, i, rh);
	if (ret == 0)
		ret = sh_mul(grp, R, R, u);
	if (ret == 0)
		ret = sh_add(grp, R, R, rh);
	return ret != 0 ? ret : sh_mul(grp, U, U, u);
}

/* Two scalars from, or to, locked bytes. */
static int sh_load2(const uint8_t in[2][32], mbedtls_mpi *a, mbedtls_mpi *b)
{
	int ret = mbedtls_mpi_read_binary(a, in[0], 32);

	if (ret == 0)
		ret = mbedtls_mpi_read_binary(b, in[1], 32);
	return ret != 0 ? crypto_err(ret, "scalar") : 0;
}

static int sh_store2(uint8_t out[2][32], const mbedtls_mpi *a, const mbedtls_mpi *b)
{
	int ret = mbedtls_mpi_write_binary(a, out[0], 32);

	if (ret == 0)
		ret = mbedtls_mpi_write_binary(b, out[1], 32);
	return ret != 0 ? crypto_err(ret, "scalar") : 0;
}

/* P3 and P4, first step: chunk k's R (from 0) and product of u'. */
static int sh_task_local(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
			 uint32_t count)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi u, rh, R, U;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	(void)slot;
	mbedtls_mpi_init(&u), mbedtls_mpi_init(&rh), mbedtls_mpi_init(&R), mbedtls_mpi_init(&U);
	if (ret == 0 && (mbedtls_mpi_lset(&R, 0) != 0 || mbedtls_mpi_lset(&U, 1) != 0))
		ret = ERR_NOMEM;
	for (uint32_t i = first; i < first + count && ret == 0; i++)
		ret = sh_chain_step(pv, grp, i, &u, &rh, &R, &U);
	if (ret == 0)
		ret = sh_store2(pv->sec->local[k], &R, &U);
	mbedtls_mpi_free(&u), mbedtls_mpi_free(&rh), mbedtls_mpi_free(&R), mbedtls_mpi_free(&U);
	return ret;
}

/* x = a G + b h, written at out (a, b secret). */
static int sh_two_mul(mbedtls_ecp_group *grp, const mbedtls_mpi *a, const mbedtls_mpi *b,
		      const mbedtls_ecp_point *h, uint8_t *out)
{
	mbedtls_ecp_point x, y;
	int ret;

	mbedtls_ecp_point_init(&x), mbedtls_ecp_point_init(&y);
	ret = gx_mul_secret(grp, &x, a, NULL);
	if (ret == 0)
		ret = gx_mul_secret(grp, &y, b, h);
	if (ret == 0)
		ret = gx_add(grp, &x, &x, &y);
	if (ret == 0)
		ret = sh_point_write(grp, &x, out);
	mbedtls_ecp_point_free(&x), mbedtls_ecp_point_free(&y);
	return ret;
}

/* sum[s] += secret(which, index) * u */
static int sh_sum_mul(const mbedtls_ecp_group *grp, struct sh_slot *slot, int s,
		      const uint8_t seed[32], enum sh_secret which, uint32_t index,
		      const mbedtls_mpi *u)
{
	mbedtls_mpi r;
	int ret;

	mbedtls_mpi_init(&r);
	ret = sh_secret(seed, which, index, &r);
	if (ret == 0)
		ret = sh_mul(grp, &r, &r, u);
	if (ret == 0)
		ret = sh_add(grp, &slot->sum[s], &slot->sum[s], &r);
	mbedtls_mpi_free(&r);
	return ret;
}

/* P3: C^_i = R_i G + U_i h; r~ and rho summed (r_j u_j, r'_j u_j, j = psi(i)). */
static int sh_task_chat(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
			uint32_t count)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point h;
	mbedtls_mpi u, rh, R, U;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	mbedtls_ecp_point_init(&h);
	mbedtls_mpi_init(&u), mbedtls_mpi_init(&rh), mbedtls_mpi_init(&R), mbedtls_mpi_init(&U);
	if (ret == 0)
		ret = group_point_read(grp, &h, run->h);
	if (ret == 0)
		ret = sh_load2((const uint8_t(*)[32])pv->sec->start[k], &R, &U);
	for (uint32_t i = first; i < first + count && ret == 0; i++) {
		ret = sh_chain_step(pv, grp, i, &u, &rh, &R, &U);
		if (ret == 0)
			ret = sh_two_mul(grp, &R, &U, &h,
					 pv->out + (size_t)(i - run->w_first) * GROUP_POINT_LEN);
		if (ret == 0)
			ret = sh_sum_mul(grp, slot, SUM_RTILDE, pv->sec->seed, SH_R, pv->psi[i], &u);
		if (ret == 0)
			ret = sh_sum_mul(grp, slot, SUM_RHO, pv->sec->seed, SH_RPRIME, pv->psi[i], &u);
	}
	mbedtls_ecp_point_free(&h);
	mbedtls_mpi_free(&u), mbedtls_mpi_free(&rh), mbedtls_mpi_free(&R), mbedtls_mpi_free(&U);
	return ret;
}

/* a = w^_i + w'_i R_{i-1}, b = w'_i U_{i-1} */
static int sh_that_scalars(struct sh_prove *pv, const mbedtls_ecp_group *grp, uint32_t i,
			   const mbedtls_mpi *R, const mbedtls_mpi *U, mbedtls_mpi *a,
			   mbedtls_mpi *b)
{
	mbedtls_mpi wh;
	int ret;

	mbedtls_mpi_init(&wh);
	ret = sh_secret(pv->sec->seed, SH_OMEGA_PRIME, i, b);
	if (ret == 0)
		ret = sh_secret(pv->sec->seed, SH_OMEGA_HAT, i, &wh);
	if (ret == 0)
		ret = sh_mul(grp, a, b, R);
	if (ret == 0)
		ret = sh_add(grp, a, a, &wh);
	if (ret == 0)
		ret = sh_mul(grp, b, b, U);
	mbedtls_mpi_free(&wh);
	return ret;
}

/* P4: t^_i = w^_i G + w'_i C^_{i-1} = (w^_i + w'_i R_{i-1}) G + (w'_i U_{i-1}) h. */
static int sh_task_that(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
			uint32_t count)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point h;
	mbedtls_mpi u, rh, R, U, a, b;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	(void)slot;
	mbedtls_ecp_point_init(&h);
	mbedtls_mpi_init(&u), mbedtls_mpi_init(&rh), mbedtls_mpi_init(&R), mbedtls_mpi_init(&U);
	mbedtls_mpi_init(&a), mbedtls_mpi_init(&b);
	if (ret == 0)
		ret = group_point_read(grp, &h, run->h);
	if (ret == 0)
		ret = sh_load2((const uint8_t(*)[32])pv->sec->start[k], &R, &U);
	for (uint32_t i = first; i < first + count && ret == 0; i++) {
		ret = sh_that_scalars(pv, grp, i, &R, &U, &a, &b);
		if (ret == 0)
			ret = sh_two_mul(grp, &a, &b, &h,
					 pv->out + (size_t)(i - run->w_first) * GROUP_POINT_LEN);
		if (ret == 0)
			ret = sh_chain_step(pv, grp, i, &u, &rh, &R, &U);
	}
	mbedtls_ecp_point_free(&h);
	mbedtls_mpi_free(&u), mbedtls_mpi_free(&rh), mbedtls_mpi_free(&R), mbedtls_mpi_free(&U);
	mbedtls_mpi_free(&a), mbedtls_mpi_free(&b);
	return ret;
}

/* P5 (s^_i = w^_i - c r^_i) and P6 (s'_i = w'_i - c u'_i). */
static int sh_response(struct sh_run *run, uint32_t first, uint32_t count, int prime)
{
	struct sh_prove *pv = PV(run);
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi x, w;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	mbedtls_mpi_init(&x), mbedtls_mpi_init(&w);
	for (uint32_t i = first; i < first + count && ret == 0; i++) {
		if (prime)
			ret = sh_challenge_u(grp, pv->stseed, pv->psi[i] + 1, &x);
		else
			ret = sh_secret(pv->sec->seed, SH_RHAT, i, &x);
		if (ret == 0)
			ret = sh_secret(pv->sec->seed, prime ? SH_OMEGA_PRIME : SH_OMEGA_HAT, i, &w);
		if (ret == 0)
			ret = sh_mul(grp, &x, &x, &pv->c);
		if (ret == 0)
			ret = sh_sub(grp, &w, &w, &x);
		if (ret == 0 && mbedtls_mpi_write_binary(&w, pv->out + (size_t)(i - run->w_first) *
								      GROUP_SCALAR_LEN, 32) != 0)
			ret = ERR_INTERNAL;
	}
	mbedtls_mpi_free(&x), mbedtls_mpi_free(&w);
	return ret;
}

static int sh_task_shat(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
			uint32_t count)
{
	(void)slot, (void)k;
	return sh_response(run, first, count, 0);
}

static int sh_task_sprime(struct sh_run *run, struct sh_slot *slot, uint32_t k, uint32_t first,
			  uint32_t count)
{
	(void)slot, (void)k;
	return sh_response(run, first, count, 1);
}

/* --- the passes (calling thread) ------------------------------------------------- */

/* P1's inputs: e_psi(i), one read each, in the window's order. */
static int sh_prep_inputs(struct sh_prove *pv, uint32_t first, uint32_t count)
{
	const struct shuffle_io *io = pv->run.io;
	int ret = 0;

	for (uint32_t i = 0; i < count && ret == 0; i++)
		ret = io->read_inputs(io->ctx, pv->psi[first + i], 1, pv->in + (size_t)i *
									       SHUFFLE_CT_LEN);
	return ret;
}

/* P3's and P4's chain: each chunk's local R and product, then its start. */
static int sh_prep_chain(struct sh_prove *pv, uint32_t first, uint32_t count)
{
	const mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi R, U, Rl, Ul;
	int ret = grp != NULL ? sh_window(&pv->run, first, count, sh_task_local) : ERR_NOMEM;

	mbedtls_mpi_init(&R), mbedtls_mpi_init(&U), mbedtls_mpi_init(&Rl), mbedtls_mpi_init(&Ul);
	if (ret == 0)
		ret = sh_load2((const uint8_t(*)[32])pv->sec->carry, &R, &U);
	for (uint32_t k = 0; k < (count + SH_CHUNK - 1) / SH_CHUNK && ret == 0; k++) {
		ret = sh_store2(pv->sec->start[k], &R, &U);
		if (ret == 0)
			ret = sh_load2((const uint8_t(*)[32])pv->sec->local[k], &Rl, &Ul);
		if (ret == 0) /* R = R_local + (product of the chunk's u') R */
			ret = sh_mul(grp, &R, &R, &Ul);
		if (ret == 0)
			ret = sh_add(grp, &R, &R, &Rl);
		if (ret == 0)
			ret = sh_mul(grp, &U, &U, &Ul);
	}
	if (ret == 0)
		ret = sh_store2(pv->sec->carry, &R, &U);
	mbedtls_mpi_free(&R), mbedtls_mpi_free(&U), mbedtls_mpi_free(&Rl), mbedtls_mpi_free(&Ul);
	return ret;
}

/* A pass: for each window, prep, the tasks, then the write and the hash. */
static int sh_pass(struct sh_prove *pv, enum shuffle_part part, sh_task_fn task,
		   int (*prep)(struct sh_prove *, uint32_t, uint32_t), struct hash_ctx *h)
{
	const struct shuffle_io *io = pv->run.io;
	size_t elem = shuffle_part_elem(part);
	uint32_t n = pv->run.st->n, win = sh_window_len(), count;
	int ret = 0;

	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		if (prep != NULL)
			ret = prep(pv, first, count);
		if (ret == 0)
			ret = sh_window(&pv->run, first, count, task);
		if (ret == 0)
			ret = io->write(io->ctx, part, first, count, pv->out);
		if (ret == 0 && h != NULL)
			ret = sh_hash_points(h, pv->out, (size_t)count * elem);
	}
	return ret;
}

/* R = 0, U = 1 before the first window of a chain pass. */
static void sh_chain_reset(struct sh_prove *pv)
{
	memset(pv->sec->carry, 0, sizeof(pv->sec->carry));
	pv->sec->carry[1][31] = 1;
}

/* P0 to P2, hashed into the statement's seed. */
static int sh_commit(struct sh_prove *pv)
{
	const struct shuffle_statement *st = pv->run.st;
	struct hash_ctx *h = NULL;
	int ret = sh_hash_begin(&h, SH_TAG_STATEMENT);

	if (ret == 0)
		ret = sh_hash_statement(h, st);
	if (ret == 0)
		ret = sh_hash_inputs(&pv->run, h, pv->in);
	if (ret == 0)
		ret = sh_pass(pv, SHUFFLE_OUT, sh_task_out, sh_prep_inputs, h);
	if (ret == 0) { /* C is in input order: psi^-1 gives each input's output */
		sh_invert(pv->psi, st->n);
		ret = sh_pass(pv, SHUFFLE_C, sh_task_c, NULL, h);
		sh_invert(pv->psi, st->n);
	}
	if (ret == 0) {
		ret = hash_final(h, pv->stseed);
		h = NULL;
	}
	hash_abort(h);
	return ret;
}

/* t1 = w1 G, t2 = w2 G, t3 = w3 G + sum w'_i h_i, tA = -w4 G + sum w'_i A'_i,
 * tB = -w4 PK + sum w'_i B'_i. */
static int sh_t(struct sh_prove *pv, uint8_t t[5 * GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point sum, x, pk;
	mbedtls_mpi w;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	mbedtls_ecp_point_init(&sum), mbedtls_ecp_point_init(&x), mbedtls_ecp_point_init(&pk);
	mbedtls_mpi_init(&w);
	if (ret == 0)
		ret = group_point_read(grp, &pk, pv->run.st->pk);
	for (int k = 0; k < 5 && ret == 0; k++) {
		ret = sh_secret(pv->sec->seed, SH_OMEGA, k < 3 ? (uint32_t)k : 3, &w);
		if (ret == 0 && k >= 3)
			ret = sh_neg(grp, &w, &w);
		if (ret == 0)
			ret = gx_mul_secret(grp, &x, &w, k == 4 ? &pk : NULL);
		if (ret == 0 && k >= 2)
			ret = sh_slots_acc(&pv->run, ACC_H + (k - 2), &sum);
		if (ret == 0 && k >= 2)
			ret = gx_add(grp, &x, &x, &sum);
		if (ret == 0)
			ret = sh_point_write(grp, &x, t + k * GROUP_POINT_LEN);
	}
	mbedtls_ecp_point_free(&sum), mbedtls_ecp_point_free(&x), mbedtls_ecp_point_free(&pk);
	mbedtls_mpi_free(&w);
	return ret;
}

/* P3, T, P4, hashed into the challenge c. */
static int sh_challenge(struct sh_prove *pv)
{
	const struct shuffle_io *io = pv->run.io;
	uint8_t t[5 * GROUP_POINT_LEN], c[HASH_LEN];
	struct hash_ctx *h = NULL;
	int ret = sh_hash_begin(&h, SH_TAG_CHALLENGE);

	if (ret == 0)
		ret = sh_hash_part(h, pv->stseed, sizeof(pv->stseed));
	sh_chain_reset(pv);
	if (ret == 0)
		ret = sh_pass(pv, SHUFFLE_CHAT, sh_task_chat, sh_prep_chain, h);
	memcpy(pv->sec->rhat, pv->sec->carry[0], 32);
	if (ret == 0)
		ret = sh_t(pv, t);
	if (ret == 0)
		ret = io->write(io->ctx, SHUFFLE_T, 0, 1, t);
	if (ret == 0)
		ret = sh_hash_points(h, t, sizeof(t));
	sh_chain_reset(pv);
	if (ret == 0)
		ret = sh_pass(pv, SHUFFLE_THAT, sh_task_that, sh_prep_chain, h);
	if (ret == 0) {
		ret = hash_final(h, c);
		h = NULL;
	}
	hash_abort(h);
	if (ret == 0)
		ret = sh_scalar_from_hash(&pv->c, c);
	return ret;
}

/* s_k = w_k - c x_k with x = r-bar, r^, r~, rho. */
static int sh_s(struct sh_prove *pv, uint8_t s[4 * GROUP_SCALAR_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi x, w;
	int ret = grp != NULL ? 0 : ERR_NOMEM;

	mbedtls_mpi_init(&x), mbedtls_mpi_init(&w);
	for (int k = 0; k < 4 && ret == 0; k++) {
		if (k == 1)
			ret = mbedtls_mpi_read_binary(&x, pv->sec->rhat, 32) != 0 ? ERR_NOMEM : 0;
		else
			ret = sh_slots_sum(&pv->run, k == 0 ? SUM_R : k == 2 ? SUM_RTILDE : SUM_RHO,
					   0, &x);
		if (ret == 0)
			ret = sh_secret(pv->sec->seed, SH_OMEGA, (uint32_t)k, &w);
		if (ret == 0)
			ret = sh_mul(grp, &x, &x, &pv->c);
		if (ret == 0)
			ret = sh_sub(grp, &w, &w, &x);
		if (ret == 0 && mbedtls_mpi_write_binary(&w, s + k * GROUP_SCALAR_LEN, 32) != 0)
			ret = ERR_INTERNAL;
	}
	mbedtls_mpi_free(&x), mbedtls_mpi_free(&w);
	return ret;
}

/* S, P5, P6. */
static int sh_respond(struct sh_prove *pv)
{
	const struct shuffle_io *io = pv->run.io;
	uint8_t s[4 * GROUP_SCALAR_LEN];
	int ret = sh_s(pv, s);

	if (ret == 0)
		ret = io->write(io->ctx, SHUFFLE_S, 0, 1, s);
	if (ret == 0)
		ret = sh_pass(pv, SHUFFLE_SHAT, sh_task_shat, NULL, NULL);
	if (ret == 0)
		ret = sh_pass(pv, SHUFFLE_SPRIME, sh_task_sprime, NULL, NULL);
	return ret;
}

/* Locked buffers: the secrets, the permutation, one window of inputs and
 * one of outputs (inputs in permuted order tie outputs to inputs). */
static int sh_prove_alloc(struct sh_prove *pv, uint32_t n)
{
	pv->sec = secmem_alloc(sizeof(*pv->sec));
	pv->psi = secmem_alloc((size_t)n * sizeof(*pv->psi));
	pv->in = secmem_alloc((size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	pv->out = secmem_alloc((size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	if (pv->sec == NULL || pv->psi == NULL || pv->in == NULL || pv->out == NULL) {
		err_detail("shuffle: no locked memory for %u ballots", n);
		return ERR_NOMEM;
	}
	return 0;
}

static void sh_prove_free(struct sh_prove *pv, uint32_t n)
{
	sh_run_end(&pv->run); /* the slots' sums are zeroized */
	sh_secmem_free(pv->sec, sizeof(*pv->sec));
	sh_secmem_free(pv->psi, (size_t)n * sizeof(*pv->psi));
	sh_secmem_free(pv->in, (size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	sh_secmem_free(pv->out, (size_t)SH_WINDOW * SHUFFLE_CT_LEN);
	mbedtls_mpi_free(&pv->c);
}

static int sh_prove(const struct shuffle_statement *st, const struct shuffle_io *io,
		    const uint8_t seed[32], unsigned jobs)
{
	struct sh_prove pv;
	int ret;

	memset(&pv, 0, sizeof(pv));
	mbedtls_mpi_init(&pv.c);
	ret = sh_statement_check(st);
	if (ret != 0)
		return ret;
	ret = sh_prove_alloc(&pv, st->n);
	if (ret == 0) {
		memcpy(pv.sec->seed, seed, 32);
		ret = sh_run_begin(&pv.run, st, io, jobs);
		pv.run.pass = &pv;
	}
	if (ret == 0)
		ret = sh_permutation(pv.sec->seed, pv.psi, st->n);
	if (ret == 0)
		ret = sh_commit(&pv);
	if (ret == 0)
		ret = sh_challenge(&pv);
	if (ret == 0)
		ret = sh_respond(&pv);
	sh_prove_free(&pv, st->n);
	return ret;
}

int shuffle_prove(const struct shuffle_statement *st, const struct shuffle_io *io,
		  struct rng *rng, unsigned jobs)
{
	uint8_t *seed = secmem_alloc(32);
	int ret;

	if (seed == NULL) {
		err_detail("shuffle: no locked memory");
		return ERR_NOMEM;
	}
	ret = rng_bytes(rng, seed, 32);
	if (ret == 0)
		ret = sh_prove(st, io, seed, jobs);
	sh_secmem_free(seed, 32);
	return ret;
}

#ifdef CONFIG_CRYPTO_TEST_SEED
int shuffle_prove_seeded(const struct shuffle_statement *st, const struct shuffle_io *io,
			 const uint8_t seed[32], unsigned jobs)
{
	return sh_prove(st, io, seed, jobs);
}
#endif
