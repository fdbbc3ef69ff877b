/*
 * The archive's files: a directory as `sceau seal` exports it, or the
 * ISO 9660 image for write-once media, extracted into a private temporary
 * directory (removed at the end) so that every check reads plain files.
 * The archive is flat: an image with a subdirectory, a link or a name
 * outside [a-z0-9._-] fails the "archive" check.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/err.h"
#include "lib/file.h"
#include "crypto/hash.h"
#include "verify/verify_int.h"

#define VCHUNK (256u << 10)

const char *vpath(struct vctx *c, const char *name)
{
	snprintf(c->path, sizeof(c->path), "%s/%s", c->dir, name);
	return c->path;
}

int vexists(struct vctx *c, const char *name)
{
	struct stat st;

	return stat(vpath(c, name), &st) == 0 && S_ISREG(st.st_mode);
}

int vread(struct vctx *c, const char *name, size_t max, uint8_t **buf, size_t *len)
{
	return file_read_all(vpath(c, name), max, buf, len);
}

/* The cache entry of a file, made if new (NULL if the cache is full). */
static struct vfile *vhash_entry(struct vctx *c, const char *name)
{
	struct vfile *f;

	for (unsigned i = 0; i < c->n_files; i++)
		if (strcmp(c->files[i].name, name) == 0)
			return &c->files[i];
	if (strlen(name) > VFILE_NAME_MAX || c->n_files == VFILE_MAX)
		return NULL;
	f = &c->files[c->n_files++];
	memset(f, 0, sizeof(*f));
	memcpy(f->name, name, strlen(name) + 1);
	return f;
}

void vhash_put(struct vctx *c, const char *name, const uint8_t sha[32], uint64_t size)
{
	struct vfile *f = vhash_entry(c, name);

	if (f) {
		memcpy(f->sha, sha, 32);
		f->size = size;
		f->state = 1;
	}
}

int vhash(struct vctx *c, const char *name, uint8_t sha[32], uint64_t *size)
{
	struct vfile *f = vhash_entry(c, name);

	if (!f)
		return ERR_RANGE;
	if (f->state == 0) {
		f->state = hash_file(vpath(c, name), f->sha, &f->size);
		if (f->state == 0)
			f->state = 1;
	}
	if (f->state < 0)
		return f->state;
	memcpy(sha, f->sha, 32);
	if (size)
		*size = f->size;
	return 0;
}

static int vextract_data(struct archive *a, const char *path)
{
	uint8_t *buf = malloc(VCHUNK);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ret = 0;
	la_ssize_t n;

	if (fd < 0 || !buf) {
		err_detail("%s: cannot create", path);
		ret = fd < 0 ? ERR_IO : ERR_NOMEM;
	}
	while (!ret && (n = archive_read_data(a, buf, VCHUNK)) != 0) {
		if (n < 0) {
			err_detail("%s: %s", path, archive_error_string(a));
			ret = ERR_FORMAT;
			break;
		}
		ret = file_write_all(fd, buf, (size_t)n);
	}
	if (fd >= 0 && close(fd) != 0 && !ret)
		ret = ERR_IO;
	free(buf);
	return ret;
}

/* One entry of the image: a file at the root, or the root itself. */
static int vextract_entry(struct vctx *c, struct archive *a, struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);
	mode_t t = archive_entry_filetype(e);

	if (p && strncmp(p, "./", 2) == 0)
		p += 2;
	if (!p || (t == AE_IFDIR && (strcmp(p, "") == 0 || strcmp(p, ".") == 0)))
		return 0;
	if (t != AE_IFREG || !archive_name_ok(p)) {
		vnote(c, VERIFY_ARCHIVE, 1, VM_ARCHIVE_BAD_ENTRY, p);
		return 0;
	}
	if (vexists(c, p)) {
		vnote(c, VERIFY_ARCHIVE, 1, VM_ARCHIVE_DUP_ENTRY, p);
		return 0;
	}
	return vextract_data(a, vpath(c, p));
}

static int vextract(struct vctx *c)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r, ret = 0;

	if (!a)
		return ERR_NOMEM;
	archive_read_support_format_iso9660(a);
	if (archive_read_open_filename(a, c->o->archive, VCHUNK) != ARCHIVE_OK) {
		err_detail("%s: not an ISO 9660 image: %s", c->o->archive,
			   archive_error_string(a));
		archive_read_free(a);
		return ERR_FORMAT;
	}
	while (!ret && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK)
		ret = vextract_entry(c, a, e);
	if (!ret && r != ARCHIVE_EOF) {
		err_detail("%s: damaged ISO 9660 image: %s", c->o->archive,
			   archive_error_string(a));
		ret = ERR_FORMAT;
	}
	archive_read_free(a);
	return ret;
}

int vtempdir(char *out, size_t n)
{
	const char *t = getenv("TMPDIR");

	snprintf(out, n, "%s/sceau-verify-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(out)) {
		err_detail("%s: %s", out, strerror(errno));
		out[0] = '\0';
		return ERR_IO;
	}
	return 0;
}

static int vmake_tmp(struct vctx *c)
{
	int ret = vtempdir(c->tmp, sizeof(c->tmp));

	if (!ret)
		snprintf(c->dir, sizeof(c->dir), "%s", c->tmp);
	return ret;
}

int verify_open_archive(struct vctx *c)
{
	struct stat st;
	int ret;

	snprintf(c->r->archive, sizeof(c->r->archive), "%s", c->o->archive);
	vsanitize(c->r->archive);
	if (stat(c->o->archive, &st) != 0) {
		err_detail("%s: %s", c->o->archive, strerror(errno));
		return ERR_NOTFOUND;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(c->dir, sizeof(c->dir), "%s", c->o->archive);
		return 0;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		err_detail("%s: neither a directory nor an ISO image", c->o->archive);
		return ERR_USAGE;
	}
	ret = vmake_tmp(c);
	if (!ret)
		ret = vextract(c);
	if (!ret)
		vnote(c, VERIFY_ARCHIVE, 0, VM_ARCHIVE_EXTRACTED, c->o->archive);
	return ret;
}

void verify_close_archive(struct vctx *c)
{
	DIR *d;
	struct dirent *de;

	if (!c->tmp[0])
		return;
	d = opendir(c->tmp);
	while (d && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			unlink(vpath(c, de->d_name));
	if (d)
		closedir(d);
	rmdir(c->tmp);
	c->tmp[0] = '\0';
}
