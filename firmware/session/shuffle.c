/* The shuffles of the import; see shuffle.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/shuffle.h"
#include "format/shuffle_file.h"
#include "lib/err.h"
#include "lib/fault.h"
#include "lib/file.h"
#include "lib/hex.h"
#include "session/session.h"
#include "session/shuffle.h"
#include "store/journal.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define SHF_TRIES 3 /* a draw at infinity (about 2^-250) starts the shuffle again */

struct shf {
	struct session *s;
	const struct election *e;
	const uint8_t *pk;
	struct ui *u;
	unsigned jobs;
	FILE *in[ELECTION_MAX_SCRUTINS];       /* each scrutin's inputs, A || B */
	uint32_t n[ELECTION_MAX_SCRUTINS];     /* its ballots kept */
	uint64_t kept, aside;
	/* The set-aside seqs, read a page at a time beside the ballots. */
	uint64_t page[STORE_CHUNK_MAX], last;
	unsigned page_n, page_i;
	int page_end;
	struct rng *rng;
	const char *from; /* the recount: the original session's shuffle files */
	char path[SESSION_PATH_MAX + 64], part[SESSION_PATH_MAX + 64];
};

static const char *shf_name(struct shf *x, char *out, uint16_t scrutin, const char *suffix)
{
	char name[SHUFFLE_FILE_NAME_MAX];

	shuffle_file_name(scrutin, name);
	snprintf(out, sizeof(x->path), "%s/%s%s", x->s->dir, name, suffix);
	return out;
}

/* What a previous attempt left: its shuffle files and their rows. */
static int shf_clear(struct shf *x)
{
	int ret = store_shuffles_clear(x->s->db);

	for (unsigned i = 0; i < x->e->n_scrutins; i++) {
		uint16_t id = x->e->scrutins[i].id;
		unlink(shf_name(x, x->path, id, ""));
		unlink(shf_name(x, x->path, id, ".part"));
		unlink(shf_name(x, x->path, id, ".inputs.part"));
	}
	if (!ret)
		fault_point("shuffle:cleared");
	return ret;
}

/* ---- the inputs, in urn order -------------------------------------------- */

static int shf_page_row(uint64_t seq, unsigned scrutin, const char *reason, void *arg)
{
	struct shf *x = arg;

	(void)scrutin;
	(void)reason;
	x->page[x->page_n++] = seq;
	x->last = seq;
	return 0;
}

/* 1 if ballot seq was set aside (the seqs asked for only grow). */
static int shf_is_aside(struct shf *x, uint64_t seq, int *ret)
{
	for (;;) {
		if (x->page_i < x->page_n && x->page[x->page_i] < seq) {
			x->page_i++;
			continue;
		}
		if (x->page_i < x->page_n)
			return x->page[x->page_i] == seq;
		if (x->page_end)
			return 0;
		x->page_n = x->page_i = 0;
		*ret = store_set_aside_read(x->s->db, x->last, STORE_CHUNK_MAX, shf_page_row, x,
					    &x->page_n);
		x->page_end = *ret != 0 || x->page_n < STORE_CHUNK_MAX;
		if (*ret)
			return 0;
	}
}

static int shf_input(uint64_t seq, const uint8_t *tracker, const uint8_t *record, void *arg)
{
	struct shf *x = arg;
	uint16_t scrutin = ballot2_scrutin(record);
	const struct scrutin *sc = election_scrutin(x->e, scrutin);
	int ret = 0;

	(void)tracker;
	if (shf_is_aside(x, seq, &ret) || ret) {
		x->aside += !ret;
		return ret;
	}
	if (!sc || x->n[scrutin - 1] >= SHUFFLE_MAX_N) {
		err_detail("ballot %llu: scrutin %u unknown, or more than %u ballots in it",
			   (unsigned long long)seq, scrutin, SHUFFLE_MAX_N);
		return ERR_RANGE;
	}
	if (!x->in[scrutin - 1]) {
		int fd = open(shf_name(x, x->path, scrutin, ".inputs.part"),
			      O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		x->in[scrutin - 1] = fd >= 0 ? fdopen(fd, "w+b") : NULL;
		if (!x->in[scrutin - 1]) {
			if (fd >= 0)
				close(fd);
			err_detail("%s: %s", x->path, strerror(errno));
			return err_from_errno(errno);
		}
	}
	if (fwrite(record + BALLOT2_OFF_A, SHUFFLE_CT_LEN, 1, x->in[scrutin - 1]) != 1) {
		err_detail("%s: write failed: %s", shf_name(x, x->path, scrutin, ".inputs.part"),
			   strerror(errno));
		return err_from_errno(errno);
	}
	x->n[scrutin - 1]++;
	x->kept++;
	return 0;
}

/* One pass over the stored ballots: each scrutin's inputs file. */
static int shf_inputs(struct shf *x)
{
	uint64_t after = 0, want = 0;
	unsigned n = 0;
	int ret;

	do {
		ret = store_ballots_read(x->s->db, after, STORE_CHUNK_MAX, shf_input, x, &n);
		after += n;
	} while (!ret && n > 0);
	for (unsigned i = 0; !ret && i < ELECTION_MAX_SCRUTINS; i++)
		if (x->in[i] && fflush(x->in[i]) != 0) {
			err_detail("%s: write failed: %s",
				   shf_name(x, x->path, (uint16_t)(i + 1), ".inputs.part"),
				   strerror(errno));
			ret = err_from_errno(errno);
		}
	if (!ret)
		ret = store_count_rows(x->s->db, "set_aside", &want);
	if (!ret && want != x->aside) {
		err_detail("session.db: %llu ballots set aside, %llu found among the ballots",
			   (unsigned long long)want, (unsigned long long)x->aside);
		ret = ERR_FORMAT;
	}
	if (!ret)
		fault_point("shuffle:inputs");
	return ret;
}

/* ---- one scrutin -------------------------------------------------------------- */

struct shf_io {
	uint16_t scrutin;
	int fd;
	struct shuffle_file_writer *w;
	struct shuffle_file_reader *r;
};

/* The prover asks for inputs in a secret order: nothing here may note it. */
static int shf_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	const struct shf_io *io = ctx;
	size_t len = (size_t)count * SHUFFLE_CT_LEN;
	off_t off = (off_t)first * SHUFFLE_CT_LEN;

	while (len) {
		ssize_t got = pread(io->fd, out, len, off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err_detail("the shuffle's inputs file cannot be read back");
			return ERR_IO;
		}
		out += got;
		len -= (size_t)got;
		off += got;
	}
	return 0;
}

