/* Streaming SHA-256 of files, and copies hashed on the way; see hash.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "lib/err.h"
#include "lib/file.h"

#define HASH_FILE_CHUNK (256u << 10)

static int hash_file_pump(int in, int out, uint8_t sha256[32], uint64_t *size)
{
	struct hash_ctx *h = NULL;
	uint8_t *buf = malloc(HASH_FILE_CHUNK);
	uint64_t total = 0;
	ssize_t n;
	int ret = buf ? hash_begin(&h) : ERR_NOMEM;

	while (!ret && (n = read(in, buf, HASH_FILE_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = ERR_IO;
			break;
		}
		total += (uint64_t)n;
		ret = hash_update(h, buf, (size_t)n);
		if (!ret && out >= 0 && file_write_all(out, buf, (size_t)n) != 0)
			ret = err_from_errno(errno); /* a full disk is told as such */
	}
	free(buf);
	if (ret) {
		hash_abort(h);
		return ret;
	}
	if (size)
		*size = total;
	return hash_final(h, sha256);
}

int hash_file(const char *path, uint8_t sha256[32], uint64_t *size)
{
	struct stat st;
	int fd = file_open_regular(path, &st), ret;

	if (fd < 0)
		return fd;
	ret = hash_file_pump(fd, -1, sha256, size);
	close(fd);
	return ret;
}

int hash_file_copy(const char *src, const char *dst, uint8_t sha256[32], uint64_t *size)
{
	struct stat st;
	int in = file_open_regular(src, &st), out, ret;

	if (in < 0)
		return in;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (out < 0) {
		ret = err_from_errno(errno);
		err_detail("%s: %s", dst, strerror(errno));
		close(in);
		return ret;
	}
	ret = hash_file_pump(in, out, sha256, size);
	if (fsync(out) != 0 && !ret)
		ret = err_from_errno(errno);
	if (close(out) != 0 && !ret)
		ret = err_from_errno(errno);
	close(in);
	if (ret) {
		err_detail("copying %s to %s failed", src, dst);
		unlink(dst);
	}
	return ret;
}
