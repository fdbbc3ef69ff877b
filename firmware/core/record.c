/* The public election record: canonical JSON writer and strict parser. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/file.h"
#include "core/record.h"
#include "crypto/hash.h"

/* --- writing ---------------------------------------------------------------- */

static json_t *rec_hex(const uint8_t *b, size_t n)
{
	char buf[2 * GROUP_POINT_LEN + 1];

	hex_encode(b, n, buf);
	return json_string(buf);
}

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
				      "share_public_key", rec_hex(r->pub.share_pub[i], 65),
				      "card_aid", rec_hex(c->aid, 16), "card_signing_key",
				      rec_hex(c->sign_pub, 65), "entropy_sha256",
				      rec_hex(c->entropy_hash, 32));
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
		if (json_array_append_new(a, rec_hex(r->pub.commit[j], 65))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int record_write(const struct record *r, char **json, size_t *len)
{
	uint8_t fp[32];
	json_t *o;
	char *s;

	if (hash_sha256(r->platform_pub, GROUP_POINT_LEN, fp) != 0)
		return ERR_CRYPTO;
	o = json_pack("{s:s, s:o, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:{s:s, "
		      "s:o, s:o, s:s, s:b, s:b}}",
		      "format", RECORD_FORMAT, "election_id", rec_hex(r->election_id, 32),
		      "election_title", r->election_title, "group", "P-256", "threshold",
		      (json_int_t)r->pub.t, "shares", (json_int_t)r->pub.m, "public_key",
		      rec_hex(r->pub.pk, 65), "commitments", rec_commitments(r), "cards",
		      rec_cards(r), "platform_key", rec_hex(r->platform_pub, 65),
		      "platform_key_sha256", rec_hex(fp, 32), "ceremony", "created",
		      r->created, "journal_head", rec_hex(r->journal_head, 32),
		      "firmware_sha256", rec_hex(r->firmware_hash, 32), "crypto_library",
		      r->crypto_library, "hwrng_used", r->hwrng_used, "simulation",
		      r->simulation);
	if (!o)
		return ERR_NOMEM;
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return ERR_NOMEM;
	*len = strlen(s) + 1;
	*json = realloc(s, *len + 1);
	if (!*json) {
		free(s);
		return ERR_NOMEM;
	}
	(*json)[*len - 1] = '\n';
	(*json)[*len] = '\0';
	return 0;
}

/* --- parsing ------------------------------------------------------------------ */

/* Rejects any key of o not in the NULL-terminated list. */
static int rec_keys(json_t *o, const char *path, const char *const *allowed)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o)) {
		err_detail("%s: expected an object", path);
		return ERR_FORMAT;
	}
	json_object_foreach(o, k, v) {
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(k, *a) == 0;
		if (!ok) {
			err_detail("%s.%s: unknown field", path, k);
			return ERR_FORMAT;
		}
	}
	return 0;
}

static int rec_str(json_t *o, const char *path, const char *key, char *out, size_t n)
{
	json_t *v = json_object_get(o, key);
	size_t len;

	if (!json_is_string(v)) {
		err_detail("%s.%s: missing or not a string", path, key);
		return ERR_FORMAT;
	}
	len = json_string_length(v);
	if (len == 0 || len >= n || memchr(json_string_value(v), 0, len)) {
		err_detail("%s.%s: empty, too long or with a NUL", path, key);
		return ERR_FORMAT;
	}
	memcpy(out, json_string_value(v), len + 1);
	return 0;
}

static int rec_hexv(json_t *v, const char *path, const char *key, uint8_t *out, size_t n)
{
	if (!json_is_string(v) || json_string_length(v) != 2 * n ||
	    hex_decode(json_string_value(v), out, n) != 0) {
		err_detail("%s.%s: expected %zu bytes of hex", path, key, n);
		return ERR_FORMAT;
	}
	return 0;
}

