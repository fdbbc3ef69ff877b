/*
 * The worked vectors of the v2 files (tests/data/v2-formats, README.md
 * there): a small urn (sceau-urn/2 ballots.bin) with a ballot of every
 * kind the box meets (valid, blank, struck, bad version, unreadable, a
 * failed proof, the same A sent twice with valid proofs, a junk-proof copy
 * of another ballot's A sorting before it), each scrutin's shuffle file
 * and the decrypted-ballots file, all made from fixed scalars and seeds so
 * that their bytes are fixed. This test makes them again and compares them
 * byte for byte with the committed files, then reads those with the box's
 * readers: every record's outcome, the set-aside rule, each shuffle proof
 * (shuffle_verify), each decryption proof. tests/format/test_v2_formats.sh
 * checks the same files with an independent reader written in Python from
 * docs/FORMATS.md.
 *
 *   SCEAU_WRITE_VECTORS=1 build/dev/tests/format/test_v2_vectors
 * writes them again (after a deliberate change of the formats only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/shuffle.h"
#include "format/decrypted.h"
#include "format/election.h"
#include "format/shuffle_file.h"
#include "format/urn.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/hex.h"
#include "lib/json_util.h"
#include "../support/testlib.h"

#define VEC_DIR "tests/data/v2-formats"
#define N_CAST 11
#define N_SCRUTINS 2

/* What each cast ballot is: its scrutin, its plaintext (hex), how it is made. */
enum kind { K_PLAIN, K_UNREADABLE, K_BAD_PROOF, K_RESENT, K_JUNK };

static const struct {
	uint16_t scrutin;
	const char *pt;
	enum kind kind;
	unsigned of; /* K_RESENT: the ballot whose r it reuses; K_JUNK: whose A, B */
	const char *what;
} cast[N_CAST] = {
	{ 1, "01000102", K_PLAIN, 0, "list 1, candidate 2 struck" },
	{ 1, "01000200", K_PLAIN, 0, "list 2" },
	{ 1, "01000000", K_PLAIN, 0, "blank" },
	{ 1, "01000100", K_PLAIN, 0, "list 1" },
	{ 1, "02000100", K_PLAIN, 0, "version 2: nul bad-version" },
	{ 2, "01000100", K_PLAIN, 0, "list 1" },
	{ 2, "01000101", K_PLAIN, 0, "list 1, candidate 1 struck" },
	{ 2, "00000000", K_UNREADABLE, 0, "B = G + rPK, a valid proof: M = G, unreadable" },
	{ 1, "01000100", K_BAD_PROOF, 0, "list 1, z one more: proof-failed" },
	{ 1, "01000100", K_RESENT, 3, "ballot 3 sent again with its r: the later one is a duplicate" },
	{ 2, "01000100", K_JUNK, 5, "A and B of ballot 5, junk c and z, sorting before it: proof-failed" },
};

struct vec {
	struct election *e;
	uint8_t sk[32], pk[65];
	uint8_t rec[N_CAST][URN_RECORD_LEN];
	uint8_t trk[N_CAST][32];
	unsigned order[N_CAST];       /* urn position -> cast index */
	const char *aside[N_CAST];    /* by cast index: NULL, "proof-failed", "duplicate" */
	uint32_t n[N_SCRUTINS + 1];   /* kept ballots per scrutin */
	char dir[300];
};

/* A scalar in [1, n-1] from a label and a number. */
static void vec_scalar(const char *label, uint32_t i, uint8_t k[32])
{
	uint8_t buf[80], d[32];
	size_t len = strlen(label);

	memcpy(buf, label, len);
	buf[len] = (uint8_t)(i >> 24), buf[len + 1] = (uint8_t)(i >> 16);
	buf[len + 2] = (uint8_t)(i >> 8), buf[len + 3] = (uint8_t)i;
	assert_int_equal(hash_sha256(buf, len + 4, d), 0);
	assert_int_equal(scalar_reduce(k, d, 32), 0);
	assert_true(scalar_is_valid(k));
}

static void vec_path(const struct vec *v, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", v->dir, name);
}

