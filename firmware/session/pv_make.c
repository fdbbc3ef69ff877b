/* Signing the results and rendering the PVs; see pv_make.h. */
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
#include "session/pv_print.h"
#include "session/pv_make.h"
#include "session/shuffle.h"
#include "session/session.h"
#include "format/record.h"
#include "session/sign.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "pv/pv.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

struct pvs {
	const struct counting_opts *o;
	struct ui *u;
	struct session s;
	uint8_t *results;
	size_t results_len;
	struct signing_set sigs;
	struct pv_inputs in;
	int told; /* the failure was already said to the bureau */
	char path[4200];
};

static const char *pvs_path(struct pvs *p, const char *name)
{
	snprintf(p->path, sizeof(p->path), "%s/%s", p->o->session_dir, name);
	return p->path;
}

static int pvs_meta_hash(struct pvs *p, const char *key, uint8_t out[32])
{
	char hex[80];
	int ret = store_meta_get(p->s.db, key, hex, sizeof(hex));

	if (!ret && hex_decode(hex, out, 32) != 0)
		ret = ERR_FORMAT;
	if (ret)
		err_detail("session: %s missing or malformed", key);
	return ret;
}

static int pvs_open(struct pvs *p)
{
	int ret = session_open(&p->s, p->o->session_dir, PHASE_CMD_PV, p->u);

	p->told = ret != 0; /* session_open() says its refusals */
	if (!ret)
		ret = store_file_get(p->s.db, "results.json", &p->results, &p->results_len);
	return ret;
}

/* Signatures made earlier (the database is their record): re-checked,
 * and the session's file written again from them, so that a pv cut off
 * between the database and the file loses nothing. */
static int pvs_reuse(struct pvs *p, const uint8_t *buf, size_t len)
{
	int ret = signing_parse(buf, len, &p->sigs);

	if (!ret)
		ret = signing_check(&p->sigs, &p->s.rec);
	if (!ret)
		ret = file_write_atomic(pvs_path(p, "signatures-results.json"), buf, len, 1);
	return ret;
}

/* The cards present sign the results; the signatures and their journal
 * entry are stored in one transaction, then written to the file. */
static int pvs_sign(struct pvs *p)
{
	char *json = NULL;
	size_t len = 0;
	int ret;

	ui_say(p->u, UI_STEP, "%s", msg(MSG_STEP_SIGN_RESULTS));
	snprintf(p->sigs.subject, sizeof(p->sigs.subject), "results");
	ret = hash_sha256(p->results, p->results_len, p->sigs.file_sha256);
	if (!ret)
		ret = signing_digest("results", p->results, p->results_len, p->sigs.digest);
	if (!ret) {
		ret = signing_collect(p->o->transport, p->o->slots, p->o->n_slots, &p->s.rec, p->u,
				      &p->sigs);
		p->told = ret != 0; /* too few signatures: said, nothing stored */
	}
	if (!ret)
		ret = signing_write(&p->sigs, &json, &len);
	if (!ret)
		ret = store_begin(p->s.db);
	if (!ret) {
		ret = store_file_put(p->s.db, "signatures-results.json", json, len);
		if (!ret)
			ret = journal_append(p->s.db, "results.signed", "cards=%u", p->sigs.n);
		if (!ret)
			ret = store_commit(p->s.db);
		else
			store_rollback(p->s.db);
	}
	if (!ret)
		fault_point("pv:signatures:stored");
	if (!ret)
		ret = file_write_atomic(pvs_path(p, "signatures-results.json"), json, len, 1);
	free(json);
	return ret;
}

/* The results are signed once; a reprint reuses (and re-checks) them. */
static int pvs_signatures(struct pvs *p)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = store_file_get(p->s.db, "signatures-results.json", &buf, &len);

	if (ret == ERR_NOTFOUND)
		ret = pvs_sign(p);
	else if (!ret)
		ret = pvs_reuse(p, buf, len);
	free(buf);
	return ret;
}

static int pvs_inputs(struct pvs *p)
{
	struct pv_inputs *in = &p->in;
	int ret;

	in->e = p->s.e;
	in->rec = &p->s.rec;
	in->results_json = p->results;
	in->results_len = p->results_len;
	in->simulation = boot_simulation_build();
	ret = hash_sha256(p->results, p->results_len, in->results_sha256);
	if (!ret)
		ret = pvs_meta_hash(p, "urn_sha256", in->urn_sha256);
	if (!ret)
		ret = pvs_meta_hash(p, "emargement_sha256", in->emargement_sha256);
	if (!ret)
		ret = shuffle_files_digest(p->s.db, p->o->session_dir, in->shuffles_sha256);
	if (!ret)
		ret = hash_file(pvs_path(p, "ballots-decrypted.bin"), in->decrypted_sha256, NULL);
	if (!ret)
		ret = journal_head(p->s.db, in->journal_head, NULL);
	if (!ret)
		ret = boot_firmware_hash(in->firmware_sha256);
	in->n_sigs = p->sigs.n;
	for (unsigned i = 0; i < p->sigs.n; i++) {
		in->sigs[i].card = p->sigs.sigs[i].card;
		memcpy(in->sigs[i].sig, p->sigs.sigs[i].sig, 64);
	}
	return ret;
}

static int pvs_render(struct pvs *p)
{
	int ret;

	mkdir(pvs_path(p, "pv"), 0755);
	ret = pv_render_session(&p->in, p->path);
	if (!ret)
		ret = journal_append(p->s.db, "pv.rendered", "signatures=%u", p->in.n_sigs);
	if (!ret)
		ui_say(p->u, UI_OK, msg(MSG_PV_WRITTEN), pvs_path(p, "pv"));
	return ret;
}

static int pvs_print(struct pvs *p)
{
#ifdef CONFIG_PRINT
	int ret = pvprint_run(&p->in, pvs_path(p, "pv"), p->o->printer, p->o->paper_mm, p->u);

	if (!ret)
		ret = journal_append(p->s.db, "pv.printed", "printer=%s", p->o->printer);
	else
		journal_append(p->s.db, "pv.print-failed", "printer=%s error=%d", p->o->printer,
			       ret);
	return ret;
#else
	err_detail("this build has no printer support");
	session_say_error(p->u, ERR_USAGE);
	return ERR_USAGE;
#endif
}

int pvmake_run(const struct counting_opts *o, struct ui *u)
{
	struct pvs p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.u = u;
	err_clear();
	ret = pvs_open(&p);
	if (!ret)
		ret = pvs_signatures(&p);
	if (!ret)
		ret = pvs_inputs(&p);
	if (!ret)
		ret = pvs_render(&p);
	if (ret && !p.told)
		session_say_error(u, ret);
	if (!ret && o->printer)
		ret = pvs_print(&p); /* reports its own failure, with how to retry */
	free(p.results);
	session_close(&p.s);
	return ret;
}
