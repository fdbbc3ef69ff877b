/*
 * Interoperability of the v1 reference ballot encryptor (tools/web/
 * sceau-ballot-v1.js: plain JavaScript on WebCrypto, what a voting platform's
 * page runs until the box opens v2 ballots) with the box's C crypto, both ways:
 *  - ballots sealed by the JavaScript under Node.js, for every scrutin, blank,
 *    every list and struck candidates, open with ballot_open, give exactly
 *    the plaintext the C side encodes for the same choice, and have the
 *    tracker hash_tagged("sceau/tracker/v1", record) gives; a flipped byte,
 *    another scrutin id or another election id does not open;
 *  - ballots sealed by ballot_seal open with WebCrypto (encrypt-cli.mjs
 *    --decrypt), tampered ones do not.
 * Run on tests/data/demo-election.json and on a generated definition whose
 * lists of 1 to 128 candidates put struck bits in every byte of the bitmap.
 * Node.js is a declared dependency (docs/DESIGN.md): without it the test FAILS.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "../support/testlib.h"

#define DEMO_DEF "tests/data/demo-election.json"
#define CLI "tools/web/encrypt-cli.mjs"
#define TRACKER_TAG "sceau/tracker/v1"
#define REC_HDR (2 + GROUP_POINT_LEN) /* scrutin_id (2, BE) || R */
#define REC_MAX (REC_HDR + BALLOT_PT_MAX + BALLOT_TAG_LEN)
#define SPEC_MAX 512
#define NODE_HELP "Node.js is not installed (looked for `node` in PATH, " \
	"/usr/bin/node, /usr/local/bin/node). It is a declared dependency of the " \
	"tests (docs/DESIGN.md, Dependencies): install it (Debian: apt-get install nodejs, " \
	"version >= 18) or put it in PATH."

/* One ballot to seal: struck[c - 1] = 1 if candidate c is struck out. */
struct spec {
	uint16_t scrutin;
	unsigned choice;
	uint8_t struck[ELECTION_MAX_CANDIDATES];
};

struct specs {
	size_t n;
	struct spec b[SPEC_MAX];
};

/* A definition file, its parse, its id. */
struct def {
	char path[PATH_MAX];
	struct election *e;
	char id_hex[2 * HASH_LEN + 1];
};

struct fx {
	char dir[64];
	char node[PATH_MAX]; /* "" if not found */
	char cli[PATH_MAX];
	struct rng *rng;
	uint8_t secret[GROUP_SCALAR_LEN], pk[GROUP_POINT_LEN];
	char secret_hex[2 * GROUP_SCALAR_LEN + 1], pk_hex[2 * GROUP_POINT_LEN + 1];
	struct def demo, wide;
	struct specs specs; /* scratch of the current test */
};

/* --- finding and running node ---------------------------------------------- */

static int is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* `command -v node`: the first PATH entry holding an executable node (an
 * empty entry is the current directory), then the usual Debian places. */
static int find_node(char *out, size_t n)
{
	static const char *const fixed[] = { "/usr/bin/node", "/usr/local/bin/node" };
	const char *p = getenv("PATH"), *end;
	size_t i, len;

	while (p && *p) {
		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			snprintf(out, n, "./node");
		else
			snprintf(out, n, "%.*s/node", (int)len, p);
		if (is_exec(out))
			return 0;
		p = end ? end + 1 : NULL;
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (is_exec(fixed[i])) {
			snprintf(out, n, "%s", fixed[i]);
			return 0;
		}
	}
	out[0] = '\0';
	return -1;
}

static void require_node(const struct fx *f)
{
	if (!f->node[0])
		fail_msg("%s", NODE_HELP);
}

/* Runs node CLI args... (NULL-terminated, at most 16) without a shell, its
 * stdout into outfile and its stderr into errfile when not NULL; returns its
 * exit status, or -1 if it could not run or was killed. */