/* B = G + rPK with its proof made by hand: a ballot that decrypts to G. */
static void vec_unreadable(struct vec *v, unsigned i, const uint8_t r[32], const uint8_t k[32])
{
	uint8_t one[32], G[65], rpk[65], T[65], sid[2], h[32], cr[32];
	uint8_t *rec = v->rec[i];
	const struct hash_part parts[] = { { v->e->id, 32 }, { sid, 2 },
					   { rec + BALLOT2_OFF_A, 65 },
					   { rec + BALLOT2_OFF_B, 65 }, { T, 65 } };

	scalar_from_u32(one, 1);
	sid[0] = 0, sid[1] = (uint8_t)cast[i].scrutin;
	rec[0] = sid[0], rec[1] = sid[1];
	assert_int_equal(group_mul_base(G, one), 0);
	assert_int_equal(group_mul_base(rec + BALLOT2_OFF_A, r), 0);
	assert_int_equal(group_mul(rpk, r, v->pk), 0);
	assert_int_equal(group_add(rec + BALLOT2_OFF_B, G, rpk), 0);
	assert_int_equal(group_mul_base(T, k), 0);
	assert_int_equal(hash_tagged(BALLOT2_POK_TAG, parts, 5, h), 0);
	assert_int_equal(scalar_reduce(rec + BALLOT2_OFF_C, h, 32), 0);
	assert_int_equal(scalar_mul(cr, rec + BALLOT2_OFF_C, r), 0);
	assert_int_equal(scalar_add(rec + BALLOT2_OFF_Z, k, cr), 0);
}

/* A junk proof for ballot `of`'s A and B whose tracker sorts before its. */
static void vec_junk(struct vec *v, unsigned i)
{
	unsigned of = cast[i].of;

	memcpy(v->rec[i], v->rec[of], URN_RECORD_LEN);
	for (uint32_t c = 0;; c++) {
		vec_scalar("sceau v2 format vectors junk c", c, v->rec[i] + BALLOT2_OFF_C);
		vec_scalar("sceau v2 format vectors junk z", c, v->rec[i] + BALLOT2_OFF_Z);
		assert_int_equal(ballot2_tracker(v->rec[i], v->trk[i]), 0);
		if (memcmp(v->trk[i], v->trk[of], 32) < 0)
			break;
	}
}

static void vec_ballot(struct vec *v, unsigned i)
{
	const struct scrutin *s = election_scrutin(v->e, cast[i].scrutin);
	uint8_t r[32], k[32], pt[PTENC_PT_MAX], one[32];

	vec_scalar("sceau v2 format vectors r", cast[i].kind == K_RESENT ? cast[i].of : i, r);
	vec_scalar("sceau v2 format vectors k", i, k);
	assert_int_equal(hex_decode(cast[i].pt, pt, s->pt_len), 0);
	if (cast[i].kind == K_UNREADABLE)
		vec_unreadable(v, i, r, k);
	else if (cast[i].kind != K_JUNK)
		assert_int_equal(ballot2_encrypt_fixed(r, k, v->pk, v->e->id, cast[i].scrutin, pt,
						       s->pt_len, v->rec[i]), 0);
	scalar_from_u32(one, 1);
	if (cast[i].kind == K_BAD_PROOF)
		assert_int_equal(scalar_add(v->rec[i] + BALLOT2_OFF_Z, v->rec[i] + BALLOT2_OFF_Z,
					    one), 0);
	if (cast[i].kind == K_JUNK)
		vec_junk(v, i);
	assert_int_equal(ballot2_tracker(v->rec[i], v->trk[i]), 0);
}

static int vec_cmp(const void *a, const void *b, void *arg)
{
	const struct vec *v = arg;

	return memcmp(v->trk[*(const unsigned *)a], v->trk[*(const unsigned *)b], 32);
}

/* The set-aside rule of docs/FORMATS.md, in urn order: a failed proof,
 * then an A already seen among the ballots whose proof held. */
static void vec_set_aside(struct vec *v)
{
	const uint8_t *seen[N_CAST];
	unsigned n_seen = 0;

	for (unsigned p = 0; p < N_CAST; p++) {
		unsigned i = v->order[p];
		const uint8_t *A = v->rec[i] + BALLOT2_OFF_A;
		int ret = ballot2_check(v->e->id, v->rec[i], URN_RECORD_LEN);

		assert_true(ret == 0 || ret == ERR_VERIFY);
		v->aside[i] = ret ? "proof-failed" : NULL;
		for (unsigned j = 0; !ret && j < n_seen; j++)
			if (memcmp(seen[j], A, 65) == 0)
				v->aside[i] = "duplicate";
		if (!v->aside[i]) {
			seen[n_seen++] = A;
			v->n[cast[i].scrutin]++;
		}
	}
}

