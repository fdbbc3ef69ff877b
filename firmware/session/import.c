/* The import of the urn and the émargement; see import.h. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/fault.h"
#include "lib/pool.h"
#include "lib/file.h"
#include "session/import.h"
#include "session/session.h"
#include "session/set_aside.h"
#include "session/shuffle.h"
#include "store/journal.h"
#include "format/record.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "format/emargement.h"
#include "format/media_manifest.h"
#include "format/results.h"
#include "media/media.h"
#include "format/urn.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

struct imp_side {
	enum manifest_kind kind;
	struct medium med;
	struct manifest man;
	uint8_t *man_buf, *sig_buf;
	size_t man_len, sig_len;
	uint64_t counts[ELECTION_MAX_SCRUTINS];
	uint64_t size;
	struct hash_ctx *h;
	uint8_t image_hash[32];
};

struct imp {
	const struct import_opts *o;
	struct ui *u;
	struct election *e;
	struct record rec;
	uint8_t record_hash[32];
	struct session s;
	int in_tx;
	int told; /* the refusal was already said to the bureau */
	struct imp_side urn, emarg;
	uint64_t n_ballots; /* read so far, for the progress */
	struct set_aside *aside;
	uint64_t proof_failed[ELECTION_MAX_SCRUTINS], duplicates[ELECTION_MAX_SCRUTINS];
	/* The ballots not stored yet: one chunk, stored when full and at the
	 * end of the urn, so memory does not grow with the urn. */
	uint8_t *chunk;
	size_t chunk_len;
	unsigned chunk_n;
	uint64_t chunk_first;
	unsigned jobs;
	/* The images are hashed and copied by a thread of their own during
	 * the data pass, under temporary names until everything is checked. */
	pthread_t copier;
	int copier_on, copy_ret, copied;
	atomic_int copy_stop;
	struct err_saved copy_err;
	char urn_part[4096], emarg_part[4096];
	char path[4096];
};

#define IMP_PROGRESS_EVERY 2048
#define IMP_CHUNK_BYTES (STORE_CHUNK_MAX * STORE_ENTRY_LEN)

_Static_assert(STORE_ENTRY_LEN == 32 + URN_RECORD_LEN, "a chunk entry is a tracker and a record");

static const char *imp_path(struct imp *im, const char *name)
{
	snprintf(im->path, sizeof(im->path), "%s/%s", im->o->session_dir, name);
	return im->path;
}

/* Sets a detail from a translated format and returns err. */
static int imp_detail(int err, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	err_detail("%s", text);
	return err;
}

/* The input files the session starts with, in the database being created. */
static int imp_fill(struct store *db, void *arg)
{
	struct imp *im = arg;
	static const char *const names[] = { "record.json", "election.json" };
	const char *src[] = { im->o->record, im->o->definition };
	char hex[65];
	int ret = 0;

	for (size_t i = 0; !ret && i < 2; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		ret = file_read_all(src[i], ELECTION_FILE_MAX, &buf, &len);
		if (!ret)
			ret = store_file_put(db, names[i], buf, len);
		free(buf);
	}
	hex_encode(im->e->id, 32, hex);
	if (!ret)
		ret = store_meta_set(db, "election_id", hex);
	if (!ret)
		ret = journal_append(db, "session.start", "election_id=%s", hex);
	return ret;
}

