/*
 * The shuffle's callbacks over memory, for the tests: the inputs are an
 * array of ciphertexts, the output is a whole file laid out as
 * docs/SHUFFLE-V2-NOTES.md proposes (a 52-byte header, then the parts in
 * order). The writer insists that writes come in file order (the promise
 * of shuffle.h that lets a caller simply append). Include after cmocka.h.
 */
#ifndef SCEAU_TESTS_CRYPTO_SHUFFLE_MEM_H
#define SCEAU_TESTS_CRYPTO_SHUFFLE_MEM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/group.h"
#include "crypto/shuffle.h"
#include "lib/err.h"

#define SMEM_HEADER 52

struct smem {
	struct shuffle_statement st;
	uint8_t *inputs; /* n * SHUFFLE_CT_LEN */
	uint8_t *file;   /* SMEM_HEADER + shuffle_part_offset(SHUFFLE_PARTS, n) */
	size_t len, written;
	unsigned input_reads;
};

static inline size_t smem_at(const struct smem *m, enum shuffle_part part, uint32_t first)
{
	return SMEM_HEADER + (size_t)shuffle_part_offset(part, m->st.n) +
	       (size_t)first * shuffle_part_elem(part);
}

static inline int smem_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	struct smem *m = ctx;

	if ((uint64_t)first + count > m->st.n)
		return ERR_RANGE;
	memcpy(out, m->inputs + (size_t)first * SHUFFLE_CT_LEN, (size_t)count * SHUFFLE_CT_LEN);
	m->input_reads++;
	return 0;
}

static inline int smem_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
			     const uint8_t *data)
{
	struct smem *m = ctx;
	size_t at = smem_at(m, part, first), len = (size_t)count * shuffle_part_elem(part);

	if (first + count > shuffle_part_count(part, m->st.n) || at != m->written ||
	    at + len > m->len)
		return ERR_INTERNAL; /* out of order or out of bounds */
	memcpy(m->file + at, data, len);
	m->written += len;
	return 0;
}

static inline int smem_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
			    uint8_t *out)
{
	struct smem *m = ctx;
	size_t at = smem_at(m, part, first), len = (size_t)count * shuffle_part_elem(part);

	if (first + count > shuffle_part_count(part, m->st.n) || at + len > m->len)
		return ERR_RANGE;
	memcpy(out, m->file + at, len);
	return 0;
}

static inline struct shuffle_io smem_io(struct smem *m)
{
	struct shuffle_io io = { m, smem_read_inputs, smem_write, smem_read };

	return io;
}

/* The header: magic, version 2, 0, election_id, scrutin_id, 0, N. */
static inline void smem_header(struct smem *m)
{
	uint8_t *h = m->file;

	memcpy(h, "SCEAUSHF", 8);
	h[8] = 0, h[9] = 2, h[10] = 0, h[11] = 0;
	memcpy(h + 12, m->st.election_id, 32);
	h[44] = (uint8_t)(m->st.scrutin_id >> 8), h[45] = (uint8_t)m->st.scrutin_id;
	h[46] = 0, h[47] = 0;
	h[48] = (uint8_t)(m->st.n >> 24), h[49] = (uint8_t)(m->st.n >> 16);
	h[50] = (uint8_t)(m->st.n >> 8), h[51] = (uint8_t)m->st.n;
}

/* A fresh file for st (inputs kept by the caller). */
static inline void smem_init(struct smem *m, const struct shuffle_statement *st, uint8_t *inputs)
{
	memset(m, 0, sizeof(*m));
	m->st = *st;
	m->inputs = inputs;
	m->len = SMEM_HEADER + (size_t)shuffle_part_offset(SHUFFLE_PARTS, st->n);
	m->file = calloc(1, m->len);
	assert_non_null(m->file);
	smem_header(m);
	m->written = SMEM_HEADER;
}

static inline void smem_free(struct smem *m)
{
	free(m->file);
	m->file = NULL;
}

#endif
