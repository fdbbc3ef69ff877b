/*
 * The set of ballot points A seen so far, to find repeated ballots as the
 * box does ("duplicate": the A of an earlier ballot of the urn whose proof
 * of knowledge held, whatever the scrutin; the caller inserts only those).
 * Exact: each A is kept as its compressed form (parity of y
 * and x, 33 bytes), which determines a valid point. Open addressing, the
 * slot from a salted hash, so crafted points cannot make it slow.
 */
#ifndef SCEAU_VERIFY_VERIFY_DUPSET_H
#define SCEAU_VERIFY_VERIFY_DUPSET_H

#include <stdint.h>

struct vdup;

/* expect: points to come (the table grows past it if needed). */
int vdup_new(uint64_t expect, struct vdup **out);
/* Adds A (65 bytes, a validated point); *seen = 1 if it was there already. */
int vdup_insert(struct vdup *d, const uint8_t A[65], int *seen);
void vdup_free(struct vdup *d); /* NULL ok */

#endif
