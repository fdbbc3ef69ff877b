/* The ceremony's proofs of work and its outputs: test decryptions with every
 * t-subset of the cards, the public record and the ceremony report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session/boot.h"
#include "session/ceremony_priv.h"
#include "lib/err.h"
#include "lib/file.h"
#include "store/journal.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/selftest.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

/* The test ballot uses scrutin id 0, which no real scrutin has. */
#define CER_TEST_SCRUTIN 0

static unsigned cer_popcount(unsigned v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* "1 + 2" for the subset mask. */
static void cer_subset_name(unsigned mask, char *out, size_t n)
{
	size_t k = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < SHAMIR_MAX && k + 8 < n; i++)
		if (mask & (1u << i))
			k += (size_t)snprintf(out + k, n - k, "%s%u", k ? " + " : "", i + 1);
}

static int cer_combine(struct cer *c, unsigned mask)
{
	uint8_t sub[SHAMIR_MAX][32];
	unsigned idx[SHAMIR_MAX], k = 0;
	int ret;

	for (unsigned i = 0; i < c->o->m; i++)
		if (mask & (1u << i)) {
			idx[k] = i + 1;
			memcpy(sub[k++], c->sec->readback[i], 32);
		}
	ret = shamir_combine(k, idx, sub, c->sec->combined);
	WIPE_BUFFER(sub);
	return ret;
}

/* The test ballot decrypted as the count decrypts (S = sA, M = B - S
 * decoded), with its decryption proof made and checked. */
static int cer_open_test(struct cer *c)
{
	struct cer_secrets *s = c->sec;
	const uint8_t *A = c->test_ballot + BALLOT2_OFF_A, *B = c->test_ballot + BALLOT2_OFF_B;
	uint8_t S[GROUP_POINT_LEN], proof[DLEQ_PROOF_LEN];
	struct dleq2_statement st = { c->rec.pub.pk, c->e->id, CER_TEST_SCRUTIN, A, B, S };
	int ret = ballot2_open(s->combined, A, B, sizeof(s->test_out), S, s->test_out);

	if (!ret)
		ret = dleq2_prove(s->combined, &st, proof);
	if (!ret)
		ret = dleq2_verify(&st, proof);
	if (!ret && secmem_ct_compare(s->test_out, s->test_pt, sizeof(s->test_pt)) != 0)
		ret = ERR_VERIFY;
	return ret;
}

static int cer_try_subset(struct cer *c, unsigned mask)
{
	struct cer_secrets *s = c->sec;
	char name[64];
	int ret;

	ret = cer_combine(c, mask);
	if (!ret)
		ret = shamir_check_secret(c->rec.pub.pk, s->combined);
	if (!ret)
		ret = cer_open_test(c);
	secmem_wipe(s->combined, sizeof(s->combined));
	secmem_wipe(s->test_out, sizeof(s->test_out));
	cer_subset_name(mask, name, sizeof(name));
	if (ret) {
		err_detail("cards %s do not decrypt the test ballot", name);
		return ret;
	}
	ui_say(c->u, UI_OK, msg(MSG_TEST_DECRYPT_OK), name);
	return journal_append(c->db, "test.decrypt", "cards=%s result=ok", name);
}

/* With t-1 cards the interpolation must give another key: a sanity check
 * that the threshold is really t. */
static int cer_below_threshold(struct cer *c)
{
	unsigned mask = (1u << (c->o->t - 1)) - 1;
	int ret = cer_combine(c, mask);

	if (!ret && shamir_check_secret(c->rec.pub.pk, c->sec->combined) == 0)
		ret = ERR_INTERNAL;
	secmem_wipe(c->sec->combined, sizeof(c->sec->combined));
	if (ret) {
		err_detail("%u cards rebuilt the key: the threshold is wrong", c->o->t - 1);
		return ret;
	}
	ui_say(c->u, UI_OK, msg(MSG_ONE_CARD_FAILS), c->o->t);
	return journal_append(c->db, "test.below-threshold", "cards=%u result=no-key",
			      c->o->t - 1);
}

