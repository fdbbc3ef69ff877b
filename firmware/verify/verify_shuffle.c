/*
 * Each scrutin's shuffle, checked in full (never sampled): the inputs are
 * recomputed from the urn (its ballots of that scrutin not set aside, in
 * urn order: verify_pass.c), the outputs and the proof come from
 * shuffle-<scrutin>.bin, whose header must name this election, this
 * scrutin and N = the number of inputs; then every equation of the proof
 * (docs/FORMATS.md, "The proof of the shuffle") with the chosen
 * implementation of the checks. A scrutin without input has no file, and
 * a shuffle file that no scrutin calls for fails too: the archive holds
 * nothing the verifier has not explained.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "lib/err.h"
#include "lib/hex.h"
#include "format/shuffle_file.h"
#include "verify/verify_int.h"

struct vshuf_io {
	FILE *in;
	struct shuffle_file_reader *r;
};

static int vshuf_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	struct vshuf_io *io = ctx;
	size_t len = (size_t)count * SHUFFLE_CT_LEN;
	ssize_t got = pread(fileno(io->in), out, len, (off_t)first * SHUFFLE_CT_LEN);

	if (got < 0 || (size_t)got != len) {
		err_detail("temporary file of the shuffle's inputs: %s",
			   got < 0 ? strerror(errno) : "short read");
		return ERR_IO;
	}
	return 0;
}

static int vshuf_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		      uint8_t *out)
{
	struct vshuf_io *io = ctx;

	return shuffle_file_read(io->r, part, first, count, out);
}

static double vshuf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The proof of a file whose header matched; its outcome noted. */
static void vshuf_prove(struct vctx *c, unsigned i, const char *name,
			struct shuffle_file_reader *r)
{
	struct verify_scrutin *s = &c->r->scrutins[i];
	struct vshuf_io io = { c->inputs[i].f, r };
	struct shuffle_io sio = { &io, vshuf_inputs, NULL, vshuf_read };
	struct shuffle_statement st;
	uint8_t sha[32];
	char hex[65];
	double t0 = vshuf_now();
	int ret;

	memcpy(st.election_id, c->rec.election_id, 32);
	st.scrutin_id = s->id;
	memcpy(st.pk, c->rec.pub.pk, GROUP_POINT_LEN);
	st.n = (uint32_t)c->inputs[i].n;
	err_clear();
	ret = c->ck->shuffle_verify(&st, &sio, c->o->jobs);
	s->shuffle_seconds = vshuf_now() - t0;
	if (ret == ERR_VERIFY || ret == ERR_FORMAT) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_BAD, (unsigned)s->id, name, vdetail());
	} else if (ret) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_INVALID, (unsigned)s->id, name, vdetail());
	} else if (vhash(c, name, sha, NULL) != 0) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_FILE_UNREADABLE, name, vdetail());
	} else {
		hex_encode(sha, 32, hex);
		vnote(c, VERIFY_SHUFFLE, 0, VM_SHUF_OK, (unsigned)s->id,
		      (unsigned long long)st.n, c->ck->name, s->shuffle_seconds, name, hex);
		s->shuffle = VERIFY_SHUFFLE_PASS;
		return;
	}
	s->shuffle = VERIFY_SHUFFLE_FAIL;
}

static void vshuf_one(struct vctx *c, unsigned i)
{
	struct verify_scrutin *s = &c->r->scrutins[i];
	struct shuffle_file_header want;
	struct shuffle_file_reader *r = NULL;
	char name[SHUFFLE_FILE_NAME_MAX];
	uint64_t n = c->inputs[i].n;

	shuffle_file_name(s->id, name);
	s->shuffle = VERIFY_SHUFFLE_FAIL;
	if (n == 0 && !vexists(c, name)) {
		vnote(c, VERIFY_SHUFFLE, 0, VM_SHUF_NONE, (unsigned)s->id);
		s->shuffle = VERIFY_SHUFFLE_NONE;
	} else if (n == 0) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_UNEXPECTED, name);
	} else if (n > SHUFFLE_MAX_N) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_TOO_MANY, (unsigned)s->id,
		      (unsigned long long)n, (unsigned long long)SHUFFLE_MAX_N);
	} else if (!vexists(c, name)) {
		vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_MISSING, (unsigned)s->id,
		      (unsigned long long)n, name);
	} else {
		memcpy(want.election_id, c->rec.election_id, 32);
		want.scrutin = s->id;
		want.n = (uint32_t)n;
		err_clear();
		if (shuffle_file_open(vpath(c, name), &want, &r) != 0)
			vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_INVALID, (unsigned)s->id, name,
			      vdetail());
		else
			vshuf_prove(c, i, name, r);
		shuffle_file_close(r);
	}
}

