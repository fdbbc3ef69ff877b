/*
 * The v2 known answers, tests/data/v2-vectors.json (layout: tests/data/README.md).
 *
 *   test_v2_vectors            checks every vector against crypto/ (cmocka)
 *   test_v2_vectors gen        writes the vectors to stdout
 *
 * The generator uses crypto/ itself, so by themselves the vectors only pin
 * today's behaviour: tests/crypto/v2_vectors.py recomputes every one of them
 * from docs/CRYPTO-V2-NOTES.md alone (its own P-256 arithmetic, Python's
 * hashlib and hmac), and tests/crypto/test_v2_vectors.sh runs it and checks
 * that regenerating gives the committed bytes.
 *
 * Every secret (the election key s, each r, k, r') is
 * Hn("sceau/test-vectors/v2"; label, u32be(i)): fixed, not chosen by hand.
 * The file holds them as plain inputs; no checker needs the derivation.
 * Every check of a vector runs on every implementation of crypto/checks.h
 * (mbedTLS, OpenSSL): agree.h fails the test unless they answer alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <jansson.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/ptenc.h"
#include "agree.h"
#include "testutil.h"

#define VEC_FILE "tests/data/v2-vectors.json"
#define VEC_TAG "sceau/test-vectors/v2"
#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define HEX_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"

struct vec_ballot {
	const char *title;
	unsigned election; /* index in vec_elections */
	uint16_t scrutin_id;
	const char *plaintext;
};

static const struct vec_ballot vec_ballots[] = {
	{ "blank, scrutin 1 of at most 8 candidates (pt_len 4)", 0, 1, "01000000" },
	{ "list 2, candidates 1 and 3 struck (pt_len 4)", 0, 1, "01000205" },
	{ "list 1, candidate 128 struck, scrutin 2 of 128 candidates (pt_len 19)", 0, 2,
	  "01000100000000000000000000000000000080" },
	{ "list 7 with strikes, scrutin 0x0102 of the longest plaintext (pt_len 29)", 0, 0x0102,
	  "010007a50000000000000000000000000000000000000000000000003c" },
	{ "list 1, nothing struck, the other election (pt_len 4)", 1, 1, "01000100" },
	{ "29 bytes 0xff: encodable, nul when classified", 1, 0xfffe,
	  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" },
};

/* The election ids are the SHA-256 of these texts. */
static const char *const vec_elections[] = {
	"Sceau v2 test vectors: election 1",
	"Sceau v2 test vectors: election 2",
};

/* ---- shared ------------------------------------------------------------- */

/* out = Hn(VEC_TAG; label, u32be(i)) */
static int vec_scalar(const char *label, uint32_t i, uint8_t out[32])
{
	const uint8_t be[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8),
				(uint8_t)i };
	const struct hash_part parts[] = { { label, strlen(label) }, { be, 4 } };
	uint8_t h[HASH_LEN];
	int ret = hash_tagged(VEC_TAG, parts, 2, h);

	return ret != 0 ? ret : scalar_reduce(out, h, sizeof(h));
}

static size_t vec_unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t len = strlen(hex) / 2;

	if (strlen(hex) % 2 != 0 || len > max || hex_decode(hex, out, len) != 0) {
		fprintf(stderr, "bad hex: %s\n", hex);
		abort();
	}
	return len;
}

static void vec_election_id(unsigned i, uint8_t eid[32])
{
	if (hash_sha256(vec_elections[i], strlen(vec_elections[i]), eid) != 0)
		abort();
}

static void vec_must(int ret, const char *what)
{
	if (ret != 0) {
		fprintf(stderr, "test_v2_vectors gen: %s failed (%d, %s)\n", what, ret,
			err_last_detail());
		exit(1);
	}
}

/* ---- generator ---------------------------------------------------------- */

static void jhex(json_t *o, const char *key, const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 1);

	if (s == NULL)
		abort();
	hex_encode(b, len, s);
	json_object_set_new(o, key, json_string(s));
	free(s);
}

static json_t *jentry(json_t *arr, const char *title)
{
	json_t *o = json_object();

	json_object_set_new(o, "title", json_string(title));
	json_array_append_new(arr, o);
	return o;
}

static void gen_ptenc_one(json_t *arr, const char *title, const uint8_t *pt, size_t len)
{
	uint8_t M[GROUP_POINT_LEN];
	unsigned j;
	json_t *o = jentry(arr, title);

	vec_must(ptenc_encode(pt, len, M, &j), "ptenc_encode");
	jhex(o, "plaintext", pt, len);
	json_object_set_new(o, "j", json_integer(j));
	jhex(o, "M", M, sizeof(M));
}

