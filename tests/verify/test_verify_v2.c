/*
 * The verifier's v2 checks on the worked vectors of tests/data/v2-formats
 * (an urn of 11 ballots with every kind the box meets, the two shuffle
 * files, the decrypted file; the key is public there): the pass over the
 * urn, the shuffle proofs and the decryptions, run as verify_archive runs
 * them but without the images around them (the urn's bytes fed directly).
 *   - the vectors hold, with each implementation of the checks this build
 *     has; the set-aside ballots are those expected.json names, with their
 *     reasons, and the tallies are the box's;
 *   - --sample samples the decryption proofs, never the shuffle proofs;
 *   - every 1-byte change of a shuffle file fails "shuffle", every 1-byte
 *     change of the decrypted file fails "decrypted.file" or
 *     "decrypted.proofs", every 1-byte change of ballots.bin fails (with the
 *     platform's manifest), and even with a manifest made for the changed
 *     file (a platform that would seal anything), every change of the
 *     header or of a ballot that was shuffled fails "urn.ballots" or
 *     "shuffle": the shuffle's inputs are bound to the urn;
 *   - a missing, extra or swapped shuffle file fails;
 *   - a box that lies with valid proofs (it shuffles, proves and decrypts
 *     honestly, but not the inputs the urn gives: a valid ballot dropped,
 *     a set-aside one shuffled, one swapped for a set-aside one) fails.
 * The default implementation takes every byte; the other one every 17th
 * (mbedTLS is about ten times slower).
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "count/classify.h"
#include "count/tally.h"
#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "crypto/dleq.h"
#include "crypto/hash.h"
#include "crypto/shuffle.h"
#include "format/decrypted.h"
#include "format/shuffle_file.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/hex.h"
#include "verify/verify_int.h"
#include "../support/testlib.h"

#define VEC_DIR "tests/data/v2-formats"

enum { F_URN, F_SHUF1, F_SHUF2, F_DEC, F_N };
static const char *const fx_names[F_N] = {
	"ballots.bin", "shuffle-1.bin", "shuffle-2.bin", "ballots-decrypted.bin",
};

static struct {
	struct election *e;
	uint8_t pk[65];
	uint8_t *file[F_N];
	size_t len[F_N];
	char dir[256];               /* the archive's files (the urn is fed) */
	json_t *expected;
} fx;

static void fx_write(int f, const uint8_t *data, size_t len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", fx.dir, fx_names[f]);
	assert_int_equal(file_write_atomic(p, data, len, 1), 0);
}

