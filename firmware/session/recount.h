/*
 * sceau recount (issue 4): re-runs the whole count from the session's
 * archived inputs (record, definition, urn and émargement images as
 * imported) in a fresh session beside it, with the bureau's cards, and
 * compares: the results file byte for byte, and the decrypted-ballots file
 * by what it decrypted, scrutin by scrutin (the multiset of status and
 * plaintext): the recount shuffles again, with new randomness, so its
 * shuffled lists are in another order, with other S and proofs, and its
 * file has other bytes. "La procédure de décompte des votes enregistrés
 * doit pouvoir être déroulée de nouveau."
 */
#ifndef SCEAU_SESSION_RECOUNT_H
#define SCEAU_SESSION_RECOUNT_H

#include "session/count_run.h"

struct ui;

/* o->session_dir is the original session; the recount is made in
 * <session>/recount-<n>. 0 if both agree, ERR_VERIFY if not. */
int recount_run(const struct counting_opts *o, struct ui *u);

#endif