/* Plaintexts 01 00 v v (v = 0, 1, ...): the first whose counter j is want. */
static void gen_ptenc_counter(json_t *arr, unsigned want)
{
	uint8_t pt[4] = { 1, 0, 0, 0 }, M[GROUP_POINT_LEN];
	char title[96];
	unsigned v, j = 0;

	for (v = 0; v < 65536; v++) {
		pt[2] = (uint8_t)(v >> 8);
		pt[3] = (uint8_t)v;
		vec_must(ptenc_encode(pt, 4, M, &j), "ptenc_encode");
		if (j == want)
			break;
	}
	snprintf(title, sizeof(title), "the first plaintext 0100xxxx whose counter j is %u", want);
	gen_ptenc_one(arr, title, pt, 4);
}

static void gen_ptenc(json_t *root)
{
	json_t *arr = json_array();
	uint8_t pt[PTENC_PT_MAX];
	char title[64];
	size_t len, i;

	for (len = 1; len <= PTENC_PT_MAX; len++) {
		for (i = 0; i < len; i++)
			pt[i] = (uint8_t)(len * 31 + i * 7 + 1);
		snprintf(title, sizeof(title), "pt_len %zu", len);
		gen_ptenc_one(arr, title, pt, len);
	}
	memset(pt, 0, sizeof(pt));
	gen_ptenc_one(arr, "29 zero bytes", pt, sizeof(pt));
	memset(pt, 0xff, sizeof(pt));
	gen_ptenc_one(arr, "29 bytes 0xff (the largest x)", pt, sizeof(pt));
	for (i = 1; i <= 4; i++)
		gen_ptenc_counter(arr, (unsigned)i);
	json_object_set_new(root, "ptenc", arr);
}

static void gen_decode_one(json_t *arr, const char *title, const uint8_t M[GROUP_POINT_LEN],
			   size_t pt_len)
{
	uint8_t pt[PTENC_PT_MAX];
	json_t *o = jentry(arr, title);
	int ret = ptenc_decode(M, pt_len, pt);

	if (ret != 0 && ret != ERR_VERIFY)
		vec_must(ret, "ptenc_decode");
	jhex(o, "M", M, GROUP_POINT_LEN);
	json_object_set_new(o, "pt_len", json_integer((json_int_t)pt_len));
	json_object_set_new(o, "result", json_string(ret == 0 ? "ok" : "unreadable"));
	if (ret == 0)
		jhex(o, "plaintext", pt, pt_len);
}

static void gen_decode(json_t *root)
{
	static const uint8_t five[5] = { 1, 2, 3, 4, 5 };
	uint8_t M[GROUP_POINT_LEN], neg[GROUP_POINT_LEN], G[GROUP_POINT_LEN], ff[29];
	json_t *arr = json_array();

	vec_must(ptenc_encode(five, sizeof(five), M, NULL), "ptenc_encode");
	vec_must(group_neg(neg, M), "group_neg");
	vec_unhex(HEX_G, G, sizeof(G));
	gen_decode_one(arr, "M of 0102030405, pt_len 5", M, 5);
	gen_decode_one(arr, "the same M, pt_len 6: the padding byte is read as plaintext", M, 6);
	gen_decode_one(arr, "the same M, pt_len 4: byte 5 of x (05) is padding, not zero", M, 4);
	gen_decode_one(arr, "-M (odd y): the parity of y is not checked", neg, 5);
	gen_decode_one(arr, "G: leading byte of x is 6b, not zero", G, 5);
	memset(ff, 0xff, sizeof(ff));
	vec_must(ptenc_encode(ff, sizeof(ff), M, NULL), "ptenc_encode");
	gen_decode_one(arr, "M of 29 bytes 0xff, pt_len 29", M, 29);
	gen_decode_one(arr, "M of 29 bytes 0xff, pt_len 28: byte 29 of x is padding", M, 28);
	json_object_set_new(root, "ptenc_decode", arr);
}

struct gen {
	uint8_t s[32], pk[GROUP_POINT_LEN], eid[2][32];
	uint8_t rec[sizeof(vec_ballots) / sizeof(vec_ballots[0])][BALLOT2_RECORD_LEN];
};