static int fx_setup(void **state)
{
	char top[512], p[600];
	json_error_t jerr;

	(void)state;
	snprintf(top, sizeof(top), "%s/" VEC_DIR, getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	snprintf(p, sizeof(p), "%s/election.json", top);
	assert_int_equal(election_load(p, &fx.e), 0);
	snprintf(p, sizeof(p), "%s/expected.json", top);
	fx.expected = json_load_file(p, 0, &jerr);
	assert_non_null(fx.expected);
	assert_int_equal(hex_decode(json_string_value(json_object_get(fx.expected, "public_key")),
				    fx.pk, 65),
			 0);
	testlib_tmpdir(fx.dir, sizeof(fx.dir));
	for (int f = 0; f < F_N; f++) {
		snprintf(p, sizeof(p), "%s/%s", top, fx_names[f]);
		assert_int_equal(file_read_all(p, 1u << 20, &fx.file[f], &fx.len[f]), 0);
		if (f != F_URN)
			fx_write(f, fx.file[f], fx.len[f]);
	}
	return 0;
}

static int fx_teardown(void **state)
{
	(void)state;
	for (int f = 0; f < F_N; f++)
		free(fx.file[f]);
	election_free(fx.e);
	json_decref(fx.expected);
	testlib_rmdir(fx.dir);
	return 0;
}

/* One run of the three checks; urn: ballots.bin's bytes; seal_of: the
 * bytes the platform's manifest was made for (size, SHA-256). */
static struct vctx *run(const struct crypto_checks *ck, const uint8_t *urn, size_t urn_len,
			const uint8_t *seal_of, size_t seal_len, uint64_t sample)
{
	struct vctx *c = calloc(1, sizeof(*c));
	struct verify_opts *o = calloc(1, sizeof(*o));
	struct vurn *u = NULL;
	int ret = 0;

	assert_non_null(c);
	assert_non_null(o);
	c->r = calloc(1, sizeof(*c->r));
	assert_non_null(c->r);
	o->jobs = 2;
	o->sample = sample;
	o->seed_set = 1;
	o->seed = 7;
	c->o = o;
	c->ck = ck;
	snprintf(c->dir, sizeof(c->dir), "%s", fx.dir);
	c->e = fx.e;
	c->record_ok = 1;
	memcpy(c->rec.election_id, fx.e->id, 32);
	memcpy(c->rec.pub.pk, fx.pk, 65);
	c->urn_man_ok = 1;
	c->urn_man.kind = MANIFEST_KIND_URN;
	c->urn_man.file_size = seal_len;
	assert_int_equal(hash_sha256(seal_of, seal_len, c->urn_man.file_sha256), 0);
	c->urn_man.total = 11;
	c->urn_man.n_scrutins = 2;
	c->urn_man.counts[0] = 7;
	c->urn_man.counts[1] = 4;
	assert_int_equal(verify_urn_begin(c, &u), 0);
	for (size_t off = 0; !ret && off < urn_len; off += 500) /* in pieces */
		ret = verify_urn_feed(urn + off, urn_len - off < 500 ? urn_len - off : 500, u);
	verify_urn_end(u, ret);
	vdone(c, VERIFY_URN_BALLOTS);
	verify_shuffles(c);
	verify_decrypted(c);
	return c;
}

static void run_free(struct vctx *c)
{
	verify_ballots_free(c);
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		tally_free(c->tallies[i]);
	free((void *)c->o);
	free(c->r);
	free(c);
}

static int failed(const struct vctx *c, enum verify_check_id id)
{
	return c->r->checks[id].status == VERIFY_FAIL;
}

static void dump(const struct vctx *c)
{
	for (int id = 0; id < VERIFY_CHECK_COUNT; id++)
		for (unsigned k = 0; k < c->r->checks[id].n_notes; k++)
			print_message("  %s: %s\n", verify_check_name((enum verify_check_id)id),
				      c->r->checks[id].notes[k].text[LANG_EN]);
}

/* ---- the vectors hold -------------------------------------------------------- */

static void expect_aside(const struct vctx *c)
{
	json_t *urn = json_object_get(fx.expected, "urn"), *row;
	size_t i, k = 0;

	json_array_foreach(urn, i, row) {
		json_t *why = json_object_get(row, "set_aside");
		if (json_is_null(why))
			continue;
		assert_true(k < c->n_aside);
		assert_int_equal(c->aside[k].seq, json_integer_value(json_object_get(row, "seq")));
		assert_string_equal(ballot_reason_name((enum ballot_reason)c->aside[k].reason),
				    json_string_value(why));
		k++;
	}
	assert_int_equal(k, c->n_aside);
	assert_int_equal(k, 3);
}

static void holds_with(const struct crypto_checks *ck)
{
	struct vctx *c = run(ck, fx.file[F_URN], fx.len[F_URN], fx.file[F_URN], fx.len[F_URN], 0);
	const struct verify_scrutin *s = c->r->scrutins;
	const struct tally *t1 = c->tallies[0], *t2 = c->tallies[1];

	print_message("implementation %s\n", ck->name);
	if (!c->tally_ok)
		dump(c);
	assert_int_equal(c->r->checks[VERIFY_URN_BALLOTS].status, VERIFY_PASS);
	assert_int_equal(c->r->checks[VERIFY_SHUFFLE].status, VERIFY_PASS);
	assert_int_equal(c->r->checks[VERIFY_DEC_FILE].status, VERIFY_PASS);
	assert_int_equal(c->r->checks[VERIFY_DEC_PROOFS].status, VERIFY_PASS);
	assert_true(c->tally_ok);
	assert_int_equal(c->r->n_scrutins, 2);
	assert_int_equal(s[0].ballots, 7);
	assert_int_equal(s[0].proof_failed, 1);
	assert_int_equal(s[0].duplicate, 1);
	assert_int_equal(s[0].shuffled, 5);
	assert_int_equal(s[0].shuffle, VERIFY_SHUFFLE_PASS);
	assert_int_equal(s[0].decrypted, 5);
	assert_int_equal(s[0].proofs_checked, 5);
	assert_int_equal(s[1].ballots, 4);
	assert_int_equal(s[1].proof_failed, 1);
	assert_int_equal(s[1].duplicate, 0);
	assert_int_equal(s[1].shuffled, 3);
	assert_int_equal(s[1].shuffle, VERIFY_SHUFFLE_PASS);
	assert_int_equal(s[1].proofs_checked, 3);
	assert_int_equal(c->r->proofs.checked, 8);
	assert_int_equal(c->r->proofs.failed, 0);
	assert_int_equal(c->dec_count, 8);
	expect_aside(c);
	{ /* X of the PV: computed apart, in Python, from expected.json's hashes */
		uint8_t x[32];
		char hex[65];
		assert_int_equal(verify_shuffles_hash(c, x), 0);
		hex_encode(x, 32, hex);
		assert_string_equal(
			hex, "3e7ce519a81d036ed4c560d206ba55a72903dc3df9bdcd74f1a7f4cbe2788738");
		/* a PV's hashes code: its X against the archive's files */
		verify_qr_shuffles(c, "code", x);
		assert_int_equal(c->r->checks[VERIFY_PV_QR].status, VERIFY_NOT_RUN);
		x[5] ^= 1;
		verify_qr_shuffles(c, "code", x);
		assert_true(failed(c, VERIFY_PV_QR));
	}
	/* the box's classes: expected.json's "what" of each cast ballot */
	assert_int_equal(t1->votants, 7);
	assert_int_equal(t1->blancs, 1);
	assert_int_equal(t1->nuls, 3);
	assert_int_equal(t1->by_reason[BALLOT_NUL_PROOF_FAILED], 1);
	assert_int_equal(t1->by_reason[BALLOT_NUL_DUPLICATE], 1);
	assert_int_equal(t1->by_reason[BALLOT_NUL_BAD_VERSION], 1);
	assert_int_equal(t2->votants, 4);
	assert_int_equal(t2->blancs, 0);
	assert_int_equal(t2->nuls, 2);
	assert_int_equal(t2->by_reason[BALLOT_NUL_PROOF_FAILED], 1);
	assert_int_equal(t2->by_reason[BALLOT_NUL_UNREADABLE], 1);
	run_free(c);
}

static void test_vectors_hold(void **state)
{
	unsigned n = 0;

	(void)state;
	for (int b = 0; b < CRYPTO_BACKENDS; b++)
		if (crypto_checks((enum crypto_backend)b)) {
			holds_with(crypto_checks((enum crypto_backend)b));
			n++;
		}
	assert_true(n >= 1);
}

/* --sample: 3 decryption proofs of 8, the shuffles in full all the same. */
static void test_sample(void **state)
{
	struct vctx *c;
	uint8_t *bad;

	(void)state;
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 3);
	assert_int_equal(c->r->proofs.sample, 3);
	assert_int_equal(c->r->proofs.checked, 3);
	assert_int_equal(c->r->scrutins[0].shuffle, VERIFY_SHUFFLE_PASS);
	assert_int_equal(c->r->scrutins[1].shuffle, VERIFY_SHUFFLE_PASS);
	assert_false(failed(c, VERIFY_SHUFFLE));
	run_free(c);
	/* a byte of the last s' of scrutin 2 changed: caught, sample or not */
	bad = malloc(fx.len[F_SHUF2]);
	assert_non_null(bad);
	memcpy(bad, fx.file[F_SHUF2], fx.len[F_SHUF2]);
	bad[fx.len[F_SHUF2] - 1] ^= 1;
	fx_write(F_SHUF2, bad, fx.len[F_SHUF2]);
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 1);
	assert_true(failed(c, VERIFY_SHUFFLE));
	assert_int_equal(c->r->scrutins[1].shuffle, VERIFY_SHUFFLE_FAIL);
	assert_int_equal(c->r->scrutins[0].shuffle, VERIFY_SHUFFLE_PASS);
	run_free(c);
	fx_write(F_SHUF2, fx.file[F_SHUF2], fx.len[F_SHUF2]);
	free(bad);
}

