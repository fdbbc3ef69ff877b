/*
 * The ceremony's card work: bring a card to a known fresh state, write the
 * share, the PV-signing key (with what GnuPG shows of it) and the member's
 * PIN, then read it all back.
 * The admin PIN (PW3) is set to a random value nobody ever sees, so the
 * member's PIN is the only way to the share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "card/openpgp.h"
#include "session/ceremony_priv.h"
#include "lib/err.h"
#include "store/journal.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define CER_PIN_ATTEMPTS 3
#define CER_MARKER_PREFIX "sceau/1 "

static int cer_card_ready(void *arg)
{
	return card_present(arg);
}

/* Waits for the card of member i, powers it and selects the application. */
static int cer_card_attach(struct cer *c, unsigned i, struct pgp_status *st)
{
	const struct member *m = &c->b.members[i];
	char serial[9];
	int ret;

	if (!c->cards[i]) {
		ret = card_open(c->o->transport, c->o->slots[i], &c->cards[i]);
		if (ret)
			return ret;
	}
	ret = ui_wait(c->u, cer_card_ready, c->cards[i], msg(MSG_CARD_INSERT),
		      m->first_name, m->last_name, m->role, c->cards[i]->label);
	if (ret == ERR_CANCELLED)
		err_detail("no card in reader %s", c->cards[i]->label);
	if (!ret)
		ret = card_connect(c->cards[i]);
	if (!ret)
		ret = pgp_select(c->cards[i]);
	if (!ret)
		ret = pgp_status(c->cards[i], st);
	if (ret)
		return ret;
	pgp_serial_hex(st->aid, serial);
	ui_say(c->u, UI_INFO, msg(MSG_CARD_FOUND), serial);
	return 0;
}

static void cer_marker(struct cer *c, unsigned i, char *out, size_t n)
{
	char hex[65];

	hex_encode(c->e->id, 32, hex);
	snprintf(out, n, CER_MARKER_PREFIX "%s %u", hex, i + 1);
}

/* 0 if the card is factory-fresh, ERR_CARD_USED if it holds anything; then
 * *same is the share index it holds for this very election (0 if none). */
static int cer_card_state(struct cer *c, struct card *card, const struct pgp_status *st,
			  unsigned *same)
{
	size_t plen = strlen(CER_MARKER_PREFIX), len;
	uint8_t marker[256], pub[65];
	char hex[65];
	int ret;

	*same = 0;
	len = sizeof(marker) - 1;
	ret = pgp_get_data(card, 0x0101, marker, &len);
	if (ret && ret != ERR_CARD_NODATA)
		return ret;
	if (ret == 0 && len > 0) {
		marker[len] = '\0';
		hex_encode(c->e->id, 32, hex);
		if (len > plen + 65 && memcmp(marker, CER_MARKER_PREFIX, plen) == 0 &&
		    memcmp(marker + plen, hex, 64) == 0)
			*same = (unsigned)strtoul((char *)marker + plen + 65, NULL, 10);
		return ERR_CARD_USED;
	}
	ret = pgp_read_sig_key(card, pub);
	if (ret == 0)
		return ERR_CARD_USED;
	if (ret != ERR_CARD_NODATA)
		return ret;
	if (st->pw1_tries < 3 || st->pw3_tries < 3)
		return ERR_CARD_USED;
	return 0;
}

/*
 * Erasing a card needs the bureau's explicit consent. A card that already
 * holds a share of this election gets a stronger warning: if that earlier
 * ceremony completed, erasing it would make the count impossible.
 */
static int cer_card_reset(struct cer *c, struct card *card, unsigned same)
{
	int ret;

	if (same) {
		ui_say(c->u, UI_WARN, msg(MSG_CARD_SAME_ELECTION), same);
		ret = ui_confirm(c->u, "%s", msg(MSG_CARD_SAME_ELECTION_ASK));
	} else {
		ret = ui_confirm(c->u, "%s", msg(MSG_CARD_USED_ASK));
	}
	if (ret < 0)
		return ret;
	if (ret == 0) {
		err_detail("the bureau chose not to erase the card");
		return ERR_CANCELLED;
	}
	ret = pgp_factory_reset(card);
	if (ret)
		return ret;
	ui_say(c->u, UI_OK, "%s", msg(MSG_CARD_RESET));
	return journal_append(c->db, "card.reset",
			      "factory reset confirmed by the bureau (held share %u of this "
			      "election: %s)", same, same ? "yes" : "no");
}

