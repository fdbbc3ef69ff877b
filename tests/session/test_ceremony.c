/*
 * The key ceremony end to end with three simulated cards (issue 2, "Done
 * when"): every pair of cards decrypts, one card alone cannot, an edited
 * share is rejected by the commitment check, three wrong PINs block a card,
 * no secret byte reaches the database, the record, the journal or the
 * logs, and faults (same card twice, card pulled mid-write, card of another
 * election, malformed definition, missing card) stop cleanly.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "card/card.h"
#include "sim/card_sim.h"
#include "sim/card_sim_int.h"
#include "card/openpgp.h"
#include "format/share_obj.h"
#include "session/ceremony.h"
#include "lib/err.h"
#include "lib/file.h"
#include "store/journal.h"
#include "format/record.h"
#include "session/share_read.h"
#include "crypto/ballot.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/shamir.h"
#include "crypto/sig.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"
#include "../support/testlib.h"

static const char *const pins[3] = { "284017", "550913", "730268" };

struct fx {
	char dir[64];
	char slot[3][128]; /* the slot directories of the simulated cards */
	char spec[3][160]; /* what the transport is given: prefix + directory */
	char def[128], bureau[128], pkey[128], out[128], script[128], log[128];
	struct ceremony_opts o;
};

/*
 * The transport under test and the prefix that turns a slot directory into
 * its spec (tests/session/test_ceremony_transports.sh): the sim transport
 * by default, "ccid-sim" with "t1:" or "apdu:", ...
 */
static const struct card_ops *test_transport(void)
{
	const char *name = getenv("SCEAU_TEST_TRANSPORT");

	return card_transport(name && *name ? name : "sim");
}

static void test_spec(char *out, size_t n, const char *dir)
{
	const char *prefix = getenv("SCEAU_TEST_SLOT_PREFIX");
	char path[128]; /* a copy: gcc cannot tell that dir and out never overlap */

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path) ||
	    snprintf(out, n, "%s%s", prefix ? prefix : "", path) >= (int)n)
		fail_msg("slot spec too long");
}

static void write_text(const char *path, const char *text)
{
	unlink(path);
	assert_int_equal(file_write_atomic(path, text, strlen(text), 1), 0);
}

static void copy_data(const char *name, const char *dest)
{
	char src[256];
	uint8_t *buf = NULL;
	size_t len = 0;

	snprintf(src, sizeof(src), "%s/tests/data/%s",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".", name);
	assert_int_equal(file_read_all(src, 1 << 22, &buf, &len), 0);
	assert_int_equal(file_write_atomic(dest, buf, len, 1), 0);
	free(buf);
}

static void make_platform_key(const char *path)
{
	struct rng *r = NULL;
	uint8_t priv[32], pub[65];
	char hex[131], text[256];

	assert_int_equal(rng_new(&r, "test", NULL), 0);
	assert_int_equal(sig_keygen(r, priv, pub), 0);
	rng_free(r);
	hex_encode(pub, 65, hex);
	snprintf(text, sizeof(text),
		 "{\"format\": \"sceau-platform-key/1\", \"public_key\": \"%s\"}\n", hex);
	write_text(path, text);
}

/* The answers of a normal ceremony: 3 entropy lines, PIN twice per card,
 * then each PIN once for the check. */
