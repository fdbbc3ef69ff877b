/*
 * sceau-prepare: turns the CSV files an HR department sends (election.csv,
 * candidates.csv, bureau.csv: UTF-8, ';'-separated, one header row) into the
 * election definition "sceau-election/1" and the bureau file
 * "sceau-bureau/1" (docs/FORMATS.md). The output is byte-reproducible
 * (fixed key order, 2-space indent, final newline), and both files are
 * re-parsed with the firmware's own parsers before anything is written.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format/bureau.h"
#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/json_util.h"
#include "lib/opt.h"
#include "crypto/hash.h"
#include "lib/hex.h"

#define CSV_MAX (4u << 20)
#define CSV_MAX_COLS 16
#define SHARE_ONE 1000000000u /* 10^JUTIL_SHARE_DIGITS */

struct col {
	const char *name;
	int ignored; /* optional, and not copied to the output */
};

struct row {
	unsigned line;
	char *v[CSV_MAX_COLS]; /* by column of the spec, NULL if ignored/absent */
};

struct table {
	const char *path;
	const struct col *cols;
	unsigned n_cols;
	uint8_t *data;
	size_t len;
	unsigned n_rows;
	struct row *rows;
};

enum { E_ESTAB, E_SIRET, E_COLLEGE, E_BODY, E_ROUND, E_SEATS, E_INSCRITS,
       E_WOMEN, E_MEN, E_OPENS, E_CLOSES };
static const struct col election_cols[] = {
	{ "establishment", 0 }, { "siret", 0 }, { "college", 0 }, { "body", 0 },
	{ "round", 0 }, { "seats", 0 }, { "inscrits", 0 }, { "share_women", 0 },
	{ "share_men", 0 }, { "opens", 0 }, { "closes", 0 },
};

enum { C_COLLEGE, C_BODY, C_LIST, C_UNION, C_POSITION, C_LAST, C_FIRST, C_SEX,
       C_BIRTH };
static const struct col candidate_cols[] = {
	{ "college", 0 }, { "body", 0 }, { "list", 0 }, { "union", 0 },
	{ "position", 0 }, { "last_name", 0 }, { "first_name", 0 }, { "sex", 0 },
	{ "birth_date", 0 },
};

