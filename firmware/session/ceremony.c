/* The key ceremony's flow; see ceremony.h. Card work is in ceremony_card.c,
 * the test decryptions and the outputs in ceremony_out.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card/card.h"
#include "session/boot.h"
#include "session/ceremony_priv.h"
#include "lib/err.h"
#include "lib/file.h"
#include "store/journal.h"
#include "format/platform_key.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/selftest.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

const char *cer_path(struct cer *c, const char *name)
{
	snprintf(c->path, sizeof(c->path), "%s/%s", c->o->out_dir, name);
	return c->path;
}

/* The first 16 bytes of SHA-256(data) in groups of four hex digits. */
static void cer_fingerprint(const uint8_t *data, size_t len, char out[48])
{
	uint8_t h[32];
	char hex[65];
	size_t k = 0;

	hash_sha256(data, len, h);
	hex_encode(h, 16, hex);
	for (int i = 0; i < 32; i++) {
		out[k++] = hex[i];
		if (i % 4 == 3 && i != 31)
			out[k++] = ' ';
	}
	out[k] = '\0';
}

static int cer_selftest(struct cer *c)
{
	char up[256], hex[65];
	int ret;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_SELFTEST));
	if (boot_simulation_build())
		ui_say(c->u, UI_WARN, "%s", msg(MSG_SIM_BUILD));
	ret = crypto_selftest();
	if (ret)
		return ret;
	ui_say(c->u, UI_OK, msg(MSG_SELFTEST_CRYPTO_OK), crypto_library_version());
	ret = rng_health();
	if (ret)
		return ret;
	ui_say(c->u, UI_OK, "%s", msg(MSG_SELFTEST_RNG_OK));
	ret = boot_airgap(up, sizeof(up));
	if (ret == ERR_AIRGAP && boot_simulation_build()) {
		ui_say(c->u, UI_WARN, msg(MSG_AIRGAP_SIM), up);
	} else if (ret == ERR_AIRGAP) {
		ui_say(c->u, UI_ERROR, msg(MSG_AIRGAP_FAIL), up);
		err_detail("%s", up);
		return ret;
	} else if (ret) {
		return ret;
	} else {
		ui_say(c->u, UI_OK, "%s", msg(MSG_AIRGAP_OK));
	}
	ret = boot_firmware_hash(c->rec.firmware_hash);
	if (ret)
		return ret;
	hex_encode(c->rec.firmware_hash, 32, hex);
	ui_say(c->u, UI_INFO, msg(MSG_FIRMWARE_HASH), hex);
	return 0;
}

static void cer_show_inputs(struct cer *c)
{
	char hex[65], fp[48];

	ui_say(c->u, UI_INFO, msg(MSG_ELECTION), c->e->title, c->e->establishment,
	       c->e->siret);
	hex_encode(c->e->id, 32, hex);
	ui_say(c->u, UI_INFO, msg(MSG_ELECTION_ID), hex);
	for (unsigned i = 0; i < c->e->n_scrutins; i++) {
		const struct scrutin *s = &c->e->scrutins[i];
		ui_say(c->u, UI_INFO, msg(MSG_SCRUTIN), s->id, s->college,
		       election_body_name(s->body), s->round, s->seats, s->inscrits,
		       s->n_lists);
	}
	for (unsigned i = 0; i < c->b.n_members; i++) {
		const struct member *m = &c->b.members[i];
		ui_say(c->u, UI_INFO, msg(MSG_MEMBER), i + 1, m->first_name, m->last_name,
		       m->role);
	}
	ui_say(c->u, UI_INFO, msg(MSG_THRESHOLD), c->o->m, c->o->t);
	cer_fingerprint(c->rec.platform_pub, 65, fp);
	ui_say(c->u, UI_INFO, msg(MSG_PLATFORM_KEY), fp);
}