/* ---- every byte changed ------------------------------------------------------ */

static uint8_t flip_mask(size_t i)
{
	return (uint8_t)(1 + (i * 37) % 255); /* never 0: a change of the byte */
}

/* Every byte (every 17th for the slower implementation) of file f changed
 * in turn; caught(c) must hold for each. */
static void flips(int f, int (*caught)(const struct vctx *c), const struct crypto_checks *ck,
		  size_t stride)
{
	uint8_t *bad = malloc(fx.len[f]);
	size_t tried = 0;

	assert_non_null(bad);
	for (size_t i = 0; i < fx.len[f]; i += stride) {
		struct vctx *c;
		memcpy(bad, fx.file[f], fx.len[f]);
		bad[i] ^= flip_mask(i);
		if (f == F_URN) {
			c = run(ck, bad, fx.len[f], fx.file[F_URN], fx.len[F_URN], 0);
		} else {
			fx_write(f, bad, fx.len[f]);
			c = run(ck, fx.file[F_URN], fx.len[F_URN], fx.file[F_URN], fx.len[F_URN], 0);
		}
		if (!caught(c)) {
			print_message("%s (%s): byte %zu changed, not caught\n", fx_names[f], ck->name,
				      i);
			dump(c);
			fail();
		}
		run_free(c);
		tried++;
	}
	if (f != F_URN)
		fx_write(f, fx.file[f], fx.len[f]);
	print_message("%s: %zu changes caught (%s)\n", fx_names[f], tried, ck->name);
	free(bad);
}