static int run_cli(const struct fx *f, const char *const *args, const char *outfile,
		   const char *errfile)
{
	posix_spawn_file_actions_t fa;
	char *argv[20];
	size_t i, n = 0;
	pid_t pid;
	int st, ret;

	require_node(f);
	argv[n++] = (char *)f->node;
	argv[n++] = (char *)f->cli;
	for (i = 0; args[i] && n < 19; i++)
		argv[n++] = (char *)args[i];
	assert_null(args[i]);
	argv[n] = NULL;
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	if (outfile)
		assert_int_equal(posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, outfile,
			O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	if (errfile)
		assert_int_equal(posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errfile,
			O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ret = posix_spawn(&pid, f->node, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret != 0) {
		print_error("posix_spawn %s: %s\n", f->node, strerror(ret));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --- files ----------------------------------------------------------------- */

static void print_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	if (file_read_all(path, 1u << 16, &buf, &len) == 0)
		print_error("%s", (const char *)buf);
	free(buf);
}

static void path_in(const struct fx *f, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", f->dir, name);
}

static void write_json(const char *path, json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	assert_non_null(text);
	unlink(path);
	assert_int_equal(file_write_atomic(path, text, strlen(text), 1), 0);
	free(text);
	json_decref(root);
}

static json_t *read_json_array(const char *path, size_t want)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);

	if (!root)
		fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
	if (!json_is_array(root) || json_array_size(root) != want)
		fail_msg("%s: expected an array of %zu entries", path, want);
	return root;
}

/* The string member key of o, or a failure naming the entry. */
static const char *json_str(json_t *o, const char *key, size_t i)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("output entry %zu: no string \"%s\"", i, key);
	return json_string_value(v);
}

/* Decodes hex of at most max bytes; returns the length. */
static size_t unhex_var(const char *hex, uint8_t *out, size_t max, const char *what)
{
	size_t len = strlen(hex);

	if (len % 2 || len / 2 > max || hex_decode(hex, out, len / 2) != 0)
		fail_msg("%s: not hex of at most %zu bytes: %.80s", what, max, hex);
	return len / 2;
}

static void load_def(struct def *d, const char *path)
{
	uint8_t *buf = NULL, id[HASH_LEN];
	size_t len = 0;

	snprintf(d->path, sizeof(d->path), "%s", path);
	if (election_load(path, &d->e) != 0)
		fail_msg("%s: election_load failed: %s", path, err_last_detail());
	/* election_id is SHA-256 of the file's bytes: recompute it here. */
	assert_int_equal(file_read_all(path, ELECTION_FILE_MAX, &buf, &len), 0);
	assert_int_equal(hash_sha256(buf, len, id), 0);
	free(buf);
	assert_memory_equal(id, d->e->id, HASH_LEN);
	hex_encode(id, HASH_LEN, d->id_hex);
}

/* --- the generated "wide" definition ----------------------------------------- */

/* Candidates per list of each scrutin: 128 (the maximum: pt_len 19), 9 and 1;
 * 8 (one bitmap byte, full) and 7; 16 and 17 (a third byte just begun); and
 * 64 lists (the maximum) of one candidate. Lists past cands[] have one. */
static const struct {
	unsigned n_lists;
	unsigned cands[3];
} wide_scrutins[] = {
	{ 3, { 128, 9, 1 } },
	{ 2, { 8, 7 } },
	{ 2, { 16, 17 } },
	{ ELECTION_MAX_LISTS, { 1 } },
};

static json_t *wide_list(unsigned number, unsigned ncand)
{
	json_t *cands = json_array();
	char name[64];
	unsigned c;

	for (c = 1; c <= ncand; c++) {
		snprintf(name, sizeof(name), "Candidat %u-%u", number, c);
		json_array_append_new(cands, json_pack("{s:s, s:s, s:s, s:s}",
			"last_name", name, "first_name", "Camille",
			"sex", c % 2 ? "F" : "M", "birth_date", "1980-02-29"));
	}
	snprintf(name, sizeof(name), "Liste %u", number);
	return json_pack("{s:I, s:s, s:[{s:s}], s:o}", "number", (json_int_t)number,
			 "name", name, "unions", "name", "Syndicat", "candidates", cands);
}

static json_t *wide_scrutin(unsigned id, json_t *lists)
{
	char college[32];

	snprintf(college, sizeof(college), "Collège %u", id);
	return json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:o}",
			 "id", (json_int_t)id, "college", college, "body", "titulaires",
			 "round", 1, "seats", 4, "inscrits", 100, "share_women", "0.5",
			 "share_men", "0.5", "opens", "2026-12-01T08:00+01:00",
			 "closes", "2026-12-08T17:00+01:00", "lists", lists);
}

