/* Opening read-only media and copying them; the images are read in iso_read.c. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int media_check_file(struct medium *m, const struct stat *st)
{
#ifndef CONFIG_MEDIA_IMAGE_FILES
	(void)st;
	err_detail("%s: not a block device; this box reads only write-protected media",
		   m->path);
	return ERR_USAGE;
#else
	m->size = (uint64_t)st->st_size;
	return 0;
#endif
}

/* Opened with O_NONBLOCK, so that a FIFO is refused instead of waited on;
 * the type is known before anything is read. */
static int media_open_fd(const char *path, struct medium *m, struct stat *st)
{
	int flags;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (strlen(path) >= sizeof(m->path))
		return ERR_RANGE;
	memcpy(m->path, path, strlen(path) + 1);
	m->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (m->fd < 0)
		return file_open_failed(path, errno);
	if (fstat(m->fd, st) != 0 || (flags = fcntl(m->fd, F_GETFL)) < 0 ||
	    fcntl(m->fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		err_detail("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode)) {
		file_type_detail(path, st->st_mode);
		return ERR_FILETYPE;
	}
	return 0;
}

int media_open(const char *path, struct medium *m)
{
	struct stat st;
	int ret = media_open_fd(path, m, &st);

	if (!ret)
		ret = media_is_blockdev(m->fd) ? media_check_device(m)
					       : media_check_file(m, &st);
	if (ret)
		media_close(m);
	return ret;
}

int media_open_image(const char *path, struct medium *m)
{
	struct stat st;
	uint64_t size = 0;
	int ret = media_open_fd(path, m, &st);

	if (!ret && S_ISBLK(st.st_mode)) {
		m->is_device = 1;
		if (ioctl(m->fd, BLKGETSIZE64, &size) == 0)
			m->size = size;
	} else if (!ret) {
		m->size = (uint64_t)st.st_size;
	}
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
