/* Strict parser of the bureau file "sceau-bureau/1" (docs/FORMATS.md). */
#include <stdlib.h>
#include <string.h>

#include "format/bureau.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/json_util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const root_keys[] = { "format", "members" };
static const char *const member_keys[] = { "role", "last_name", "first_name" };

static int parse_member(const json_t *o, const struct jutil_path *p,
			struct member *m)
{
	int ret = jutil_keys(o, p, member_keys, N(member_keys));

	if (!ret)
		ret = jutil_text(o, p, "role", m->role, sizeof(m->role));
	if (!ret)
		ret = jutil_text(o, p, "last_name", m->last_name, sizeof(m->last_name));
	if (!ret)
		ret = jutil_text(o, p, "first_name", m->first_name,
				 sizeof(m->first_name));
	return ret;
}

/* One person must not hold two cards: that would defeat the threshold. */
static int same_person(const struct member *a, const struct member *b)
{
	return strcmp(a->last_name, b->last_name) == 0 &&
	       strcmp(a->first_name, b->first_name) == 0;
}

static int parse_member_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	struct bureau *b = arg;
	int ret = parse_member(o, p, &b->members[i]);

	for (size_t j = 0; !ret && j < i; j++)
		if (same_person(&b->members[i], &b->members[j]))
			ret = jutil_fail(p, NULL, ERR_FORMAT, "same person as members[%zu]", j);
	return ret;
}

static int parse_members(const json_t *root, struct jutil_path *p, struct bureau *b)
{
	json_t *arr;
	int ret = jutil_array(root, p, "members", 1, BUREAU_MAX_MEMBERS, &arr);

	if (ret)
		return ret;
	b->n_members = (unsigned)json_array_size(arr);
	return jutil_each(arr, p, "members", parse_member_at, b);
}

int bureau_parse(const uint8_t *buf, size_t len, struct bureau *out)
{
	struct jutil_path p;
	json_t *root = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	jutil_path_init(&p);
	ret = jutil_load(buf, len, BUREAU_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, root_keys, N(root_keys));
	if (!ret)
		ret = jutil_const(root, &p, "format", BUREAU_FORMAT);
	if (!ret)
		ret = parse_members(root, &p, out);
	json_decref(root);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

static int bureau_parse_any(const uint8_t *buf, size_t len, void *out)
{
	return bureau_parse(buf, len, out);
}

int bureau_load(const char *path, struct bureau *out)
{
	memset(out, 0, sizeof(*out));
	return file_parse(path, BUREAU_FILE_MAX, bureau_parse_any, out);
}
