/*
 * The archive against its final manifest (format/archive_manifest.h, read
 * strictly there): every listed file present with its size and SHA-256, no
 * file that it does not list, every file an archive holds listed, the
 * election it names.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lib/err.h"
#include "lib/hex.h"
#include "format/archive_manifest.h"
#include "verify/verify_int.h"

void verify_manifest_load(struct vctx *c)
{
	err_clear();
	if (!vexists(c, ARCHIVE_MANIFEST_NAME)) {
		if (c->r->sealed)
			vnote(c, VERIFY_MANIFEST, 1, VM_FILE_MISSING, ARCHIVE_MANIFEST_NAME);
		else
			vskip(c, VERIFY_MANIFEST, VM_SESSION_NO_FILE, ARCHIVE_MANIFEST_NAME);
		return;
	}
	if (vread(c, ARCHIVE_MANIFEST_NAME, ARCHIVE_MANIFEST_FILE_MAX, &c->amf_buf,
		  &c->amf_len) != 0) {
		vnote(c, VERIFY_MANIFEST, 1, VM_FILE_UNREADABLE, ARCHIVE_MANIFEST_NAME, vdetail());
		return;
	}
	if (archive_manifest_read(c->amf_buf, c->amf_len, &c->amf) != 0) {
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_INVALID, vdetail());
		return;
	}
	c->amf_ok = 1;
}

static void vman_listed(struct vctx *c, const struct archive_file *f)
{
	uint8_t sha[32];
	uint64_t size = 0;

	err_clear();
	if (!vexists(c, f->name)) {
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_MISSING, f->name);
		return;
	}
	if (vhash(c, f->name, sha, &size) != 0) {
		vnote(c, VERIFY_MANIFEST, 1, VM_FILE_UNREADABLE, f->name, vdetail());
		return;
	}
	if (size != f->size)
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_SIZE, f->name, (unsigned long long)size,
		      (unsigned long long)f->size);
	else if (memcmp(sha, f->sha256, 32) != 0)
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_SHA, f->name);
}

/* Every entry of the directory must be listed (or be one of the two
 * manifest files); a subdirectory or a special file is an extra. */
static void vman_extra(struct vctx *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	struct stat st;

	if (!d) {
		vnote(c, VERIFY_MANIFEST, 1, VM_FILE_UNREADABLE, c->dir, "opendir");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 ||
		    strcmp(n, ARCHIVE_MANIFEST_NAME) == 0 || strcmp(n, ARCHIVE_MANIFEST_SIGS) == 0)
			continue;
		if (!archive_manifest_find(&c->amf, n) ||
		    (stat(vpath(c, n), &st) == 0 && !S_ISREG(st.st_mode)))
			vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_EXTRA, n);
	}
	closedir(d);
}

/* firmware.txt's format is free text: it must at least name the hash. */
static void vman_firmware(struct vctx *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char hex[65];

	hex_encode(c->amf.firmware_sha256, 32, hex);
	vnote(c, VERIFY_MANIFEST, 0, VM_MANIFEST_FIRMWARE, hex);
	if (vread(c, "firmware.txt", 64u << 10, &buf, &len) != 0)
		return;
	for (size_t i = 0; i + 64 <= len; i++)
		if (strncasecmp((const char *)buf + i, hex, 64) == 0) {
			free(buf);
			return;
		}
	vwarn(c, VERIFY_MANIFEST, VM_MANIFEST_FIRMWARE_TXT);
	free(buf);
}

void verify_manifest_files(struct vctx *c)
{
	uint8_t sha[32];

	if (!c->amf_ok)
		return;
	if (vhash(c, "election.json", sha, NULL) != 0 ||
	    memcmp(sha, c->amf.election_id, 32) != 0)
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_ELECTION);
	for (size_t i = 0; i < ARCHIVE_N_REQUIRED; i++)
		if (!archive_manifest_find(&c->amf, archive_required[i]))
			vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_UNLISTED, archive_required[i]);
	for (unsigned i = 0; i < c->amf.n_files; i++)
		vman_listed(c, &c->amf.files[i]);
	vman_extra(c);
	vnote(c, VERIFY_MANIFEST, 0, VM_MANIFEST_OK, c->amf.n_files, c->amf.sealed_at);
	vman_firmware(c);
	vdone(c, VERIFY_MANIFEST);
}
