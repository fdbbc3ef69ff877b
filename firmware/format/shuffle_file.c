/* The shuffle file: its header and layout, the writer, the reader; see
 * shuffle_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "format/shuffle_file.h"
#include "lib/err.h"
#include "lib/file.h"

#define SHF_NAME "shuffle file"
#define SHF_BUF (64u << 10)

/* ---- layout ------------------------------------------------------------------ */

_Static_assert(SHUFFLE_FILE_HEADER_LEN == 8 + 2 + 2 + 32 + 2 + 2 + 4, "header layout");

void shuffle_file_name(uint16_t scrutin, char out[SHUFFLE_FILE_NAME_MAX])
{
	snprintf(out, SHUFFLE_FILE_NAME_MAX, "shuffle-%u.bin", (unsigned)scrutin);
}

void shuffle_file_header_encode(const struct shuffle_file_header *h,
				uint8_t out[SHUFFLE_FILE_HEADER_LEN])
{
	memset(out, 0, SHUFFLE_FILE_HEADER_LEN);
	memcpy(out, SHUFFLE_FILE_MAGIC, 8);
	out[8] = (uint8_t)(SHUFFLE_FILE_VERSION >> 8);
	out[9] = (uint8_t)SHUFFLE_FILE_VERSION;
	memcpy(out + 12, h->election_id, 32);
	out[44] = (uint8_t)(h->scrutin >> 8);
	out[45] = (uint8_t)h->scrutin;
	out[48] = (uint8_t)(h->n >> 24);
	out[49] = (uint8_t)(h->n >> 16);
	out[50] = (uint8_t)(h->n >> 8);
	out[51] = (uint8_t)h->n;
}

int shuffle_file_header_decode(const uint8_t in[SHUFFLE_FILE_HEADER_LEN],
			       struct shuffle_file_header *h)
{
	unsigned version = (unsigned)in[8] << 8 | in[9];

	if (memcmp(in, SHUFFLE_FILE_MAGIC, 8) != 0) {
		err_detail(SHF_NAME ": header: not a Sceau shuffle file (bad magic)");
		return ERR_FORMAT;
	}
	if (version != SHUFFLE_FILE_VERSION) {
		err_detail(SHF_NAME ": header: version %u is not supported (expected %u)",
			   version, SHUFFLE_FILE_VERSION);
		return ERR_FORMAT;
	}
	if (in[10] || in[11] || in[46] || in[47]) {
		err_detail(SHF_NAME ": header: a reserved field is not 0");
		return ERR_FORMAT;
	}
	memcpy(h->election_id, in + 12, 32);
	h->scrutin = (uint16_t)(in[44] << 8 | in[45]);
	h->n = (uint32_t)in[48] << 24 | (uint32_t)in[49] << 16 | (uint32_t)in[50] << 8 | in[51];
	if (h->n < 1 || h->n > SHUFFLE_MAX_N) {
		err_detail(SHF_NAME ": header: N = %u, not 1 to %u", (unsigned)h->n,
			   SHUFFLE_MAX_N);
		return ERR_RANGE;
	}
	return 0;
}

uint64_t shuffle_file_offset(enum shuffle_part part, uint32_t n)
{
	return SHUFFLE_FILE_HEADER_LEN + shuffle_part_offset(part, n);
}

uint64_t shuffle_file_size(uint32_t n)
{
	return shuffle_file_offset(SHUFFLE_PARTS, n);
}

int shuffle_file_check(const uint8_t hdr[SHUFFLE_FILE_HEADER_LEN], uint64_t size,
		       const struct shuffle_file_header *want, struct shuffle_file_header *got)
{
	int ret = shuffle_file_header_decode(hdr, got);

	if (ret)
		return ret;
	if (memcmp(got->election_id, want->election_id, 32) != 0) {
		err_detail(SHF_NAME ": header: another election's");
		return ERR_FORMAT;
	}
	if (got->scrutin != want->scrutin) {
		err_detail(SHF_NAME ": header: scrutin %u, expected %u", got->scrutin,
			   want->scrutin);
		return ERR_FORMAT;
	}
	if (want->n && got->n != want->n) {
		err_detail(SHF_NAME ": header: N = %u, expected %u", (unsigned)got->n,
			   (unsigned)want->n);
		return ERR_FORMAT;
	}
	if (size != shuffle_file_size(got->n)) {
		err_detail(SHF_NAME ": %llu bytes, N = %u needs %llu", (unsigned long long)size,
			   (unsigned)got->n, (unsigned long long)shuffle_file_size(got->n));
		return ERR_FORMAT;
	}
	return 0;
}

/* ---- writer ------------------------------------------------------------------ */

struct shuffle_file_writer {
	int fd;
	uint32_t n;
	enum shuffle_part part;  /* the part expected next */
	uint32_t next;           /* its next element */
	struct hash_ctx *h;
	uint8_t *buf;
	size_t used;
	char path[4096];
};

static int shf_flush(struct shuffle_file_writer *w)
{
	int ret = w->used ? file_write_all(w->fd, w->buf, w->used) : 0;

	if (ret) {
		int e = errno;
		err_detail("%s: write failed: %s", w->path, strerror(e));
		ret = err_from_errno(e);
	}
	w->used = 0;
	return ret;
}

static int shf_put(struct shuffle_file_writer *w, const uint8_t *b, size_t n)
{
	int ret = hash_update(w->h, b, n);

	while (!ret && n) {
		size_t take = SHF_BUF - w->used < n ? SHF_BUF - w->used : n;
		memcpy(w->buf + w->used, b, take);
		w->used += take;
		b += take;
		n -= take;
		if (w->used == SHF_BUF)
			ret = shf_flush(w);
	}
	return ret;
}

