/* The decrypted-ballots file: its layout once, the writer, then the strict
 * reader; see decrypted.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/group.h"
#include "crypto/hash.h"
#include "format/bin_header.h"
#include "format/decrypted.h"
#include "format/urn.h"
#include "lib/err.h"

#define DEC_NAME "ballots-decrypted.bin"

/* Offsets in an entry's fixed part. */
enum {
	DEC_SCRUTIN = 0,
	DEC_IDX = 2,
	DEC_S = 6,
	DEC_C = 71,
	DEC_Z = 103,
	DEC_STATUS = 135,
};
_Static_assert(DEC_STATUS + 1 == DECFILE_ENTRY_HEAD, "the fixed part ends with status");

/* ---- layout ----------------------------------------------------------------- */

static const struct bin_header dec_hdr = {
	DEC_NAME, DECFILE_MAGIC, DECFILE_VERSION,
	URN_MAX_BALLOTS
};
_Static_assert(DECFILE_HEADER_LEN == BIN_HEADER_LEN, "the binary files' common header");

static void dec_head_encode(const struct decrypted_ballot *d, uint8_t b[DECFILE_ENTRY_HEAD])
{
	b[DEC_SCRUTIN] = (uint8_t)(d->scrutin >> 8);
	b[DEC_SCRUTIN + 1] = (uint8_t)d->scrutin;
	b[DEC_IDX] = (uint8_t)(d->idx >> 24);
	b[DEC_IDX + 1] = (uint8_t)(d->idx >> 16);
	b[DEC_IDX + 2] = (uint8_t)(d->idx >> 8);
	b[DEC_IDX + 3] = (uint8_t)d->idx;
	memcpy(b + DEC_S, d->S, 65);
	memcpy(b + DEC_C, d->proof, 64);
	b[DEC_STATUS] = d->status;
}

/* The fields as they are; dec_check says whether they may be. */
static void dec_head_decode(const uint8_t b[DECFILE_ENTRY_HEAD], struct decrypted_ballot *d)
{
	d->scrutin = (uint16_t)(b[DEC_SCRUTIN] << 8 | b[DEC_SCRUTIN + 1]);
	d->idx = (uint32_t)b[DEC_IDX] << 24 | (uint32_t)b[DEC_IDX + 1] << 16 |
		 (uint32_t)b[DEC_IDX + 2] << 8 | b[DEC_IDX + 3];
	memcpy(d->S, b + DEC_S, 65);
	memcpy(d->proof, b + DEC_C, 64);
	d->status = b[DEC_STATUS];
}

/* Where the last ballot was: the next one follows it (scrutins ascending,
 * i = 1, 2, ... in each). */
struct dec_pos {
	uint16_t scrutin;
	uint32_t idx;
	uint32_t seen;
};

static int dec_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static int dec_canonical(const uint8_t x[32])
{
	return scalar_is_zero(x) || scalar_is_valid(x);
}

/* The rules an entry must meet, whatever the election: what is wrong, or NULL. */
static const char *dec_check(const struct dec_pos *pos, const struct decrypted_ballot *d)
{
	int next = pos->seen > 0 && d->scrutin == pos->scrutin;

	if (pos->seen > 0 && d->scrutin < pos->scrutin)
		return "scrutin before the previous ballot's (scrutins in id order)";
	if (d->idx != (next ? pos->idx + 1 : 1))
		return "position in the shuffled list does not follow the previous one";
	if (d->status > DECFILE_UNREADABLE)
		return "status neither 0 nor 1";
	if (d->pt_len < 1 || d->pt_len > PTENC_PT_MAX)
		return "plaintext length out of bounds";
	if (d->status == DECFILE_UNREADABLE && !dec_zero(d->pt, d->pt_len))
		return "an unreadable ballot with a plaintext";
	if (!dec_canonical(d->proof) || !dec_canonical(d->proof + 32))
		return "c or z is not below the group order n";
	if (group_point_check(d->S) != 0)
		return "S is not a valid P-256 point";
	return NULL;
}