static void make_wide(const char *path)
{
	json_t *scrutins = json_array(), *lists;
	unsigned i, l, n;

	for (i = 0; i < sizeof(wide_scrutins) / sizeof(wide_scrutins[0]); i++) {
		lists = json_array();
		for (l = 0; l < wide_scrutins[i].n_lists; l++) {
			n = l < 3 && wide_scrutins[i].cands[l] ? wide_scrutins[i].cands[l] : 1;
			json_array_append_new(lists, wide_list(l + 1, n));
		}
		json_array_append_new(scrutins, wide_scrutin(i + 1, lists));
	}
	write_json(path, json_pack("{s:s, s:{s:s, s:s}, s:s, s:o}",
		"format", ELECTION_FORMAT, "establishment", "name", "Établissement de test",
		"siret", "81234567800019", "title", "Test d'interopérabilité",
		"scrutins", scrutins));
}

/* --- ballots to seal and their expected plaintexts --------------------------- */

static struct spec *spec_add(struct specs *s, uint16_t scrutin, unsigned choice)
{
	struct spec *b;

	assert_true(s->n < SPEC_MAX);
	b = &s->b[s->n++];
	memset(b, 0, sizeof(*b));
	b->scrutin = scrutin;
	b->choice = choice;
	return b;
}

/* Per scrutin: blank; per list: nothing struck, the first, the last, all,
 * every other, and the first and last bit of every bitmap byte. */
static void specs_for(struct specs *s, const struct election *e)
{
	const struct scrutin *sc;
	struct spec *b;
	unsigned i, l, c, n;

	s->n = 0;
	for (i = 0; i < e->n_scrutins; i++) {
		sc = &e->scrutins[i];
		spec_add(s, sc->id, 0);
		for (l = 0; l < sc->n_lists; l++) {
			n = sc->lists[l].n_candidates;
			spec_add(s, sc->id, l + 1);
			spec_add(s, sc->id, l + 1)->struck[0] = 1;
			if (n < 2)
				continue;
			spec_add(s, sc->id, l + 1)->struck[n - 1] = 1;
			b = spec_add(s, sc->id, l + 1);
			memset(b->struck, 1, n);
			if (n < 3)
				continue;
			b = spec_add(s, sc->id, l + 1);
			for (c = 0; c < n; c += 2)
				b->struck[c] = 1;
			if (n < 9)
				continue;
			b = spec_add(s, sc->id, l + 1);
			for (c = 0; c < n; c++)
				b->struck[c] = c % 8 == 0 || c % 8 == 7;
		}
	}
}

/* The v1 plaintext, encoded independently of the JavaScript (docs/ENCRYPTOR.md). */
static void spec_encode(const struct scrutin *sc, const struct spec *b, uint8_t *pt)
{
	unsigned c;

	memset(pt, 0, sc->pt_len);
	pt[0] = 1;
	pt[1] = (uint8_t)(b->choice >> 8);
	pt[2] = (uint8_t)b->choice;
	for (c = 0; c < ELECTION_MAX_CANDIDATES; c++)
		if (b->struck[c])
			pt[3 + c / 8] |= (uint8_t)(1u << (c % 8));
}

static void write_specs(const struct specs *s, const char *path)
{
	json_t *root = json_array(), *struck;
	size_t i;
	unsigned c;

	for (i = 0; i < s->n; i++) {
		struck = json_array();
		for (c = 0; c < ELECTION_MAX_CANDIDATES; c++)
			if (s->b[i].struck[c])
				json_array_append_new(struck, json_integer(c + 1));
		json_array_append_new(root, json_pack("{s:i, s:i, s:o}",
			"scrutin", (int)s->b[i].scrutin, "choice", (int)s->b[i].choice,
			"struck", struck));
	}
	write_json(path, root);
}

static void tracker_hex(const uint8_t *rec, size_t len, char out[2 * HASH_LEN + 1])
{
	struct hash_part part = { rec, len };
	uint8_t h[HASH_LEN];

	assert_int_equal(hash_tagged(TRACKER_TAG, &part, 1, h), 0);
	hex_encode(h, HASH_LEN, out);
}