int cer_test_decrypt(struct cer *c)
{
	int ret;

	/* A v2 ballot of random plaintext (the longest a point carries), with
	 * its proof of knowledge checked as the import checks it. */
	ret = rng_bytes(c->rng, c->sec->test_pt, sizeof(c->sec->test_pt));
	if (!ret)
		ret = ballot2_encrypt(c->rng, c->rec.pub.pk, c->e->id, CER_TEST_SCRUTIN,
				      c->sec->test_pt, sizeof(c->sec->test_pt), c->test_ballot);
	if (!ret)
		ret = ballot2_check(c->e->id, c->test_ballot, sizeof(c->test_ballot));
	for (unsigned mask = 1; !ret && mask < (1u << c->o->m); mask++)
		if (cer_popcount(mask) == c->o->t)
			ret = cer_try_subset(c, mask);
	if (!ret)
		ret = cer_below_threshold(c);
	secmem_wipe(c->sec->readback, sizeof(c->sec->readback));
	secmem_wipe(c->sec->test_pt, sizeof(c->sec->test_pt));
	return ret;
}

/* --- outputs ---------------------------------------------------------------- */

static int cer_copy_input(struct cer *c, const char *name)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = store_file_get(c->db, name, &buf, &len);

	if (!ret)
		ret = file_write_atomic(cer_path(c, name), buf, len, 0);
	free(buf);
	return ret;
}

struct cer_text {
	char *buf;
	size_t len, cap;
};

static void cer_add(struct cer_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cer_add(struct cer_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->cap - t->len < 1024) {
		char *nb = realloc(t->buf, t->cap + 16384);
		if (!nb)
			return;
		t->buf = nb;
		t->cap += 16384;
	}
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < t->cap - t->len)
		t->len += (size_t)n;
}

/* A card's OpenPGP fingerprint and date as GnuPG prints them (UTC), so that
 * a member can recognise the card in GnuPG or a token manager. */