static void dec_pos_next(struct dec_pos *pos, const struct decrypted_ballot *d)
{
	pos->scrutin = d->scrutin;
	pos->idx = d->idx;
	pos->seen++;
}

/* ---- writer ----------------------------------------------------------------- */

struct decfile_writer {
	FILE *f;
	int own;                 /* made by decfile_open: synced, closed, removed on error */
	struct hash_ctx *h;
	uint32_t declared, added;
	struct dec_pos pos;
	char path[4096];
};

static int dec_put(struct decfile_writer *w, const void *b, size_t n)
{
	if (fwrite(b, 1, n, w->f) != n) {
		int e = errno; /* a full disk (ERR_NOSPACE) is not a damaged one */
		err_detail("%s: write failed: %s", w->path, strerror(e));
		return err_from_errno(e);
	}
	return hash_update(w->h, b, n);
}

static int dec_start(struct decfile_writer *w, uint32_t count, struct decfile_writer **out)
{
	uint8_t hdr[DECFILE_HEADER_LEN];
	int ret = hash_begin(&w->h);

	w->declared = count;
	bin_header_encode(&dec_hdr, count, hdr);
	if (!ret)
		ret = dec_put(w, hdr, sizeof(hdr));
	if (ret) {
		decfile_abort(w);
		return ret;
	}
	*out = w;
	return 0;
}

int decfile_open(const char *path, uint32_t count, struct decfile_writer **out)
{
	struct decfile_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return ERR_NOMEM;
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->f = fopen(path, "wbx");
	if (!w->f) {
		err_detail("%s: cannot create (exists already?)", path);
		free(w);
		return ERR_EXISTS;
	}
	w->own = 1;
	return dec_start(w, count, out);
}

int decfile_stream(FILE *f, uint32_t count, struct decfile_writer **out)
{
	struct decfile_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return ERR_NOMEM;
	snprintf(w->path, sizeof(w->path), "%s", DEC_NAME);
	w->f = f;
	return dec_start(w, count, out);
}

int decfile_add(struct decfile_writer *w, const struct decrypted_ballot *d)
{
	uint8_t head[DECFILE_ENTRY_HEAD];
	const char *bad = dec_check(&w->pos, d);
	int ret;

	if (bad) {
		err_detail("%s: ballot %u: %s", w->path, w->added + 1, bad);
		return ERR_INTERNAL;
	}
	dec_head_encode(d, head);
	ret = dec_put(w, head, sizeof(head));
	if (!ret)
		ret = dec_put(w, d->pt, d->pt_len);
	if (!ret) {
		w->added++;
		dec_pos_next(&w->pos, d);
	}
	return ret;
}

/* The stream's end: flushed, and for our own file synced and closed. */
static int dec_flush(struct decfile_writer *w)
{
	int ret = fflush(w->f) != 0 ? ERR_IO : 0, e = ret ? errno : 0;

	if (w->own) {
		if (!ret && fsync(fileno(w->f)) != 0) {
			ret = ERR_IO;
			e = errno;
		}
		if (fclose(w->f) != 0 && !ret) {
			ret = ERR_IO;
			e = errno;
		}
		w->f = NULL;
	}
	if (ret) {
		err_detail("%s: write failed: %s", w->path, strerror(e));
		ret = err_from_errno(e);
	}
	return ret;
}

int decfile_close(struct decfile_writer *w, uint8_t sha256[32])
{
	int ret = w->added == w->declared ? 0 : ERR_INTERNAL, fl;

	if (ret)
		err_detail("%s: %u ballots written, %u declared", w->path, w->added,
			   w->declared);
	fl = dec_flush(w);
	ret = ret ? ret : fl;
	if (!ret)
		ret = hash_final(w->h, sha256);
	else
		hash_abort(w->h);
	w->h = NULL;
	if (ret && w->own)
		unlink(w->path);
	free(w);
	return ret;
}

