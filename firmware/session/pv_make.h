/*
 * sceau pv (issue 5): the bureau members present sign the results with
 * their cards (once; a reprint reuses the signatures), then the PVs are
 * rendered into <session>/pv/ (PDF for the archive, PostScript for office
 * printers) and, if a printer is named, printed.
 */
#ifndef SCEAU_SESSION_PV_MAKE_H
#define SCEAU_SESSION_PV_MAKE_H

#include "session/count_run.h"

struct ui;

int pvmake_run(const struct counting_opts *o, struct ui *u);

#endif