/* --- fixture ------------------------------------------------------------------ */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *top = getenv("SCEAU_TOP");
	char path[PATH_MAX];

	if (!f)
		return -1;
	*state = f;
	if (!top || !*top)
		top = ".";
	testlib_tmpdir(f->dir, sizeof(f->dir));
	if (find_node(f->node, sizeof(f->node)) != 0)
		print_error("%s\n", NODE_HELP);
	snprintf(f->cli, sizeof(f->cli), "%s/%s", top, CLI);
	if (rng_new(&f->rng, "sceau/test/interop/v1", NULL) != 0 ||
	    scalar_random(f->rng, f->secret) != 0 ||
	    group_mul_base(f->pk, f->secret) != 0)
		return -1;
	hex_encode(f->secret, sizeof(f->secret), f->secret_hex);
	hex_encode(f->pk, sizeof(f->pk), f->pk_hex);
	snprintf(path, sizeof(path), "%s/%s", top, DEMO_DEF);
	load_def(&f->demo, path);
	path_in(f, "wide-election.json", path, sizeof(path));
	make_wide(path);
	load_def(&f->wide, path);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	WIPE_BUFFER(f->secret);
	WIPE_BUFFER(f->secret_hex);
	election_free(f->demo.e);
	election_free(f->wide.e);
	rng_free(f->rng);
	testlib_rmdir(f->dir);
	free(f);
	return 0;
}

/* --- JavaScript seals, C opens ----------------------------------------------- */

/* Another scrutin of e than sid (or sid + 1 if e has only one). */
static uint16_t other_scrutin(const struct election *e, uint16_t sid)
{
	return e->n_scrutins > 1 ? (uint16_t)(sid % e->n_scrutins + 1) : (uint16_t)(sid + 1);
}

/* Fails showing both plaintexts in hex unless they are equal. */
static void expect_pt(size_t i, const char *what_a, const uint8_t *a, const char *what_b,
		      const uint8_t *b, size_t len)
{
	char ha[2 * BALLOT_PT_MAX + 1], hb[2 * BALLOT_PT_MAX + 1];

	if (memcmp(a, b, len) == 0)
		return;
	hex_encode(a, len, ha);
	hex_encode(b, len, hb);
	fail_msg("entry %zu: plaintexts differ\n  %-31s %s\n  %-31s %s", i, what_a, ha,
		 what_b, hb);
}

/* Everything the box checks of one ballot the JavaScript sealed (entry i). */
static void check_js_ballot(const struct fx *f, const struct def *d, const struct spec *b,
			    json_t *o, size_t i)
{
	uint8_t rec[REC_MAX], bad[REC_MAX], pt[BALLOT_PT_MAX], want[BALLOT_PT_MAX];
	uint8_t js_pt[BALLOT_PT_MAX], eid[HASH_LEN];
	const struct scrutin *sc = election_scrutin(d->e, b->scrutin);
	char tracker[2 * HASH_LEN + 1];
	size_t len, ctlen, flip;
	uint16_t sid;
	int ret;

	assert_non_null(sc);
	if (json_integer_value(json_object_get(o, "scrutin")) != b->scrutin)
		fail_msg("entry %zu: scrutin is not %u", i, b->scrutin);
	len = unhex_var(json_str(o, "recordHex", i), rec, sizeof(rec), "recordHex");
	assert_true(len > REC_HDR + BALLOT_TAG_LEN);
	sid = (uint16_t)(rec[0] << 8 | rec[1]);
	ctlen = len - REC_HDR;
	if (sid != b->scrutin || ctlen != sc->pt_len + BALLOT_TAG_LEN)
		fail_msg("entry %zu: record of scrutin %u with %zu ciphertext bytes, want "
			 "scrutin %u and %u", i, sid, ctlen, b->scrutin,
			 sc->pt_len + BALLOT_TAG_LEN);

	tracker_hex(rec, len, tracker);
	if (strcmp(tracker, json_str(o, "trackerHex", i)) != 0)
		fail_msg("entry %zu: tracker %s, the C side computes %s", i,
			 json_str(o, "trackerHex", i), tracker);

	ret = ballot_open(f->secret, d->e->id, sid, rec + 2, rec + REC_HDR, ctlen, pt, NULL);
	if (ret != 0)
		fail_msg("entry %zu (scrutin %u, choice %u): ballot_open returned %d",
			 i, sid, b->choice, ret);
	spec_encode(sc, b, want);
	if (unhex_var(json_str(o, "plaintextHex", i), js_pt, sizeof(js_pt),
		      "plaintextHex") != sc->pt_len)
		fail_msg("entry %zu: plaintextHex is not %u bytes", i, sc->pt_len);
	expect_pt(i, "opened by ballot_open", pt, "plaintextHex of the JavaScript", js_pt,
		  sc->pt_len);
	expect_pt(i, "opened by ballot_open", pt, "encoded by the C side", want, sc->pt_len);

	/* One flipped byte of ct or tag (a different one per ballot): refused. */
	memcpy(bad, rec, len);
	flip = REC_HDR + (i * 7) % ctlen;
	bad[flip] ^= 0x01;
	ret = ballot_open(f->secret, d->e->id, sid, bad + 2, bad + REC_HDR, ctlen, pt, NULL);
	if (ret != ERR_VERIFY)
		fail_msg("entry %zu: byte %zu flipped, ballot_open returned %d", i, flip, ret);
	/* One flipped byte of R: not a point (ERR_FORMAT), or another point. */
	memcpy(bad, rec, len);
	bad[2 + 1 + i % 64] ^= 0x01;
	ret = ballot_open(f->secret, d->e->id, sid, bad + 2, bad + REC_HDR, ctlen, pt, NULL);
	if (ret != ERR_FORMAT && ret != ERR_VERIFY)
		fail_msg("entry %zu: R altered, ballot_open returned %d", i, ret);
	/* Moved to another scrutin, or to another election: refused. */
	ret = ballot_open(f->secret, d->e->id, other_scrutin(d->e, sid), rec + 2,
			  rec + REC_HDR, ctlen, pt, NULL);
	if (ret != ERR_VERIFY)
		fail_msg("entry %zu: opened as another scrutin (%d)", i, ret);
	memcpy(eid, d->e->id, sizeof(eid));
	eid[i % sizeof(eid)] ^= 0x80;
	ret = ballot_open(f->secret, eid, sid, rec + 2, rec + REC_HDR, ctlen, pt, NULL);
	if (ret != ERR_VERIFY)
		fail_msg("entry %zu: opened under another election id (%d)", i, ret);
}