static int caught_shuffle(const struct vctx *c)
{
	return failed(c, VERIFY_SHUFFLE);
}

static int caught_dec(const struct vctx *c)
{
	return failed(c, VERIFY_DEC_FILE) || failed(c, VERIFY_DEC_PROOFS);
}

static int caught_urn(const struct vctx *c)
{
	return failed(c, VERIFY_URN_BALLOTS);
}

static const struct crypto_checks *other_checks(void)
{
	for (int b = 0; b < CRYPTO_BACKENDS; b++) {
		const struct crypto_checks *k = crypto_checks((enum crypto_backend)b);
		if (k && k != crypto_checks_default())
			return k;
	}
	return NULL;
}

static void every_byte(int f, int (*caught)(const struct vctx *c))
{
	flips(f, caught, crypto_checks_default(), 1);
	if (other_checks())
		flips(f, caught, other_checks(), 17);
}

static void test_flip_shuffle_files(void **state)
{
	(void)state;
	every_byte(F_SHUF1, caught_shuffle);
	every_byte(F_SHUF2, caught_shuffle);
}

static void test_flip_decrypted(void **state)
{
	(void)state;
	every_byte(F_DEC, caught_dec);
}

static void test_flip_urn(void **state)
{
	(void)state;
	every_byte(F_URN, caught_urn);
}

/* The urn changed and a manifest made for the changed file: the header
 * and every ballot that was shuffled are still bound by the checks, but
 * for a ballot whose ciphertext (A, B) another record repeats (in the
 * vectors: the ballot sent twice with the same r, its copy set aside as a
 * duplicate; and the ballot whose A and B a junk record copies). Spoil it
 * and its copy can take its place: the same inputs, the same count; only
 * the platform's seal says which record it was, and no vote changed. So 6
 * of the 8 shuffled ballots, and the header. */
static int urn_byte_bound(size_t i)
{
	const uint8_t *u = fx.file[F_URN];
	size_t rec, n = (fx.len[F_URN] - 16) / 196;
	json_t *row;

	if (i < 16)
		return 1;
	rec = (i - 16) / 196;
	row = json_array_get(json_object_get(fx.expected, "urn"), rec);
	if (!row || !json_is_null(json_object_get(row, "set_aside")))
		return 0;
	for (size_t k = 0; k < n; k++)
		if (k != rec && memcmp(u + 16 + 196 * k + 2, u + 16 + 196 * rec + 2, 130) == 0)
			return 0;
	return 1;
}