/* Makes the card factory-fresh with PW3 verified at its default. */
static int cer_card_prepare(struct cer *c, struct card *card, const struct pgp_status *st)
{
	unsigned same = 0;
	int ret = cer_card_state(c, card, st, &same);

	if (ret == 0) {
		ret = pgp_verify(card, PGP_PW3, PGP_PW3_DEFAULT, NULL);
		if (ret == ERR_PIN_WRONG || ret == ERR_PIN_BLOCKED)
			ret = ERR_CARD_USED; /* the admin PIN was changed: not fresh */
		else if (ret)
			return ret;
	}
	if (ret != ERR_CARD_USED)
		return ret;
	ret = cer_card_reset(c, card, same);
	if (!ret)
		ret = pgp_verify(card, PGP_PW3, PGP_PW3_DEFAULT, NULL);
	return ret;
}

static int cer_card_dup(struct cer *c, unsigned i, const struct pgp_status *st)
{
	for (unsigned j = 0; j < i; j++) {
		if (memcmp(c->rec.cards[j].aid, st->aid, PGP_AID_LEN) == 0) {
			const struct member *m = &c->b.members[j];
			ui_say(c->u, UI_ERROR, msg(MSG_CARD_DUP), m->first_name, m->last_name);
			err_detail("card of member %u presented again for member %u", j + 1,
				   i + 1);
			return ERR_CARD_DUP;
		}
	}
	return 0;
}

/* 6..12 digits, not all the same, not a run of consecutive digits. */
static enum msg_id cer_pin_problem(const char *pin)
{
	size_t n = strlen(pin);
	int same = 1, up = 1, down = 1;

	if (n < PGP_PIN_MIN || n > CER_PIN_MAX)
		return MSG_PIN_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (pin[i] < '0' || pin[i] > '9')
			return MSG_PIN_INVALID;
		if (i == 0)
			continue;
		same &= pin[i] == pin[i - 1];
		up &= pin[i] == pin[i - 1] + 1;
		down &= pin[i] == pin[i - 1] - 1;
	}
	return same || up || down ? MSG_PIN_WEAK : MSG__COUNT;
}

static int cer_choose_pin(struct cer *c, const struct member *m)
{
	struct cer_secrets *s = c->sec;
	int ret;

	for (int attempt = 0; attempt < CER_PIN_ATTEMPTS; attempt++) {
		enum msg_id problem;

		ret = ui_ask(c->u, s->pin, sizeof(s->pin), 1, msg(MSG_PIN_CHOOSE),
			     m->first_name, m->last_name);
		if (ret && ret != ERR_RANGE)
			return ret;
		problem = ret ? MSG_PIN_INVALID : cer_pin_problem(s->pin);
		if (problem != MSG__COUNT) {
			ui_say(c->u, UI_WARN, "%s", msg(problem));
			continue;
		}
		ret = ui_ask(c->u, s->pin2, sizeof(s->pin2), 1, "%s", msg(MSG_PIN_CONFIRM));
		if (ret && ret != ERR_RANGE)
			return ret;
		if (ret == 0 && secmem_ct_compare(s->pin, s->pin2, sizeof(s->pin)) == 0)
			return 0;
		ui_say(c->u, UI_WARN, "%s", msg(MSG_PIN_MISMATCH));
	}
	ui_say(c->u, UI_ERROR, "%s", msg(MSG_PIN_TOO_MANY));
	err_detail("no valid PIN chosen after %d attempts", CER_PIN_ATTEMPTS);
	return ERR_CANCELLED;
}

/* A random admin PIN of 32 hex digits; it is used once and wiped. */
static int cer_admin_pin(struct cer *c)
{
	uint8_t raw[16];
	int ret = rng_bytes(c->rng, raw, sizeof(raw));

	if (!ret)
		hex_encode(raw, sizeof(raw), c->sec->admin_pin);
	WIPE_BUFFER(raw);
	return ret;
}

