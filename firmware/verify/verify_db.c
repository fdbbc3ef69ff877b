/*
 * session.db against the published files (docs/VERIFY.md, check
 * "database"). The database goes into the archive, so everything it holds
 * that a file also publishes must say the same, or a box could keep one
 * story in the database and print another:
 *   meta             the SHA-256 of election.json, urn.iso, emargement.iso,
 *                    results.json (phase and sealed: the journal check);
 *   files            each stored copy, byte for byte, against the archive's
 *                    file (the media manifests and seals: inside the images);
 *                    a copy of anything else is refused;
 *   scrutin_counts   the ballots and émargements of the media manifests;
 *   irregularities   results.json's irregularities, in order;
 *   journal          every hash and count an entry names (its chain: the
 *                    journal check);
 *   ballot_chunks, decrypted   in the passes over the ballots
 *                    (verify_db_pass.c);
 *   set_aside, shuffles   the verifier's own set-aside decisions and the
 *                    shuffle files (verify_db_v2.c);
 * and no other table. The database is read from a private copy, opened
 * before the pass and closed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "format/results.h"
#include "lib/err.h"
#include "lib/hex.h"
#include "store/journal.h"
#include "store/store.h"
#include "verify/verify_int.h"

/* SQLite keeps -wal and -shm files beside a WAL database even when it
 * only reads it: the database is read from a private copy, so that the
 * archive is never touched (and may be on read-only media). */
void verify_db_open(struct vctx *c)
{
	char db[4200];
	uint8_t sha[32];
	uint64_t size = 0;
	int ret;

	err_clear();
	if (!vexists(c, "session.db")) {
		vnote(c, VERIFY_JOURNAL, 1, VM_FILE_MISSING, "session.db");
		vnote(c, VERIFY_DATABASE, 1, VM_FILE_MISSING, "session.db");
		return;
	}
	ret = vtempdir(c->db_tmp, sizeof(c->db_tmp));
	snprintf(db, sizeof(db), "%s/session.db", c->db_tmp);
	if (!ret)
		ret = hash_file_copy(vpath(c, "session.db"), db, sha, &size);
	if (!ret)
		vhash_put(c, "session.db", sha, size);
	if (!ret)
		ret = store_open_readonly(db, &c->db);
	if (ret) {
		vnote(c, VERIFY_JOURNAL, 1, VM_JOURNAL_INVALID, vdetail());
		vnote(c, VERIFY_DATABASE, 1, VM_DB_UNREADABLE, vdetail());
	}
}

void verify_db_close(struct vctx *c)
{
	static const char *const names[] = { "session.db", "session.db-wal", "session.db-shm",
					     "session.db-journal" };
	char p[4200];

	store_close(c->db);
	c->db = NULL;
	if (!c->db_tmp[0])
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", c->db_tmp, names[i]);
		unlink(p);
	}
	rmdir(c->db_tmp);
	c->db_tmp[0] = '\0';
}

/* ---- tables ---------------------------------------------------------------- */

static const char *const vdb_tables[] = {
	"meta", "files", "journal", "ballot_chunks", "scrutin_counts", "irregularities",
	"decrypted", "set_aside", "shuffles",
};

static int vdb_table(const char *name, void *arg)
{
	for (size_t i = 0; i < sizeof(vdb_tables) / sizeof(vdb_tables[0]); i++)
		if (strcmp(name, vdb_tables[i]) == 0)
			return 0;
	vnote(arg, VERIFY_DATABASE, 1, VM_DB_TABLE_EXTRA, name);
	return 0;
}

/* ---- meta -------------------------------------------------------------------- */

/* The meta keys that name a published file's SHA-256; phase and sealed
 * are the journal check's, schema is the store's. */
static const struct {
	const char *key, *file;
} vdb_meta_files[] = {
	{ "election_id", "election.json" },    { "urn_sha256", "urn.iso" },
	{ "emargement_sha256", "emargement.iso" }, { "results_sha256", "results.json" },
};
#define VDB_META_N (sizeof(vdb_meta_files) / sizeof(vdb_meta_files[0]))

struct vdb_meta {
	struct vctx *c;
	unsigned seen;  /* bit i: vdb_meta_files[i] found */
	unsigned bad;
};

