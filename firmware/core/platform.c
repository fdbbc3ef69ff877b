/* Strict parser of the platform's sealing public key file. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/file.h"
#include "core/platform.h"
#include "crypto/group.h"
#include "crypto/hash.h"

int platform_key_parse(const uint8_t *buf, size_t len, uint8_t pub[65])
{
	json_error_t jerr;
	json_t *root, *f, *k;
	int ret = ERR_FORMAT;

	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_detail("platform key: JSON error line %d: %s", jerr.line, jerr.text);
		return ERR_FORMAT;
	}
	f = json_object_get(root, "format");
	k = json_object_get(root, "public_key");
	if (!json_is_object(root) || json_object_size(root) != 2 || !json_is_string(f) ||
	    strcmp(json_string_value(f), PLATFORM_KEY_FORMAT) != 0) {
		err_detail("platform key: expected exactly {\"format\": \"%s\", "
			   "\"public_key\": ...}", PLATFORM_KEY_FORMAT);
		goto out;
	}
	if (!json_is_string(k) || json_string_length(k) != 130 ||
	    hex_decode(json_string_value(k), pub, 65) != 0 || group_point_check(pub) != 0) {
		err_detail("platform key: public_key is not a valid P-256 point in hex");
		goto out;
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

int platform_key_load(const char *path, uint8_t pub[65])
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(path, PLATFORM_KEY_FILE_MAX, &buf, &len);

	if (ret == 0)
		ret = platform_key_parse(buf, len, pub);
	free(buf);
	return ret;
}
