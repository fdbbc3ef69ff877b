/* Opening read-only media and reading ISO 9660 images with libarchive. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/err.h"
#include "lib/file.h"
#include "crypto/hash.h"
#include "media/media.h"

#define MEDIA_CHUNK (256u << 10)

static int media_default_ro_flag(int fd, int *ro)
{
	int v = 0;

	if (ioctl(fd, BLKROGET, &v) != 0) {
		err_detail("BLKROGET: %s", strerror(errno));
		return ERR_IO;
	}
	*ro = v != 0;
	return 0;
}

static int media_default_is_blockdev(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISBLK(st.st_mode);
}

int (*media_ro_flag)(int fd, int *ro) = media_default_ro_flag;
int (*media_is_blockdev)(int fd) = media_default_is_blockdev;

static int media_check_device(struct medium *m)
{
	int ro = 0, ret = media_ro_flag(m->fd, &ro);
	uint64_t size = 0;

	if (ret)
		return ret;
	if (!ro) {
		err_detail("%s: the kernel reports the device as writable", m->path);
		return ERR_MEDIA_WRITABLE;
	}
	if (ioctl(m->fd, BLKGETSIZE64, &size) == 0)
		m->size = size;
	m->is_device = 1;
	return 0;
}

static int media_check_file(struct medium *m)
{
	struct stat st;

#ifndef CONFIG_MEDIA_IMAGE_FILES
	err_detail("%s: not a block device; this box reads only write-protected media",
		   m->path);
	return ERR_USAGE;
#endif
	if (fstat(m->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err_detail("%s: neither a block device nor an image file", m->path);
		return ERR_USAGE;
	}
	m->size = (uint64_t)st.st_size;
	return 0;
}

int media_open(const char *path, struct medium *m)
{
	int ret;

	memset(m, 0, sizeof(*m));
	if (strlen(path) >= sizeof(m->path))
		return ERR_RANGE;
	memcpy(m->path, path, strlen(path) + 1);
	m->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (m->fd < 0) {
		err_detail("%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	ret = media_is_blockdev(m->fd) ? media_check_device(m) : media_check_file(m);
	if (ret)
		media_close(m);
	return ret;
}

void media_close(struct medium *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

/* Opens the image from its start; each call is a fresh sequential pass. */
static int media_iso_begin(struct medium *m, struct archive **out)
{
	struct archive *a;

	if (lseek(m->fd, 0, SEEK_SET) != 0) {
		err_detail("%s: cannot rewind: %s", m->path, strerror(errno));
		return ERR_IO;
	}
	a = archive_read_new();
	if (!a)
		return ERR_NOMEM;
	archive_read_support_format_iso9660(a);
	if (archive_read_open_fd(a, m->fd, MEDIA_CHUNK) != ARCHIVE_OK) {
		err_detail("%s: not an ISO 9660 image: %s", m->path, archive_error_string(a));
		archive_read_free(a);
		return ERR_FORMAT;
	}
	*out = a;
	return 0;
}

/* Moves to the entry named name (a regular file at the root). */
static int media_iso_find(struct medium *m, struct archive *a, const char *name,
			  int64_t *size)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		if (p && strncmp(p, "./", 2) == 0)
			p += 2;
		if (p && strcmp(p, name) == 0 && archive_entry_filetype(e) == AE_IFREG) {
			*size = archive_entry_size(e);
			return 0;
		}
	}
	if (r != ARCHIVE_EOF) {
		err_detail("%s: damaged ISO 9660 image: %s", m->path, archive_error_string(a));
		return ERR_FORMAT;
	}
	err_detail("%s: the image has no file %s", m->path, name);
	return ERR_NOTFOUND;
}

int media_iso_stream(struct medium *m, const char *name,
		     int (*fn)(const uint8_t *data, size_t len, void *arg), void *arg)
{
	struct archive *a = NULL;
	uint8_t *buf = malloc(MEDIA_CHUNK);
	int64_t size = 0;
	la_ssize_t n;
	int ret = buf ? media_iso_begin(m, &a) : ERR_NOMEM;

	if (!ret)
		ret = media_iso_find(m, a, name, &size);
	while (!ret && (n = archive_read_data(a, buf, MEDIA_CHUNK)) != 0) {
		if (n < 0) {
			err_detail("%s: %s: read error: %s", m->path, name,
				   archive_error_string(a));
			ret = ERR_IO;
			break;
		}
		ret = fn(buf, (size_t)n, arg);
	}
	if (a)
		archive_read_free(a);
	free(buf);
	return ret;
}

struct media_collect {
	uint8_t *buf;
	size_t len, max;
	const char *name;
};

static int media_collect_chunk(const uint8_t *data, size_t len, void *arg)
{
	struct media_collect *c = arg;
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
	struct media_collect c = { .max = max, .name = name };
	int ret = media_iso_stream(m, name, media_collect_chunk, &c);

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

/* pread, not read: the copy may run in a thread of its own while the same
 * descriptor is being read by libarchive for the data pass. */
static int media_copy_loop(struct medium *m, int out_fd, struct hash_ctx *h,
			   uint8_t *buf, uint64_t *total, const atomic_int *stop)
{
	ssize_t n;
	int ret = 0;

	while (!ret && (n = pread(m->fd, buf, MEDIA_CHUNK, (off_t)*total)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_detail("%s: %s", m->path, strerror(errno));
			return ERR_IO;
		}
		if (stop && atomic_load(stop))
			return ERR_CANCELLED;
		*total += (uint64_t)n;
		ret = hash_update(h, buf, (size_t)n);
		if (!ret && out_fd >= 0 && file_write_all(out_fd, buf, (size_t)n) != 0) {
			int e = errno; /* a full disk is the bureau's to fix, not the medium */
			err_detail("copy of %s: %s", m->path, strerror(e));
			return err_from_errno(e);
		}
	}
	return ret;
}

int media_copy(struct medium *m, const char *dest, uint8_t out[32], uint64_t *size,
	       const atomic_int *stop)
{
	struct hash_ctx *h = NULL;
	uint8_t *buf = malloc(MEDIA_CHUNK);
	uint64_t total = 0;
	int fd = -1, ret = buf ? hash_begin(&h) : ERR_NOMEM;

	if (!ret && dest) {
		fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
		if (fd < 0) {
			err_detail("%s: %s", dest, strerror(errno));
			ret = ERR_IO;
		}
	}
	if (!ret)
		ret = media_copy_loop(m, fd, h, buf, &total, stop);
	if (fd >= 0) {
		if (!ret && fsync(fd) != 0)
			ret = ERR_IO;
		if (close(fd) != 0 && !ret)
			ret = ERR_IO;
	}
	if (ret && fd >= 0)
		unlink(dest);
	free(buf);
	if (ret) {
		hash_abort(h);
		return ret;
	}
	if (size)
		*size = total;
	return hash_final(h, out);
}
