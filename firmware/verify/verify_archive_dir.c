/*
 * The archive's files: a directory as `sceau seal` exports it, or the
 * ISO 9660 image for write-once media, extracted into a private temporary
 * directory (removed at the end) so that every check reads plain files.
 * The archive is flat: an image with a subdirectory, a link or a name
 * outside [a-z0-9._-], another volume id, or trees (Rock Ridge, Joliet,
 * ISO 9660) that do not show the same files with the same bytes, is not
 * opened at all (docs/FORMATS.md "ISO 9660 images").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int vextract_chunk(const uint8_t *data, size_t len, void *arg)
{
	return file_write_all(*(int *)arg, data, len);
}

/* One file of the image, read through all its trees at once. */
static int vextract_file(struct vctx *c, struct medium *m, const char *name)
{
	const char *path = vpath(c, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ret;

	if (fd < 0) {
		err_detail("%s: cannot create: %s", path, strerror(errno));
		return ERR_IO;
	}
	ret = media_iso_stream(m, name, vextract_chunk, &fd);
	if (close(fd) != 0 && !ret)
		ret = ERR_IO;
	return ret;
}

/* The image's layout first (its volume id, its trees agreeing on the
 * files: a name no tree may show differently), then each file's bytes,
 * which its trees must agree on too. */
static int vextract(struct vctx *c)
{
	struct media_file *f = calloc(VFILE_MAX, sizeof(*f));
	struct medium m = { .fd = -1 };
	size_t n = 0;
	int ret = f ? media_open_image(c->o->archive, &m) : ERR_NOMEM;

	if (!ret)
		ret = media_iso_list(&m, MEDIA_VOLUME_ARCHIVE, f, VFILE_MAX, &n);
	for (size_t i = 0; !ret && i < n; i++) {
		if (!archive_name_ok(f[i].name)) {
			err_detail("%s: file name \"%s\" not allowed in an archive",
				   c->o->archive, f[i].name);
			ret = ERR_MEDIA_LAYOUT;
		} else {
			ret = vextract_file(c, &m, f[i].name);
		}
	}
	media_close(&m);
	free(f);
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
		err_detail("%s: neither a directory nor an ISO image (%s)", c->o->archive,
			   file_type_name(st.st_mode));
		return ERR_FILETYPE;
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
