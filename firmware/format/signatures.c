/* The card signatures file (docs/FORMATS.md "Card signatures"): digest,
 * writer, reader and checks; see signatures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/hash.h"
#include "crypto/sig.h"
#include "format/signatures.h"
#include "lib/err.h"
#include "lib/json_util.h"

int signing_digest(const char *subject, const uint8_t *file, size_t len,
		   uint8_t digest[32])
{
	struct hash_part part = { file, len };
	char tag[48];

	snprintf(tag, sizeof(tag), "sceau/sign/%s/v1", subject);
	return hash_tagged(tag, &part, 1, digest);
}

int signing_write(const struct signing_set *set, char **json, size_t *len)
{
	json_t *a = json_array(), *o;
	int ret;

	for (unsigned i = 0; a && i < set->n; i++)
		json_array_append_new(a, json_pack("{s:i, s:o}", "card",
						   (json_int_t)set->sigs[i].card, "signature",
						   jutil_hex_string(set->sigs[i].sig, 64)));
	o = json_pack("{s:s, s:s, s:o, s:o, s:o}", "format", SIGNING_FORMAT,
		      "subject", set->subject,
		      "file_sha256", jutil_hex_string(set->file_sha256, 32),
		      "digest", jutil_hex_string(set->digest, 32), "signatures", a);
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
		/* (r, n - s) verifies too: only the form the box stores is valid. */
		if (!sig_is_low_s(set->sigs[i].sig)) {
			err_detail("signatures[%u]: card %u's signature is not in its low-s form "
				   "(s > n/2)", i, c);
			return ERR_VERIFY;
		}
	}
	return 0;
}
