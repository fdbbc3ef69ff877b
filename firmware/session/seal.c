/* Sealing the session and exporting the archive; see seal.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/boot.h"
#include "lib/err.h"
#include "lib/file.h"
#include "store/journal.h"
#include "format/archive_manifest.h"
#include "format/record.h"
#include "session/seal.h"
#include "session/session.h"
#include "session/sign.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/selftest.h"
#include "media/iso_write.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define SEAL_MAX_FILES 256

_Static_assert(ISO_WRITE_NAME_MAX <= ARCHIVE_NAME_MAX && SEAL_MAX_FILES <= ARCHIVE_MAX_FILES,
	       "every file the archive gets can be listed in its manifest");

struct seal {
	const struct counting_opts *o;
	struct ui *u;
	struct session s;
	struct record rec;
	struct archive_file files[SEAL_MAX_FILES];
	unsigned n_files;
	uint8_t journal_head[32], firmware[32];
	char path[4200], path2[4200];
};

static const char *seal_path(struct seal *s, const char *sub, const char *name)
{
	snprintf(s->path, sizeof(s->path), "%s%s%s/%s", s->o->session_dir, sub[0] ? "/" : "",
		 sub, name);
	return s->path;
}

static int seal_firmware_file(struct seal *s, struct store *db)
{
	char hex[65], text[256];
	int len, ret = boot_firmware_hash(s->firmware);

	if (ret)
		return ret;
	hex_encode(s->firmware, 32, hex);
	len = snprintf(text, sizeof(text), "firmware_sha256 %s\ncrypto_library %s\n"
		       "simulation_build %d\n", hex, crypto_library_version(),
		       boot_simulation_build());
	unlink(seal_path(s, "", "firmware.txt"));
	ret = file_write_atomic(s->path, text, (size_t)len, 0);
	if (!ret)
		ret = journal_append(db, "session.sealed", "firmware=%s", hex);
	return ret;
}

/* The irreversible part: after an explicit yes, the database is sealed.
 * It is left compacted and closed (the lock is kept): the archive copies
 * it as one self-contained file. */
static int seal_database(struct seal *s)
{
	struct store *db = s->s.db;
	int ret = 0;

	if (s->s.phase == PHASE_SEALED) {
		ui_say(s->u, UI_INFO, "%s", msg(MSG_SEAL_RESUME));
		if (!store_is_sealed(db)) /* stopped between the phase and the seal */
			ret = store_seal(db);
		if (!ret)
			ret = store_compact(db);
		goto out;
	}
	if (access(seal_path(s, "", "signatures-results.json"), F_OK) != 0) {
		err_detail("the results are not signed yet: run sceau pv first");
		ret = ERR_STATE;
	}
	if (!ret) {
		ret = ui_confirm(s->u, "%s", msg(MSG_SEAL_CONFIRM));
		if (ret == 0) {
			err_detail("the bureau did not confirm");
			ret = ERR_CANCELLED;
		} else if (ret == 1) {
			ret = 0;
		}
	}
	if (!ret)
		ret = seal_firmware_file(s, db);
	if (!ret)
		ret = session_advance(&s->s, PHASE_SEALED);
	if (!ret)
		ret = store_seal(db);
	if (!ret)
		ret = store_compact(db);
	if (!ret)
		ui_say(s->u, UI_OK, "%s", msg(MSG_SEAL_DONE));
out:
	store_close(db);
	s->s.db = NULL;
	return ret;
}

static int seal_add(struct seal *s, const char *src, const char *name)
{
	struct archive_file *f;
	int ret;

	if (s->n_files >= SEAL_MAX_FILES || strlen(name) > ISO_WRITE_NAME_MAX) {
		err_detail("archive: too many files or name too long (%s)", name);
		return ERR_RANGE;
	}
	f = &s->files[s->n_files];
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(s->path2, sizeof(s->path2), "%s/archive/%s", s->o->session_dir, name);
	ret = hash_file_copy(src, s->path2, f->sha256, &f->size);
	if (!ret)
		s->n_files++;
	return ret;
}