enum { B_ROLE, B_LAST, B_FIRST, B_EMAIL };
static const struct col bureau_cols[] = {
	{ "role", 0 }, { "last_name", 0 }, { "first_name", 0 }, { "email", 1 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A list being assembled from candidates.csv. */
struct plist {
	const char *name, *unions;
	unsigned first_line, n_candidates;
	json_t *candidates;
};

/* A scrutin from election.csv, and its lists in order of first appearance. */
struct pscrutin {
	const struct row *row;
	json_t *lists;
	unsigned n_lists;
	struct plist l[ELECTION_MAX_LISTS];
};

static int fail_at(const struct table *t, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(const struct table *t, unsigned line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		err_detail("%s line %u: %s", t->path, line, msg);
	else
		err_detail("%s: %s", t->path, msg);
	return ERR_FORMAT;
}

/* ---- CSV reading ------------------------------------------------------- */

/* Splits one line in place. A field may be quoted ("...") to hold ';'; a
 * quote inside a quoted field is written twice. */
static int split_line(const struct table *t, char *s, unsigned line, char **f,
		      unsigned *n)
{
	unsigned k = 0;
	char end;

	do {
		char *w = s;

		if (k == CSV_MAX_COLS)
			return fail_at(t, line, "more than %d fields", CSV_MAX_COLS);
		f[k] = w;
		if (*s == '"') {
			for (s++; *s != '"' || s[1] == '"'; s++) {
				if (*s == '\0')
					return fail_at(t, line, "field %u: quote "
						       "not closed on this line", k + 1);
				*w++ = *s;
				s += *s == '"';
			}
			s++;
			if (*s != ';' && *s != '\0')
				return fail_at(t, line, "field %u: text after the "
					       "closing quote", k + 1);
		} else {
			for (; *s != ';' && *s != '\0'; s++) {
				if (*s == '"')
					return fail_at(t, line, "field %u: a quote in an "
						       "unquoted field (quote the whole "
						       "field and double the quote)", k + 1);
				*w++ = *s;
			}
		}
		end = *s++;
		*w = '\0';
		k++;
	} while (end == ';');
	*n = k;
	return 0;
}

static int header(struct table *t, char *s, unsigned *map, unsigned *n)
{
	char *f[CSV_MAX_COLS];
	unsigned seen = 0, i, j;
	int ret = split_line(t, s, 1, f, n);

	for (i = 0; !ret && i < *n; i++) {
		for (j = 0; j < t->n_cols && strcmp(f[i], t->cols[j].name); j++)
			;
		if (j == t->n_cols)
			return fail_at(t, 1, "unknown column \"%s\"", f[i]);
		if (seen & (1u << j))
			return fail_at(t, 1, "column \"%s\" twice", f[i]);
		seen |= 1u << j;
		map[i] = j;
	}
	for (j = 0; !ret && j < t->n_cols; j++)
		if (!(seen & (1u << j)) && !t->cols[j].ignored)
			return fail_at(t, 1, "missing column \"%s\"", t->cols[j].name);
	return ret;
}

static int check_text(const struct table *t, unsigned line, const char *col,
		      const char *v)
{
	struct jutil_path p;
	int n = snprintf(p.s, sizeof(p.s), "%s line %u, column %s", t->path, line,
			 col);

	p.len = n < 0 ? 0 : (size_t)n < sizeof(p.s) ? (size_t)n : sizeof(p.s) - 1;
	return jutil_text_check(v, strlen(v), ELECTION_TEXT_MAX, &p, NULL);
}

static int data_row(struct table *t, char *s, unsigned line, const unsigned *map,
		    unsigned n_hdr)
{
	struct row *r = &t->rows[t->n_rows];
	char *f[CSV_MAX_COLS];
	unsigned n;
	int ret = split_line(t, s, line, f, &n);

	if (ret)
		return ret;
	if (n != n_hdr)
		return fail_at(t, line, "%u fields, expected %u (separator ';')", n,
			       n_hdr);
	r->line = line;
	for (unsigned i = 0; i < n; i++) {
		if (t->cols[map[i]].ignored)
			continue;
		ret = check_text(t, line, t->cols[map[i]].name, f[i]);
		if (ret)
			return ret;
		r->v[map[i]] = f[i];
	}
	t->n_rows++;
	return 0;
}

/* One line (NUL-terminated in place): line 1 is the header. */
static int table_line(struct table *t, char *s, unsigned line, unsigned *map,
		      unsigned *n_hdr)
{
	long bad = jutil_bad_char(s, strlen(s));

	if (bad >= 0)
		return fail_at(t, line, "invalid UTF-8 or control character at byte "
			       "%ld of the line", bad + 1);
	if (*s == '\0')
		return fail_at(t, line, "empty line");
	return line == 1 ? header(t, s, map, n_hdr) : data_row(t, s, line, map, *n_hdr);
}

static size_t count_lines(const char *s, const char *end)
{
	size_t n = 1;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL && s < end) {
		n++;
		s++;
	}
	return n;
}

static int table_load(struct table *t)
{
	unsigned map[CSV_MAX_COLS], n_hdr = 0, line = 0;
	char *s, *end;
	int ret;

	ret = file_read_all(t->path, CSV_MAX, &t->data, &t->len);
	if (ret)
		return ret;
	s = (char *)t->data;
	end = s + t->len;
	if (t->len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3; /* the byte-order mark some spreadsheets write */
	if (memchr(s, '\0', (size_t)(end - s)))
		return fail_at(t, 0, "NUL byte in the file");
	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	t->rows = calloc(count_lines(s, end), sizeof(*t->rows));
	if (!t->rows)
		return ERR_NOMEM;
	for (ret = 0; !ret && s < end; line++) {
		char *nl = memchr(s, '\n', (size_t)(end - s)), *eol = nl ? nl : end;

		*eol = '\0';
		if (eol > s && eol[-1] == '\r')
			eol[-1] = '\0';
		ret = table_line(t, s, line + 1, map, &n_hdr);
		s = eol + 1;
	}
	if (!ret && t->n_rows == 0)
		ret = fail_at(t, 0, "no data rows");
	return ret;
}

static void table_free(struct table *t)
{
	free(t->rows);
	free(t->data);
}

/* ---- field conversions ------------------------------------------------- */

static int get_uint(const struct table *t, const struct row *r, unsigned c,
		    unsigned max, json_int_t *out)
{
	const char *s = r->v[c];
	unsigned long v;
	char *end;

	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return fail_at(t, r->line, "column %s: not a whole number (%s)",
			       t->cols[c].name, s);
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return fail_at(t, r->line, "column %s: %s is out of range (1 to %u)",
			       t->cols[c].name, s, max);
	*out = (json_int_t)v;
	return 0;
}

/* A share "0.38" (a French decimal comma is accepted), into out. */
static int get_share(const struct table *t, const struct row *r, unsigned c,
		     char out[32], struct frac_u *f)
{
	const char *s = r->v[c];
	size_t n = strlen(s);

	if (n >= 32)
		return fail_at(t, r->line, "column %s: too long", t->cols[c].name);
	memcpy(out, s, n + 1);
	for (char *p = out; *p; p++)
		if (*p == ',')
			*p = '.';
	if (jutil_parse_share(out, &f->num, &f->den))
		return fail_at(t, r->line, "column %s: not a decimal between 0 and 1 "
			       "like 0.38 (%s)", t->cols[c].name, s);
	return 0;
}

static int scrutin_checks(const struct table *t, const struct row *r)
{
	const struct row *r0 = &t->rows[0];
	struct frac_u w, m;
	char sw[32], sm[32];
	int64_t o, c;
	int ret;

	if (strcmp(r->v[E_ESTAB], r0->v[E_ESTAB]) || strcmp(r->v[E_SIRET], r0->v[E_SIRET]))
		return fail_at(t, r->line, "establishment or siret differs from line %u",
			       r0->line);
	if (strlen(r->v[E_SIRET]) != 14 || strspn(r->v[E_SIRET], "0123456789") != 14)
		return fail_at(t, r->line, "siret: expected 14 digits");
	if (strcmp(r->v[E_BODY], "titulaires") && strcmp(r->v[E_BODY], "suppléants"))
		return fail_at(t, r->line, "body: expected titulaires or suppléants");
	ret = get_share(t, r, E_WOMEN, sw, &w);
	if (!ret)
		ret = get_share(t, r, E_MEN, sm, &m);
	if (!ret && w.num * m.den + m.num * w.den != w.den * m.den)
		return fail_at(t, r->line, "share_women + share_men is not 1");
	if (!ret && (jutil_parse_datetime(r->v[E_OPENS], &o) ||
		     jutil_parse_datetime(r->v[E_CLOSES], &c)))
		return fail_at(t, r->line, "opens/closes: expected a date and time "
			       "like 2026-12-01T08:00+01:00");
	if (!ret && c <= o)
		return fail_at(t, r->line, "closes is not after opens");
	return ret;
}

static json_t *scrutin_json(const struct table *t, const struct row *r,
			    unsigned id)
{
	json_int_t round, seats, inscrits;
	struct frac_u f;
	char sw[32], sm[32];

	if (scrutin_checks(t, r) || get_uint(t, r, E_ROUND, 2, &round) ||
	    get_uint(t, r, E_SEATS, ELECTION_MAX_SEATS, &seats) ||
	    get_uint(t, r, E_INSCRITS, ELECTION_MAX_INSCRITS, &inscrits) ||
	    get_share(t, r, E_WOMEN, sw, &f) || get_share(t, r, E_MEN, sm, &f))
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:[]}",
			 "id", (json_int_t)id, "college", r->v[E_COLLEGE], "body",
			 r->v[E_BODY], "round", round, "seats", seats, "inscrits",
			 inscrits, "share_women", sw, "share_men", sm, "opens",
			 r->v[E_OPENS], "closes", r->v[E_CLOSES], "lists");
}

/* ---- unions: "CGT 60% / Solidaires 40%" or "FO" ------------------------ */

/* "60" or "33,5" (percent) to the exact decimal share "0.6", "0.335". */
static int percent_to_share(const char *s, char out[32])
{
	size_t ni = strspn(s, "0123456789"), nf = 0;
	const char *frac = "";
	char ip[4] = "000", f[16];

	if (s[ni] == '.' || s[ni] == ',') {
		frac = s + ni + 1;
		nf = strspn(frac, "0123456789");
		if (nf == 0 || frac[nf] != '\0')
			return -1;
	} else if (s[ni] != '\0') {
		return -1;
	}
	if (ni == 0 || ni > 3 || nf > JUTIL_SHARE_DIGITS - 2)
		return -1;
	memcpy(ip + 3 - ni, s, ni);
	memcpy(f, ip + 1, 2);
	memcpy(f + 2, frac, nf);
	f[2 + nf] = '\0';
	for (size_t n = 2 + nf; n > 0 && f[n - 1] == '0'; n--)
		f[n - 1] = '\0';
	snprintf(out, 32, "%c%s%s", ip[0], f[0] ? "." : "", f);
	return ip[0] > '1' ? -1 : 0;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/* One "NAME" or "NAME P%" part; share[0] = '\0' when no percentage. */
static int union_part(char *part, char **name, char share[32])
{
	char *sp;
	size_t n;

	*name = trim(part);
	share[0] = '\0';
	n = strlen(*name);
	if (n == 0)
		return -1;
	if ((*name)[n - 1] != '%')
		return 0;
	(*name)[n - 1] = '\0';
	sp = strrchr(*name, ' ');
	if (!sp || percent_to_share(sp + 1, share))
		return -1;
	*sp = '\0';
	*name = trim(*name);
	return **name ? 0 : -1;
}

static int unions_sum(json_t *arr, uint64_t *sum)
{
	size_t i;
	json_t *u;

	*sum = 0;
	json_array_foreach(arr, i, u) {
		uint64_t num, den;

		if (jutil_parse_share(json_string_value(json_object_get(u, "share")),
				      &num, &den) || num == 0)
			return -1;
		*sum += num * (SHARE_ONE / den);
	}
	return 0;
}

static json_t *unions_json(const struct table *t, const struct row *r)
{
	char buf[ELECTION_TEXT_MAX + 1], share[32], *save = buf, *part, *name;
	unsigned n = 0, with = 0;
	json_t *arr = json_array();
	uint64_t sum;

	snprintf(buf, sizeof(buf), "%s", r->v[C_UNION]);
	while (arr && (part = strsep(&save, "/")) != NULL) {
		if (++n > ELECTION_MAX_UNIONS || union_part(part, &name, share))
			goto bad;
		with += share[0] != '\0';
		if (json_array_append_new(arr, share[0] ?
					  json_pack("{s:s, s:s}", "name", name, "share", share) :
					  json_pack("{s:s}", "name", name)))
			goto bad;
	}
	if (with && (with != n || unions_sum(arr, &sum) || sum != SHARE_ONE))
		goto bad;
	return arr;
bad:
	json_decref(arr);
	fail_at(t, r->line, "union: expected \"NAME\" or \"NAME1 P1%% / NAME2 P2%%\" "
		"(at most %d unions, every one with a percentage above 0 or none, "
		"summing to 100%%), got \"%s\"", ELECTION_MAX_UNIONS, r->v[C_UNION]);
	return NULL;
}

/* ---- candidates -------------------------------------------------------- */

static struct pscrutin *find_scrutin(struct pscrutin *s, unsigned n,
				     const struct row *r)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(s[i].row->v[E_COLLEGE], r->v[C_COLLEGE]) &&
		    !strcmp(s[i].row->v[E_BODY], r->v[C_BODY]))
			return &s[i];
	return NULL;
}

