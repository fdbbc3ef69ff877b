/*
 * sceau recount (issue 4): re-runs the whole count from the session's
 * archived inputs (record, definition, urn and émargement images as
 * imported) in a fresh session beside it, with the bureau's cards, and
 * compares the results file and the decrypted-ballots file byte for byte
 * with the originals. Its import takes the session's shuffle files and
 * checks each proof in full against the urn it re-imported, rather than
 * shuffling anew (a new shuffle would list the ballots in another order). "La procédure de décompte des votes enregistrés doit
 * pouvoir être déroulée de nouveau."
 */
#ifndef SCEAU_SESSION_RECOUNT_H
#define SCEAU_SESSION_RECOUNT_H

#include "session/count_run.h"

struct ui;

/* o->session_dir is the original session; the recount is made in
 * <session>/recount-<n>. 0 if both files are identical, ERR_VERIFY if not. */
int recount_run(const struct counting_opts *o, struct ui *u);

#endif