static void cer_report_pgp(struct cer *c, struct cer_text *t, unsigned i)
{
	char fpr[PGP_FPR_TEXT_LEN], when[32] = "?";
	time_t at = (time_t)c->pgp_created[i];
	struct tm tm;

	pgp_fpr_text(c->pgp_fpr[i], fpr);
	if (gmtime_r(&at, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	cer_add(t, "    ");
	cer_add(t, msg(MSG_REPORT_PGP_KEY), fpr, when);
	cer_add(t, "\n");
}

static void cer_report_cards(struct cer *c, struct cer_text *t)
{
	char hex[131], serial[9];

	for (unsigned i = 0; i < c->rec.pub.m; i++) {
		const struct record_card *rc = &c->rec.cards[i];
		snprintf(serial, sizeof(serial), "%02X%02X%02X%02X", rc->aid[10], rc->aid[11],
			 rc->aid[12], rc->aid[13]);
		cer_add(t, "\n");
		cer_add(t, msg(MSG_MEMBER), rc->index, rc->member.first_name,
			rc->member.last_name, rc->member.role);
		cer_add(t, "\n    %s %s\n", msg(MSG_REPORT_SERIAL), serial);
		hex_encode(rc->sign_pub, 65, hex);
		cer_add(t, "    %s %s\n", msg(MSG_REPORT_SIGNKEY), hex);
		cer_report_pgp(c, t, i);
		hex_encode(c->rec.pub.share_pub[i], 65, hex);
		cer_add(t, "    %s %s\n", msg(MSG_REPORT_SHAREKEY), hex);
		hex_encode(rc->entropy_hash, 32, hex);
		cer_add(t, "    %s %s\n", msg(MSG_REPORT_ENTROPY), hex);
	}
}

static int cer_report(struct cer *c, const uint8_t record_hash[32])
{
	struct cer_text t = { 0 };
	char hex[131];
	int ret;

	cer_add(&t, "%s\n\n", msg(MSG_REPORT_TITLE));
	if (c->rec.simulation)
		cer_add(&t, "%s\n\n", msg(MSG_SIM_BUILD));
	cer_add(&t, msg(MSG_ELECTION), c->e->title, c->e->establishment, c->e->siret);
	hex_encode(c->e->id, 32, hex);
	cer_add(&t, "\n%s %s\n", msg(MSG_REPORT_DATE), c->rec.created);
	cer_add(&t, msg(MSG_ELECTION_ID), hex);
	cer_add(&t, "\n");
	cer_add(&t, msg(MSG_THRESHOLD), c->rec.pub.m, c->rec.pub.t);
	hex_encode(c->rec.pub.pk, 65, hex);
	cer_add(&t, "\n%s %s\n", msg(MSG_REPORT_PK), hex);
	cer_report_cards(c, &t);
	hex_encode(record_hash, 32, hex);
	cer_add(&t, "\n%s %s\n", msg(MSG_REPORT_RECORD_HASH), hex);
	hex_encode(c->rec.journal_head, 32, hex);
	cer_add(&t, "%s %s\n", msg(MSG_REPORT_JOURNAL), hex);
	hex_encode(c->rec.firmware_hash, 32, hex);
	cer_add(&t, "%s %s (%s)\n", msg(MSG_REPORT_FIRMWARE), hex, c->rec.crypto_library);
	cer_add(&t, "\n%s\n", msg(MSG_REPORT_TESTS));
	if (!t.buf)
		return ERR_NOMEM;
	ret = file_write_atomic(cer_path(c, "ceremony-report.txt"), t.buf, t.len, 0);
	if (!ret)
		ret = store_file_put(c->db, "ceremony-report.txt", t.buf, t.len);
	free(t.buf);
	return ret;
}

static int cer_write_record(struct cer *c, uint8_t record_hash[32])
{
	struct record check;
	char *json = NULL;
	size_t len = 0;
	int ret;

	ret = record_write(&c->rec, &json, &len);
	/* What is published must pass the same strict parser every reader uses. */
	if (!ret)
		ret = record_parse((const uint8_t *)json, len, &check);
	if (!ret)
		ret = hash_sha256(json, len, record_hash);
	if (!ret)
		ret = file_write_atomic(cer_path(c, "record.json"), json, len, 0);
	if (!ret)
		ret = store_file_put(c->db, "record.json", json, len);
	free(json);
	return ret;
}

int cer_publish(struct cer *c)
{
	uint8_t record_hash[32];
	char hex[65];
	int ret;

	journal_now(c->rec.created);
	snprintf(c->rec.crypto_library, sizeof(c->rec.crypto_library), "%s",
		 crypto_library_version());
	c->rec.simulation = boot_simulation_build();
	ret = journal_append(c->db, "ceremony.complete", "all cards checked");
	if (!ret)
		ret = journal_head(c->db, c->rec.journal_head, NULL);
	if (!ret)
		ret = cer_write_record(c, record_hash);
	if (!ret)
		ret = cer_copy_input(c, "election.json");
	if (!ret)
		ret = cer_copy_input(c, "bureau.json");
	if (!ret)
		ret = cer_copy_input(c, "platform-key.json");
	hex_encode(record_hash, 32, hex);
	if (!ret)
		ret = journal_append(c->db, "record.written", "record_sha256=%s", hex);
	if (!ret)
		ret = cer_report(c, record_hash);
	if (!ret)
		ret = session_advance(&c->s, PHASE_CEREMONY_DONE, NULL, "%s", "");
	if (ret)
		return ret;
	ui_say(c->u, UI_STEP, "%s", msg(MSG_CEREMONY_DONE));
	ui_say(c->u, UI_OK, msg(MSG_RECORD_WRITTEN), cer_path(c, "record.json"));
	ui_say(c->u, UI_OK, msg(MSG_REPORT_WRITTEN), cer_path(c, "ceremony-report.txt"));
	journal_head(c->db, record_hash, NULL);
	hex_encode(record_hash, 32, hex);
	ui_say(c->u, UI_INFO, msg(MSG_JOURNAL_HEAD), hex);
	return 0;
}
