/* Opening, creating and advancing a session; see session.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/err.h"
#include "session/session.h"
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

/* The recount only reads (and may run from read-only media): a shared
 * lock if the lock file can be opened, none otherwise. */
static int session_lock(struct session *s, struct ui *u)
{
	int shared = s->cmd == PHASE_CMD_RECOUNT;
	int fd = open(session_path(s, "session.lock"),
		      shared ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 && shared)
		return 0;
	if (fd < 0) {
		err_detail("%s: %s", s->path, strerror(errno));
		return ERR_IO;
	}
	if (flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;
		close(fd);
		if (!busy) {
			err_detail("%s: %s", s->path, strerror(errno));
			return ERR_IO;
		}
		ui_say(u, UI_ERROR, msg(MSG_SESSION_BUSY), s->dir);
		err_detail("another command holds %s", s->path);
		return ERR_BUSY;
	}
	s->lock_fd = fd;
	return 0;
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
	else if (s->cmd == PHASE_CMD_COUNT && s->phase == PHASE_COUNTED)
		ui_say(u, UI_ERROR, "%s", msg(MSG_COUNT_DONE_ALREADY));
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

int session_open(struct session *s, const char *dir, enum phase_cmd cmd, struct ui *u)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->cmd = cmd;
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s", dir) >= sizeof(s->dir)) {
		err_detail("session directory name too long");
		return ERR_RANGE;
	}
	ret = session_lock(s, u);
	if (!ret)
		ret = session_open_db(s);
	if (!ret && s->db)
		ret = session_read_phase(s);
	if (!ret && !(phase_cmd_accepts(cmd) & PHASE_BIT(s->phase)))
		ret = session_refuse(s, u);
	if (!ret && s->db && cmd != PHASE_CMD_CEREMONY)
		ret = session_load(s);
	return ret;
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
	unlink(tmp); /* left by a creation cut short */
	ret = store_open(tmp, 1, &s->db);
	if (!ret)
		ret = fill(s->db, arg);
	if (!ret)
		ret = store_meta_set(s->db, "phase", phase_name(first));
	store_close(s->db);
	s->db = NULL;
	if (!ret && rename(tmp, final) != 0) {
		err_detail("%s: %s", final, strerror(errno));
		ret = ERR_IO;
	}
	if (ret) {
		unlink(tmp);
		return ret;
	}
	s->phase = first;
	return store_open(final, 0, &s->db);
}

int session_advance(struct session *s, enum phase to)
{
	int ret;

	if (!phase_next_ok(s->phase, to)) {
		err_detail("session phase %s cannot be followed by %s", phase_name(s->phase),
			   phase_name(to));
		return ERR_INTERNAL;
	}
	ret = store_meta_set(s->db, "phase", phase_name(to));
	if (!ret)
		s->phase = to;
	return ret;
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
