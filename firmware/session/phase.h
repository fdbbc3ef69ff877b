/*
 * The phases of a session, as one explicit one-way state machine
 * (docs/ARCHITECTURE.md "Session phases"). A key ceremony's database goes
 * ceremony -> ceremony-complete; a counting session's goes record-loaded
 * (created by the import) -> urn-imported -> shuffled -> decrypting ->
 * decrypted -> counted -> sealing -> sealed. The phase is stored as text in the session's meta
 * table (docs/FORMATS.md "Session database"); the texts never change.
 *
 * Each command accepts some phases only: phase_cmd_accepts() is the one
 * table of them, and phase_next_ok() the one table of transitions.
 */
#ifndef SCEAU_SESSION_PHASE_H
#define SCEAU_SESSION_PHASE_H

enum phase {
	PHASE_NONE = 0,        /* no session database yet */
	PHASE_CEREMONY,        /* key ceremony under way */
	PHASE_CEREMONY_DONE,   /* record published */
	PHASE_RECORD_LOADED,   /* counting session created, urn not imported */
	PHASE_URN_IMPORTED,    /* urn and émargement stored, ballots set aside decided */
	PHASE_SHUFFLED,        /* every scrutin's shuffle file written and recorded */
	PHASE_DECRYPTING,      /* decryption started (resumable) */
	PHASE_DECRYPTED,       /* every ballot decrypted and proven */
	PHASE_COUNTED,         /* results written */
	PHASE_SEALING,         /* the bureau said yes to the seal, not finished */
	PHASE_SEALED,          /* the database is sealed: nothing may change */
	PHASE__COUNT
};

#define PHASE_BIT(p) (1u << (p))

/* The commands that open a session. */
enum phase_cmd {
	PHASE_CMD_CEREMONY = 0,
	PHASE_CMD_IMPORT,
	PHASE_CMD_COUNT,
	PHASE_CMD_PV,
	PHASE_CMD_SEAL,
	PHASE_CMD_RECOUNT,
	PHASE_CMD__COUNT
};

/* The stored text of a phase ("urn-imported"), or "?" for no phase. */
const char *phase_name(enum phase p);
/* The stored text back to the phase: 0, or ERR_FORMAT for an unknown text. */
int phase_parse(const char *s, enum phase *out);
/* 1 if a session may go from `from` to `to`, else 0. */
int phase_next_ok(enum phase from, enum phase to);
/* The phases in which cmd may run, as PHASE_BIT()s. */
unsigned phase_cmd_accepts(enum phase_cmd cmd);
/* The command's name on the command line ("count"). */
const char *phase_cmd_name(enum phase_cmd cmd);

#endif
