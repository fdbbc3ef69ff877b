/*
 * The key ceremony (issue 2, docs/DESIGN.md): self-test; load the definition,
 * the bureau and the platform key; collect the members' entropy; generate
 * the election key and split it t-of-m; write one share and one PV-signing
 * key per card, with the member's PIN; read every card back and check it
 * against the commitments; test-decrypt with every t-subset of cards; write
 * the public record and the ceremony report. Secrets live in locked memory
 * and are wiped on every path; the record is written only if everything
 * succeeded.
 */
#ifndef SCEAU_SESSION_CEREMONY_H
#define SCEAU_SESSION_CEREMONY_H

#include "card/card.h"
#include "crypto/shamir.h"

struct ui;

struct ceremony_opts {
	const char *definition;   /* election definition (sceau-election/1) */
	const char *bureau;       /* bureau members (sceau-bureau/1) */
	const char *platform_key; /* sceau-platform-key/1 */
	const char *out_dir;      /* created; must not hold a record already */
	const struct card_ops *transport;
	const char *slots[SHAMIR_MAX]; /* one reader/slot per member, in order */
	unsigned n_slots;
	unsigned t, m;
};

int ceremony_run(const struct ceremony_opts *o, struct ui *u);

#endif
