/*
 * Start-up self-tests (selftest.h). The Sceau known answers below were
 * computed independently of mbedTLS (tests/crypto/gen-vectors.mjs: WebCrypto
 * and BigInt), so a miscompiled or misconfigured mbedTLS cannot agree with
 * itself and pass.
 */
#include <mbedtls/aes.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>
#include <pthread.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/ptenc.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/selftest.h"
#include "crypto/shamir.h"

/* The fixed key of gen-vectors.mjs and two of its shares (Shamir). */
#define ST_SECRET "33a6fa1422683631c3446c2f76a680c3e20615039de71ef500c600d2902181bd"
#define ST_PK "04e2cc62c6c196c76a98fbf3cffdffed9e4c1c3d6dbd064f0b60f89292ff9ee64c" \
	"560a9a3365e63ca38074b62af28f7cabec8aac59a732d786db19fe931f59b72c"
#define ST_F1 "f224b051a100fcff05413fae2bb6077056ebd27a93e0f9750818fc4bf760e9ff"
#define ST_F3 "6f201cce9e328a97893ae6ab95d514c9c6e9580d31a5716b2f4b5db8cd196fe1"

struct st_fixed {
	uint8_t secret[32], pk[GROUP_POINT_LEN];
};

static int st_load(struct st_fixed *f)
{
	if (hex_decode(ST_SECRET, f->secret, 32) || hex_decode(ST_PK, f->pk, sizeof(f->pk)))
		return -1;
	return 0;
}

/*
 * The v2 known answers: entries of tests/data/v2-vectors.json, which
 * tests/crypto/v2_vectors.py recomputes independently of mbedTLS and of this
 * code (its own P-256 arithmetic in Python) and checks against these
 * macros: "the first plaintext 0100xxxx whose counter j is 2" of ptenc,
 * ballots[1] (scrutin 1), and dleq[1] (that ballot re-encrypted, then
 * decrypted and proven).
 */
#define ST2_PTENC_PT "01000004"
#define ST2_PTENC_M "0400010000040000000000000000000000000000000000000000000000000000" \
	"0220ac7941e32008cbcc1b9459b895b24097d13a0c4bb7c3b18d0b5aa16744ef" \
	"f4"
#define ST2_PK "045adb292286d992b6a6bfc3a692bc42b98712cf05e35526f4d1360b0bb7a1a8" \
	"3af1e270454e689ab338240e6402c91ae1675ec081d69e86d91d56e0c5d941fc" \
	"2e"
#define ST2_ELECTION_ID "ffcad9b1e15a9d3069812d72b3102be9920e8e80451ca01c4cfb9b2bf6479008"
#define ST2_PLAINTEXT "01000205"
#define ST2_R "82b66da41f55eb9d38e80d9c0182cfd43eb2dbfc77b220fb6e37e48d69a54c4d"
#define ST2_K "22e85167e8a5519f476dff67839eedc0fa6ad755c849dc8bf5a022db7c513de0"
#define ST2_RECORD "00010483d6371032fc04d49e77ad7e2bcec9edd94720ed2f4e7c9e8d3c0b4dfc" \
	"bd382898a943356df24513b66535eb1aadbfe88ce195c0a3007809f77e8963c4" \
	"b0c25f04968932a618aa5b5d0dc4580be05294b8353bdec7527b8ac6d2f5e847" \
	"0ec18a9cf9c649255c878800ad5244fbb6ae8652e26b2aa0e3d628f518317299" \
	"c5751ffe66206b9a3aa9405f2c5f9c17423541a923fb05277003ee1afa85e8b9" \
	"eb22302ca27438762c3ea8dd93bf0d1ff8c677ebf8186552176965433378e45c" \
	"e990634e"
#define ST2_TRACKER "10b55e6dbba822d466d5110bb010e34837ca36d89380cf2561c05c6ffe2a22dd"
#define ST2_DLEQ_SECRET "a5f339165bb0c1b2226e2dfffbb786050879b46d49ce12b585c31d90aeee87b5"
#define ST2_DLEQ_A "04549c206a0361df2b1682e298c5af3ea9ee75f087728bf6941e21ab7de4ac5f" \
	"2fa4bc4d54398ad0896519f1c34132efbf52e23c245a6474dc135aeb200ac59b" \
	"70"
#define ST2_DLEQ_B "043f511c2cca0805a7602febfbd11bef743ae88252d86dd946182031be4c2c62" \
	"1e17ff73501492772d6d84893fe9ec3e0dbebb94394eb066e668b72ca1e3ebcd" \
	"59"