static int new_list(const struct table *t, const struct row *r,
		    struct pscrutin *s, struct plist **out)
{
	struct plist *l = &s->l[s->n_lists];
	json_t *o, *unions;

	if (s->n_lists == ELECTION_MAX_LISTS)
		return fail_at(t, r->line, "more than %d lists in this scrutin",
			       ELECTION_MAX_LISTS);
	unions = unions_json(t, r);
	if (!unions)
		return ERR_FORMAT;
	o = json_pack("{s:I, s:s, s:o, s:[]}", "number", (json_int_t)s->n_lists + 1,
		      "name", r->v[C_LIST], "unions", unions, "candidates");
	if (!o || json_array_append_new(s->lists, o))
		return ERR_NOMEM;
	l->name = r->v[C_LIST];
	l->unions = r->v[C_UNION];
	l->first_line = r->line;
	l->candidates = json_object_get(o, "candidates");
	s->n_lists++;
	*out = l;
	return 0;
}

static int candidate_checks(const struct table *t, const struct row *r,
			    const struct plist *l)
{
	json_int_t pos;
	int ret = get_uint(t, r, C_POSITION, ELECTION_MAX_CANDIDATES, &pos);

	if (ret)
		return ret;
	if (pos != (json_int_t)l->n_candidates + 1)
		return fail_at(t, r->line, "position %s, expected %u (positions of list "
			       "\"%s\" must be 1, 2, 3... in file order)",
			       r->v[C_POSITION], l->n_candidates + 1, l->name);
	if (strcmp(l->unions, r->v[C_UNION]))
		return fail_at(t, r->line, "union differs from line %u of the same list",
			       l->first_line);
	if (strcmp(r->v[C_SEX], "F") && strcmp(r->v[C_SEX], "M"))
		return fail_at(t, r->line, "sex: expected F or M");
	if (jutil_parse_date(r->v[C_BIRTH], NULL))
		return fail_at(t, r->line, "birth_date: not a valid date YYYY-MM-DD (%s)",
			       r->v[C_BIRTH]);
	return 0;
}

