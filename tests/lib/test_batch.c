/* Ordered batches across worker threads (lib/batch.c): every item is
 * delivered once, in the order it was pushed, whatever the number of
 * workers; the first failure in push order is the one reported; memory is
 * the fixed ring, whatever the input length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/batch.h"
#include "lib/err.h"

struct item {
	uint64_t n;
	uint64_t square; /* work()'s result */
};

struct sink {
	uint64_t next;  /* the item deliver() expects */
	uint64_t fail_at; /* work() marks this item bad (0: none) */
};

static void work(void *p, void *arg)
{
	struct item *it = p;
	struct sink *s = arg;

	it->square = it->n == s->fail_at ? 0 : it->n * it->n;
}

static int deliver(void *p, void *arg)
{
	struct item *it = p;
	struct sink *s = arg;

	if (it->n != s->next)
		return ERR_INTERNAL;
	if (it->square != it->n * it->n)
		return ERR_FORMAT;
	s->next++;
	return 0;
}

/* Pushes items 1..count; returns the first error. */
static int run(unsigned jobs, uint64_t count, uint64_t fail_at, struct sink *s)
{
	struct batch *b = NULL;
	int ret;

	memset(s, 0, sizeof(*s));
	s->next = 1;
	s->fail_at = fail_at;
	ret = batch_new(sizeof(struct item), 7, jobs, work, deliver, s, &b);
	for (uint64_t n = 1; !ret && n <= count; n++) {
		struct item *it = batch_slot(b, &ret);
		if (!it)
			break;
		it->n = n;
		ret = batch_push(b);
	}
	if (!ret)
		ret = batch_drain(b);
	batch_free(b);
	return ret;
}

static void test_in_order(void **state)
{
	static const unsigned jobs[] = { 0, 1, 2, 5 };
	/* 21, 28, 49: the ring (jobs + 2 batches of 7) exactly full at the end */
	static const uint64_t counts[] = { 0, 1, 6, 7, 8, 21, 28, 49, 1000 };
	struct sink s;

	(void)state;
	for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++)
		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			assert_int_equal(run(jobs[j], counts[c], 0, &s), 0);
			assert_int_equal(s.next, counts[c] + 1);
		}
}

static void test_first_failure_stops(void **state)
{
	static const unsigned jobs[] = { 0, 1, 2, 5 };
	struct sink s;

	(void)state;
	for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		/* Items after the bad one may have been checked, never delivered. */
		assert_int_equal(run(jobs[j], 1000, 333, &s), ERR_FORMAT);
		assert_int_equal(s.next, 333);
		assert_int_equal(run(jobs[j], 1000, 1, &s), ERR_FORMAT);
		assert_int_equal(s.next, 1);
		assert_int_equal(run(jobs[j], 1000, 1000, &s), ERR_FORMAT);
		assert_int_equal(s.next, 1000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_first_failure_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
