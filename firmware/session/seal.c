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
#include "lib/fault.h"
#include "lib/file.h"
#include "store/journal.h"
#include "format/archive_manifest.h"
#include "format/shuffle_file.h"
#include "format/record.h"
#include "format/signatures.h"
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
	char sealed_at[32];
	uint8_t *old_sigs;   /* the manifest's signatures of an earlier run */
	size_t old_sigs_len;
	int told;            /* the failure was already said to the bureau */
	char path[4200], path2[4200];
};

static const char *seal_path(struct seal *s, const char *sub, const char *name)
{
	snprintf(s->path, sizeof(s->path), "%s%s%s/%s", s->o->session_dir, sub[0] ? "/" : "",
		 sub, name);
	return s->path;
}

static int seal_told(struct seal *s, int ret)
{
	s->told = 1;
	return ret;
}

/* --- the database: counted -> sealing -> sealed, every step journaled ----- */

static int seal_find_pv(const struct journal_row *row, void *arg)
{
	if (strcmp(row->event, "pv.rendered") == 0)
		*(int *)arg = 1;
	return 0;
}

/* The results signed and the PVs made (the journal says so): after the
 * seal, neither can be done any more. */
static int seal_ready(struct seal *s)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int pv = 0, ret = store_file_get(s->s.db, "signatures-results.json", &buf, &len);

	free(buf);
	if (!ret)
		ret = store_journal_each(s->s.db, seal_find_pv, &pv);
	if (ret == ERR_NOTFOUND || (!ret && !pv)) {
		err_detail("the results are not signed or the PVs not made yet: run sceau pv first");
		ui_say(s->u, UI_ERROR, "%s", msg(MSG_SEAL_NEEDS_PV));
		return seal_told(s, ERR_STATE);
	}
	return ret;
}

/* counted -> sealing, after an explicit yes: from now on only the seal
 * runs on the session, and a seal cut off resumes. */