static void gen_ballot_one(struct gen *g, json_t *arr, size_t i)
{
	const struct vec_ballot *b = &vec_ballots[i];
	uint8_t r[32], k[32], pt[PTENC_PT_MAX], M[GROUP_POINT_LEN], T[GROUP_POINT_LEN];
	uint8_t trk[32], *rec = g->rec[i];
	size_t len = vec_unhex(b->plaintext, pt, sizeof(pt));
	json_t *o = jentry(arr, b->title);

	vec_must(vec_scalar("r", (uint32_t)i, r), "r");
	vec_must(vec_scalar("k", (uint32_t)i, k), "k");
	vec_must(ballot2_encrypt_fixed(r, k, g->pk, g->eid[b->election], b->scrutin_id, pt, len,
				       rec), "ballot2_encrypt_fixed");
	vec_must(ptenc_encode(pt, len, M, NULL), "ptenc_encode");
	vec_must(group_mul_base(T, k), "T");
	vec_must(ballot2_tracker(rec, trk), "tracker");
	jhex(o, "pk", g->pk, sizeof(g->pk));
	jhex(o, "election_id", g->eid[b->election], 32);
	json_object_set_new(o, "scrutin_id", json_integer(b->scrutin_id));
	jhex(o, "plaintext", pt, len);
	jhex(o, "r", r, 32);
	jhex(o, "k", k, 32);
	jhex(o, "M", M, sizeof(M));
	jhex(o, "A", rec + BALLOT2_OFF_A, GROUP_POINT_LEN);
	jhex(o, "B", rec + BALLOT2_OFF_B, GROUP_POINT_LEN);
	jhex(o, "T", T, sizeof(T));
	jhex(o, "c", rec + BALLOT2_OFF_C, 32);
	jhex(o, "z", rec + BALLOT2_OFF_Z, 32);
	jhex(o, "record", rec, BALLOT2_RECORD_LEN);
	jhex(o, "tracker", trk, sizeof(trk));
}

static void gen_check_one(json_t *arr, const char *title, const uint8_t eid[32],
			  const uint8_t *rec, size_t len)
{
	json_t *o = jentry(arr, title);
	int ret = ballot2_check(eid, rec, len);

	if (ret != 0 && ret != ERR_VERIFY && ret != ERR_FORMAT)
		vec_must(ret, "ballot2_check");
	jhex(o, "election_id", eid, 32);
	jhex(o, "record", rec, len);
	json_object_set_new(o, "result", json_string(ret == 0 ? "ok" : ret == ERR_VERIFY ?
						     "proof-failed" : "malformed"));
}

/* The re-randomised copy: A + r''G, B + r''PK, same c and z. */
static void gen_rerandomise(const struct gen *g, uint8_t rec[BALLOT2_RECORD_LEN])
{
	uint8_t r2[32], P[GROUP_POINT_LEN];

	vec_must(vec_scalar("r''", 0, r2), "r''");
	vec_must(group_mul_base(P, r2), "r''G");
	vec_must(group_add(rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_A, P), "A + r''G");
	vec_must(group_mul(P, r2, g->pk), "r''PK");
	vec_must(group_add(rec + BALLOT2_OFF_B, rec + BALLOT2_OFF_B, P), "B + r''PK");
}

/* Scalar field of the record (c or z) set to a given 32-byte value. */
static void gen_set(uint8_t *field, const char *hex)
{
	vec_unhex(hex, field, 32);
}

static void gen_checks_proof(const struct gen *g, json_t *arr)
{
	const uint8_t *eid = g->eid[0];
	uint8_t rec[BALLOT2_RECORD_LEN], one[32], r[32];

	scalar_from_u32(one, 1);
	memcpy(rec, g->rec[0], sizeof(rec));
	gen_check_one(arr, "ballots[0] as made", eid, rec, sizeof(rec));
	gen_check_one(arr, "ballots[0] under the other election id", g->eid[1], rec, sizeof(rec));
	gen_rerandomise(g, rec);
	gen_check_one(arr, "re-randomised copy: A + r''G, B + r''PK, same c and z", eid, rec,
		      sizeof(rec));
	memcpy(rec, g->rec[0], sizeof(rec));
	rec[1] = 2;
	gen_check_one(arr, "scrutin id changed from 1 to 2", eid, rec, sizeof(rec));
	memcpy(rec, g->rec[0], sizeof(rec));
	memcpy(rec + BALLOT2_OFF_A, g->rec[0] + BALLOT2_OFF_B, GROUP_POINT_LEN);
	memcpy(rec + BALLOT2_OFF_B, g->rec[0] + BALLOT2_OFF_A, GROUP_POINT_LEN);
	gen_check_one(arr, "A and B swapped", eid, rec, sizeof(rec));
	memcpy(rec, g->rec[0], sizeof(rec));
	vec_must(scalar_add(rec + BALLOT2_OFF_C, rec + BALLOT2_OFF_C, one), "c + 1");
	gen_check_one(arr, "c + 1", eid, rec, sizeof(rec));
	memcpy(rec, g->rec[0], sizeof(rec));
	vec_must(scalar_add(rec + BALLOT2_OFF_Z, rec + BALLOT2_OFF_Z, one), "z + 1");
	gen_check_one(arr, "z + 1", eid, rec, sizeof(rec));
	memcpy(rec, g->rec[0], sizeof(rec));
	vec_must(vec_scalar("r", 0, r), "r");
	vec_must(scalar_mul(rec + BALLOT2_OFF_Z, rec + BALLOT2_OFF_C, r), "cr");
	gen_check_one(arr, "z = cr: T' = zG - cA is the point at infinity", eid, rec, sizeof(rec));
	memset(rec + BALLOT2_OFF_C, 0, 64);
	gen_check_one(arr, "c = z = 0: T' is the point at infinity", eid, rec, sizeof(rec));
}

