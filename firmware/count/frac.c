/* Exact fractions over uint64 with __int128 intermediates (count/frac.h). */
#include "count/frac.h"
#include "lib/err.h"

typedef unsigned __int128 u128;

int frac_make(uint64_t num, uint64_t den, struct frac_u *out)
{
	if (den == 0)
		return ERR_RANGE;
	out->num = num;
	out->den = den;
	return 0;
}

int frac_cmp(struct frac_u a, struct frac_u b)
{
	u128 l = (u128)a.num * b.den, r = (u128)b.num * a.den;

	return l < r ? -1 : l > r;
}

int frac_is_zero(struct frac_u a)
{
	return a.num == 0;
}

uint64_t frac_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

struct frac_u frac_reduce(struct frac_u a)
{
	uint64_t g;

	if (a.num == 0)
		return (struct frac_u){ 0, 1 };
	g = frac_gcd(a.num, a.den);
	return (struct frac_u){ a.num / g, a.den / g };
}

/* Stores num/den, reducing only if needed to fit in 64 bits. */
static int frac_store(u128 num, u128 den, struct frac_u *out)
{
	if (den == 0)
		return ERR_RANGE;
	if (num > UINT64_MAX || den > UINT64_MAX) {
		u128 g = num ? gcd128(num, den) : den;

		num /= g;
		den /= g;
		if (num > UINT64_MAX || den > UINT64_MAX)
			return ERR_RANGE;
	}
	out->num = (uint64_t)num;
	out->den = (uint64_t)den;
	return 0;
}

int frac_mul(struct frac_u a, struct frac_u b, struct frac_u *out)
{
	if (a.den == 0 || b.den == 0)
		return ERR_RANGE;
	return frac_store((u128)a.num * b.num, (u128)a.den * b.den, out);
}

int frac_div(struct frac_u a, struct frac_u b, struct frac_u *out)
{
	if (a.den == 0 || b.den == 0 || b.num == 0)
		return ERR_RANGE;
	return frac_store((u128)a.num * b.den, (u128)a.den * b.num, out);
}

int frac_add(struct frac_u a, struct frac_u b, struct frac_u *out)
{
	u128 num, den, g;

	if (a.den == 0 || b.den == 0)
		return ERR_RANGE;
	/* Sums mix denominators (10^k, 1/n shares): reduce at each step so
	 * the denominator stays the lcm, not the product, of the terms. */
	num = (u128)a.num * b.den + (u128)b.num * a.den;
	den = (u128)a.den * b.den;
	g = num ? gcd128(num, den) : den;
	return frac_store(num / g, den / g, out);
}

int frac_mul_u(struct frac_u a, uint64_t k, struct frac_u *out)
{
	return frac_mul(a, (struct frac_u){ k, 1 }, out);
}

int frac_div_u(struct frac_u a, uint64_t k, struct frac_u *out)
{
	return frac_div(a, (struct frac_u){ k, 1 }, out);
}

uint64_t frac_floor(struct frac_u a)
{
	return a.den ? a.num / a.den : 0;
}

/* Writes v in decimal, at least `width` digits (zero-padded); returns the
 * length, or 0 if it does not fit in cap (with the NUL). */
static size_t put_u64(uint64_t v, unsigned width, char *buf, size_t cap)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	if (n + 1 > cap)
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

int frac_decimal(struct frac_u a, unsigned digits, char *buf, size_t cap)
{
	u128 scale = 1, scaled;
	size_t n;

	if (a.den == 0 || digits > FRAC_DIGITS_MAX || cap == 0)
		return ERR_RANGE;
	for (unsigned i = 0; i < digits; i++)
		scale *= 10;
	/* round(a x 10^d), half up: floor((2 num 10^d + den) / (2 den)).
	 * 2 x 2^64 x 10^18 < 2^126: no overflow. */
	scaled = ((u128)2 * a.num * scale + a.den) / ((u128)2 * a.den);
	n = put_u64((uint64_t)(scaled / scale), 1, buf, cap);
	if (n == 0)
		return ERR_RANGE;
	if (digits == 0)
		return 0;
	if (n + 1 >= cap)
		return ERR_RANGE;
	buf[n] = '.';
	if (!put_u64((uint64_t)(scaled % scale), digits, buf + n + 1, cap - n - 1))
		return ERR_RANGE;
	return 0;
}