int verify_sha_is(struct vctx *c, const char *file, const char *hex)
{
	uint8_t sha[32];
	char want[65];

	if (!vexists(c, file) || vhash(c, file, sha, NULL) != 0)
		return 0;
	hex_encode(sha, 32, want);
	return strcmp(hex, want) == 0;
}

static int vdb_meta_row(const char *key, const char *value, void *arg)
{
	struct vdb_meta *m = arg;

	for (unsigned i = 0; i < VDB_META_N; i++) {
		if (strcmp(key, vdb_meta_files[i].key) != 0)
			continue;
		m->seen |= 1u << i;
		if (!verify_sha_is(m->c, vdb_meta_files[i].file, value)) {
			vnote(m->c, VERIFY_DATABASE, 1, VM_DB_META_DIFF, key, vdb_meta_files[i].file);
			m->bad++;
		}
		return 0;
	}
	if (strcmp(key, "phase") != 0 && strcmp(key, "sealed") != 0 && strcmp(key, "schema") != 0)
		vwarn(m->c, VERIFY_DATABASE, VM_DB_META_UNKNOWN, key);
	return 0;
}

static void vdb_meta(struct vctx *c)
{
	struct vdb_meta m = { c, 0, 0 };

	err_clear();
	if (store_meta_each(c->db, vdb_meta_row, &m) != 0) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "meta", vdetail());
		return;
	}
	for (unsigned i = 0; i < VDB_META_N; i++)
		if (!(m.seen & 1u << i) && vexists(c, vdb_meta_files[i].file)) {
			vnote(c, VERIFY_DATABASE, 1, VM_DB_META_MISSING, vdb_meta_files[i].key);
			m.bad++;
		}
	if (!m.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_META_OK);
}

/* ---- files ------------------------------------------------------------------- */

/* Each copy the box keeps, and what it copies: an archive file, or a file
 * inside one of the media images. */
static const struct {
	const char *name, *file, *member;
} vdb_copies[] = {
	{ "record.json", "record.json", NULL },
	{ "election.json", "election.json", NULL },
	{ "urn-manifest.json", "urn.iso", "manifest.json" },
	{ "urn-manifest.sig", "urn.iso", "manifest.sig" },
	{ "emargement-manifest.json", "emargement.iso", "manifest.json" },
	{ "emargement-manifest.sig", "emargement.iso", "manifest.sig" },
	{ "results.json", "results.json", NULL },
	{ "signatures-results.json", "signatures-results.json", NULL },
};
#define VDB_COPIES_N (sizeof(vdb_copies) / sizeof(vdb_copies[0]))

struct vdb_files {
	struct vctx *c;
	unsigned seen, bad, n;
};

/* The SHA-256 of what copy i copies; ERR_NOTFOUND if it is not there. */
static int vdb_source_sha(struct vctx *c, size_t i, uint8_t sha[32])
{
	struct medium m;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (!vexists(c, vdb_copies[i].file))
		return ERR_NOTFOUND;
	if (!vdb_copies[i].member)
		return vhash(c, vdb_copies[i].file, sha, NULL);
	ret = verify_medium_open(c, vdb_copies[i].file, &m);
	if (!ret)
		ret = media_iso_read(&m, vdb_copies[i].member, MANIFEST_FILE_MAX, &buf, &len);
	media_close(&m);
	if (!ret)
		ret = hash_sha256(buf, len, sha);
	free(buf);
	return ret;
}

static int vdb_file_row(const char *name, const uint8_t *data, size_t len, void *arg)
{
	struct vdb_files *f = arg;
	uint8_t want[32], got[32];
	char what[64];

	f->n++;
	for (size_t i = 0; i < VDB_COPIES_N; i++) {
		if (strcmp(name, vdb_copies[i].name) != 0)
			continue;
		f->seen |= 1u << i;
		err_clear();
		if (vdb_source_sha(f->c, i, want) != 0 || hash_sha256(data, len, got) != 0 ||
		    memcmp(want, got, 32) != 0) {
			if (vdb_copies[i].member)
				snprintf(what, sizeof(what), "%s:%s", vdb_copies[i].file,
					 vdb_copies[i].member);
			else
				snprintf(what, sizeof(what), "%s", vdb_copies[i].file);
			vnote(f->c, VERIFY_DATABASE, 1, VM_DB_FILE_DIFF, name, what);
			f->bad++;
		}
		return 0;
	}
	vnote(f->c, VERIFY_DATABASE, 1, VM_DB_FILE_EXTRA, name);
	f->bad++;
	return 0;
}

