/*
 * The `file` backend: a job written to <path>.tmp.XXXXXX, fsync'd and
 * renamed to <path> by finish(); close() without finish() removes it. No
 * device answers here, so status() is absent and the language comes from
 * the path's extension (print_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "print/print_file.h"

#define PRINT_FILE_PATH_MAX 4096

struct print_file {
	struct printer base; /* first: struct printer * converts to this */
	int fd;
	int done; /* renamed into place */
	char path[PRINT_FILE_PATH_MAX];
	char tmp[PRINT_FILE_PATH_MAX + 16];
};

static struct print_file *print_file_of(struct printer *p)
{
	return (struct print_file *)p;
}

static int print_file_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* The language a path stands for, as a printer would say it. */
static void print_file_devid(struct print_file *f)
{
	const char *id = "";

	if (print_file_ends_with(f->path, ".ps"))
		id = "MFG:Sceau;MDL:file;CMD:POSTSCRIPT;";
	else if (print_file_ends_with(f->path, ".escpos"))
		id = "MFG:Sceau;MDL:file;CMD:ESC/POS;";
	snprintf(f->base.device_id, sizeof(f->base.device_id), "%s", id);
}

static int print_file_errno(const char *path, int e)
{
	err_detail("%s: %s", path, strerror(e));
	return e == ENOENT || e == ENOTDIR ? ERR_NOTFOUND : ERR_IO;
}

static int print_file_create(struct print_file *f)
{
	int n = snprintf(f->tmp, sizeof(f->tmp), "%s.tmp.XXXXXX", f->path);

	if (n < 0 || (size_t)n >= sizeof(f->tmp))
		return ERR_RANGE;
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		f->tmp[0] = '\0';
		return print_file_errno(f->path, errno);
	}
	if (fchmod(f->fd, 0644) < 0)
		return print_file_errno(f->tmp, errno);
	return 0;
}

static void print_file_close(struct printer *p)
{
	struct print_file *f = print_file_of(p);

	if (f->fd >= 0)
		close(f->fd);
	if (!f->done && f->tmp[0])
		unlink(f->tmp);
	free(f);
}

static int print_file_open(const char *spec, struct printer **out)
{
	struct print_file *f;
	size_t n = strlen(spec);
	int ret;

	if (!n) {
		err_detail("file printer: no path given");
		return ERR_USAGE;
	}
	if (n >= PRINT_FILE_PATH_MAX) {
		err_detail("file printer: path of %zu bytes", n);
		return ERR_RANGE;
	}
	if (access(spec, F_OK) == 0) {
		err_detail("%s already exists", spec);
		return ERR_EXISTS;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return ERR_NOMEM;
	f->fd = -1;
	f->base.ops = &print_file_ops;
	f->base.timeout_ms = CONFIG_PRINT_TIMEOUT * 1000u;
	memcpy(f->path, spec, n + 1);
	snprintf(f->base.label, sizeof(f->base.label), "%s", spec);
	print_file_devid(f);
	ret = print_file_create(f);
	if (ret) {
		print_file_close(&f->base);
		return ret;
	}
	*out = &f->base;
	return 0;
}

static int print_file_send(struct printer *p, const uint8_t *data, size_t len)
{
	struct print_file *f = print_file_of(p);

	if (f->fd < 0 || f->done)
		return ERR_STATE;
	return file_write_all(f->fd, data, len) ? print_file_errno(f->path, errno) : 0;
}

/* The rename must survive a power cut too, or the PV file may vanish. */
static int print_file_sync_dir(const char *path)
{
	char dir[PRINT_FILE_PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, ret = 0;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + 1), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		ret = print_file_errno(dir, errno);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int print_file_finish(struct printer *p)
{
	struct print_file *f = print_file_of(p);
	int fd = f->fd;

	if (fd < 0 || f->done)
		return ERR_STATE;
	f->fd = -1;
	if (fsync(fd) < 0) {
		int e = errno;

		close(fd);
		return print_file_errno(f->path, e);
	}
	if (close(fd) < 0)
		return print_file_errno(f->path, errno);
	if (access(f->path, F_OK) == 0) {
		err_detail("%s appeared during the job", f->path);
		return ERR_EXISTS;
	}
	if (rename(f->tmp, f->path) < 0)
		return print_file_errno(f->path, errno);
	f->done = 1;
	return print_file_sync_dir(f->path);
}

const struct print_ops print_file_ops = {
	.name = "file",
	.open = print_file_open,
	.send = print_file_send,
	.status = NULL,
	.finish = print_file_finish,
	.close = print_file_close,
};
