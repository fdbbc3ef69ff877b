/*
 * The shuffle of the import (docs/FORMATS.md "The shuffle", "Shuffle
 * files"): for each scrutin with N >= 1 ballots kept, its inputs (the
 * stored ballots not set aside, in urn order) re-encrypted, permuted and
 * proven by crypto/shuffle.h with the box's DRBG, written to
 * shuffle-<id>.bin.part, synced, renamed, and recorded (N and SHA-256) in
 * the session's `shuffles` table with a journal entry; then the phase
 * `shuffled`. Run on a session in `urn-imported`; it starts from scratch
 * every time (a previous attempt's files and rows are removed first: none
 * was published), so a run cut off anywhere is simply run again.
 *
 * The prover reads the inputs one at a time in a secret order (the order
 * is the permutation): they are served from a temporary file of the
 * scrutin's inputs by positional reads, which nothing logs or traces.
 * Nothing of the permutation or of the proof's secrets is ever written to
 * the database, the journal, a file other than the shuffle file's public
 * values, the screen or an error message.
 */
#ifndef SCEAU_SESSION_SHUFFLE_H
#define SCEAU_SESSION_SHUFFLE_H

#include <stdint.h>

#include "format/election.h"

struct session;
struct ui;

/* The session's ballots of election e, for the key pk (65 bytes); jobs:
 * worker threads (0: one per core). from: NULL to shuffle; the recount
 * gives the original session's directory, whose shuffle files are taken
 * instead (copied, each proof checked in full against this session's
 * inputs: ERR_VERIFY / ERR_FORMAT if one does not hold), so that it
 * decrypts the same lists and reproduces the count byte for byte. */
int shuffle_session(struct session *s, const struct election *e, const uint8_t pk[65],
		    struct ui *u, unsigned jobs, const char *from);

/*
 * X of the PV's QR code (docs/FORMATS.md "QR codes of the PV (v2)"):
 * H("sceau/shuffle-files/v2"; for each scrutin with a shuffle file, in id
 * order: u16be(scrutin_id), SHA-256 of shuffle-<id>.bin), over the files of
 * dir listed in the session's shuffles table; ERR_VERIFY if a file is not
 * the one recorded.
 */
struct store;
int shuffle_files_digest(struct store *db, const char *dir, uint8_t out[32]);

#endif
