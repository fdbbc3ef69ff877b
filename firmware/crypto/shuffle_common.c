/*
 * What the shuffle's prover and verifier share (shuffle_int.h): the layout
 * of the parts, the generators, the tagged-hash stream, and the windows
 * run on the worker pool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/pool.h"
#include "crypto/group_ext.h"
#include "crypto/h2c.h"
#include "crypto/internal.h"
#include "crypto/secmem.h"
#include "crypto/shuffle_int.h"

#define SH_DST "SCEAU-V2-SHUFFLE-GENERATORS_P256_XMD:SHA-256_SSWU_RO_"

/* --- layout ------------------------------------------------------------------ */

size_t shuffle_part_elem(enum shuffle_part part)
{
	switch (part) {
	case SHUFFLE_OUT:
		return SHUFFLE_CT_LEN;
	case SHUFFLE_C:
	case SHUFFLE_CHAT:
	case SHUFFLE_THAT:
		return GROUP_POINT_LEN;
	case SHUFFLE_T:
		return 5 * GROUP_POINT_LEN;
	case SHUFFLE_S:
		return 4 * GROUP_SCALAR_LEN;
	case SHUFFLE_SHAT:
	case SHUFFLE_SPRIME:
		return GROUP_SCALAR_LEN;
	default:
		return 0;
	}
}

uint32_t shuffle_part_count(enum shuffle_part part, uint32_t n)
{
	if (part == SHUFFLE_T || part == SHUFFLE_S)
		return 1;
	return part < SHUFFLE_PARTS ? n : 0;
}

uint64_t shuffle_part_offset(enum shuffle_part part, uint32_t n)
{
	uint64_t off = 0;

	for (int p = 0; p < (int)part && p < SHUFFLE_PARTS; p++)
		off += (uint64_t)shuffle_part_elem((enum shuffle_part)p) *
		       shuffle_part_count((enum shuffle_part)p, n);
	return off;
}

/* --- generators --------------------------------------------------------------- */

int shuffle_generator(const uint8_t election_id[32], uint16_t scrutin_id, uint32_t index,
		      uint8_t out[GROUP_POINT_LEN])
{
	uint8_t msg[32 + 2 + 4];

	memcpy(msg, election_id, 32);
	msg[32] = (uint8_t)(scrutin_id >> 8);
	msg[33] = (uint8_t)scrutin_id;
	msg[34] = (uint8_t)(index >> 24);
	msg[35] = (uint8_t)(index >> 16);
	msg[36] = (uint8_t)(index >> 8);
	msg[37] = (uint8_t)index;
	return h2c_hash_to_curve(msg, sizeof(msg), SH_DST, strlen(SH_DST), out);
}

int sh_generator(const mbedtls_ecp_group *grp, const struct shuffle_statement *st, uint32_t i,
		 mbedtls_ecp_point *p)
{
	uint8_t buf[GROUP_POINT_LEN];
	int ret = shuffle_generator(st->election_id, st->scrutin_id, i, buf);

	return ret != 0 ? ret : group_point_read(grp, p, buf);
}

/* --- points and scalars --------------------------------------------------------- */

int sh_point_read(const mbedtls_ecp_group *grp, mbedtls_ecp_point *p, const uint8_t *in,
		  const char *what, uint32_t index)
{
	int ret = group_point_read(grp, p, in);

	if (ret == ERR_FORMAT)
		err_detail("%s %u: not a point of P-256", what, index);
	return ret;
}

int sh_point_write(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *p, uint8_t *out)
{
	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)p)) {
		err_detail("shuffle: a draw gave the point at infinity (probability 2^-250): "
			   "run it again");
		return ERR_CRYPTO;
	}
	return group_point_write(grp, p, out);
}

static int sh_mod(const mbedtls_ecp_group *grp, mbedtls_mpi *r, int ret)
{
	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(r, r, &grp->N);
	return ret != 0 ? crypto_err(ret, "scalar arithmetic") : 0;
}

int sh_mul(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b)
{
	return sh_mod(grp, r, mbedtls_mpi_mul_mpi(r, a, b));
}

int sh_add(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b)
{
	return sh_mod(grp, r, mbedtls_mpi_add_mpi(r, a, b));
}

int sh_sub(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b)
{
	return sh_mod(grp, r, mbedtls_mpi_sub_mpi(r, a, b));
}

int sh_neg(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a)
{
	int ret = mbedtls_mpi_mod_mpi(r, a, &grp->N);

	if (ret == 0 && mbedtls_mpi_cmp_int(r, 0) != 0)
		ret = mbedtls_mpi_sub_mpi(r, &grp->N, r);
	return ret != 0 ? crypto_err(ret, "scalar arithmetic") : 0;
}