static void normal_script(struct fx *f)
{
	char text[512];

	snprintf(text, sizeof(text), "alea un\nalea deux\nalea trois\n%s\n%s\n%s\n%s\n%s\n%s\n"
		 "%s\n%s\n%s\n", pins[0], pins[0], pins[1], pins[1], pins[2], pins[2],
		 pins[0], pins[1], pins[2]);
	write_text(f->script, text);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	char dir[64];

	testlib_tmpdir(dir, sizeof(dir));
	memcpy(f->dir, dir, sizeof(dir));
	for (int i = 0; i < 3; i++) {
		snprintf(f->slot[i], sizeof(f->slot[i]), "%s/slot%d", dir, i + 1);
		if (card_sim_create(f->slot[i], 0x100u + (unsigned)i) != 0)
			return -1;
		test_spec(f->spec[i], sizeof(f->spec[i]), f->slot[i]);
	}
	snprintf(f->def, sizeof(f->def), "%s/election.json", dir);
	snprintf(f->bureau, sizeof(f->bureau), "%s/bureau.json", dir);
	snprintf(f->pkey, sizeof(f->pkey), "%s/platform-key.json", dir);
	snprintf(f->out, sizeof(f->out), "%s/out", dir);
	snprintf(f->script, sizeof(f->script), "%s/answers.txt", dir);
	snprintf(f->log, sizeof(f->log), "%s/console.log", dir);
	copy_data("demo-election.json", f->def);
	copy_data("demo-bureau.json", f->bureau);
	make_platform_key(f->pkey);
	normal_script(f);
	f->o = (struct ceremony_opts){ .definition = f->def, .bureau = f->bureau,
				       .platform_key = f->pkey, .out_dir = f->out,
				       .transport = test_transport(), .n_slots = 3,
				       .t = 2, .m = 3 };
	if (!f->o.transport)
		return -1; /* the transport named is not compiled in */
	for (int i = 0; i < 3; i++)
		f->o.slots[i] = f->spec[i];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	testlib_rmdir(f->dir);
	free(f);
	return 0;
}

/* Runs the ceremony with the script, the console captured in f->log. */
static int run(struct fx *f)
{
	struct ui u;
	int saved, fd, ret;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(f->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	assert_int_equal(ui_tty_init(&u, f->script, -1, 0), 0);
	ret = ceremony_run(&f->o, &u);
	ui_tty_close(&u);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return ret;
}

static int log_has(struct fx *f, const char *text)
{
	return testlib_file_contains(f->log, text, strlen(text));
}

/* Reads card i's share as the count will, with its PIN from a script. */
static int read_share(struct fx *f, const struct record *rec, int i, const char *pin,
		      unsigned *index, uint8_t share[32])
{
	struct card *card = NULL;
	struct ui u;
	char path[160];
	int ret;

	snprintf(path, sizeof(path), "%s/pin.txt", f->dir);
	write_text(path, pin);
	assert_int_equal(ui_tty_init(&u, path, -1, 0), 0);
	ret = card_open(test_transport(), f->spec[i], &card);
	if (!ret)
		ret = card_connect(card);
	if (!ret)
		ret = share_read(card, rec, &u, index, share);
	card_close(card);
	ui_tty_close(&u);
	return ret;
}

static void load_record(struct fx *f, struct record *rec)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/record.json", f->out);
	assert_int_equal(record_load(path, rec), 0);
}

/*
 * After an interrupted ceremony, card i (inserted or pulled) is either
 * factory-fresh or recognisably used (the next ceremony asks before erasing
 * it), and a share it holds is whole: a complete share object of this
 * election under the card's own index, never a part of one, and the
 * "share n° i" marker never comes without it.
 */
static void check_card_after_fault(struct fx *f, int i)
{
	struct card_sim_state *st = malloc(sizeof(*st));
	uint8_t *def = NULL, eid[32];
	size_t len = 0, share_len;
	struct share_obj so;
	char path[200];
	int marked, used;

	assert_non_null(st);
	assert_int_equal(file_read_all(f->def, 1 << 22, &def, &len), 0);
	assert_int_equal(hash_sha256(def, len, eid), 0);
	free(def);
	snprintf(path, sizeof(path), "%s/%s", f->slot[i], CARD_SIM_CARD_FILE);
	if (access(path, F_OK) != 0)
		snprintf(path, sizeof(path), "%s/%s", f->slot[i], CARD_SIM_PULLED_FILE);
	assert_int_equal(card_sim_state_load(path, st), 0);
	share_len = st->do_len[CARD_SIM_DO_0103];
	marked = st->do_len[CARD_SIM_DO_0101] != 0;
	used = marked || st->has_key || st->pw1.tries < 3 || st->pw3.tries < 3;
	if (share_len) {
		assert_true(used);
		assert_int_equal(share_obj_decode(st->do_val[CARD_SIM_DO_0103],
						  share_len, &so), 0);
		assert_int_equal(so.index, (unsigned)i + 1);
		assert_memory_equal(so.election_id, eid, 32);
		secmem_wipe(&so, sizeof(so));
	}
	if (marked)
		assert_int_not_equal(share_len, 0);
	secmem_wipe(st, sizeof(*st));
	free(st);
}

