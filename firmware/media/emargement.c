/* Streaming reader of the émargement entries; see emargement.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json_util.h"
#include "media/emargement.h"

struct emarg_reader {
	const struct election *e;
	emarg_entry_fn fn;
	void *arg;
	char line[EMARG_LINE_MAX + 1];
	size_t have;
	uint64_t lines;
	struct emarg_entry prev;
};

int emarg_reader_new(const struct election *e, emarg_entry_fn fn, void *arg,
		     struct emarg_reader **out)
{
	struct emarg_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return ERR_NOMEM;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	*out = r;
	return 0;
}

void emarg_reader_free(struct emarg_reader *r)
{
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

static int emarg_parse(struct emarg_reader *r, struct emarg_entry *en)
{
	static const char *const keys[] = { "voter", "scrutin", "time" };
	struct jutil_path p;
	json_t *o = NULL;
	uint64_t id = 0;
	int ret;

	jutil_path_init(&p);
	ret = jutil_load((const uint8_t *)r->line, r->have, EMARG_LINE_MAX, &o);
	if (!ret)
		ret = jutil_keys(o, &p, keys, 3);
	if (!ret)
		ret = jutil_text(o, &p, "voter", en->voter, sizeof(en->voter));
	if (!ret && !emarg_voter_ok(en->voter))
		ret = jutil_fail(&p, "voter", ERR_FORMAT, "only A-Z a-z 0-9 _ - allowed");
	if (!ret)
		ret = jutil_uint(o, &p, "scrutin", 1, r->e->n_scrutins, &id);
	en->scrutin = (uint16_t)id;
	if (!ret)
		ret = jutil_datetime(o, &p, "time", en->time, NULL);
	json_decref(o);
	return ret;
}

static int emarg_line(struct emarg_reader *r)
{
	struct emarg_entry en;
	char detail[512];
	int ret, order;

	memset(&en, 0, sizeof(en));
	en.line = ++r->lines;
	ret = emarg_parse(r, &en);
	if (ret) {
		snprintf(detail, sizeof(detail), "%s", err_last_detail());
		err_detail("entries.jsonl, line %llu: %s", (unsigned long long)en.line, detail);
		return ret;
	}
	order = en.scrutin != r->prev.scrutin ? (en.scrutin > r->prev.scrutin ? 1 : -1)
					      : strcmp(en.voter, r->prev.voter);
	if (en.line > 1 && order <= 0) {
		err_detail("entries.jsonl, line %llu: %s", (unsigned long long)en.line,
			   order == 0 ? "the same voter signs twice for this scrutin"
				      : "not sorted by scrutin then voter");
		return ERR_FORMAT;
	}
	r->prev = en;
	return r->fn(&en, r->arg);
}

int emarg_reader_feed(struct emarg_reader *r, const uint8_t *data, size_t len)
{
	int ret = 0;

	for (size_t i = 0; i < len && ret == 0; i++) {
		if (data[i] != '\n') {
			if (r->have >= EMARG_LINE_MAX) {
				err_detail("entries.jsonl, line %llu: longer than %u bytes",
					   (unsigned long long)r->lines + 1, EMARG_LINE_MAX);
				return ERR_FORMAT;
			}
			r->line[r->have++] = (char)data[i];
			continue;
		}
		ret = emarg_line(r);
		r->have = 0;
	}
	return ret;
}

int emarg_reader_finish(struct emarg_reader *r, uint64_t *count)
{
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