static int shf_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		     const uint8_t *data)
{
	struct shf_io *io = ctx;

	/* a crash point with the file half-written: the shuffled list is
	 * out, the proof not yet */
	if (part == SHUFFLE_C && first == 0)
		fault_pointf("shuffle:%u:list-written", io->scrutin);
	return shuffle_file_write(io->w, part, first, count, data);
}

static int shf_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		    uint8_t *out)
{
	struct shf_io *io = ctx;

	return shuffle_file_read(io->r, part, first, count, out);
}

/* The recount: the original session's shuffle file of this scrutin, copied
 * into <file>.part (synced) and its proof checked in full against the
 * inputs the recount's own import gave, so that the recount decrypts the
 * very lists the first count decrypted, and trusts none of them. */
static int shf_take(struct shf *x, const struct shuffle_statement *st, int fd,
		    uint8_t sha[32])
{
	struct shuffle_file_header h;
	struct shf_io io = { st->scrutin_id, fd, NULL, NULL };
	struct shuffle_io sio = { &io, shf_read_inputs, NULL, shf_read };
	char name[SHUFFLE_FILE_NAME_MAX], src[SESSION_PATH_MAX + 64];
	int ret;

	memcpy(h.election_id, st->election_id, 32);
	h.scrutin = st->scrutin_id;
	h.n = st->n;
	shuffle_file_name(st->scrutin_id, name);
	snprintf(src, sizeof(src), "%s/%s", x->from, name);
	shf_name(x, x->part, st->scrutin_id, ".part");
	unlink(x->part);
	ret = hash_file_copy(src, x->part, sha, NULL);
	if (!ret)
		ret = shuffle_file_open(x->part, &h, &io.r);
	if (!ret)
		ret = shuffle_verify(st, &sio, x->jobs);
	shuffle_file_close(io.r);
	if (ret) {
		char why[256];
		snprintf(why, sizeof(why), "%s", err_last_detail());
		err_detail("%s: not taken: %s", src, why);
	}
	return ret;
}

/* Proves into <file>.part, synced; ERR_CRYPTO (a draw at infinity) is tried again. */
static int shf_prove(struct shf *x, const struct shuffle_statement *st, int fd,
		     uint8_t sha[32])
{
	struct shuffle_file_header h;
	struct shf_io io = { st->scrutin_id, fd, NULL, NULL };
	struct shuffle_io sio = { &io, shf_read_inputs, shf_write, NULL };
	int ret = ERR_CRYPTO;

	memcpy(h.election_id, st->election_id, 32);
	h.scrutin = st->scrutin_id;
	h.n = st->n;
	shf_name(x, x->part, st->scrutin_id, ".part");
	for (int t = 0; ret == ERR_CRYPTO && t < SHF_TRIES; t++) {
		unlink(x->part);
		ret = shuffle_file_create(x->part, &h, &io.w);
		if (!ret)
			ret = shuffle_prove(st, &sio, x->rng, x->jobs);
		if (!ret)
			ret = shuffle_file_finish(io.w, sha);
		else
			shuffle_file_abort(io.w);
		io.w = NULL;
	}
	return ret;
}

/* The row and its journal entry, in one transaction. */
static int shf_record(struct shf *x, uint16_t scrutin, uint32_t n, const uint8_t sha[32])
{
	char hex[65];
	int ret = store_begin(x->s->db);

	hex_encode(sha, 32, hex);
	if (!ret)
		ret = store_shuffle_put(x->s->db, scrutin, n, hex);
	if (!ret)
		ret = journal_append(x->s->db, "shuffle.written", "scrutin=%u ballots=%u sha256=%s",
				     scrutin, (unsigned)n, hex);
	if (ret) {
		store_rollback(x->s->db);
		return ret;
	}
	ret = store_commit(x->s->db);
	if (!ret)
		fault_pointf("shuffle:%u:recorded", scrutin);
	return ret;
}

