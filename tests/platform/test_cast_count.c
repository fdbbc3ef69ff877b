/*
 * sceau-platform cast, checked end to end without trusting it: a record is
 * made here with a known election key, the tool casts, and this test opens
 * the images with libarchive, checks both seals and manifests with the
 * box's own parsers (media/manifest, urn, emargement), decrypts every ballot
 * with the key, classifies it by the rules of docs/FORMATS.md ("Ballot
 * classification"), checks that the box's own classifier (count/classify.h)
 * agrees ballot by ballot, and compares the count with expected.json. The
 * definition is the demo one with lists of 9, 8 and 3 candidates in
 * scrutin 1, so that the bitmap takes two bytes.
 * Needs the tool: run by scripts/run-tests.sh (SCEAU_BUILD), else skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "../support/testlib.h"
#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/json_util.h"
#include "format/record.h"
#include "crypto/ballot.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/shamir.h"
#include "count/classify.h"
#include "crypto/sig.h"
#include "format/emargement.h"
#include "format/media_manifest.h"
#include "format/urn.h"

#define N_BALLOTS 200
#define CAST_ARGS "--ballots 200 --seed 7 --nul 60 --blank 80 --rature 300 --jobs 2"

/* The nul ids the simulator makes, in FORMATS.md's order of precedence. */
enum { R_VERSION, R_LIST, R_PADDING, R_BEYOND, R_KINDS };

struct count {
	uint64_t ballots, blank, all_struck, nul, reason[R_KINDS];
	uint64_t list_ballots[ELECTION_MAX_LISTS];
	uint64_t ratures[ELECTION_MAX_LISTS][ELECTION_MAX_CANDIDATES];
};

struct fixture {
	char dir[64], tool[4096];
	char def[128], rec[128], priv[128];
	struct election *e;
	uint8_t secret[32], platform_pub[65], record_sha[32];
	struct count *counts;
};

/* ---- the inputs --------------------------------------------------------- */

static void grow_list(json_t *list, size_t want)
{
	json_t *cands = json_object_get(list, "candidates");
	json_t *first = json_array_get(cands, 0);

	while (json_array_size(cands) < want) {
		json_t *c = json_deep_copy(first);
		char name[32];

		snprintf(name, sizeof(name), "Candidat%zu", json_array_size(cands) + 1);
		json_object_set_new(c, "last_name", json_string(name));
		json_array_append_new(cands, c);
	}
}