static void vec_make_urn(struct vec *v)
{
	char path[700];
	uint8_t *b = malloc(urn_file_size(N_CAST));

	for (unsigned i = 0; i < N_CAST; i++)
		if (cast[i].kind != K_JUNK)
			vec_ballot(v, i);
	for (unsigned i = 0; i < N_CAST; i++)
		if (cast[i].kind == K_JUNK)
			vec_ballot(v, i);
	for (unsigned i = 0; i < N_CAST; i++)
		v->order[i] = i;
	qsort_r(v->order, N_CAST, sizeof(v->order[0]), vec_cmp, v);
	urn_header_encode(N_CAST, b);
	for (unsigned p = 0; p < N_CAST; p++)
		memcpy(b + URN_HEADER_LEN + (size_t)p * URN_RECORD_LEN, v->rec[v->order[p]],
		       URN_RECORD_LEN);
	vec_path(v, "ballots.bin", path, sizeof(path));
	assert_int_equal(file_write_atomic(path, b, urn_file_size(N_CAST), 1), 0);
	free(b);
	vec_set_aside(v);
}

/* ---- shuffles ---------------------------------------------------------------- */

struct vec_io {
	const uint8_t *inputs;
	struct shuffle_file_writer *w;
};

static int vec_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	const struct vec_io *x = ctx;

	memcpy(out, x->inputs + (size_t)first * SHUFFLE_CT_LEN, (size_t)count * SHUFFLE_CT_LEN);
	return 0;
}

static int vec_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		     const uint8_t *data)
{
	struct vec_io *x = ctx;

	return shuffle_file_write(x->w, part, first, count, data);
}

/* The inputs of scrutin s: its ballots not set aside, in urn order. */
static uint8_t *vec_inputs(const struct vec *v, uint16_t s)
{
	uint8_t *in = malloc((size_t)v->n[s] * SHUFFLE_CT_LEN + 1), *p = in;

	for (unsigned q = 0; q < N_CAST; q++) {
		unsigned i = v->order[q];
		if (cast[i].scrutin != s || v->aside[i])
			continue;
		memcpy(p, v->rec[i] + BALLOT2_OFF_A, SHUFFLE_CT_LEN);
		p += SHUFFLE_CT_LEN;
	}
	return in;
}

static void vec_statement(const struct vec *v, uint16_t s, struct shuffle_statement *st)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->election_id, v->e->id, 32);
	st->scrutin_id = s;
	memcpy(st->pk, v->pk, 65);
	st->n = v->n[s];
}

static void vec_make_shuffle(struct vec *v, uint16_t s, uint8_t sha[32])
{
	struct shuffle_statement st;
	struct shuffle_file_header h;
	struct vec_io x = { vec_inputs(v, s), NULL };
	struct shuffle_io io = { &x, vec_read_inputs, vec_write, NULL };
	char name[SHUFFLE_FILE_NAME_MAX], path[700];
	uint8_t seed[32];

	vec_statement(v, s, &st);
	memcpy(h.election_id, st.election_id, 32);
	h.scrutin = s;
	h.n = st.n;
	shuffle_file_name(s, name);
	vec_path(v, name, path, sizeof(path));
	unlink(path);
	assert_int_equal(shuffle_file_create(path, &h, &x.w), 0);
	vec_scalar("sceau v2 format vectors seed", s, seed);
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 1), 0);
	assert_int_equal(shuffle_file_finish(x.w, sha), 0);
	free((void *)x.inputs);
}

/* ---- decrypted ballots ------------------------------------------------------ */

static void vec_make_decrypted(struct vec *v, uint8_t sha[32])
{
	struct decfile_writer *w = NULL;
	char path[700];

	vec_path(v, "ballots-decrypted.bin", path, sizeof(path));
	unlink(path);
	assert_int_equal(decfile_open(path, v->n[1] + v->n[2], &w), 0);
	for (uint16_t s = 1; s <= N_SCRUTINS; s++) {
		struct shuffle_file_header want = { { 0 }, s, v->n[s] };
		struct shuffle_file_reader *r = NULL;
		char name[SHUFFLE_FILE_NAME_MAX];

		memcpy(want.election_id, v->e->id, 32);
		shuffle_file_name(s, name);
		vec_path(v, name, path, sizeof(path));
		assert_int_equal(shuffle_file_open(path, &want, &r), 0);
		for (uint32_t i = 1; i <= v->n[s]; i++) {
			struct decrypted_ballot d;
			uint8_t ct[SHUFFLE_CT_LEN];
			struct dleq2_statement st = { v->pk, v->e->id, s, ct, ct + 65, d.S };
			int ret;

			memset(&d, 0, sizeof(d));
			d.scrutin = s;
			d.idx = i;
			d.pt_len = election_scrutin(v->e, s)->pt_len;
			assert_int_equal(shuffle_file_read(r, SHUFFLE_OUT, i - 1, 1, ct), 0);
			ret = ballot2_open(v->sk, ct, ct + 65, d.pt_len, d.S, d.pt);
			assert_true(ret == 0 || ret == ERR_VERIFY);
			d.status = ret ? DECFILE_UNREADABLE : DECFILE_READ;
			assert_int_equal(dleq2_prove(v->sk, &st, d.proof), 0);
			assert_int_equal(decfile_add(w, &d), 0);
		}
		shuffle_file_close(r);
	}
	assert_int_equal(decfile_close(w, sha), 0);
}

