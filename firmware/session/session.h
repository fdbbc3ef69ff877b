/*
 * Opening a session, the one prologue of every command that reads or
 * writes one: the session's lock, its database, its phase checked against
 * what the command accepts (session/phase.h), and, for a counting session,
 * the record and the definition it was created with. Every failure of
 * session_open() is told to the bureau, once, in the command's words:
 * ERR_STATE (wrong phase), ERR_NOTFOUND (no session), ERR_BUSY (another
 * command holds the lock), ERR_READONLY (the directory cannot be written),
 * or the error that stopped it; the caller says nothing more about it.
 *
 * Writing commands hold an exclusive lock on <dir>/session.lock from
 * session_open() to session_close(); the recount, which only reads, a
 * shared one. Under the lock, what a command cut off left behind
 * (temporary files, partial copies, a database being created) is removed.
 * A session is created aside and renamed into place (session_create), so
 * a creation cut short leaves no database behind; every phase change is
 * journaled in the transaction that makes it (session_advance).
 */
#ifndef SCEAU_SESSION_SESSION_H
#define SCEAU_SESSION_SESSION_H

#include "format/election.h"
#include "format/record.h"
#include "session/phase.h"
#include "store/store.h"

#define SESSION_PATH_MAX 4096

struct ui;

struct session {
	enum phase_cmd cmd;
	enum phase phase;
	struct store *db;        /* NULL while phase is PHASE_NONE */
	struct record rec;       /* counting sessions: the stored record.json */
	struct election *e;      /* and the stored election.json */
	int loaded;              /* rec and e are filled */
	int lock_fd;
	char dir[SESSION_PATH_MAX];
	char path[SESSION_PATH_MAX + 64];
};

/* Opens the session in dir for cmd (see above); the import and the
 * ceremony make dir if needed. The caller owns s until session_close(s),
 * whatever the outcome. */
int session_open(struct session *s, const char *dir, enum phase_cmd cmd, struct ui *u);

/* A new session (phase PHASE_NONE, lock held): its database is built in
 * <db>.new, fill() stores what the session starts with, the phase is set
 * to first, and only then is it renamed to its final name. */
int session_create(struct session *s, enum phase first,
		   int (*fill)(struct store *db, void *arg), void *arg);

/* Moves the session to phase to, with the journal entry event (detail
 * from fmt; no entry if event is NULL) in the same transaction: ERR_INTERNAL if the phase machine
 * does not allow it (a bug), else the store's error if any. Inside a
 * transaction of the caller's, both join it; else they are committed. */
int session_advance(struct session *s, enum phase to, const char *event, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

/* "[ERREUR] <what ret means> : <the detail, in the bureau's language>". */
void session_say_error(struct ui *u, int ret);

/* <dir>/<name>, in a buffer of s valid until the next call. */
const char *session_path(struct session *s, const char *name);

/* Releases everything; a zeroed struct that session_open never saw is fine. */
void session_close(struct session *s);

#endif