static void gen_checks_format(const struct gen *g, json_t *arr)
{
	const uint8_t *eid = g->eid[0];
	uint8_t rec[BALLOT2_RECORD_LEN + 1];

	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	gen_set(rec + BALLOT2_OFF_C, HEX_N);
	gen_check_one(arr, "c = n", eid, rec, BALLOT2_RECORD_LEN);
	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	gen_set(rec + BALLOT2_OFF_Z, HEX_N);
	gen_check_one(arr, "z = n", eid, rec, BALLOT2_RECORD_LEN);
	memset(rec + BALLOT2_OFF_Z, 0xff, 32);
	gen_check_one(arr, "z = 2^256 - 1", eid, rec, BALLOT2_RECORD_LEN);
	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	rec[BALLOT2_OFF_B - 1] ^= 1;
	gen_check_one(arr, "A off the curve (last byte of y flipped)", eid, rec,
		      BALLOT2_RECORD_LEN);
	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	rec[BALLOT2_OFF_B] = 0x02;
	gen_check_one(arr, "B with prefix 02 (compressed points are not accepted)", eid, rec,
		      BALLOT2_RECORD_LEN);
	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	memset(rec + BALLOT2_OFF_A, 0, GROUP_POINT_LEN);
	gen_check_one(arr, "A of 65 zero bytes (infinity has no encoding)", eid, rec,
		      BALLOT2_RECORD_LEN);
	memcpy(rec, g->rec[0], BALLOT2_RECORD_LEN);
	gen_check_one(arr, "record cut to 195 bytes", eid, rec, BALLOT2_RECORD_LEN - 1);
	rec[BALLOT2_RECORD_LEN] = 0;
	gen_check_one(arr, "record of 197 bytes (a zero appended)", eid, rec,
		      BALLOT2_RECORD_LEN + 1);
}

static void gen_ballots(struct gen *g, json_t *root)
{
	json_t *arr = json_array(), *checks = json_array();
	size_t i;

	for (i = 0; i < TH_ROWS(vec_ballots); i++)
		gen_ballot_one(g, arr, i);
	json_object_set_new(root, "ballots", arr);
	gen_checks_proof(g, checks);
	gen_checks_format(g, checks);
	json_object_set_new(root, "ballot_checks", checks);
}

/* The nonce as dleq.c derives it, kept apart for the file: counter and k. */
static void gen_nonce(const struct gen *g, const struct dleq2_statement *st, unsigned *ctr,
		      uint8_t k[32])
{
	uint8_t msg[19 + 32 + 2 + 2 * GROUP_POINT_LEN + 1];

	memcpy(msg, DLEQ2_NONCE_TAG, 19);
	memcpy(msg + 19, st->election_id, 32);
	msg[51] = (uint8_t)(st->scrutin_id >> 8);
	msg[52] = (uint8_t)st->scrutin_id;
	memcpy(msg + 53, st->A, GROUP_POINT_LEN);
	memcpy(msg + 53 + GROUP_POINT_LEN, st->B, GROUP_POINT_LEN);
	for (*ctr = 0; *ctr < 256; (*ctr)++) {
		msg[sizeof(msg) - 1] = (uint8_t)*ctr;
		vec_must(hmac_sha256(g->s, 32, msg, sizeof(msg), k), "hmac");
		if (scalar_is_valid(k))
			return;
	}
	vec_must(ERR_INTERNAL, "nonce");
}

static void gen_dleq_one(const struct gen *g, json_t *arr, const char *title,
			 const struct dleq2_statement *st0, size_t pt_len)
{
	uint8_t S[GROUP_POINT_LEN], M[GROUP_POINT_LEN], pt[PTENC_PT_MAX], k[32], proof[64];
	uint8_t K[GROUP_POINT_LEN];
	struct dleq2_statement st = *st0;
	json_t *o = jentry(arr, title);
	unsigned ctr;
	int ret, mret;

	ret = ballot2_open(g->s, st.A, st.B, pt_len, S, pt);
	if (ret != 0 && ret != ERR_VERIFY)
		vec_must(ret, "ballot2_open");
	st.S = S;
	vec_must(dleq2_prove(g->s, &st, proof), "dleq2_prove");
	gen_nonce(g, &st, &ctr, k);
	jhex(o, "secret", g->s, 32);
	jhex(o, "pk", g->pk, sizeof(g->pk));
	jhex(o, "election_id", st.election_id, 32);
	json_object_set_new(o, "scrutin_id", json_integer(st.scrutin_id));
	jhex(o, "A", st.A, GROUP_POINT_LEN);
	jhex(o, "B", st.B, GROUP_POINT_LEN);
	json_object_set_new(o, "pt_len", json_integer((json_int_t)pt_len));
	jhex(o, "S", S, sizeof(S));
	json_object_set_new(o, "nonce_counter", json_integer(ctr));
	jhex(o, "k", k, 32);
	vec_must(group_mul_base(K, k), "K1");
	jhex(o, "K1", K, sizeof(K));
	vec_must(group_mul(K, k, st.A), "K2");
	jhex(o, "K2", K, sizeof(K));
	jhex(o, "c", proof, 32);
	jhex(o, "z", proof + 32, 32);
	jhex(o, "proof", proof, sizeof(proof));
	mret = group_sub(M, st.B, S);
	if (mret == 0)
		jhex(o, "M", M, sizeof(M));
	else
		json_object_set_new(o, "M", json_null());
	json_object_set_new(o, "result", json_string(ret == 0 ? "ok" : "unreadable"));
	if (ret == 0)
		jhex(o, "plaintext", pt, pt_len);
}

