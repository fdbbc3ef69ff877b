/*
 * A P-256 point in a JSON document: SEC1 uncompressed, 130 hex digits,
 * validated on the curve (lib/json_util.h's conventions for errors).
 */
#ifndef SCEAU_FORMAT_JSON_POINT_H
#define SCEAU_FORMAT_JSON_POINT_H

#include <stdint.h>

#include "lib/json_util.h"

int jutil_point(const json_t *obj, const struct jutil_path *p, const char *key,
		uint8_t out[65]);

#endif
