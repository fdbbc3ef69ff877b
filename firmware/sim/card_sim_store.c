/*
 * The simulated card's file: strict JSON (docs/CARD.md), read at every APDU
 * and saved atomically when the card changed, so that removing the file
 * between two APDUs is exactly a card pull. The file is the card's "secure
 * part": it holds the private key in clear, as a chip's EEPROM does; PINs are
 * only kept as salted hashes. Strings that held secrets are wiped before
 * jansson frees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sim/card_sim.h"
#include "sim/card_sim_int.h"
#include "lib/err.h"
#include "lib/file.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/secmem.h"

const struct card_sim_dodef card_sim_dos[CARD_SIM_DO_COUNT] = {
	[CARD_SIM_DO_0101] = { 0x0101, "0101", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_0102] = { 0x0102, "0102", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_0103] = { 0x0103, "0103", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_0104] = { 0x0104, "0104", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_NAME] = { 0x005B, "005b", 0, 39 },
	[CARD_SIM_DO_LANG] = { 0x5F2D, "5f2d", 0, 8 },
	[CARD_SIM_DO_SEX] = { 0x5F35, "5f35", 0, 1 },
	[CARD_SIM_DO_LOGIN] = { 0x005E, "005e", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_URL] = { 0x5F50, "5f50", 0, CARD_SIM_DO_MAX },
	[CARD_SIM_DO_ALGO_SIG] = { 0x00C1, "00c1", 6, 10 },
	[CARD_SIM_DO_ALGO_DEC] = { 0x00C2, "00c2", 6, 10 },
	[CARD_SIM_DO_ALGO_AUT] = { 0x00C3, "00c3", 6, 10 },
	[CARD_SIM_DO_FPR] = { 0x00C5, "00c5", 60, 60 },
	[CARD_SIM_DO_CA_FPR] = { 0x00C6, "00c6", 60, 60 },
	[CARD_SIM_DO_DATES] = { 0x00CD, "00cd", 12, 12 },
};

static const uint8_t card_sim_oid_p256[8] = {
	0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07
};

/* algo 0x13 (ECDSA) or 0x12 (ECDH) with the P-256 OID, optional import
 * format byte 00 or FF. */
int card_sim_attr_p256(const uint8_t *a, size_t n, uint8_t algo)
{
	if (n != 9 && n != 10)
		return 0;
	if (a[0] != algo || memcmp(a + 1, card_sim_oid_p256, 8) != 0)
		return 0;
	return n == 9 || a[9] == 0x00 || a[9] == 0xFF;
}

/* RSA, 2048-bit modulus, 17- or 32-bit exponent, import format 00..03. */
int card_sim_attr_rsa2048(const uint8_t *a, size_t n)
{
	return n == 6 && a[0] == 0x01 && a[1] == 0x08 && a[2] == 0x00 &&
	       a[3] == 0x00 && (a[4] == 0x11 || a[4] == 0x20) && a[5] <= 0x03;
}

static int card_sim_attr_ok(enum card_sim_do d, const uint8_t *a, size_t n)
{
	if (card_sim_attr_rsa2048(a, n))
		return 1;
	return card_sim_attr_p256(a, n, d == CARD_SIM_DO_ALGO_DEC ? 0x12 : 0x13);
}

int card_sim_path(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= cap) {
		err_detail("slot path too long: %s", dir);
		return ERR_RANGE;
	}
	return 0;
}

/* Overwrites every string of a jansson tree before it is freed. */
static void card_sim_json_wipe(json_t *v)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_string(v)) {
		secmem_wipe((void *)json_string_value(v), json_string_length(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, child)
			card_sim_json_wipe(child);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			card_sim_json_wipe(child);
	}
}

static void card_sim_json_free(json_t *v)
{
	if (v) {
		card_sim_json_wipe(v);
		json_decref(v);
	}
}

/* ---------------------------------------------------------------- loading */

static int card_sim_get_hex(json_t *obj, const char *key, uint8_t *out,
			    size_t min, size_t max, size_t *len)
{
	json_t *v = json_object_get(obj, key);
	size_t n;

	if (!json_is_string(v)) {
		err_detail("card file: \"%s\" missing or not a string", key);
		return ERR_FORMAT;
	}
	n = json_string_length(v);
	if (n % 2 != 0 || n / 2 < min || n / 2 > max ||
	    strlen(json_string_value(v)) != n ||
	    (n > 0 && hex_decode(json_string_value(v), out, n / 2) != 0)) {
		err_detail("card file: \"%s\" is not %zu..%zu bytes of hex", key,
			   min, max);
		return ERR_FORMAT;
	}
	if (len)
		*len = n / 2;
	return 0;
}

