/*
 * The count proper, after decryption (needs no card): count every ballot
 * set aside at import as nul with its reason, classify every decrypted
 * ballot of the shuffled lists by docs/RULES.md, tally per scrutin, compute
 * the seats, and write the decrypted-ballots file and the results file.
 * Everything is derived from the session's data in a fixed order (set-aside
 * ballots by seq, decrypted ones by scrutin and position), so the same
 * session gives byte-identical files, whatever --jobs was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/count_run.h"
#include "session/session.h"
#include "format/decrypted.h"
#include "lib/err.h"
#include "lib/fault.h"
#include "lib/file.h"
#include "store/journal.h"
#include "count/count.h"
#include "format/results.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

struct tal {
	struct store *db;
	const struct election *e;
	struct ui *u;
	const char *dir;
	struct tally *tallies[ELECTION_MAX_SCRUTINS];
	struct count_results *results[ELECTION_MAX_SCRUTINS];
	struct decfile_writer *dec;
	uint8_t dec_hash[32];
	uint64_t n_ballots;   /* decrypted: in ballots-decrypted.bin */
	uint64_t n_aside;
	uint64_t aside_last;  /* seq of the last set-aside ballot counted */
	char path[4096];
};

static const char *tal_path(struct tal *t, const char *name)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	return t->path;
}

/* A ballot set aside at import: nul with its reason, in its scrutin. */
static int tal_aside(uint64_t seq, unsigned scrutin, const char *reason, void *arg)
{
	struct tal *t = arg;
	enum ballot_reason r;
	struct ballot_class bc;
	int ret = ballot_reason_from_name(reason, &r);

	if (ret || (r != BALLOT_NUL_PROOF_FAILED && r != BALLOT_NUL_DUPLICATE) ||
	    !election_scrutin(t->e, (uint16_t)scrutin)) {
		err_detail("set-aside ballot %llu: scrutin %u, reason '%s'",
			   (unsigned long long)seq, scrutin, reason);
		return ERR_FORMAT;
	}
	t->aside_last = seq;
	ret = ballot_nul(r, &bc);
	if (!ret)
		ret = tally_add(t->tallies[scrutin - 1], &bc);
	return ret;
}

static int tal_set_aside(struct tal *t)
{
	unsigned n = 0;
	int ret;

	do {
		ret = store_set_aside_read(t->db, t->aside_last, STORE_CHUNK_MAX, tal_aside, t, &n);
		t->n_aside += n;
	} while (!ret && n == STORE_CHUNK_MAX);
	return ret;
}

/* One decrypted ballot: its class (docs/RULES.md "Ballots"), into its
 * scrutin's tally, and into the decrypted-ballots file. */
static int tal_ballot(const struct decrypted_ballot *d, void *arg)
{
	struct tal *t = arg;
	const struct scrutin *s = election_scrutin(t->e, d->scrutin);
	struct ballot_class bc;
	int ret;

	if (!s || d->pt_len != s->pt_len) {
		err_detail("decrypted ballot %u/%u: unknown scrutin or wrong length", d->scrutin,
			   (unsigned)d->idx);
		return ERR_FORMAT;
	}
	if (d->status == DECFILE_UNREADABLE)
		ret = ballot_nul(BALLOT_NUL_UNREADABLE, &bc);
	else
		ret = ballot_classify(s, d->pt, d->pt_len, &bc);
	if (!ret)
		ret = tally_add(t->tallies[d->scrutin - 1], &bc);
	if (!ret)
		ret = decfile_add(t->dec, d);
	return ret;
}

/* ballots-decrypted.bin, written aside (.tmp) and renamed into place: a
 * count cut off, or a full disk, never leaves a partial file under its
 * name, and the next count writes the same bytes again. */
static int tal_decfile(struct tal *t)
{
	char tmp[sizeof(t->path) + 8];
	int ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp", tal_path(t, "ballots-decrypted.bin"));
	unlink(tmp);
	ret = decfile_open(tmp, (uint32_t)t->n_ballots, &t->dec);
	if (!ret)
		ret = store_decrypted_each(t->db, tal_ballot, t);
	if (!ret)
		ret = decfile_close(t->dec, t->dec_hash);
	else
		decfile_abort(t->dec);
	t->dec = NULL;
	if (!ret)
		ret = file_rename(tmp, tal_path(t, "ballots-decrypted.bin"));
	if (ret)
		unlink(tmp);
	return ret;
}

