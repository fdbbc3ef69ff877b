/*
 * The v2 checks on OpenSSL's libcrypto: a second implementation of what
 * the verifier checks (the ballots' proofs of knowledge, the decryption
 * proofs and the plaintext they open to, the shuffle proofs), written
 * apart from the mbedTLS one: its own point decoding, hashing (EVP
 * SHA-256), scalar arithmetic (BN), hash to the curve (RFC 9380's
 * straight-line map, where h2c.c follows section 6.6.2) and shuffle check
 * (multi-scalar sums where shuffle_verify.c adds term by term). Only
 * expand_message_xmd and hash_to_field are shared (h2c.h, checked on the
 * RFC's vectors), and the layout of the proof's parts (shuffle.h).
 *
 * For the host verifier only (CONFIG_CRYPTO_OPENSSL): the box stays on
 * mbedTLS and never links libcrypto (scripts/check-box-links.sh). Each
 * function has the signature and the answers (0, ERR_VERIFY, ERR_FORMAT,
 * ERR_RANGE, ...) of its mbedTLS twin; tests/crypto runs every known
 * answer and property test against both, and tests/fuzz/fuzz_checks_agree
 * feeds both the same changed inputs. Callers pick one through
 * crypto/checks.h. Every input is public: nothing here is constant time.
 */
#ifndef SCEAU_CRYPTO_OSSL_H
#define SCEAU_CRYPTO_OSSL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/shuffle.h"

/* ballot2_check (crypto/ballot.h). */
int ballot2_check_ossl(const uint8_t election_id[32], const uint8_t *record, size_t len);
/* dleq2_verify (crypto/dleq.h). */
int dleq2_verify_ossl(const struct dleq2_statement *st, const uint8_t proof[DLEQ_PROOF_LEN]);
/* ballot2_open_point (crypto/ballot.h): M = B - S, then the plaintext M
 * carries (docs/CRYPTO-V2-NOTES.md, section 1), decoded here anew. */
int ballot2_open_point_ossl(const uint8_t S[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
			    size_t pt_len, uint8_t *pt);

/*
 * shuffle_verify (crypto/shuffle.h), through the same callbacks on the
 * same worker pool. How the N equations of the t^_i are checked:
 *   BATCH   per chunk of indices, one multi-scalar sum weighted by fresh
 *           128-bit random numbers (RAND_bytes): it is zero iff every
 *           equation of the chunk holds, but for a probability of 2^-128;
 *           a chunk whose sum is not zero is checked again one equation
 *           at a time, to name the first that fails;
 *   SERIAL  each equation on its own, as shuffle_verify.c does.
 * The other sums (C~, A~, B~ with the s'-terms) are exact multi-scalar sums
 * per chunk in both. shuffle_verify_ossl uses BATCH, the faster
 * (docs/PERFORMANCE.md, "v2 verifier").
 */
enum shuffle_ossl_that { SHUFFLE_OSSL_BATCH, SHUFFLE_OSSL_SERIAL };
int shuffle_verify_ossl(const struct shuffle_statement *st, const struct shuffle_io *io,
			unsigned jobs);
int shuffle_verify_ossl_with(const struct shuffle_statement *st, const struct shuffle_io *io,
			     unsigned jobs, enum shuffle_ossl_that how);

/* RFC 9380 on OpenSSL (h2c.h's twins; expand and hash_to_field are h2c.c's). */
int h2c_map_to_curve_ossl(const uint8_t u[32], uint8_t q[GROUP_POINT_LEN]);
int h2c_hash_to_curve_ossl(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
			   uint8_t p[GROUP_POINT_LEN]);
int shuffle_generator_ossl(const uint8_t election_id[32], uint16_t scrutin_id, uint32_t index,
			   uint8_t out[GROUP_POINT_LEN]);

/*
 * Raw OpenSSL rates for sceau-bench (the caller times `count` of them):
 *   OSSL_RAW_VAR    EC_POINT_mul of a point other than G;
 *   OSSL_RAW_FIXED  EC_POINT_mul of G (nistz256's precomputed table);
 *   OSSL_RAW_MSM    count terms of EC_POINTs_mul sums of OSSL_MSM_TERMS terms;
 *   OSSL_RAW_ADD    EC_POINT_add;
 *   OSSL_RAW_H2C    hash_to_curve on OpenSSL, the point not encoded (as the
 *                   shuffle check uses it).
 */
/* OpenSSL's version text, for reports ("OpenSSL 3.0.x ..."). */
const char *ossl_version(void);

#define OSSL_MSM_TERMS 32
enum ossl_raw { OSSL_RAW_VAR, OSSL_RAW_FIXED, OSSL_RAW_MSM, OSSL_RAW_ADD, OSSL_RAW_H2C };
int ossl_bench_raw(enum ossl_raw op, unsigned count);

#endif
