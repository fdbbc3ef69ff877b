/* Writer of the decrypted-ballots file; see decfile.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/decfile.h"
#include "core/err.h"
#include "crypto/hash.h"

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

int decfile_add(struct decfile_writer *w, const struct store_decrypted *d)
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