static int seal_begin(struct seal *s)
{
	unsigned t = s->s.rec.pub.t;
	int ret = seal_ready(s);

	/* Fewer readers than signatures needed: refused before the database is
	 * sealed, since the manifest could not be signed (a card that fails
	 * later leaves a seal to resume with other cards). */
	if (!ret && s->o->n_slots < t) {
		err_detail("%u valid card(s) for a threshold of %u", s->o->n_slots, t);
		ui_say(s->u, UI_ERROR, msg(MSG_SEAL_TOO_FEW_READERS), t, s->o->n_slots, t);
		return seal_told(s, ERR_CARD_ABSENT);
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
		ret = session_advance(&s->s, PHASE_SEALING, "seal.start", "confirmed=yes");
	return ret;
}

static int seal_firmware_file(struct seal *s, char hex[65])
{
	char text[256];
	int len, ret = boot_firmware_hash(s->firmware);

	if (ret)
		return ret;
	hex_encode(s->firmware, 32, hex);
	len = snprintf(text, sizeof(text), "firmware_sha256 %s\ncrypto_library %s\n"
		       "simulation_build %d\n", hex, crypto_library_version(),
		       boot_simulation_build());
	return file_write_atomic(seal_path(s, "", "firmware.txt"), text, (size_t)len, 1);
}

/* sealing -> sealed: the last entry of the journal, the phase and the
 * sealed flag in one transaction; nothing is written to the database
 * after it (the archive's steps are recorded by the archive itself). */
static int seal_close_db(struct seal *s)
{
	struct store *db = s->s.db;
	char hex[65];
	int ret = seal_firmware_file(s, hex);

	if (!ret)
		ret = store_begin(db);
	if (ret)
		return ret;
	ret = session_advance(&s->s, PHASE_SEALED, "session.sealed", "firmware=%s", hex);
	if (!ret)
		ret = store_seal(db);
	if (!ret) {
		fault_point("seal:database:before-commit");
		ret = store_commit(db);
	}
	if (ret) {
		store_rollback(db);
		return ret;
	}
	fault_point("seal:database:after-commit");
	ui_say(s->u, UI_OK, "%s", msg(MSG_SEAL_DONE));
	return 0;
}

/* Where the session stands decides what the seal does: start (with the
 * bureau's yes), resume, or refuse a seal already complete. */
static int seal_database(struct seal *s)
{
	int ret = 0;

	if (s->s.phase == PHASE_SEALED &&
	    access(seal_path(s, "", "archive.iso"), F_OK) == 0) {
		err_detail("%s exists: the session was sealed and its archive made", s->path);
		ui_say(s->u, UI_ERROR, msg(MSG_SEAL_TWICE), s->path);
		return seal_told(s, ERR_EXISTS);
	}
	if (s->s.phase == PHASE_COUNTED)
		ret = seal_begin(s);
	else if (s->s.phase == PHASE_SEALING) {
		ui_say(s->u, UI_INFO, "%s", msg(MSG_SEAL_RESUME_SEALING));
		ret = journal_append(s->s.db, "seal.resumed", "phase=sealing");
	} else {
		ui_say(s->u, UI_INFO, "%s", msg(MSG_SEAL_RESUME));
	}
	if (!ret && s->s.phase == PHASE_SEALING)
		ret = seal_close_db(s);
	/* One self-contained file for the archive (again, if a seal was cut
	 * off before); the lock is kept until the end. */
	if (!ret)
		ret = store_compact(s->s.db);
	store_close(s->s.db);
	s->s.db = NULL;
	return ret;
}

/* --- the archive: copies, final manifest, signatures, ISO image ----------- */

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
	if (!ret) {
		s->n_files++;
		fault_pointf("seal:copy:%s", name);
	}
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

/* Each scrutin's shuffled list and its proof, as the import recorded it
 * (the hash in `shuffles` must still be the file's). */
static int seal_add_shuffle(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg)
{
	struct seal *s = arg;
	char name[SHUFFLE_FILE_NAME_MAX], src[4200], hex[65];
	int ret;

	(void)n;
	shuffle_file_name((uint16_t)scrutin, name);
	snprintf(src, sizeof(src), "%s/%s", s->o->session_dir, name);
	ret = seal_add(s, src, name);
	if (!ret)
		hex_encode(s->files[s->n_files - 1].sha256, 32, hex);
	if (!ret && strcmp(hex, sha256_hex) != 0) {
		err_detail("%s: not the file the import recorded (SHA-256 %s, recorded %s)", src,
			   hex, sha256_hex);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* The session's database is closed by now (compacted): its shuffles
 * table is read from the archive's copy, which is the same file. */
static int seal_add_shuffles(struct seal *s)
{
	struct store *db = NULL;
	int ret;

	snprintf(s->path2, sizeof(s->path2), "%s/archive/session.db", s->o->session_dir);
	ret = store_open_readonly(s->path2, &db);
	if (!ret)
		ret = store_shuffles_each(db, seal_add_shuffle, s);
	store_close(db);
	return ret;
}

/* The manifest's signatures of a run cut off after them are kept aside:
 * reused if they sign the same manifest (seal_sign). */
static void seal_keep_sigs(struct seal *s)
{
	if (file_read_all(seal_path(s, "archive", ARCHIVE_MANIFEST_SIGS), SIGNING_FILE_MAX,
			  &s->old_sigs, &s->old_sigs_len) != 0) {
		s->old_sigs = NULL;
		s->old_sigs_len = 0;
	}
	err_clear();
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

/* The same sources give the same copies: an archive assembled again
 * after a cut is the one the first run would have made. */
static int seal_assemble(struct seal *s)
{
	int ret;

	seal_keep_sigs(s);
	seal_clear_archive(s);
	if (mkdir(seal_path(s, "", "archive"), 0755) != 0) {
		int e = errno;
		err_detail("%s: %s", s->path, strerror(e));
		return err_from_errno(e);
	}
	ret = 0;
	/* the session's files, as they are */
	for (size_t i = 0; !ret && i < ARCHIVE_N_REQUIRED; i++) {
		char src[4200];
		snprintf(src, sizeof(src), "%s/%s", s->o->session_dir, archive_required[i]);
		ret = seal_add(s, src, archive_required[i]);
	}
	if (!ret)
		ret = seal_add_shuffles(s);
	if (!ret)
		ret = seal_add_pv(s);
	qsort(s->files, s->n_files, sizeof(s->files[0]), seal_cmp);
	return ret;
}

/* The journal's head, and the seal's date: the time of its last entry,
 * session.sealed, which the seal wrote, whenever the archive is made. */
static int seal_journal_facts(struct seal *s)
{
	struct journal_row last;
	struct store *db = NULL;
	int ret;

	snprintf(s->path2, sizeof(s->path2), "%s/archive/session.db", s->o->session_dir);
	ret = store_open_readonly(s->path2, &db);
	if (!ret)
		ret = journal_verify(db, NULL, s->journal_head);
	if (!ret)
		ret = store_journal_last(db, &last);
	if (!ret && strcmp(last.event, "session.sealed") != 0) {
		err_detail("the journal does not end with session.sealed (%s)", last.event);
		ret = ERR_FORMAT;
	}
	if (!ret)
		memcpy(s->sealed_at, last.time, sizeof(s->sealed_at));
	store_close(db);
	return ret;
}

/* What the archive's own files say: journal head, date, firmware, election. */
static int seal_facts(struct seal *s)
{
	uint8_t *fw = NULL;
	size_t len = 0;
	int ret = seal_journal_facts(s);

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
	memcpy(m.sealed_at, s->sealed_at, sizeof(m.sealed_at));
	memcpy(m.journal_head, s->journal_head, 32);
	memcpy(m.firmware_sha256, s->firmware, 32);
	m.n_files = s->n_files;
	m.files = s->files;
	return archive_manifest_write(&m, text, len);
}

/* Signatures of an earlier run over these very bytes are reused: the
 * cards sign once. */
static int seal_old_sigs_ok(struct seal *s, const struct signing_set *want)
{
	struct signing_set old;

	memset(&old, 0, sizeof(old));
	if (!s->old_sigs || signing_parse(s->old_sigs, s->old_sigs_len, &old) != 0 ||
	    strcmp(old.subject, want->subject) != 0 ||
	    memcmp(old.file_sha256, want->file_sha256, 32) != 0 ||
	    memcmp(old.digest, want->digest, 32) != 0 || signing_check(&old, &s->rec) != 0) {
		err_clear();
		return 0;
	}
	ui_say(s->u, UI_OK, msg(MSG_SEAL_SIGS_REUSED), old.n);
	return 1;
}

static int seal_sign(struct seal *s, const char *text, size_t len)
{
	struct signing_set set;
	char *sigs = NULL;
	size_t slen = 0;
	int ret;

	memset(&set, 0, sizeof(set));
	snprintf(set.subject, sizeof(set.subject), "manifest");
	ret = hash_sha256(text, len, set.file_sha256);
	if (!ret)
		ret = signing_digest("manifest", (const uint8_t *)text, len, set.digest);
	if (!ret && seal_old_sigs_ok(s, &set))
		return file_write_atomic(seal_path(s, "archive", ARCHIVE_MANIFEST_SIGS),
					 s->old_sigs, s->old_sigs_len, 1);
	if (!ret) {
		ui_say(s->u, UI_STEP, "%s", msg(MSG_STEP_SEAL_SIGN));
		ret = signing_collect(s->o->transport, s->o->slots, s->o->n_slots, &s->rec,
				      s->u, &set);
		if (ret) /* too few signatures: said; no signature file, no image */
			seal_told(s, ret);
	}
	if (!ret)
		ret = signing_write(&set, &sigs, &slen);
	if (!ret)
		ret = file_write_atomic(seal_path(s, "archive", ARCHIVE_MANIFEST_SIGS), sigs, slen,
					1);
	free(sigs);
	return ret;
}

/* The final manifest, signed by the cards present. */
static int seal_manifest(struct seal *s)
{
	char *text = NULL;
	size_t len = 0;
	int ret = seal_facts(s);

	if (!ret)
		ret = seal_manifest_text(s, &text, &len);
	if (!ret)
		ret = file_write_atomic(seal_path(s, "archive", ARCHIVE_MANIFEST_NAME), text, len,
					1);
	if (!ret)
		ret = seal_sign(s, text, len);
	free(text);
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

/* archive.iso: the same files, for a write-once disc. Written aside and
 * renamed: its presence says the seal is complete. */
static int seal_iso(struct seal *s)
{
	char part[sizeof(s->path) + 8];
	struct iso_write *w = NULL;
	int ret;

	snprintf(part, sizeof(part), "%s.part", seal_path(s, "", "archive.iso"));
	unlink(part);
	ret = iso_write_open(part, "SCEAU_ARCHIVE", &w);
	for (unsigned i = 0; !ret && i < s->n_files; i++)
		ret = seal_iso_add(s, w, s->files[i].name);
	if (!ret)
		ret = seal_iso_add(s, w, ARCHIVE_MANIFEST_NAME);
	if (!ret)
		ret = seal_iso_add(s, w, ARCHIVE_MANIFEST_SIGS);
	if (ret) {
		if (w)
			iso_write_abort(w);
		unlink(part);
		return ret;
	}
	ret = iso_write_close(w);
	if (!ret)
		ret = file_rename(part, seal_path(s, "", "archive.iso"));
	if (ret)
		unlink(part);
	return ret;
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
	s->told = ret != 0; /* session_open() says its refusals */
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
	} else if (!s->told) {
		session_say_error(u, ret);
	}
	session_close(&s->s);
	free(s->old_sigs);
	free(s);
	return ret;
}
