/*
 * The count proper, after decryption (needs no card): classify every
 * decrypted ballot by docs/RULES.md, tally per scrutin, compute the seats, and
 * write the decrypted-ballots file and the results file. Everything is
 * derived from the session's data in urn order, so the same session gives
 * byte-identical files, whatever --jobs was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "session/count_run.h"
#include "session/session.h"
#include "format/decrypted.h"
#include "lib/err.h"
#include "lib/file.h"
#include "store/journal.h"
#include "lib/json_util.h"
#include "count/count.h"
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
	uint64_t *dups;
	size_t n_dups, next_dup;
	struct decfile_writer *dec;
	uint8_t dec_hash[32];
	uint64_t n_ballots;
	char path[4096];
};

static const char *tal_path(struct tal *t, const char *name)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	return t->path;
}

static int tal_is_dup(struct tal *t, uint64_t seq)
{
	while (t->next_dup < t->n_dups && t->dups[t->next_dup] < seq)
		t->next_dup++;
	return t->next_dup < t->n_dups && t->dups[t->next_dup] == seq;
}

/* One ballot: its class (docs/RULES.md "Ballots"), into its scrutin's tally. */
static int tal_ballot(const struct decrypted_ballot *d, void *arg)
{
	struct tal *t = arg;
	const struct scrutin *s = election_scrutin(t->e, d->scrutin);
	struct ballot_class bc;
	int ret;

	if (!s) {
		err_detail("ballot %llu: unknown scrutin %u", (unsigned long long)d->seq,
			   d->scrutin);
		return ERR_INTERNAL;
	}
	if (tal_is_dup(t, d->seq))
		ret = ballot_nul(BALLOT_NUL_DUPLICATE, &bc);
	else if (!d->opened)
		ret = ballot_nul(BALLOT_NUL_UNDECRYPTABLE, &bc);
	else
		ret = ballot_classify(s, d->pt, d->pt_len, &bc);
	if (!ret)
		ret = tally_add(t->tallies[d->scrutin - 1], &bc);
	if (!ret)
		ret = decfile_add(t->dec, d);
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
		ret = store_duplicate_seqs(t->db, &t->dups, &t->n_dups);
	unlink(tal_path(t, "ballots-decrypted.bin"));
	if (!ret)
		ret = decfile_open(tal_path(t, "ballots-decrypted.bin"), (uint32_t)t->n_ballots,
				   &t->dec);
	if (!ret)
		ret = store_decrypted_each(t->db, tal_ballot, t);
	if (!ret)
		ret = decfile_close(t->dec, t->dec_hash);
	else
		decfile_abort(t->dec);
	t->dec = NULL;
	for (unsigned i = 0; !ret && i < t->e->n_scrutins; i++)
		ret = count_compute(&t->e->scrutins[i], t->tallies[i], &t->results[i]);
	return ret;
}

static json_t *tal_hex(const uint8_t *b)
{
	char hex[65];

	hex_encode(b, 32, hex);
	return json_string(hex);
}

static json_t *tal_meta_str(struct tal *t, const char *key)
{
	char v[80];

	return store_meta_get(t->db, key, v, sizeof(v)) == 0 ? json_string(v) : NULL;
}

static int tal_irregularity(unsigned scrutin, const char *kind, const char *detail,
			    void *arg)
{
	json_t *o = json_pack("{s:i, s:s, s:s}", "scrutin", (json_int_t)scrutin, "kind",
			      kind, "detail", detail);

	return o && json_array_append_new(arg, o) == 0 ? 0 : ERR_NOMEM;
}

static int tal_inputs(struct tal *t, json_t **out)
{
	uint8_t *rec = NULL, h[32];
	size_t len = 0;
	int ret = store_file_get(t->db, "record.json", &rec, &len);

	if (!ret)
		ret = hash_sha256(rec, len, h);
	free(rec);
	if (ret)
		return ret;
	*out = json_pack("{s:o, s:o*, s:o*}", "record_sha256", tal_hex(h), "urn_sha256",
			 tal_meta_str(t, "urn_sha256"), "emargement_sha256",
			 tal_meta_str(t, "emargement_sha256"));
	return *out ? 0 : ERR_NOMEM;
}

static int tal_build(struct tal *t, json_t **out)
{
	json_t *scr = json_array(), *irr = json_array(), *inputs = NULL, *o;
	int ret = scr && irr ? tal_inputs(t, &inputs) : ERR_NOMEM;

	if (!ret)
		ret = store_irregularities_each(t->db, tal_irregularity, irr);
	for (unsigned i = 0; !ret && i < t->e->n_scrutins; i++) {
		ret = count_results_json(t->results[i], &o);
		if (!ret && json_array_append_new(scr, o) != 0)
			ret = ERR_NOMEM;
	}
	if (ret) {
		json_decref(scr);
		json_decref(irr);
		json_decref(inputs);
		return ret;
	}
	*out = json_pack("{s:s, s:o, s:o, s:{s:s, s:I, s:o}, s:o, s:o}", "format",
			 COUNT_RESULTS_FORMAT, "election_id", tal_hex(t->e->id), "inputs", inputs,
			 "decrypted_ballots", "file", "ballots-decrypted.bin", "count",
			 (json_int_t)t->n_ballots, "sha256", tal_hex(t->dec_hash),
			 "irregularities", irr, "scrutins", scr);
	return *out ? 0 : ERR_NOMEM;
}

/* The canonical text: what is hashed, signed and compared on recount. */
static int tal_write(struct tal *t, uint8_t hash[32])
{
	json_t *root = NULL;
	char *text = NULL;
	size_t len = 0;
	int ret = tal_build(t, &root);

	if (!ret)
		ret = jutil_dump(root, &text, &len);
	json_decref(root);
	if (!ret)
		ret = hash_sha256(text, len, hash);
	unlink(tal_path(t, "results.json"));
	if (!ret)
		ret = file_write_atomic(tal_path(t, "results.json"), text, len, 0);
	if (!ret)
		ret = store_file_put(t->db, "results.json", text, len);
	free(text);
	return ret;
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
	free(t->dups);
}

int counting_tally(struct session *s, struct ui *u)
{
	struct tal t;
	uint8_t hash[32];
	char hex[65];
	int ret;

	memset(&t, 0, sizeof(t));
	t.db = s->db;
	t.e = s->e;
	t.u = u;
	t.dir = s->dir;
	ret = tal_classify(&t);
	if (!ret)
		ret = tal_write(&t, hash);
	hex_encode(hash, 32, hex);
	if (!ret)
		ret = store_meta_set(t.db, "results_sha256", hex);
	if (!ret)
		ret = session_advance(s, PHASE_COUNTED);
	if (!ret)
		ret = journal_append(t.db, "count.done", "results_sha256=%s ballots=%llu", hex,
				     (unsigned long long)t.n_ballots);
	for (unsigned i = 0; !ret && i < t.e->n_scrutins; i++)
		tal_show(&t, t.results[i]);
	if (!ret)
		ui_say(u, UI_OK, msg(MSG_RESULT_FILE), tal_path(&t, "results.json"), hex);
	tal_free(&t);
	return ret;
}
