/*
 * A set of items known by a 64-bit fingerprint, in bounded memory: 12
 * bytes per item (the fingerprint and a 32-bit id), open addressing at a
 * load of at most one half, sized once for the number of items announced.
 * Fingerprints may collide: an item is found only when confirm(id) says
 * the stored item is the same as the one looked up (the caller reads it
 * back and compares it whole), so a collision, chance or forged, costs a
 * comparison and never a wrong answer. The caller keys its fingerprints
 * (a keyed hash with a secret drawn per use) so that nobody can choose
 * inputs that pile up in one slot.
 */
#ifndef SCEAU_LIB_FPSET_H
#define SCEAU_LIB_FPSET_H

#include <stddef.h>
#include <stdint.h>

struct fpset;

/* A set for up to max items (ERR_RANGE above 2^30, ERR_NOMEM). */
int fpset_new(uint64_t max, struct fpset **out);
void fpset_free(struct fpset *s); /* NULL ok */

/*
 * Looks up the item of fingerprint fp: for each stored id of that
 * fingerprint, confirm(id, arg) returns 1 if it is the same item, 0 if
 * not, or a negative error (returned). If one is the same: 0 with *found
 * = its id. If none: id (>= 1) is added, 0 with *found = 0. ERR_RANGE if
 * the set already holds max items.
 */
int fpset_find_or_add(struct fpset *s, uint64_t fp, uint32_t id,
		      int (*confirm)(uint32_t id, void *arg), void *arg, uint32_t *found);

/* Bytes the set holds (for the tests of memory). */
size_t fpset_bytes(const struct fpset *s);

#endif
