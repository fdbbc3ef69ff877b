/* JSON comparison with paths; see verify_jdiff.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify_jdiff.h"

#define VDIFF_DEPTH 32

struct vd {
	struct vdiff *d;
	char path[VDIFF_PATH_MAX];
	size_t len;
	int depth;
};

static void vd_value(const json_t *v, char *out, size_t n)
{
	char *s;

	if (!v) {
		snprintf(out, n, "(absent)");
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	snprintf(out, n, "%s", s ? s : "?");
	if (s && strlen(s) >= n && n > 4)
		memcpy(out + n - 4, "...", 4);
	free(s);
}

static void vd_record(struct vd *w, const char *suffix, const json_t *e, const json_t *f)
{
	struct vdiff *d = w->d;

	if (d->n++ > 0)
		return;
	snprintf(d->path, sizeof(d->path), "%s%s", w->len ? w->path : "(document)", suffix);
	vd_value(e, d->expected, sizeof(d->expected));
	vd_value(f, d->found, sizeof(d->found));
}

static void vd_walk(struct vd *w, const json_t *e, const json_t *f);

/* Descends into .key (key != NULL) or [index], then restores the path. */
static void vd_child(struct vd *w, const json_t *e, const json_t *f, const char *key,
		     size_t index)
{
	size_t len = w->len, room = sizeof(w->path) - len;
	int n = key ? snprintf(w->path + len, room, "%s%s", len ? "." : "", key)
		    : snprintf(w->path + len, room, "[%zu]", index);

	w->len = n < 0 ? len : (size_t)n >= room ? sizeof(w->path) - 1 : len + (size_t)n;
	w->depth++;
	vd_walk(w, e, f);
	w->depth--;
	w->len = len;
	w->path[len] = '\0';
}

/* The same keys in another order: the file is not canonical. */
static void vd_order(struct vd *w, const json_t *e, const json_t *f)
{
	void *ie = json_object_iter((json_t *)e), *jf = json_object_iter((json_t *)f);

	for (; ie && jf; ie = json_object_iter_next((json_t *)e, ie),
			 jf = json_object_iter_next((json_t *)f, jf)) {
		const char *ke = json_object_iter_key(ie), *kf = json_object_iter_key(jf);
		if (strcmp(ke, kf) != 0) {
			json_t *se = json_string(ke), *sf = json_string(kf);
			vd_record(w, " (key order)", se, sf);
			json_decref(se);
			json_decref(sf);
			return;
		}
	}
}

/* Keys of e in its order, then keys only f has, then the order. */
static void vd_object(struct vd *w, const json_t *e, const json_t *f)
{
	unsigned long before = w->d->n;
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)e, k, v)
		vd_child(w, v, json_object_get(f, k), k, 0);
	json_object_foreach((json_t *)f, k, v)
		if (!json_object_get(e, k))
			vd_child(w, NULL, v, k, 0);
	if (w->d->n == before)
		vd_order(w, e, f);
}

static void vd_array(struct vd *w, const json_t *e, const json_t *f)
{
	size_t ne = json_array_size(e), nf = json_array_size(f);

	for (size_t i = 0; i < ne || i < nf; i++)
		vd_child(w, json_array_get(e, i), json_array_get(f, i), NULL, i);
}

static void vd_walk(struct vd *w, const json_t *e, const json_t *f)
{
	if (!e || !f || json_typeof(e) != json_typeof(f) || w->depth > VDIFF_DEPTH)
		vd_record(w, "", e, f);
	else if (json_is_object(e))
		vd_object(w, e, f);
	else if (json_is_array(e))
		vd_array(w, e, f);
	else if (!json_equal((json_t *)e, (json_t *)f))
		vd_record(w, "", e, f);
}

void verify_jdiff(const json_t *expected, const json_t *found, const char *root,
		  struct vdiff *d)
{
	struct vd w;

	memset(d, 0, sizeof(*d));
	memset(&w, 0, sizeof(w));
	w.d = d;
	snprintf(w.path, sizeof(w.path), "%s", root);
	w.len = strlen(w.path);
	vd_walk(&w, expected, found);
}