/* The record and the definition must belong together. */
static int imp_load_election(struct imp *im)
{
	int ret = record_load(im->o->record, &im->rec);

	if (!ret)
		ret = election_load(im->o->definition, &im->e);
	if (!ret && memcmp(im->rec.election_id, im->e->id, 32) != 0) {
		err_detail("%s is not the definition the record %s was made for",
			   im->o->definition, im->o->record);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* The session's own copies, beside its database (the seal archives them):
 * written again from the database at every import, so that a run cut off
 * between the database and these files leaves nothing missing. */
static int imp_session_files(struct imp *im)
{
	static const char *const names[] = { "record.json", "election.json" };
	int ret = 0;

	for (size_t i = 0; !ret && i < 2; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		ret = store_file_get(im->s.db, names[i], &buf, &len);
		if (!ret)
			ret = file_write_atomic(imp_path(im, names[i]), buf, len, 1);
		if (!ret && i == 0)
			ret = hash_sha256(buf, len, im->record_hash);
		free(buf);
	}
	return ret;
}

/* A new session, or one whose import did not finish: it must be this
 * election's (the phase machine refuses a session already imported).
 * session_open() tells the bureau its own refusals. */
static int imp_open_session(struct imp *im)
{
	int ret = session_open(&im->s, im->o->session_dir, PHASE_CMD_IMPORT, im->u);

	if (ret) {
		im->told = 1;
		return ret;
	}
	if (im->s.phase == PHASE_NONE)
		ret = session_create(&im->s, PHASE_RECORD_LOADED, imp_fill, im);
	else if (!ret && memcmp(im->s.e->id, im->e->id, 32) != 0) {
		err_detail("the session in %s is for another election", im->o->session_dir);
		ret = ERR_VERIFY;
	}
	if (!ret)
		ret = imp_session_files(im);
	return ret;
}

/* A detail that does not name the medium yet is prefixed with it, so
 * that the bureau reads which medium is refused, and reads it once. */
static int imp_name_medium(int ret, const char *path)
{
	if (ret && strncmp(err_last_detail(), path, strlen(path)) != 0)
		err_detail_prefix(path);
	return ret;
}

/* Reads and checks a manifest and its seal, before any data file. The
 * details are for the bureau: in its language, naming the medium. */
static int imp_manifest(struct imp *im, struct imp_side *sd, const char *path)
{
	int ret = media_open(path, &sd->med);

	if (!ret) /* exactly the documented files, every tree agreeing */
		ret = media_iso_check_sealed(&sd->med, sd->kind);
	if (!ret)
		ret = media_iso_read(&sd->med, "manifest.json", MANIFEST_FILE_MAX,
				     &sd->man_buf, &sd->man_len);
	if (!ret)
		ret = media_iso_read(&sd->med, "manifest.sig", 1024, &sd->sig_buf,
				     &sd->sig_len);
	if (!ret) {
		ret = manifest_check_sig(sd->man_buf, sd->man_len, sd->sig_buf, sd->sig_len,
					 im->rec.platform_pub);
		if (ret == ERR_VERIFY)
			return imp_detail(ret, msg(MSG_IMP_SEAL), path);
	}
	if (!ret)
		ret = manifest_parse(sd->man_buf, sd->man_len, sd->kind, &sd->man);
	if (!ret && memcmp(sd->man.election_id, im->e->id, 32) != 0)
		return imp_detail(ERR_VERIFY, msg(MSG_IMP_ELECTION), path);
	if (!ret && memcmp(sd->man.record_sha256, im->record_hash, 32) != 0)
		return imp_detail(ERR_VERIFY, msg(MSG_IMP_RECORD), path);
	if (!ret && sd->man.n_scrutins != im->e->n_scrutins) {
		err_detail("manifest.json: counts for %u scrutins, the election has %u",
			   sd->man.n_scrutins, im->e->n_scrutins);
		ret = ERR_FORMAT;
	}
	return imp_name_medium(ret, path);
}

static int imp_chunk_flush(struct imp *im)
{
	int ret;

	if (!im->chunk_n)
		return 0;
	ret = store_ballot_chunk_add(im->s.db, im->chunk_first, im->chunk_n, im->chunk,
				     im->chunk_len);
	im->chunk_first += im->chunk_n;
	im->chunk_n = 0;
	im->chunk_len = 0;
	return ret;
}

/* Appends a ballot to the chunk (docs/FORMATS.md, ballot_chunks). */
static int imp_chunk_add(struct imp *im, const struct urn_ballot *b)
{
	uint8_t *p = im->chunk + im->chunk_len;

	if (b->number != im->chunk_first + im->chunk_n) {
		err_detail("ballot %llu: out of order", (unsigned long long)b->number);
		return ERR_INTERNAL;
	}
	memcpy(p, b->tracker, 32);
	memcpy(p + 32, b->record, URN_RECORD_LEN);
	im->chunk_len += STORE_ENTRY_LEN;
	if (++im->chunk_n < STORE_CHUNK_MAX)
		return 0;
	return imp_chunk_flush(im);
}

/* The A of ballot seq, an earlier one: in the chunk being filled, or
 * already stored (in this transaction). */
static int imp_seq_A(uint64_t seq, const uint8_t *tracker, const uint8_t *record, void *arg)
{
	(void)seq;
	(void)tracker;
	memcpy(arg, record + BALLOT2_OFF_A, 65);
	return 0;
}

static int imp_read_A(uint64_t seq, uint8_t A[65], void *arg)
{
	struct imp *im = arg;
	unsigned n = 0;
	int ret;

	if (seq >= im->chunk_first && seq < im->chunk_first + im->chunk_n) {
		memcpy(A, im->chunk + (seq - im->chunk_first) * STORE_ENTRY_LEN + 32 +
				  BALLOT2_OFF_A, 65);
		return 0;
	}
	ret = store_ballots_read(im->s.db, seq - 1, 1, imp_seq_A, A, &n);
	if (!ret && n != 1) {
		err_detail("ballot %llu: not stored", (unsigned long long)seq);
		ret = ERR_INTERNAL;
	}
	return ret;
}

/* A failed proof, or an A already seen: the ballot is kept in the urn's
 * copy, and recorded as set aside (counted nul, never decrypted). */
static int imp_set_aside(struct imp *im, const struct urn_ballot *b)
{
	const char *reason = NULL;
	int ret = set_aside_ballot(im->aside, b->number, b->A, b->proof_ok, imp_read_A, im,
				   &reason);

	if (ret || !reason)
		return ret;
	if (strcmp(reason, SET_ASIDE_PROOF) == 0)
		im->proof_failed[b->scrutin - 1]++;
	else
		im->duplicates[b->scrutin - 1]++;
	return store_set_aside_add(im->s.db, b->number, b->scrutin, reason);
}

static int imp_on_ballot(const struct urn_ballot *b, void *arg)
{
	struct imp *im = arg;
	int ret;

	im->urn.counts[b->scrutin - 1]++;
	if (++im->n_ballots % IMP_PROGRESS_EVERY == 0)
		ui_progress(im->u, im->n_ballots, im->urn.man.total, 0);
	ret = imp_set_aside(im, b);
	return ret ? ret : imp_chunk_add(im, b);
}

/* Only the counts are kept: the entries themselves are archived as
 * emargement.iso, whose hash is in meta. */
static int imp_on_entry(const struct emarg_entry *en, void *arg)
{
	struct imp *im = arg;

	im->emarg.counts[en->scrutin - 1]++;
	return 0;
}

struct imp_feed {
	struct imp_side *sd;
	void *reader;
};

static int imp_feed_urn(const uint8_t *data, size_t len, void *arg)
{
	struct imp_feed *f = arg;

	f->sd->size += len;
	if (hash_update(f->sd->h, data, len) != 0)
		return ERR_CRYPTO;
	return urn_reader_feed(f->reader, data, len);
}

static int imp_feed_emarg(const uint8_t *data, size_t len, void *arg)
{
	struct imp_feed *f = arg;

	f->sd->size += len;
	if (hash_update(f->sd->h, data, len) != 0)
		return ERR_CRYPTO;
	return emarg_reader_feed(f->reader, data, len);
}

/* The data file matches the manifest: size, hash, per-scrutin counts. */
static int imp_match(struct imp *im, struct imp_side *sd, uint64_t total)
{
	const char *name = manifest_data_file(sd->kind);
	uint8_t h[32];
	int ret = hash_final(sd->h, h);

	sd->h = NULL;
	if (ret)
		return ret;
	if (sd->size != sd->man.file_size || memcmp(h, sd->man.file_sha256, 32) != 0)
		return imp_detail(ERR_VERIFY, msg(MSG_IMP_ALTERED), sd->med.path, name);
	for (unsigned i = 0; i < im->e->n_scrutins; i++)
		if (sd->counts[i] != sd->man.counts[i])
			return imp_detail(ERR_VERIFY, msg(MSG_IMP_COUNT), sd->med.path, i + 1,
					  (unsigned long long)sd->counts[i], name,
					  (unsigned long long)sd->man.counts[i]);
	if (total != sd->man.total)
		return imp_detail(ERR_VERIFY, msg(MSG_IMP_TOTAL), sd->med.path,
				  (unsigned long long)total, name,
				  (unsigned long long)sd->man.total);
	return 0;
}

static int imp_stream_urn(struct imp *im)
{
	struct urn_reader *r = NULL;
	struct imp_feed f = { &im->urn, NULL };
	uint64_t total = 0;
	int ret;

	im->chunk = malloc(IMP_CHUNK_BYTES);
	im->chunk_first = 1;
	ret = im->chunk ? set_aside_new(im->urn.man.total, &im->aside) : ERR_NOMEM;
	if (!ret)
		ret = urn_reader_new(im->e, imp_on_ballot, im, im->jobs, &r);
	f.reader = r;
	ui_progress_start(im->u, UI_UNIT_IMPORTED, 0);
	if (!ret)
		ret = hash_begin(&im->urn.h);
	if (!ret)
		ret = media_iso_stream(&im->urn.med, "ballots.bin", imp_feed_urn, &f);
	if (!ret)
		ret = urn_reader_finish(r, &total);
	if (ret != ERR_NOSPACE && ret != ERR_READONLY) /* else the session's disk */
		ret = imp_name_medium(ret, im->urn.med.path);
	if (!ret)
		ret = imp_chunk_flush(im);
	ui_progress(im->u, im->n_ballots, im->urn.man.total, 1);
	if (!ret)
		ret = imp_match(im, &im->urn, total);
	urn_reader_free(r);
	set_aside_free(im->aside);
	im->aside = NULL;
	free(im->chunk);
	im->chunk = NULL;
	return ret;
}

static int imp_stream_emarg(struct imp *im)
{
	struct emarg_reader *r = NULL;
	struct imp_feed f = { &im->emarg, NULL };
	uint64_t total = 0;
	int ret = emarg_reader_new(im->e, imp_on_entry, im, &r);

	f.reader = r;
	if (!ret)
		ret = hash_begin(&im->emarg.h);
	if (!ret)
		ret = media_iso_stream(&im->emarg.med, "entries.bin", imp_feed_emarg, &f);
	if (!ret)
		ret = emarg_reader_finish(r, &total);
	ret = imp_name_medium(ret, im->emarg.med.path);
	if (!ret)
		ret = imp_match(im, &im->emarg, total);
	emarg_reader_free(r);
	return ret;
}

/* Ballots against émargements, per scrutin: a difference is kept as an
 * irregularity for the PV. */
static int imp_compare(struct imp *im)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < im->e->n_scrutins; i++) {
		const struct scrutin *s = &im->e->scrutins[i];
		uint64_t b = im->urn.counts[i], m = im->emarg.counts[i];
		struct results_irreg g;

		ret = store_counts_set(im->s.db, s->id, b, m);
		if (ret || b == m) {
			if (!ret)
				ui_say(im->u, UI_OK, msg(MSG_IMPORT_SCRUTIN), s->id, s->college,
				       election_body_name(s->body), (unsigned long long)b,
				       (unsigned long long)m);
			continue;
		}
		results_irreg_ballots(&g, s->id, b, m);
		ui_say(im->u, UI_WARN, msg(MSG_IMPORT_MISMATCH), s->id, s->college,
		       election_body_name(s->body), (unsigned long long)b,
		       (unsigned long long)m);
		ret = store_irregularity_add(im->s.db, s->id, g.kind, g.detail);
		if (!ret)
			ret = journal_append(im->s.db, "irregularity", "scrutin=%u %s", s->id,
					     g.detail);
	}
	return ret;
}