static void test_every_pair_decrypts_one_card_cannot(void **state)
{
	struct fx *f = *state;
	struct record rec;
	uint8_t shares[3][32], s[32], pt[32] = "bulletin de test du scrutin 1", out[32];
	uint8_t R[65], ct[48];
	unsigned idx[3];
	struct rng *r = NULL;

	assert_int_equal(run(f), 0);
	load_record(f, &rec);
	assert_int_equal(rec.pub.t, 2);
	assert_int_equal(rec.pub.m, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(read_share(f, &rec, i, pins[i], &idx[i], shares[i]), 0);
		assert_int_equal(idx[i], (unsigned)i + 1);
	}
	assert_int_equal(rng_new(&r, "test", NULL), 0);
	assert_int_equal(ballot_seal(r, rec.pub.pk, rec.election_id, 1, pt, 32, R, ct), 0);
	rng_free(r);
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++) {
			unsigned ix[2] = { idx[a], idx[b] };
			uint8_t sub[2][32];
			memcpy(sub[0], shares[a], 32);
			memcpy(sub[1], shares[b], 32);
			assert_int_equal(shamir_combine(2, ix, sub, s), 0);
			assert_int_equal(shamir_check_secret(rec.pub.pk, s), 0);
			assert_int_equal(ballot_open(s, rec.election_id, 1, R, ct, 48, out, NULL), 0);
			assert_memory_equal(out, pt, 32);
		}
	for (int a = 0; a < 3; a++) {
		assert_int_equal(shamir_combine(1, &idx[a], &shares[a], s), 0);
		assert_int_equal(shamir_check_secret(rec.pub.pk, s), ERR_VERIFY);
		assert_int_equal(ballot_open(s, rec.election_id, 1, R, ct, 48, out, NULL),
				 ERR_VERIFY);
	}
	assert_true(log_has(f, "Les cartes 1 + 2, ensemble, déchiffrent le bulletin de test"));
	assert_true(log_has(f, "Les cartes 2 + 3, ensemble, déchiffrent le bulletin de test"));
	assert_true(log_has(f, "Cérémonie terminée"));
}

static void test_journal_and_report(void **state)
{
	struct fx *f = *state;
	struct store *db = NULL;
	struct record rec;
	char path[160];
	uint64_t n = 0;

	assert_int_equal(run(f), 0);
	load_record(f, &rec);
	snprintf(path, sizeof(path), "%s/ceremony.db", f->out);
	assert_int_equal(store_open(path, 0, &db), 0);
	assert_int_equal(journal_verify(db, &n, NULL), 0);
	assert_true(n >= 12);
	store_close(db);
	snprintf(path, sizeof(path), "%s/ceremony-report.txt", f->out);
	assert_true(testlib_file_contains(path, "COMPTE RENDU", 12));
	assert_true(testlib_file_contains(path, "Aurélie", strlen("Aurélie")));
	snprintf(path, sizeof(path), "%s/election.json", f->out);
	assert_true(testlib_file_contains(path, "sceau-election/1", 16));
}

/*
 * What GnuPG shows of each card (issue 19): the member's name (DO 5B, in
 * ASCII: "Aurélie" is "Aurelie"), the signature key's generation time (CE,
 * during the ceremony) and its OpenPGP fingerprint (C7: that of the record's
 * card_signing_key at that time), which the report prints as GnuPG does.
 */
