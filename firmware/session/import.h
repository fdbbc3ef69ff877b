/*
 * sceau import (issue 3): opens a counting session for an election (its
 * public record and definition) and imports the sealed urn and émargement
 * from read-only media. Everything is checked before anything is kept:
 * the platform's seals over both manifests, the election, the record the
 * platform used, each file's size and SHA-256, the declared counts, the
 * sort order and uniqueness of trackers, every R a valid point, every
 * record and entry well-formed. The ballots and entries are streamed into
 * the session database inside one transaction, committed only if all
 * checks pass; a failure names what and where, changes nothing, and is
 * journaled. Ballots and émargements are compared per scrutin; a
 * difference is recorded as an irregularity, never "fixed".
 */
#ifndef SCEAU_SESSION_IMPORT_H
#define SCEAU_SESSION_IMPORT_H

struct ui;

struct import_opts {
	const char *session_dir; /* created if missing */
	const char *record;      /* record.json of the key ceremony */
	const char *definition;  /* the election definition it was made for */
	const char *urn;         /* read-only block device or (sim) image file */
	const char *emargement;
	unsigned jobs;           /* threads checking points, trackers and lines
				    (0: one per online CPU) */
	const char *shuffles_from; /* NULL; the recount: the original session,
				      whose shuffle files are taken and checked
				      (session/shuffle.h) rather than made anew */
};

int import_run(const struct import_opts *o, struct ui *u);

#endif
