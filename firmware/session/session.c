/* Opening, creating and advancing a session; see session.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/fault.h"
#include "lib/file.h"
#include "session/session.h"
#include "store/journal.h"
#include "ui/msg.h"
#include "ui/ui.h"

const char *session_path(struct session *s, const char *name)
{
	snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, name);
	return s->path;
}

static const char *session_db_name(const struct session *s)
{
	return s->cmd == PHASE_CMD_CEREMONY ? "ceremony.db" : "session.db";
}

void session_say_error(struct ui *u, int ret)
{
	const char *t = err_last_text();

	ui_say(u, UI_ERROR, "%s%s%s", msg_err(ret), t[0] ? msg(MSG_COLON) : "", t);
}

/* The directory itself cannot be written (read-only medium or file
 * system, or no permission): said as such, before anything is tried. */
static int session_readonly(struct session *s, struct ui *u, int e)
{
	if (e) /* else the detail already says what could not be written */
		err_detail("%s: %s", s->dir, strerror(e));
	ui_say(u, UI_ERROR, msg(MSG_SESSION_READONLY), s->dir);
	return ERR_READONLY;
}

/* The commands that create their session make its directory; every
 * writing command needs to write in it. */
static int session_dir_ready(struct session *s, struct ui *u)
{
	int ret = 0;

	if (s->cmd == PHASE_CMD_IMPORT || s->cmd == PHASE_CMD_CEREMONY)
		ret = file_mkdirs(s->dir);
	if (ret == ERR_READONLY)
		return session_readonly(s, u, 0);
	if (ret) {
		session_say_error(u, ret);
		return ret;
	}
	if (s->cmd != PHASE_CMD_RECOUNT && access(s->dir, W_OK) != 0) {
		int e = errno;
		if (err_from_errno(e) == ERR_READONLY)
			return session_readonly(s, u, e);
	}
	return 0;
}

/* The recount only reads (and may run from read-only media): a shared
 * lock if the lock file can be opened, none otherwise. */
static int session_lock(struct session *s, struct ui *u)
{
	int shared = s->cmd == PHASE_CMD_RECOUNT;
	int fd = open(session_path(s, "session.lock"),
		      shared ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 && shared)
		return 0;
	if (fd < 0 && err_from_errno(errno) == ERR_READONLY) {
		int e = errno;
		return session_readonly(s, u, e);
	}
	if (fd < 0) {
		err_detail("%s: %s", s->path, strerror(errno));
		session_say_error(u, ERR_IO);
		return ERR_IO;
	}
	if (flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;
		close(fd);
		if (!busy) {
			err_detail("%s: %s", s->path, strerror(errno));
			session_say_error(u, ERR_IO);
			return ERR_IO;
		}
		err_detail("another command holds %s", s->path);
		ui_say(u, UI_ERROR, msg(MSG_SESSION_BUSY), s->dir);
		return ERR_BUSY;
	}
	s->lock_fd = fd;
	return 0;
}

/* What a command cut off may have left in dir: temporary files
 * (file_write_atomic's <name>.tmp.<pid>, <name>.tmp), partial copies
 * (<name>.part) and a database being created (<db>.new and its -wal,
 * -shm, -journal). Never SQLite's own session.db-journal or -wal, which
 * finish or undo an interrupted transaction. Called under the lock. */
static int session_is_stale(const char *name)
{
	size_t n = strlen(name);

	return strstr(name, ".tmp.") || (n > 4 && strcmp(name + n - 4, ".tmp") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".part") == 0) || strstr(name, ".db.new");
}

static void session_clean_dir(struct session *s, const char *sub)
{
	char dir[sizeof(s->dir) + 16], p[sizeof(dir) + 256];
	struct dirent *d;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s%s%s", s->dir, sub[0] ? "/" : "", sub);
	dh = opendir(dir);
	if (!dh)
		return;
	while ((d = readdir(dh)) != NULL)
		if (d->d_name[0] != '.' && session_is_stale(d->d_name)) {
			snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
			unlink(p);
		}
	closedir(dh);
}

