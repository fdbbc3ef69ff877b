/*
 * Internals of the simulated card, shared by its three files: the transport
 * (card_sim.c), the card file (card_sim_store.c) and the OpenPGP application
 * (card_sim_pgp.c). Not a contract: nothing outside firmware/sim/card_sim*.c
 * includes it.
 */
#ifndef SCEAU_SIM_CARD_SIM_INT_H
#define SCEAU_SIM_CARD_SIM_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "card/card.h"

#define CARD_SIM_DO_MAX 255    /* longest data object (C0: special DOs) */
#define CARD_SIM_TRIES 3       /* PW1, RC and PW3 retry counters */
#define CARD_SIM_SALT_LEN 16
#define CARD_SIM_PIN_HASH_LEN 32
#define CARD_SIM_PW1_MIN 6
#define CARD_SIM_PW3_MIN 8     /* also the resetting code */
#define CARD_SIM_PIN_MAX 64
#define CARD_SIM_FILE_MAX 65536
#define CARD_SIM_PATH_MAX 4096

/* PIN identities mixed into the PIN hash. */
#define CARD_SIM_ID_PW1 1
#define CARD_SIM_ID_RC 2
#define CARD_SIM_ID_PW3 3

enum card_sim_do {
	CARD_SIM_DO_0101,
	CARD_SIM_DO_0102,
	CARD_SIM_DO_0103,
	CARD_SIM_DO_0104,
	CARD_SIM_DO_NAME,    /* 5B */
	CARD_SIM_DO_LANG,    /* 5F2D */
	CARD_SIM_DO_SEX,     /* 5F35 */
	CARD_SIM_DO_LOGIN,   /* 5E */
	CARD_SIM_DO_URL,     /* 5F50 */
	CARD_SIM_DO_ALGO_SIG, /* C1 */
	CARD_SIM_DO_ALGO_DEC, /* C2 */
	CARD_SIM_DO_ALGO_AUT, /* C3 */
	CARD_SIM_DO_FPR,     /* C5: C7 | C8 | C9 */
	CARD_SIM_DO_CA_FPR,  /* C6: CA | CB | CC */
	CARD_SIM_DO_DATES,   /* CD: CE | CF | D0 */
	CARD_SIM_DO_COUNT
};

struct card_sim_dodef {
	uint16_t tag;
	const char *key; /* name in the card file */
	size_t min, max;
};

extern const struct card_sim_dodef card_sim_dos[CARD_SIM_DO_COUNT];

struct card_sim_pin {
	uint8_t hash[CARD_SIM_PIN_HASH_LEN]; /* zero when len == 0 */
	unsigned len;                        /* 0: not set (resetting code) */
	unsigned tries;
};

/* Everything the card keeps between APDUs: the card file, parsed. */
struct card_sim_state {
	uint8_t aid[16];
	int terminated;
	uint8_t salt[CARD_SIM_SALT_LEN];
	struct card_sim_pin pw1, rc, pw3;
	int pw1_multi; /* C4 byte 1: PW1 valid for several PSO:CDS */
	size_t do_len[CARD_SIM_DO_COUNT];
	uint8_t do_val[CARD_SIM_DO_COUNT][CARD_SIM_DO_MAX];
	int has_key;
	uint8_t key_priv[32];
	uint8_t key_pub[65];
	uint32_t sig_count; /* 3 bytes on the card */
};

/* What the card forgets when it loses power. */
struct card_sim_session {
	int selected;
	int pw1_81, pw1_82, pw3; /* verified */
};

/*
 * Which file the handle talks to. rename(2) keeps the inode but changes the
 * inode's ctime, so a card pulled and put back is noticed too.
 */
struct card_sim_id {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
};

void card_sim_id_of(const struct stat *sb, struct card_sim_id *id);
int card_sim_id_same(const struct card_sim_id *a, const struct card_sim_id *b);

/* card_sim_store.c */
int card_sim_path(char *out, size_t cap, const char *dir, const char *name);
/* Parses a card file read from fd (named name in details). */
int card_sim_state_load_fd(int fd, const char *name, struct card_sim_state *st);
int card_sim_state_load(const char *path, struct card_sim_state *st);
/*
 * Saves the state as dir/name atomically. create: the file must not exist
 * (ERR_EXISTS); otherwise it must still exist (ERR_CARD_ABSENT: the card was
 * pulled during the APDU). id (may be NULL) gets the new file's identity.
 */
int card_sim_state_save(const char *dir, const char *name,
			const struct card_sim_state *st, int create,
			struct card_sim_id *id);
int card_sim_attr_p256(const uint8_t *a, size_t n, uint8_t algo);
int card_sim_attr_rsa2048(const uint8_t *a, size_t n);

/* card_sim_pgp.c */
/* Factory defaults, keeping the AID (ACTIVATE FILE, card_sim_create). */
int card_sim_factory(struct card_sim_state *st);
/*
 * Runs one command APDU. rapdu (CARD_RAPDU_MAX bytes) gets data || SW1 SW2.
 * *dirty is set when the card state changed and must be saved.
 */
void card_sim_process(struct card_sim_state *st, struct card_sim_session *ss,
		      const uint8_t *capdu, size_t clen, uint8_t *rapdu,
		      size_t *rlen, int *dirty);

#endif
