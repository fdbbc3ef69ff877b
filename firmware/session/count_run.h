/*
 * sceau count (issue 4): the counting session. With t bureau members'
 * cards present together (PIN for each), the shares are read and checked
 * against the record, the key is rebuilt in locked memory and checked
 * against PK, and every ballot is decrypted and proven on all cores. If
 * fewer than t cards remain inserted, decryption stops, the key is wiped,
 * and a later `sceau count` resumes where it stopped. Then the ballots are
 * classified and counted by the French rules, and the results written.
 */
#ifndef SCEAU_SESSION_COUNT_RUN_H
#define SCEAU_SESSION_COUNT_RUN_H

#include "card/card.h"
#include "crypto/shamir.h"

struct ui;

struct counting_opts {
	const char *session_dir;
	const struct card_ops *transport;
	const char *slots[SHAMIR_MAX];
	unsigned n_slots;
	unsigned jobs;            /* 0: one per core */
	const char *printer;      /* sceau pv: "backend:spec" or NULL (PDF only) */
	unsigned paper_mm;        /* thermal paper width: 58 or 80 */
};

int counting_run(const struct counting_opts *o, struct ui *u);

struct session;
/* Classifies and counts the decrypted ballots of a session (phase
 * decrypted) and writes the results (session/tabulate.c); needs no card. */
int counting_tally(struct session *s, struct ui *u);

#endif