/* The ballots set aside, scrutin by scrutin: the bureau reads how many and
 * why (they are counted nul and printed on the PV). */
static uint64_t imp_say_set_aside(struct imp *im)
{
	uint64_t all = 0;

	for (unsigned i = 0; i < im->e->n_scrutins; i++) {
		const struct scrutin *s = &im->e->scrutins[i];
		uint64_t p = im->proof_failed[i], d = im->duplicates[i];

		all += p + d;
		if (p + d)
			ui_say(im->u, UI_WARN, msg(MSG_IMPORT_SET_ASIDE), s->id, s->college,
			       election_body_name(s->body), (unsigned long long)(p + d),
			       (unsigned long long)p, (unsigned long long)d);
	}
	return all;
}

static void *imp_copy_main(void *arg)
{
	struct imp *im = arg;
	int ret = media_copy(&im->urn.med, im->urn_part, im->urn.image_hash, NULL,
			     &im->copy_stop);

	if (!ret)
		ret = media_copy(&im->emarg.med, im->emarg_part, im->emarg.image_hash, NULL,
				 &im->copy_stop);
	if (ret)
		err_save(&im->copy_err);
	im->copy_ret = ret;
	return NULL;
}

static int imp_copy_start(struct imp *im)
{
	pthread_attr_t attr;

	snprintf(im->urn_part, sizeof(im->urn_part), "%s", imp_path(im, "urn.iso.part"));
	snprintf(im->emarg_part, sizeof(im->emarg_part), "%s",
		 imp_path(im, "emargement.iso.part"));
	/* Left by an import that did not finish: never part of a session. */
	unlink(im->urn_part);
	unlink(im->emarg_part);
	atomic_store(&im->copy_stop, 0);
	/* A small stack: the box locks all its memory (mlockall). */
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setstacksize(&attr, 512u << 10);
		im->copier_on = pthread_create(&im->copier, &attr, imp_copy_main, im) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!im->copier_on) {
		err_detail("cannot start the thread copying the images");
		return ERR_NOMEM;
	}
	return 0;
}