static int cer_inputs(struct cer *c)
{
	int ret;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_INPUTS));
	ret = election_load(c->o->definition, &c->e);
	if (!ret)
		ret = bureau_load(c->o->bureau, &c->b);
	if (!ret)
		ret = platform_key_load(c->o->platform_key, c->rec.platform_pub);
	if (ret)
		return ret;
	if (c->b.n_members != c->o->m) {
		ui_say(c->u, UI_ERROR, msg(MSG_BUREAU_SIZE), c->b.n_members, c->o->m);
		err_detail("bureau: %u members for m = %u", c->b.n_members, c->o->m);
		return ERR_USAGE;
	}
	memcpy(c->rec.election_id, c->e->id, 32);
	snprintf(c->rec.election_title, sizeof(c->rec.election_title), "%s", c->e->title);
	cer_show_inputs(c);
	return 0;
}

/* Keeps exact copies of the inputs in the session database. */
static int cer_store_input(struct store *db, const char *name, const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(path, ELECTION_FILE_MAX, &buf, &len);

	if (ret == 0)
		ret = store_file_put(db, name, buf, len);
	free(buf);
	return ret;
}

/* What the ceremony's database starts with: its inputs, as given. */
static int cer_fill(struct store *db, void *arg)
{
	struct cer *c = arg;
	char hex[65], fw[65];
	int ret = cer_store_input(db, "election.json", c->o->definition);

	if (!ret)
		ret = cer_store_input(db, "bureau.json", c->o->bureau);
	if (!ret)
		ret = cer_store_input(db, "platform-key.json", c->o->platform_key);
	hex_encode(c->e->id, 32, hex);
	if (!ret)
		ret = store_meta_set(db, "election_id", hex);
	hex_encode(c->rec.firmware_hash, 32, fw);
	if (!ret)
		ret = journal_append(db, "ceremony.start",
				     "election_id=%s t=%u m=%u firmware=%s crypto=%s "
				     "simulation=%d", hex, c->o->t, c->o->m, fw,
				     crypto_library_version(), boot_simulation_build());
	return ret;
}

static int cer_open_session(struct cer *c)
{
	int ret = file_mkdirs(c->o->out_dir);

	if (ret)
		return ret;
	if (access(cer_path(c, "record.json"), F_OK) == 0) {
		err_detail("%s already exists: a ceremony was already held here", c->path);
		return ERR_EXISTS;
	}
	ret = session_open(&c->s, c->o->out_dir, PHASE_CMD_CEREMONY, c->u);
	c->told = ret != 0;
	if (!ret)
		ret = session_create(&c->s, PHASE_CEREMONY, cer_fill, c);
	c->db = c->s.db;
	return ret;
}

static int cer_entropy(struct cer *c)
{
	char hex[65];
	int ret;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_ENTROPY));
	ret = rng_new(&c->rng, "sceau/ceremony/v1", &c->rec.hwrng_used);
	if (ret)
		return ret;
	for (unsigned i = 0; i < c->o->m; i++) {
		const struct member *m = &c->b.members[i];
		size_t n;

		ret = ui_ask(c->u, c->sec->entropy, sizeof(c->sec->entropy), 1,
			     msg(MSG_ENTROPY_ASK), m->first_name, m->last_name);
		if (ret == ERR_RANGE)
			ret = 0; /* a long contribution is kept up to the buffer */
		if (ret)
			return ret;
		n = strlen(c->sec->entropy);
		ret = hash_sha256(c->sec->entropy, n, c->rec.cards[i].entropy_hash);
		if (!ret && n)
			ret = rng_add_entropy(c->rng, c->sec->entropy, n);
		secmem_wipe(c->sec->entropy, sizeof(c->sec->entropy));
		if (ret)
			return ret;
		hex_encode(c->rec.cards[i].entropy_hash, 32, hex);
		ui_say(c->u, UI_OK, msg(MSG_ENTROPY_DONE), n);
		ret = journal_append(c->db, "entropy.member", "member=%u sha256=%s", i + 1,
				     hex);
		if (ret)
			return ret;
	}
	return 0;
}

