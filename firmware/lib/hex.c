/* Hexadecimal text of bytes; see hex.h. */
#include "lib/err.h"
#include "lib/hex.h"

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	size_t i;
	unsigned nib, k;

	for (i = 0; i < len; i++) {
		for (k = 0; k < 2; k++) {
			nib = k == 0 ? in[i] >> 4 : in[i] & 0x0f;
			/* '0' + nib, plus 39 more ('a' - '0' - 10) when nib > 9 */
			out[2 * i + k] = (char)('0' + nib + (((9 - nib) >> 8) & 39));
		}
	}
	out[2 * len] = '\0';
}

/* Value of one lower-case hex digit, or -1, without branching on c. Upper
 * case is refused: every file writes lower case, and a second spelling of
 * the same bytes (a signature, a hash) would let a file change unseen. */
static int hex_digit(unsigned char c)
{
	unsigned d = (unsigned)c - '0', l = (unsigned)c - 'a';
	unsigned md = 0u - (unsigned)(d < 10), ml = 0u - (unsigned)(l < 6);

	/* all ones (-1) when c is neither a digit nor a letter a-f */
	return (int)((d & md) | ((l + 10) & ml) | ~(md | ml));
}

int hex_decode(const char *in, uint8_t *out, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		/* Stops at the first bad character, so never reads past a NUL. */
		if ((hi = hex_digit((unsigned char)in[2 * i])) < 0 ||
		    (lo = hex_digit((unsigned char)in[2 * i + 1])) < 0)
			goto bad;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (in[2 * len] != '\0')
		goto bad;
	return 0;
bad:
	err_detail("hex: not %zu lower-case hex digits", 2 * len);
	return ERR_FORMAT;
}