static int tal_classify(struct tal *t)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < t->e->n_scrutins; i++)
		ret = tally_new(&t->e->scrutins[i], &t->tallies[i]);
	if (!ret)
		ret = store_count_rows(t->db, "decrypted", &t->n_ballots);
	if (!ret)
		ret = tal_set_aside(t);
	if (!ret)
		ret = tal_decfile(t);
	for (unsigned i = 0; !ret && i < t->e->n_scrutins; i++)
		ret = count_compute(&t->e->scrutins[i], t->tallies[i], &t->results[i]);
	return ret;
}

struct tal_irreg {
	struct results *doc;
	uint64_t cap;
};

static int tal_irregularity(unsigned scrutin, const char *kind, const char *detail,
			    void *arg)
{
	struct tal_irreg *ti = arg;
	struct results *doc = ti->doc;
	struct results_irreg *g = &doc->irreg[doc->n_irreg];

	if (doc->n_irreg >= ti->cap || strlen(kind) >= sizeof(g->kind) ||
	    strlen(detail) >= sizeof(g->detail)) {
		err_detail("irregularity %u: too many, or a text too long", doc->n_irreg + 1);
		return ERR_RANGE;
	}
	g->scrutin = scrutin;
	memcpy(g->kind, kind, strlen(kind) + 1);
	memcpy(g->detail, detail, strlen(detail) + 1);
	doc->n_irreg++;
	return 0;
}

/* An input's hash as the session recorded it at import (absent: none). */
static int tal_meta_hash(struct tal *t, const char *key, uint8_t out[32], int *has)
{
	char v[80];

	*has = store_meta_get(t->db, key, v, sizeof(v)) == 0;
	return *has ? hex_decode(v, out, 32) : 0;
}

static int tal_inputs(struct tal *t, struct results *doc)
{
	uint8_t *rec = NULL;
	size_t len = 0;
	int ret = store_file_get(t->db, "record.json", &rec, &len);

	if (!ret)
		ret = hash_sha256(rec, len, doc->record_sha256);
	free(rec);
	if (!ret)
		ret = tal_meta_hash(t, "urn_sha256", doc->urn, &doc->has_urn);
	if (!ret)
		ret = tal_meta_hash(t, "emargement_sha256", doc->emargement,
				    &doc->has_emargement);
	return ret;
}

/* The results document: the session's inputs and every scrutin's count. */
static int tal_build(struct tal *t, struct results *doc)
{
	struct tal_irreg ti = { doc, 0 };
	int ret;

	memset(doc, 0, sizeof(*doc));
	memcpy(doc->election_id, t->e->id, 32);
	doc->dec_count = t->n_ballots;
	memcpy(doc->dec_sha256, t->dec_hash, 32);
	ret = store_count_rows(t->db, "irregularities", &ti.cap);
	if (!ret && ti.cap > RESULTS_MAX_IRREGULARITIES) {
		err_detail("%llu irregularities, more than a results file holds",
			   (unsigned long long)ti.cap);
		ret = ERR_RANGE;
	}
	if (!ret) {
		doc->irreg = calloc((size_t)ti.cap + 1, sizeof(*doc->irreg));
		doc->scrutins = calloc(t->e->n_scrutins, sizeof(*doc->scrutins));
		ret = doc->irreg && doc->scrutins ? tal_inputs(t, doc) : ERR_NOMEM;
	}
	if (!ret)
		ret = store_irregularities_each(t->db, tal_irregularity, &ti);
	for (unsigned i = 0; !ret && i < t->e->n_scrutins; i++) {
		ret = count_results_doc(t->results[i], &doc->scrutins[i]);
		doc->n_scrutins = i + 1;
	}
	return ret;
}

/* The session's copy of the results. A session left by an older build
 * may hold it already (stored before its phase): the same bytes are kept,
 * other bytes are a session that cannot be trusted. */
static int tal_store_results(struct tal *t, const char *text, size_t len)
{
	uint8_t *old = NULL;
	size_t old_len = 0;
	int ret = store_file_get(t->db, "results.json", &old, &old_len);

	if (ret == ERR_NOTFOUND)
		return store_file_put(t->db, "results.json", text, len);
	if (!ret && (old_len != len || memcmp(old, text, len) != 0)) {
		err_detail("session.db holds other results than the ones counted again");
		ret = ERR_VERIFY;
	}
	free(old);
	return ret;
}

