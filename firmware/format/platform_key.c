/* Strict parser of the platform's sealing public key file. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/err.h"
#include "lib/file.h"
#include "format/json_point.h"
#include "lib/json_util.h"
#include "format/platform_key.h"

int platform_key_parse(const uint8_t *buf, size_t len, uint8_t pub[65])
{
	static const char *const keys[] = { "format", "public_key" };
	struct jutil_path p;
	json_t *root = NULL;
	int ret;

	jutil_path_init(&p);
	ret = jutil_load(buf, len, PLATFORM_KEY_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, 2);
	if (!ret)
		ret = jutil_const(root, &p, "format", PLATFORM_KEY_FORMAT);
	if (!ret)
		ret = jutil_point(root, &p, "public_key", pub);
	json_decref(root);
	return ret;
}

static int platform_key_parse_any(const uint8_t *buf, size_t len, void *out)
{
	return platform_key_parse(buf, len, out);
}

int platform_key_load(const char *path, uint8_t pub[65])
{
	return file_parse(path, PLATFORM_KEY_FILE_MAX, platform_key_parse_any, pub);
}