static int card_sim_get_uint(json_t *obj, const char *key, unsigned max,
			     unsigned *out)
{
	json_t *v = json_object_get(obj, key);
	json_int_t i;

	if (!json_is_integer(v)) {
		err_detail("card file: \"%s\" missing or not an integer", key);
		return ERR_FORMAT;
	}
	i = json_integer_value(v);
	if (i < 0 || i > (json_int_t)max) {
		err_detail("card file: \"%s\" = %lld, allowed 0..%u", key,
			   (long long)i, max);
		return ERR_FORMAT;
	}
	*out = (unsigned)i;
	return 0;
}

static int card_sim_check_keys(json_t *obj, const char *what, size_t n)
{
	if (!json_is_object(obj) || json_object_size(obj) != n) {
		err_detail("card file: \"%s\" must be an object of %zu members",
			   what, n);
		return ERR_FORMAT;
	}
	return 0;
}

static int card_sim_load_pin(json_t *root, const char *key,
			     struct card_sim_pin *pin, unsigned min)
{
	static const uint8_t zero[CARD_SIM_PIN_HASH_LEN];
	json_t *o = json_object_get(root, key);
	int ok, ret;

	ret = card_sim_check_keys(o, key, 3);
	if (!ret)
		ret = card_sim_get_hex(o, "hash", pin->hash, sizeof(pin->hash),
				       sizeof(pin->hash), NULL);
	if (!ret)
		ret = card_sim_get_uint(o, "length", CARD_SIM_PIN_MAX, &pin->len);
	if (!ret)
		ret = card_sim_get_uint(o, "tries", CARD_SIM_TRIES, &pin->tries);
	if (ret)
		return ret;
	/* Only the resetting code (min 0 here) may be unset, and then it is
	 * all zero; a set one is as long as PW3 at least. */
	if (pin->len == 0)
		ok = min == 0 && pin->tries == 0 &&
		     memcmp(pin->hash, zero, sizeof(zero)) == 0;
	else
		ok = pin->len >= (min ? min : CARD_SIM_PW3_MIN);
	if (!ok) {
		err_detail("card file: \"%s\" is inconsistent", key);
		return ERR_FORMAT;
	}
	return 0;
}

static int card_sim_load_dos(json_t *root, struct card_sim_state *st)
{
	json_t *o = json_object_get(root, "dos");
	int ret;

	ret = card_sim_check_keys(o, "dos", CARD_SIM_DO_COUNT);
	for (int d = 0; !ret && d < CARD_SIM_DO_COUNT; d++)
		ret = card_sim_get_hex(o, card_sim_dos[d].key, st->do_val[d],
				       card_sim_dos[d].min, card_sim_dos[d].max,
				       &st->do_len[d]);
	for (int d = CARD_SIM_DO_ALGO_SIG; !ret && d <= CARD_SIM_DO_ALGO_AUT; d++) {
		if (!card_sim_attr_ok(d, st->do_val[d], st->do_len[d])) {
			err_detail("card file: unsupported algorithm attributes %s",
				   card_sim_dos[d].key);
			ret = ERR_FORMAT;
		}
	}
	return ret;
}

static int card_sim_load_key(json_t *root, struct card_sim_state *st)
{
	json_t *o = json_object_get(root, "signature_key");
	int ret;

	if (json_is_null(o)) {
		st->has_key = 0;
		return 0;
	}
	ret = card_sim_check_keys(o, "signature_key", 2);
	if (!ret)
		ret = card_sim_get_hex(o, "private", st->key_priv, 32, 32, NULL);
	if (!ret)
		ret = card_sim_get_hex(o, "public", st->key_pub, 65, 65, NULL);
	if (ret)
		return ret;
	if (st->key_pub[0] != 0x04 ||
	    !card_sim_attr_p256(st->do_val[CARD_SIM_DO_ALGO_SIG],
				st->do_len[CARD_SIM_DO_ALGO_SIG], 0x13)) {
		err_detail("card file: signature key does not match C1");
		return ERR_FORMAT;
	}
	st->has_key = 1;
	return 0;
}