/*
 * What GnuPG and OpenSC show of the card (docs/HARDWARE.md): the signature
 * key's fingerprint and generation time, as GnuPG writes them after its own
 * GENERATE, and the member's name. A card that looks blank could be reset
 * by mistake. PW3 is still verified at its default here.
 */
static int cer_card_identity(struct cer *c, unsigned i, struct card *card)
{
	const struct member *m = &c->b.members[i];
	char name[PGP_NAME_MAX + 1];
	size_t len = pgp_holder_name(m->last_name, m->first_name, name);
	int ret;

	c->pgp_created[i] = (uint32_t)time(NULL);
	ret = pgp_fingerprint_p256(c->rec.cards[i].sign_pub, c->pgp_created[i],
				   c->pgp_fpr[i]);
	if (!ret)
		ret = pgp_put_sig_key_info(card, c->pgp_fpr[i], c->pgp_created[i]);
	if (!ret)
		ret = pgp_put_data(card, PGP_DO_NAME, (const uint8_t *)name, len);
	return ret;
}

static int cer_card_program(struct cer *c, unsigned i, struct card *card)
{
	struct cer_secrets *s = c->sec;
	char marker[128];
	int ret;

	ret = pgp_set_sig_algo_p256(card);
	if (!ret)
		ret = pgp_generate_sig_key(card, c->rec.cards[i].sign_pub);
	if (!ret)
		ret = cer_card_identity(c, i, card);
	if (!ret)
		ret = pgp_change_pin(card, PGP_PW1_SIGN, PGP_PW1_DEFAULT, s->pin, NULL);
	if (!ret)
		ret = pgp_verify(card, PGP_PW1, s->pin, NULL);
	memcpy(s->so.election_id, c->e->id, 32);
	s->so.index = i + 1;
	s->so.t = c->o->t;
	s->so.m = c->o->m;
	memcpy(s->so.share, s->shares[i], 32);
	if (!ret)
		ret = share_obj_encode(&s->so, s->so_buf);
	if (!ret)
		ret = pgp_put_data(card, PGP_DO_PRIVATE3, s->so_buf, SHARE_OBJ_LEN);
	cer_marker(c, i, marker, sizeof(marker));
	if (!ret)
		ret = pgp_put_data(card, 0x0101, (const uint8_t *)marker, strlen(marker));
	if (!ret)
		ret = cer_admin_pin(c);
	if (!ret)
		ret = pgp_change_pin(card, PGP_PW3, PGP_PW3_DEFAULT, s->admin_pin, NULL);
	secmem_wipe(&s->so, sizeof(s->so));
	secmem_wipe(s->so_buf, sizeof(s->so_buf));
	secmem_wipe(s->admin_pin, sizeof(s->admin_pin));
	return ret;
}

int cer_write_card(struct cer *c, unsigned i)
{
	struct pgp_status st;
	char serial[9], hex[131], fpr[2 * PGP_FPR_LEN + 1];
	int ret;

	ret = cer_card_attach(c, i, &st);
	if (ret == ERR_CARD_USED) {
		/* A terminated card (a reset interrupted half-way) answers nothing
		 * but SELECT with 62 85: it can only be reset, with consent. */
		ret = cer_card_reset(c, c->cards[i], 0);
		if (!ret)
			ret = cer_card_attach(c, i, &st);
	}
	if (!ret)
		ret = cer_card_dup(c, i, &st);
	if (!ret)
		ret = cer_card_prepare(c, c->cards[i], &st);
	if (!ret)
		ret = cer_choose_pin(c, &c->b.members[i]);
	if (!ret)
		ret = cer_card_program(c, i, c->cards[i]);
	secmem_wipe(c->sec->pin, sizeof(c->sec->pin));
	secmem_wipe(c->sec->pin2, sizeof(c->sec->pin2));
	if (ret)
		return ret;
	c->rec.cards[i].index = i + 1;
	c->rec.cards[i].member = c->b.members[i];
	memcpy(c->rec.cards[i].aid, st.aid, PGP_AID_LEN);
	pgp_serial_hex(st.aid, serial);
	hex_encode(c->rec.cards[i].sign_pub, 65, hex);
	hex_encode(c->pgp_fpr[i], PGP_FPR_LEN, fpr);
	ui_say(c->u, UI_OK, msg(MSG_CARD_WRITTEN), i + 1);
	return journal_append(c->db, "card.written",
			      "index=%u serial=%s signing_key=%s openpgp_fingerprint=%s "
			      "created=%lu", i + 1, serial, hex, fpr,
			      (unsigned long)c->pgp_created[i]);
}