static void test_cards_show_name_fingerprint_and_date(void **state)
{
	static const char *const names[3] = { "Marchand<<Yves", "Dupuis<<Aurelie",
					       "Nguyen<<Thomas" };
	struct fx *f = *state;
	struct card_sim_state *st = malloc(sizeof(*st));
	uint32_t t0 = (uint32_t)time(NULL), t1, at;
	char path[200], report[200], text[PGP_FPR_TEXT_LEN];
	uint8_t fpr[PGP_FPR_LEN];
	struct record rec;

	assert_non_null(st);
	assert_int_equal(run(f), 0);
	t1 = (uint32_t)time(NULL);
	load_record(f, &rec);
	snprintf(report, sizeof(report), "%s/ceremony-report.txt", f->out);
	for (int i = 0; i < 3; i++) {
		const uint8_t *d;

		snprintf(path, sizeof(path), "%s/%s", f->slot[i], CARD_SIM_CARD_FILE);
		assert_int_equal(card_sim_state_load(path, st), 0);
		assert_int_equal(st->do_len[CARD_SIM_DO_NAME], strlen(names[i]));
		assert_memory_equal(st->do_val[CARD_SIM_DO_NAME], names[i], strlen(names[i]));
		d = st->do_val[CARD_SIM_DO_DATES];
		at = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
		assert_true(at >= t0 && at <= t1);
		assert_int_equal(pgp_fingerprint_p256(rec.cards[i].sign_pub, at, fpr), 0);
		assert_memory_equal(st->do_val[CARD_SIM_DO_FPR], fpr, PGP_FPR_LEN);
		pgp_fpr_text(fpr, text);
		assert_true(testlib_file_contains(report, text, strlen(text)));
	}
	secmem_wipe(st, sizeof(*st));
	free(st);
}

/* Searches every file the ceremony wrote, and its console, for a secret. */
static void assert_nowhere(struct fx *f, const void *secret, size_t n, const char *what)
{
	static const char *const files[] = { "ceremony.db", "ceremony.db-wal", "record.json",
					     "ceremony-report.txt", "election.json",
					     "bureau.json", "platform-key.json" };
	char path[200];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->out, files[i]);
		if (testlib_file_contains(path, secret, n))
			fail_msg("%s found in %s", what, files[i]);
	}
	if (testlib_file_contains(f->log, secret, n))
		fail_msg("%s found in the console log", what);
}

static void assert_hex_nowhere(struct fx *f, const uint8_t *b, size_t n, const char *what)
{
	char hex[65];

	hex_encode(b, n, hex);
	assert_nowhere(f, hex, 2 * n, what);
	for (size_t i = 0; i < 2 * n; i++)
		if (hex[i] >= 'a')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	assert_nowhere(f, hex, 2 * n, what);
	assert_nowhere(f, b, n, what);
}

static void test_no_secret_anywhere(void **state)
{
	struct fx *f = *state;
	struct record rec;
	uint8_t shares[3][32], s[32];
	unsigned idx[3];

	assert_int_equal(run(f), 0);
	load_record(f, &rec);
	for (int i = 0; i < 3; i++)
		assert_int_equal(read_share(f, &rec, i, pins[i], &idx[i], shares[i]), 0);
	assert_int_equal(shamir_combine(3, idx, shares, s), 0);
	assert_int_equal(shamir_check_secret(rec.pub.pk, s), 0);
	assert_hex_nowhere(f, s, 32, "the election key");
	for (int i = 0; i < 3; i++) {
		assert_hex_nowhere(f, shares[i], 32, "a share");
		assert_nowhere(f, pins[i], strlen(pins[i]), "a PIN");
	}
	assert_nowhere(f, "alea deux", 9, "an entropy contribution");
}

/* Rewrites card i's share with another value and a correct checksum, as
 * someone editing the card file would. */
static void edit_share(struct fx *f, int i)
{
	char path[160];
	json_t *root, *dos, *obj;
	uint8_t b[SHARE_OBJ_LEN];
	char hex[2 * SHARE_OBJ_LEN + 1];

	snprintf(path, sizeof(path), "%s/card.json", f->slot[i]);
	root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	dos = json_object_get(root, "dos");
	assert_non_null(dos);
	obj = json_object_get(dos, "0103");
	assert_true(json_is_string(obj));
	assert_int_equal(hex_decode(json_string_value(obj), b, SHARE_OBJ_LEN), 0);
	b[71] ^= 0x01;                   /* last byte of the share */
	hash_sha256(b, 72, b + 72);      /* a valid checksum for the edited object */
	hex_encode(b, SHARE_OBJ_LEN, hex);
	json_object_set_new(dos, "0103", json_string(hex));
	assert_int_equal(json_dump_file(root, path, JSON_INDENT(2)), 0);
	json_decref(root);
}

