/* The decrypted-ballots file: writer, then reader; see decrypted.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/group.h"
#include "crypto/hash.h"
#include "format/decrypted.h"
#include "format/urn.h"
#include "lib/err.h"

struct decfile_writer {
	FILE *f;
	struct hash_ctx *h;
	uint32_t declared, added;
	char path[4096];
};

static int decfile_put(struct decfile_writer *w, const void *b, size_t n)
{
	if (fwrite(b, 1, n, w->f) != n) {
		err_detail("%s: write failed", w->path);
		return ERR_IO;
	}
	return hash_update(w->h, b, n);
}

int decfile_open(const char *path, uint32_t count, struct decfile_writer **out)
{
	struct decfile_writer *w = calloc(1, sizeof(*w));
	uint8_t hdr[DECFILE_HEADER_LEN] = { 0 };
	int ret;

	if (!w)
		return ERR_NOMEM;
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->declared = count;
	w->f = fopen(path, "wbx");
	if (!w->f) {
		err_detail("%s: cannot create (exists already?)", path);
		free(w);
		return ERR_EXISTS;
	}
	memcpy(hdr, DECFILE_MAGIC, 8);
	hdr[9] = DECFILE_VERSION;
	hdr[12] = (uint8_t)(count >> 24);
	hdr[13] = (uint8_t)(count >> 16);
	hdr[14] = (uint8_t)(count >> 8);
	hdr[15] = (uint8_t)count;
	ret = hash_begin(&w->h);
	if (!ret)
		ret = decfile_put(w, hdr, sizeof(hdr));
	if (ret) {
		decfile_abort(w);
		return ret;
	}
	*out = w;
	return 0;
}

int decfile_add(struct decfile_writer *w, const struct decrypted_ballot *d)
{
	uint8_t head[32 + 2 + 1 + 65 + 64 + 1];
	int ret;

	if (d->pt_len > 255)
		return ERR_RANGE;
	memcpy(head, d->tracker, 32);
	head[32] = (uint8_t)(d->scrutin >> 8);
	head[33] = (uint8_t)d->scrutin;
	head[34] = d->opened ? 1 : 0;
	memcpy(head + 35, d->S, 65);
	memcpy(head + 100, d->proof, 64);
	head[164] = (uint8_t)d->pt_len;
	ret = decfile_put(w, head, sizeof(head));
	if (!ret && d->pt_len)
		ret = decfile_put(w, d->pt, d->pt_len);
	if (!ret)
		w->added++;
	return ret;
}

int decfile_close(struct decfile_writer *w, uint8_t sha256[32])
{
	int ret = w->added == w->declared ? 0 : ERR_INTERNAL;

	if (ret)
		err_detail("%s: %u ballots written, %u declared", w->path, w->added,
			   w->declared);
	if (fflush(w->f) != 0 || fsync(fileno(w->f)) != 0)
		ret = ret ? ret : ERR_IO;
	if (fclose(w->f) != 0)
		ret = ret ? ret : ERR_IO;
	w->f = NULL;
	if (!ret)
		ret = hash_final(w->h, sha256);
	else
		hash_abort(w->h);
	w->h = NULL;
	if (ret)
		unlink(w->path);
	free(w);
	return ret;
}

void decfile_abort(struct decfile_writer *w)
{
	if (!w)
		return;
	if (w->f)
		fclose(w->f);
	hash_abort(w->h);
	unlink(w->path);
	free(w);
}

/* --- reader --- */

#define DECFILE_ENTRY_HEAD (32 + 2 + 1 + 65 + 64 + 1)

struct decfile_reader {
	FILE *f;
	const struct election *e;
	struct hash_ctx *h;
	uint64_t size;
	uint32_t count, seen;
	uint8_t prev[32];
};

/* Exactly n bytes, hashed; ERR_FORMAT naming what was cut short. */
static int dfr_read(struct decfile_reader *r, void *buf, size_t n, const char *what)
{
	size_t got = fread(buf, 1, n, r->f);

	if (got != n) {
		if (ferror(r->f)) {
			err_detail("ballots-decrypted.bin: read error");
			return ERR_IO;
		}
		err_detail("ballots-decrypted.bin: %s: file cut short", what);
		return ERR_FORMAT;
	}
	r->size += n;
	return hash_update(r->h, buf, n);
}