/* Asks the member's PIN until the card accepts it or blocks. */
int cer_ask_pin(struct cer *c, const struct member *m, char *pin)
{
	struct card *card = NULL;
	unsigned tries = 0;
	int ret;

	for (unsigned i = 0; i < c->o->m; i++)
		if (&c->b.members[i] == m)
			card = c->cards[i];
	for (;;) {
		ret = ui_ask(c->u, pin, CER_PIN_BUF, 1, msg(MSG_PIN_ENTER), m->first_name,
			     m->last_name);
		if (ret == ERR_RANGE || (!ret && !pgp_pin_wellformed(PGP_PW1, pin))) {
			secmem_wipe(pin, CER_PIN_BUF);
			ui_say(c->u, UI_WARN, "%s", msg(MSG_PIN_MALFORMED));
			continue;
		}
		if (ret)
			return ret;
		ret = pgp_verify(card, PGP_PW1, pin, &tries);
		if (ret != ERR_PIN_WRONG)
			return ret;
		ui_say(c->u, UI_WARN, msg(MSG_PIN_WRONG_LEFT), tries);
		journal_append(c->db, "pin.wrong", "card=%s tries_left=%u", card->label, tries);
		if (tries == 0)
			return ERR_PIN_BLOCKED;
	}
}

static int cer_check_share(struct cer *c, unsigned i)
{
	struct cer_secrets *s = c->sec;
	size_t len = sizeof(s->so_buf);
	int ret;

	ret = pgp_get_data(c->cards[i], PGP_DO_PRIVATE3, s->so_buf, &len);
	if (!ret)
		ret = share_obj_decode(s->so_buf, len, &s->so);
	if (!ret && (memcmp(s->so.election_id, c->e->id, 32) != 0 || s->so.index != i + 1 ||
		     s->so.t != c->o->t || s->so.m != c->o->m)) {
		err_detail("card %u: the share read back is not share %u of this election",
			   i + 1, i + 1);
		ret = ERR_VERIFY;
	}
	if (!ret && shamir_check_share(&c->rec.pub, i + 1, s->so.share) != 0) {
		err_detail("card %u: the share read back fails the commitment check", i + 1);
		ret = ERR_VERIFY;
	}
	if (!ret)
		memcpy(s->readback[i], s->so.share, 32);
	secmem_wipe(&s->so, sizeof(s->so));
	secmem_wipe(s->so_buf, sizeof(s->so_buf));
	return ret;
}

int cer_check_card(struct cer *c, unsigned i)
{
	struct pgp_status st;
	uint8_t pub[65];
	int ret;

	ret = cer_card_attach(c, i, &st);
	if (!ret && memcmp(st.aid, c->rec.cards[i].aid, PGP_AID_LEN) != 0) {
		err_detail("reader %s holds another card than card %u", c->cards[i]->label,
			   i + 1);
		ret = ERR_CARD_FOREIGN;
	}
	if (!ret)
		ret = cer_ask_pin(c, &c->b.members[i], c->sec->pin);
	secmem_wipe(c->sec->pin, sizeof(c->sec->pin));
	if (!ret)
		ret = cer_check_share(c, i);
	if (!ret)
		ret = pgp_read_sig_key(c->cards[i], pub);
	if (!ret && memcmp(pub, c->rec.cards[i].sign_pub, 65) != 0) {
		err_detail("card %u: its signing key changed since it was generated", i + 1);
		ret = ERR_VERIFY;
	}
	if (ret)
		return ret;
	ui_say(c->u, UI_OK, msg(MSG_SHARE_OK), i + 1);
	return journal_append(c->db, "card.checked", "index=%u share=commitment-ok", i + 1);
}