void decfile_abort(struct decfile_writer *w)
{
	if (!w)
		return;
	if (w->own) {
		if (w->f)
			fclose(w->f);
		unlink(w->path);
	}
	hash_abort(w->h);
	free(w);
}

/* ---- reader ----------------------------------------------------------------- */

struct decfile_reader {
	FILE *f;
	const struct election *e;
	struct hash_ctx *h;
	uint64_t size;
	uint32_t count;
	struct dec_pos pos;
};

/* Exactly n bytes, hashed; ERR_FORMAT naming what was cut short. */
static int dec_read(struct decfile_reader *r, void *buf, size_t n, const char *what)
{
	size_t got = fread(buf, 1, n, r->f);

	if (got != n) {
		if (ferror(r->f)) {
			err_detail(DEC_NAME ": read error");
			return ERR_IO;
		}
		err_detail(DEC_NAME ": %s: file cut short", what);
		return ERR_FORMAT;
	}
	r->size += n;
	return hash_update(r->h, buf, n);
}

static int dec_header(struct decfile_reader *r)
{
	uint8_t h[DECFILE_HEADER_LEN];
	int ret = dec_read(r, h, sizeof(h), "header");

	return ret ? ret : bin_header_decode(&dec_hdr, h, &r->count);
}

int decfile_reader_new(FILE *f, const struct election *e, struct decfile_reader **out)
{
	struct decfile_reader *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!e) {
		free(r);
		return ERR_INTERNAL;
	}
	if (!r)
		return ERR_NOMEM;
	r->f = f;
	r->e = e;
	ret = hash_begin(&r->h);
	if (!ret)
		ret = dec_header(r);
	if (ret) {
		decfile_reader_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

uint32_t decfile_reader_count(const struct decfile_reader *r)
{
	return r->count;
}

static int dec_fail(const struct decfile_reader *r, const char *what)
{
	err_detail(DEC_NAME ": ballot %u: %s", r->pos.seen + 1, what);
	return ERR_FORMAT;
}

int decfile_reader_next(struct decfile_reader *r, struct decrypted_ballot *d)
{
	uint8_t b[DECFILE_ENTRY_HEAD];
	const struct scrutin *s;
	const char *bad;
	int ret;

	if (r->pos.seen == r->count)
		return 1;
	memset(d, 0, sizeof(*d));
	ret = dec_read(r, b, sizeof(b), "ballot");
	if (ret)
		return ret;
	dec_head_decode(b, d);
	s = election_scrutin(r->e, d->scrutin);
	if (!s)
		return dec_fail(r, "unknown scrutin");
	d->pt_len = s->pt_len;
	ret = dec_read(r, d->pt, d->pt_len, "plaintext");
	if (ret)
		return ret;
	bad = dec_check(&r->pos, d);
	if (bad)
		return dec_fail(r, bad);
	dec_pos_next(&r->pos, d);
	return 0;
}

int decfile_reader_finish(struct decfile_reader *r, uint8_t sha256[32], uint64_t *size)
{
	int ret;

	if (r->pos.seen != r->count) {
		err_detail(DEC_NAME ": %u ballots read of %u declared", r->pos.seen, r->count);
		return ERR_FORMAT;
	}
	if (fgetc(r->f) != EOF) {
		err_detail(DEC_NAME ": bytes after ballot %u, the last declared", r->count);
		return ERR_FORMAT;
	}
	if (ferror(r->f)) {
		err_detail(DEC_NAME ": read error");
		return ERR_IO;
	}
	ret = hash_final(r->h, sha256);
	r->h = NULL;
	if (!ret && size)
		*size = r->size;
	return ret;
}

void decfile_reader_free(struct decfile_reader *r)
{
	if (!r)
		return;
	hash_abort(r->h);
	free(r);
}