/* The canonical text: what is hashed, signed and compared on recount. The
 * file comes first: once the phase says counted, it must be there. */
static int tal_write(struct tal *t, char **text, size_t *len, uint8_t hash[32])
{
	struct results doc;
	int ret = tal_build(t, &doc);

	if (!ret)
		ret = results_write(&doc, text, len);
	results_free(&doc);
	if (!ret)
		ret = hash_sha256(*text, *len, hash);
	if (!ret)
		ret = file_write_atomic(tal_path(t, "results.json"), *text, *len, 1);
	return ret;
}

/* The results, their hash, the phase and its journal entry: one
 * transaction, so that a count cut off has stored all of them or none. */
static int tal_commit(struct tal *t, struct session *s, const char *text, size_t len,
		      const char *hex)
{
	int ret = store_begin(t->db);

	if (ret)
		return ret;
	ret = tal_store_results(t, text, len);
	if (!ret)
		ret = store_meta_set(t->db, "results_sha256", hex);
	if (!ret)
		ret = session_advance(s, PHASE_COUNTED, "count.done",
				      "results_sha256=%s ballots=%llu set_aside=%llu", hex,
				      (unsigned long long)(t->n_ballots + t->n_aside),
				      (unsigned long long)t->n_aside);
	if (ret) {
		store_rollback(t->db);
		s->phase = PHASE_DECRYPTED;
		return ret;
	}
	fault_point("count:commit:before");
	ret = store_commit(t->db);
	if (ret) {
		store_rollback(t->db);
		s->phase = PHASE_DECRYPTED;
		return ret;
	}
	fault_point("count:commit:after");
	return 0;
}

/* What the bureau sees on screen before any PV is printed. */
static void tal_show(struct tal *t, const struct count_results *r)
{
	const struct scrutin *s = r->scrutin;

	ui_say(t->u, UI_STEP, msg(MSG_RESULT_SCRUTIN), s->id, s->college,
	       election_body_name(s->body));
	ui_say(t->u, UI_INFO, msg(MSG_RESULT_NUMBERS), (unsigned long long)r->inscrits,
	       (unsigned long long)r->votants, (unsigned long long)r->blancs,
	       (unsigned long long)r->nuls, (unsigned long long)r->sve);
	if (r->quorum == COUNT_QUORUM_NOT_REACHED)
		ui_say(t->u, UI_WARN, "%s", msg(MSG_RESULT_NO_QUORUM));
	for (unsigned l = 0; l < r->n_lists; l++) {
		const struct count_list *cl = &r->lists[l];
		ui_say(t->u, UI_INFO, msg(MSG_RESULT_LIST), cl->def->name,
		       (unsigned long long)cl->ballots, cl->seats_filled, cl->seats_vacant);
		for (unsigned k = 0; k < cl->n_candidates; k++) {
			const struct count_candidate *c = &cl->candidates[cl->ranked[k]];
			if (c->elected)
				ui_say(t->u, UI_OK, msg(MSG_RESULT_ELECTED), c->def->first_name,
				       c->def->last_name);
		}
	}
	if (r->seats_undecided)
		ui_say(t->u, UI_WARN, msg(MSG_RESULT_TIE), r->seats_undecided);
}

static void tal_free(struct tal *t)
{
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++) {
		tally_free(t->tallies[i]);
		count_results_free(t->results[i]);
	}
}

int counting_tally(struct session *s, struct ui *u)
{
	struct tal t;
	uint8_t hash[32];
	char hex[65], *text = NULL;
	size_t len = 0;
	int ret;

	memset(&t, 0, sizeof(t));
	memset(hash, 0, sizeof(hash));
	t.db = s->db;
	t.e = s->e;
	t.u = u;
	t.dir = s->dir;
	ret = tal_classify(&t);
	if (!ret)
		ret = tal_write(&t, &text, &len, hash);
	hex_encode(hash, 32, hex);
	if (!ret)
		ret = tal_commit(&t, s, text, len, hex);
	free(text);
	for (unsigned i = 0; !ret && i < t.e->n_scrutins; i++)
		tal_show(&t, t.results[i]);
	if (!ret)
		ui_say(u, UI_OK, msg(MSG_RESULT_FILE), tal_path(&t, "results.json"), hex);
	tal_free(&t);
	return ret;
}
