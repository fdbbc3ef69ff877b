/* A P-256 point in a JSON document; see json_point.h. */
#include "crypto/group.h"
#include "format/json_point.h"
#include "lib/err.h"

int jutil_point(const json_t *obj, const struct jutil_path *p, const char *key,
		uint8_t out[65])
{
	int ret = jutil_hex(obj, p, key, out, 65);

	if (ret == 0 && group_point_check(out) != 0)
		return jutil_fail(p, key, ERR_FORMAT, "not a valid P-256 point");
	return ret;
}
