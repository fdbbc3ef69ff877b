/*
 * Helpers of the card tests: slots under /tmp with a simulated card, raw
 * APDUs written in hex. Include after <cmocka.h>.
 */
#ifndef SCEAU_TESTS_CARD_CARDTEST_H
#define SCEAU_TESTS_CARD_CARDTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testlib.h"
#include "card/card.h"
#include "sim/card_sim.h"
#include "lib/err.h"

#define CT_SERIAL 0x12345678u
#define CT_ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* Hex with optional spaces into out; returns the byte count. */
static inline size_t ct_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v = 0;

		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			fail_msg("bad hex in test data: %s", s);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			fail_msg("test hex too long");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		fail_msg("odd hex length in test data");
	return n;
}

/* A fresh slot directory holding a factory-fresh card. */
static inline void ct_slot(char *dir, size_t n, uint32_t serial)
{
	testlib_tmpdir(dir, n);
	assert_int_equal(card_sim_create(dir, serial), 0);
}

static inline void ct_path(char *out, size_t n, const char *dir, const char *name)
{
	if (snprintf(out, n, "%s/%s", dir, name) >= (int)n)
		fail_msg("path too long");
}

static inline int ct_exists(const char *dir, const char *name)
{
	char p[512];
	FILE *f;

	ct_path(p, sizeof(p), dir, name);
	f = fopen(p, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

static inline void ct_write(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	ct_path(p, sizeof(p), dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static inline void ct_move(const char *dir, const char *from, const char *to)
{
	char a[512], b[512];

	ct_path(a, sizeof(a), dir, from);
	ct_path(b, sizeof(b), dir, to);
	assert_int_equal(rename(a, b), 0);
}

/* The transport ct_open uses; conformance suites rerun over the others. */
static const char *ct_transport_name = "sim";
/* Put before the slot directory in the spec ("t1:" for ccid-sim). */
static const char *ct_spec_prefix = "";

/* Opens and powers the card of a slot. */
static inline struct card *ct_open(const char *dir)
{
	struct card *c = NULL;
	char spec[512];

	assert_true((size_t)snprintf(spec, sizeof(spec), "%s%s", ct_spec_prefix, dir) <
		    sizeof(spec));
	assert_int_equal(card_open(card_transport(ct_transport_name), spec, &c), 0);
	assert_int_equal(card_connect(c), 0);
	return c;
}

/* Sends a raw APDU given in hex; returns SW1 SW2, data in resp/rlen. */
static inline uint16_t ct_apdu(struct card *c, const char *hex, uint8_t *resp,
			       size_t *rlen)
{
	uint8_t cmd[CARD_APDU_MAX + 8], r[CARD_RAPDU_MAX];
	size_t clen = ct_unhex(hex, cmd, sizeof(cmd)), n = sizeof(r);

	assert_int_equal(card_transmit(c, cmd, clen, r, &n), 0);
	assert_true(n >= 2);
	if (resp) {
		memcpy(resp, r, n - 2);
		*rlen = n - 2;
	}
	return (uint16_t)(r[n - 2] << 8 | r[n - 1]);
}

#endif
