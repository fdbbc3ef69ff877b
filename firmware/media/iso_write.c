/* ISO 9660 images written with libarchive; see iso_write.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/err.h"
#include "lib/file.h"
#include "media/iso_read.h"
#include "media/iso_write.h"

#define ISO_WRITE_CHUNK (64u << 10)

struct iso_write {
	struct archive *a;
	int fd;
	int failed;   /* libarchive's state is fatal after a failed entry */
	int discard;  /* aborting: libarchive's close writes nowhere */
	time_t now;   /* one timestamp for every file of the image */
	char path[PATH_MAX];
	char part[PATH_MAX + 8];
};

static int iso_write_fail(struct iso_write *w, const char *what)
{
	const char *why = archive_error_string(w->a);

	err_detail("%s: %s: %s", w->path, what, why ? why : "libarchive error");
	w->failed = 1;
	return ERR_IO;
}

static int iso_write_volume_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > ISO_WRITE_VOLUME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
		      v[i] == '_'))
			return 0;
	return 1;
}

/* libarchive's output; on abort its close (which frees its buffers) runs
 * but writes nothing. */
static la_ssize_t iso_write_out(struct archive *a, void *arg, const void *buf, size_t n)
{
	struct iso_write *w = arg;

	if (!w->discard && file_write_all(w->fd, buf, n) != 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	return (la_ssize_t)n;
}

/* Rock Ridge keeps the POSIX names, Joliet the Windows ones; level 3 lets
 * a large urn exceed 4 GiB. The three trees name the same files with the
 * same extents, as the readers require (docs/FORMATS.md "ISO 9660
 * images"): the plain names are libarchive's level 2/3 identifiers, which
 * iso_read.c's rule rebuilds, since names never exceed 31 characters. */
static int iso_write_setup(struct iso_write *w, const char *volume_id)
{
	static const char *const opts[][2] = {
		{ "rockridge", "useful" }, { "joliet", "1" }, { "iso-level", "3" },
	};

	if (archive_write_set_format_iso9660(w->a) != ARCHIVE_OK)
		return iso_write_fail(w, "ISO 9660 writer");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (archive_write_set_format_option(w->a, "iso9660", opts[i][0],
						    opts[i][1]) != ARCHIVE_OK)
			return iso_write_fail(w, opts[i][0]);
	if (archive_write_set_format_option(w->a, "iso9660", "volume-id", volume_id) !=
	    ARCHIVE_OK)
		return iso_write_fail(w, "volume-id");
	if (archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, iso_write_out, NULL, NULL) != ARCHIVE_OK)
		return iso_write_fail(w, "open");
	return 0;
}

static int iso_write_paths(struct iso_write *w, const char *path)
{
	struct stat st;
	int n = snprintf(w->path, sizeof(w->path), "%s", path);

	if (n <= 0 || (size_t)n >= sizeof(w->path)) {
		err_detail("ISO image path too long");
		return ERR_RANGE;
	}
	snprintf(w->part, sizeof(w->part), "%s.part", path);
	if (lstat(path, &st) == 0) {
		err_detail("%s: already exists", path);
		return ERR_EXISTS;
	}
	return 0;
}

int iso_write_open(const char *path, const char *volume_id, struct iso_write **out)
{
	struct iso_write *w;
	int ret;

	*out = NULL;
	if (!iso_write_volume_ok(volume_id)) {
		err_detail("ISO volume identifier: 1 to %d characters of A-Z 0-9 _",
			   ISO_WRITE_VOLUME_MAX);
		return ERR_FORMAT;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return ERR_NOMEM;
	w->fd = -1;
	w->now = time(NULL);
	ret = iso_write_paths(w, path);
	if (!ret) {
		w->fd = open(w->part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (w->fd < 0) {
			err_detail("%s: %s", w->part, strerror(errno));
			ret = errno == EEXIST ? ERR_EXISTS : ERR_IO;
		}
	}
	if (!ret && !(w->a = archive_write_new()))
		ret = ERR_NOMEM;
	if (!ret)
		ret = iso_write_setup(w, volume_id);
	if (ret) {
		iso_write_abort(w);
		return ret;
	}
	*out = w;
	return 0;
}

static int iso_write_header(struct iso_write *w, const char *name, uint64_t size)
{
	struct archive_entry *e;
	int ret = 0;

	if (!iso_name_ok(name)) {
		err_detail("ISO file name \"%s\": 1 to %d characters of a-z 0-9 . _ -",
			   name, ISO_WRITE_NAME_MAX);
		return ERR_FORMAT;
	}
	if (size > INT64_MAX)
		return ERR_RANGE;
	e = archive_entry_new();
	if (!e)
		return ERR_NOMEM;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0444);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, w->now, 0);
	archive_entry_set_ctime(e, w->now, 0);
	archive_entry_set_atime(e, w->now, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK)
		ret = iso_write_fail(w, name);
	archive_entry_free(e);
	return ret;
}

