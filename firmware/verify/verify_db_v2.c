/*
 * The two small v2 tables of session.db against what the verifier found:
 * set_aside, row by row, against the ballots the verifier sets aside (the
 * same seq, scrutin and reason, in urn order, as many), and shuffles
 * against the shuffle files (one row per scrutin with a shuffle, its N and
 * the file's SHA-256).
 */
#include <stdio.h>
#include <string.h>

#include "count/classify.h"
#include "format/shuffle_file.h"
#include "lib/err.h"
#include "lib/hex.h"
#include "store/store.h"
#include "verify/verify_int.h"

#define VDB2_NOTES 8

struct vdb2 {
	struct vctx *c;
	uint64_t rows, bad, last;
};

static void vdb2_differs(struct vdb2 *r, uint64_t seq, const char *what)
{
	if (r->bad++ < VDB2_NOTES)
		vnote(r->c, VERIFY_DATABASE, 1, VM_DB_ASIDE_DIFF, (unsigned long long)seq, what);
}

static int vdb2_aside_row(uint64_t seq, unsigned scrutin, const char *reason, void *arg)
{
	struct vdb2 *r = arg;
	const struct vaside *a = r->rows < r->c->n_aside ? &r->c->aside[r->rows] : NULL;

	r->rows++;
	r->last = seq;
	if (!a)
		vdb2_differs(r, seq, "the verifier sets aside no ballot there");
	else if (a->seq != seq)
		vdb2_differs(r, seq, "not the ballot the verifier sets aside there");
	else if (a->scrutin != scrutin)
		vdb2_differs(r, seq, "another scrutin");
	else if (strcmp(ballot_reason_name((enum ballot_reason)a->reason), reason ? reason : ""))
		vdb2_differs(r, seq, "another reason");
	return 0;
}

static void vdb2_set_aside(struct vctx *c)
{
	struct vdb2 r = { c, 0, 0, 0 };
	unsigned n = 0;
	int ret;

	if (!c->urn_read) {
		vnote(c, VERIFY_DATABASE, 0, VM_DB_NOT_COMPARED, "set_aside");
		return;
	}
	err_clear();
	do {
		ret = store_set_aside_read(c->db, r.last, STORE_CHUNK_MAX, vdb2_aside_row, &r, &n);
	} while (!ret && n == STORE_CHUNK_MAX);
	if (ret)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "set_aside", vdetail());
	else if (r.rows != c->n_aside)
		vnote(c, VERIFY_DATABASE, 1, VM_DB_ASIDE_ROWS, (unsigned long long)r.rows,
		      (unsigned long long)c->n_aside);
	else if (!r.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_ASIDE_OK, (unsigned long long)r.rows);
}

struct vdb2_shuf {
	struct vctx *c;
	unsigned rows, bad;
	uint64_t seen;               /* bit i: a row for scrutin index i */
};

static int vdb2_shuf_row(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg)
{
	struct vdb2_shuf *r = arg;
	struct vctx *c = r->c;
	char name[SHUFFLE_FILE_NAME_MAX], hex[65];
	uint8_t sha[32];
	const char *why = NULL;

	r->rows++;
	if (scrutin < 1 || scrutin > c->r->n_scrutins || (r->seen >> (scrutin - 1) & 1))
		why = "no such scrutin, or a second row";
	else if (c->inputs[scrutin - 1].n == 0)
		why = "the scrutin has no ballot to shuffle";
	else if (n != c->inputs[scrutin - 1].n)
		why = "another N than the shuffle's inputs";
	if (!why && scrutin >= 1 && scrutin <= c->r->n_scrutins) {
		r->seen |= 1ull << (scrutin - 1);
		shuffle_file_name((uint16_t)scrutin, name);
		hex[0] = '\0';
		if (vexists(c, name) && vhash(c, name, sha, NULL) == 0)
			hex_encode(sha, 32, hex);
		if (!hex[0])
			why = "the shuffle file is missing";
		else if (strcmp(hex, sha256_hex ? sha256_hex : "") != 0)
			why = "not the SHA-256 of the shuffle file";
	}
	if (why) {
		r->bad++;
		vnote(c, VERIFY_DATABASE, 1, VM_DB_SHUF_DIFF, scrutin, why);
	}
	return 0;
}

static void vdb2_shuffles(struct vctx *c)
{
	struct vdb2_shuf r = { c, 0, 0, 0 };

	if (!c->shuffles_done) {
		vnote(c, VERIFY_DATABASE, 0, VM_DB_NOT_COMPARED, "shuffles");
		return;
	}
	err_clear();
	if (store_shuffles_each(c->db, vdb2_shuf_row, &r) != 0) {
		vnote(c, VERIFY_DATABASE, 1, VM_DB_TABLE_INVALID, "shuffles", vdetail());
		return;
	}
	for (unsigned i = 0; i < c->r->n_scrutins; i++)
		if (c->inputs[i].n > 0 && !(r.seen >> i & 1)) {
			r.bad++;
			vnote(c, VERIFY_DATABASE, 1, VM_DB_SHUF_DIFF, (unsigned)c->r->scrutins[i].id,
			      "no row for a scrutin with a shuffle");
		}
	if (!r.bad)
		vnote(c, VERIFY_DATABASE, 0, VM_DB_SHUF_OK, r.rows);
}

void verify_db_v2(struct vctx *c)
{
	vdb2_set_aside(c);
	vdb2_shuffles(c);
}