static void make_definition(struct fixture *f)
{
	char src[4096];
	json_t *root, *s1;

	snprintf(src, sizeof(src), "%s/tests/data/demo-election.json",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	root = json_load_file(src, 0, NULL);
	assert_non_null(root);
	s1 = json_array_get(json_object_get(root, "scrutins"), 0);
	json_object_set_new(s1, "inscrits", json_integer(1000));
	grow_list(json_array_get(json_object_get(s1, "lists"), 0), 9);
	grow_list(json_array_get(json_object_get(s1, "lists"), 1), 8);
	for (size_t i = 1; i < 4; i++)
		json_object_set_new(json_array_get(json_object_get(root, "scrutins"), i),
				    "inscrits", json_integer(N_BALLOTS));
	snprintf(f->def, sizeof(f->def), "%s/election.json", f->dir);
	assert_int_equal(json_dump_file(root, f->def, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
	json_decref(root);
	assert_int_equal(election_load(f->def, &f->e), 0);
	assert_int_equal(f->e->scrutins[0].pt_len, 5);
}

static void record_cards(struct record *r, struct rng *g)
{
	static const char *const names[3][3] = {
		{ "président", "Marchand", "Yves" },
		{ "assesseure", "Dupuis", "Aurélie" },
		{ "assesseur", "Nguyen", "Thomas" },
	};
	uint8_t priv[32];

	for (unsigned i = 0; i < 3; i++) {
		struct member *m = &r->cards[i].member;

		r->cards[i].index = i + 1;
		snprintf(m->role, sizeof(m->role), "%s", names[i][0]);
		snprintf(m->last_name, sizeof(m->last_name), "%s", names[i][1]);
		snprintf(m->first_name, sizeof(m->first_name), "%s", names[i][2]);
		r->cards[i].aid[13] = (uint8_t)i;
		assert_int_equal(sig_keygen(g, priv, r->cards[i].sign_pub), 0);
		hash_sha256(&i, sizeof(i), r->cards[i].entropy_hash);
	}
	WIPE_BUFFER(priv);
}

static void write_private(struct fixture *f, const uint8_t priv[32])
{
	char hex[65], text[256];
	int n;

	hex_encode(priv, 32, hex);
	n = snprintf(text, sizeof(text),
		     "{\n  \"format\": \"sceau-platform-private/1\",\n  \"private_key\": \"%s\"\n}\n",
		     hex);
	snprintf(f->priv, sizeof(f->priv), "%s/platform-private.json", f->dir);
	assert_int_equal(file_write_atomic(f->priv, text, (size_t)n, 0), 0);
}

/* A record whose election key this test knows (a real one never exists
 * outside the cards). */
static void make_record(struct fixture *f)
{
	struct record r;
	struct rng *g = NULL;
	uint8_t shares[3][32], priv[32];
	char *json = NULL;
	size_t len = 0;

	memset(&r, 0, sizeof(r));
	assert_int_equal(rng_new(&g, "test", NULL), 0);
	assert_int_equal(shamir_generate(g, 2, 3, f->secret, shares, &r.pub), 0);
	assert_int_equal(sig_keygen(g, priv, r.platform_pub), 0);
	memcpy(f->platform_pub, r.platform_pub, 65);
	record_cards(&r, g);
	rng_free(g);
	memcpy(r.election_id, f->e->id, 32);
	snprintf(r.election_title, sizeof(r.election_title), "%s", f->e->title);
	snprintf(r.created, sizeof(r.created), "2026-11-20T09:30:00Z");
	snprintf(r.crypto_library, sizeof(r.crypto_library), "Mbed TLS 3.6");
	r.simulation = 1;
	assert_int_equal(record_write(&r, &json, &len), 0);
	assert_int_equal(hash_sha256(json, len, f->record_sha), 0);
	snprintf(f->rec, sizeof(f->rec), "%s/record.json", f->dir);
	assert_int_equal(file_write_atomic(f->rec, json, len, 0), 0);
	free(json);
	write_private(f, priv);
	WIPE_BUFFER(priv);
	WIPE_BUFFER(shares);
}

static int setup(void **state)
{
	static struct fixture f;
	const char *b = getenv("SCEAU_BUILD");

	memset(&f, 0, sizeof(f));
	snprintf(f.tool, sizeof(f.tool), "%s/sceau-platform", b ? b : "");
	testlib_tmpdir(f.dir, sizeof(f.dir));
	make_definition(&f);
	make_record(&f);
	f.counts = calloc(f.e->n_scrutins, sizeof(*f.counts));
	*state = &f;
	return f.counts ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	election_free(f->e);
	free(f->counts);
	secmem_wipe(f->secret, 32);
	testlib_rmdir(f->dir);
	return 0;
}

static void cast(struct fixture *f, const char *out, const char *extra)
{
	char cmd[8192];

	if (access(f->tool, X_OK) != 0)
		skip();
	snprintf(cmd, sizeof(cmd),
		 "'%s' cast --record '%s' --definition '%s' --private '%s' --out '%s/%s' %s >/dev/null",
		 f->tool, f->rec, f->def, f->priv, f->dir, out, extra);
	assert_int_equal(system(cmd), 0);
}

/* ---- reading an image ------------------------------------------------------- */

struct image {
	uint8_t *manifest, *sig, *data;
	size_t manifest_len, sig_len, data_len;
};

static void slurp(struct archive *a, uint8_t **buf, size_t *len)
{
	uint8_t chunk[8192];
	la_ssize_t n;

	*len = 0;
	*buf = NULL;
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		*buf = realloc(*buf, *len + (size_t)n + 1);
		assert_non_null(*buf);
		memcpy(*buf + *len, chunk, (size_t)n);
		*len += (size_t)n;
	}
	assert_true(n == 0);
}

static void read_image(const struct fixture *f, const char *rel, const char *data_name,
		       struct image *im)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char path[256];
	int r;

	memset(im, 0, sizeof(*im));
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(archive_read_support_format_iso9660(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *n = archive_entry_pathname(e);

		if (strcmp(n, ".") == 0)
			continue;
		if (strcmp(n, "manifest.json") == 0)
			slurp(a, &im->manifest, &im->manifest_len);
		else if (strcmp(n, "manifest.sig") == 0)
			slurp(a, &im->sig, &im->sig_len);
		else if (strcmp(n, data_name) == 0)
			slurp(a, &im->data, &im->data_len);
		else
			fail_msg("%s: unexpected file \"%s\"", rel, n);
	}
	assert_int_equal(r, ARCHIVE_EOF);
	archive_read_free(a);
	assert_non_null(im->manifest);
	assert_non_null(im->sig);
	assert_non_null(im->data);
}

static void image_free(struct image *im)
{
	free(im->manifest);
	free(im->sig);
	free(im->data);
}

/* The seal and every field of the manifest, against the data file. */
static void check_manifest(const struct fixture *f, const struct image *im,
			   enum manifest_kind kind, const uint64_t *counts, struct manifest *m)
{
	uint8_t sha[32];
	uint64_t total = 0;

	assert_int_equal(manifest_parse(im->manifest, im->manifest_len, kind, m), 0);
	assert_int_equal(manifest_check_sig(im->manifest, im->manifest_len, im->sig,
					    im->sig_len, f->platform_pub), 0);
	assert_memory_equal(m->election_id, f->e->id, 32);
	assert_memory_equal(m->record_sha256, f->record_sha, 32);
	assert_string_equal(m->closed_at, "2026-12-08T17:00+01:00");
	assert_int_equal(m->file_size, im->data_len);
	hash_sha256(im->data, im->data_len, sha);
	assert_memory_equal(m->file_sha256, sha, 32);
	assert_int_equal(m->n_scrutins, f->e->n_scrutins);
	for (unsigned i = 0; i < m->n_scrutins; i++) {
		assert_int_equal(m->counts[i], counts[i]);
		total += counts[i];
	}
	assert_int_equal(m->total, total);
}

/* ---- counting what the urn holds ----------------------------------------------- */

static unsigned bit(const uint8_t *pt, size_t i)
{
	return pt[3 + i / 8] >> (i % 8) & 1;
}

/* FORMATS.md "Ballot classification", written from the table alone;
 * returns the reason id. */
static const char *classify(struct count *c, const struct scrutin *s, const uint8_t *pt)
{
	unsigned choice = (unsigned)pt[1] << 8 | pt[2], n, struck = 0;
	size_t i, bits = 8 * ((size_t)s->pt_len - 3);

	c->ballots++;
	if (pt[0] != 1) {
		c->nul++, c->reason[R_VERSION]++;
		return "bad-version";
	}
	if (choice > s->n_lists) {
		c->nul++, c->reason[R_LIST]++;
		return "list-out-of-range";
	}
	n = choice ? s->lists[choice - 1].n_candidates : 0;
	for (i = choice ? s->max_candidates : 0; i < bits; i++)
		if (bit(pt, i)) {
			c->nul++, c->reason[R_PADDING]++;
			return "non-zero-padding";
		}
	for (i = n; i < s->max_candidates; i++)
		if (bit(pt, i)) {
			c->nul++, c->reason[R_BEYOND]++;
			return "bits-beyond-list";
		}
	for (i = 0; i < n; i++)
		struck += bit(pt, i);
	if (choice == 0 || struck == n) {
		c->blank++;
		c->all_struck += choice != 0;
		return choice ? "all-struck" : "blank";
	}
	c->list_ballots[choice - 1]++;
	for (i = 0; i < n; i++)
		c->ratures[choice - 1][i] += bit(pt, i);
	return "valid";
}

static int open_ballot(const struct urn_ballot *b, void *arg)
{
	struct fixture *f = arg;
	const struct scrutin *s = election_scrutin(f->e, b->scrutin);
	uint8_t pt[PTENC_PT_MAX], S[65];
	struct ballot_class bc;
	const char *mine;

	assert_non_null(s);
	assert_true(b->proof_ok);
	assert_int_equal(ballot2_open(f->secret, b->A, b->B, s->pt_len, S, pt), 0);
	mine = classify(&f->counts[b->scrutin - 1], s, pt);
	assert_int_equal(ballot_classify(s, pt, s->pt_len, &bc), 0);
	assert_string_equal(ballot_reason_name(bc.reason), mine);
	return 0;
}

static uint64_t jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("expected.json: no integer \"%s\"", key);
	return (uint64_t)json_integer_value(v);
}

static void compare_scrutin(const struct scrutin *s, const struct count *c, const json_t *o)
{
	static const char *const reasons[R_KINDS] = { "bad-version", "list-out-of-range",
						      "non-zero-padding", "bits-beyond-list" };
	static const char *const never[] = { "unreadable", "wrong-length", "duplicate",
					     "proof-failed" };
	json_t *lists = json_object_get(o, "lists"), *by = json_object_get(o, "nuls_by_reason");

	assert_int_equal(jint(o, "scrutin"), s->id);
	assert_int_equal(jint(o, "votants"), c->ballots);
	assert_int_equal(jint(o, "emargements"), c->ballots);
	assert_int_equal(jint(o, "blancs"), c->blank);
	assert_int_equal(jint(json_object_get(o, "blancs_by_kind"), "blank"),
			 c->blank - c->all_struck);
	assert_int_equal(jint(json_object_get(o, "blancs_by_kind"), "all-struck"),
			 c->all_struck);
	assert_int_equal(jint(o, "nuls"), c->nul);
	assert_int_equal(jint(o, "sve"), c->ballots - c->blank - c->nul);
	assert_int_equal(json_object_size(by), 8);
	for (unsigned k = 0; k < R_KINDS; k++)
		assert_int_equal(jint(by, reasons[k]), c->reason[k]);
	for (unsigned k = 0; k < 4; k++)
		assert_int_equal(jint(by, never[k]), 0);
	assert_int_equal(json_array_size(lists), s->n_lists);
	for (unsigned l = 0; l < s->n_lists; l++) {
		json_t *jl = json_array_get(lists, l), *r = json_object_get(jl, "ratures");

		assert_int_equal(jint(jl, "number"), l + 1);
		assert_int_equal(jint(jl, "ballots"), c->list_ballots[l]);
		assert_int_equal(json_array_size(r), s->lists[l].n_candidates);
		for (unsigned i = 0; i < s->lists[l].n_candidates; i++)
			assert_int_equal(json_integer_value(json_array_get(r, i)),
					 c->ratures[l][i]);
	}
}

static void compare_expected(const struct fixture *f, const char *out)
{
	char path[256];
	json_t *root, *scrutins;

	snprintf(path, sizeof(path), "%s/%s/expected.json", f->dir, out);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "format")),
			    "sceau-platform-expected/1");
	scrutins = json_object_get(root, "scrutins");
	assert_int_equal(json_array_size(scrutins), f->e->n_scrutins);
	for (unsigned i = 0; i < f->e->n_scrutins; i++)
		compare_scrutin(&f->e->scrutins[i], &f->counts[i], json_array_get(scrutins, i));
	json_decref(root);
}

