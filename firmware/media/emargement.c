/* Streaming reader of the émargement entries; see emargement.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/batch.h"
#include "core/err.h"
#include "core/json_util.h"
#include "media/emargement.h"

#define EMARG_BATCH 256

/* A line on its way through the workers (batch.h). */
struct emarg_item {
	size_t len;
	int err; /* of the parse, reported in file order */
	struct emarg_entry en;
	char line[EMARG_LINE_MAX + 1];
	char detail[512];
};

struct emarg_reader {
	const struct election *e;
	emarg_entry_fn fn;
	void *arg;
	char line[EMARG_LINE_MAX + 1];
	size_t have;
	uint64_t lines, seen;
	struct emarg_entry prev;
	struct batch *b;
};

static void emarg_work(void *item, void *arg);
static int emarg_deliver(void *item, void *arg);

int emarg_reader_new_jobs(const struct election *e, emarg_entry_fn fn, void *arg,
			  unsigned jobs, struct emarg_reader **out)
{
	struct emarg_reader *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!r)
		return ERR_NOMEM;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	ret = batch_new(sizeof(struct emarg_item), EMARG_BATCH, jobs, emarg_work,
			emarg_deliver, r, &r->b);
	if (ret) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

int emarg_reader_new(const struct election *e, emarg_entry_fn fn, void *arg,
		     struct emarg_reader **out)
{
	return emarg_reader_new_jobs(e, fn, arg, 0, out);
}

void emarg_reader_free(struct emarg_reader *r)
{
	if (!r)
		return;
	batch_free(r->b);
	free(r);
}

static int emarg_voter_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > EMARG_VOTER_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-'))
			return 0;
	return 1;
}

static int emarg_parse(const struct election *e, const char *line, size_t len,
		       struct emarg_entry *en)
{
	static const char *const keys[] = { "voter", "scrutin", "time" };
	struct jutil_path p;
	json_t *o = NULL;
	uint64_t id = 0;
	int ret;

	jutil_path_init(&p);
	ret = jutil_load((const uint8_t *)line, len, EMARG_LINE_MAX, &o);
	if (!ret)
		ret = jutil_keys(o, &p, keys, 3);
	if (!ret)
		ret = jutil_text(o, &p, "voter", en->voter, sizeof(en->voter));
	if (!ret && !emarg_voter_ok(en->voter))
		ret = jutil_fail(&p, "voter", ERR_FORMAT, "only A-Z a-z 0-9 _ - allowed");
	if (!ret)
		ret = jutil_uint(o, &p, "scrutin", 1, e->n_scrutins, &id);
	en->scrutin = (uint16_t)id;
	if (!ret)
		ret = jutil_datetime(o, &p, "time", en->time, NULL);
	json_decref(o);
	return ret;
}

/* In a worker: the JSON of one line. */
static void emarg_work(void *item, void *arg)
{
	struct emarg_item *it = item;
	struct emarg_reader *r = arg;

	it->err = emarg_parse(r->e, it->line, it->len, &it->en);
	if (it->err)
		snprintf(it->detail, sizeof(it->detail), "%s", err_last_detail());
}

/* In file order, in the reading thread: outcome, sort order, then fn. */
static int emarg_deliver(void *item, void *arg)
{
	struct emarg_item *it = item;
	struct emarg_reader *r = arg;
	const struct emarg_entry *en = &it->en;
	int order;

	if (it->err) {
		err_detail("entries.jsonl, line %llu: %s", (unsigned long long)en->line,
			   it->detail);
		return it->err;
	}
	order = en->scrutin != r->prev.scrutin ? (en->scrutin > r->prev.scrutin ? 1 : -1)
					       : strcmp(en->voter, r->prev.voter);
	if (en->line > 1 && order <= 0) {
		err_detail("entries.jsonl, line %llu: %s", (unsigned long long)en->line,
			   order == 0 ? "the same voter signs twice for this scrutin"
				      : "not sorted by scrutin then voter");
		return ERR_FORMAT;
	}
	r->prev = *en;
	r->seen++;
	return r->fn(en, r->arg);
}

/* A complete line in r->line: framed, and queued for its parse. */
static int emarg_line(struct emarg_reader *r)
{
	int ret;
	struct emarg_item *it = batch_slot(r->b, &ret);

	if (!it)
		return ret;
	memset(&it->en, 0, sizeof(it->en));
	it->err = 0;
	it->detail[0] = '\0';
	it->en.line = ++r->lines;
	it->len = r->have;
	memcpy(it->line, r->line, r->have);
	it->line[r->have] = '\0';
	return batch_push(r->b);
}

int emarg_reader_feed(struct emarg_reader *r, const uint8_t *data, size_t len)
{
	int ret = 0;

	while (len > 0 && ret == 0) {
		const uint8_t *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;

		if (r->have + take > EMARG_LINE_MAX) {
			err_detail("entries.jsonl, line %llu: longer than %u bytes",
				   (unsigned long long)r->lines + 1, EMARG_LINE_MAX);
			return batch_frame_error(r->b, ERR_FORMAT);
		}
		memcpy(r->line + r->have, data, take);
		r->have += take;
		data += take;
		len -= take;
		if (!nl)
			break;
		data++;
		len--;
		ret = emarg_line(r);
		r->have = 0;
	}
	return ret;
}

int emarg_reader_finish(struct emarg_reader *r, uint64_t *count)
{
	int ret = batch_drain(r->b);

	if (ret)
		return ret;
	if (r->have != 0) {
		err_detail("entries.jsonl, line %llu: no final newline (truncated?)",
			   (unsigned long long)r->lines + 1);
		return ERR_FORMAT;
	}
	if (count)
		*count = r->lines;
	return 0;
}

int emarg_entry_encode(const struct emarg_entry *e, char *out, size_t n)
{
	int len = snprintf(out, n, "{\"voter\": \"%s\", \"scrutin\": %u, \"time\": \"%s\"}",
			   e->voter, e->scrutin, e->time);

	return len > 0 && (size_t)len < n ? 0 : ERR_RANGE;
}
