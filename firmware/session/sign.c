/* Card signatures: collection with the cards (the file: format/signatures.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "card/openpgp.h"
#include "lib/err.h"
#include "store/journal.h"
#include "lib/json_util.h"
#include "format/signatures.h"
#include "session/sign.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define SIGN_PIN_BUF 64

static int sign_ready(void *arg)
{
	return card_present(arg);
}

/* The record's card in this reader, by its AID. */
static int sign_identify(struct card *card, const struct record *rec, unsigned *index)
{
	struct pgp_status st;
	int ret = pgp_select(card);

	if (!ret)
		ret = pgp_status(card, &st);
	for (unsigned i = 0; !ret && i < rec->pub.m; i++)
		if (memcmp(rec->cards[i].aid, st.aid, PGP_AID_LEN) == 0) {
			*index = i + 1;
			return 0;
		}
	if (!ret) {
		err_detail("this card is not one of the election's cards");
		ret = ERR_CARD_FOREIGN;
	}
	return ret;
}

static int sign_with_pin(struct card *card, const struct member *m, struct ui *u,
			 const uint8_t digest[32], uint8_t sig[64])
{
	char *pin = secmem_alloc(SIGN_PIN_BUF);
	unsigned tries = 0;
	int ret = pin ? 0 : ERR_NOMEM;

	while (!ret) {
		ret = ui_ask(u, pin, SIGN_PIN_BUF, 1, msg(MSG_SIGN_PIN), m->first_name,
			     m->last_name);
		if (ret == ERR_RANGE || (!ret && !pgp_pin_wellformed(PGP_PW1_SIGN, pin))) {
			secmem_wipe(pin, SIGN_PIN_BUF);
			ui_say(u, UI_WARN, "%s", msg(MSG_PIN_MALFORMED));
			ret = 0;
			continue;
		}
		if (ret)
			break;
		ret = pgp_verify(card, PGP_PW1_SIGN, pin, &tries);
		secmem_wipe(pin, SIGN_PIN_BUF);
		if (ret != ERR_PIN_WRONG)
			break;
		ui_say(u, UI_WARN, msg(MSG_PIN_WRONG_LEFT), tries);
		ret = tries ? 0 : ERR_PIN_BLOCKED;
	}
	if (!ret)
		ret = pgp_sign(card, digest, sig);
	secmem_free(pin, SIGN_PIN_BUF);
	return ret;
}

static int sign_one(const struct card_ops *ops, const char *slot, const struct record *rec,
		    struct ui *u, struct signing_set *set)
{
	struct card *card = NULL;
	unsigned index = 0;
	uint8_t sig[64];
	int ret = card_open(ops, slot, &card);

	if (!ret)
		ret = ui_wait(u, sign_ready, card, msg(MSG_CARD_INSERT_ANY), card->label);
	if (!ret)
		ret = card_connect(card);
	if (!ret)
		ret = sign_identify(card, rec, &index);
	for (unsigned k = 0; !ret && k < set->n; k++)
		if (set->sigs[k].card == index) {
			err_detail("card %u already signed", index);
			ret = ERR_CARD_DUP;
		}
	if (!ret)
		ret = sign_with_pin(card, &rec->cards[index - 1].member, u, set->digest, sig);
	if (!ret && sig_verify(rec->cards[index - 1].sign_pub, set->digest, sig) != 0) {
		err_detail("card %u: its signature does not verify with its key in the record",
			   index);
		ret = ERR_VERIFY;
	}
	if (!ret) /* one form stored: a card returns either (crypto/sig.h) */
		ret = sig_normalize(sig);
	if (!ret) {
		set->sigs[set->n].card = index;
		memcpy(set->sigs[set->n].sig, sig, 64);
		set->n++;
		ui_say(u, UI_OK, msg(MSG_SIGN_OK), index, rec->cards[index - 1].member.first_name,
		       rec->cards[index - 1].member.last_name);
	}
	card_close(card);
	return ret;
}

static int sign_cmp(const void *a, const void *b)
{
	const unsigned *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* Fewer signatures than the threshold make a file the verifier refuses
 * (docs/FORMATS.md "Card signatures"): none is kept, and the bureau is
 * told how many more cards must sign. The cause named is the last card's
 * refusal: a blocked PIN, or a card of another election, is not a missing
 * card. */
static int sign_too_few(const struct record *rec, struct ui *u, struct signing_set *set,
			int refused)
{
	unsigned t = rec->pub.t, n = set->n;

	memset(set->sigs, 0, sizeof(set->sigs));
	set->n = 0;
	err_detail("%u valid card(s) for a threshold of %u", n, t);
	if (refused)
		ui_say(u, UI_ERROR, msg(MSG_SIGN_TOO_FEW_CAUSE), msg_err(refused), t, n, t - n);
	else
		ui_say(u, UI_ERROR, msg(MSG_SIGN_TOO_FEW), t, n, t - n);
	return refused ? refused : ERR_CARD_ABSENT;
}

int signing_collect(const struct card_ops *ops, const char *const *slots,
		    unsigned n_slots, const struct record *rec, struct ui *u,
		    struct signing_set *set)
{
	int refused = 0;

	set->n = 0;
	for (unsigned i = 0; i < n_slots && set->n < SHAMIR_MAX; i++) {
		int ret = sign_one(ops, slots[i], rec, u, set);
		if (ret) {
			refused = ret;
			ui_say(u, UI_WARN, msg(MSG_SIGN_FAILED), slots[i], msg_err(ret),
			       err_last_text());
		}
	}
	if (set->n < rec->pub.t)
		return sign_too_few(rec, u, set, refused);
	/* Sorted by card index, as the format requires (the struct's first
	 * member is the index, so whole entries sort by it). */
	qsort(set->sigs, set->n, sizeof(set->sigs[0]), sign_cmp);
	return 0;
}