static void test_flip_urn_resealed(void **state)
{
	const struct crypto_checks *ck = crypto_checks_default();
	uint8_t *bad = malloc(fx.len[F_URN]);
	size_t tried = 0;

	(void)state;
	assert_non_null(bad);
	for (size_t i = 0; i < fx.len[F_URN]; i++) {
		struct vctx *c;
		if (!urn_byte_bound(i))
			continue;
		memcpy(bad, fx.file[F_URN], fx.len[F_URN]);
		bad[i] ^= flip_mask(i);
		c = run(ck, bad, fx.len[F_URN], bad, fx.len[F_URN], 0);
		if (!failed(c, VERIFY_URN_BALLOTS) && !failed(c, VERIFY_SHUFFLE)) {
			print_message("ballots.bin resealed: byte %zu changed, not caught\n", i);
			dump(c);
			fail();
		}
		run_free(c);
		tried++;
	}
	print_message("ballots.bin resealed: %zu changes caught\n", tried);
	assert_int_equal(tried, 16 + 6 * 196);
	free(bad);
}

/* ---- files missing, extra, swapped ------------------------------------------- */

static void test_shuffle_files(void **state)
{
	char p[512], q[512];
	struct vctx *c;

	(void)state;
	snprintf(p, sizeof(p), "%s/shuffle-2.bin", fx.dir);
	unlink(p);
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 0);
	assert_true(failed(c, VERIFY_SHUFFLE));
	assert_true(failed(c, VERIFY_DEC_PROOFS)); /* nothing to check scrutin 2's against */
	run_free(c);
	/* scrutin 1's file under scrutin 2's name, and the reverse */
	fx_write(F_SHUF2, fx.file[F_SHUF1], fx.len[F_SHUF1]);
	snprintf(q, sizeof(q), "%s/shuffle-1.bin", fx.dir);
	assert_int_equal(file_write_atomic(q, fx.file[F_SHUF2], fx.len[F_SHUF2], 1), 0);
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 0);
	assert_int_equal(c->r->scrutins[0].shuffle, VERIFY_SHUFFLE_FAIL);
	assert_int_equal(c->r->scrutins[1].shuffle, VERIFY_SHUFFLE_FAIL);
	run_free(c);
	fx_write(F_SHUF1, fx.file[F_SHUF1], fx.len[F_SHUF1]);
	fx_write(F_SHUF2, fx.file[F_SHUF2], fx.len[F_SHUF2]);
	/* a file no scrutin calls for */
	snprintf(p, sizeof(p), "%s/shuffle-3.bin", fx.dir);
	assert_int_equal(file_write_atomic(p, fx.file[F_SHUF2], fx.len[F_SHUF2], 1), 0);
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 0);
	assert_true(failed(c, VERIFY_SHUFFLE));
	assert_int_equal(c->r->scrutins[0].shuffle, VERIFY_SHUFFLE_PASS);
	run_free(c);
	unlink(p);
}

/* ---- a box that lies with valid proofs --------------------------------------- */

struct box_in {
	const uint8_t *ct;            /* n ciphertexts A || B */
	uint32_t n;
	struct shuffle_file_writer *w;
};

static int box_read(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	struct box_in *b = ctx;

	memcpy(out, b->ct + (size_t)first * SHUFFLE_CT_LEN, (size_t)count * SHUFFLE_CT_LEN);
	return 0;
}

static int box_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		     const uint8_t *data)
{
	struct box_in *b = ctx;

	return shuffle_file_write(b->w, part, first, count, data);
}

/* The urn's records of a scrutin picked by keep(seq, set_aside reason or
 * NULL), as the inputs of a shuffle; returns how many. */