static int dfr_header(struct decfile_reader *r)
{
	uint8_t h[DECFILE_HEADER_LEN];
	int ret = dfr_read(r, h, sizeof(h), "header");

	if (ret)
		return ret;
	if (memcmp(h, DECFILE_MAGIC, 8) != 0) {
		err_detail("ballots-decrypted.bin: header: not a decrypted-ballots file");
		return ERR_FORMAT;
	}
	if (h[8] != 0 || h[9] != DECFILE_VERSION) {
		err_detail("ballots-decrypted.bin: header: version %u, expected %u",
			   (unsigned)h[8] << 8 | h[9], DECFILE_VERSION);
		return ERR_FORMAT;
	}
	if (h[10] != 0 || h[11] != 0) {
		err_detail("ballots-decrypted.bin: header: reserved bytes not zero");
		return ERR_FORMAT;
	}
	r->count = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];
	if (r->count > URN_MAX_BALLOTS) {
		err_detail("ballots-decrypted.bin: header: %u ballots, more than %u", r->count,
			   URN_MAX_BALLOTS);
		return ERR_RANGE;
	}
	return 0;
}

int decfile_reader_new(FILE *f, const struct election *e, struct decfile_reader **out)
{
	struct decfile_reader *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!r)
		return ERR_NOMEM;
	r->f = f;
	r->e = e;
	ret = hash_begin(&r->h);
	if (!ret)
		ret = dfr_header(r);
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

static int dfr_fail(const struct decfile_reader *r, const char *what)
{
	err_detail("ballots-decrypted.bin: ballot %u: %s", r->seen + 1, what);
	return ERR_FORMAT;
}

/* The fixed part of an entry, checked field by field. */
static int dfr_head(struct decfile_reader *r, const uint8_t *b, struct decrypted_ballot *d)
{
	const struct scrutin *s;

	memcpy(d->tracker, b, 32);
	if (r->seen > 0 && memcmp(d->tracker, r->prev, 32) <= 0)
		return dfr_fail(r, "tracker not after the previous one (urn order)");
	d->scrutin = (uint16_t)(b[32] << 8 | b[33]);
	if (b[34] > 1)
		return dfr_fail(r, "opened flag neither 0 nor 1");
	d->opened = b[34];
	memcpy(d->S, b + 35, 65);
	memcpy(d->proof, b + 100, 64);
	d->pt_len = b[164];
	if (!d->opened && d->pt_len != 0)
		return dfr_fail(r, "a plaintext for a ballot that did not open");
	s = r->e ? election_scrutin(r->e, d->scrutin) : NULL;
	if (r->e && !s)
		return dfr_fail(r, "unknown scrutin");
	if (s && d->opened && d->pt_len != s->pt_len)
		return dfr_fail(r, "plaintext length is not its scrutin's");
	if (group_point_check(d->S) != 0)
		return dfr_fail(r, "S is not a valid P-256 point");
	return 0;
}

int decfile_reader_next(struct decfile_reader *r, struct decrypted_ballot *d)
{
	uint8_t b[DECFILE_ENTRY_HEAD];
	int ret;

	if (r->seen == r->count)
		return 1;
	memset(d, 0, sizeof(*d));
	ret = dfr_read(r, b, sizeof(b), "ballot");
	if (!ret)
		ret = dfr_head(r, b, d);
	if (!ret && d->pt_len)
		ret = dfr_read(r, d->pt, d->pt_len, "plaintext");
	if (ret)
		return ret;
	memcpy(r->prev, d->tracker, 32);
	d->seq = ++r->seen;
	return 0;
}

int decfile_reader_finish(struct decfile_reader *r, uint8_t sha256[32], uint64_t *size)
{
	int ret;

	if (r->seen != r->count) {
		err_detail("ballots-decrypted.bin: %u ballots read of %u declared", r->seen,
			   r->count);
		return ERR_FORMAT;
	}
	if (fgetc(r->f) != EOF) {
		err_detail("ballots-decrypted.bin: bytes after ballot %u, the last declared",
			   r->count);
		return ERR_FORMAT;
	}
	if (ferror(r->f)) {
		err_detail("ballots-decrypted.bin: read error");
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