static int add_candidate(const struct table *t, const struct row *r,
			 struct pscrutin *s)
{
	struct plist *l = NULL;
	unsigned i;
	json_t *o;
	int ret;

	for (i = 0; i < s->n_lists && strcmp(s->l[i].name, r->v[C_LIST]); i++)
		;
	if (i < s->n_lists)
		l = &s->l[i];
	else if ((ret = new_list(t, r, s, &l)) != 0)
		return ret;
	ret = candidate_checks(t, r, l);
	if (ret)
		return ret;
	o = json_pack("{s:s, s:s, s:s, s:s}", "last_name", r->v[C_LAST], "first_name",
		      r->v[C_FIRST], "sex", r->v[C_SEX], "birth_date", r->v[C_BIRTH]);
	if (!o || json_array_append_new(l->candidates, o))
		return ERR_NOMEM;
	l->n_candidates++;
	return 0;
}

/* ---- documents --------------------------------------------------------- */

static int add_scrutins(const struct table *et, json_t *arr, struct pscrutin *s)
{
	for (unsigned i = 0; i < et->n_rows; i++) {
		const struct row *r = &et->rows[i];
		json_t *o;

		s[i].row = r;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(s[j].row->v[E_COLLEGE], r->v[E_COLLEGE]) &&
			    !strcmp(s[j].row->v[E_BODY], r->v[E_BODY]))
				return fail_at(et, r->line, "same college and body as "
					       "line %u", s[j].row->line);
		o = scrutin_json(et, r, i + 1);
		if (!o || json_array_append_new(arr, o))
			return ERR_FORMAT;
		s[i].lists = json_object_get(o, "lists");
	}
	return 0;
}