/* ---- expected.json ------------------------------------------------------------ */

static json_t *vec_hex(const uint8_t *b, size_t n)
{
	return jutil_hex_string(b, n);
}

static void vec_write_expected(struct vec *v, uint8_t shf[N_SCRUTINS + 1][32],
			       const uint8_t dec[32])
{
	json_t *root = json_object(), *c = json_array(), *u = json_array(), *sh = json_array();
	char path[700], *text = NULL;
	size_t len = 0;

	json_object_set_new(root, "election_id", vec_hex(v->e->id, 32));
	json_object_set_new(root, "secret_key", vec_hex(v->sk, 32));
	json_object_set_new(root, "public_key", vec_hex(v->pk, 65));
	for (unsigned i = 0; i < N_CAST; i++)
		json_array_append_new(c, json_pack("{s:I, s:I, s:s, s:s}", "cast", (json_int_t)i,
						   "scrutin", (json_int_t)cast[i].scrutin,
						   "plaintext", cast[i].pt, "what", cast[i].what));
	json_object_set_new(root, "cast", c);
	for (unsigned p = 0; p < N_CAST; p++) {
		unsigned i = v->order[p];
		json_array_append_new(u, json_pack("{s:I, s:o, s:I, s:s?}", "seq", (json_int_t)p + 1,
						   "tracker", vec_hex(v->trk[i], 32), "cast",
						   (json_int_t)i, "set_aside", v->aside[i]));
	}
	json_object_set_new(root, "urn", u);
	for (uint16_t s = 1; s <= N_SCRUTINS; s++) {
		char name[SHUFFLE_FILE_NAME_MAX];
		shuffle_file_name(s, name);
		json_array_append_new(sh, json_pack("{s:I, s:s, s:I, s:o}", "scrutin",
						    (json_int_t)s, "file", name, "n",
						    (json_int_t)v->n[s], "sha256",
						    vec_hex(shf[s], 32)));
	}
	json_object_set_new(root, "shuffles", sh);
	json_object_set_new(root, "decrypted",
			    json_pack("{s:s, s:I, s:o}", "file", "ballots-decrypted.bin", "count",
				      (json_int_t)(v->n[1] + v->n[2]), "sha256", vec_hex(dec, 32)));
	assert_int_equal(jutil_dump(root, &text, &len), 0);
	vec_path(v, "expected.json", path, sizeof(path));
	assert_int_equal(file_write_atomic(path, text, len, 1), 0);
	free(text);
	json_decref(root);
}

