/* The shared shapes of lib/json_util.c that every format reader and writer
 * goes through: jutil_each (arrays of objects, with the JSON path of the
 * element at fault) and jutil_hex_string (what jutil_hex reads back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/json_util.h"

struct seen {
	unsigned n;
	json_int_t sum;
};

static int add_x(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct seen *s = arg;
	uint64_t x = 0;
	int ret = jutil_uint(o, p, "x", 0, 9, &x);

	if (!ret && i + 1 != ++s->n)
		ret = ERR_INTERNAL;
	s->sum += (json_int_t)x;
	return ret;
}

static int each(const char *text, struct seen *s)
{
	struct jutil_path p;
	json_t *root = NULL, *a = NULL;
	int ret = jutil_load((const uint8_t *)text, strlen(text), 4096, &root);

	jutil_path_init(&p);
	memset(s, 0, sizeof(*s));
	if (!ret)
		ret = jutil_array(root, &p, "a", 0, 8, &a);
	if (!ret)
		ret = jutil_each(a, &p, "a", add_x, s);
	if (!ret && p.len != 0)   /* the path is back where it was */
		ret = ERR_INTERNAL;
	json_decref(root);
	return ret;
}

static void test_each_walks_and_names_the_element(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(each("{\"a\": [{\"x\": 1}, {\"x\": 2}, {\"x\": 3}]}", &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.sum, 6);
	assert_int_equal(each("{\"a\": []}", &s), 0);
	assert_int_equal(s.n, 0);
	/* stops at the first fault, which names its element */
	assert_int_equal(each("{\"a\": [{\"x\": 1}, {\"x\": 10}, {\"x\": 99}]}", &s), ERR_RANGE);
	assert_int_equal(s.n, 1);
	assert_non_null(strstr(err_last_detail(), "a[1].x:"));
	assert_int_equal(each("{\"a\": [{\"x\": 1}, 7]}", &s), ERR_FORMAT);
	assert_string_equal(err_last_detail(), "a[1]: expected an object, got an integer");
}

static void test_hex_string_reads_back(void **state)
{
	uint8_t b[JUTIL_HEX_MAX + 1], back[JUTIL_HEX_MAX];
	struct jutil_path p;
	json_t *o = json_object(), *v;

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(0xa0 + i);
	v = jutil_hex_string(b, 2);
	assert_string_equal(json_string_value(v), "a0a1");
	json_decref(v);
	assert_null(jutil_hex_string(b, JUTIL_HEX_MAX + 1));
	assert_int_equal(json_object_set_new(o, "h", jutil_hex_string(b, JUTIL_HEX_MAX)), 0);
	jutil_path_init(&p);
	assert_int_equal(jutil_hex(o, &p, "h", back, JUTIL_HEX_MAX), 0);
	assert_memory_equal(back, b, JUTIL_HEX_MAX);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_walks_and_names_the_element),
		cmocka_unit_test(test_hex_string_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
