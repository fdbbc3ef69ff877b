/*
 * The set of ballot points R seen so far, to find copied ballots as the box
 * does ("duplicate": the same R as an earlier ballot of the urn, whatever
 * the scrutin). Exact: each R is kept as its compressed form (parity of y
 * and x, 33 bytes), which determines a valid point. Open addressing, the
 * slot from a salted hash, so crafted points cannot make it slow.
 */
#ifndef SCEAU_VERIFY_VERIFY_DUPSET_H
#define SCEAU_VERIFY_VERIFY_DUPSET_H

#include <stdint.h>

struct vdup;

/* expect: points to come (the table grows past it if needed). */
int vdup_new(uint64_t expect, struct vdup **out);
/* Adds R (65 bytes, a validated point); *seen = 1 if it was there already. */
int vdup_insert(struct vdup *d, const uint8_t R[65], int *seen);
void vdup_free(struct vdup *d); /* NULL ok */

#endif
