/*
 * The bureau's USB sticks (docs/BOX.md): the election's files come in on a
 * stick mounted read-only, the exports go out to a writable FAT stick that
 * any PC reads. On both, the folder SCEAU/ mirrors the console's working
 * directory (docs/CONSOLE.md): SCEAU/input/ (election.json, bureau.json,
 * platform-key.json, from the organiser), SCEAU/ceremony/ (the key
 * ceremony's output: on the counting day the ceremony's export stick,
 * write-protected, brings record.json and election.json back) and
 * SCEAU/session/ (results.json, archive.iso, the PVs).
 */
#ifndef SCEAU_SESSION_STICK_H
#define SCEAU_SESSION_STICK_H

struct ui;

/* Waits for one USB stick, mounts it read-only and copies into dir the
 * files of SCEAU/input/ and SCEAU/ceremony/ that dir does not have yet
 * (never overwriting); then unmounts it. */
int stick_load(const char *dir, struct ui *u);

/* Waits for one writable USB stick and copies onto it, under SCEAU/, the
 * ceremony's output, the results, the archive image and the PVs that dir
 * holds (replacing older copies); then flushes and unmounts it. */
int stick_export(const char *dir, struct ui *u);

#endif
