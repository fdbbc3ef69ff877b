/*
 * libFuzzer target: the cardholder name written to DO 5B (card/openpgp.c,
 * pgp_holder_name) from a bureau's last and first names, any bytes: the
 * input up to its first NUL is the last name, the rest the first name. The
 * name must stay within 39 bytes of printable ASCII without spaces, and the
 * "<<" between the two names must be the only one, never "<<<".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card/openpgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char last[256], first[256], out[PGP_NAME_MAX + 1];
	const uint8_t *nul = memchr(data, 0, size);
	size_t nl = nul ? (size_t)(nul - data) : size, nf = nul ? size - nl - 1 : 0;
	const char *sep;
	size_t n;

	if (nl >= sizeof(last) || nf >= sizeof(first))
		return 0;
	memcpy(last, data, nl);
	last[nl] = '\0';
	if (nf)
		memcpy(first, nul + 1, nf);
	first[nf] = '\0';
	n = pgp_holder_name(last, first, out);
	if (n > PGP_NAME_MAX || n != strlen(out))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (out[i] <= ' ' || out[i] > '~')
			__builtin_trap();
	sep = strstr(out, "<<");
	if (strstr(out, "<<<") || (sep && strstr(sep + 2, "<<")))
		__builtin_trap();
	return 0;
}