static int add_lists(const struct table *et, const struct table *ct,
		     struct pscrutin *s)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < ct->n_rows; i++) {
		const struct row *r = &ct->rows[i];
		struct pscrutin *sc = find_scrutin(s, et->n_rows, r);

		if (!sc)
			return fail_at(ct, r->line, "no scrutin with college \"%s\" and "
				       "body \"%s\" in %s", r->v[C_COLLEGE],
				       r->v[C_BODY], et->path);
		ret = add_candidate(ct, r, sc);
	}
	for (unsigned i = 0; !ret && i < et->n_rows; i++)
		if (s[i].n_lists == 0)
			return fail_at(et, s[i].row->line, "no candidates for this "
				       "scrutin in %s", ct->path);
	return ret;
}

static int election_json(const struct table *et, const struct table *ct,
			 const char *title, json_t **out)
{
	struct pscrutin *s = NULL;
	json_t *root;
	int ret;

	if (et->n_rows > ELECTION_MAX_SCRUTINS)
		return fail_at(et, 0, "more than %d scrutins", ELECTION_MAX_SCRUTINS);
	root = json_pack("{s:s, s:{s:s, s:s}, s:s, s:[]}", "format", ELECTION_FORMAT,
			 "establishment", "name", et->rows[0].v[E_ESTAB], "siret",
			 et->rows[0].v[E_SIRET], "title", title, "scrutins");
	s = calloc(et->n_rows, sizeof(*s));
	if (!root || !s) {
		ret = ERR_NOMEM;
		goto out;
	}
	ret = add_scrutins(et, json_object_get(root, "scrutins"), s);
	if (!ret)
		ret = add_lists(et, ct, s);
out:
	free(s);
	if (ret)
		json_decref(root);
	else
		*out = root;
	return ret;
}

