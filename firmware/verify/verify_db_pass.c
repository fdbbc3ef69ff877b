/*
 * The two big tables of session.db against the published files, in the
 * passes over the ballots: ballot_chunks, ballot by ballot, against
 * urn.iso's ballots.bin (tracker and record; verify_pass.c), and decrypted,
 * row by row, against ballots-decrypted.bin (verify_decrypted.c). Each table is read
 * VDB_AHEAD rows at a time, so memory stays constant whatever the size of
 * the urn.
 */
#include <stdlib.h>
#include <string.h>

#include "format/urn.h"
#include "lib/err.h"
#include "store/store.h"
#include "verify/verify_int.h"

#define VDB_AHEAD STORE_CHUNK_MAX   /* rows read from the database at a time */
#define VDB_ENTRY STORE_ENTRY_LEN
#define VDB_NOTES 8                 /* differences named per table */

/* One table read ahead: the rows of seq next .. next + n - 1. */
struct vdb_ahead {
	uint64_t next;               /* seq of row i = next + i */
	unsigned n, i;
	int broken;                  /* unreadable (noted): no more comparisons */
	int ended;                   /* no row after these: the count says the rest */
	uint64_t compared, differ;
};

struct vdb_stream {
	struct vdb_ahead bal, dec;
	uint8_t *bal_rows;           /* VDB_AHEAD × (tracker | record) */
	struct decrypted_ballot *dec_rows; /* VDB_AHEAD */
	unsigned dec_fill;           /* rows of dec_rows filled by the read */
	uint16_t dec_scrutin;        /* the position of the last decrypted row read */
	uint32_t dec_idx;
};

int verify_db_pass_start(struct vctx *c)
{
	struct vdb_stream *d;

	if (!c->db)
		return 0;
	d = calloc(1, sizeof(*d));
	if (d)
		d->bal_rows = malloc((size_t)VDB_AHEAD * VDB_ENTRY);
	if (d)
		d->dec_rows = calloc(VDB_AHEAD, sizeof(*d->dec_rows));
	if (!d || !d->bal_rows || !d->dec_rows) {
		verify_db_pass_free(c, d);
		return ERR_NOMEM;
	}
	d->bal.next = d->dec.next = 1;
	c->dbs = d;
	return 0;
}

void verify_db_pass_free(struct vctx *c, struct vdb_stream *d)
{
	if (!d)
		d = c->dbs;
	if (d == c->dbs)
		c->dbs = NULL;
	if (!d)
		return;
	free(d->bal_rows);
	free(d->dec_rows);
	free(d);
}

static int vdb_bal_row(uint64_t seq, const uint8_t *tracker, const uint8_t *record, void *arg)
{
	struct vdb_stream *d = arg;
	unsigned k = (unsigned)(seq - d->bal.next);

	if (k >= VDB_AHEAD)
		return ERR_INTERNAL;
	memcpy(d->bal_rows + (size_t)k * VDB_ENTRY, tracker, 32);
	memcpy(d->bal_rows + (size_t)k * VDB_ENTRY + 32, record, URN_RECORD_LEN);
	return 0;
}

static int vdb_dec_row(const struct decrypted_ballot *b, void *arg)
{
	struct vdb_stream *d = arg;

	if (d->dec_fill >= VDB_AHEAD)
		return ERR_INTERNAL;
	d->dec_rows[d->dec_fill++] = *b;
	d->dec_scrutin = b->scrutin;
	d->dec_idx = b->idx;
	return 0;
}

/* The next row of a table, reading ahead when needed: 1 if there is one, 0
 * at its end or once broken (an unreadable table is noted here). */
static int vdb_next(struct vctx *c, struct vdb_ahead *a, const char *table)
{
	struct vdb_stream *d = c->dbs;
	int ret;

	if (a->broken || a->ended)
		return 0;
	if (a->i < a->n)
		return 1;
	a->next += a->n;
	a->i = a->n = 0;
	d->dec_fill = 0;
	err_clear();
	if (a == &d->bal)
		ret = store_ballots_read(c->db, a->next - 1, VDB_AHEAD, vdb_bal_row, d, &a->n);
	else
		ret = store_decrypted_read(c->db, d->dec_scrutin, d->dec_idx, VDB_AHEAD,
					   vdb_dec_row, d, &a->n);
	if (ret) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, table, vdetail());
		a->broken = 1;
		return 0;
	}
	a->ended = a->n == 0;
	return a->n > 0;
}

