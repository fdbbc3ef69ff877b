/* The set of fingerprints with confirmation (lib/fpset.c), which the
 * import's duplicate rule rests on (session/set_aside.c): an item is found
 * only when confirm() says the stored one is the same, so that fingerprints
 * that collide, by chance or forged, never make a wrong answer; memory is
 * fixed by the number of items announced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/fpset.h"

#define N_ITEMS 1000

/* The items themselves, by id (1-based); confirm compares them whole. */
struct items {
	uint64_t value[N_ITEMS + 1];
	uint64_t looked_up;
	unsigned confirms;
	int fail;
};

static int confirm(uint32_t id, void *arg)
{
	struct items *it = arg;

	it->confirms++;
	if (it->fail)
		return ERR_IO;
	return it->value[id] == it->looked_up;
}

static int look(struct fpset *s, struct items *it, uint64_t fp, uint64_t value, uint32_t id,
		uint32_t *found)
{
	it->looked_up = value;
	return fpset_find_or_add(s, fp, id, confirm, it, found);
}

/* Distinct fingerprints: every item added once, then found by its own id. */
static void test_find_or_add(void **state)
{
	static struct items it;
	struct fpset *s = NULL;
	uint32_t found;

	(void)state;
	memset(&it, 0, sizeof(it));
	assert_int_equal(fpset_new(N_ITEMS, &s), 0);
	for (uint32_t i = 1; i <= N_ITEMS; i++) {
		it.value[i] = 1000003u * i;
		assert_int_equal(look(s, &it, it.value[i] * 0x9e3779b97f4a7c15u, it.value[i], i,
				      &found), 0);
		assert_int_equal(found, 0);
	}
	for (uint32_t i = 1; i <= N_ITEMS; i++) {
		assert_int_equal(look(s, &it, it.value[i] * 0x9e3779b97f4a7c15u, it.value[i],
				      N_ITEMS + 1, &found), 0);
		assert_int_equal(found, i);
	}
	fpset_free(s);
}

/* Every item with the same fingerprint: none is taken for another (each
 * is confirmed against all the earlier ones), and each is found again. */
static void test_collisions(void **state)
{
	static struct items it;
	struct fpset *s = NULL;
	uint32_t found;

	(void)state;
	memset(&it, 0, sizeof(it));
	assert_int_equal(fpset_new(64, &s), 0);
	for (uint32_t i = 1; i <= 64; i++) {
		it.value[i] = i;
		it.confirms = 0;
		assert_int_equal(look(s, &it, 42, i, i, &found), 0);
		assert_int_equal(found, 0);
		assert_int_equal(it.confirms, i - 1);
	}
	assert_int_equal(look(s, &it, 42, 37, 65, &found), 0);
	assert_int_equal(found, 37);
	/* the set was made for 64: a 65th item is refused */
	it.value[65] = 65;
	assert_int_equal(look(s, &it, 43, 65, 65, &found), ERR_RANGE);
	fpset_free(s);
}

/* Refusals: a full set, id 0, more than 2^30 items; confirm's error. */
static void test_refusals(void **state)
{
	static struct items it;
	struct fpset *s = NULL;
	uint32_t found;

	(void)state;
	memset(&it, 0, sizeof(it));
	assert_int_equal(fpset_new((1ull << 30) + 1, &s), ERR_RANGE);
	assert_null(s);
	assert_int_equal(fpset_new(2, &s), 0);
	assert_int_equal(look(s, &it, 1, 1, 0, &found), ERR_RANGE);
	it.value[1] = 1;
	it.value[2] = 2;
	assert_int_equal(look(s, &it, 1, 1, 1, &found), 0);
	assert_int_equal(look(s, &it, 2, 2, 2, &found), 0);
	assert_int_equal(look(s, &it, 3, 3, 3, &found), ERR_RANGE);
	it.fail = 1;
	assert_int_equal(look(s, &it, 1, 1, 3, &found), ERR_IO);
	assert_int_equal(found, 0);
	fpset_free(s);
	fpset_free(NULL);
}

/* At most 12 bytes per slot and at most 4 slots per item (load >= 1/4). */
static void test_memory(void **state)
{
	struct fpset *s = NULL;

	(void)state;
	assert_int_equal(fpset_new(1000000, &s), 0);
	assert_true(fpset_bytes(s) <= 4 * 1000000 * 12);
	fpset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_or_add),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
