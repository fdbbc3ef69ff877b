/* The public election record: canonical JSON writer and strict parser. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/err.h"
#include "lib/file.h"
#include "format/json_point.h"
#include "lib/json_util.h"
#include "format/record.h"
#include "crypto/hash.h"

/* --- writing ---------------------------------------------------------------- */

static json_t *rec_member(const struct member *m)
{
	return json_pack("{s:s, s:s, s:s}", "role", m->role, "last_name", m->last_name,
			 "first_name", m->first_name);
}

static json_t *rec_cards(const struct record *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < r->pub.m; i++) {
		const struct record_card *c = &r->cards[i];
		json_t *o = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "index",
				      (json_int_t)c->index, "member", rec_member(&c->member),
				      "share_public_key",
				      jutil_hex_string(r->pub.share_pub[i], 65),
				      "card_aid", jutil_hex_string(c->aid, 16),
				      "card_signing_key", jutil_hex_string(c->sign_pub, 65),
				      "entropy_sha256",
				      jutil_hex_string(c->entropy_hash, 32));
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *rec_commitments(const struct record *r)
{
	json_t *a = json_array();

	for (unsigned j = 0; a && j < r->pub.t; j++)
		if (json_array_append_new(a, jutil_hex_string(r->pub.commit[j], 65))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int record_write(const struct record *r, char **json, size_t *len)
{
	uint8_t fp[32];
	json_t *o;
	int ret;

	if (hash_sha256(r->platform_pub, GROUP_POINT_LEN, fp) != 0)
		return ERR_CRYPTO;
	o = json_pack("{s:s, s:o, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:{s:s, "
		      "s:o, s:o, s:s, s:b, s:b}}",
		      "format", RECORD_FORMAT,
		      "election_id", jutil_hex_string(r->election_id, 32),
		      "election_title", r->election_title, "group", "P-256",
		      "threshold", (json_int_t)r->pub.t, "shares", (json_int_t)r->pub.m,
		      "public_key", jutil_hex_string(r->pub.pk, 65),
		      "commitments", rec_commitments(r), "cards", rec_cards(r),
		      "platform_key", jutil_hex_string(r->platform_pub, 65),
		      "platform_key_sha256", jutil_hex_string(fp, 32),
		      "ceremony", "created", r->created,
		      "journal_head", jutil_hex_string(r->journal_head, 32),
		      "firmware_sha256", jutil_hex_string(r->firmware_hash, 32),
		      "crypto_library", r->crypto_library, "hwrng_used", r->hwrng_used,
		      "simulation", r->simulation);
	if (!o)
		return ERR_NOMEM;
	ret = jutil_dump(o, json, len);
	json_decref(o);
	return ret;
}

/* --- parsing ------------------------------------------------------------------ */

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

static int rec_parse_member(const json_t *o, struct jutil_path *p, struct member *m)
{
	static const char *const keys[] = { "role", "last_name", "first_name" };
	int ret = jutil_keys(o, p, keys, NKEYS(keys));

	if (!ret)
		ret = jutil_text(o, p, "role", m->role, sizeof(m->role));
	if (!ret)
		ret = jutil_text(o, p, "last_name", m->last_name, sizeof(m->last_name));
	if (!ret)
		ret = jutil_text(o, p, "first_name", m->first_name, sizeof(m->first_name));
	return ret;
}

static int rec_parse_card(const json_t *o, struct jutil_path *p, unsigned i,
			  struct record *r)
{
	static const char *const keys[] = { "index", "member", "share_public_key",
					    "card_aid", "card_signing_key",
					    "entropy_sha256" };
	struct record_card *c = &r->cards[i];
	json_t *m = NULL;
	uint64_t idx = 0;
	size_t mark;
	int ret;

	ret = jutil_keys(o, p, keys, NKEYS(keys));
	if (!ret)
		ret = jutil_uint(o, p, "index", i + 1, i + 1, &idx);
	c->index = (unsigned)idx;
	if (!ret)
		ret = jutil_object(o, p, "member", &m);
	if (!ret) {
		mark = jutil_path_key(p, "member");
		ret = rec_parse_member(m, p, &c->member);
		jutil_path_pop(p, mark);
	}
	if (!ret)
		ret = jutil_point(o, p, "share_public_key", r->pub.share_pub[i]);
	if (!ret)
		ret = jutil_hex(o, p, "card_aid", c->aid, 16);
	if (!ret)
		ret = jutil_point(o, p, "card_signing_key", c->sign_pub);
	if (!ret)
		ret = jutil_hex(o, p, "entropy_sha256", c->entropy_hash, 32);
	return ret;
}

static int rec_parse_card_at(const json_t *o, struct jutil_path *p, size_t i, void *arg)
{
	return rec_parse_card(o, p, (unsigned)i, arg);
}

static int rec_parse_arrays(const json_t *root, struct jutil_path *p, struct record *r)
{
	json_t *cm = NULL, *cards = NULL;
	size_t mark;
	int ret;

	ret = jutil_array(root, p, "commitments", r->pub.t, r->pub.t, &cm);
	if (!ret)
		ret = jutil_array(root, p, "cards", r->pub.m, r->pub.m, &cards);
	for (unsigned j = 0; !ret && j < r->pub.t; j++) {
		mark = jutil_path_key(p, "commitments");
		jutil_path_index(p, j);
		ret = jutil_elem_hex(cm, j, p, r->pub.commit[j], 65);
		if (!ret && group_point_check(r->pub.commit[j]) != 0)
			ret = jutil_fail(p, NULL, ERR_FORMAT, "not a valid P-256 point");
		jutil_path_pop(p, mark);
	}
	return ret ? ret : jutil_each(cards, p, "cards", rec_parse_card_at, r);
}

static int rec_parse_ceremony(const json_t *root, struct jutil_path *p, struct record *r)
{
	static const char *const keys[] = { "created", "journal_head", "firmware_sha256",
					    "crypto_library", "hwrng_used", "simulation" };
	json_t *o = NULL;
	size_t mark;
	int ret = jutil_object(root, p, "ceremony", &o);

	if (ret)
		return ret;
	mark = jutil_path_key(p, "ceremony");
	ret = jutil_keys(o, p, keys, NKEYS(keys));
	if (!ret)
		ret = jutil_text(o, p, "created", r->created, sizeof(r->created));
	if (!ret)
		ret = jutil_hex(o, p, "journal_head", r->journal_head, 32);
	if (!ret)
		ret = jutil_hex(o, p, "firmware_sha256", r->firmware_hash, 32);
	if (!ret)
		ret = jutil_text(o, p, "crypto_library", r->crypto_library,
				 sizeof(r->crypto_library));
	if (!ret)
		ret = jutil_bool(o, p, "hwrng_used", &r->hwrng_used);
	if (!ret)
		ret = jutil_bool(o, p, "simulation", &r->simulation);
	jutil_path_pop(p, mark);
	return ret;
}

static int rec_parse_root(const json_t *root, struct record *r)
{
	static const char *const keys[] = {
		"format", "election_id", "election_title", "group", "threshold",
		"shares", "public_key", "commitments", "cards", "platform_key",
		"platform_key_sha256", "ceremony"
	};
	struct jutil_path p;
	uint8_t fp[32], want[32];
	uint64_t t = 0, m = 0;
	int ret;

	jutil_path_init(&p);
	ret = jutil_keys(root, &p, keys, NKEYS(keys));
	if (!ret)
		ret = jutil_const(root, &p, "format", RECORD_FORMAT);
	if (!ret)
		ret = jutil_hex(root, &p, "election_id", r->election_id, 32);
	if (!ret)
		ret = jutil_text(root, &p, "election_title", r->election_title,
				 sizeof(r->election_title));
	if (!ret)
		ret = jutil_const(root, &p, "group", "P-256");
	if (!ret)
		ret = jutil_uint(root, &p, "shares", 2, SHAMIR_MAX, &m);
	if (!ret)
		ret = jutil_uint(root, &p, "threshold", 2, m, &t);
	r->pub.t = (unsigned)t;
	r->pub.m = (unsigned)m;
	if (!ret)
		ret = jutil_point(root, &p, "public_key", r->pub.pk);
	if (!ret)
		ret = rec_parse_arrays(root, &p, r);
	if (!ret)
		ret = jutil_point(root, &p, "platform_key", r->platform_pub);
	if (!ret)
		ret = jutil_hex(root, &p, "platform_key_sha256", fp, 32);
	if (!ret && (hash_sha256(r->platform_pub, 65, want) || memcmp(fp, want, 32)))
		ret = jutil_fail(&p, "platform_key_sha256", ERR_VERIFY,
				 "does not match platform_key");
	if (!ret)
		ret = rec_parse_ceremony(root, &p, r);
	return ret;
}

int record_parse(const uint8_t *buf, size_t len, struct record *out)
{
	json_t *root = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = jutil_load(buf, len, RECORD_FILE_MAX, &root);
	if (!ret)
		ret = rec_parse_root(root, out);
	json_decref(root);
	if (ret == 0 && memcmp(out->pub.pk, out->pub.commit[0], 65) != 0) {
		err_detail("public_key: differs from commitments[0]");
		ret = ERR_VERIFY;
	}
	if (ret == 0 && shamir_check_public(&out->pub) != 0) {
		err_detail("cards: share public keys do not match the commitments");
		ret = ERR_VERIFY;
	}
	return ret;
}

static int record_parse_any(const uint8_t *buf, size_t len, void *out)
{
	return record_parse(buf, len, out);
}

int record_load(const char *path, struct record *out)
{
	return file_parse(path, RECORD_FILE_MAX, record_parse_any, out);
}