/* A file named like a shuffle file that no scrutin of the election has. */
static void vshuf_extra(struct vctx *c)
{
	char name[SHUFFLE_FILE_NAME_MAX];
	struct dirent *de;
	DIR *d = opendir(c->dir);
	int known;

	while (d && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "shuffle-", 8) != 0)
			continue;
		known = 0;
		for (unsigned i = 0; !known && i < c->r->n_scrutins; i++) {
			shuffle_file_name(c->r->scrutins[i].id, name);
			known = strcmp(name, de->d_name) == 0;
		}
		if (!known)
			vnote(c, VERIFY_SHUFFLE, 1, VM_SHUF_UNEXPECTED, de->d_name);
	}
	if (d)
		closedir(d);
}

/* The hash the PV's hashes code carries of every shuffle file (docs/
 * FORMATS.md, "QR codes of the PV", X): H("sceau/shuffle-files/v2";
 * u16be(id), SHA-256 of shuffle-<id>.bin, for each scrutin with a shuffle
 * file, in id order). Once every shuffle holds. */
int verify_shuffles_hash(struct vctx *c, uint8_t out[32])
{
	struct hash_part *parts = calloc(2 * (size_t)c->r->n_scrutins + 1, sizeof(*parts));
	uint8_t (*ids)[2] = calloc(c->r->n_scrutins + 1, 2), (*shas)[32] =
		calloc(c->r->n_scrutins + 1, 32);
	char name[SHUFFLE_FILE_NAME_MAX];
	size_t n = 0;
	int ret = parts && ids && shas ? 0 : ERR_NOMEM;

	for (unsigned i = 0; !ret && i < c->r->n_scrutins; i++) {
		const struct verify_scrutin *s = &c->r->scrutins[i];
		if (s->shuffle != VERIFY_SHUFFLE_PASS)
			continue;
		shuffle_file_name(s->id, name);
		ids[i][0] = (uint8_t)(s->id >> 8);
		ids[i][1] = (uint8_t)s->id;
		ret = vhash(c, name, shas[i], NULL);
		parts[n].data = ids[i];
		parts[n++].len = 2;
		parts[n].data = shas[i];
		parts[n++].len = 32;
	}
	if (!ret)
		ret = hash_tagged("sceau/shuffle-files/v2", parts, n, out);
	free(parts);
	free(ids);
	free(shas);
	return ret;
}

void verify_shuffles(struct vctx *c)
{
	uint8_t x[32];
	char hex[65];

	if (!c->e || !c->record_ok) {
		vskip(c, VERIFY_SHUFFLE, VM_NEEDS_ELECTION);
		return;
	}
	if (!c->urn_read) {
		for (unsigned i = 0; i < c->r->n_scrutins; i++)
			c->r->scrutins[i].shuffle = VERIFY_SHUFFLE_NOT_CHECKED;
		vskip(c, VERIFY_SHUFFLE, VM_SHUF_NO_URN);
		return;
	}
	for (unsigned i = 0; i < c->r->n_scrutins; i++)
		vshuf_one(c, i);
	vshuf_extra(c);
	c->shuffles_done = 1;
	if (!vfailed(c, VERIFY_SHUFFLE) && verify_shuffles_hash(c, x) == 0) {
		hex_encode(x, 32, hex);
		vnote(c, VERIFY_SHUFFLE, 0, VM_SHUF_X, hex);
	}
	vdone(c, VERIFY_SHUFFLE);
}