/* A', B' = A + r'G, B + r'PK: the ballot re-encrypted as the shuffle does. */
static void gen_reencrypt(const struct gen *g, size_t i, uint8_t A[GROUP_POINT_LEN],
			  uint8_t B[GROUP_POINT_LEN])
{
	uint8_t r[32], P[GROUP_POINT_LEN];

	vec_must(vec_scalar("r'", (uint32_t)i, r), "r'");
	vec_must(group_mul_base(P, r), "r'G");
	vec_must(group_add(A, g->rec[i] + BALLOT2_OFF_A, P), "A'");
	vec_must(group_mul(P, r, g->pk), "r'PK");
	vec_must(group_add(B, g->rec[i] + BALLOT2_OFF_B, P), "B'");
}

static void gen_dleq_unreadable(const struct gen *g, json_t *arr)
{
	uint8_t r[32], A[GROUP_POINT_LEN], B[GROUP_POINT_LEN], P[GROUP_POINT_LEN];
	uint8_t G[GROUP_POINT_LEN];
	struct dleq2_statement st = { g->pk, g->eid[0], 1, A, B, NULL };

	vec_unhex(HEX_G, G, sizeof(G));
	vec_must(vec_scalar("r-unreadable", 0, r), "r");
	vec_must(group_mul_base(A, r), "A");
	vec_must(group_mul(P, r, g->pk), "rPK");
	vec_must(group_add(B, G, P), "B");
	gen_dleq_one(g, arr, "M = G: unreadable (leading byte 6b)", &st, 4);
	vec_must(group_mul(B, g->s, A), "B = sA");
	gen_dleq_one(g, arr, "B' = S: M is the point at infinity, unreadable", &st, 4);
}

static void gen_dleq(struct gen *g, json_t *root)
{
	uint8_t A[TH_ROWS(vec_ballots)][GROUP_POINT_LEN], B[TH_ROWS(vec_ballots)][GROUP_POINT_LEN];
	uint8_t pt[PTENC_PT_MAX];
	json_t *arr = json_array();
	char title[160];
	size_t i;

	for (i = 0; i < TH_ROWS(vec_ballots); i++) {
		struct dleq2_statement st = { g->pk, g->eid[vec_ballots[i].election],
					      vec_ballots[i].scrutin_id, A[i], B[i], NULL };

		gen_reencrypt(g, i, A[i], B[i]);
		snprintf(title, sizeof(title), "ballots[%zu] re-encrypted with r' = Hn(tag; \"r'\", %zu)",
			 i, i);
		gen_dleq_one(g, arr, title, &st, vec_unhex(vec_ballots[i].plaintext, pt, sizeof(pt)));
	}
	gen_dleq_unreadable(g, arr);
	json_object_set_new(root, "dleq", arr);
}

static void gen_dleq_check_one(json_t *arr, const char *title, const struct dleq2_statement *st,
			       const uint8_t proof[64])
{
	json_t *o = jentry(arr, title);
	int ret = dleq2_verify(st, proof);

	if (ret != 0 && ret != ERR_VERIFY && ret != ERR_FORMAT)
		vec_must(ret, "dleq2_verify");
	jhex(o, "pk", st->pk, GROUP_POINT_LEN);
	jhex(o, "election_id", st->election_id, 32);
	json_object_set_new(o, "scrutin_id", json_integer(st->scrutin_id));
	jhex(o, "A", st->A, GROUP_POINT_LEN);
	jhex(o, "B", st->B, GROUP_POINT_LEN);
	jhex(o, "S", st->S, GROUP_POINT_LEN);
	jhex(o, "proof", proof, 64);
	json_object_set_new(o, "result", json_string(ret == 0 ? "ok" : ret == ERR_VERIFY ?
						     "proof-failed" : "malformed"));
}