/* R fresh per ballot, so no two trackers (nor records) are the same. */
static void check_distinct(json_t *out)
{
	size_t i, j, n = json_array_size(out);
	const char *a, *b;

	for (i = 0; i < n; i++) {
		a = json_string_value(json_object_get(json_array_get(out, i), "recordHex"));
		for (j = i + 1; j < n; j++) {
			b = json_string_value(json_object_get(json_array_get(out, j),
							      "recordHex"));
			if (strncmp(a + 4, b + 4, 2 * GROUP_POINT_LEN) == 0)
				fail_msg("entries %zu and %zu share their R", i, j);
		}
	}
}

static void js_seals_c_opens(struct fx *f, const struct def *d)
{
	char spec[PATH_MAX], out[PATH_MAX];
	json_t *res;
	size_t i;
	const char *args[] = { "--pk", f->pk_hex, "--election-id", d->id_hex,
		"--definition", d->path, "--ballots", spec, "--out", out, NULL };

	specs_for(&f->specs, d->e);
	path_in(f, "spec.json", spec, sizeof(spec));
	path_in(f, "sealed.json", out, sizeof(out));
	write_specs(&f->specs, spec);
	unlink(out);
	if (run_cli(f, args, NULL, NULL) != 0)
		fail_msg("%s failed on %s (its message is above)", CLI, d->path);
	res = read_json_array(out, f->specs.n);
	for (i = 0; i < f->specs.n; i++)
		check_js_ballot(f, d, &f->specs.b[i], json_array_get(res, i), i);
	check_distinct(res);
	json_decref(res);
}

static void node_is_installed(void **state)
{
	require_node(*state);
}

static void demo_webcrypto_ballots_open(void **state)
{
	struct fx *f = *state;

	js_seals_c_opens(f, &f->demo);
}

static void wide_webcrypto_ballots_open(void **state)
{
	struct fx *f = *state;

	assert_int_equal(election_scrutin(f->wide.e, 1)->pt_len, 19);
	assert_int_equal(election_scrutin(f->wide.e, 2)->pt_len, 4);
	assert_int_equal(election_scrutin(f->wide.e, 3)->pt_len, 6);
	assert_int_equal(election_scrutin(f->wide.e, 4)->n_lists, ELECTION_MAX_LISTS);
	js_seals_c_opens(f, &f->wide);
}

/* --- C seals, JavaScript opens ----------------------------------------------- */

/* What the JavaScript must report for record i; tampered records want "error". */
struct sealed {
	char tracker[2 * HASH_LEN + 1];
	char pt_hex[2 * BALLOT_PT_MAX + 1];
	int tampered;
};

static json_t *record_entry(const uint8_t *rec, size_t len)
{
	char hex[2 * REC_MAX + 1];

	hex_encode(rec, len, hex);
	return json_pack("{s:s}", "recordHex", hex);
}

/* Seals every spec with ballot_seal, then three tampered copies of the first
 * ballot: a ct byte, the scrutin id, an R byte. */
