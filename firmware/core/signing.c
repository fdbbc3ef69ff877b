/* Card signatures: collection with the cards, file format, checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "card/openpgp.h"
#include "core/err.h"
#include "core/journal.h"
#include "core/json_util.h"
#include "core/signing.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"
#include "ui/msg.h"
#include "ui/ui.h"

#define SIGN_PIN_BUF 64

int signing_digest(const char *subject, const uint8_t *file, size_t len,
		   uint8_t digest[32])
{
	struct hash_part part = { file, len };
	char tag[48];

	snprintf(tag, sizeof(tag), "sceau/sign/%s/v1", subject);
	return hash_tagged(tag, &part, 1, digest);
}

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

int signing_collect(const struct card_ops *ops, const char *const *slots,
		    unsigned n_slots, const struct record *rec, struct ui *u,
		    struct signing_set *set)
{
	set->n = 0;
	for (unsigned i = 0; i < n_slots && set->n < SHAMIR_MAX; i++) {
		int ret = sign_one(ops, slots[i], rec, u, set);
		if (ret) {
			char d[512];
			snprintf(d, sizeof(d), "%s", err_last_detail());
			ui_say(u, UI_WARN, msg(MSG_SIGN_FAILED), slots[i], msg_err(ret), d);
		}
	}
	if (set->n == 0) {
		err_detail("no card signed");
		return ERR_CARD_ABSENT;
	}
	/* Sorted by card index, as the format requires (the struct's first
	 * member is the index, so whole entries sort by it). */
	qsort(set->sigs, set->n, sizeof(set->sigs[0]), sign_cmp);
	return 0;
}

static json_t *sign_hex(const uint8_t *b, size_t n)
{
	char hex[129];

	hex_encode(b, n, hex);
	return json_string(hex);
}

int signing_write(const struct signing_set *set, char **json, size_t *len)
{
	json_t *a = json_array(), *o;
	int ret;

	for (unsigned i = 0; a && i < set->n; i++)
		json_array_append_new(a, json_pack("{s:i, s:o}", "card",
						   (json_int_t)set->sigs[i].card, "signature",
						   sign_hex(set->sigs[i].sig, 64)));
	o = json_pack("{s:s, s:s, s:o, s:o, s:o}", "format", SIGNING_FORMAT, "subject",
		      set->subject, "file_sha256", sign_hex(set->file_sha256, 32), "digest",
		      sign_hex(set->digest, 32), "signatures", a);
	if (!o)
		return ERR_NOMEM;
	ret = jutil_dump(o, json, len);
	json_decref(o);
	return ret;
}

static int sign_parse_entry(const json_t *arr, size_t i, struct jutil_path *p,
			    struct signing_set *set)
{
	static const char *const keys[] = { "card", "signature" };
	json_t *o = NULL;
	uint64_t card = 0;
	size_t mark = jutil_path_index(p, i);
	int ret = jutil_elem_object(arr, i, p, &o);

	if (!ret)
		ret = jutil_keys(o, p, keys, 2);
	if (!ret)
		ret = jutil_uint(o, p, "card", 1, SHAMIR_MAX, &card);
	if (!ret && i > 0 && card <= set->sigs[i - 1].card)
		ret = jutil_fail(p, "card", ERR_FORMAT, "cards must be distinct and ascending");
	set->sigs[i].card = (unsigned)card;
	if (!ret)
		ret = jutil_hex(o, p, "signature", set->sigs[i].sig, 64);
	jutil_path_pop(p, mark);
	return ret;
}

int signing_parse(const uint8_t *buf, size_t len, struct signing_set *set)
{
	static const char *const keys[] = { "format", "subject", "file_sha256", "digest",
					    "signatures" };
	struct jutil_path p;
	json_t *root = NULL, *arr = NULL;
	int ret;

	memset(set, 0, sizeof(*set));
	jutil_path_init(&p);
	ret = jutil_load(buf, len, SIGNING_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, 5);
	if (!ret)
		ret = jutil_const(root, &p, "format", SIGNING_FORMAT);
	if (!ret)
		ret = jutil_text(root, &p, "subject", set->subject, sizeof(set->subject));
	if (!ret && strcmp(set->subject, "results") && strcmp(set->subject, "manifest"))
		ret = jutil_fail(&p, "subject", ERR_FORMAT, "must be results or manifest");
	if (!ret)
		ret = jutil_hex(root, &p, "file_sha256", set->file_sha256, 32);
	if (!ret)
		ret = jutil_hex(root, &p, "digest", set->digest, 32);
	if (!ret)
		ret = jutil_array(root, &p, "signatures", 1, SHAMIR_MAX, &arr);
	if (!ret) {
		size_t mark = jutil_path_key(&p, "signatures");
		set->n = (unsigned)json_array_size(arr);
		for (unsigned i = 0; !ret && i < set->n; i++)
			ret = sign_parse_entry(arr, i, &p, set);
		jutil_path_pop(&p, mark);
	}
	json_decref(root);
	return ret;
}

int signing_check(const struct signing_set *set, const struct record *rec)
{
	for (unsigned i = 0; i < set->n; i++) {
		unsigned c = set->sigs[i].card;
		if (c < 1 || c > rec->pub.m || (i > 0 && c <= set->sigs[i - 1].card)) {
			err_detail("signatures[%u]: card %u is not a card of the record", i, c);
			return ERR_FORMAT;
		}
		if (sig_verify(rec->cards[c - 1].sign_pub, set->digest, set->sigs[i].sig) != 0) {
			err_detail("signatures[%u]: card %u's signature does not verify", i, c);
			return ERR_VERIFY;
		}
	}
	return 0;
}