#define ST2_DLEQ_S "0450a1617a8762dd64caf4ad11fac4731d6d1c6dd9d7d852991f43ce1dcda47c" \
	"dbc31fbd0e348b5f648cb40677e717189af69e29f643e11b6d5321c2f4e8f543" \
	"c9"
#define ST2_DLEQ_PROOF "f8c3e4ce2ed276d0dd01446f4fa8f641a6d7fd3b8739b821be7f341403c45eef" \
	"b6fd3f16c009d2d7feab59b7ef5b1c5b4819c8b7345f7042e28282ee4d130821"
#define ST2_SID 1

struct st2_fixed {
	uint8_t ppt[4], pM[GROUP_POINT_LEN];
	uint8_t pk[GROUP_POINT_LEN], eid[32], pt[4], r[32], k[32], rec[BALLOT2_RECORD_LEN];
	uint8_t trk[32], s[32], A[GROUP_POINT_LEN], B[GROUP_POINT_LEN], S[GROUP_POINT_LEN];
	uint8_t proof[DLEQ_PROOF_LEN];
};

static int st2_load(struct st2_fixed *f)
{
	if (hex_decode(ST2_PTENC_PT, f->ppt, 4) || hex_decode(ST2_PTENC_M, f->pM, sizeof(f->pM)) ||
	    hex_decode(ST2_PK, f->pk, sizeof(f->pk)) || hex_decode(ST2_ELECTION_ID, f->eid, 32) ||
	    hex_decode(ST2_PLAINTEXT, f->pt, 4) || hex_decode(ST2_R, f->r, 32) ||
	    hex_decode(ST2_K, f->k, 32) || hex_decode(ST2_RECORD, f->rec, sizeof(f->rec)) ||
	    hex_decode(ST2_TRACKER, f->trk, 32) || hex_decode(ST2_DLEQ_SECRET, f->s, 32) ||
	    hex_decode(ST2_DLEQ_A, f->A, sizeof(f->A)) ||
	    hex_decode(ST2_DLEQ_B, f->B, sizeof(f->B)) ||
	    hex_decode(ST2_DLEQ_S, f->S, sizeof(f->S)) ||
	    hex_decode(ST2_DLEQ_PROOF, f->proof, sizeof(f->proof)))
		return -1;
	return 0;
}

/* A plaintext whose counter is 2 encodes to the known point, and back. */
static int st2_ptenc(int verbose)
{
	struct st2_fixed f;
	uint8_t M[GROUP_POINT_LEN], pt[4];
	unsigned j;
	int ret = -1;

	(void)verbose;
	if (st2_load(&f) == 0 && ptenc_encode(f.ppt, 4, M, &j) == 0 && j == 2 &&
	    memcmp(M, f.pM, sizeof(M)) == 0 && ptenc_decode(f.pM, 4, pt) == 0 &&
	    memcmp(pt, f.ppt, 4) == 0)
		ret = 0;
	secmem_wipe(&f, sizeof(f));
	return ret;
}

/* The fixed r and k give the known record and tracker; its proof holds,
 * and fails once the record names another scrutin. */
static int st2_ballot(int verbose)
{
	struct st2_fixed f;
	uint8_t rec[BALLOT2_RECORD_LEN], trk[32];
	int ret = -1;

	(void)verbose;
	if (st2_load(&f) == 0 &&
	    ballot2_encrypt_fixed(f.r, f.k, f.pk, f.eid, ST2_SID, f.pt, 4, rec) == 0 &&
	    memcmp(rec, f.rec, sizeof(rec)) == 0 && ballot2_check(f.eid, rec, sizeof(rec)) == 0 &&
	    ballot2_tracker(rec, trk) == 0 && memcmp(trk, f.trk, 32) == 0) {
		rec[1] ^= 0x01;
		if (ballot2_check(f.eid, rec, sizeof(rec)) == ERR_VERIFY)
			ret = 0;
	}
	secmem_wipe(&f, sizeof(f));
	return ret;
}

/* The re-encrypted ballot decrypts to the known S and plaintext; the proof
 * is byte for byte the known one, and verifies. */
