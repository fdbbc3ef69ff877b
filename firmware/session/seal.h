/*
 * sceau seal (issue 5): closes the counting session for good. The session
 * database is marked sealed (every later write is refused), the archive is
 * assembled in <session>/archive/ with a final manifest listing every file
 * and its SHA-256, the cards present sign the manifest, and the archive is
 * written as <session>/archive.iso for write-once media
 * (docs/FORMATS.md "Archive"). If the signing or the export fails after the
 * database was sealed, running `sceau seal` again finishes the job.
 */
#ifndef SCEAU_SESSION_SEAL_H
#define SCEAU_SESSION_SEAL_H

#include "session/count_run.h"

struct ui;

int seal_run(const struct counting_opts *o, struct ui *u);

#endif
