/*
 * ISO 9660 images read with libarchive, through every directory tree at
 * once; see media.h and docs/FORMATS.md "ISO 9660 images".
 *
 * libarchive shows one tree per reader, chosen by its format options:
 * with Joliet off it reads the primary tree with its Rock Ridge names (as
 * Linux does), with Rock Ridge off the Joliet tree (as Windows does), with
 * both off the primary tree's own ISO 9660 names. Each view has a reader
 * of its own over the same descriptor (pread at its own offset), so that
 * the three can be read side by side: a file's bytes come from the medium
 * once and from the page cache twice more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/err.h"
#include "media/iso_read.h"
#include "media/media.h"

#define ISO_CHUNK (256u << 10)

enum iso_view { ISO_VIEW_RR, ISO_VIEW_JOLIET, ISO_VIEW_PLAIN, ISO_VIEWS };

static const char *const iso_view_name[ISO_VIEWS] = { "Rock Ridge", "Joliet", "ISO 9660" };

struct iso_reader {
	struct archive *a;
	struct medium *m;
	enum iso_view view;
	uint64_t pos;   /* this reader's own offset on the medium */
	uint8_t *buf;
};

static la_ssize_t iso_src_read(struct archive *a, void *arg, const void **out)
{
	struct iso_reader *r = arg;
	ssize_t n;

	do
		n = pread(r->m->fd, r->buf, ISO_CHUNK, (off_t)r->pos);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	r->pos += (uint64_t)n;
	*out = r->buf;
	return n;
}

/* Skips are offset changes only: no data is read to pass a file by, even
 * on a block device. */
static la_int64_t iso_src_skip(struct archive *a, void *arg, la_int64_t n)
{
	struct iso_reader *r = arg;

	(void)a;
	r->pos += (uint64_t)n;
	return n;
}

static la_int64_t iso_src_seek(struct archive *a, void *arg, la_int64_t off, int whence)
{
	struct iso_reader *r = arg;
	int64_t base = whence == SEEK_SET ? 0
		       : whence == SEEK_CUR ? (int64_t)r->pos : (int64_t)r->m->size;

	if (off < -base || off > INT64_MAX - base) {
		archive_set_error(a, EINVAL, "seek outside the image");
		return ARCHIVE_FATAL;
	}
	r->pos = (uint64_t)(base + off);
	return (la_int64_t)r->pos;
}