static void test_edited_share_fails_commitments(void **state)
{
	struct fx *f = *state;
	struct record rec;
	uint8_t share[32];
	unsigned idx;

	assert_int_equal(run(f), 0);
	load_record(f, &rec);
	edit_share(f, 1);
	assert_int_equal(read_share(f, &rec, 1, pins[1], &idx, share), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "commitment"));
	assert_int_equal(read_share(f, &rec, 0, pins[0], &idx, share), 0);
}

static void test_three_wrong_pins_block(void **state)
{
	struct fx *f = *state;
	struct record rec;
	uint8_t share[32];
	unsigned idx;

	assert_int_equal(run(f), 0);
	load_record(f, &rec);
	assert_int_equal(read_share(f, &rec, 2, "111111\n222222\n333333\n", &idx, share),
			 ERR_PIN_BLOCKED);
	assert_int_equal(read_share(f, &rec, 2, pins[2], &idx, share), ERR_PIN_BLOCKED);
}

static void test_same_card_twice(void **state)
{
	struct fx *f = *state;
	char path[160];

	f->o.slots[1] = f->spec[0];
	assert_int_equal(run(f), ERR_CARD_DUP);
	assert_true(log_has(f, "Cette carte a déjà été remise à"));
	snprintf(path, sizeof(path), "%s/record.json", f->out);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_card_pulled_mid_write(void **state)
{
	struct fx *f = *state;
	char path[200];
	struct record rec;

	/* card 2 is pulled at its 6th APDU, in the middle of being written */
	snprintf(path, sizeof(path), "%s/pull-at", f->slot[1]);
	write_text(path, "6\n");
	assert_int_equal(run(f), ERR_CARD_ABSENT);
	assert_true(log_has(f, "Cérémonie interrompue"));
	snprintf(path, sizeof(path), "%s/record.json", f->out);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_not_equal(record_load(path, &rec), 0);
	/* the bureau puts the card back and starts again elsewhere: the cards
	 * already touched are recognised as used and erased on confirmation */
	snprintf(path, sizeof(path), "%s/pull-at", f->slot[1]);
	unlink(path);
	{
		char from[200], to[200];
		snprintf(from, sizeof(from), "%s/card.pulled.json", f->slot[1]);
		snprintf(to, sizeof(to), "%s/card.json", f->slot[1]);
		assert_int_equal(rename(from, to), 0);
	}
	snprintf(f->out, sizeof(f->out), "%s/out2", f->dir);
	write_text(f->script, "a\nb\nc\noui\n284017\n284017\noui\n550913\n550913\n"
			      "730268\n730268\n284017\n550913\n730268\n");
	assert_int_equal(run(f), 0);
	assert_true(log_has(f, "porte déjà la part n° 1 de cette élection"));
	assert_true(log_has(f, "Carte effacée et remise à l'état d'usine"));
}

/*
 * Pulls card 2 at its k-th APDU for every k until the ceremony no longer
 * notices: each time the ceremony stops without a record, and the pulled
 * card is either untouched (factory-fresh) or recognisably used, so that no
 * later ceremony can mistake it for a fresh card.
 */
static void test_card_pulled_at_every_apdu(void **state)
{
	struct fx *f = *state;
	char path[200], from[200];
	struct card_sim_info info;
	int k, ret = -1;

	for (k = 1; k < 200 && ret != 0; k++) {
		for (int i = 0; i < 3; i++) {
			testlib_rmdir_contents(f->slot[i]);
			assert_int_equal(card_sim_create(f->slot[i], 0x100u + (unsigned)i), 0);
		}
		snprintf(f->out, sizeof(f->out), "%s/out-%d", f->dir, k);
		snprintf(path, sizeof(path), "%s/pull-at", f->slot[1]);
		snprintf(from, sizeof(from), "%d\n", k);
		write_text(path, from);
		ret = run(f);
		if (ret == 0)
			break;
		assert_int_equal(ret, ERR_CARD_ABSENT);
		snprintf(path, sizeof(path), "%s/record.json", f->out);
		assert_int_not_equal(access(path, F_OK), 0);
		for (int i = 0; i < 3; i++)
			check_card_after_fault(f, i);
		snprintf(from, sizeof(from), "%s/card.pulled.json", f->slot[1]);
		assert_int_equal(card_sim_info(from, &info), 0);
		if (info.has_private[2] || info.has_sig_key || info.has_private[0])
			assert_true(info.pw1_tries < 3 || info.has_sig_key || info.has_private[0]);
		else
			assert_true(info.pw1_tries == 3 && info.pw3_tries == 3);
	}
	/* card 2 exchanged a good number of APDUs, each of them was a pull point */
	assert_true(k > 15);
	assert_int_equal(ret, 0);
}

/*
 * Over a TPDU-level simulated CCID reader (SCEAU_TEST_TRANSPORT=ccid-sim,
 * prefix "t1..."): card 2 is pulled as it receives its k-th T=1 block, for
 * every k, so also in the middle of command and answer chains. Each time
 * the ceremony stops without a record and every card is fresh or
 * recognisably used, with any share whole. Run when SCEAU_TEST_T1_SWEEP is
 * set (test_ceremony_transports.sh, once); skipped otherwise.
 */
static void test_card_pulled_at_every_t1_block(void **state)
{
	struct fx *f = *state;
	const char *name = getenv("SCEAU_TEST_TRANSPORT");
	const char *prefix = getenv("SCEAU_TEST_SLOT_PREFIX");
	char spec[300], path[200];
	size_t plen;
	int k, ret = -1;

	if (!getenv("SCEAU_TEST_T1_SWEEP") || !name ||
	    strcmp(name, "ccid-sim") != 0 || !prefix || strncmp(prefix, "t1", 2) != 0) {
		skip();
		return;
	}
	plen = strlen(prefix);
	assert_true(plen > 0 && prefix[plen - 1] == ':');
	for (k = 1; k < 3000 && ret != 0; k++) {
		for (int i = 0; i < 3; i++) {
			testlib_rmdir_contents(f->slot[i]);
			assert_int_equal(card_sim_create(f->slot[i], 0x100u + (unsigned)i), 0);
		}
		snprintf(f->out, sizeof(f->out), "%s/out-%d", f->dir, k);
		snprintf(spec, sizeof(spec), "%.*s,pullblock=%d:%s", (int)(plen - 1),
			 prefix, k, f->slot[1]);
		f->o.slots[1] = spec;
		ret = run(f);
		if (ret == 0)
			break;
		assert_int_equal(ret, ERR_CARD_ABSENT);
		snprintf(path, sizeof(path), "%s/record.json", f->out);
		assert_int_not_equal(access(path, F_OK), 0);
		for (int i = 0; i < 3; i++)
			check_card_after_fault(f, i);
	}
	assert_true(k > 30);
	assert_int_equal(ret, 0);
}

static void test_card_of_another_election(void **state)
{
	struct fx *f = *state;
	char def2[160];
	uint8_t *buf = NULL;
	size_t len = 0;

	assert_int_equal(run(f), 0);
	/* a second election (another definition) with the same cards */
	snprintf(def2, sizeof(def2), "%s/election2.json", f->dir);
	assert_int_equal(file_read_all(f->def, 1 << 22, &buf, &len), 0);
	assert_int_equal(file_write_atomic(def2, buf, len - 1, 1), 0); /* drop final \n */
	free(buf);
	f->o.definition = def2;
	snprintf(f->out, sizeof(f->out), "%s/out-b", f->dir);
	write_text(f->script, "a\nb\nc\nnon\n");
	assert_int_equal(run(f), ERR_CANCELLED);
	assert_true(log_has(f, "contient déjà des données"));
	/* the same cards again for the same election: a stronger warning, and
	 * the bureau declines */
	f->o.definition = f->def;
	snprintf(f->out, sizeof(f->out), "%s/out-c", f->dir);
	write_text(f->script, "a\nb\nc\nnon\n");
	assert_int_equal(run(f), ERR_CANCELLED);
	assert_true(log_has(f, "porte déjà la part n° 1 de cette élection"));
	assert_true(log_has(f, "rendra impossible le dépouillement"));
}

/* A card left terminated (a factory reset interrupted between TERMINATE
 * and ACTIVATE) is offered for reset and then written normally. */
static void test_terminated_card_reset_on_consent(void **state)
{
	struct fx *f = *state;
	static const uint8_t terminate[] = { 0x00, 0xE6, 0x00, 0x00 };
	uint8_t rapdu[CARD_RAPDU_MAX];
	size_t rlen = sizeof(rapdu);
	struct card *card = NULL;
	char text[512];

	assert_int_equal(card_open(test_transport(), f->spec[1], &card), 0);
	assert_int_equal(card_connect(card), 0);
	assert_int_equal(pgp_select(card), 0);
	assert_int_equal(pgp_verify(card, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(card_transmit(card, terminate, sizeof(terminate), rapdu, &rlen), 0);
	assert_int_equal(rlen, 2);
	assert_int_equal(rapdu[0], 0x90);
	card_close(card);
	snprintf(text, sizeof(text), "a\nb\nc\n%s\n%s\noui\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
		 pins[0], pins[0], pins[1], pins[1], pins[2], pins[2], pins[0], pins[1],
		 pins[2]);
	write_text(f->script, text);
	assert_int_equal(run(f), 0);
	assert_true(log_has(f, "Carte effacée et remise à l'état d'usine"));
}

static void test_malformed_definition_names_field(void **state)
{
	struct fx *f = *state;

	write_text(f->def, "{\"format\": \"sceau-election/1\", \"title\": 3}\n");
	assert_int_not_equal(run(f), 0);
	assert_true(log_has(f, "mal formé") || log_has(f, "hors des limites"));
	/* nothing was created */
	assert_int_not_equal(access(f->out, F_OK), 0);
}

static void test_missing_card_and_too_few_readers(void **state)
{
	struct fx *f = *state;
	char from[160], to[160];

	snprintf(from, sizeof(from), "%s/card.json", f->slot[2]);
	snprintf(to, sizeof(to), "%s/card.away.json", f->slot[2]);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(run(f), ERR_CANCELLED);
	assert_true(log_has(f, "Insérez la carte de Thomas Nguyen"));
	f->o.n_slots = 2;
	snprintf(f->out, sizeof(f->out), "%s/out2", f->dir);
	assert_int_equal(run(f), ERR_USAGE);
}

static void test_wrong_pin_at_check_then_right(void **state)
{
	struct fx *f = *state;
	char text[512];

	snprintf(text, sizeof(text), "a\nb\nc\n%s\n%s\n%s\n%s\n%s\n%s\n999999\n%s\n%s\n%s\n",
		 pins[0], pins[0], pins[1], pins[1], pins[2], pins[2], pins[0], pins[1],
		 pins[2]);
	write_text(f->script, text);
	assert_int_equal(run(f), 0);
	assert_true(log_has(f, "Il reste 2 essai(s)"));
}

static void test_weak_and_mismatched_pins_asked_again(void **state)
{
	struct fx *f = *state;
	char text[512];

	snprintf(text, sizeof(text),
		 "a\nb\nc\n123456\n12ab56\n%s\n%s\n"
		 "%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
		 pins[0], pins[0], pins[1], pins[1], pins[2], pins[2], pins[0], pins[1],
		 pins[2]);
	write_text(f->script, text);
	assert_int_equal(run(f), 0);
	assert_true(log_has(f, "trop facile à deviner"));
	assert_true(log_has(f, "de 6 à 12 chiffres"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_every_pair_decrypts_one_card_cannot),
		T(test_journal_and_report),
		T(test_cards_show_name_fingerprint_and_date),
		T(test_no_secret_anywhere),
		T(test_edited_share_fails_commitments),
		T(test_three_wrong_pins_block),
		T(test_same_card_twice),
		T(test_card_pulled_mid_write),
		T(test_card_pulled_at_every_apdu),
		T(test_card_pulled_at_every_t1_block),
		T(test_card_of_another_election),
		T(test_terminated_card_reset_on_consent),
		T(test_malformed_definition_names_field),
		T(test_missing_card_and_too_few_readers),
		T(test_wrong_pin_at_check_then_right),
		T(test_weak_and_mismatched_pins_asked_again),
#undef T
	};

	i18n_set_lang(LANG_FR);
	/* SCEAU_TEST_FILTER: run only the tests matching this cmocka pattern */
	if (getenv("SCEAU_TEST_FILTER") && *getenv("SCEAU_TEST_FILTER"))
		cmocka_set_test_filter(getenv("SCEAU_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