static int card_sim_parse(json_t *root, struct card_sim_state *st)
{
	static const uint8_t rid[6] = { 0xD2, 0x76, 0x00, 0x01, 0x24, 0x01 };
	const char *s;
	unsigned u;
	int ret;

	ret = card_sim_check_keys(root, "card", 11);
	if (ret)
		return ret;
	s = json_string_value(json_object_get(root, "format"));
	if (!s || strcmp(s, CARD_SIM_FORMAT) != 0) {
		err_detail("card file: format is not \"%s\"", CARD_SIM_FORMAT);
		return ERR_FORMAT;
	}
	ret = card_sim_get_hex(root, "aid", st->aid, 16, 16, NULL);
	if (ret)
		return ret;
	if (memcmp(st->aid, rid, sizeof(rid)) != 0) {
		err_detail("card file: AID is not an OpenPGP application");
		return ERR_FORMAT;
	}
	s = json_string_value(json_object_get(root, "life_cycle"));
	if (s && strcmp(s, "operational") == 0) {
		st->terminated = 0;
	} else if (s && strcmp(s, "terminated") == 0) {
		st->terminated = 1;
	} else {
		err_detail("card file: bad \"life_cycle\"");
		return ERR_FORMAT;
	}
	ret = card_sim_get_hex(root, "salt", st->salt, sizeof(st->salt),
			       sizeof(st->salt), NULL);
	if (!ret)
		ret = card_sim_load_pin(root, "pw1", &st->pw1, CARD_SIM_PW1_MIN);
	if (!ret)
		ret = card_sim_load_pin(root, "rc", &st->rc, 0);
	if (!ret)
		ret = card_sim_load_pin(root, "pw3", &st->pw3, CARD_SIM_PW3_MIN);
	if (!ret && !json_is_boolean(json_object_get(root, "pw1_multi_sign"))) {
		err_detail("card file: \"pw1_multi_sign\" is not a boolean");
		ret = ERR_FORMAT;
	}
	if (ret)
		return ret;
	st->pw1_multi = json_is_true(json_object_get(root, "pw1_multi_sign"));
	ret = card_sim_load_dos(root, st);
	if (!ret)
		ret = card_sim_load_key(root, st);
	if (!ret)
		ret = card_sim_get_uint(root, "signature_counter", 0xFFFFFF, &u);
	if (!ret)
		st->sig_count = u;
	return ret;
}

