/* Reading and checking a share on a card; see share_read.h. */
#include <stdio.h>
#include <string.h>

#include "card/openpgp.h"
#include "format/share_obj.h"
#include "lib/err.h"
#include "session/share_read.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define SHARE_PIN_BUF 64

struct share_secrets {
	char pin[SHARE_PIN_BUF];
	uint8_t buf[SHARE_OBJ_LEN];
	struct share_obj so;
};

/* The record's card with this AID, or NULL. */
static const struct record_card *share_find_card(const struct record *rec,
						 const uint8_t aid[PGP_AID_LEN])
{
	for (unsigned i = 0; i < rec->pub.m; i++)
		if (memcmp(rec->cards[i].aid, aid, PGP_AID_LEN) == 0)
			return &rec->cards[i];
	return NULL;
}

static int share_identify(struct card *card, const struct record *rec,
			  const struct record_card **rc)
{
	struct pgp_status st;
	uint8_t pub[65];
	char serial[9];
	int ret;

	ret = pgp_select(card);
	if (!ret)
		ret = pgp_status(card, &st);
	if (ret)
		return ret;
	pgp_serial_hex(st.aid, serial);
	*rc = share_find_card(rec, st.aid);
	if (!*rc) {
		err_detail("card %s is not one of this election's cards", serial);
		return ERR_CARD_FOREIGN;
	}
	ret = pgp_read_sig_key(card, pub);
	if (!ret && memcmp(pub, (*rc)->sign_pub, 65) != 0) {
		err_detail("card %s: its signing key is not the one in the record", serial);
		ret = ERR_CARD_FOREIGN;
	}
	if (!ret && st.pw1_tries == 0) {
		err_detail("card %s", serial);
		ret = ERR_PIN_BLOCKED;
	}
	return ret;
}

static int share_verify_pin(struct card *card, const struct member *m, struct ui *u,
			    char *pin)
{
	unsigned tries = 0;
	int ret;

	for (;;) {
		ret = ui_ask(u, pin, SHARE_PIN_BUF, 1, msg(MSG_PIN_ENTER), m->first_name,
			     m->last_name);
		if (ret == ERR_RANGE || (!ret && !pgp_pin_wellformed(PGP_PW1, pin))) {
			secmem_wipe(pin, SHARE_PIN_BUF);
			ui_say(u, UI_WARN, "%s", msg(MSG_PIN_MALFORMED));
			continue;
		}
		if (ret)
			return ret;
		ret = pgp_verify(card, PGP_PW1, pin, &tries);
		secmem_wipe(pin, SHARE_PIN_BUF);
		if (ret != ERR_PIN_WRONG)
			return ret;
		ui_say(u, UI_WARN, msg(MSG_PIN_WRONG_LEFT), tries);
		if (tries == 0)
			return ERR_PIN_BLOCKED;
	}
}

static int share_decode_check(const struct record *rec, const struct record_card *rc,
			      struct share_secrets *s, size_t len)
{
	int ret = share_obj_decode(s->buf, len, &s->so);

	if (ret)
		return ret;
	if (memcmp(s->so.election_id, rec->election_id, 32) != 0) {
		err_detail("the card holds a share of another election");
		return ERR_CARD_FOREIGN;
	}
	if (s->so.index != rc->index || s->so.t != rec->pub.t || s->so.m != rec->pub.m) {
		err_detail("the share on the card is not share %u of %u-of-%u", rc->index,
			   rec->pub.t, rec->pub.m);
		return ERR_VERIFY;
	}
	if (shamir_check_share(&rec->pub, rc->index, s->so.share) != 0) {
		err_detail("card %u: the share fails the commitment check", rc->index);
		return ERR_VERIFY;
	}
	return 0;
}

int share_read(struct card *card, const struct record *rec, struct ui *u,
	       unsigned *index, uint8_t share[32])
{
	struct share_secrets *s = secmem_alloc(sizeof(*s));
	const struct record_card *rc = NULL;
	size_t len = SHARE_OBJ_LEN;
	int ret = s ? 0 : ERR_NOMEM;

	if (!ret)
		ret = share_identify(card, rec, &rc);
	if (!ret)
		ret = share_verify_pin(card, &rc->member, u, s->pin);
	if (!ret)
		ret = pgp_get_data(card, PGP_DO_PRIVATE3, s->buf, &len);
	if (!ret)
		ret = share_decode_check(rec, rc, s, len);
	if (!ret) {
		memcpy(share, s->so.share, 32);
		*index = rc->index;
	}
	secmem_free(s, sizeof(*s));
	return ret;
}

static int share_card_ready(void *arg)
{
	return card_present(arg);
}

int share_check_card(const struct card_ops *ops, const char *slot,
		     const char *record_path, struct ui *u)
{
	struct record rec;
	struct card *card = NULL;
	uint8_t *share = secmem_alloc(32);
	unsigned index = 0;
	int ret = share ? 0 : ERR_NOMEM;

	if (!ret)
		ret = record_load(record_path, &rec);
	if (!ret)
		ret = card_open(ops, slot, &card);
	if (!ret)
		ret = ui_wait(u, share_card_ready, card, msg(MSG_CARD_INSERT_ANY), card->label);
	if (!ret)
		ret = card_connect(card);
	if (!ret)
		ret = share_read(card, &rec, u, &index, share);
	if (!ret) {
		const struct member *m = &rec.cards[index - 1].member;
		ui_say(u, UI_OK, msg(MSG_CARD_CHECK_OK), index, m->first_name, m->last_name,
		       m->role);
	}
	secmem_free(share, 32);
	card_close(card);
	return ret;
}