static int iso_write_data(struct iso_write *w, const char *name, const uint8_t *p,
			  size_t n)
{
	while (n > 0) {
		la_ssize_t k = archive_write_data(w->a, p, n);

		if (k <= 0)
			return iso_write_fail(w, name);
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Pulls exactly size bytes from fn into the current entry. */
static int iso_write_pump(struct iso_write *w, const char *name, uint64_t size,
			  iso_read_fn fn, void *arg)
{
	uint8_t *buf = malloc(ISO_WRITE_CHUNK);
	uint64_t done = 0;
	size_t got = 0;
	int ret = buf ? 0 : ERR_NOMEM;

	while (!ret) {
		ret = fn(arg, buf, ISO_WRITE_CHUNK, &got);
		if (ret || got == 0)
			break;
		if (got > ISO_WRITE_CHUNK || got > size - done) {
			err_detail("%s: the source gives more than the %llu bytes announced",
				   name, (unsigned long long)size);
			ret = ERR_INTERNAL;
			break;
		}
		ret = iso_write_data(w, name, buf, got);
		done += got;
	}
	if (!ret && done != size) {
		err_detail("%s: the source ended after %llu of %llu bytes", name,
			   (unsigned long long)done, (unsigned long long)size);
		ret = ERR_INTERNAL;
	}
	free(buf);
	return ret;
}

int iso_write_file(struct iso_write *w, const char *name, uint64_t size,
		   iso_read_fn fn, void *arg)
{
	int ret;

	if (w->failed) {
		err_detail("%s: an earlier file failed", w->path);
		return ERR_STATE;
	}
	ret = iso_write_header(w, name, size);
	if (!ret)
		ret = iso_write_pump(w, name, size, fn, arg);
	if (!ret && archive_write_finish_entry(w->a) != ARCHIVE_OK)
		ret = iso_write_fail(w, name);
	if (ret)
		w->failed = 1;
	return ret;
}

struct iso_mem {
	const uint8_t *p;
	size_t left;
};

static int iso_mem_read(void *arg, uint8_t *buf, size_t cap, size_t *got)
{
	struct iso_mem *m = arg;
	size_t n = m->left < cap ? m->left : cap;

	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	*got = n;
	return 0;
}

int iso_write_buffer(struct iso_write *w, const char *name, const void *data,
		     size_t len)
{
	struct iso_mem m = { data, len };

	return iso_write_file(w, name, len, iso_mem_read, &m);
}

/* The image is complete on disk: sync it, then give it its final name
 * (link refuses to replace a file that appeared meanwhile). */
static int iso_write_publish(struct iso_write *w)
{
	if (fsync(w->fd) != 0 || close(w->fd) != 0) {
		err_detail("%s: %s", w->part, strerror(errno));
		w->fd = -1;
		return ERR_IO;
	}
	w->fd = -1;
	if (link(w->part, w->path) != 0) {
		err_detail("%s: %s", w->path, strerror(errno));
		return errno == EEXIST ? ERR_EXISTS : ERR_IO;
	}
	unlink(w->part);
	return 0;
}

int iso_write_close(struct iso_write *w)
{
	int ret = 0;

	if (w->failed) {
		err_detail("%s: not finished, a file failed", w->path);
		ret = ERR_STATE;
	} else if (archive_write_close(w->a) != ARCHIVE_OK) {
		ret = iso_write_fail(w, "finishing the image");
	}
	if (!ret)
		ret = iso_write_publish(w);
	if (ret) {
		iso_write_abort(w);
		return ret;
	}
	archive_write_free(w->a);
	free(w);
	return 0;
}

void iso_write_abort(struct iso_write *w)
{
	if (!w)
		return;
	w->discard = 1;
	if (w->a)
		archive_write_free(w->a);
	if (w->fd >= 0)
		close(w->fd);
	if (w->part[0])
		unlink(w->part);
	free(w);
}