int card_sim_state_load_fd(int fd, const char *name, struct card_sim_state *st)
{
	uint8_t *buf = NULL;
	size_t got = 0;
	json_t *root = NULL;
	json_error_t jerr;
	int ret = ERR_IO;

	buf = malloc(CARD_SIM_FILE_MAX);
	if (!buf)
		return ERR_NOMEM;
	for (;;) {
		ssize_t n = read(fd, buf + got, CARD_SIM_FILE_MAX - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_detail("%s: %s", name, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == CARD_SIM_FILE_MAX) {
			err_detail("%s: larger than %d bytes", name, CARD_SIM_FILE_MAX);
			ret = ERR_RANGE;
			goto out;
		}
	}
	root = json_loadb((const char *)buf, got, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_detail("%s: line %d: %s", name, jerr.line, jerr.text);
		ret = ERR_FORMAT;
		goto out;
	}
	memset(st, 0, sizeof(*st));
	ret = card_sim_parse(root, st);
	if (ret)
		secmem_wipe(st, sizeof(*st));
out:
	card_sim_json_free(root);
	secmem_wipe(buf, got);
	free(buf);
	return ret;
}

int card_sim_state_load(const char *path, struct card_sim_state *st)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_detail("%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	ret = card_sim_state_load_fd(fd, path, st);
	close(fd);
	return ret;
}

/* ----------------------------------------------------------------- saving */

static int card_sim_set_hex(json_t *obj, const char *key, const uint8_t *in,
			    size_t len)
{
	char hex[2 * CARD_SIM_DO_MAX + 1];
	int ret = 0;

	hex_encode(in, len, hex);
	if (json_object_set_new(obj, key, json_string(hex)) != 0)
		ret = ERR_NOMEM;
	secmem_wipe(hex, 2 * len + 1);
	return ret;
}

static int card_sim_set_int(json_t *obj, const char *key, json_int_t v)
{
	return json_object_set_new(obj, key, json_integer(v)) ? ERR_NOMEM : 0;
}

static json_t *card_sim_pin_json(const struct card_sim_pin *pin)
{
	json_t *o = json_object();

	if (!o || card_sim_set_hex(o, "hash", pin->hash, sizeof(pin->hash)) ||
	    card_sim_set_int(o, "length", pin->len) ||
	    card_sim_set_int(o, "tries", pin->tries)) {
		card_sim_json_free(o);
		return NULL;
	}
	return o;
}

static json_t *card_sim_dos_json(const struct card_sim_state *st)
{
	json_t *o = json_object();

	for (int d = 0; o && d < CARD_SIM_DO_COUNT; d++) {
		if (card_sim_set_hex(o, card_sim_dos[d].key, st->do_val[d],
				     st->do_len[d])) {
			card_sim_json_free(o);
			o = NULL;
		}
	}
	return o;
}

static json_t *card_sim_key_json(const struct card_sim_state *st)
{
	json_t *o;

	if (!st->has_key)
		return json_null();
	o = json_object();
	if (!o || card_sim_set_hex(o, "private", st->key_priv, 32) ||
	    card_sim_set_hex(o, "public", st->key_pub, 65)) {
		card_sim_json_free(o);
		return NULL;
	}
	return o;
}

static json_t *card_sim_json(const struct card_sim_state *st)
{
	json_t *root = json_object();
	int bad;

	if (!root)
		return NULL;
	bad = json_object_set_new(root, "format", json_string(CARD_SIM_FORMAT)) ||
	      card_sim_set_hex(root, "aid", st->aid, 16) ||
	      json_object_set_new(root, "life_cycle",
				  json_string(st->terminated ? "terminated" :
							       "operational")) ||
	      card_sim_set_hex(root, "salt", st->salt, sizeof(st->salt)) ||
	      json_object_set_new(root, "pw1", card_sim_pin_json(&st->pw1)) ||
	      json_object_set_new(root, "rc", card_sim_pin_json(&st->rc)) ||
	      json_object_set_new(root, "pw3", card_sim_pin_json(&st->pw3)) ||
	      json_object_set_new(root, "pw1_multi_sign",
				  json_boolean(st->pw1_multi)) ||
	      json_object_set_new(root, "dos", card_sim_dos_json(st)) ||
	      json_object_set_new(root, "signature_key", card_sim_key_json(st)) ||
	      card_sim_set_int(root, "signature_counter", st->sig_count);
	if (bad) {
		card_sim_json_free(root);
		return NULL;
	}
	return root;
}

/* rename(2) that never replaces (create) or only replaces (!create) path. */
static int card_sim_commit(const char *tmp, const char *path, int create)
{
	if (create) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOSYS)
			return errno == EEXIST ? ERR_EXISTS : ERR_IO;
		if (link(tmp, path) < 0)
			return errno == EEXIST ? ERR_EXISTS : ERR_IO;
		unlink(tmp);
		return 0;
	}
	/* The exchange fails if the card was pulled meanwhile: the old file
	 * then lands in tmp, which the caller removes. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == ENOENT)
		return ERR_CARD_ABSENT;
	if (errno != EINVAL && errno != ENOSYS)
		return ERR_IO;
	if (access(path, F_OK) < 0)
		return ERR_CARD_ABSENT;
	return rename(tmp, path) == 0 ? 0 : ERR_IO;
}

void card_sim_id_of(const struct stat *sb, struct card_sim_id *id)
{
	id->dev = sb->st_dev;
	id->ino = sb->st_ino;
	id->ctime = sb->st_ctim;
}

int card_sim_id_same(const struct card_sim_id *a, const struct card_sim_id *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

int card_sim_state_save(const char *dir, const char *name,
			const struct card_sim_state *st, int create,
			struct card_sim_id *id)
{
	char path[CARD_SIM_PATH_MAX], tmp[CARD_SIM_PATH_MAX];
	json_t *root = NULL;
	char *text = NULL;
	struct stat sb;
	int fd = -1, ret;

	ret = card_sim_path(path, sizeof(path), dir, name);
	if (!ret)
		ret = card_sim_path(tmp, sizeof(tmp), dir, ".card.tmp.XXXXXX");
	if (ret)
		return ret;
	root = card_sim_json(st);
	text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
	if (!text) {
		ret = ERR_NOMEM;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err_detail("%s: %s", tmp, strerror(errno));
		ret = ERR_IO;
		goto out;
	}
	ret = file_write_all(fd, text, strlen(text));
	if (!ret)
		ret = file_write_all(fd, "\n", 1);
	if (!ret && fsync(fd) < 0)
		ret = ERR_IO;
	if (!ret)
		ret = card_sim_commit(tmp, path, create);
	if (ret) {
		if (ret == ERR_IO)
			err_detail("%s: %s", path, strerror(errno));
		else if (ret == ERR_EXISTS)
			err_detail("%s already exists", path);
		else if (ret == ERR_CARD_ABSENT)
			err_detail("%s: card pulled during the command", path);
		unlink(tmp);
		goto out;
	}
	/* After the rename, which changed the file's ctime. */
	if (fstat(fd, &sb) < 0) {
		err_detail("%s: %s", path, strerror(errno));
		ret = ERR_IO;
		goto out;
	}
	if (id)
		card_sim_id_of(&sb, id);
out:
	if (fd >= 0)
		close(fd);
	if (text) {
		secmem_wipe(text, strlen(text));
		free(text);
	}
	card_sim_json_free(root);
	return ret;
}
