/*
 * The journal's entries against the published files: its chain is the
 * journal check's (verify_journal.c), but what the entries say is public
 * data too. Every hash an entry names (election_id=, urn_sha256=,
 * emargement_sha256=, results_sha256=) must be that of the archive's file;
 * the counts of import.done and count.done those of the media; each
 * irregularity entry one of results.json's irregularities.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/results.h"
#include "lib/err.h"
#include "store/store.h"
#include "verify/verify_int.h"

static const struct {
	const char *key, *file;
} vdbj_hashes[] = {
	{ "election_id", "election.json" },    { "urn_sha256", "urn.iso" },
	{ "emargement_sha256", "emargement.iso" }, { "results_sha256", "results.json" },
};

struct vdbj {
	struct vctx *c;
	struct results pub;          /* results.json's irregularities */
	int pub_ok;
	uint64_t urn_total, emarg_total;
	unsigned bad;
};

/* The value of "key=" in a detail made of space-separated key=value
 * words, into out; 0 if the detail has no such word. */
static int vdbj_value(const char *detail, const char *key, char *out, size_t n)
{
	size_t k = strlen(key);

	for (const char *p = detail; p && *p; p = strchr(p, ' '), p = p ? p + 1 : NULL) {
		size_t len;
		if (strncmp(p, key, k) != 0 || p[k] != '=')
			continue;
		p += k + 1;
		len = strcspn(p, " ");
		snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), p);
		return 1;
	}
	return 0;
}

static void vdbj_bad(struct vdbj *j, const struct journal_row *row, const char *key,
		     const char *value, const char *what)
{
	vnote(j->c, VERIFY_DATABASE, 1, VM_DB_JOURNAL_DIFF, (unsigned long long)row->seq,
	      row->event, key, value, what);
	j->bad++;
}

static void vdbj_count(struct vdbj *j, const struct journal_row *row, const char *key,
		       int known, uint64_t want, const char *what)
{
	char v[32], w[32];

	if (!known || !vdbj_value(row->detail, key, v, sizeof(v)))
		return;
	snprintf(w, sizeof(w), "%" PRIu64, want);
	if (strcmp(v, w) != 0)
		vdbj_bad(j, row, key, v, what);
}

/* "scrutin=N urn=B emargement=M": one of the published irregularities. */
static void vdbj_irregularity(struct vdbj *j, const struct journal_row *row)
{
	const char *d = strchr(row->detail, ' ');
	char s[16];

	if (!j->pub_ok)
		return;
	if (d && vdbj_value(row->detail, "scrutin", s, sizeof(s)))
		for (unsigned i = 0; i < j->pub.n_irreg; i++) {
			char n[16];
			snprintf(n, sizeof(n), "%u", j->pub.irreg[i].scrutin);
			if (strcmp(n, s) == 0 && strcmp(j->pub.irreg[i].detail, d + 1) == 0)
				return;
		}
	vdbj_bad(j, row, "scrutin", d ? row->detail : "-", "results.json");
}

static int vdbj_row(const struct journal_row *row, void *arg)
{
	struct vdbj *j = arg;
	char v[72];

	for (size_t i = 0; i < sizeof(vdbj_hashes) / sizeof(vdbj_hashes[0]); i++)
		if (vdbj_value(row->detail, vdbj_hashes[i].key, v, sizeof(v)) &&
		    !verify_sha_is(j->c, vdbj_hashes[i].file, v))
			vdbj_bad(j, row, vdbj_hashes[i].key, v, vdbj_hashes[i].file);
	if (strcmp(row->event, "import.done") == 0) {
		vdbj_count(j, row, "ballots", j->c->urn_read, j->urn_total, "urn.iso");
		vdbj_count(j, row, "emargements", j->c->emarg_read, j->emarg_total,
			   "emargement.iso");
	} else if (strcmp(row->event, "count.done") == 0) {
		vdbj_count(j, row, "ballots", j->c->urn_read, j->urn_total, "urn.iso");
	} else if (strcmp(row->event, "irregularity") == 0) {
		vdbj_irregularity(j, row);
	}
	return 0;
}

void verify_db_journal(struct vctx *c)
{
	struct vdbj j;

	memset(&j, 0, sizeof(j));
	j.c = c;
	for (unsigned i = 0; c->e && i < c->e->n_scrutins; i++) {
		j.urn_total += c->urn_counts[i];
		j.emarg_total += c->emarg_counts[i];
	}
	j.pub_ok = c->results && results_read_irregularities(c->results, c->results_len,
							      &j.pub) == 0;
	err_clear();
	if (store_journal_each(c->db, vdbj_row, &j) != 0)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "journal", vdetail());
	else if (!j.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_JOURNAL_OK);
	results_free(&j.pub);
}
