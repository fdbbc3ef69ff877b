/* libFuzzer target: the verifier's Netpbm reader (verify/verify_pnm.c),
 * which reads scans of PVs. */
#include <stddef.h>
#include <stdint.h>

#include "verify/verify_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vgray g;

	if (verify_pnm_parse(data, size, &g) != 0)
		return 0;
	if (g.w == 0 || g.h == 0 || g.w > VIMG_MAX_DIM || g.h > VIMG_MAX_DIM || !g.px)
		__builtin_trap();
	/* Every pixel was written: reading them all must be defined. */
	volatile uint8_t sum = 0;
	for (size_t i = 0; i < (size_t)g.w * g.h; i++)
		sum = (uint8_t)(sum + g.px[i]);
	verify_gray_free(&g);
	return 0;
}