static uint32_t box_inputs(uint16_t scrutin, int (*keep)(size_t seq, const char *why),
			   uint8_t *out)
{
	json_t *urn = json_object_get(fx.expected, "urn"), *row;
	uint32_t n = 0;
	size_t i;

	json_array_foreach(urn, i, row) {
		const uint8_t *rec = fx.file[F_URN] + 16 + 196 * i;
		json_t *why = json_object_get(row, "set_aside");
		if (ballot2_scrutin(rec) != scrutin ||
		    !keep(i + 1, json_is_null(why) ? NULL : json_string_value(why)))
			continue;
		memcpy(out + (size_t)n++ * SHUFFLE_CT_LEN, rec + BALLOT2_OFF_A, SHUFFLE_CT_LEN);
	}
	return n;
}

/* The box's shuffle of these inputs, proved, as shuffle-<scrutin>.bin. */
static void box_shuffle(uint16_t scrutin, const uint8_t *ct, uint32_t n)
{
	struct shuffle_file_header h;
	struct shuffle_statement st;
	struct box_in b = { ct, n, NULL };
	struct shuffle_io io = { &b, box_read, box_write, NULL };
	uint8_t seed[32], sha[32];
	char path[512];

	memcpy(h.election_id, fx.e->id, 32);
	h.scrutin = scrutin;
	h.n = n;
	memcpy(st.election_id, fx.e->id, 32);
	st.scrutin_id = scrutin;
	memcpy(st.pk, fx.pk, 65);
	st.n = n;
	memset(seed, 0x5e, sizeof(seed));
	snprintf(path, sizeof(path), "%s/shuffle-%u.bin", fx.dir, scrutin);
	unlink(path);
	assert_int_equal(shuffle_file_create(path, &h, &b.w), 0);
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 1), 0);
	assert_int_equal(shuffle_file_finish(b.w, sha), 0);
}

/* Every output of both shuffle files decrypted with the key and proved,
 * as ballots-decrypted.bin. */
static void box_decrypt(void)
{
	struct shuffle_file_reader *r[2];
	struct shuffle_file_header want;
	struct decfile_writer *w;
	uint8_t secret[32], ct[130], sha[32];
	uint32_t total = 0;
	char path[512];

	assert_int_equal(hex_decode(json_string_value(json_object_get(fx.expected, "secret_key")),
				    secret, 32),
			 0);
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/shuffle-%d.bin", fx.dir, k + 1);
		memcpy(want.election_id, fx.e->id, 32);
		want.scrutin = (uint16_t)(k + 1);
		want.n = 0; /* whatever the box chose */
		assert_int_equal(shuffle_file_open(path, &want, &r[k]), 0);
		total += shuffle_file_header(r[k])->n;
	}
	snprintf(path, sizeof(path), "%s/ballots-decrypted.bin", fx.dir);
	unlink(path);
	assert_int_equal(decfile_open(path, total, &w), 0);
	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; i < shuffle_file_header(r[k])->n; i++) {
			struct decrypted_ballot d;
			struct dleq2_statement st = { fx.pk, fx.e->id, (uint16_t)(k + 1), ct, ct + 65,
						      d.S };
			int ret;
			memset(&d, 0, sizeof(d));
			assert_int_equal(shuffle_file_read(r[k], SHUFFLE_OUT, i, 1, ct), 0);
			d.scrutin = (uint16_t)(k + 1);
			d.idx = i + 1;
			d.pt_len = election_scrutin(fx.e, d.scrutin)->pt_len;
			ret = ballot2_open(secret, ct, ct + 65, d.pt_len, d.S, d.pt);
			assert_true(ret == 0 || ret == ERR_VERIFY);
			d.status = ret ? DECFILE_UNREADABLE : DECFILE_READ;
			if (ret)
				memset(d.pt, 0, sizeof(d.pt));
			assert_int_equal(dleq2_prove(secret, &st, d.proof), 0);
			assert_int_equal(decfile_add(w, &d), 0);
		}
	assert_int_equal(decfile_close(w, sha), 0);
	shuffle_file_close(r[0]);
	shuffle_file_close(r[1]);
}

static size_t lie_seq, lie_add;

static int keep_honest(size_t seq, const char *why)
{
	(void)seq;
	return why == NULL;
}

static int keep_drop(size_t seq, const char *why)
{
	return why == NULL && seq != lie_seq;
}

