/*
 * The final manifest: parsed strictly (verify_manifest.h), then held
 * against the archive: every listed file present with its size and
 * SHA-256, no file that it does not list, every file the verifier needs
 * listed, the election it names.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lib/err.h"
#include "lib/json_util.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "verify/verify_manifest.h"

#define VMAN_SIZE_MAX (1ull << 53) /* exact in every JSON reader */

static const char *const vman_required[] = {
	"ballots-decrypted.bin", "election.json", "emargement.iso", "firmware.txt",
	"record.json", "results.json", "session.db", "signatures-results.json", "urn.iso",
};

static int vman_name_ok(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > VFILE_NAME_MAX || p[0] == '.' || strcmp(p, "manifest.json") == 0 ||
	    strcmp(p, "signatures-manifest.json") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		      p[i] == '.' || p[i] == '_' || p[i] == '-'))
			return 0;
	return 1;
}

static int vman_file(const json_t *arr, size_t i, struct jutil_path *p, struct vmanifest *m)
{
	static const char *const keys[] = { "name", "size", "sha256" };
	struct vfile *f = &m->files[i];
	json_t *o = NULL, *name;
	size_t mark = jutil_path_index(p, i);
	int ret = jutil_elem_object(arr, i, p, &o);

	if (!ret)
		ret = jutil_keys(o, p, keys, 3);
	name = o ? json_object_get(o, "name") : NULL;
	if (!ret && (!json_is_string(name) || !vman_name_ok(json_string_value(name))))
		ret = jutil_fail(p, "name", ERR_FORMAT, "not an archive file name");
	if (!ret)
		memcpy(f->name, json_string_value(name), strlen(json_string_value(name)) + 1);
	if (!ret && i > 0 && strcmp(m->files[i - 1].name, f->name) >= 0)
		ret = jutil_fail(p, "name", ERR_FORMAT, "not after the previous name (byte order)");
	if (!ret)
		ret = jutil_uint(o, p, "size", 0, VMAN_SIZE_MAX, &f->size);
	if (!ret)
		ret = jutil_hex(o, p, "sha256", f->sha, 32);
	f->state = 1;
	jutil_path_pop(p, mark);
	return ret;
}

static int vman_files(const json_t *root, struct jutil_path *p, struct vmanifest *m)
{
	json_t *arr = NULL;
	size_t mark;
	int ret = jutil_array(root, p, "files", 1, VFILE_MAX, &arr);

	if (ret)
		return ret;
	m->n_files = (unsigned)json_array_size(arr);
	m->files = calloc(m->n_files, sizeof(*m->files));
	if (!m->files)
		return ERR_NOMEM;
	mark = jutil_path_key(p, "files");
	for (unsigned i = 0; !ret && i < m->n_files; i++)
		ret = vman_file(arr, i, p, m);
	jutil_path_pop(p, mark);
	return ret;
}

int verify_manifest_parse(const uint8_t *buf, size_t len, struct vmanifest *out)
{
	static const char *const keys[] = { "format", "election_id", "sealed_at",
					    "journal_head", "firmware_sha256", "files" };
	struct jutil_path p;
	json_t *root = NULL;
	int64_t utc;
	int ret;

	memset(out, 0, sizeof(*out));
	jutil_path_init(&p);
	ret = jutil_load(buf, len, VMANIFEST_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, 6);
	if (!ret)
		ret = jutil_const(root, &p, "format", VARCHIVE_FORMAT);
	if (!ret)
		ret = jutil_hex(root, &p, "election_id", out->election_id, 32);
	if (!ret)
		ret = jutil_datetime(root, &p, "sealed_at", out->sealed_at, &utc);
	if (!ret)
		ret = jutil_hex(root, &p, "journal_head", out->journal_head, 32);
	if (!ret)
		ret = jutil_hex(root, &p, "firmware_sha256", out->firmware_sha256, 32);
	if (!ret)
		ret = vman_files(root, &p, out);
	json_decref(root);
	if (ret)
		verify_manifest_free(out);
	return ret;
}

void verify_manifest_free(struct vmanifest *m)
{
	free(m->files);
	m->files = NULL;
	m->n_files = 0;
}

void verify_manifest_load(struct vctx *c)
{
	err_clear();
	if (!vexists(c, "manifest.json")) {
		if (c->r->sealed)
			vnote(c, VERIFY_MANIFEST, 1, VM_FILE_MISSING, "manifest.json");
		else
			vskip(c, VERIFY_MANIFEST, VM_SESSION_NO_FILE, "manifest.json");
		return;
	}
	if (vread(c, "manifest.json", VMANIFEST_FILE_MAX, &c->amf_buf, &c->amf_len) != 0) {
		vnote(c, VERIFY_MANIFEST, 1, VM_FILE_UNREADABLE, "manifest.json", vdetail());
		return;
	}
	if (verify_manifest_parse(c->amf_buf, c->amf_len, &c->amf) != 0) {
		vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_INVALID, vdetail());
		return;
	}
	c->amf_ok = 1;
}

static const struct vfile *vman_find(const struct vmanifest *m, const char *name)
{
	for (unsigned i = 0; i < m->n_files; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

static void vman_listed(struct vctx *c, const struct vfile *f)
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
	else if (memcmp(sha, f->sha, 32) != 0)
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
		    strcmp(n, "manifest.json") == 0 || strcmp(n, "signatures-manifest.json") == 0)
			continue;
		if (!vman_find(&c->amf, n) ||
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
	for (size_t i = 0; i < sizeof(vman_required) / sizeof(vman_required[0]); i++)
		if (!vman_find(&c->amf, vman_required[i]))
			vnote(c, VERIFY_MANIFEST, 1, VM_MANIFEST_UNLISTED, vman_required[i]);
	for (unsigned i = 0; i < c->amf.n_files; i++)
		vman_listed(c, &c->amf.files[i]);
	vman_extra(c);
	vnote(c, VERIFY_MANIFEST, 0, VM_MANIFEST_OK, c->amf.n_files, c->amf.sealed_at);
	vman_firmware(c);
	vdone(c, VERIFY_MANIFEST);
}
