/* The recount: a fresh session from the archived inputs; see recount.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int rec_compare(const char *orig, const char *again, struct ui *u)
{
	static const char *const files[] = { "results.json", "ballots-decrypted.bin" };
	char a[4200], b[4200];
	int ret = 0;

	for (size_t i = 0; i < 2; i++) {
		snprintf(a, sizeof(a), "%s/%s", orig, files[i]);
		snprintf(b, sizeof(b), "%s/%s", again, files[i]);
		ret |= rec_same_file(a, b, files[i], u) != 0;
	}
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
		/* the first count's shuffles, checked again, not new ones: the
		 * recount then decrypts the same lists, byte for byte */
		io = (struct import_opts){ dir, in[0], in[1], in[2], in[3], o->jobs,
					   o->session_dir };
		ret = import_run(&io, u);
	}
	co.session_dir = dir;
	if (!ret)
		ret = counting_run(&co, u);
	if (!ret)
		ret = rec_compare(o->session_dir, dir, u);
	if (!ret)
		ui_say(u, UI_OK, "%s", msg(MSG_RECOUNT_OK));
	session_close(&s);
	return ret;
}