static void iso_reader_close(struct iso_reader *r)
{
	if (r->a)
		archive_read_free(r->a);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

/* A reader of one view, from the image's start. */
static int iso_reader_open(struct medium *m, enum iso_view v, struct iso_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->view = v;
	r->buf = malloc(ISO_CHUNK);
	r->a = archive_read_new();
	if (!r->buf || !r->a) {
		iso_reader_close(r);
		return ERR_NOMEM;
	}
	if (archive_read_support_format_iso9660(r->a) != ARCHIVE_OK ||
	    (v != ISO_VIEW_RR &&
	     archive_read_set_format_option(r->a, "iso9660", "rockridge", NULL) != ARCHIVE_OK) ||
	    (v != ISO_VIEW_JOLIET &&
	     archive_read_set_format_option(r->a, "iso9660", "joliet", NULL) != ARCHIVE_OK) ||
	    archive_read_set_read_callback(r->a, iso_src_read) != ARCHIVE_OK ||
	    archive_read_set_skip_callback(r->a, iso_src_skip) != ARCHIVE_OK ||
	    archive_read_set_seek_callback(r->a, iso_src_seek) != ARCHIVE_OK ||
	    archive_read_set_callback_data(r->a, r) != ARCHIVE_OK ||
	    archive_read_open1(r->a) != ARCHIVE_OK) {
		err_detail("%s: not an ISO 9660 image: %s", m->path,
			   archive_error_string(r->a));
		iso_reader_close(r);
		return ERR_FORMAT;
	}
	return 0;
}

/* The next file of a view (*e NULL at the end): only regular files at the
 * root are allowed; the root itself is passed over. Anything libarchive
 * only warns about (a file beyond the end, out of order) is refused. */
static int iso_reader_next(struct iso_reader *r, struct archive_entry **e)
{
	const char *p;
	int rc;

	for (;;) {
		rc = archive_read_next_header(r->a, e);
		if (rc == ARCHIVE_EOF) {
			*e = NULL;
			return 0;
		}
		if (rc != ARCHIVE_OK) {
			err_detail("%s: damaged ISO 9660 image (%s tree): %s", r->m->path,
				   iso_view_name[r->view], archive_error_string(r->a));
			return ERR_FORMAT;
		}
		p = archive_entry_pathname(*e);
		if (p && strncmp(p, "./", 2) == 0)
			p += 2;
		if (p && archive_entry_filetype(*e) == AE_IFDIR &&
		    (strcmp(p, "") == 0 || strcmp(p, ".") == 0))
			continue;
		if (p && archive_entry_hardlink(*e)) {
			err_detail("%s: \"%s\" (%s tree) has the same data as \"%s\"", r->m->path,
				   p, iso_view_name[r->view], archive_entry_hardlink(*e));
			return ERR_MEDIA_LAYOUT;
		}
		if (!p || archive_entry_filetype(*e) != AE_IFREG ||
		    archive_entry_symlink(*e) || !archive_entry_size_is_set(*e) ||
		    archive_entry_size(*e) < 0 || strchr(p, '/')) {
			err_detail("%s: \"%s\" (%s tree) is not a file at the root of the image",
				   r->m->path, p ? p : "?", iso_view_name[r->view]);
			return ERR_MEDIA_LAYOUT;
		}
		return 0;
	}
}

/* The entry's name as this reader shows it (no "./"). */
static const char *iso_entry_name(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	return strncmp(p, "./", 2) == 0 ? p + 2 : p;
}

/*
 * The name a file must have in a view (docs/FORMATS.md "ISO 9660 images"):
 * its own in Rock Ridge and Joliet; in the plain tree, the ISO 9660 level
 * 2 identifier every writer derives from it (upper case, '-' and every dot
 * but the last turned into '_'), as libarchive shows it (without ";1" nor
 * a final '.').
 */
static void iso_view_file_name(enum iso_view v, const char *name,
			       char out[MEDIA_NAME_MAX + 1])
{
	const char *last = strrchr(name, '.');
	size_t n = strlen(name), i;

	for (i = 0; i < n && i < MEDIA_NAME_MAX; i++) {
		char c = name[i];

		if (v == ISO_VIEW_PLAIN && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (v == ISO_VIEW_PLAIN && (c == '-' || (c == '.' && name + i != last)))
			c = '_';
		out[i] = c;
	}
	if (v == ISO_VIEW_PLAIN && i > 0 && out[i - 1] == '.')
		i--;
	out[i] = '\0';
}

int iso_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > MEDIA_NAME_MAX || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* Reads a whole view's listing into names/sizes (at most max). */
static int iso_view_list(struct medium *m, enum iso_view v, struct media_file *f,
			 size_t max, size_t *n, int *rock_ridge)
{
	struct iso_reader r;
	struct archive_entry *e;
	int ret = iso_reader_open(m, v, &r);

	*n = 0;
	while (!ret && !(ret = iso_reader_next(&r, &e)) && e) {
		const char *p = iso_entry_name(e);

		if (*n == max || strlen(p) > MEDIA_NAME_MAX) {
			err_detail("%s: more than %zu files, or a name over %d characters (%s tree)",
				   m->path, max, MEDIA_NAME_MAX, iso_view_name[v]);
			ret = ERR_MEDIA_LAYOUT;
			break;
		}
		memcpy(f[*n].name, p, strlen(p) + 1);
		f[*n].size = (uint64_t)archive_entry_size(e);
		(*n)++;
	}
	if (!ret && rock_ridge)
		*rock_ridge = archive_format(r.a) == ARCHIVE_FORMAT_ISO9660_ROCKRIDGE;
	if (r.a)
		iso_reader_close(&r);
	return ret;
}

static int iso_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct media_file *)a)->name, ((const struct media_file *)b)->name);
}

