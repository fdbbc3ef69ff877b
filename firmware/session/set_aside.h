/*
 * The ballots the import sets aside (docs/FORMATS.md "Ballot record, its
 * proof of knowledge, its tracker", steps 2 and 3), decided in urn order,
 * one ballot at a time: a failed proof of knowledge ("proof-failed"); a
 * valid proof whose A equals the A of an earlier ballot whose proof held
 * ("duplicate"). The A's seen are kept as keyed 64-bit fingerprints
 * (lib/fpset.h, 12 bytes per ballot at most: about 24 MiB for a million
 * ballots), and a fingerprint that matches is confirmed by the caller's
 * reading back the earlier ballot's A whole: memory stays bounded, and a
 * collision never sets a genuine ballot aside.
 */
#ifndef SCEAU_SESSION_SET_ASIDE_H
#define SCEAU_SESSION_SET_ASIDE_H

#include <stdint.h>

#define SET_ASIDE_PROOF "proof-failed"
#define SET_ASIDE_DUPLICATE "duplicate"

struct set_aside;

/* For an urn of up to total ballots; the fingerprints' key is drawn from
 * the box's DRBG, anew for each import. */
int set_aside_new(uint64_t total, struct set_aside **out);
void set_aside_free(struct set_aside *sa); /* NULL ok */

/*
 * The next ballot of the urn (seq = its 1-based position). read_A(seq, A,
 * arg) gives back the A of an earlier ballot that was kept. *reason:
 * NULL if the ballot is kept, else SET_ASIDE_PROOF or SET_ASIDE_DUPLICATE.
 */
int set_aside_ballot(struct set_aside *sa, uint64_t seq, const uint8_t A[65], int proof_ok,
		     int (*read_A)(uint64_t seq, uint8_t A[65], void *arg), void *arg,
		     const char **reason);

#endif