static int st2_dleq(int verbose)
{
	struct st2_fixed f;
	uint8_t S[GROUP_POINT_LEN], pt[4], proof[DLEQ_PROOF_LEN];
	struct dleq2_statement st;
	int ret = -1;

	(void)verbose;
	if (st2_load(&f) != 0)
		goto out;
	st = (struct dleq2_statement){ f.pk, f.eid, ST2_SID, f.A, f.B, f.S };
	if (ballot2_open(f.s, f.A, f.B, 4, S, pt) == 0 && memcmp(S, f.S, sizeof(S)) == 0 &&
	    memcmp(pt, f.pt, 4) == 0 && dleq2_prove(f.s, &st, proof) == 0 &&
	    memcmp(proof, f.proof, sizeof(proof)) == 0 && dleq2_verify(&st, proof) == 0)
		ret = 0;
out:
	secmem_wipe(&f, sizeof(f));
	return ret;
}

/* HKDF-SHA256, RFC 5869 appendix A.1 (test case 1). */
static int st_hkdf(int verbose)
{
	static const uint8_t salt[13] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const uint8_t info[10] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4,
					  0xf5, 0xf6, 0xf7, 0xf8, 0xf9 };
	uint8_t ikm[22], okm[42], want[42];

	(void)verbose;
	memset(ikm, 0x0b, sizeof(ikm));
	if (hex_decode("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		       "34007208d5b887185865", want, sizeof(want)) != 0 ||
	    hkdf_sha256(salt, sizeof(salt), ikm, sizeof(ikm), info, sizeof(info), okm,
			sizeof(okm)) != 0)
		return -1;
	return memcmp(okm, want, sizeof(want)) != 0 ? -1 : 0;
}

/* Shares f(1), f(3) of a fixed 2-of-3 give back the secret; a fresh split
 * combines too. */
static int st_shamir(int verbose)
{
	static const unsigned idx[2] = { 1, 3 }, idx2[2] = { 3, 2 };
	struct st_fixed f;
	struct shamir_public pub;
	struct rng *r = NULL;
	uint8_t shares[3][32], two[2][32], s[32];
	int ret = -1;

	(void)verbose;
	if (st_load(&f) != 0 || hex_decode(ST_F1, two[0], 32) || hex_decode(ST_F3, two[1], 32) ||
	    shamir_combine(2, idx, two, s) != 0 || memcmp(s, f.secret, 32) != 0 ||
	    shamir_check_secret(f.pk, s) != 0)
		goto out;
	if (rng_new(&r, "sceau/selftest/v1", NULL) != 0 ||
	    shamir_generate(r, 2, 3, s, shares, &pub) != 0)
		goto out;
	memcpy(two[0], shares[2], 32);
	memcpy(two[1], shares[1], 32);
	if (shamir_combine(2, idx2, two, s) == 0 && shamir_check_secret(pub.pk, s) == 0 &&
	    shamir_check_share(&pub, 1, shares[0]) == 0)
		ret = 0;
out:
	rng_free(r);
	secmem_wipe(&f, sizeof(f));
	WIPE_BUFFER(shares);
	WIPE_BUFFER(two);
	WIPE_BUFFER(s);
	return ret;
}

static int st_rng(int verbose)
{
	(void)verbose;
	return rng_health();
}

static const struct {
	const char *name;
	int (*run)(int verbose);
} st_table[] = {
	{ "SHA-256 (mbedTLS)", mbedtls_sha256_self_test },
	{ "AES (mbedTLS)", mbedtls_aes_self_test },
	{ "GCM (mbedTLS)", mbedtls_gcm_self_test },
	{ "HMAC-DRBG (mbedTLS)", mbedtls_hmac_drbg_self_test },
	{ "ECP (mbedTLS)", mbedtls_ecp_self_test },
	{ "HKDF RFC 5869 case 1", st_hkdf },
	{ "plaintext as a point (v2) known answer", st2_ptenc },
	{ "ballot v2 known answer", st2_ballot },
	{ "DLEQ v2 known answer", st2_dleq },
	{ "Shamir combine", st_shamir },
	{ "RNG health", st_rng },
};

int crypto_selftest(void)
{
	size_t i;

	for (i = 0; i < sizeof(st_table) / sizeof(st_table[0]); i++) {
		if (st_table[i].run(0) != 0) {
			err_detail("self-test failed: %s", st_table[i].name);
			return ERR_SELFTEST;
		}
	}
	return 0;
}

static char st_version[32]; /* mbedTLS asks for at least 18 bytes */
static pthread_once_t st_version_once = PTHREAD_ONCE_INIT;

static void st_version_init(void)
{
	mbedtls_version_get_string_full(st_version);
}

const char *crypto_library_version(void)
{
	pthread_once(&st_version_once, st_version_init);
	return st_version;
}