int sh_statement_check(const struct shuffle_statement *st)
{
	if (st->n == 0 || st->n > SHUFFLE_MAX_N) {
		err_detail("shuffle: %u ballots (1 to %u; an empty scrutin has no shuffle)",
			   st->n, SHUFFLE_MAX_N);
		return ERR_RANGE;
	}
	if (group_point_check(st->pk) != 0) {
		err_detail("shuffle: the public key is not a point of P-256");
		return ERR_FORMAT;
	}
	return 0;
}

/* --- hashing ------------------------------------------------------------------------ */

static void sh_be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

int sh_hash_part(struct hash_ctx *h, const void *data, size_t len)
{
	uint8_t be[4];
	int ret;

	sh_be32(be, (uint32_t)len);
	ret = hash_update(h, be, 4);
	return ret != 0 ? ret : hash_update(h, data, len);
}

int sh_hash_begin(struct hash_ctx **h, const char *tag)
{
	int ret = hash_begin(h);

	if (ret == 0 && (ret = sh_hash_part(*h, tag, strlen(tag))) != 0) {
		hash_abort(*h);
		*h = NULL;
	}
	return ret;
}

int sh_hash_statement(struct hash_ctx *h, const struct shuffle_statement *st)
{
	uint8_t sid[2] = { (uint8_t)(st->scrutin_id >> 8), (uint8_t)st->scrutin_id }, n[4];
	int ret;

	sh_be32(n, st->n);
	ret = sh_hash_part(h, st->election_id, 32);
	if (ret == 0)
		ret = sh_hash_part(h, sid, 2);
	if (ret == 0)
		ret = sh_hash_part(h, st->pk, GROUP_POINT_LEN);
	return ret != 0 ? ret : sh_hash_part(h, n, 4);
}

int sh_hash_points(struct hash_ctx *h, const uint8_t *data, size_t bytes)
{
	int ret = 0;

	for (size_t o = 0; o < bytes && ret == 0; o += GROUP_POINT_LEN)
		ret = sh_hash_part(h, data + o, GROUP_POINT_LEN);
	return ret;
}

int sh_hash_inputs(struct sh_run *run, struct hash_ctx *h, uint8_t *buf)
{
	const struct shuffle_io *io = run->io;
	uint32_t n = run->st->n, win = sh_window_len(), count;
	int ret = 0;

	for (uint32_t first = 0; first < n && ret == 0; first += count) {
		count = n - first < win ? n - first : win;
		ret = io->read_inputs(io->ctx, first, count, buf);
		if (ret == 0)
			ret = sh_hash_points(h, buf, (size_t)count * SHUFFLE_CT_LEN);
	}
	return ret;
}

int sh_scalar_from_hash(mbedtls_mpi *x, const uint8_t d[32])
{
	const mbedtls_ecp_group *grp = group_grp();
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	ret = mbedtls_mpi_read_binary(x, d, 32);
	return sh_mod(grp, x, ret);
}

int sh_challenge_u(const mbedtls_ecp_group *grp, const uint8_t seed[32], uint32_t j,
		   mbedtls_mpi *u)
{
	uint8_t be[4], d[HASH_LEN];
	struct hash_part parts[2] = { { seed, 32 }, { be, 4 } };
	int ret;

	sh_be32(be, j);
	ret = hash_tagged(SH_TAG_U, parts, 2, d);
	if (ret == 0 && (ret = mbedtls_mpi_read_binary(u, d, sizeof(d))) != 0)
		ret = crypto_err(ret, "scalar");
	return ret != 0 ? ret : sh_mod(grp, u, 0);
}

/* --- windows on the pool ------------------------------------------------------------ */

#ifdef CONFIG_CRYPTO_TEST_SEED
uint32_t shuffle_test_window = SH_WINDOW;
#endif

uint32_t sh_window_len(void)
{
#ifdef CONFIG_CRYPTO_TEST_SEED
	uint32_t w = shuffle_test_window;

	if (w >= SH_CHUNK && w <= SH_WINDOW && w % SH_CHUNK == 0)
		return w;
#endif
	return SH_WINDOW;
}

void sh_fail(struct sh_run *run, int ret)
{
	pthread_mutex_lock(&run->mu);
	if (run->ret == 0) {
		run->ret = ret;
		snprintf(run->detail, sizeof(run->detail), "%s", err_last_detail());
	}
	pthread_mutex_unlock(&run->mu);
}

/* A free slot, or NULL when a task failed already (the run's result is
 * dropped: the other tasks need not run). */
static struct sh_slot *sh_slot_take(struct sh_run *run)
{
	struct sh_slot *s = NULL;