static void vdb_differs(struct vctx *c, struct vdb_ahead *a, enum vmsg m, uint64_t seq)
{
	if (a->differ++ < VDB_NOTES)
		vnote(c, VERIFY_DATABASE, 1, m, (unsigned long long)seq);
}

void verify_db_ballot(struct vctx *c, const struct urn_ballot *b)
{
	struct vdb_stream *d = c->dbs;
	const uint8_t *row;
	uint64_t seq;

	if (!d || !vdb_next(c, &d->bal, "ballot_chunks"))
		return;
	seq = d->bal.next + d->bal.i;
	row = d->bal_rows + (size_t)d->bal.i * VDB_ENTRY;
	if (seq != b->number || memcmp(row, b->tracker, 32) != 0 ||
	    memcmp(row + 32, b->record, URN_RECORD_LEN) != 0)
		vdb_differs(c, &d->bal, VM_DB_BALLOT_DIFF, b->number);
	d->bal.i++;
	d->bal.compared++;
}

static int vdb_same_dec(const struct decrypted_ballot *x, const struct decrypted_ballot *y)
{
	return x->scrutin == y->scrutin && x->idx == y->idx && x->status == y->status &&
	       memcmp(x->S, y->S, 65) == 0 &&
	       memcmp(x->proof, y->proof, 64) == 0 && x->pt_len == y->pt_len &&
	       x->pt_len <= sizeof(x->pt) && memcmp(x->pt, y->pt, x->pt_len) == 0;
}

void verify_db_decrypted(struct vctx *c, uint64_t number, const struct decrypted_ballot *f)
{
	struct vdb_stream *d = c->dbs;
	const struct decrypted_ballot *row;

	if (!d || !vdb_next(c, &d->dec, "decrypted"))
		return;
	row = &d->dec_rows[d->dec.i];
	if (!vdb_same_dec(row, f))
		vdb_differs(c, &d->dec, VM_DB_DEC_DIFF, number);
	d->dec.i++;
	d->dec.compared++;
}

/* After the pass: the table had as many rows as the file it copies. */
static void vdb_end(struct vctx *c, struct vdb_ahead *a, const char *table, const char *file,
		    uint64_t rows, int complete, uint64_t total, enum vmsg ok)
{
	if (a->broken)
		return;
	if (!complete) {
		vskip(c, VERIFY_DATABASE, VM_DB_INCOMPLETE, table, file);
		return;
	}
	if (a->differ > VDB_NOTES)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_DIFFER_ALL, table, (unsigned long long)a->differ);
	if (rows != total)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_ROWS, table, (unsigned long long)rows, file,
		      (unsigned long long)total);
	else if (!a->differ)
		vnote(c, VERIFY_DATABASE, 0, ok, (unsigned long long)total);
}

void verify_db_pass_end(struct vctx *c, int urn_complete, uint64_t urn_total,
			int dec_complete, uint64_t dec_total)
{
	struct vdb_stream *d = c->dbs;
	uint64_t bal = 0, dec = 0;

	if (!d)
		return;
	c->db_pass_done = 1;
	err_clear();
	if (store_ballot_count(c->db, &bal) != 0 || store_count_rows(c->db, "decrypted", &dec) != 0)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_UNREADABLE, vdetail());
	else {
		vdb_end(c, &d->bal, "ballot_chunks", "urn.iso", bal, urn_complete, urn_total,
			VM_DB_BALLOTS_OK);
		vdb_end(c, &d->dec, "decrypted", "ballots-decrypted.bin", dec, dec_complete,
			dec_total, VM_DB_DEC_OK);
	}
	verify_db_pass_free(c, d);
}
