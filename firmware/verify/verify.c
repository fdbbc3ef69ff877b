/*
 * The order of the checks (each needs what the ones before found): the
 * record and the definition first, since every key and every scrutin comes
 * from them; the seals; the final manifest (parsed now, its files checked
 * later); the session database opened; the pass over the urn (proofs of
 * knowledge, the set-aside ballots, each scrutin's shuffle inputs), the
 * shuffle proofs, the pass over the decryptions (and the
 * database's copies of them); the émargement; the recount; the signatures;
 * the journal; the rest of the database; the files; the printed PV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pool.h"
#include "lib/err.h"
#include "count/tally.h"
#include "verify/verify_int.h"

/* The files every archive (or counted session) holds. */
static const char *const vcore_files[] = {
	"record.json", "election.json", "urn.iso", "emargement.iso",
	"ballots-decrypted.bin", "results.json", "session.db",
};

static void vcheck_archive(struct vctx *c)
{
	unsigned missing = 0;

	for (size_t i = 0; i < sizeof(vcore_files) / sizeof(vcore_files[0]); i++)
		if (!vexists(c, vcore_files[i])) {
			vnote(c, VERIFY_ARCHIVE, 1, VM_FILE_MISSING, vcore_files[i]);
			missing++;
		}
	if (!c->r->sealed)
		vwarn(c, VERIFY_ARCHIVE, VM_ARCHIVE_SESSION);
	if (!missing)
		vnote(c, VERIFY_ARCHIVE, 0, VM_ARCHIVE_FILES, c->dir);
	err_clear();
	if (vexists(c, "results.json") &&
	    vread(c, "results.json", VRESULTS_MAX, &c->results, &c->results_len) != 0)
		vnote(c, VERIFY_ARCHIVE, 1, VM_FILE_UNREADABLE, "results.json", vdetail());
	vdone(c, VERIFY_ARCHIVE);
}

static void vrun(struct vctx *c)
{
	vcheck_archive(c);
	verify_record(c);
	verify_election(c);
	verify_seals(c);
	verify_manifest_load(c);
	verify_db_open(c);
	verify_ballots(c);
	verify_shuffles(c);
	verify_decrypted(c);
	verify_emarg_entries(c);
	verify_irregularities(c);
	verify_count(c);
	verify_sigs(c, 0);
	verify_journal(c);
	verify_database(c);
	verify_manifest_files(c);
	verify_sigs(c, 1);
	verify_pv(c);
}

static void vfree(struct vctx *c)
{
	verify_db_pass_free(c, NULL);
	verify_ballots_free(c);
	verify_db_close(c);
	verify_close_archive(c);
	election_free(c->e);
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		tally_free(c->tallies[i]);
	free(c->results);
	free(c->amf_buf);
	archive_manifest_free(&c->amf);
	free(c->journal_hashes);
}

static int vopts_ok(const struct verify_opts *o)
{
	if (o->crypto && !crypto_checks_by_name(o->crypto)) {
		err_detail("verify: this build has no implementation '%s' of the checks",
			   o->crypto);
		return 0;
	}
	if (!o->archive || o->n_qr > VERIFY_MAX_QR || o->n_scan > VERIFY_MAX_SCAN ||
	    (o->n_qr && !o->qr) || (o->n_scan && !o->scan) || o->jobs > 1024) {
		err_detail("verify: inconsistent options");
		return 0;
	}
	return 1;
}

int verify_archive(const struct verify_opts *o, struct verify_report **out)
{
	struct verify_opts opts = *o;
	struct vctx *c;
	int ret;

	*out = NULL;
	if (!vopts_ok(o))
		return ERR_USAGE;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_NOMEM;
	c->r = calloc(1, sizeof(*c->r));
	if (!c->r) {
		free(c);
		return ERR_NOMEM;
	}
	if (!opts.jobs)
		opts.jobs = pool_default_jobs();
	c->o = &opts;
	c->ck = o->crypto ? crypto_checks_by_name(o->crypto) : crypto_checks_default();
	snprintf(c->r->crypto, sizeof(c->r->crypto), "%s", c->ck->name);
	c->r->sealed = !o->session;
	err_clear();
	ret = verify_open_archive(c);
	if (ret)
		vnote(c, VERIFY_ARCHIVE, 1, ret == ERR_MEDIA_TREES    ? VM_ISO_TREES
					    : ret == ERR_MEDIA_LAYOUT ? VM_ISO_LAYOUT
								      : VM_ARCHIVE_UNREADABLE,
		      o->archive, vdetail());
	else
		vrun(c);
	for (unsigned i = 0; i < VERIFY_CHECK_COUNT; i++)
		if (c->r->checks[i].status == VERIFY_NOT_RUN)
			vskip(c, (enum verify_check_id)i, VM_NOT_RUN);
	vfree(c);
	*out = c->r;
	free(c);
	return 0;
}
