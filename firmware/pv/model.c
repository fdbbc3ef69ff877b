/*
 * The PV model: the results file read and checked against the inputs, then
 * one document per page group (summary, ceremony, each scrutin) as a list of
 * formatted blocks. Texts live in an arena freed with the model; builders
 * keep the first error (sticky) so the content code stays a flat sequence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "crypto/sig.h"
#include "pv/pv_int.h"

#define PV_CHUNK (64u << 10)

struct pv_chunk {
	struct pv_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct pv_arena {
	struct pv_chunk *head;
};

static void *pv_alloc(struct pv_model *m, size_t n)
{
	struct pv_chunk *c = m->arena->head;

	n = (n + 15) & ~(size_t)15;
	if (m->err)
		return NULL;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > PV_CHUNK ? n : PV_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c) {
			m->err = ERR_NOMEM;
			return NULL;
		}
		c->next = m->arena->head;
		c->used = 0;
		c->cap = cap;
		m->arena->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

const char *pv_str(struct pv_model *m, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = n < 0 ? NULL : pv_alloc(m, (size_t)n + 1);
	if (!s) {
		if (!m->err)
			m->err = ERR_INTERNAL;
		return "";
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* "23.6667" in the bureau's language: a decimal comma in French. */
const char *pv_dec(struct pv_model *m, const char *dec)
{
	const char *dot = strchr(dec, '.');

	if (!dot || pv_lang_en())
		return pv_str(m, "%s", dec);
	return pv_str(m, "%.*s,%s", (int)(dot - dec), dec, dot + 1);
}

/* An exact fraction for people: "71/3 ≈ 23,6667", or "68,0000" if whole. */
const char *pv_frac_text(struct pv_model *m, const struct results_frac *f)
{
	if (f->den == 1)
		return pv_dec(m, f->dec);
	return pv_str(m, "%llu/%llu ≈ %s", (unsigned long long)f->num,
		      (unsigned long long)f->den, pv_dec(m, f->dec));
}