/* Waits for the copies (stopping them first if the import failed); on
 * success they take their final names. An image already there was left by
 * an import cut off before its commit (the phase machine lets no import
 * run on a session whose urn is imported): it is replaced. */
static int imp_copy_finish(struct imp *im, int ret)
{
	static const char *const names[] = { "urn.iso", "emargement.iso" };
	const char *parts[] = { im->urn_part, im->emarg_part };

	if (!im->copier_on)
		return ret;
	if (ret)
		atomic_store(&im->copy_stop, 1);
	pthread_join(im->copier, NULL);
	im->copier_on = 0;
	if (!ret && im->copy_ret) {
		err_restore(&im->copy_err);
		ret = im->copy_ret;
	}
	for (int i = 0; !ret && i < 2; i++) {
		ret = file_rename(parts[i], imp_path(im, names[i]));
		if (!ret)
			im->copied |= 1 << i;
	}
	unlink(im->urn_part);
	unlink(im->emarg_part);
	return ret;
}

/* Keeps the manifests and seals in the database, and the images' hashes. */
static int imp_archive_side(struct imp *im, struct imp_side *sd, const char *prefix)
{
	char name[64], hex[65];
	int ret;

	snprintf(name, sizeof(name), "%s-manifest.json", prefix);
	ret = store_file_put(im->s.db, name, sd->man_buf, sd->man_len);
	snprintf(name, sizeof(name), "%s-manifest.sig", prefix);
	if (!ret)
		ret = store_file_put(im->s.db, name, sd->sig_buf, sd->sig_len);
	hex_encode(sd->image_hash, 32, hex);
	snprintf(name, sizeof(name), "%s_sha256", prefix);
	if (!ret)
		ret = store_meta_set(im->s.db, name, hex);
	return ret;
}

