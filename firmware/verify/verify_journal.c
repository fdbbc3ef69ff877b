/*
 * The activity journal in session.db, opened read-only: journal_verify
 * recomputes the whole hash chain; its head must be the one the final
 * manifest names; the database must say it was sealed. Every entry's hash
 * is kept for the PV's QR code, which prints the head at printing time.
 * What the entries say is compared with the files by verify_db_journal.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "store/journal.h"
#include "lib/hex.h"
#include "store/store.h"
#include "verify/verify_int.h"

#define VJOURNAL_MAX 10000000u

static int vj_collect(const struct journal_row *row, void *arg)
{
	struct vctx *c = arg;

	if (row->seq < 1 || row->seq > c->journal_n)
		return ERR_FORMAT;
	memcpy(c->journal_hashes[row->seq - 1], row->hash, 32);
	return 0;
}

static void vj_meta(struct vctx *c, struct store *s)
{
	char phase[32], id[80];

	if (store_meta_get(s, "election_id", id, sizeof(id)) != 0 ||
	    (c->record_ok && strcmp(id, c->r->election_id) != 0))
		vnote(c, VERIFY_JOURNAL, 1, VM_JOURNAL_ELECTION);
	if (store_meta_get(s, "phase", phase, sizeof(phase)) != 0)
		snprintf(phase, sizeof(phase), "?");
	if (c->r->sealed && !store_is_sealed(s))
		vnote(c, VERIFY_JOURNAL, 1, VM_JOURNAL_NOT_SEALED, phase);
	else
		vnote(c, VERIFY_JOURNAL, 0, VM_JOURNAL_PHASE, phase);
}

static void vj_head(struct vctx *c)
{
	char hex[65];

	hex_encode(c->journal_head, 32, hex);
	vnote(c, VERIFY_JOURNAL, 0, VM_JOURNAL_OK, (unsigned long long)c->journal_n, hex);
	if (c->amf_ok && memcmp(c->amf.journal_head, c->journal_head, 32) != 0) {
		hex_encode(c->amf.journal_head, 32, hex);
		vnote(c, VERIFY_JOURNAL, 1, VM_JOURNAL_HEAD, hex);
	}
}

static void vj_check(struct vctx *c, struct store *s)
{
	int ret = journal_verify(s, &c->journal_n, c->journal_head);

	if (!ret && c->journal_n > VJOURNAL_MAX)
		ret = ERR_RANGE;
	if (!ret && c->journal_n) {
		c->journal_hashes = calloc(c->journal_n, 32);
		ret = c->journal_hashes ? store_journal_each(s, vj_collect, c) : ERR_NOMEM;
	}
	if (ret) {
		vnote(c, VERIFY_JOURNAL, 1, VM_JOURNAL_INVALID, vdetail());
		return;
	}
	c->journal_ok = 1;
	vj_head(c);
	vj_meta(c, s);
	vdone(c, VERIFY_JOURNAL);
}

/* session.db was opened (or its failure noted) by verify_db_open. */
void verify_journal(struct vctx *c)
{
	err_clear();
	if (c->db)
		vj_check(c, c->db);
}