/* Two names with one ISO 9660 name ("a-b", "a_b") would let that tree
 * hold a file no other tree names: refused. */
static int iso_check_plain_unique(struct medium *m, const struct media_file *f, size_t n)
{
	struct media_file *p = calloc(n ? n : 1, sizeof(*p));
	int ret = p ? 0 : ERR_NOMEM;

	for (size_t i = 0; !ret && i < n; i++)
		iso_view_file_name(ISO_VIEW_PLAIN, f[i].name, p[i].name);
	if (!ret)
		qsort(p, n, sizeof(*p), iso_file_cmp);
	for (size_t i = 1; !ret && i < n; i++)
		if (strcmp(p[i - 1].name, p[i].name) == 0) {
			err_detail("%s: two files have the same ISO 9660 name %s", m->path,
				   p[i].name);
			ret = ERR_MEDIA_LAYOUT;
		}
	free(p);
	return ret;
}

/* The Rock Ridge listing: names allowed, each once. */
static int iso_check_rr(struct medium *m, struct media_file *f, size_t n, int rock_ridge)
{
	if (!rock_ridge) {
		err_detail("%s: the image has no Rock Ridge names", m->path);
		return ERR_MEDIA_LAYOUT;
	}
	qsort(f, n, sizeof(*f), iso_file_cmp);
	for (size_t i = 0; i < n; i++) {
		if (!iso_name_ok(f[i].name)) {
			err_detail("%s: file name \"%s\" not allowed (1 to %d characters of "
				   "a-z 0-9 . _ -)", m->path, f[i].name, MEDIA_NAME_MAX);
			return ERR_MEDIA_LAYOUT;
		}
		if (i > 0 && strcmp(f[i - 1].name, f[i].name) == 0) {
			err_detail("%s: the image holds two files named %s", m->path, f[i].name);
			return ERR_MEDIA_LAYOUT;
		}
	}
	return iso_check_plain_unique(m, f, n);
}

/* One whole format per case, not an English word as an argument: the
 * bureau reads each in its language (ui/msg_detail.h). */
static int iso_view_mismatch(struct medium *m, enum iso_view v, const struct media_file *rr,
			     size_t seen)
{
	unsigned long long size = (unsigned long long)rr->size;

	if (seen == 0)
		err_detail("%s: %s: absent in the %s tree (Rock Ridge: %llu bytes)", m->path,
			   rr->name, iso_view_name[v], size);
	else if (seen > 1)
		err_detail("%s: %s: named twice in the %s tree (Rock Ridge: %llu bytes)",
			   m->path, rr->name, iso_view_name[v], size);
	else
		err_detail("%s: %s: another size in the %s tree (Rock Ridge: %llu bytes)",
			   m->path, rr->name, iso_view_name[v], size);
	return ERR_MEDIA_TREES;
}

/* Another view's listing against the Rock Ridge one (sorted): the same
 * files under the view's names, the same sizes, nothing else. */
static int iso_check_view(struct medium *m, enum iso_view v, const struct media_file *rr,
			  size_t n, const struct media_file *got, size_t n_got)
{
	char want[MEDIA_NAME_MAX + 1];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t seen = 0;

		iso_view_file_name(v, rr[i].name, want);
		for (size_t j = 0; j < n_got; j++)
			if (strcmp(got[j].name, want) == 0 && seen++ == 0)
				k = j;
		if (seen != 1 || got[k].size != rr[i].size)
			return iso_view_mismatch(m, v, &rr[i], seen);
	}
	if (n_got != n) {
		err_detail("%s: the %s tree names %zu files, the Rock Ridge tree %zu", m->path,
			   iso_view_name[v], n_got, n);
		return ERR_MEDIA_TREES;
	}
	return 0;
}

