/* The recount: a fresh session from the archived inputs; see recount.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/decrypted.h"
#include "lib/err.h"
#include "lib/file.h"
#include "session/import.h"
#include "session/recount.h"
#include "session/session.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define RECOUNT_FILE_MAX (1u << 30)

static int rec_same_file(const char *a, const char *b, const char *name, struct ui *u)
{
	uint8_t *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	int ret = file_read_all(a, RECOUNT_FILE_MAX, &x, &nx);

	if (!ret)
		ret = file_read_all(b, RECOUNT_FILE_MAX, &y, &ny);
	if (!ret && (nx != ny || memcmp(x, y, nx) != 0)) {
		ui_say(u, UI_ERROR, msg(MSG_RECOUNT_DIFF), name);
		err_detail("%s differs from the recount's %s", a, b);
		ret = ERR_VERIFY;
	} else if (!ret) {
		ui_say(u, UI_OK, msg(MSG_RECOUNT_SAME), name);
	}
	free(x);
	free(y);
	return ret;
}

/* The first <session>/recount-<n> that does not exist yet. */
static int rec_new_dir(const char *session, char *out, size_t n)
{
	for (unsigned i = 1; i < 1000; i++) {
		if ((size_t)snprintf(out, n, "%s/recount-%u", session, i) >= n)
			return ERR_RANGE;
		if (access(out, F_OK) != 0)
			return 0;
	}
	return ERR_EXISTS;
}

/* One decrypted-ballots file as sorted entries (status || plaintext) per
 * scrutin: what it decrypted, whatever the order of its shuffled lists. */
struct rec_set {
	uint8_t *e[ELECTION_MAX_SCRUTINS];
	size_t n[ELECTION_MAX_SCRUTINS], cap[ELECTION_MAX_SCRUTINS];
};

static int rec_entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 1 + PTENC_PT_MAX);
}

static int rec_add(struct rec_set *r, const struct decrypted_ballot *d)
{
	unsigned k = d->scrutin - 1u;
	uint8_t *p;

	if (r->n[k] == r->cap[k]) {
		size_t cap = r->cap[k] ? 2 * r->cap[k] : 1024;
		p = realloc(r->e[k], cap * (1 + PTENC_PT_MAX));
		if (!p)
			return ERR_NOMEM;
		r->e[k] = p;
		r->cap[k] = cap;
	}
	p = r->e[k] + r->n[k]++ * (1 + PTENC_PT_MAX);
	memset(p, 0, 1 + PTENC_PT_MAX);
	p[0] = d->status;
	memcpy(p + 1, d->pt, d->pt_len);
	return 0;
}

static int rec_read_set(const char *path, const struct election *e, struct rec_set *r)
{
	struct decfile_reader *dr = NULL;
	struct decrypted_ballot d;
	FILE *f = fopen(path, "rb");
	int ret = f ? decfile_reader_new(f, e, &dr) : ERR_NOTFOUND;

	if (!f)
		err_detail("%s: cannot be read", path);
	while (!ret && (ret = decfile_reader_next(dr, &d)) == 0)
		ret = rec_add(r, &d);
	if (ret == 1)
		ret = decfile_reader_finish(dr, (uint8_t[32]){ 0 }, NULL);
	decfile_reader_free(dr);
	if (f)
		fclose(f);
	for (unsigned k = 0; !ret && k < ELECTION_MAX_SCRUTINS; k++)
		if (r->n[k])
			qsort(r->e[k], r->n[k], 1 + PTENC_PT_MAX, rec_entry_cmp);
	return ret;
}

/* The recount shuffles again, so its decrypted file lists the ballots in
 * another order, with other S and proofs: what must be the same is, for
 * each scrutin, the multiset of what was decrypted. */
static int rec_same_ballots(const char *a, const char *b, const struct election *e,
			    struct ui *u)
{
	struct rec_set x, y;
	int ret, same = 1;

	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	ret = rec_read_set(a, e, &x);
	if (!ret)
		ret = rec_read_set(b, e, &y);
	for (unsigned k = 0; !ret && k < ELECTION_MAX_SCRUTINS; k++)
		same &= x.n[k] == y.n[k] &&
			(!x.n[k] || memcmp(x.e[k], y.e[k], x.n[k] * (1 + PTENC_PT_MAX)) == 0);
	if (!ret && !same) {
		ui_say(u, UI_ERROR, msg(MSG_RECOUNT_DIFF), "ballots-decrypted.bin");
		err_detail("%s does not hold the ballots the recount's %s holds", a, b);
		ret = ERR_VERIFY;
	} else if (!ret) {
		ui_say(u, UI_OK, msg(MSG_RECOUNT_SAME_BALLOTS), "ballots-decrypted.bin");
	}
	for (unsigned k = 0; k < ELECTION_MAX_SCRUTINS; k++) {
		free(x.e[k]);
		free(y.e[k]);
	}
	return ret;
}

static int rec_compare(const char *orig, const char *again, const struct election *e,
		       struct ui *u)
{
	char a[4200], b[4200];
	int ret;

	snprintf(a, sizeof(a), "%s/results.json", orig);
	snprintf(b, sizeof(b), "%s/results.json", again);
	ret = rec_same_file(a, b, "results.json", u) != 0;
	snprintf(a, sizeof(a), "%s/ballots-decrypted.bin", orig);
	snprintf(b, sizeof(b), "%s/ballots-decrypted.bin", again);
	ret |= rec_same_ballots(a, b, e, u) != 0;
	return ret ? ERR_VERIFY : 0;
}

int recount_run(const struct counting_opts *o, struct ui *u)
{
	char dir[4096], in[5][4200];
	static const char *const names[] = { "record.json", "election.json", "urn.iso",
					     "emargement.iso", "results.json" };
	struct import_opts io;
	struct counting_opts co = *o;
	struct session s;
	int ret = session_open(&s, o->session_dir, PHASE_CMD_RECOUNT, u);

	for (int i = 0; !ret && i < 5; i++) {
		snprintf(in[i], sizeof(in[i]), "%s/%s", o->session_dir, names[i]);
		if (access(in[i], R_OK) != 0) {
			err_detail("%s: missing; the session must have been counted", in[i]);
			ret = ERR_STATE;
		}
	}
	if (!ret)
		ret = rec_new_dir(o->session_dir, dir, sizeof(dir));
	if (!ret) {
		ui_say(u, UI_STEP, msg(MSG_STEP_RECOUNT), dir);
		io = (struct import_opts){ dir, in[0], in[1], in[2], in[3], o->jobs };
		ret = import_run(&io, u);
	}
	co.session_dir = dir;
	if (!ret)
		ret = counting_run(&co, u);
	if (!ret)
		ret = rec_compare(o->session_dir, dir, s.e, u);
	if (!ret)
		ui_say(u, UI_OK, "%s", msg(MSG_RECOUNT_OK));
	session_close(&s);
	return ret;
}