static int rec_hexf(json_t *o, const char *path, const char *key, uint8_t *out, size_t n)
{
	return rec_hexv(json_object_get(o, key), path, key, out, n);
}

static int rec_point(json_t *o, const char *path, const char *key, uint8_t *out)
{
	int ret = rec_hexf(o, path, key, out, GROUP_POINT_LEN);

	if (ret == 0 && group_point_check(out) != 0) {
		err_detail("%s.%s: not a valid P-256 point", path, key);
		return ERR_FORMAT;
	}
	return ret;
}

static int rec_int(json_t *o, const char *path, const char *key, long lo, long hi,
		   unsigned *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		err_detail("%s.%s: expected an integer in [%ld, %ld]", path, key, lo, hi);
		return ERR_FORMAT;
	}
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int rec_bool(json_t *o, const char *path, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_boolean(v)) {
		err_detail("%s.%s: expected true or false", path, key);
		return ERR_FORMAT;
	}
	*out = json_is_true(v);
	return 0;
}

static int rec_parse_member(json_t *o, const char *path, struct member *m)
{
	static const char *const keys[] = { "role", "last_name", "first_name", NULL };
	int ret = rec_keys(o, path, keys);

	if (!ret)
		ret = rec_str(o, path, "role", m->role, sizeof(m->role));
	if (!ret)
		ret = rec_str(o, path, "last_name", m->last_name, sizeof(m->last_name));
	if (!ret)
		ret = rec_str(o, path, "first_name", m->first_name, sizeof(m->first_name));
	return ret;
}

static int rec_parse_card(json_t *o, unsigned i, struct record *r)
{
	static const char *const keys[] = { "index", "member", "share_public_key",
					    "card_aid", "card_signing_key",
					    "entropy_sha256", NULL };
	struct record_card *c = &r->cards[i];
	char path[32];
	int ret;

	snprintf(path, sizeof(path), "cards[%u]", i);
	ret = rec_keys(o, path, keys);
	if (!ret)
		ret = rec_int(o, path, "index", i + 1, i + 1, &c->index);
	if (!ret)
		ret = rec_parse_member(json_object_get(o, "member"), path, &c->member);
	if (!ret)
		ret = rec_point(o, path, "share_public_key", r->pub.share_pub[i]);
	if (!ret)
		ret = rec_hexf(o, path, "card_aid", c->aid, 16);
	if (!ret)
		ret = rec_point(o, path, "card_signing_key", c->sign_pub);
	if (!ret)
		ret = rec_hexf(o, path, "entropy_sha256", c->entropy_hash, 32);
	return ret;
}

static int rec_parse_arrays(json_t *root, struct record *r)
{
	json_t *cm = json_object_get(root, "commitments");
	json_t *cards = json_object_get(root, "cards");
	char path[32];
	int ret = 0;

	if (!json_is_array(cm) || json_array_size(cm) != r->pub.t) {
		err_detail("commitments: expected %u points", r->pub.t);
		return ERR_FORMAT;
	}
	if (!json_is_array(cards) || json_array_size(cards) != r->pub.m) {
		err_detail("cards: expected %u cards", r->pub.m);
		return ERR_FORMAT;
	}
	for (unsigned j = 0; !ret && j < r->pub.t; j++) {
		snprintf(path, sizeof(path), "commitments[%u]", j);
		ret = rec_hexv(json_array_get(cm, j), "record", path, r->pub.commit[j], 65);
		if (!ret && group_point_check(r->pub.commit[j]) != 0) {
			err_detail("%s: not a valid P-256 point", path);
			ret = ERR_FORMAT;
		}
	}
	for (unsigned i = 0; !ret && i < r->pub.m; i++)
		ret = rec_parse_card(json_array_get(cards, i), i, r);
	return ret;
}