	pthread_mutex_lock(&run->mu);
	for (unsigned i = 0; i < run->nslots && s == NULL && run->ret == 0; i++)
		if (!run->slots[i].busy) {
			s = &run->slots[i];
			s->busy = 1;
		}
	pthread_mutex_unlock(&run->mu);
	return s; /* no more tasks run at once than threads: one is free */
}

static void sh_slot_give(struct sh_run *run, struct sh_slot *s)
{
	pthread_mutex_lock(&run->mu);
	s->busy = 0;
	pthread_mutex_unlock(&run->mu);
}

static void sh_pool_fn(void *arg, unsigned k)
{
	struct sh_run *run = arg;
	uint32_t first = run->w_first + k * SH_CHUNK, end = run->w_first + run->w_count;
	struct sh_slot *s;
	int ret;

	s = sh_slot_take(run);
	if (s == NULL) { /* kept only if no task failed before */
		err_detail("shuffle: no free accumulator");
		sh_fail(run, ERR_INTERNAL);
		return;
	}
	ret = run->task(run, s, k, first, end - first < SH_CHUNK ? end - first : SH_CHUNK);
	sh_slot_give(run, s);
	if (ret != 0)
		sh_fail(run, ret);
}

int sh_window(struct sh_run *run, uint32_t first, uint32_t count, sh_task_fn task)
{
	run->w_first = first;
	run->w_count = count;
	run->task = task;
	pool_run(run->pool, (count + SH_CHUNK - 1) / SH_CHUNK);
	pool_wait(run->pool);
	if (run->ret != 0)
		err_detail("%s", run->detail);
	return run->ret;
}

int sh_run_begin(struct sh_run *run, const struct shuffle_statement *st,
		 const struct shuffle_io *io, unsigned jobs)
{
	int ret;

	memset(run, 0, sizeof(*run));
	run->st = st;
	run->io = io;
	pthread_mutex_init(&run->mu, NULL);
	ret = pool_start(jobs ? jobs : pool_default_jobs(), sh_pool_fn, run, &run->pool);
	if (ret != 0)
		return ret;
	run->nslots = pool_threads(run->pool);
	run->slots = calloc(run->nslots, sizeof(*run->slots));
	if (run->slots == NULL)
		return ERR_NOMEM;
	for (unsigned i = 0; i < run->nslots; i++) {
		for (int a = 0; a < SH_ACC; a++)
			mbedtls_ecp_point_init(&run->slots[i].acc[a]); /* zero: X = Y = Z = 0 */
		for (int s = 0; s < SH_SUM; s++)
			mbedtls_mpi_init(&run->slots[i].sum[s]);
	}
	for (unsigned i = 0; i < run->nslots; i++)
		for (int a = 0; a < SH_ACC; a++)
			if (mbedtls_ecp_set_zero(&run->slots[i].acc[a]) != 0)
				return ERR_NOMEM;
	return shuffle_generator(st->election_id, st->scrutin_id, 0, run->h);
}

void sh_run_end(struct sh_run *run)
{
	pool_stop(run->pool);
	run->pool = NULL;
	for (unsigned i = 0; run->slots != NULL && i < run->nslots; i++) {
		for (int a = 0; a < SH_ACC; a++)
			mbedtls_ecp_point_free(&run->slots[i].acc[a]); /* zeroizes */
		for (int s = 0; s < SH_SUM; s++)
			mbedtls_mpi_free(&run->slots[i].sum[s]);
	}
	free(run->slots);
	run->slots = NULL;
	pthread_mutex_destroy(&run->mu);
}

int sh_slots_acc(struct sh_run *run, int a, mbedtls_ecp_point *out)
{
	mbedtls_ecp_group *grp = group_grp();
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	ret = mbedtls_ecp_set_zero(out) != 0 ? ERR_NOMEM : 0;
	for (unsigned i = 0; i < run->nslots && ret == 0; i++)
		ret = gx_add(grp, out, out, &run->slots[i].acc[a]);
	return ret;
}

int sh_slots_sum(struct sh_run *run, int s, int mode, mbedtls_mpi *out)
{
	mbedtls_ecp_group *grp = group_grp();
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	ret = mbedtls_mpi_lset(out, mode);
	for (unsigned i = 0; i < run->nslots && ret == 0; i++)
		ret = mode ? sh_mul(grp, out, out, &run->slots[i].sum[s])
			   : sh_add(grp, out, out, &run->slots[i].sum[s]);
	return ret;
}

int sh_slots_set(struct sh_run *run, int s, int v)
{
	int ret = 0;

	for (unsigned i = 0; i < run->nslots && ret == 0; i++)
		ret = mbedtls_mpi_lset(&run->slots[i].sum[s], v);
	return ret != 0 ? ERR_NOMEM : 0;
}