static void session_clean(struct session *s)
{
	session_clean_dir(s, "");
	session_clean_dir(s, "pv");
	session_clean_dir(s, "archive");
}

static int session_read_phase(struct session *s)
{
	char text[32];
	int ret = store_meta_get(s->db, "phase", text, sizeof(text));

	if (ret == ERR_NOTFOUND || ret == ERR_RANGE) {
		err_detail("%s has no session phase", session_path(s, session_db_name(s)));
		return ERR_FORMAT;
	}
	return ret ? ret : phase_parse(text, &s->phase);
}

/* Why cmd cannot run in the session's phase, in the command's words. */
static int session_refuse(struct session *s, struct ui *u)
{
	const char *name = phase_name(s->phase);

	err_detail("sceau %s: the session in %s is at phase %s", phase_cmd_name(s->cmd),
		   s->dir, s->phase == PHASE_NONE ? "(none)" : name);
	if (s->phase == PHASE_NONE) {
		ui_say(u, UI_ERROR, msg(MSG_SESSION_NONE), s->dir);
		return ERR_NOTFOUND;
	}
	if (s->cmd == PHASE_CMD_CEREMONY)
		ui_say(u, UI_ERROR, "%s", msg(MSG_CEREMONY_STARTED));
	else if (s->cmd == PHASE_CMD_IMPORT)
		ui_say(u, UI_ERROR, "%s", msg(MSG_IMPORT_TWICE));
	else if (s->cmd == PHASE_CMD_PV && s->phase == PHASE_SEALED)
		ui_say(u, UI_ERROR, msg(MSG_PV_SEALED), name);
	else if (s->phase == PHASE_SEALED)
		ui_say(u, UI_ERROR, "%s", msg(MSG_SESSION_SEALED));
	else if (s->phase == PHASE_SEALING)
		ui_say(u, UI_ERROR, "%s", msg(MSG_SESSION_SEALING));
	else if (s->cmd == PHASE_CMD_COUNT && s->phase == PHASE_COUNTED)
		ui_say(u, UI_ERROR, "%s", msg(MSG_COUNT_DONE_ALREADY));
	else if (s->cmd == PHASE_CMD_COUNT && s->phase == PHASE_URN_IMPORTED)
		ui_say(u, UI_ERROR, "%s", msg(MSG_COUNT_NOT_SHUFFLED));
	else
		ui_say(u, UI_ERROR, msg(MSG_COUNT_PHASE), name);
	return ERR_STATE;
}

static int session_load_file(struct session *s, const char *name, uint8_t **buf,
			     size_t *len)
{
	int ret = store_file_get(s->db, name, buf, len);

	if (ret == ERR_NOTFOUND)
		err_detail("the session database holds no %s", name);
	return ret;
}

/* The record and the definition the counting session was created with. */
static int session_load(struct session *s)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = session_load_file(s, "record.json", &buf, &len);

	if (!ret)
		ret = record_parse(buf, len, &s->rec);
	free(buf);
	buf = NULL;
	if (!ret)
		ret = session_load_file(s, "election.json", &buf, &len);
	if (!ret)
		ret = election_parse(buf, len, &s->e);
	free(buf);
	if (!ret)
		s->loaded = 1;
	return ret;
}

static int session_open_db(struct session *s)
{
	const char *db = session_path(s, session_db_name(s));

	if (access(db, F_OK) != 0) {
		s->phase = PHASE_NONE;
		return 0;
	}
	if (s->cmd == PHASE_CMD_RECOUNT)
		return store_open_readonly(db, &s->db);
	return store_open(db, 0, &s->db);
}

/* The database and its phase; every failure told to the bureau once. */
static int session_open_phase(struct session *s, struct ui *u)
{
	int ret = session_open_db(s);

	if (!ret && s->db)
		ret = session_read_phase(s);
	if (ret == ERR_READONLY)
		return session_readonly(s, u, 0);
	if (ret) {
		session_say_error(u, ret);
		return ret;
	}
	if (!(phase_cmd_accepts(s->cmd) & PHASE_BIT(s->phase)))
		return session_refuse(s, u);
	if (s->db && s->cmd != PHASE_CMD_CEREMONY)
		ret = session_load(s);
	if (ret)
		session_say_error(u, ret);
	return ret;
}