static int shf_scrutin(struct shf *x, const struct scrutin *sc)
{
	struct shuffle_statement st;
	FILE *in = x->in[sc->id - 1];
	uint8_t sha[32];
	int ret;

	memset(&st, 0, sizeof(st));
	memcpy(st.election_id, x->e->id, 32);
	st.scrutin_id = sc->id;
	memcpy(st.pk, x->pk, sizeof(st.pk));
	st.n = x->n[sc->id - 1];
	ui_say(x->u, UI_INFO, msg(x->from ? MSG_SHUFFLE_TAKE : MSG_SHUFFLE_SCRUTIN), sc->id,
	       sc->college, election_body_name(sc->body), (unsigned)st.n);
	ret = x->from ? shf_take(x, &st, fileno(in), sha) : shf_prove(x, &st, fileno(in), sha);
	if (!ret)
		fault_pointf("shuffle:%u:proved", sc->id);
	if (!ret)
		ret = file_rename(x->part, shf_name(x, x->path, sc->id, ""));
	if (!ret)
		ret = shf_record(x, sc->id, st.n, sha);
	fclose(in);
	x->in[sc->id - 1] = NULL;
	unlink(shf_name(x, x->path, sc->id, ".inputs.part"));
	return ret;
}

/* ---- X, the digest of the shuffle files ------------------------------------ */

struct shf_digest {
	const char *dir;
	unsigned n;
	uint8_t id[ELECTION_MAX_SCRUTINS][2];
	uint8_t sha[ELECTION_MAX_SCRUTINS][32];
};

static int shf_digest_row(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg)
{
	struct shf_digest *g = arg;
	char name[SHUFFLE_FILE_NAME_MAX], path[SESSION_PATH_MAX + 64], hex[65];
	int ret;

	(void)n;
	if (g->n >= ELECTION_MAX_SCRUTINS)
		return ERR_RANGE;
	shuffle_file_name((uint16_t)scrutin, name);
	snprintf(path, sizeof(path), "%s/%s", g->dir, name);
	ret = hash_file(path, g->sha[g->n], NULL);
	if (!ret)
		hex_encode(g->sha[g->n], 32, hex);
	if (!ret && strcmp(hex, sha256_hex) != 0) {
		err_detail("%s: not the file the import recorded", path);
		ret = ERR_VERIFY;
	}
	g->id[g->n][0] = (uint8_t)(scrutin >> 8);
	g->id[g->n][1] = (uint8_t)scrutin;
	g->n += !ret;
	return ret;
}

int shuffle_files_digest(struct store *db, const char *dir, uint8_t out[32])
{
	struct shf_digest g;
	struct hash_part parts[2 * ELECTION_MAX_SCRUTINS];
	int ret;

	memset(&g, 0, sizeof(g));
	g.dir = dir;
	ret = store_shuffles_each(db, shf_digest_row, &g);
	for (unsigned i = 0; !ret && i < g.n; i++) {
		parts[2 * i] = (struct hash_part){ g.id[i], 2 };
		parts[2 * i + 1] = (struct hash_part){ g.sha[i], 32 };
	}
	if (!ret)
		ret = hash_tagged("sceau/shuffle-files/v2", parts, 2 * g.n, out);
	return ret;
}

/* ---- the whole ------------------------------------------------------------------ */

static void shf_free(struct shf *x, int failed)
{
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		if (x->in[i]) {
			fclose(x->in[i]);
			unlink(shf_name(x, x->path, (uint16_t)(i + 1), ".inputs.part"));
		}
	if (failed && x->part[0])
		unlink(x->part);
	rng_free(x->rng);
}

int shuffle_session(struct session *s, const struct election *e, const uint8_t pk[65],
		    struct ui *u, unsigned jobs, const char *from)
{
	struct shf x;
	unsigned files = 0;
	int ret;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.e = e;
	x.pk = pk;
	x.u = u;
	x.jobs = jobs;
	x.from = from;
	ui_say(u, UI_STEP, "%s", msg(MSG_STEP_SHUFFLE));
	ret = rng_new(&x.rng, "sceau/shuffle/v2", NULL);
	if (!ret)
		ret = shf_clear(&x);
	if (!ret)
		ret = shf_inputs(&x);
	for (unsigned i = 0; !ret && i < x.e->n_scrutins; i++)
		if (x.n[x.e->scrutins[i].id - 1]) {
			ret = shf_scrutin(&x, &x.e->scrutins[i]);
			files++;
		}
	if (!ret)
		ret = session_advance(s, PHASE_SHUFFLED, "shuffle.done", "scrutins=%u ballots=%llu",
				      files, (unsigned long long)x.kept);
	if (!ret)
		ui_say(u, UI_OK, msg(MSG_SHUFFLE_DONE), (unsigned long long)x.kept, files);
	shf_free(&x, ret != 0);
	return ret;
}
