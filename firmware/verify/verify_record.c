/*
 * The public record and the election definition: record_parse is strict and
 * recomputes every share key from the commitments (Σ i^j C_j = Y_i); the
 * definition must be the one the record was made for (its SHA-256 is the
 * record's election_id).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "verify/verify_int.h"

void verify_record(struct vctx *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char hex[65];
	int ret;

	err_clear();
	ret = vread(c, "record.json", RECORD_FILE_MAX, &buf, &len);
	if (ret) {
		vnote(c, VERIFY_RECORD, 1, VM_FILE_UNREADABLE, "record.json", vdetail());
		return;
	}
	ret = hash_sha256(buf, len, c->record_sha);
	if (!ret)
		ret = record_parse(buf, len, &c->rec);
	free(buf);
	if (ret) {
		vnote(c, VERIFY_RECORD, 1, VM_RECORD_INVALID, vdetail());
		return;
	}
	c->record_ok = 1;
	hex_encode(c->rec.election_id, 32, c->r->election_id);
	snprintf(c->r->election_title, sizeof(c->r->election_title), "%s",
		 c->rec.election_title);
	vnote(c, VERIFY_RECORD, 0, VM_RECORD_OK, c->rec.pub.m, c->rec.pub.t);
	if (c->rec.simulation)
		vwarn(c, VERIFY_RECORD, VM_RECORD_SIMULATION);
	hex_encode(c->record_sha, 32, hex);
	vnote(c, VERIFY_RECORD, 0, VM_FILE_SHA, "record.json", hex);
	vdone(c, VERIFY_RECORD);
}

void verify_election(struct vctx *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	struct election *e = NULL;
	char hex[65];
	int ret;

	err_clear();
	ret = vread(c, "election.json", ELECTION_FILE_MAX, &buf, &len);
	if (ret) {
		vnote(c, VERIFY_ELECTION, 1, VM_FILE_UNREADABLE, "election.json", vdetail());
		return;
	}
	ret = election_parse(buf, len, &e);
	free(buf);
	if (ret) {
		vnote(c, VERIFY_ELECTION, 1, VM_ELECTION_INVALID, vdetail());
		return;
	}
	hex_encode(e->id, 32, hex);
	if (!c->record_ok) {
		vnote(c, VERIFY_ELECTION, 1, VM_ELECTION_NO_RECORD, hex);
		election_free(e);
		return;
	}
	if (memcmp(e->id, c->rec.election_id, 32) != 0) {
		vnote(c, VERIFY_ELECTION, 1, VM_ELECTION_MISMATCH, hex, c->r->election_id);
		election_free(e);
		return;
	}
	c->e = e;
	vnote(c, VERIFY_ELECTION, 0, VM_ELECTION_OK, hex, e->n_scrutins);
	vdone(c, VERIFY_ELECTION);
}
