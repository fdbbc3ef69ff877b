/*
 * Exact fractions (count/frac.c): docs/RULES.md "exact arithmetic", no
 * real-number types anywhere. One row per operation and edge: comparisons by
 * cross-multiplication at the edges of uint64, reduction, overflow refused,
 * decimal texts rounded half up on integers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "count/frac.h"

#define M UINT64_MAX

enum op { CMP, MUL, DIV, ADD, REDUCE, DECIMAL, FLOOR };

struct frac_row {
	const char *title;
	enum op op;
	uint64_t an, ad, bn, bd;   /* operands (b: digits for DECIMAL) */
	int ret;                   /* expected return; CMP: the sign */
	uint64_t rn, rd;           /* expected result (FLOOR: rn) */
	const char *text;          /* DECIMAL */
};

static const struct frac_row frac_rows[] = {
	{ "equal values with different terms compare equal (2/4 = 1/2) — "
	  "docs/RULES.md exact arithmetic", CMP, 2, 4, 1, 2, 0, 0, 0, NULL },
	{ "1/3 < 334/1000: no rounding of thirds — docs/RULES.md exact arithmetic",
	  CMP, 1, 3, 334, 1000, -1, 0, 0, NULL },
	{ "averages that differ in the 12th decimal compare right (10^12+1 / "
	  "10^12 > 1) — docs/RULES.md exact arithmetic",
	  CMP, 1000000000001u, 1000000000000u, 1, 1, 1, 0, 0, NULL },
	{ "cross products of two uint64 maxima do not overflow (__int128): "
	  "(M-1)/M < M/(M-1) — docs/RULES.md exact arithmetic", CMP, M - 1, M, M, M - 1,
	  -1, 0, 0, NULL },
	{ "M/M = 1/1 at the uint64 edge — docs/RULES.md exact arithmetic",
	  CMP, M, M, 1, 1, 0, 0, 0, NULL },
	{ "products are kept unreduced when they fit (2/4 x 3/6 = 6/24) — "
	  "docs/RULES.md exact arithmetic", MUL, 2, 4, 3, 6, 0, 6, 24, NULL },
	{ "a product over 64 bits is reduced to fit: (2^32/3) x (2^32/2^32) — "
	  "docs/RULES.md exact arithmetic", MUL, 1ull << 32, 3, 1ull << 32, 1ull << 32, 0,
	  1ull << 32, 3, NULL },
	{ "a product that cannot fit in 64 bits is refused, not truncated — "
	  "docs/RULES.md exact arithmetic", MUL, M, 1, 3, 1, ERR_RANGE, 0, 0, NULL },
	{ "V_L / Q = (261/3) / (287/6) = 1566/861 — CT L2314-29", DIV, 261, 3,
	  287, 6, 0, 1566, 861, NULL },
	{ "division by zero is refused (Q = 0) — docs/RULES.md exact arithmetic",
	  DIV, 1, 1, 0, 5, ERR_RANGE, 0, 0, NULL },
	{ "sums of shares reduce to the lcm: 3/10 + 1/3 = 19/30 — docs/RULES.md "
	  "Union audience", ADD, 3, 10, 1, 3, 0, 19, 30, NULL },
	{ "a sum that does not fit is refused — docs/RULES.md exact arithmetic",
	  ADD, M, 1, 1, 1, ERR_RANGE, 0, 0, NULL },
	{ "reduction by gcd for printing: 300/10 = 30/1 — docs/FORMATS.md "
	  "Results", REDUCE, 300, 10, 0, 0, 0, 30, 1, NULL },
	{ "zero reduces to 0/1 — docs/FORMATS.md Results", REDUCE, 0, 7, 0, 0, 0,
	  0, 1, NULL },
	{ "floor(287/6) = 47 (seats at the quotient) — CT L2314-29", FLOOR, 287, 6,
	  0, 0, 0, 47, 0, NULL },
	{ "decimal text of Q = 287/6 to 4 decimals is 47.8333 — docs/FORMATS.md "
	  "Results", DECIMAL, 287, 6, 4, 0, 0, 0, 0, "47.8333" },
	{ "decimal text rounds half up: 2/3 gives 0.6667 — docs/FORMATS.md "
	  "Results", DECIMAL, 2, 3, 4, 0, 0, 0, 0, "0.6667" },
	{ "decimal text rounds half up at exactly half: 1/8 to 2 decimals gives "
	  "0.13 — docs/FORMATS.md Results", DECIMAL, 1, 8, 2, 0, 0, 0, 0, "0.13" },
	{ "decimal text carries into the integer part: 99999/100000 to 4 "
	  "decimals gives 1.0000 — docs/FORMATS.md Results", DECIMAL, 99999,
	  100000, 4, 0, 0, 0, 0, "1.0000" },
	{ "decimal text with no decimals: 5/2 gives 3 — docs/FORMATS.md Results",
	  DECIMAL, 5, 2, 0, 0, 0, 0, 0, "3" },
	{ "decimal text of the largest uint64 — docs/FORMATS.md Results",
	  DECIMAL, M, 1, 4, 0, 0, 0, 0, "18446744073709551615.0000" },
	{ "decimal text of a tiny value — docs/FORMATS.md Results",
	  DECIMAL, 1, M, 18, 0, 0, 0, 0, "0.000000000000000000" },
};

