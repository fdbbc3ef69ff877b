/* Exact set of ballot points; see verify_dupset.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lib/err.h"
#include "verify/verify_dupset.h"

#define VDUP_KEY 33   /* 2 | parity of y, then x: never 0 in a used slot */
#define VDUP_MIN_BITS 10
#define VDUP_MAX_BITS 40

struct vdup {
	uint8_t *slots;   /* (1 << bits) * VDUP_KEY */
	unsigned bits;
	uint64_t used;
	uint64_t salt;
};

static uint64_t vdup_slot(const struct vdup *d, const uint8_t *key)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, key + 1, 8);
	memcpy(&b, key + 9, 8);
	a = (a ^ d->salt) * 0x9e3779b97f4a7c15ull;
	a ^= (b + d->salt) * 0xc2b2ae3d27d4eb4full;
	return (a ^ (a >> 29)) >> (64 - d->bits);
}

static int vdup_alloc(struct vdup *d, unsigned bits)
{
	d->slots = calloc((size_t)1 << bits, VDUP_KEY);
	d->bits = bits;
	d->used = 0;
	return d->slots ? 0 : ERR_NOMEM;
}

/* Puts key in its slot, or finds it there: 1 if found. */
static int vdup_place(struct vdup *d, const uint8_t *key)
{
	uint64_t mask = ((uint64_t)1 << d->bits) - 1, i = vdup_slot(d, key);

	for (;; i = (i + 1) & mask) {
		uint8_t *s = d->slots + i * VDUP_KEY;
		if (s[0] == 0) {
			memcpy(s, key, VDUP_KEY);
			d->used++;
			return 0;
		}
		if (memcmp(s, key, VDUP_KEY) == 0)
			return 1;
	}
}

static int vdup_grow(struct vdup *d)
{
	uint8_t *old = d->slots;
	unsigned bits = d->bits;
	uint64_t n = (uint64_t)1 << bits, used = d->used;

	if (bits >= VDUP_MAX_BITS || vdup_alloc(d, bits + 1) != 0) {
		d->slots = old;
		d->bits = bits;
		d->used = used;
		return ERR_NOMEM;
	}
	for (uint64_t i = 0; i < n; i++)
		if (old[i * VDUP_KEY])
			vdup_place(d, old + i * VDUP_KEY);
	free(old);
	return 0;
}

int vdup_new(uint64_t expect, struct vdup **out)
{
	struct vdup *d = calloc(1, sizeof(*d));
	unsigned bits = VDUP_MIN_BITS;

	*out = NULL;
	if (!d)
		return ERR_NOMEM;
	while (bits < VDUP_MAX_BITS && ((uint64_t)1 << bits) < 2 * expect)
		bits++;
	if (getrandom(&d->salt, sizeof(d->salt), 0) != (ssize_t)sizeof(d->salt) ||
	    vdup_alloc(d, bits) != 0) {
		free(d);
		return ERR_NOMEM;
	}
	*out = d;
	return 0;
}

int vdup_insert(struct vdup *d, const uint8_t A[65], int *seen)
{
	uint8_t key[VDUP_KEY];

	/* Kept at most half full, so probing stays short. */
	if (2 * (d->used + 1) > ((uint64_t)1 << d->bits) && vdup_grow(d) != 0)
		return ERR_NOMEM;
	key[0] = (uint8_t)(2 | (A[64] & 1));
	memcpy(key + 1, A + 1, 32);
	*seen = vdup_place(d, key);
	return 0;
}

void vdup_free(struct vdup *d)
{
	if (!d)
		return;
	free(d->slots);
	free(d);
}