/* Upper-case hex, as in the QR codes. */
const char *pv_hex(struct pv_model *m, const uint8_t *b, size_t n)
{
	static const char dig[] = "0123456789ABCDEF";
	char *s = pv_alloc(m, 2 * n + 1);

	if (!s)
		return "";
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = dig[b[i] >> 4];
		s[2 * i + 1] = dig[b[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

struct pv_block *pv_add(struct pv_model *m, struct pv_doc *d, enum pv_blk kind,
			unsigned n, ...)
{
	static _Thread_local struct pv_block dummy; /* after a failure: ignored */
	struct pv_block *b;
	va_list ap;

	if (d->n_blocks == d->cap_blocks) {
		unsigned cap = d->cap_blocks ? 2 * d->cap_blocks : 64;
		struct pv_block *nb = m->err ? NULL : realloc(d->blocks, cap * sizeof(*nb));

		if (!nb) {
			m->err = m->err ? m->err : ERR_NOMEM;
			memset(&dummy, 0, sizeof(dummy));
			return &dummy;
		}
		d->blocks = nb;
		d->cap_blocks = cap;
	}
	b = &d->blocks[d->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->table = d->n_tables ? d->n_tables - 1 : 0;
	b->n = n;
	b->c = n ? pv_alloc(m, n * sizeof(*b->c)) : NULL;
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		if (b->c)
			b->c[i] = s;
	}
	va_end(ap);
	if (n && !b->c)
		b->n = 0;
	return b;
}

void pv_add_table(struct pv_model *m, struct pv_doc *d, unsigned n_cols,
		  const char *const *head, const double *weight, const char *align)
{
	struct pv_table *t;

	if (n_cols > PV_TABLE_COLS) {
		m->err = m->err ? m->err : ERR_INTERNAL;
		return;
	}
	if (d->n_tables == d->cap_tables) {
		unsigned cap = d->cap_tables ? 2 * d->cap_tables : 16;
		struct pv_table *nt = m->err ? NULL : realloc(d->tables, cap * sizeof(*nt));

		if (!nt) {
			m->err = m->err ? m->err : ERR_NOMEM;
			return;
		}
		d->tables = nt;
		d->cap_tables = cap;
	}
	t = &d->tables[d->n_tables++];
	t->n_cols = n_cols;
	for (unsigned i = 0; i < n_cols; i++) {
		t->head[i] = head[i];
		t->weight[i] = weight[i];
		t->align[i] = align[i];
	}
}

void pv_add_row(struct pv_model *m, struct pv_doc *d, unsigned flags,
		const char *const *cells)
{
	unsigned n = d->n_tables ? d->tables[d->n_tables - 1].n_cols : 0;
	struct pv_block *b = pv_add(m, d, PV_B_ROW, 0);
	const char **c = n ? pv_alloc(m, n * sizeof(*c)) : NULL;

	if (!c)
		return;
	memcpy(c, cells, n * sizeof(*c));
	b->c = c;
	b->n = n;
	b->flags = flags;
}

/* ---- inputs ------------------------------------------------------------- */

static int pv_check_sigs(const struct pv_inputs *in)
{
	static const char tag[] = "sceau/sign/results/v1";
	struct hash_part part = { in->results_json, in->results_len };
	uint8_t digest[32];
	int ret = in->n_sigs > PV_MAX_SIGS ? ERR_RANGE : 0;

	if (!ret)
		ret = hash_tagged(tag, &part, 1, digest);
	for (unsigned i = 0; !ret && i < in->n_sigs; i++) {
		unsigned c = in->sigs[i].card;

		if (c < 1 || c > in->rec->pub.m || (i && c <= in->sigs[i - 1].card)) {
			err_detail("signature %u: card %u out of order or not in the record",
				   i + 1, c);
			return ERR_RANGE;
		}
		ret = sig_verify(in->rec->cards[c - 1].sign_pub, digest, in->sigs[i].sig);
		if (ret)
			err_detail("signature of card %u does not verify over the results", c);
	}
	return ret ? (ret == ERR_RANGE ? ret : ERR_VERIFY) : 0;
}

static int pv_check_hash(const uint8_t *a, const uint8_t *b, const char *what)
{
	if (memcmp(a, b, 32) == 0)
		return 0;
	err_detail("%s: the hash given differs from the results file's", what);
	return ERR_VERIFY;
}

static int pv_check_inputs(const struct pv_inputs *in, const struct results *r)
{
	uint8_t h[32];
	int ret = hash_sha256(in->results_json, in->results_len, h);

	if (!ret)
		ret = pv_check_hash(h, in->results_sha256, "results.json");
	if (!ret && r->has_urn)
		ret = pv_check_hash(r->urn, in->urn_sha256, "urn.iso");
	if (!ret && r->has_emargement)
		ret = pv_check_hash(r->emargement, in->emargement_sha256, "emargement.iso");
	if (!ret)
		ret = pv_check_hash(r->dec_sha256, in->decrypted_sha256,
				    "ballots-decrypted.bin");
	if (!ret && memcmp(in->rec->election_id, in->e->id, 32) != 0) {
		err_detail("record.json: the record is of another election");
		ret = ERR_VERIFY;
	}
	if (!ret)
		ret = results_check_election(r, in->e);
	if (!ret)
		ret = pv_check_sigs(in);
	return ret;
}

/* ---- model -------------------------------------------------------------- */

static void pv_doc_init(struct pv_model *m, const struct pv_inputs *in,
			struct pv_doc *d, unsigned id)
{
	d->id = id;
	d->simulation = in->simulation || in->rec->simulation;
	d->foot = pv_str(m, "%s %s", pv_t(T_FOOT_RESULTS),
			 pv_hex(m, in->results_sha256, 32));
	if (id == PV_DOC_SUMMARY)
		snprintf(d->stem, sizeof(d->stem), "pv-summary");
	else if (id == PV_DOC_CEREMONY)
		snprintf(d->stem, sizeof(d->stem), "pv-ceremony");
	else
		snprintf(d->stem, sizeof(d->stem), "pv-%u", id);
	d->head1 = pv_str(m, "%s — %s", in->e->establishment, in->e->title);
}

static void pv_build_docs(struct pv_model *m, const struct pv_inputs *in)
{
	m->docs[0].head2 = pv_t(T_DOC_SUMMARY);
	pv_doc_summary(m, in, &m->docs[0]);
	m->docs[1].head2 = pv_t(T_DOC_CEREMONY);
	pv_doc_ceremony(m, in, &m->docs[1]);
	for (unsigned i = 0; i < m->res.n_scrutins; i++)
		pv_doc_scrutin(m, in, &m->res.scrutins[i], &m->docs[2 + i]);
}

int pv_model_build(const struct pv_inputs *in, struct pv_model **out)
{
	struct pv_model *m = calloc(1, sizeof(*m));
	int ret = m ? 0 : ERR_NOMEM;

	*out = NULL;
	if (!ret) {
		m->arena = calloc(1, sizeof(*m->arena));
		ret = m->arena ? 0 : ERR_NOMEM;
	}
	if (!ret)
		ret = results_read(in->results_json, in->results_len, &m->res);
	if (!ret)
		ret = pv_check_inputs(in, &m->res);
	if (!ret) {
		m->n_docs = 2 + m->res.n_scrutins;
		m->docs = calloc(m->n_docs, sizeof(*m->docs));
		ret = m->docs ? 0 : ERR_NOMEM;
	}
	if (!ret) {
		pv_doc_init(m, in, &m->docs[0], PV_DOC_SUMMARY);
		pv_doc_init(m, in, &m->docs[1], PV_DOC_CEREMONY);
		for (unsigned i = 0; i < m->res.n_scrutins; i++)
			pv_doc_init(m, in, &m->docs[2 + i], m->res.scrutins[i].id);
		pv_build_docs(m, in);
		m->pdf_date = pv_latest_close(in->e);
		ret = m->err;
	}
	if (ret)
		pv_model_free(m);
	else
		*out = m;
	return ret;
}

void pv_model_free(struct pv_model *m)
{
	if (!m)
		return;
	for (unsigned i = 0; m->docs && i < m->n_docs; i++) {
		free(m->docs[i].blocks);
		free(m->docs[i].tables);
	}
	free(m->docs);
	while (m->arena && m->arena->head) {
		struct pv_chunk *c = m->arena->head;
		m->arena->head = c->next;
		free(c);
	}
	free(m->arena);
	results_free(&m->res);
	free(m);
}

const struct pv_doc *pv_model_doc(const struct pv_model *m, unsigned id)
{
	for (unsigned i = 0; i < m->n_docs; i++)
		if (m->docs[i].id == id)
			return &m->docs[i];
	return NULL;
}