static int imp_data(struct imp *im)
{
	char uh[65], eh[65];
	int ret = store_begin_bulk(im->s.db);

	im->in_tx = ret == 0;
	if (!ret)
		ret = imp_copy_start(im);
	if (!ret)
		ret = imp_stream_urn(im);
	if (!ret)
		ret = imp_stream_emarg(im);
	if (!ret)
		ret = imp_compare(im);
	ret = imp_copy_finish(im, ret);
	if (!ret)
		ret = imp_archive_side(im, &im->urn, "urn");
	if (!ret)
		ret = imp_archive_side(im, &im->emarg, "emargement");
	hex_encode(im->urn.image_hash, 32, uh);
	hex_encode(im->emarg.image_hash, 32, eh);
	if (!ret)
		ret = session_advance(&im->s, PHASE_URN_IMPORTED, "import.done",
				      "ballots=%llu set_aside=%llu emargements=%llu urn_sha256=%s "
				      "emargement_sha256=%s",
				      (unsigned long long)im->urn.man.total,
				      (unsigned long long)imp_say_set_aside(im),
				      (unsigned long long)im->emarg.man.total, uh, eh);
	if (ret)
		return ret;
	fault_point("import:commit:before");
	ret = store_commit(im->s.db);
	if (!ret)
		im->in_tx = 0;
	fault_point("import:commit:after");
	return ret;
}

/* A refusal that the media explain: the bureau checks what it was given. */
static int imp_media_fault(int ret)
{
	return ret == ERR_FORMAT || ret == ERR_VERIFY || ret == ERR_RANGE ||
	       ret == ERR_NOTFOUND || ret == ERR_MEDIA_WRITABLE || ret == ERR_USAGE;
}