static int seal_add_pv(struct seal *s)
{
	char src[4200];
	struct dirent *d;
	DIR *dir = opendir(seal_path(s, "", "pv"));
	int ret = 0;

	if (!dir) {
		err_detail("%s: no PV was printed (run sceau pv)", s->path);
		return ERR_STATE;
	}
	while (!ret && (d = readdir(dir)) != NULL) {
		if (strncmp(d->d_name, "pv-", 3) != 0)
			continue;
		snprintf(src, sizeof(src), "%s/pv/%s", s->o->session_dir, d->d_name);
		ret = seal_add(s, src, d->d_name);
	}
	closedir(dir);
	return ret;
}

/* Removes what an interrupted earlier export left (our own files only). */
static void seal_clear_archive(struct seal *s)
{
	struct dirent *d;
	DIR *dir = opendir(seal_path(s, "", "archive"));
	char p[4200];

	if (!dir)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/archive/%s", s->o->session_dir, d->d_name);
		unlink(p);
	}
	closedir(dir);
	rmdir(seal_path(s, "", "archive"));
}

static int seal_cmp(const void *a, const void *b)
{
	return strcmp(((const struct archive_file *)a)->name,
		      ((const struct archive_file *)b)->name);
}

static int seal_assemble(struct seal *s)
{
	int ret;

	seal_clear_archive(s);
	if (mkdir(seal_path(s, "", "archive"), 0755) != 0) {
		err_detail("%s: %s", s->path, strerror(errno));
		return ERR_IO;
	}
	ret = 0;
	/* the session's files, as they are */
	for (size_t i = 0; !ret && i < ARCHIVE_N_REQUIRED; i++) {
		char src[4200];
		snprintf(src, sizeof(src), "%s/%s", s->o->session_dir, archive_required[i]);
		ret = seal_add(s, src, archive_required[i]);
	}
	if (!ret)
		ret = seal_add_pv(s);
	qsort(s->files, s->n_files, sizeof(s->files[0]), seal_cmp);
	return ret;
}

/* What the archive's own files say: journal head, firmware, election. */
static int seal_facts(struct seal *s)
{
	struct store *db = NULL;
	uint8_t *fw = NULL;
	size_t len = 0;
	int ret;

	snprintf(s->path2, sizeof(s->path2), "%s/archive/session.db", s->o->session_dir);
	ret = store_open_readonly(s->path2, &db);
	if (!ret)
		ret = journal_verify(db, NULL, s->journal_head);
	store_close(db);
	if (!ret)
		ret = record_load(seal_path(s, "archive", "record.json"), &s->rec);
	if (!ret)
		ret = file_read_all(seal_path(s, "archive", "firmware.txt"), 4096, &fw, &len);
	if (!ret && (len < 16 + 64 || memcmp(fw, "firmware_sha256 ", 16) != 0)) {
		err_detail("firmware.txt is malformed");
		ret = ERR_FORMAT;
	}
	if (!ret) {
		char hex[65];
		memcpy(hex, fw + 16, 64);
		hex[64] = '\0';
		ret = hex_decode(hex, s->firmware, 32);
	}
	free(fw);
	return ret;
}

static int seal_manifest_text(struct seal *s, char **text, size_t *len)
{
	struct archive_manifest m;

	memset(&m, 0, sizeof(m));
	memcpy(m.election_id, s->rec.election_id, 32);
	journal_now(m.sealed_at);
	memcpy(m.journal_head, s->journal_head, 32);
	memcpy(m.firmware_sha256, s->firmware, 32);
	m.n_files = s->n_files;
	m.files = s->files;
	return archive_manifest_write(&m, text, len);
}