/* One point of the statement replaced by itself + G. */
static void gen_dleq_check_moved(const struct dleq2_statement *st0, json_t *arr,
				 const char *title, int which, const uint8_t proof[64])
{
	uint8_t G[GROUP_POINT_LEN], P[GROUP_POINT_LEN];
	struct dleq2_statement st = *st0;
	const uint8_t **pp = which == 0 ? &st.pk : which == 1 ? &st.A : which == 2 ? &st.B : &st.S;

	vec_unhex(HEX_G, G, sizeof(G));
	vec_must(group_add(P, *pp, G), "P + G");
	*pp = P;
	gen_dleq_check_one(arr, title, &st, proof);
}

static void gen_dleq_checks(const struct gen *g, json_t *root)
{
	uint8_t A[GROUP_POINT_LEN], B[GROUP_POINT_LEN], S[GROUP_POINT_LEN], proof[64];
	uint8_t pt[PTENC_PT_MAX], bad[GROUP_POINT_LEN];
	struct dleq2_statement st = { g->pk, g->eid[0], 1, A, B, S };
	json_t *arr = json_array();

	gen_reencrypt(g, 0, A, B);
	if (ballot2_open(g->s, A, B, 4, S, pt) != 0)
		vec_must(ERR_INTERNAL, "ballot2_open");
	vec_must(dleq2_prove(g->s, &st, proof), "dleq2_prove");
	gen_dleq_check_one(arr, "dleq[0] as made", &st, proof);
	gen_dleq_check_moved(&st, arr, "PK replaced by PK + G", 0, proof);
	gen_dleq_check_moved(&st, arr, "A' replaced by A' + G", 1, proof);
	gen_dleq_check_moved(&st, arr, "B' replaced by B' + G", 2, proof);
	gen_dleq_check_moved(&st, arr, "S replaced by S + G", 3, proof);
	st.scrutin_id = 2;
	gen_dleq_check_one(arr, "scrutin id 2 instead of 1", &st, proof);
	st.scrutin_id = 1;
	st.election_id = g->eid[1];
	gen_dleq_check_one(arr, "the other election id", &st, proof);
	st.election_id = g->eid[0];
	memcpy(bad, S, sizeof(bad));
	bad[GROUP_POINT_LEN - 1] ^= 1;
	st.S = bad;
	gen_dleq_check_one(arr, "S off the curve (last byte flipped)", &st, proof);
	st.S = S;
	gen_set(proof, HEX_N);
	gen_dleq_check_one(arr, "c = n", &st, proof);
	vec_must(dleq2_prove(g->s, &st, proof), "dleq2_prove");
	gen_set(proof + 32, HEX_N);
	gen_dleq_check_one(arr, "z = n", &st, proof);
	json_object_set_new(root, "dleq_checks", arr);
}

static int gen_main(void)
{
	struct gen g;
	json_t *root = json_object();
	char *text;

	vec_must(vec_scalar("s", 0, g.s), "s");
	vec_must(group_mul_base(g.pk, g.s), "PK");
	vec_election_id(0, g.eid[0]);
	vec_election_id(1, g.eid[1]);
	json_object_set_new(root, "format", json_string("sceau-v2-test-vectors/1"));
	json_object_set_new(root, "spec", json_string("docs/CRYPTO-V2-NOTES.md, sections 1, 2, 6"));
	json_object_set_new(root, "layout", json_string("tests/data/README.md"));
	gen_ptenc(root);
	gen_decode(root);
	gen_ballots(&g, root);
	gen_dleq(&g, root);
	gen_dleq_checks(&g, root);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return 1;
	fputs(text, stdout);
	fputc('\n', stdout);
	free(text);
	return 0;
}

/* ---- checker ------------------------------------------------------------ */

static json_t *vec_root;

static json_t *jfield(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		fail_msg("vector \"%s\": no \"%s\"",
			 json_string_value(json_object_get(o, "title")), key);
	return v;
}

/* The hex field key, which must be exactly len bytes (len 0: any up to max). */
static size_t jbytes(const json_t *o, const char *key, uint8_t *out, size_t len, size_t max)
{
	const char *s = json_string_value(jfield(o, key));
	size_t n = s != NULL ? strlen(s) / 2 : 0;

	if (s == NULL || (len != 0 && n != len) || n > max || hex_decode(s, out, n) != 0)
		fail_msg("vector \"%s\": bad \"%s\"",
			 json_string_value(json_object_get(o, "title")), key);
	return n;
}

static unsigned jint(const json_t *o, const char *key)
{
	const json_t *v = jfield(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 65535)
		fail_msg("vector: bad \"%s\"", key);
	return (unsigned)json_integer_value(v);
}

/* The vector's field key, in hex, must be got. */
static void jexpect(const json_t *o, const char *key, const uint8_t *got, size_t len)
{
	char title[256];

	snprintf(title, sizeof(title), "%s: %s", json_string_value(json_object_get(o, "title")),
		 key);
	th_expect_hex(title, got, len, json_string_value(jfield(o, key)));
}

