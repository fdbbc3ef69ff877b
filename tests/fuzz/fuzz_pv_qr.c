/* libFuzzer target: the PV QR payload parser (pv/qr.c), which reads what a
 * phone or a scanner decoded from a printed PV. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pv/qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_qr q;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pv_qr_parse(text, &q) == 0 && q.kind == PV_QR_SIGNATURES &&
	    (q.n_sigs < 1 || q.n_sigs > 9))
		__builtin_trap();
	free(text);
	return 0;
}