static size_t c_seal_all(struct fx *f, const struct def *d, struct sealed *want,
			 json_t *recs)
{
	uint8_t rec[REC_MAX], pt[BALLOT_PT_MAX], first[REC_MAX];
	const struct scrutin *sc;
	size_t i, len = 0, first_len = 0, n = 0;

	for (i = 0; i < f->specs.n; i++) {
		sc = election_scrutin(d->e, f->specs.b[i].scrutin);
		spec_encode(sc, &f->specs.b[i], pt);
		rec[0] = (uint8_t)(sc->id >> 8);
		rec[1] = (uint8_t)sc->id;
		assert_int_equal(ballot_seal(f->rng, f->pk, d->e->id, sc->id, pt, sc->pt_len,
					     rec + 2, rec + REC_HDR), 0);
		len = REC_HDR + sc->pt_len + BALLOT_TAG_LEN;
		if (i == 0) {
			memcpy(first, rec, len);
			first_len = len;
		}
		tracker_hex(rec, len, want[n].tracker);
		hex_encode(pt, sc->pt_len, want[n].pt_hex);
		want[n++].tampered = 0;
		json_array_append_new(recs, record_entry(rec, len));
	}
	for (i = 0; i < 3; i++) {
		memcpy(rec, first, first_len);
		if (i == 0)
			rec[first_len - 1] ^= 0x01;                 /* last tag byte */
		else if (i == 1)
			rec[1] = (uint8_t)other_scrutin(d->e, rec[1]); /* scrutin id */
		else
			rec[2 + 40] ^= 0x01;                        /* R */
		want[n++].tampered = 1;
		json_array_append_new(recs, record_entry(rec, first_len));
	}
	return n;
}

static void c_seals_js_opens(struct fx *f, const struct def *d)
{
	char in[PATH_MAX], out[PATH_MAX];
	struct sealed *want = calloc(SPEC_MAX + 3, sizeof(*want));
	json_t *recs = json_array(), *res, *o;
	size_t i, n;
	const char *args[] = { "--decrypt", "--secret", f->secret_hex, "--pk", f->pk_hex,
		"--election-id", d->id_hex, "--definition", d->path, "--records", in,
		"--out", out, NULL };

	assert_non_null(want);
	specs_for(&f->specs, d->e);
	n = c_seal_all(f, d, want, recs);
	path_in(f, "c-sealed.json", in, sizeof(in));
	path_in(f, "opened.json", out, sizeof(out));
	write_json(in, recs);
	unlink(out);
	if (run_cli(f, args, NULL, NULL) != 0)
		fail_msg("%s --decrypt failed on %s (its message is above)", CLI, d->path);
	res = read_json_array(out, n);
	for (i = 0; i < n; i++) {
		o = json_array_get(res, i);
		if (want[i].tampered) {
			if (!json_is_string(json_object_get(o, "error")))
				fail_msg("entry %zu: a tampered ballot opened in WebCrypto", i);
			continue;
		}
		if (json_object_get(o, "error"))
			fail_msg("entry %zu: WebCrypto could not open a C ballot: %s", i,
				 json_str(o, "error", i));
		if (strcmp(json_str(o, "plaintextHex", i), want[i].pt_hex) != 0)
			fail_msg("entry %zu: WebCrypto opened %s, sealed %s", i,
				 json_str(o, "plaintextHex", i), want[i].pt_hex);
		if (strcmp(json_str(o, "trackerHex", i), want[i].tracker) != 0)
			fail_msg("entry %zu: tracker %s in JavaScript, %s in C", i,
				 json_str(o, "trackerHex", i), want[i].tracker);
	}
	json_decref(res);
	free(want);
}

static void demo_c_ballots_open_in_webcrypto(void **state)
{
	struct fx *f = *state;

	c_seals_js_opens(f, &f->demo);
}

static void wide_c_ballots_open_in_webcrypto(void **state)
{
	struct fx *f = *state;

	c_seals_js_opens(f, &f->wide);
}

/* --- what the encryptor must refuse ------------------------------------------ */

/* Each row is one thing a page could get wrong; the encryptor must stop
 * (exit 1, no output) with a message saying why, rather than seal a ballot
 * the box would count nul. Demo scrutin 1 has lists of 6, 4 and 3
 * candidates (pt_len 4: 8 bits of bitmap). */
