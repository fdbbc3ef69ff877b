/* A set of fingerprinted items with confirmation; see fpset.h. */
#include <stdlib.h>

#include "lib/err.h"
#include "lib/fpset.h"

struct fpset {
	uint64_t *fp;
	uint32_t *id;    /* 0: the slot is free */
	size_t mask;     /* slots - 1, slots a power of two */
	uint64_t n, max;
};

int fpset_new(uint64_t max, struct fpset **out)
{
	struct fpset *s;
	size_t slots = 16;

	*out = NULL;
	if (max > (1u << 30))
		return ERR_RANGE;
	while (slots < 2 * max)
		slots *= 2;
	s = calloc(1, sizeof(*s));
	if (s) {
		s->fp = malloc(slots * sizeof(*s->fp));
		s->id = calloc(slots, sizeof(*s->id));
	}
	if (!s || !s->fp || !s->id) {
		fpset_free(s);
		return ERR_NOMEM;
	}
	s->mask = slots - 1;
	s->max = max;
	*out = s;
	return 0;
}

void fpset_free(struct fpset *s)
{
	if (!s)
		return;
	free(s->fp);
	free(s->id);
	free(s);
}

int fpset_find_or_add(struct fpset *s, uint64_t fp, uint32_t id,
		      int (*confirm)(uint32_t id, void *arg), void *arg, uint32_t *found)
{
	size_t i = (size_t)fp & s->mask;

	*found = 0;
	/* Linear probing: the load stays at most 1/2, so the run is short. */
	for (; s->id[i]; i = (i + 1) & s->mask) {
		int same;

		if (s->fp[i] != fp)
			continue;
		same = confirm(s->id[i], arg);
		if (same < 0)
			return same;
		if (same) {
			*found = s->id[i];
			return 0;
		}
	}
	if (s->n >= s->max || id == 0)
		return ERR_RANGE;
	s->fp[i] = fp;
	s->id[i] = id;
	s->n++;
	return 0;
}

size_t fpset_bytes(const struct fpset *s)
{
	return (s->mask + 1) * (sizeof(*s->fp) + sizeof(*s->id));
}