static int bureau_json(const struct table *bt, json_t **out)
{
	json_t *root, *arr;

	if (bt->n_rows > BUREAU_MAX_MEMBERS)
		return fail_at(bt, 0, "more than %d members", BUREAU_MAX_MEMBERS);
	root = json_pack("{s:s, s:[]}", "format", BUREAU_FORMAT, "members");
	arr = json_object_get(root, "members");
	for (unsigned i = 0; arr && i < bt->n_rows; i++) {
		const struct row *r = &bt->rows[i];

		if (json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "role",
				r->v[B_ROLE], "last_name", r->v[B_LAST],
				"first_name", r->v[B_FIRST])))
			arr = NULL;
	}
	if (!arr) {
		json_decref(root);
		return ERR_NOMEM;
	}
	*out = root;
	return 0;
}

/* Pretty-printed, keys in insertion order, raw UTF-8, final newline. */
static int dump(json_t *doc, char **text, size_t *len)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *t;

	if (!s)
		return ERR_NOMEM;
	*len = strlen(s);
	t = realloc(s, *len + 2);
	if (!t) {
		free(s);
		return ERR_NOMEM;
	}
	t[(*len)++] = '\n';
	t[*len] = '\0';
	*text = t;
	return 0;
}

/* ---- main -------------------------------------------------------------- */

struct opts {
	const char *election, *candidates, *bureau, *title, *out_election,
		*out_bureau;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sceau-prepare --election election.csv --candidates candidates.csv\n"
		"         --bureau bureau.csv --title TITLE\n"
		"         --out-election definition.json --out-bureau bureau.json\n"
		"Converts the HR department's CSV files (UTF-8, ';'-separated, header row)\n"
		"into the election definition (sceau-election/1) and the bureau file\n"
		"(sceau-bureau/1); see docs/FORMATS.md. Existing outputs are replaced.\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int help = 0;
	const struct opt opts[] = {
		OPT_STR("election", &o->election), OPT_STR("candidates", &o->candidates),
		OPT_STR("bureau", &o->bureau), OPT_STR("title", &o->title),
		OPT_STR("out-election", &o->out_election), OPT_STR("out-bureau", &o->out_bureau),
		OPT_BOOL("help", &help),
	};