static void vec_make(struct vec *v, const char *dir)
{
	uint8_t shf[N_SCRUTINS + 1][32], dec[32];
	char path[700];

	memset(v, 0, sizeof(*v));
	snprintf(v->dir, sizeof(v->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/" VEC_DIR "/election.json",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	assert_int_equal(election_load(path, &v->e), 0);
	vec_scalar("sceau v2 format vectors secret key", 0, v->sk);
	assert_int_equal(group_mul_base(v->pk, v->sk), 0);
	vec_make_urn(v);
	for (uint16_t s = 1; s <= N_SCRUTINS; s++) {
		assert_true(v->n[s] >= 1);
		vec_make_shuffle(v, s, shf[s]);
	}
	vec_make_decrypted(v, dec);
	vec_write_expected(v, shf, dec);
}

static const char *const vec_files[] = { "ballots.bin", "shuffle-1.bin", "shuffle-2.bin",
					 "ballots-decrypted.bin", "expected.json" };

/* Made again, byte for byte the committed files (or written, on demand). */
static void vectors_are_pinned(void **state)
{
	struct vec *v = calloc(1, sizeof(*v));
	char tmp[64], top[300];
	int write = getenv("SCEAU_WRITE_VECTORS") != NULL;

	(void)state;
	snprintf(top, sizeof(top), "%s/" VEC_DIR, getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	testlib_tmpdir(tmp, sizeof(tmp));
	vec_make(v, write ? top : tmp);
	for (size_t f = 0; !write && f < sizeof(vec_files) / sizeof(vec_files[0]); f++) {
		char a[700], b[700];
		uint8_t *x = NULL, *y = NULL;
		size_t xl = 0, yl = 0;

		snprintf(a, sizeof(a), "%s/%s", tmp, vec_files[f]);
		snprintf(b, sizeof(b), "%s/%s", top, vec_files[f]);
		assert_int_equal(file_read_all(a, 1u << 20, &x, &xl), 0);
		assert_int_equal(file_read_all(b, 1u << 20, &y, &yl), 0);
		if (xl != yl || memcmp(x, y, xl) != 0)
			fail_msg("%s differs from the committed vector", vec_files[f]);
		free(x);
		free(y);
	}
	/* the cast has what it says: two set aside for their proof, one duplicate */
	assert_string_equal(v->aside[8], "proof-failed");
	assert_string_equal(v->aside[10], "proof-failed");
	assert_null(v->aside[5]);
	assert_true((v->aside[3] == NULL) != (v->aside[9] == NULL));
	testlib_rmdir(tmp);
	election_free(v->e);
	free(v);
}

/* ---- the committed files, read by the box's readers ------------------------- */

struct rd {
	const struct election *e;
	uint8_t A[N_CAST][65];        /* A of the ballots whose proof held */
	unsigned n_A;
	uint8_t in[N_SCRUTINS + 1][N_CAST * SHUFFLE_CT_LEN];
	uint32_t n[N_SCRUTINS + 1];
	char aside[N_CAST][16];       /* by urn position */
};

static int rd_ballot(const struct urn_ballot *b, void *arg)
{
	struct rd *x = arg;
	char *why = x->aside[b->number - 1];

	why[0] = '\0';
	if (!b->proof_ok)
		snprintf(why, 16, "proof-failed");
	for (unsigned j = 0; b->proof_ok && j < x->n_A; j++)
		if (memcmp(x->A[j], b->A, 65) == 0)
			snprintf(why, 16, "duplicate");
	if (why[0])
		return 0;
	memcpy(x->A[x->n_A++], b->A, 65);
	memcpy(x->in[b->scrutin] + (size_t)x->n[b->scrutin]++ * SHUFFLE_CT_LEN, b->A,
	       SHUFFLE_CT_LEN);
	return 0;
}

static void rd_urn(struct rd *x, const char *top, const json_t *exp, unsigned jobs)
{
	json_t *u = json_object_get(exp, "urn");
	struct urn_reader *r = NULL;
	uint8_t *b = NULL;
	size_t len = 0;
	uint64_t count = 0;
	char path[700];

	memset(x->n, 0, sizeof(x->n));
	x->n_A = 0;
	snprintf(path, sizeof(path), "%s/ballots.bin", top);
	assert_int_equal(file_read_all(path, 1u << 20, &b, &len), 0);
	assert_int_equal(len, urn_file_size(N_CAST));
	assert_int_equal(urn_reader_new(x->e, rd_ballot, x, jobs, &r), 0);
	for (size_t off = 0; off < len; off += 100)
		assert_int_equal(urn_reader_feed(r, b + off, len - off < 100 ? len - off : 100), 0);
	assert_int_equal(urn_reader_finish(r, &count), 0);
	assert_int_equal(count, N_CAST);
	urn_reader_free(r);
	free(b);
	for (unsigned p = 0; p < N_CAST; p++) {
		json_t *why = json_object_get(json_array_get(u, p), "set_aside");
		assert_string_equal(x->aside[p], json_is_string(why) ? json_string_value(why) : "");
	}
}

static int rd_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	memcpy(out, (const uint8_t *)ctx + (size_t)first * SHUFFLE_CT_LEN,
	       (size_t)count * SHUFFLE_CT_LEN);
	return 0;
}

static int rd_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		   uint8_t *out)
{
	return shuffle_file_read(ctx, part, first, count, out);
}

struct rd_io {
	const uint8_t *inputs;
	struct shuffle_file_reader *r;
};

static int rd_io_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	return rd_inputs((void *)((struct rd_io *)ctx)->inputs, first, count, out);
}