static int rec_parse_ceremony(json_t *o, struct record *r)
{
	static const char *const keys[] = { "created", "journal_head", "firmware_sha256",
					    "crypto_library", "hwrng_used", "simulation",
					    NULL };
	int ret = rec_keys(o, "ceremony", keys);

	if (!ret)
		ret = rec_str(o, "ceremony", "created", r->created, sizeof(r->created));
	if (!ret)
		ret = rec_hexf(o, "ceremony", "journal_head", r->journal_head, 32);
	if (!ret)
		ret = rec_hexf(o, "ceremony", "firmware_sha256", r->firmware_hash, 32);
	if (!ret)
		ret = rec_str(o, "ceremony", "crypto_library", r->crypto_library,
			      sizeof(r->crypto_library));
	if (!ret)
		ret = rec_bool(o, "ceremony", "hwrng_used", &r->hwrng_used);
	if (!ret)
		ret = rec_bool(o, "ceremony", "simulation", &r->simulation);
	return ret;
}

static int rec_parse_root(json_t *root, struct record *r)
{
	static const char *const keys[] = {
		"format", "election_id", "election_title", "group", "threshold",
		"shares", "public_key", "commitments", "cards", "platform_key",
		"platform_key_sha256", "ceremony", NULL
	};
	char fmt[32], group[16];
	uint8_t fp[32], want[32];
	int ret = rec_keys(root, "record", keys);

	if (!ret)
		ret = rec_str(root, "record", "format", fmt, sizeof(fmt));
	if (!ret && strcmp(fmt, RECORD_FORMAT) != 0) {
		err_detail("format: \"%s\" is not %s", fmt, RECORD_FORMAT);
		ret = ERR_FORMAT;
	}
	if (!ret)
		ret = rec_hexf(root, "record", "election_id", r->election_id, 32);
	if (!ret)
		ret = rec_str(root, "record", "election_title", r->election_title,
			      sizeof(r->election_title));
	if (!ret)
		ret = rec_str(root, "record", "group", group, sizeof(group));
	if (!ret && strcmp(group, "P-256") != 0) {
		err_detail("group: only P-256 is supported");
		ret = ERR_FORMAT;
	}
	if (!ret)
		ret = rec_int(root, "record", "shares", 2, SHAMIR_MAX, &r->pub.m);
	if (!ret)
		ret = rec_int(root, "record", "threshold", 2, r->pub.m, &r->pub.t);
	if (!ret)
		ret = rec_point(root, "record", "public_key", r->pub.pk);
	if (!ret)
		ret = rec_parse_arrays(root, r);
	if (!ret)
		ret = rec_point(root, "record", "platform_key", r->platform_pub);
	if (!ret)
		ret = rec_hexf(root, "record", "platform_key_sha256", fp, 32);
	if (!ret && (hash_sha256(r->platform_pub, 65, want) || memcmp(fp, want, 32))) {
		err_detail("platform_key_sha256 does not match platform_key");
		ret = ERR_VERIFY;
	}
	if (!ret)
		ret = rec_parse_ceremony(json_object_get(root, "ceremony"), r);
	return ret;
}

int record_parse(const uint8_t *buf, size_t len, struct record *out)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	if (len > RECORD_FILE_MAX) {
		err_detail("record: %zu bytes, at most %u", len, RECORD_FILE_MAX);
		return ERR_RANGE;
	}
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_detail("record: JSON error line %d: %s", jerr.line, jerr.text);
		return ERR_FORMAT;
	}
	memset(out, 0, sizeof(*out));
	ret = rec_parse_root(root, out);
	json_decref(root);
	if (ret == 0 && memcmp(out->pub.pk, out->pub.commit[0], 65) != 0) {
		err_detail("record: public_key differs from commitments[0]");
		ret = ERR_VERIFY;
	}
	if (ret == 0 && shamir_check_public(&out->pub) != 0) {
		err_detail("record: share public keys do not match the commitments");
		ret = ERR_VERIFY;
	}
	return ret;
}

int record_load(const char *path, struct record *out)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(path, RECORD_FILE_MAX, &buf, &len);

	if (ret == 0)
		ret = record_parse(buf, len, out);
	free(buf);
	return ret;
}