static void vdb_files(struct vctx *c)
{
	struct vdb_files f = { c, 0, 0, 0 };

	err_clear();
	if (store_files_each(c->db, vdb_file_row, &f) != 0) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "files", vdetail());
		return;
	}
	/* The box keeps a copy of every input and output it publishes. */
	for (size_t i = 0; i < VDB_COPIES_N; i++)
		if (!(f.seen & 1u << i) && vexists(c, vdb_copies[i].file)) {
			vnote(c, VERIFY_DATABASE, 1, VM_DB_FILE_MISSING, vdb_copies[i].name);
			f.bad++;
		}
	if (!f.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_FILES_OK, f.n);
}

/* ---- scrutin_counts, irregularities ----------------------------------------- */

struct vdb_rows {
	struct vctx *c;
	unsigned n, bad;
	const struct results *published;
};

static int vdb_count_row(unsigned scrutin, uint64_t ballots, uint64_t emargements, void *arg)
{
	struct vdb_rows *r = arg;
	struct vctx *c = r->c;
	unsigned i = scrutin - 1;

	r->n++;
	if (scrutin != r->n || i >= c->e->n_scrutins ||
	    (c->urn_man_ok && ballots != c->urn_man.counts[i]) ||
	    (c->emarg_man_ok && emargements != c->emarg_man.counts[i])) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_COUNTS_DIFF, scrutin,
		      (unsigned long long)ballots, (unsigned long long)emargements);
		r->bad++;
	}
	return 0;
}

static void vdb_counts(struct vctx *c)
{
	struct vdb_rows r = { c, 0, 0, NULL };

	err_clear();
	if (!c->e) {
		vnote(c, VERIFY_DATABASE, 0, VM_DB_NOT_COMPARED, "scrutin_counts");
		return;
	}
	if (store_counts_each(c->db, vdb_count_row, &r) != 0) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "scrutin_counts", vdetail());
		return;
	}
	if (r.n != c->e->n_scrutins) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_COUNTS_ROWS, r.n, c->e->n_scrutins);
		r.bad++;
	}
	if (!r.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_COUNTS_OK, r.n);
}

static int vdb_irreg_row(unsigned scrutin, const char *kind, const char *detail, void *arg)
{
	struct vdb_rows *r = arg;
	const struct results_irreg *g =
		r->n < r->published->n_irreg ? &r->published->irreg[r->n] : NULL;

	r->n++;
	if (!g || g->scrutin != scrutin || strcmp(g->kind, kind ? kind : "") != 0 ||
	    strcmp(g->detail, detail ? detail : "") != 0) {
		vnote(r->c, VERIFY_DATABASE, 1, VM_DB_IRREG_DIFF, r->n, scrutin,
		      kind ? kind : "-", detail ? detail : "-");
		r->bad++;
	}
	return 0;
}

static void vdb_irregularities(struct vctx *c)
{
	struct results published;
	struct vdb_rows r = { c, 0, 0, &published };

	memset(&published, 0, sizeof(published));
	err_clear();
	if (!c->results || results_read_irregularities(c->results, c->results_len,
						       &published) != 0) {
		vnote(c, VERIFY_DATABASE, 0, VM_DB_NOT_COMPARED, "irregularities");
		results_free(&published);
		return;
	}
	if (store_irregularities_each(c->db, vdb_irreg_row, &r) != 0) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "irregularities", vdetail());
	} else if (r.n != published.n_irreg) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_IRREG_ROWS, r.n, published.n_irreg);
	} else if (!r.bad) {
		vnote(c, VERIFY_DATABASE, 0, VM_DB_IRREG_OK, r.n);
	}
	results_free(&published);
}

void verify_database(struct vctx *c)
{
	if (!c->db)
		return;
	err_clear();
	if (store_tables_each(c->db, vdb_table, c) != 0)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_UNREADABLE, vdetail());
	vdb_meta(c);
	vdb_files(c);
	vdb_counts(c);
	vdb_irregularities(c);
	verify_db_v2(c);
	verify_db_journal(c);
	if (!c->db_pass_done)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_NOT_COMPARED, "ballot_chunks, decrypted");
	vdone(c, VERIFY_DATABASE);
}