static void encryptor_refuses_invalid_input(void **state)
{
	static const struct {
		const char *title, *spec, *why;
		int bad_pk, bad_eid;
	} rows[] = {
		{ "choice after the last list", "[{\"scrutin\":1,\"choice\":4}]",
		  "choice 4: expected 0 (blank) to 3", 0, 0 },
		{ "negative choice", "[{\"scrutin\":1,\"choice\":-1}]",
		  "choice -1: expected 0 (blank) to 3", 0, 0 },
		{ "choice not an integer", "[{\"scrutin\":1,\"choice\":1.5}]",
		  "choice 1.5:", 0, 0 },
		{ "blank ballot with a struck candidate",
		  "[{\"scrutin\":1,\"choice\":0,\"struck\":[1]}]",
		  "a blank ballot cannot strike candidates", 0, 0 },
		{ "struck candidate beyond the list (room left in the bitmap)",
		  "[{\"scrutin\":1,\"choice\":2,\"struck\":[5]}]",
		  "struck candidate 5: list 2 has candidates 1 to 4", 0, 0 },
		{ "struck candidate 0", "[{\"scrutin\":1,\"choice\":1,\"struck\":[0]}]",
		  "struck candidate 0: list 1 has candidates 1 to 6", 0, 0 },
		{ "struck candidate given twice",
		  "[{\"scrutin\":1,\"choice\":1,\"struck\":[2,2]}]",
		  "struck candidate 2 given twice", 0, 0 },
		{ "scrutin that does not exist", "[{\"scrutin\":5,\"choice\":0}]",
		  "no scrutin 5", 0, 0 },
		{ "scrutin id 0", "[{\"scrutin\":0,\"choice\":0}]",
		  "scrutin id 0: not an integer in 1..65535", 0, 0 },
		{ "public key not on the curve", "[{\"scrutin\":1,\"choice\":0}]",
		  "publicKeyHex: not a valid P-256 point", 1, 0 },
		{ "election id of another definition", "[{\"scrutin\":1,\"choice\":0}]",
		  "not the election id", 0, 1 },
	};
	struct fx *f = *state;
	char spec[PATH_MAX], out[PATH_MAX], err[PATH_MAX], pk[sizeof(f->pk_hex)];
	const char *args[] = { "--pk", pk, "--election-id", NULL, "--definition",
		f->demo.path, "--ballots", spec, "--out", out, NULL };
	size_t i;
	int rc;

	path_in(f, "bad-spec.json", spec, sizeof(spec));
	path_in(f, "bad-out.json", out, sizeof(out));
	path_in(f, "bad-stderr.txt", err, sizeof(err));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(pk, f->pk_hex, sizeof(pk));
		if (rows[i].bad_pk) /* last digit of Y: off the curve */
			pk[sizeof(pk) - 2] = pk[sizeof(pk) - 2] == '0' ? '1' : '0';
		args[3] = rows[i].bad_eid ? f->wide.id_hex : f->demo.id_hex;
		unlink(spec);
		unlink(out);
		assert_int_equal(file_write_atomic(spec, rows[i].spec, strlen(rows[i].spec), 1), 0);
		rc = run_cli(f, args, NULL, err);
		if (rc != 1)
			fail_msg("%s: %s exited with %d, want 1 (refused)", rows[i].title, CLI, rc);
		if (access(out, F_OK) == 0)
			fail_msg("%s: an output was written", rows[i].title);
		if (!testlib_file_contains(err, rows[i].why, strlen(rows[i].why))) {
			print_file(err);
			fail_msg("%s: the message (above) does not say \"%s\"", rows[i].title,
				 rows[i].why);
		}
	}
}

/* --- the fixed vector of docs/ENCRYPTOR.md, and --new-test-key ------------- */

/* Sealed by WebCrypto (tests/crypto/gen-vectors.mjs, also in test_ballot.c);
 * the tracker was computed by sceau-ballot.js. */
#define KAT_SECRET "33a6fa1422683631c3446c2f76a680c3e20615039de71ef500c600d2902181bd"
#define KAT_EID "ff541029785fed0a4cd69a0718eac702b3e4aaeec223c0afe2fdb99f424669a5"
#define KAT_RECORD "0102" \
	"04f9e91a7a84e8e03f9f57f52a17878ce2186565eaac5f663ab5e9d58cfbdbb9cc" \
	"ae976e51b5e9ed84033e4d530770d568cf40deccacd8d0821b8903df33d55173" \
	"4a6d7dac51b9244ff51c63f2210fef6116e7d8b63ce5f1641ffbc2ec2acba0e4" \
	"549cd94dad93fb7ba26ffdb9f985197d"