static int cer_keygen(struct cer *c)
{
	char fp[48], hex[131];
	int ret;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_KEYGEN));
	ui_say(c->u, UI_INFO, msg(MSG_HWRNG),
	       msg(c->rec.hwrng_used ? MSG_HWRNG_USED : MSG_HWRNG_ABSENT));
	ret = shamir_generate(c->rng, c->o->t, c->o->m, c->sec->secret, c->sec->shares,
			      &c->rec.pub);
	if (ret)
		return ret;
	cer_fingerprint(c->rec.pub.pk, 65, fp);
	ui_say(c->u, UI_OK, msg(MSG_KEY_DONE), c->o->m, fp);
	hex_encode(c->rec.pub.pk, 65, hex);
	return journal_append(c->db, "key.generated", "t=%u m=%u public_key=%s hwrng=%d",
			      c->o->t, c->o->m, hex, c->rec.hwrng_used);
}

static int cer_cards(struct cer *c)
{
	int ret = 0;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_CARDS));
	for (unsigned i = 0; !ret && i < c->o->m; i++)
		ret = cer_write_card(c, i);
	/* Whatever happened, the generated key and shares are no longer needed. */
	secmem_wipe(c->sec->secret, sizeof(c->sec->secret));
	secmem_wipe(c->sec->shares, sizeof(c->sec->shares));
	if (ret)
		return ret;
	ui_say(c->u, UI_OK, "%s", msg(MSG_SECRET_WIPED));
	return journal_append(c->db, "key.wiped", "the key now exists only on the cards");
}

static int cer_verify(struct cer *c)
{
	int ret = 0;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_CHECK));
	for (unsigned i = 0; !ret && i < c->o->m; i++)
		ret = cer_check_card(c, i);
	return ret;
}

/* The cause in the bureau's language, the journal's in the code's; a
 * refusal of session_open() (a ceremony already begun here, a busy or
 * read-only directory) was said already and touched nothing. */
static void cer_abort(struct cer *c, int ret)
{
	struct err_saved e;

	if (c->told)
		return;
	err_save(&e);
	ui_say(c->u, UI_ERROR, "%s%s%s", boot_err_text(ret), e.text[0] ? msg(MSG_COLON) : "",
	       e.text);
	if (c->db)
		journal_append(c->db, "ceremony.aborted", "error=%d detail=%s", ret, e.detail);
	ui_say(c->u, UI_WARN, "%s", msg(MSG_CEREMONY_ABORTED));
	err_restore(&e);
}

static int cer_check_opts(struct cer *c)
{
	const struct ceremony_opts *o = c->o;

	if (o->t < 2 || o->t > o->m || o->m > SHAMIR_MAX) {
		err_detail("threshold %u of %u: need 2 <= t <= m <= %d", o->t, o->m,
			   SHAMIR_MAX);
		return ERR_USAGE;
	}
	if (!o->transport) {
		err_detail("no card transport is compiled into this build");
		return ERR_USAGE;
	}
	if (o->n_slots != o->m) {
		err_detail("%u card readers named for %u cards", o->n_slots, o->m);
		return ERR_USAGE;
	}
	c->sec = secmem_alloc(sizeof(*c->sec));
	return c->sec ? 0 : ERR_NOMEM;
}

static void cer_free(struct cer *c)
{
	for (unsigned i = 0; i < SHAMIR_MAX; i++)
		card_close(c->cards[i]);
	secmem_free(c->sec, sizeof(*c->sec));
	rng_free(c->rng);
	session_close(&c->s);
	election_free(c->e);
}

int ceremony_run(const struct ceremony_opts *o, struct ui *u)
{
	struct cer c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.u = u;
	err_clear();
	ret = cer_check_opts(&c);
	if (!ret)
		ret = cer_selftest(&c);
	if (!ret)
		ret = cer_inputs(&c);
	if (!ret)
		ret = cer_open_session(&c);
	if (!ret)
		ret = cer_entropy(&c);
	if (!ret)
		ret = cer_keygen(&c);
	if (!ret)
		ret = cer_cards(&c);
	if (!ret)
		ret = cer_verify(&c);
	if (!ret)
		ret = cer_test_decrypt(&c);
	if (!ret)
		ret = cer_publish(&c);
	if (ret)
		cer_abort(&c, ret);
	cer_free(&c);
	return ret;
}