/* ---- the émargement ------------------------------------------------------------ */

struct emarg_seen {
	const struct election *e;
	uint64_t counts[ELECTION_MAX_SCRUTINS];
};

static int emarg_entry(const struct emarg_entry *en, void *arg)
{
	struct emarg_seen *s = arg;
	const struct scrutin *sc = election_scrutin(s->e, en->scrutin);
	int64_t opens = 0, closes = 0;

	assert_int_equal(strlen(en->voter), 13);
	assert_int_equal(en->voter[0], 'V');
	assert_int_equal(strspn(en->voter + 1, "0123456789abcdef"), 12);
	assert_int_equal(jutil_parse_datetime(sc->opens, &opens), 0);
	assert_int_equal(jutil_parse_datetime(sc->closes, &closes), 0);
	assert_true(en->time >= opens && en->time <= closes);
	/* signed in metropolitan France: winter time for the demo's December */
	assert_int_equal(en->offset_min, 60);
	s->counts[en->scrutin - 1]++;
	return 0;
}

static void check_emargement(const struct fixture *f, const char *out)
{
	struct emarg_seen seen = { f->e, { 0 } };
	struct emarg_reader *r = NULL;
	struct manifest m;
	struct image im;
	uint64_t n = 0;
	char rel[128];

	snprintf(rel, sizeof(rel), "%s/emargement.iso", out);
	read_image(f, rel, "entries.bin", &im);
	assert_int_equal(emarg_reader_new(f->e, emarg_entry, &seen, &r), 0);
	assert_int_equal(emarg_reader_feed(r, im.data, im.data_len), 0);
	assert_int_equal(emarg_reader_finish(r, &n), 0);
	emarg_reader_free(r);
	assert_int_equal(n, N_BALLOTS * f->e->n_scrutins);
	check_manifest(f, &im, MANIFEST_KIND_EMARGEMENT, seen.counts, &m);
	image_free(&im);
}