/* Moves past the parts that are complete. */
static void shf_advance(struct shuffle_file_writer *w)
{
	while (w->part < SHUFFLE_PARTS && w->next == shuffle_part_count(w->part, w->n)) {
		w->part++;
		w->next = 0;
	}
}

int shuffle_file_create(const char *path, const struct shuffle_file_header *h,
			struct shuffle_file_writer **out)
{
	struct shuffle_file_writer *w = calloc(1, sizeof(*w));
	uint8_t hdr[SHUFFLE_FILE_HEADER_LEN];
	int ret;

	*out = NULL;
	if (!w)
		return ERR_NOMEM;
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->n = h->n;
	w->buf = malloc(SHF_BUF);
	w->fd = w->buf ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
	if (w->fd < 0) {
		int e = errno;
		ret = w->buf ? err_from_errno(e) : ERR_NOMEM;
		if (w->buf)
			err_detail("%s: cannot create: %s", path, strerror(e));
		free(w->buf);
		free(w);
		return ret;
	}
	ret = h->n >= 1 && h->n <= SHUFFLE_MAX_N ? hash_begin(&w->h) : ERR_RANGE;
	shuffle_file_header_encode(h, hdr);
	if (!ret)
		ret = shf_put(w, hdr, sizeof(hdr));
	if (ret) {
		shuffle_file_abort(w);
		return ret;
	}
	*out = w;
	return 0;
}

int shuffle_file_write(struct shuffle_file_writer *w, enum shuffle_part part, uint32_t first,
		       uint32_t count, const uint8_t *data)
{
	shf_advance(w);
	if (part != w->part || first != w->next ||
	    count > shuffle_part_count(part, w->n) - first) {
		err_detail("%s: part %d elements %u+%u written out of order", w->path, (int)part,
			   (unsigned)first, (unsigned)count);
		return ERR_INTERNAL;
	}
	w->next += count;
	return shf_put(w, data, (size_t)count * shuffle_part_elem(part));
}

int shuffle_file_finish(struct shuffle_file_writer *w, uint8_t sha256[32])
{
	int ret;

	shf_advance(w);
	ret = w->part == SHUFFLE_PARTS ? shf_flush(w) : ERR_INTERNAL;
	if (ret == ERR_INTERNAL)
		err_detail("%s: part %d not written", w->path, (int)w->part);
	if (!ret && fsync(w->fd) != 0) {
		int e = errno;
		err_detail("%s: sync failed: %s", w->path, strerror(e));
		ret = err_from_errno(e);
	}
	if (!ret) {
		ret = close(w->fd) == 0 ? 0 : ERR_IO;
		w->fd = -1;
	}
	if (!ret) {
		ret = hash_final(w->h, sha256);
		w->h = NULL;
	}
	if (ret) {
		shuffle_file_abort(w);
		return ret;
	}
	free(w->buf);
	free(w);
	return 0;
}

void shuffle_file_abort(struct shuffle_file_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	unlink(w->path);
	hash_abort(w->h);
	free(w->buf);
	free(w);
}

/* ---- reader ------------------------------------------------------------------ */

struct shuffle_file_reader {
	int fd;
	struct shuffle_file_header h;
	char path[4096];
};

static int shf_pread(struct shuffle_file_reader *r, uint8_t *out, size_t len, uint64_t off)
{
	while (len) {
		ssize_t got = pread(r->fd, out, len, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err_detail("%s: read error: %s", r->path, strerror(errno));
			return ERR_IO;
		}
		if (got == 0) {
			err_detail("%s: shorter than its header says", r->path);
			return ERR_FORMAT;
		}
		out += got;
		len -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

int shuffle_file_open(const char *path, const struct shuffle_file_header *want,
		      struct shuffle_file_reader **out)
{
	struct shuffle_file_reader *r = calloc(1, sizeof(*r));
	uint8_t hdr[SHUFFLE_FILE_HEADER_LEN];
	struct stat st;
	int ret;

	*out = NULL;
	if (!r)
		return ERR_NOMEM;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->fd = file_open_regular(path, &st);
	if (r->fd < 0) {
		ret = r->fd;
		free(r);
		return ret;
	}
	ret = (uint64_t)st.st_size < SHUFFLE_FILE_HEADER_LEN ? ERR_FORMAT : 0;
	if (ret)
		err_detail(SHF_NAME ": shorter than its header");
	if (!ret)
		ret = shf_pread(r, hdr, sizeof(hdr), 0);
	if (!ret)
		ret = shuffle_file_check(hdr, (uint64_t)st.st_size, want, &r->h);
	if (ret) {
		shuffle_file_close(r);
		return ret;
	}
	*out = r;
	return 0;
}

const struct shuffle_file_header *shuffle_file_header(const struct shuffle_file_reader *r)
{
	return &r->h;
}

int shuffle_file_read(struct shuffle_file_reader *r, enum shuffle_part part, uint32_t first,
		      uint32_t count, uint8_t *out)
{
	uint32_t all = shuffle_part_count(part, r->h.n);
	size_t elem = shuffle_part_elem(part);

	if (part >= SHUFFLE_PARTS || first > all || count > all - first)
		return ERR_RANGE;
	return shf_pread(r, out, (size_t)count * elem,
			 shuffle_file_offset(part, r->h.n) + (uint64_t)first * elem);
}

void shuffle_file_close(struct shuffle_file_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}