int media_iso_list(struct medium *m, const char *volume_id, struct media_file *files,
		   size_t max, size_t *n)
{
	struct media_file *other = calloc(max ? max : 1, sizeof(*other));
	size_t n_other = 0;
	int rock_ridge = 0, ret = other ? iso_volume_check(m, volume_id) : ERR_NOMEM;

	*n = 0;
	if (!ret)
		ret = iso_view_list(m, ISO_VIEW_RR, files, max, n, &rock_ridge);
	if (!ret)
		ret = iso_check_rr(m, files, *n, rock_ridge);
	for (int v = ISO_VIEW_JOLIET; !ret && v < ISO_VIEWS; v++) {
		ret = iso_view_list(m, (enum iso_view)v, other, max, &n_other, NULL);
		if (!ret)
			ret = iso_check_view(m, (enum iso_view)v, files, *n, other, n_other);
	}
	free(other);
	if (ret)
		*n = 0;
	return ret;
}

/* Names the first file too many or missing: the images hold exactly the
 * documented files (docs/FORMATS.md "The urn"). */
int media_iso_check_sealed(struct medium *m, enum manifest_kind kind)
{
	const char *want[3] = { "manifest.json", "manifest.sig", manifest_data_file(kind) };
	struct media_file f[16];
	size_t n = 0, found = 0;
	int ret = media_iso_list(m, kind == MANIFEST_KIND_URN ? MEDIA_VOLUME_URN
							     : MEDIA_VOLUME_EMARGEMENT,
				 f, sizeof(f) / sizeof(f[0]), &n);

	for (size_t i = 0; !ret && i < n; i++) {
		size_t j = 0;

		while (j < 3 && strcmp(f[i].name, want[j]) != 0)
			j++;
		if (j == 3) {
			err_detail("%s: the image holds a file %s; it must hold only %s, %s and %s",
				   m->path, f[i].name, want[0], want[1], want[2]);
			ret = ERR_MEDIA_LAYOUT;
		}
		found++;
	}
	for (size_t j = 0; !ret && found < 3 && j < 3; j++) {
		size_t i = 0;

		while (i < n && strcmp(f[i].name, want[j]) != 0)
			i++;
		if (i == n) {
			err_detail("%s: the image has no file %s", m->path, want[j]);
			ret = ERR_MEDIA_LAYOUT;
		}
	}
	return ret;
}

/* Moves a reader to the file shown there as name. */
static int iso_reader_find(struct iso_reader *r, const char *name, uint64_t *size)
{
	struct archive_entry *e;
	int ret;

	while (!(ret = iso_reader_next(r, &e)) && e)
		if (strcmp(iso_entry_name(e), name) == 0) {
			*size = (uint64_t)archive_entry_size(e);
			return 0;
		}
	if (!ret) {
		err_detail("%s: the image has no file %s (%s tree)", r->m->path, name,
			   iso_view_name[r->view]);
		ret = r->view == ISO_VIEW_RR ? ERR_NOTFOUND : ERR_MEDIA_TREES;
	}
	return ret;
}

/* Up to cap bytes of the current file (fewer only at its end). */
static int iso_reader_fill(struct iso_reader *r, uint8_t *buf, size_t cap, size_t *got)
{
	la_ssize_t k;

	*got = 0;
	while (*got < cap && (k = archive_read_data(r->a, buf + *got, cap - *got)) != 0) {
		if (k < 0) {
			err_detail("%s: read error (%s tree): %s", r->m->path,
				   iso_view_name[r->view], archive_error_string(r->a));
			return ERR_IO;
		}
		*got += (size_t)k;
	}
	return 0;
}

struct iso_side_by_side {
	struct iso_reader r[ISO_VIEWS];
	uint8_t *buf[ISO_VIEWS];
	uint64_t done;
};

