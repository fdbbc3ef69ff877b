/* Bounded reads and atomic writes of small files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/fault.h"
#include "lib/file.h"

/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
 * that never comes. Once fstat says the file is regular the flag is
 * dropped (it changes nothing for regular files, but callers may fdopen). */
int file_open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), flags;

	if (fd < 0)
		return file_open_failed(path, errno);
	if (fstat(fd, st) != 0) {
		err_detail("%s: %s", path, strerror(errno));
		close(fd);
		return ERR_IO;
	}
	if (!S_ISREG(st->st_mode)) {
		file_type_detail(path, st->st_mode);
		close(fd);
		return ERR_FILETYPE;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		err_detail("%s: %s", path, strerror(errno));
		close(fd);
		return ERR_IO;
	}
	return fd;
}

int file_open_failed(const char *path, int e)
{
	if (e == ENOENT) {
		err_detail("%s: no such file", path);
		return ERR_NOTFOUND;
	}
	err_detail("%s: cannot be opened: %s", path, strerror(e));
	return ERR_IO;
}

/* One whole format per type, not an English phrase as an argument: the
 * bureau reads each in its language (ui/msg_detail.h). */
void file_type_detail(const char *path, mode_t mode)
{
	if (S_ISDIR(mode))
		err_detail("%s: a directory, not a file", path);
	else if (S_ISFIFO(mode))
		err_detail("%s: a FIFO (named pipe), not a file", path);
	else if (S_ISCHR(mode))
		err_detail("%s: a character device, not a file", path);
	else if (S_ISBLK(mode))
		err_detail("%s: a block device, not a file", path);
	else if (S_ISSOCK(mode))
		err_detail("%s: a socket, not a file", path);
	else
		err_detail("%s: not a file (unknown type)", path);
}

const char *file_type_name(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return S_ISREG(mode) ? "a regular file" : "of an unknown type";
}

int file_read_all(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b = NULL;
	size_t got = 0;
	int fd = file_open_regular(path, &st), ret = ERR_IO;

	if (fd < 0)
		return fd;
	if ((uint64_t)st.st_size > max) {
		err_detail("%s: %lld bytes, at most %zu allowed", path,
			   (long long)st.st_size, max);
		ret = ERR_RANGE;
		goto out;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		ret = ERR_NOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_detail("%s: short read", path);
			goto out;
		}
		got += (size_t)n;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	b = NULL;
	ret = 0;
out:
	free(b);
	close(fd);
	return ret;
}

int file_parse(const char *path, size_t max, file_parse_fn parse, void *out)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(path, max, &buf, &len);

	if (ret)
		return ret;
	ret = parse(buf, len, out);
	if (ret)
		err_detail_prefix(path);
	free(buf);
	return ret;
}

int file_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* nothing taken: no errno of its own */
			return ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline const char *file_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int file_rename(const char *tmp, const char *path)
{
	fault_pointf("file:%s:before-rename", file_base(path));
	if (rename(tmp, path) != 0) {
		int e = errno;
		err_detail("%s: %s", path, strerror(e));
		return err_from_errno(e);
	}
	fault_pointf("file:%s:after-rename", file_base(path));
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len, int overwrite)
{
	char tmp[4096];
	int fd, ret, e = 0;

	if (!overwrite && access(path, F_OK) == 0) {
		err_detail("%s already exists", path);
		return ERR_EXISTS;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return ERR_RANGE;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = errno;
		err_detail("%s: %s", tmp, strerror(e));
		return err_from_errno(e);
	}
	ret = file_write_all(fd, data, len);
	if (ret == 0 && fsync(fd) < 0)
		ret = ERR_IO;
	if (ret)
		e = errno;
	if (close(fd) < 0 && ret == 0) {
		ret = ERR_IO;
		e = errno;
	}
	if (ret) {
		err_detail("%s: %s", path, strerror(e));
		unlink(tmp);
		return err_from_errno(e);
	}
	ret = file_rename(tmp, path);
	if (ret)
		unlink(tmp);
	return ret;
}

int file_mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return ERR_RANGE;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
			int e = errno;
			err_detail("%s: %s", buf, strerror(e));
			return err_from_errno(e);
		}
		buf[i] = path[i];
	}
	return 0;
}