int session_open(struct session *s, const char *dir, enum phase_cmd cmd, struct ui *u)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->cmd = cmd;
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s", dir) >= sizeof(s->dir)) {
		err_detail("session directory name too long");
		session_say_error(u, ERR_RANGE);
		return ERR_RANGE;
	}
	ret = session_dir_ready(s, u);
	if (!ret)
		ret = session_lock(s, u);
	if (!ret && cmd != PHASE_CMD_RECOUNT)
		session_clean(s);
	if (!ret)
		ret = session_open_phase(s, u);
	return ret;
}

/* A database being built: SQLite's companions of it go with it, or a
 * journal left by an earlier attempt would be applied to the new one. */
static void session_unlink_db(const char *db)
{
	static const char *const companions[] = { "", "-wal", "-shm", "-journal" };
	char p[SESSION_PATH_MAX + 96];

	for (size_t i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, companions[i]);
		unlink(p);
	}
}

int session_create(struct session *s, enum phase first,
		   int (*fill)(struct store *db, void *arg), void *arg)
{
	char tmp[sizeof(s->path) + 8], final[sizeof(s->path)];
	int ret;

	if (s->db || s->phase != PHASE_NONE || !phase_next_ok(PHASE_NONE, first)) {
		err_detail("session_create: the session already exists");
		return ERR_INTERNAL;
	}
	snprintf(final, sizeof(final), "%s", session_path(s, session_db_name(s)));
	snprintf(tmp, sizeof(tmp), "%s.new", final);
	session_unlink_db(tmp); /* left by a creation cut short */
	ret = store_open(tmp, 1, &s->db);
	if (!ret)
		ret = fill(s->db, arg);
	if (!ret)
		ret = store_meta_set(s->db, "phase", phase_name(first));
	store_close(s->db);
	s->db = NULL;
	fault_pointf("create:%s:before-rename", session_db_name(s));
	if (!ret) /* no journal of an older database may meet the new one */
		session_unlink_db(final);
	if (!ret && rename(tmp, final) != 0) {
		err_detail("%s: %s", final, strerror(errno));
		ret = err_from_errno(errno);
	}
	if (ret) {
		session_unlink_db(tmp);
		return ret;
	}
	fault_pointf("create:%s:after-rename", session_db_name(s));
	s->phase = first;
	return store_open(final, 0, &s->db);
}

/* The phase and its journal entry, in one transaction (the caller's, if
 * it has one open: the import's). */
static int session_advance_tx(struct session *s, enum phase to, const char *event,
			      const char *detail)
{
	int own = !store_in_transaction(s->db);
	int ret = own ? store_begin(s->db) : 0;

	if (!ret && event)
		ret = journal_append(s->db, event, "%s", detail);
	if (!ret)
		ret = store_meta_set(s->db, "phase", phase_name(to));
	if (!own)
		return ret;
	if (ret) {
		store_rollback(s->db);
		return ret;
	}
	fault_pointf("phase:%s:before-commit", phase_name(to));
	return store_commit(s->db);
}

int session_advance(struct session *s, enum phase to, const char *event, const char *fmt,
		    ...)
{
	char detail[2048];
	va_list ap;
	int ret;

	if (!phase_next_ok(s->phase, to)) {
		err_detail("session phase %s cannot be followed by %s", phase_name(s->phase),
			   phase_name(to));
		return ERR_INTERNAL;
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	fault_pointf("phase:%s:before", phase_name(to));
	ret = session_advance_tx(s, to, event, detail);
	if (ret)
		return ret;
	s->phase = to;
	fault_pointf("phase:%s:after", phase_name(to));
	return 0;
}

void session_close(struct session *s)
{
	if (!s->dir[0]) /* never opened (zeroed) */
		return;
	store_close(s->db);
	s->db = NULL;
	election_free(s->e);
	s->e = NULL;
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}