static void iso_sbs_close(struct iso_side_by_side *s)
{
	for (int v = 0; v < ISO_VIEWS; v++) {
		if (s->r[v].a)
			iso_reader_close(&s->r[v]);
		free(s->buf[v]);
	}
}

/* Every view's reader at the start of the file, which has one size. */
static int iso_sbs_open(struct medium *m, const char *name, struct iso_side_by_side *s)
{
	char want[MEDIA_NAME_MAX + 1];
	uint64_t size[ISO_VIEWS] = { 0 };
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (strlen(name) > MEDIA_NAME_MAX) {
		err_detail("%s: the image has no file %s", m->path, name);
		return ERR_NOTFOUND;
	}
	for (int v = 0; !ret && v < ISO_VIEWS; v++) {
		s->buf[v] = malloc(ISO_CHUNK);
		ret = s->buf[v] ? iso_reader_open(m, (enum iso_view)v, &s->r[v]) : ERR_NOMEM;
		iso_view_file_name((enum iso_view)v, name, want);
		if (!ret)
			ret = iso_reader_find(&s->r[v], want, &size[v]);
		if (!ret && size[v] != size[0]) {
			err_detail("%s: %s: %llu bytes in the %s tree, %llu in the Rock Ridge tree",
				   m->path, name, (unsigned long long)size[v], iso_view_name[v],
				   (unsigned long long)size[0]);
			ret = ERR_MEDIA_TREES;
		}
	}
	return ret;
}

/* The next chunk, the same in every view (in s->buf[0]). */
static int iso_sbs_next(struct medium *m, const char *name, struct iso_side_by_side *s,
			size_t *len)
{
	size_t got[ISO_VIEWS];
	int ret = 0;

	for (int v = 0; !ret && v < ISO_VIEWS; v++)
		ret = iso_reader_fill(&s->r[v], s->buf[v], ISO_CHUNK, &got[v]);
	for (int v = 1; !ret && v < ISO_VIEWS; v++)
		if (got[v] != got[0] || memcmp(s->buf[v], s->buf[0], got[0]) != 0) {
			err_detail("%s: %s: the %s and Rock Ridge trees give different bytes "
				   "after byte %llu", m->path, name, iso_view_name[v],
				   (unsigned long long)s->done);
			ret = ERR_MEDIA_TREES;
		}
	*len = ret ? 0 : got[0];
	s->done += *len;
	return ret;
}

int media_iso_stream(struct medium *m, const char *name,
		     int (*fn)(const uint8_t *data, size_t len, void *arg), void *arg)
{
	struct iso_side_by_side s;
	size_t len = 0;
	int ret = iso_sbs_open(m, name, &s);

	while (!ret && !(ret = iso_sbs_next(m, name, &s, &len)) && len > 0)
		ret = fn(s.buf[0], len, arg);
	iso_sbs_close(&s);
	return ret;
}

struct iso_collect {
	uint8_t *buf;
	size_t len, max;
	const char *name;
};

static int iso_collect_chunk(const uint8_t *data, size_t len, void *arg)
{
	struct iso_collect *c = arg;
	uint8_t *nb;

	if (c->len + len > c->max) {
		err_detail("%s: larger than %zu bytes", c->name, c->max);
		return ERR_RANGE;
	}
	nb = realloc(c->buf, c->len + len + 1);
	if (!nb)
		return ERR_NOMEM;
	c->buf = nb;
	memcpy(c->buf + c->len, data, len);
	c->len += len;
	c->buf[c->len] = '\0';
	return 0;
}

int media_iso_read(struct medium *m, const char *name, size_t max, uint8_t **buf,
		   size_t *len)
{
	struct iso_collect c = { .max = max, .name = name };
	int ret = media_iso_stream(m, name, iso_collect_chunk, &c);

	if (!ret && !c.buf)
		c.buf = calloc(1, 1);
	if (ret || !c.buf) {
		free(c.buf);
		return ret ? ret : ERR_NOMEM;
	}
	*buf = c.buf;
	*len = c.len;
	return 0;
}