/* What the bureau reads: the cause, then what the session kept (nothing
 * but, if it exists, the election, the record and this refusal in its
 * journal). */
static void imp_fail(struct imp *im, int ret)
{
	struct err_saved e;

	err_save(&e);
	if (im->in_tx)
		store_rollback(im->s.db);
	/* Only what this import made: a refused second import keeps the first's. */
	if (im->copied & 1)
		unlink(imp_path(im, "urn.iso"));
	if (im->copied & 2)
		unlink(imp_path(im, "emargement.iso"));
	if (im->told) /* session_open() refused, and said why: nothing was done */
		return;
	session_say_error(im->u, ret);
	if (im->s.db)
		journal_append(im->s.db, "import.failed", "error=%d detail=%s", ret, e.detail);
	/* What the refusal means for the session: the cause above is the one
	 * error the bureau reads. */
	ui_say(im->u, UI_WARN, "%s", msg(im->s.db ? MSG_IMPORT_FAILED_KEPT : MSG_IMPORT_FAILED));
	if (imp_media_fault(ret))
		ui_say(im->u, UI_INFO, "%s", msg(MSG_IMPORT_CHECK_MEDIA));
	err_restore(&e);
}

static void imp_free_side(struct imp_side *sd)
{
	media_close(&sd->med);
	hash_abort(sd->h);
	free(sd->man_buf);
	free(sd->sig_buf);
}

/* The shuffle cut short or refused: the urn stays imported (the phase says
 * urn-imported), and the next import makes the shuffle again. */
static void imp_shuffle_fail(struct imp *im, int ret)
{
	struct err_saved e;

	err_save(&e);
	session_say_error(im->u, ret);
	journal_append(im->s.db, "shuffle.failed", "error=%d detail=%s", ret, e.detail);
	ui_say(im->u, UI_WARN, "%s", msg(MSG_SHUFFLE_FAILED));
	err_restore(&e);
}

/* The urn and the émargement, checked and stored (phase urn-imported). */
static int imp_urn(struct imp *im)
{
	int ret = imp_manifest(im, &im->urn, im->o->urn);

	if (!ret)
		ret = imp_manifest(im, &im->emarg, im->o->emargement);
	if (!ret)
		ui_say(im->u, UI_OK, "%s", msg(MSG_IMPORT_SEALS_OK));
	if (!ret)
		ret = imp_data(im);
	if (ret)
		imp_fail(im, ret);
	return ret;
}

int import_run(const struct import_opts *o, struct ui *u)
{
	struct imp im;
	uint64_t n = 0;
	int ret;

	memset(&im, 0, sizeof(im));
	im.o = o;
	im.u = u;
	im.jobs = o->jobs ? o->jobs : pool_default_jobs();
	im.urn.kind = MANIFEST_KIND_URN;
	im.emarg.kind = MANIFEST_KIND_EMARGEMENT;
	im.urn.med.fd = im.emarg.med.fd = -1;
	err_clear();
	ui_say(u, UI_STEP, "%s", msg(MSG_STEP_IMPORT));
	ret = imp_load_election(&im);
	if (!ret)
		ret = imp_open_session(&im);
	if (ret)
		imp_fail(&im, ret);
	else if (im.s.phase == PHASE_URN_IMPORTED) /* a shuffle cut off: made again */
		ui_say(u, UI_WARN, "%s", msg(MSG_IMPORT_RESHUFFLE));
	else
		ret = imp_urn(&im);
	if (!ret) {
		/* the key the stored ballots were checked for: a run that only
		 * shuffles again takes the session's record, not the one given */
		const uint8_t *pk = im.s.loaded ? im.s.rec.pub.pk : im.rec.pub.pk;
		ret = shuffle_session(&im.s, im.e, pk, u, im.jobs, o->shuffles_from);
		if (ret)
			imp_shuffle_fail(&im, ret);
	}
	if (!ret)
		ret = store_ballot_count(im.s.db, &n);
	if (!ret)
		ui_say(u, UI_OK, msg(MSG_IMPORT_DONE), (unsigned long long)n, o->session_dir);
	imp_free_side(&im.urn);
	imp_free_side(&im.emarg);
	session_close(&im.s);
	election_free(im.e);
	return ret;
}
