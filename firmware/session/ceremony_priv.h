/* State shared by the ceremony's files (ceremony*.c); not a public API. */
#ifndef SCEAU_SESSION_CEREMONY_PRIV_H
#define SCEAU_SESSION_CEREMONY_PRIV_H

#include <stdint.h>

#include "card/openpgp.h"
#include "crypto/ballot.h"
#include "format/share_obj.h"
#include "format/bureau.h"
#include "session/ceremony.h"
#include "session/session.h"
#include "format/election.h"
#include "format/record.h"

#define CER_PIN_MAX 12
#define CER_PIN_BUF 64
#define CER_ENTROPY_BUF 1024

struct store;
struct rng;
struct ui;

/* Everything secret, in one locked allocation. */
struct cer_secrets {
	uint8_t secret[32];
	uint8_t shares[SHAMIR_MAX][32];     /* as generated */
	uint8_t readback[SHAMIR_MAX][32];   /* as read back from the cards */
	uint8_t combined[32];
	char pin[CER_PIN_BUF], pin2[CER_PIN_BUF];
	char entropy[CER_ENTROPY_BUF];
	char admin_pin[33];                 /* the random PW3, never shown */
	uint8_t test_pt[PTENC_PT_MAX], test_out[PTENC_PT_MAX];
	struct share_obj so;
	uint8_t so_buf[SHARE_OBJ_LEN];
};

struct cer {
	const struct ceremony_opts *o;
	struct ui *u;
	struct election *e;
	struct bureau b;
	struct session s;
	struct store *db;        /* s.db, once the session exists */
	struct rng *rng;
	struct cer_secrets *sec;
	struct record rec;
	struct card *cards[SHAMIR_MAX];
	uint8_t pgp_fpr[SHAMIR_MAX][PGP_FPR_LEN]; /* what GnuPG shows: C7 */
	uint32_t pgp_created[SHAMIR_MAX];         /* and CE */
	uint8_t test_ballot[BALLOT2_RECORD_LEN]; /* a v2 ballot for scrutin id 0 */
	int told;                /* session_open() refused, and said why */
	char path[4096];
};

/* ceremony_card.c */
int cer_write_card(struct cer *c, unsigned i);
int cer_check_card(struct cer *c, unsigned i);
int cer_ask_pin(struct cer *c, const struct member *m, char *pin);
/* ceremony_out.c */
int cer_test_decrypt(struct cer *c);
int cer_publish(struct cer *c);
const char *cer_path(struct cer *c, const char *name);

#endif