static const json_t *jsection(const char *name)
{
	const json_t *arr = json_object_get(vec_root, name);

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		fail_msg("%s: no section \"%s\"", VEC_FILE, name);
	return arr;
}

static int result_code(const json_t *o)
{
	const char *r = json_string_value(jfield(o, "result"));

	if (r != NULL && strcmp(r, "ok") == 0)
		return 0;
	if (r != NULL && (strcmp(r, "proof-failed") == 0 || strcmp(r, "unreadable") == 0))
		return ERR_VERIFY;
	if (r != NULL && strcmp(r, "malformed") == 0)
		return ERR_FORMAT;
	fail_msg("vector \"%s\": bad result", json_string_value(json_object_get(o, "title")));
	return 1;
}

static void ptenc_vectors(void **state)
{
	const json_t *arr = jsection("ptenc"), *o;
	uint8_t pt[PTENC_PT_MAX], M[GROUP_POINT_LEN], back[PTENC_PT_MAX];
	unsigned j;
	size_t i, len;

	(void)state;
	json_array_foreach(arr, i, o) {
		len = jbytes(o, "plaintext", pt, 0, sizeof(pt));
		assert_int_equal(ptenc_encode(pt, len, M, &j), 0);
		jexpect(o, "M", M, sizeof(M));
		assert_int_equal(j, jint(o, "j"));
		assert_int_equal(ptenc_decode(M, len, back), 0);
		assert_memory_equal(back, pt, len);
	}
}

static void ptenc_decode_vectors(void **state)
{
	const json_t *arr = jsection("ptenc_decode"), *o;
	uint8_t pt[PTENC_PT_MAX], M[GROUP_POINT_LEN];
	size_t i, len;
	int want;

	(void)state;
	json_array_foreach(arr, i, o) {
		jbytes(o, "M", M, sizeof(M), sizeof(M));
		len = jint(o, "pt_len");
		want = result_code(o);
		if (ptenc_decode(M, len, pt) != want)
			fail_msg("%s: not %s", json_string_value(json_object_get(o, "title")),
				 json_string_value(json_object_get(o, "result")));
		if (want == 0)
			jexpect(o, "plaintext", pt, len);
	}
}

/* The election key of the vectors, from the first DLEQ vector. */
static void vec_secret(uint8_t s[32])
{
	jbytes(json_array_get(jsection("dleq"), 0), "secret", s, 32, 32);
}

static void vec_ballot_one(const json_t *o, const uint8_t s[32])
{
	uint8_t pk[GROUP_POINT_LEN], eid[32], pt[PTENC_PT_MAX], r[32], k[32];
	uint8_t rec[BALLOT2_RECORD_LEN], trk[32], T[GROUP_POINT_LEN], negc[32], zero[32] = { 0 };
	uint8_t S[GROUP_POINT_LEN], back[PTENC_PT_MAX];
	size_t len;

	jbytes(o, "pk", pk, sizeof(pk), sizeof(pk));
	jbytes(o, "election_id", eid, 32, 32);
	len = jbytes(o, "plaintext", pt, 0, sizeof(pt));
	jbytes(o, "r", r, 32, 32);
	jbytes(o, "k", k, 32, 32);
	assert_int_equal(ballot2_encrypt_fixed(r, k, pk, eid, (uint16_t)jint(o, "scrutin_id"), pt,
					       len, rec), 0);
	jexpect(o, "record", rec, sizeof(rec));
	jexpect(o, "A", rec + BALLOT2_OFF_A, GROUP_POINT_LEN);
	jexpect(o, "B", rec + BALLOT2_OFF_B, GROUP_POINT_LEN);
	jexpect(o, "c", rec + BALLOT2_OFF_C, 32);
	jexpect(o, "z", rec + BALLOT2_OFF_Z, 32);
	assert_int_equal(agree_ballot_check(eid, rec, sizeof(rec)), 0);
	assert_int_equal(ballot2_tracker(rec, trk), 0);
	jexpect(o, "tracker", trk, sizeof(trk));
	/* T = zG - cA, as the check recomputes it */
	assert_int_equal(scalar_sub(negc, zero, rec + BALLOT2_OFF_C), 0);
	assert_int_equal(group_muladd_base(T, rec + BALLOT2_OFF_Z, negc, rec + BALLOT2_OFF_A), 0);
	jexpect(o, "T", T, sizeof(T));
	assert_int_equal(ballot2_open(s, rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_B, len, S, back), 0);
	assert_memory_equal(back, pt, len);
}

static void ballot_vectors(void **state)
{
	const json_t *arr = jsection("ballots"), *o;
	uint8_t s[32];
	size_t i;

	(void)state;
	vec_secret(s);
	json_array_foreach(arr, i, o)
		vec_ballot_one(o, s);
}