/* ---- the tests ------------------------------------------------------------------ */

static void count_matches_expected(void **state)
{
	struct fixture *f = *state;
	uint64_t counts[ELECTION_MAX_SCRUTINS] = { 0 }, n = 0;
	struct urn_reader *r = NULL;
	struct manifest m;
	struct image im;

	cast(f, "a", CAST_ARGS);
	read_image(f, "a/urn.iso", "ballots.bin", &im);
	assert_int_equal(urn_reader_new(f->e, open_ballot, f, 2, &r), 0);
	assert_int_equal(urn_reader_feed(r, im.data, im.data_len), 0);
	assert_int_equal(urn_reader_finish(r, &n), 0);
	urn_reader_free(r);
	assert_int_equal(n, N_BALLOTS * f->e->n_scrutins);
	for (unsigned i = 0; i < f->e->n_scrutins; i++) {
		counts[i] = f->counts[i].ballots;
		assert_int_equal(counts[i], N_BALLOTS);
		/* the rates asked for give every kind of ballot */
		assert_true(f->counts[i].nul > 0 && f->counts[i].blank > 0);
	}
	for (unsigned k = 0; k < R_KINDS; k++)
		assert_true(f->counts[0].reason[k] > 0);
	assert_true(f->counts[3].all_struck > 0); /* its list 2 has one candidate */
	check_manifest(f, &im, MANIFEST_KIND_URN, counts, &m);
	image_free(&im);
	compare_expected(f, "a");
	check_emargement(f, "a");
}