static void run_frac_row(void **state)
{
	const struct frac_row *row = *state;
	struct frac_u a = { row->an, row->ad }, b = { row->bn, row->bd }, r = { 0, 1 };
	char text[FRAC_DECIMAL_MAX] = "";
	int ret = 0;

	switch (row->op) {
	case CMP: ret = frac_cmp(a, b); break;
	case MUL: ret = frac_mul(a, b, &r); break;
	case DIV: ret = frac_div(a, b, &r); break;
	case ADD: ret = frac_add(a, b, &r); break;
	case REDUCE: r = frac_reduce(a); break;
	case FLOOR: r.num = frac_floor(a); r.den = 0; break;
	case DECIMAL: ret = frac_decimal(a, (unsigned)row->bn, text, sizeof(text)); break;
	}
	if (ret != row->ret)
		fail_msg("%s: returned %d, wanted %d", row->title, ret, row->ret);
	if (row->op == DECIMAL && strcmp(text, row->text))
		fail_msg("%s: got \"%s\"", row->title, text);
	if (row->op != CMP && row->op != DECIMAL && !ret &&
	    (r.num != row->rn || r.den != row->rd))
		fail_msg("%s: got %llu/%llu", row->title, (unsigned long long)r.num,
			 (unsigned long long)r.den);
}

/* Bad inputs are refused, not divided by zero. */
static void zero_denominators_refused(void **state)
{
	struct frac_u r;
	char small[5];

	assert_int_equal(frac_make(1, 0, &r), ERR_RANGE);
	assert_int_equal(frac_make(3, 4, &r), 0);
	assert_int_equal(frac_div_u(r, 0, &r), ERR_RANGE);
	assert_int_equal(frac_mul((struct frac_u){ 1, 0 }, r, &r), ERR_RANGE);
	assert_int_equal(frac_decimal((struct frac_u){ 1, 0 }, 2, small, 5), ERR_RANGE);
	assert_int_equal(frac_decimal((struct frac_u){ 100, 1 }, 2, small, 5), ERR_RANGE);
	assert_int_equal(frac_decimal((struct frac_u){ 1, 3 }, 19, small, 5), ERR_RANGE);
	assert_int_equal(frac_decimal((struct frac_u){ 1, 3 }, 2, small, 5), 0);
	assert_string_equal(small, "0.33");
	assert_int_equal(frac_gcd(0, 5), 5);
	assert_true(frac_is_zero((struct frac_u){ 0, 9 }));
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_denominators_refused),
	};
	struct CMUnitTest rows[N(frac_rows)];
	int failed;

	for (size_t i = 0; i < N(frac_rows); i++)
		rows[i] = (struct CMUnitTest){ .name = frac_rows[i].title,
					       .test_func = run_frac_row,
					       .initial_state = (void *)&frac_rows[i] };
	failed = _cmocka_run_group_tests("frac", rows, N(rows), NULL, NULL);
	failed += cmocka_run_group_tests_name("frac_api", tests, NULL, NULL);
	return failed ? 1 : 0;
}