	if (opt_parse(argc, argv, opts, N(opts)) != 0) {
		fprintf(stderr, "sceau-prepare: %s\n", err_last_detail());
		return -1;
	}
	if (help) {
		usage(stdout);
		exit(0);
	}
	return o->election && o->candidates && o->bureau && o->title && o->out_election &&
			       o->out_bureau ? 0 : -1;
}

static int check_title(const char *title)
{
	struct jutil_path p;

	jutil_path_init(&p);
	jutil_path_key(&p, "--title");
	return jutil_text_check(title, strlen(title), ELECTION_TEXT_MAX, &p, NULL);
}

/* Names the document whose firmware check failed (it is not written). */
static int recheck(int ret, const char *what)
{
	char detail[512];

	if (ret && ret != ERR_NOMEM) {
		snprintf(detail, sizeof(detail), "%s", err_last_detail());
		err_detail("the generated %s does not pass the firmware's check "
			   "(nothing written): %s", what, detail);
	}
	return ret;
}

/* Builds both documents and checks them with the firmware's parsers. */
static int build(const struct opts *o, char **def, size_t *def_len, char **bur,
		 size_t *bur_len, struct election **e, struct bureau *b)
{
	struct table et = { .path = o->election, .cols = election_cols,
			    .n_cols = N(election_cols) };
	struct table ct = { .path = o->candidates, .cols = candidate_cols,
			    .n_cols = N(candidate_cols) };
	struct table bt = { .path = o->bureau, .cols = bureau_cols,
			    .n_cols = N(bureau_cols) };
	json_t *ed = NULL, *bd = NULL;
	int ret;

	ret = check_title(o->title);
	if (!ret)
		ret = table_load(&et);
	if (!ret)
		ret = table_load(&ct);
	if (!ret)
		ret = table_load(&bt);
	if (!ret)
		ret = election_json(&et, &ct, o->title, &ed);
	if (!ret)
		ret = bureau_json(&bt, &bd);
	if (!ret)
		ret = dump(ed, def, def_len);
	if (!ret)
		ret = dump(bd, bur, bur_len);
	if (!ret)
		ret = recheck(election_parse((const uint8_t *)*def, *def_len, e),
			      "definition");
	if (!ret)
		ret = recheck(bureau_parse((const uint8_t *)*bur, *bur_len, b),
			      "bureau file");
	json_decref(ed);
	json_decref(bd);
	table_free(&et);
	table_free(&ct);
	table_free(&bt);
	return ret;
}

static void summary(const struct opts *o, const struct election *e,
		    const struct bureau *b)
{
	char hex[2 * HASH_LEN + 1];
	unsigned lists = 0, cands = 0;

	for (unsigned i = 0; i < e->n_scrutins; i++) {
		lists += e->scrutins[i].n_lists;
		for (unsigned j = 0; j < e->scrutins[i].n_lists; j++)
			cands += e->scrutins[i].lists[j].n_candidates;
	}
	hex_encode(e->id, HASH_LEN, hex);
	printf("%s: %u scrutins, %u lists, %u candidates\n", o->out_election,
	       e->n_scrutins, lists, cands);
	printf("  election_id %s\n", hex);
	printf("%s: %u members\n", o->out_bureau, b->n_members);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct election *e = NULL;
	struct bureau b;
	char *def = NULL, *bur = NULL;
	size_t def_len = 0, bur_len = 0;
	int ret;

	if (parse_opts(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	ret = build(&o, &def, &def_len, &bur, &bur_len, &e, &b);
	if (!ret)
		ret = file_write_atomic(o.out_election, def, def_len, 1);
	if (!ret)
		ret = file_write_atomic(o.out_bureau, bur, bur_len, 1);
	if (ret)
		fprintf(stderr, "sceau-prepare: %s\n", *err_last_detail() ?
			err_last_detail() : "out of memory");
	else
		summary(&o, e, &b);
	election_free(e);
	free(def);
	free(bur);
	return ret ? 1 : 0;
}