static void ballot_check_vectors(void **state)
{
	const json_t *arr = jsection("ballot_checks"), *o;
	uint8_t eid[32], rec[BALLOT2_RECORD_LEN + 8];
	size_t i, len;
	int ret;

	(void)state;
	json_array_foreach(arr, i, o) {
		jbytes(o, "election_id", eid, 32, 32);
		len = jbytes(o, "record", rec, 0, sizeof(rec));
		ret = agree_ballot_check(eid, rec, len);
		if (ret != result_code(o))
			fail_msg("%s: ballot2_check returned %d, want %s",
				 json_string_value(json_object_get(o, "title")), ret,
				 json_string_value(json_object_get(o, "result")));
	}
}

struct vec_stmt {
	uint8_t pk[GROUP_POINT_LEN], eid[32], A[GROUP_POINT_LEN], B[GROUP_POINT_LEN];
	uint8_t S[GROUP_POINT_LEN];
	struct dleq2_statement st;
};

/* The statement of a dleq or dleq_checks entry (S too when with_S). */
static void vec_stmt_load(const json_t *o, struct vec_stmt *v, int with_S)
{
	jbytes(o, "pk", v->pk, GROUP_POINT_LEN, GROUP_POINT_LEN);
	jbytes(o, "election_id", v->eid, 32, 32);
	jbytes(o, "A", v->A, GROUP_POINT_LEN, GROUP_POINT_LEN);
	jbytes(o, "B", v->B, GROUP_POINT_LEN, GROUP_POINT_LEN);
	if (with_S)
		jbytes(o, "S", v->S, GROUP_POINT_LEN, GROUP_POINT_LEN);
	v->st = (struct dleq2_statement){ v->pk, v->eid, (uint16_t)jint(o, "scrutin_id"),
					  v->A, v->B, v->S };
}

static void vec_dleq_one(const json_t *o)
{
	struct vec_stmt v;
	uint8_t s[32], pt[PTENC_PT_MAX], proof[64], again[64];
	size_t len = jint(o, "pt_len");
	int ret;

	vec_stmt_load(o, &v, 0);
	jbytes(o, "secret", s, 32, 32);
	ret = ballot2_open(s, v.A, v.B, len, v.S, pt);
	assert_int_equal(ret, result_code(o));
	jexpect(o, "S", v.S, sizeof(v.S));
	if (ret == 0)
		jexpect(o, "plaintext", pt, len);
	assert_int_equal(dleq2_prove(s, &v.st, proof), 0);
	jexpect(o, "proof", proof, sizeof(proof));
	assert_int_equal(dleq2_prove(s, &v.st, again), 0);
	assert_memory_equal(proof, again, sizeof(proof)); /* a re-run gives the same bytes */
	assert_int_equal(agree_dleq_verify(&v.st, proof), 0);
	assert_int_equal(agree_open_point(v.S, v.B, len, pt), ret);
}

static void dleq_vectors(void **state)
{
	const json_t *arr = jsection("dleq"), *o;
	size_t i;

	(void)state;
	json_array_foreach(arr, i, o)
		vec_dleq_one(o);
}

static void dleq_check_vectors(void **state)
{
	const json_t *arr = jsection("dleq_checks"), *o;
	struct vec_stmt v;
	uint8_t proof[64];
	size_t i;
	int ret;

	(void)state;
	json_array_foreach(arr, i, o) {
		vec_stmt_load(o, &v, 1);
		jbytes(o, "proof", proof, 64, 64);
		ret = agree_dleq_verify(&v.st, proof);
		if (ret != result_code(o))
			fail_msg("%s: dleq2_verify returned %d, want %s",
				 json_string_value(json_object_get(o, "title")), ret,
				 json_string_value(json_object_get(o, "result")));
	}
}

static int vec_load(void **state)
{
	const char *top = getenv("SCEAU_TOP");
	char path[4200];
	json_error_t e;

	(void)state;
	snprintf(path, sizeof(path), "%s/" VEC_FILE, top && *top ? top : ".");
	vec_root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (vec_root == NULL)
		print_error("%s: %s (line %d)\n", path, e.text, e.line);
	return vec_root == NULL ? -1 : 0;
}

static int vec_free(void **state)
{
	(void)state;
	json_decref(vec_root);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ptenc_vectors),
		cmocka_unit_test(ptenc_decode_vectors),
		cmocka_unit_test(ballot_vectors),
		cmocka_unit_test(ballot_check_vectors),
		cmocka_unit_test(dleq_vectors),
		cmocka_unit_test(dleq_check_vectors),
	};

	if (argc == 2 && strcmp(argv[1], "gen") == 0)
		return gen_main();
	if (argc != 1) {
		fprintf(stderr, "usage: test_v2_vectors [gen]\n");
		return 2;
	}
	return cmocka_run_group_tests(tests, vec_load, vec_free);
}