static int keep_aside_too(size_t seq, const char *why)
{
	return why == NULL || seq == lie_seq;
}

static int keep_swap(size_t seq, const char *why)
{
	return (why == NULL && seq != lie_seq) || seq == lie_add;
}

/* The first record of the scrutin with that outcome (NULL: kept). */
static size_t first_seq(uint16_t scrutin, const char *want)
{
	json_t *urn = json_object_get(fx.expected, "urn"), *row;
	size_t i;

	json_array_foreach(urn, i, row) {
		json_t *why = json_object_get(row, "set_aside");
		const uint8_t *rec = fx.file[F_URN] + 16 + 196 * i;
		if (ballot2_scrutin(rec) != scrutin)
			continue;
		if (want ? json_is_string(why) && strcmp(json_string_value(why), want) == 0
			 : json_is_null(why))
			return i + 1;
	}
	fail();
	return 0;
}

/* The box shuffles scrutin 1's inputs picked by keep, proves, decrypts
 * everything: the verifier must refuse scrutin 1's shuffle. */
static void lie(int (*keep)(size_t, const char *), int expect_n_differs)
{
	uint8_t *ct = malloc(11 * SHUFFLE_CT_LEN);
	struct vctx *c;
	uint32_t n;

	assert_non_null(ct);
	n = box_inputs(1, keep, ct);
	box_shuffle(1, ct, n);
	box_decrypt();
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 0);
	if (c->r->scrutins[0].shuffle != VERIFY_SHUFFLE_FAIL)
		dump(c);
	assert_int_equal(c->r->scrutins[0].shuffle, VERIFY_SHUFFLE_FAIL);
	assert_int_equal(c->r->scrutins[1].shuffle, VERIFY_SHUFFLE_PASS);
	assert_true(failed(c, VERIFY_SHUFFLE));
	/* the decryptions themselves are honest: they hold */
	assert_false(failed(c, VERIFY_DEC_PROOFS));
	assert_int_equal(failed(c, VERIFY_DEC_FILE), expect_n_differs);
	run_free(c);
	free(ct);
}

static void test_lying_box(void **state)
{
	uint8_t *ct = malloc(11 * SHUFFLE_CT_LEN);
	struct vctx *c;
	uint32_t n;

	(void)state;
	assert_non_null(ct);
	/* the harness first: the box's honest run holds (a new shuffle) */
	n = box_inputs(1, keep_honest, ct);
	assert_int_equal(n, 5);
	box_shuffle(1, ct, n);
	box_decrypt();
	c = run(crypto_checks_default(), fx.file[F_URN], fx.len[F_URN], fx.file[F_URN],
		fx.len[F_URN], 0);
	assert_int_equal(c->r->checks[VERIFY_SHUFFLE].status, VERIFY_PASS);
	assert_int_equal(c->r->checks[VERIFY_DEC_PROOFS].status, VERIFY_PASS);
	assert_true(c->tally_ok);
	run_free(c);
	/* a valid ballot left out: N = 4 */
	lie_seq = first_seq(1, NULL);
	lie(keep_drop, 1);
	/* a ballot whose proof fails shuffled too: N = 6 */
	lie_seq = first_seq(1, "proof-failed");
	lie(keep_aside_too, 1);
	/* the duplicate shuffled too: N = 6 */
	lie_seq = first_seq(1, "duplicate");
	lie(keep_aside_too, 1);
	/* a valid ballot swapped for the one whose proof fails: N = 5 as it
	 * should be, and every decryption holds, but not the shuffle */
	lie_seq = first_seq(1, NULL);
	lie_add = first_seq(1, "proof-failed");
	lie(keep_swap, 0);
	fx_write(F_SHUF1, fx.file[F_SHUF1], fx.len[F_SHUF1]);
	fx_write(F_DEC, fx.file[F_DEC], fx.len[F_DEC]);
	free(ct);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_hold),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_shuffle_files),
		cmocka_unit_test(test_lying_box),
		cmocka_unit_test(test_flip_shuffle_files),
		cmocka_unit_test(test_flip_decrypted),
		cmocka_unit_test(test_flip_urn),
		cmocka_unit_test(test_flip_urn_resealed),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