static int rd_io_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		      uint8_t *out)
{
	return rd_read(((struct rd_io *)ctx)->r, part, first, count, out);
}

/* Each shuffle file: its header, its size, its proof against the urn's inputs. */
static void rd_shuffles(struct rd *x, const char *top, const uint8_t pk[65])
{
	for (uint16_t s = 1; s <= N_SCRUTINS; s++) {
		struct shuffle_file_header want = { { 0 }, s, x->n[s] };
		struct shuffle_statement st;
		struct rd_io ctx = { x->in[s], NULL };
		struct shuffle_io io = { &ctx, rd_io_inputs, NULL, rd_io_read };
		char name[SHUFFLE_FILE_NAME_MAX], path[700];

		memcpy(want.election_id, x->e->id, 32);
		shuffle_file_name(s, name);
		snprintf(path, sizeof(path), "%s/%s", top, name);
		assert_int_equal(shuffle_file_open(path, &want, &ctx.r), 0);
		memset(&st, 0, sizeof(st));
		memcpy(st.election_id, x->e->id, 32);
		st.scrutin_id = s;
		memcpy(st.pk, pk, 65);
		st.n = x->n[s];
		assert_int_equal(shuffle_verify(&st, &io, 1), 0);
		shuffle_file_close(ctx.r);
	}
}

/* Every decryption proven, read or unreadable as M = B' - S says. */
static void rd_decrypted(struct rd *x, const char *top, const uint8_t pk[65])
{
	struct shuffle_file_reader *r[N_SCRUTINS + 1] = { NULL };
	struct decfile_reader *dr = NULL;
	struct decrypted_ballot d;
	unsigned count = 0, unreadable = 0;
	char path[700];
	uint8_t sha[32];
	FILE *f;
	int ret;

	for (uint16_t s = 1; s <= N_SCRUTINS; s++) {
		struct shuffle_file_header want = { { 0 }, s, x->n[s] };
		memcpy(want.election_id, x->e->id, 32);
		snprintf(path, sizeof(path), "%s/shuffle-%u.bin", top, s);
		assert_int_equal(shuffle_file_open(path, &want, &r[s]), 0);
	}
	snprintf(path, sizeof(path), "%s/ballots-decrypted.bin", top);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(decfile_reader_new(f, x->e, &dr), 0);
	while ((ret = decfile_reader_next(dr, &d)) == 0) {
		uint8_t ct[SHUFFLE_CT_LEN], pt[PTENC_PT_MAX];
		struct dleq2_statement st = { pk, x->e->id, d.scrutin, ct, ct + 65, d.S };
		assert_int_equal(shuffle_file_read(r[d.scrutin], SHUFFLE_OUT, d.idx - 1, 1, ct), 0);
		assert_int_equal(dleq2_verify(&st, d.proof), 0);
		ret = ballot2_open_point(d.S, ct + 65, d.pt_len, pt);
		assert_int_equal(ret == 0, d.status == DECFILE_READ);
		if (ret == 0)
			assert_memory_equal(pt, d.pt, d.pt_len);
		unreadable += d.status == DECFILE_UNREADABLE;
		count++;
	}
	assert_int_equal(ret, 1);
	assert_int_equal(decfile_reader_finish(dr, sha, NULL), 0);
	assert_int_equal(count, x->n[1] + x->n[2]);
	assert_int_equal(unreadable, 1);
	decfile_reader_free(dr);
	fclose(f);
	for (uint16_t s = 1; s <= N_SCRUTINS; s++)
		shuffle_file_close(r[s]);
}

static void committed_files_read(void **state)
{
	struct rd *x = calloc(1, sizeof(*x));
	struct election *e = NULL;
	char top[300], path[700];
	json_error_t je;
	json_t *exp;
	uint8_t pk[65];

	(void)state;
	snprintf(top, sizeof(top), "%s/" VEC_DIR, getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	snprintf(path, sizeof(path), "%s/election.json", top);
	assert_int_equal(election_load(path, &e), 0);
	x->e = e;
	snprintf(path, sizeof(path), "%s/expected.json", top);
	exp = json_load_file(path, 0, &je);
	assert_non_null(exp);
	assert_int_equal(hex_decode(json_string_value(json_object_get(exp, "public_key")), pk, 65),
			 0);
	rd_urn(x, top, exp, 2);
	rd_urn(x, top, exp, 0);
	rd_shuffles(x, top, pk);
	rd_decrypted(x, top, pk);
	json_decref(exp);
	election_free(e);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_are_pinned),
		cmocka_unit_test(committed_files_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