static void file_bytes(const struct fixture *f, const char *rel, uint8_t **buf, size_t *len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(file_read_all(path, 64u << 20, buf, len), 0);
}

/* A seed fixes the choices and the émargement, never the ciphertexts. */
static void seed_fixes_choices_not_ciphertexts(void **state)
{
	struct fixture *f = *state;
	struct image a, b;
	uint8_t *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0;

	cast(f, "b", CAST_ARGS " --ballots 30");
	cast(f, "c", CAST_ARGS " --ballots 30");
	file_bytes(f, "b/expected.json", &x, &xl);
	file_bytes(f, "c/expected.json", &y, &yl);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	free(x);
	free(y);
	read_image(f, "b/emargement.iso", "entries.bin", &a);
	read_image(f, "c/emargement.iso", "entries.bin", &b);
	assert_int_equal(a.data_len, b.data_len);
	assert_memory_equal(a.data, b.data, a.data_len);
	image_free(&a);
	image_free(&b);
	read_image(f, "b/urn.iso", "ballots.bin", &a);
	read_image(f, "c/urn.iso", "ballots.bin", &b);
	assert_int_equal(a.data_len, b.data_len);
	assert_memory_not_equal(a.data + URN_HEADER_LEN, b.data + URN_HEADER_LEN, 100);
	image_free(&a);
	image_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(count_matches_expected),
		cmocka_unit_test(seed_fixes_choices_not_ciphertexts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