#define KAT_PT "0103050000000000000000000000000000000000000000000000000000000000"
#define KAT_TRACKER "0c960362ecafd56b31aaf3ee3bd888958d16de0571e2588ce1d58b6e599eb160"
/* Intermediate values, computed with WebCrypto, for integrators to debug with. */
#define KAT_Z "4c0ae8d2bfa52b7af0c485ccc8d1095f6fc9db046c8f52000df1222759a7e294"
#define KAT_KEY_NONCE "63e7db70f99dc4458d8e1cfae298935065ce88dcb9c7eea7da856dcfdf1aeb12" \
	"2eeda2c21814bc164db91601"

static void documented_vector(void **state)
{
	uint8_t secret[32], eid[32], rec[REC_MAX], pt[BALLOT_PT_MAX], want[32];
	uint8_t S[GROUP_POINT_LEN], z[32], info[sizeof(BALLOT_DOMAIN) - 1 + 2 + GROUP_POINT_LEN];
	uint8_t okm[44];
	char tracker[2 * HASH_LEN + 1], hex[2 * sizeof(okm) + 1];
	size_t len;

	(void)state;
	assert_int_equal(hex_decode(KAT_SECRET, secret, 32), 0);
	assert_int_equal(hex_decode(KAT_EID, eid, 32), 0);
	assert_int_equal(hex_decode(KAT_PT, want, 32), 0);
	len = unhex_var(KAT_RECORD, rec, sizeof(rec), "KAT_RECORD");
	assert_int_equal(len, REC_HDR + 32 + BALLOT_TAG_LEN);
	assert_int_equal(ballot_open(secret, eid, 0x0102, rec + 2, rec + REC_HDR,
				     len - REC_HDR, pt, S), 0);
	assert_memory_equal(pt, want, 32);
	tracker_hex(rec, len, tracker);
	assert_string_equal(tracker, KAT_TRACKER);
	/* z = x(sR) and HKDF's key || nonce, as the document lists them. */
	group_point_x(S, z);
	hex_encode(z, sizeof(z), hex);
	assert_string_equal(hex, KAT_Z);
	memcpy(info, BALLOT_DOMAIN, sizeof(BALLOT_DOMAIN) - 1);
	memcpy(info + sizeof(BALLOT_DOMAIN) - 1, rec, REC_HDR); /* scrutin id || R */
	assert_int_equal(hkdf_sha256(eid, 32, z, 32, info, sizeof(info), okm, sizeof(okm)), 0);
	hex_encode(okm, sizeof(okm), hex);
	assert_string_equal(hex, KAT_KEY_NONCE);
}

/* The throwaway key integrators make to try their page: s·G must be PK. */
static void test_key_is_a_key_pair(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--new-test-key", NULL };
	char out[PATH_MAX];
	uint8_t secret[32], pk[GROUP_POINT_LEN], pk2[GROUP_POINT_LEN];
	json_error_t jerr;
	json_t *o;

	path_in(f, "test-key.json", out, sizeof(out));
	assert_int_equal(run_cli(f, args, out, NULL), 0);
	o = json_load_file(out, 0, &jerr);
	if (!o)
		fail_msg("%s: %s", out, jerr.text);
	if (hex_decode(json_str(o, "secretHex", 0), secret, 32) != 0 ||
	    hex_decode(json_str(o, "publicKeyHex", 0), pk, sizeof(pk)) != 0)
		fail_msg("--new-test-key: not a 32-byte secret and a 65-byte key");
	json_decref(o);
	unlink(out);
	assert_int_equal(group_mul_base(pk2, secret), 0);
	WIPE_BUFFER(secret);
	assert_memory_equal(pk, pk2, sizeof(pk));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(node_is_installed),
		cmocka_unit_test(demo_webcrypto_ballots_open),
		cmocka_unit_test(wide_webcrypto_ballots_open),
		cmocka_unit_test(demo_c_ballots_open_in_webcrypto),
		cmocka_unit_test(wide_c_ballots_open_in_webcrypto),
		cmocka_unit_test(encryptor_refuses_invalid_input),
		cmocka_unit_test(documented_vector),
		cmocka_unit_test(test_key_is_a_key_pair),
	};

	alarm(600); /* a hung node fails the run instead of blocking it */
	return cmocka_run_group_tests(tests, setup, teardown);
}