/* The final manifest, signed by the cards present. */
static int seal_manifest(struct seal *s)
{
	struct signing_set set;
	char *text = NULL, *sigs = NULL;
	size_t len = 0, slen = 0;
	int ret = seal_facts(s);

	if (!ret)
		ret = seal_manifest_text(s, &text, &len);
	if (!ret)
		ret = file_write_atomic(seal_path(s, "archive", ARCHIVE_MANIFEST_NAME), text, len,
					0);
	memset(&set, 0, sizeof(set));
	snprintf(set.subject, sizeof(set.subject), "manifest");
	if (!ret)
		ret = hash_sha256(text, len, set.file_sha256);
	if (!ret)
		ret = signing_digest("manifest", (uint8_t *)text, len, set.digest);
	if (!ret) {
		ui_say(s->u, UI_STEP, "%s", msg(MSG_STEP_SEAL_SIGN));
		ret = signing_collect(s->o->transport, s->o->slots, s->o->n_slots, &s->rec,
				      s->u, &set);
	}
	if (!ret)
		ret = signing_write(&set, &sigs, &slen);
	if (!ret)
		ret = file_write_atomic(seal_path(s, "archive", ARCHIVE_MANIFEST_SIGS), sigs, slen,
					0);
	free(text);
	free(sigs);
	return ret;
}

struct seal_src {
	FILE *f;
};

static int seal_read(void *arg, uint8_t *buf, size_t cap, size_t *got)
{
	struct seal_src *src = arg;

	*got = fread(buf, 1, cap, src->f);
	return ferror(src->f) ? ERR_IO : 0;
}

static int seal_iso_add(struct seal *s, struct iso_write *w, const char *name)
{
	struct seal_src src;
	struct stat st;
	int ret;

	snprintf(s->path2, sizeof(s->path2), "%s/archive/%s", s->o->session_dir, name);
	src.f = fopen(s->path2, "rb");
	if (!src.f || fstat(fileno(src.f), &st) != 0) {
		err_detail("%s: %s", s->path2, strerror(errno));
		if (src.f)
			fclose(src.f);
		return ERR_IO;
	}
	ret = iso_write_file(w, name, (uint64_t)st.st_size, seal_read, &src);
	fclose(src.f);
	return ret;
}

/* archive.iso: the same files, for a write-once disc. */
static int seal_iso(struct seal *s)
{
	struct iso_write *w = NULL;
	int ret;

	unlink(seal_path(s, "", "archive.iso"));
	ret = iso_write_open(s->path, "SCEAU_ARCHIVE", &w);
	for (unsigned i = 0; !ret && i < s->n_files; i++)
		ret = seal_iso_add(s, w, s->files[i].name);
	if (!ret)
		ret = seal_iso_add(s, w, ARCHIVE_MANIFEST_NAME);
	if (!ret)
		ret = seal_iso_add(s, w, ARCHIVE_MANIFEST_SIGS);
	if (ret) {
		if (w)
			iso_write_abort(w);
		return ret;
	}
	return iso_write_close(w);
}

int seal_run(const struct counting_opts *o, struct ui *u)
{
	struct seal *s = calloc(1, sizeof(*s));
	int ret = s ? 0 : ERR_NOMEM;

	if (ret)
		return ret;
	s->o = o;
	s->u = u;
	err_clear();
	ui_say(u, UI_STEP, "%s", msg(MSG_STEP_SEAL));
	ret = session_open(&s->s, o->session_dir, PHASE_CMD_SEAL, u);
	if (!ret)
		ret = seal_database(s);
	if (!ret)
		ret = seal_assemble(s);
	if (!ret)
		ret = seal_manifest(s);
	if (!ret)
		ret = seal_iso(s);
	if (!ret) {
		ui_say(u, UI_OK, msg(MSG_SEAL_ARCHIVE), seal_path(s, "", "archive"));
		ui_say(u, UI_OK, msg(MSG_SEAL_ISO), seal_path(s, "", "archive.iso"));
	} else {
		const char *d = err_last_detail();
		ui_say(u, UI_ERROR, "%s%s%s", msg_err(ret), d[0] ? " : " : "", d);
	}
	session_close(&s->s);
	free(s);
	return ret;
}
