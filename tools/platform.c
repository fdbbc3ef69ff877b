/*
 * sceau-platform: the voting platform's side, for demos and tests.
 *
 *   sceau-platform keygen --private FILE --public FILE
 * makes the platform's sealing key pair (ECDSA P-256): the public half is
 * what the bureau imports at the key ceremony ("sceau-platform-key/1"); the
 * private half stays with the platform ("sceau-platform-private/1") and seals
 * the urn and the émargement.
 *
 *   sceau-platform cast --record record.json --definition election.json
 *       --private platform-private.json --out DIR
 *       (--ballots N | --turnout PERMILLE) [--seed S]
 *       [--blank PERMILLE] [--rature PERMILLE] [--nul PERMILLE]
 *       [--abstain-report] [--jobs J] [--fault KIND]
 * casts N ballots in every scrutin (or PERMILLE/1000 of each scrutin's
 * inscrits, rounded down) the way the voters' devices would (v2 ballots,
 * ballot2_encrypt under the record's PK: ElGamal of the plaintext as a
 * point with a proof of knowledge, r and k fresh from crypto/rng.h, one
 * DRBG per thread),
 * seals the urn and the émargement (manifest + ECDSA signature) and writes
 * DIR/urn.iso (manifest.json, manifest.sig, ballots.bin), DIR/emargement.iso
 * (manifest.json, manifest.sig, entries.bin) and DIR/expected.json. None of
 * them may exist already. Exit 0 (done), 1 (error), 2 (usage).
 *
 * Choices (not the encryption) come from splitmix64 seeded by --seed
 * (default 1), so a seed always gives the same choices, émargement and
 * expected.json; ciphertexts differ on every run. Per ballot, in order:
 *   - nul with probability nul/1000 (default 0): a malformed plaintext no real
 *     platform makes, the kinds taken in turn per scrutin (see "nul_reasons");
 *   - else blank with probability blank/1000 (default 30);
 *   - else list L with weight n_lists - L + 2 (list 1 the most likely, the
 *     last still twice as likely as a list of weight 1 would be), and each of
 *     its candidates struck with probability rature/1000 (default 50).
 * Plaintext (pt_len bytes of the scrutin): version 1; choice u16be (0
 * blank, L list L); candidate c (1-based) struck <=> bit (c-1)%8 (LSB first)
 * of byte 3+(c-1)/8; everything else zero.
 * The émargement comes from another stream of the same seed: N references
 * "V" + 12 hex digits, unique per scrutin, each signed at a uniform time of
 * the scrutin's opens..closes window, from metropolitan France (UTC offset
 * +60 minutes, +120 in summer time). Neither file's order says anything of
 * the other's: the urn is sorted by tracker (a hash of random ciphertext),
 * the émargement by voter reference, drawn independently of the choices.
 *
 * DIR/expected.json ("sceau-platform-expected/1") is what a correct count
 * must find, with the names of the box's results file (docs/FORMATS.md
 * "Scrutin object", "Ballot classification"); it describes the honest cast
 * even when --fault is given:
 *   election_id        hex, of the definition
 *   seed, ballots_per_scrutin (0 with --turnout), fault ("none" or the KIND injected)
 *   scrutins[]         one per scrutin, in id order:
 *     scrutin          id
 *     inscrits         from the definition
 *     votants          records of this scrutin in the urn
 *     emargements      entries of this scrutin in entries.bin
 *     blancs           blank ballots; blancs_by_kind splits them:
 *       blank               choice 0, nothing else set
 *       all-struck          a list with every candidate struck (docs/RULES.md)
 *     nuls             malformed ballots; nuls_by_reason has every id of
 *                      FORMATS.md in its order, those never made at 0
 *                      (proof-failed and duplicate: the set-aside faults):
 *       bad-version         version byte 2 (the rest a well-formed ballot)
 *       list-out-of-range   choice = n_lists + 1, nothing struck
 *       non-zero-padding    in turn: choice 0 with the top bit of the last
 *                           byte set; or, when max_candidates % 8 != 0, a
 *                           list with the bit of index max_candidates set
 *       bits-beyond-list    a list shorter than max_candidates with the
 *                           bit of index n_candidates(L) set (it would
 *                           strike a candidate of a longer list)
 *     sve              votants - blancs - nuls
 *     lists[]          number, ballots (valid ballots for the list, after
 *                      the all-struck rule), ratures[] (per candidate in
 *                      order of presentation: valid ballots for the list
 *                      that strike it)
 *     abstentions      inscrits - emargements (only with --abstain-report,
 *                      which also prints the participation per scrutin)
 * Nul kinds go in turn per scrutin: bad-version, list-out-of-range,
 * non-zero-padding, bits-beyond-list (skipped when every list has
 * max_candidates candidates).
 *
 * --fault KIND injects exactly one fault and prints which (one line):
 *   bad-signature         one bit of the urn's manifest.sig flipped
 *   wrong-key             the urn sealed with a fresh key, not the record's
 *   wrong-election        the urn manifest's election_id is another's
 *   unsorted              two adjacent records of ballots.bin swapped
 *   duplicate-tracker     one record written twice; the header count and
 *                         the manifest counts include it (only the
 *                         duplicate is wrong)
 *   bad-point             one record's A or B is not on the curve (0x04
 *                         prefix kept; the file stays sorted by tracker)
 *   scalar-range          one record's c or z is n or more (file sorted)
 *   wrong-length          ballots.bin one byte short: its last record has
 *                         195 bytes (manifest size and hash of that file)
 *   manifest-count        one scrutin's count in the urn manifest +1 and
 *                         another's -1 (total still their sum)
 *   manifest-hash         one bit of ballots.bin's SHA-256 in the urn
 *                         manifest flipped
 *   emargement-count      one extra (well-formed) émargement entry in
 *                         scrutin 1: not an import error, an irregularity
 *                         (émargements != votants) the box must record
 *   emargement-signature  one bit of the émargement's manifest.sig flipped
 * and three faults the box must count, not refuse (its ballots set aside,
 * docs/FORMATS.md; expected.json counts them as the box must):
 *   bad-proof             one ballot's z changed: its proof of knowledge
 *                         fails; nul "proof-failed" instead of its vote
 *   resent-same-r         one voter's ballot sent twice, encrypted again
 *                         with the same r (same A, a valid proof): one
 *                         record more in its scrutin, nul "duplicate" (the
 *                         émargement has one entry fewer: an irregularity)
 *   junk-copy             a record more holding another ballot's A and B
 *                         with a junk proof, ground to sort before it: nul
 *                         "proof-failed", and the genuine ballot counts
 * Every other fault makes the import fail; the record faults (unsorted,
 * duplicate-tracker, bad-point, scalar-range, wrong-length) keep the
 * manifest hash and counts consistent with the file, so only the named
 * rule breaks.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/json_util.h"
#include "lib/opt.h"
#include "lib/splitmix.h"
#include "format/platform_key.h"
#include "format/record.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"
#include "format/emargement.h"
#include "media/iso_write.h"
#include "format/media_manifest.h"
#include "format/urn.h"

#define PRIVATE_FORMAT "sceau-platform-private/1"
#define EXPECTED_FORMAT "sceau-platform-expected/1"
#define PATH_LEN 4096
#define REC_LEN URN_RECORD_LEN
#define SEAL_BATCH 64
#define JOBS_MAX 256
#define VOTER_BITS 48
#define ITEM_MAX REC_LEN /* the largest item: an urn record */

_Static_assert(ITEM_MAX >= EMARG_ENTRY_MAX && ITEM_MAX >= EMARG_HEADER_LEN &&
	       ITEM_MAX >= URN_HEADER_LEN, "a chunker item holds any part of a file");

/* ---- keygen ---------------------------------------------------------------- */

static int platform_write(const char *path, const char *format, const char *field,
			  const uint8_t *b, size_t n, int secret)
{
	char hex[2 * 65 + 1], text[512];
	int len, ret;

	hex_encode(b, n, hex);
	len = snprintf(text, sizeof(text), "{\n  \"format\": \"%s\",\n  \"%s\": \"%s\"\n}\n",
		       format, field, hex);
	ret = file_write_atomic(path, text, (size_t)len, 0);
	if (secret) {
		WIPE_BUFFER(hex);
		WIPE_BUFFER(text);
	}
	return ret;
}

static int platform_keygen(const char *priv_path, const char *pub_path)
{
	struct rng *r = NULL;
	uint8_t *priv = secmem_alloc(32), pub[65], check[65];
	int ret = priv ? 0 : ERR_NOMEM;

	if (!ret)
		ret = rng_new(&r, "sceau/platform-keygen/v1", NULL);
	if (!ret)
		ret = sig_keygen(r, priv, pub);
	if (!ret)
		ret = platform_write(priv_path, PRIVATE_FORMAT, "private_key", priv, 32, 1);
	if (!ret)
		ret = platform_write(pub_path, PLATFORM_KEY_FORMAT, "public_key", pub, 65, 0);
	if (!ret)
		ret = platform_key_load(pub_path, check);
	if (!ret && memcmp(check, pub, 65) != 0)
		ret = ERR_INTERNAL;
	rng_free(r);
	secmem_free(priv, 32);
	return ret;
}

static int cmd_keygen(int argc, char **argv)
{
	const char *priv = NULL, *pub = NULL;
	const struct opt opts[] = { OPT_STR("private", &priv), OPT_STR("public", &pub) };
	int ret = opt_parse(argc, argv, opts, 2);

	if (ret || !priv || !pub)
		return ERR_USAGE;
	ret = platform_keygen(priv, pub);
	if (!ret)
		printf("platform key pair written: %s (private), %s (public)\n", priv, pub);
	return ret;
}

/* ---- options and faults ---------------------------------------------------- */

enum fault {
	FAULT_NONE,
	FAULT_BAD_SIGNATURE,
	FAULT_WRONG_KEY,
	FAULT_WRONG_ELECTION,
	FAULT_UNSORTED,
	FAULT_DUP_TRACKER,
	FAULT_BAD_POINT,
	FAULT_SCALAR_RANGE,
	FAULT_WRONG_LENGTH,
	FAULT_MANIFEST_COUNT,
	FAULT_MANIFEST_HASH,
	FAULT_EMARG_COUNT,
	FAULT_EMARG_SIGNATURE,
	FAULT_BAD_PROOF,
	FAULT_RESENT,
	FAULT_JUNK_COPY,
	FAULT_COUNT
};

static const struct {
	const char *name;
	uint64_t min_ballots; /* per scrutin, for the fault to be possible */
} faults[FAULT_COUNT] = {
	[FAULT_NONE] = { "none", 0 },
	[FAULT_BAD_SIGNATURE] = { "bad-signature", 0 },
	[FAULT_WRONG_KEY] = { "wrong-key", 0 },
	[FAULT_WRONG_ELECTION] = { "wrong-election", 0 },
	[FAULT_UNSORTED] = { "unsorted", 2 },
	[FAULT_DUP_TRACKER] = { "duplicate-tracker", 1 },
	[FAULT_BAD_POINT] = { "bad-point", 1 },
	[FAULT_SCALAR_RANGE] = { "scalar-range", 1 },
	[FAULT_WRONG_LENGTH] = { "wrong-length", 1 },
	[FAULT_MANIFEST_COUNT] = { "manifest-count", 1 },
	[FAULT_MANIFEST_HASH] = { "manifest-hash", 0 },
	[FAULT_EMARG_COUNT] = { "emargement-count", 0 },
	[FAULT_EMARG_SIGNATURE] = { "emargement-signature", 0 },
	[FAULT_BAD_PROOF] = { "bad-proof", 1 },
	[FAULT_RESENT] = { "resent-same-r", 1 },
	[FAULT_JUNK_COPY] = { "junk-copy", 1 },
};

struct cast_opts {
	const char *record, *definition, *private_key, *out;
	uint64_t ballots, seed;
	unsigned blank, rature, nul, jobs, turnout;
	int abstain_report, have_ballots, have_turnout;
	enum fault fault;
};

static int parse_fault(const char *s, void *arg)
{
	enum fault *out = arg;

	for (int f = FAULT_NONE + 1; f < FAULT_COUNT; f++)
		if (strcmp(s, faults[f].name) == 0) {
			*out = (enum fault)f;
			return 0;
		}
	return ERR_USAGE;
}

static int cast_parse(int argc, char **argv, struct cast_opts *o)
{
	const struct opt opts[] = {
		OPT_STR("record", &o->record), OPT_STR("definition", &o->definition),
		OPT_STR("private", &o->private_key), OPT_STR("out", &o->out),
		{ "ballots", OPT_U64, &o->ballots, 0, ELECTION_MAX_INSCRITS, NULL, NULL,
		  &o->have_ballots },
		{ "turnout", OPT_UINT, &o->turnout, 0, 1000, NULL, NULL, &o->have_turnout },
		OPT_NUM64("seed", &o->seed, 0, INT64_MAX), OPT_NUM("blank", &o->blank, 0, 1000),
		OPT_NUM("rature", &o->rature, 0, 1000), OPT_NUM("nul", &o->nul, 0, 1000),
		OPT_BOOL("abstain-report", &o->abstain_report),
		OPT_NUM("jobs", &o->jobs, 1, JOBS_MAX),
		OPT_CALL("fault", parse_fault, &o->fault),
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->blank = 30;
	o->rature = 50;
	o->jobs = cpus < 1 ? 1 : cpus > JOBS_MAX ? JOBS_MAX : (unsigned)cpus;
	ret = opt_parse(argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	if (ret)
		fprintf(stderr, "sceau-platform: %s\n", err_last_detail());
	if (!ret && (!o->record || !o->definition || !o->private_key || !o->out ||
		     o->have_ballots == o->have_turnout))
		ret = ERR_USAGE;
	return ret;
}

/* ---- the distribution's PRNG (splitmix64; not for keys) -------------------- */

struct prng {
	uint64_t s;
};

static uint64_t prng_next(struct prng *g)
{
	return splitmix64(&g->s);
}

/* Uniform enough in [0, n): the bias of the modulo is below n / 2^64. */
static uint64_t prng_below(struct prng *g, uint64_t n)
{
	return prng_next(g) % n;
}

/* Independent streams of one seed: choices, émargement, fault positions. */
enum { STREAM_CHOICES = 1, STREAM_EMARG = 2, STREAM_FAULT = 3 };

static void prng_seed(struct prng *g, uint64_t seed, uint64_t stream)
{
	g->s = seed ^ (stream * 0xd1b54a32d192ed03ull);
	prng_next(g);
}

/* ---- the cast's state ------------------------------------------------------ */

/* The kinds drawn in turn, then the ones only the set-aside faults make. */
enum nul_kind { NUL_VERSION, NUL_LIST, NUL_PADDING, NUL_BEYOND, NUL_KINDS,
		NUL_DUPLICATE = NUL_KINDS, NUL_PROOF, NUL_ALL };

/* Every nul id of FORMATS.md, in its order, and the kind it counts (-1:
 * never made by the simulator). */
static const struct {
	const char *id;
	int kind;
} nul_ids[] = {
	{ "unreadable", -1 }, { "wrong-length", -1 }, { "bad-version", NUL_VERSION },
	{ "list-out-of-range", NUL_LIST }, { "non-zero-padding", NUL_PADDING },
	{ "bits-beyond-list", NUL_BEYOND }, { "duplicate", NUL_DUPLICATE },
	{ "proof-failed", NUL_PROOF },
};

struct tally_list {
	uint64_t ballots;
	uint64_t *ratures; /* [n_candidates] */
};

struct tally {
	uint64_t ballots, blank, all_struck, nul, nul_kind[NUL_ALL];
	unsigned nul_next; /* the next kind in turn */
	unsigned padding_next; /* alternates the two forms of padding */
	struct tally_list lists[ELECTION_MAX_LISTS];
};

/* One urn record: where it is in the arena (REC_LEN bytes), and its tracker. */
struct slot {
	uint8_t tracker[32];
	uint64_t off;
	uint16_t scrutin;
};

struct voter {
	uint64_t ref;
	int64_t time;
};

struct cast {
	const struct cast_opts *o;
	struct election *e;
	struct record rec;
	uint8_t record_sha[32];
	uint8_t *priv; /* locked */
	char closed_at[32];
	struct prng choices, emarg, fault;
	struct tally *tally;      /* [n_scrutins] */
	uint8_t *arena;           /* the records, back to back */
	struct slot *slots;
	size_t n_slots;
	size_t victim;            /* the ballot of a set-aside fault */
	uint8_t victim_pt[PTENC_PT_MAX];
	int urn_short;            /* wrong-length: the last record 1 byte short */
	uint64_t urn_counts[ELECTION_MAX_SCRUTINS];
	struct voter *voters[ELECTION_MAX_SCRUTINS];
	uint64_t emarg_counts[ELECTION_MAX_SCRUTINS];
	char fault_note[160];
	int out_checked; /* none of the outputs existed: ours to remove on error */
};

static void cast_free(struct cast *c)
{
	if (c->tally)
		for (unsigned s = 0; c->e && s < c->e->n_scrutins; s++)
			for (unsigned l = 0; l < ELECTION_MAX_LISTS; l++)
				free(c->tally[s].lists[l].ratures);
	free(c->tally);
	for (unsigned s = 0; s < ELECTION_MAX_SCRUTINS; s++)
		free(c->voters[s]);
	free(c->slots);
	free(c->arena);
	secmem_free(c->priv, 32);
	election_free(c->e);
}

/* ---- inputs ---------------------------------------------------------------- */

/* The private key file; the key goes to locked memory, every copy is wiped. */
static int load_private(const char *path, uint8_t priv[32])
{
	static const char *const keys[] = { "format", "private_key" };
	struct jutil_path p;
	json_t *root = NULL, *v;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	jutil_path_init(&p);
	ret = file_read_all(path, PLATFORM_KEY_FILE_MAX, &buf, &len);
	if (!ret)
		ret = jutil_load(buf, len, PLATFORM_KEY_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, 2);
	if (!ret)
		ret = jutil_const(root, &p, "format", PRIVATE_FORMAT);
	if (!ret)
		ret = jutil_hex(root, &p, "private_key", priv, 32);
	v = root ? json_object_get(root, "private_key") : NULL;
	if (json_is_string(v)) /* jansson's copy of the hex, ours to wipe */
		secmem_wipe((char *)json_string_value(v), json_string_length(v));
	json_decref(root);
	if (buf)
		secmem_wipe(buf, len);
	free(buf);
	if (ret)
		err_detail_prefix(path);
	return ret;
}

static int load_record(struct cast *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = file_read_all(c->o->record, RECORD_FILE_MAX, &buf, &len);

	if (!ret)
		ret = hash_sha256(buf, len, c->record_sha);
	if (!ret)
		ret = record_parse(buf, len, &c->rec);
	free(buf);
	if (!ret && memcmp(c->rec.election_id, c->e->id, 32) != 0) {
		err_detail("%s is the record of another election than %s", c->o->record,
			   c->o->definition);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* The real platform seals with the key the ceremony fingerprinted. */
static int check_private(struct cast *c)
{
	uint8_t pub[GROUP_POINT_LEN];
	int ret = sig_public(c->priv, pub);

	if (!ret && memcmp(pub, c->rec.platform_pub, sizeof(pub)) != 0) {
		err_detail("%s is not the private half of the platform key in %s",
			   c->o->private_key, c->o->record);
		ret = ERR_VERIFY;
	}
	return ret;
}

/* Ballots cast in scrutin s: --ballots N, or --turnout PERMILLE of its
 * inscrits (rounded down). */
static uint64_t cast_n(const struct cast *c, const struct scrutin *s)
{
	if (c->o->have_turnout)
		return (uint64_t)s->inscrits * c->o->turnout / 1000u;
	return c->o->ballots;
}

/* N per scrutin must fit its inscrits; closed_at = the latest "closes". */
static int check_scrutins(struct cast *c)
{
	int64_t latest = INT64_MIN, t = 0;

	for (unsigned i = 0; i < c->e->n_scrutins; i++) {
		const struct scrutin *s = &c->e->scrutins[i];

		if (cast_n(c, s) > s->inscrits) {
			err_detail("--ballots %" PRIu64 ": scrutin %u has only %u inscrits",
				   cast_n(c, s), s->id, s->inscrits);
			return ERR_RANGE;
		}
		if (cast_n(c, s) < faults[c->o->fault].min_ballots) {
			err_detail("--fault %s needs at least %" PRIu64 " ballot(s) per scrutin",
				   faults[c->o->fault].name, faults[c->o->fault].min_ballots);
			return ERR_RANGE;
		}
		if (jutil_parse_datetime(s->closes, &t) != 0)
			return ERR_FORMAT;
		if (t > latest) {
			latest = t;
			snprintf(c->closed_at, sizeof(c->closed_at), "%s", s->closes);
		}
	}

	return 0;
}

static int load_inputs(struct cast *c)
{
	int ret;

	c->priv = secmem_alloc(32);
	if (!c->priv)
		return ERR_NOMEM;
	ret = election_load(c->o->definition, &c->e);
	if (!ret)
		ret = load_record(c);
	if (!ret)
		ret = load_private(c->o->private_key, c->priv);
	if (!ret)
		ret = check_private(c);
	if (!ret)
		ret = check_scrutins(c);
	return ret;
}

/* ---- choices and the expected count ----------------------------------------- */

static unsigned draw_list(struct prng *g, const struct scrutin *s)
{
	uint64_t total = 0, x;
	unsigned l;

	for (l = 1; l <= s->n_lists; l++)
		total += s->n_lists - l + 2;
	x = prng_below(g, total);
	for (l = 1; l < s->n_lists; l++) {
		if (x < s->n_lists - l + 2)
			break;
		x -= s->n_lists - l + 2;
	}
	return l;
}

static void pt_choice(uint8_t *pt, const struct scrutin *s, unsigned choice)
{
	memset(pt, 0, s->pt_len);
	pt[0] = 1;
	pt[1] = (uint8_t)(choice >> 8);
	pt[2] = (uint8_t)choice;
}

static void pt_set(uint8_t *pt, unsigned c0)
{
	pt[3 + c0 / 8] |= (uint8_t)(1u << (c0 % 8));
}

static int pt_struck(const uint8_t *pt, unsigned c0)
{
	return pt[3 + c0 / 8] >> (c0 % 8) & 1;
}

/* A well-formed ballot; returns its choice (0 = blank). */
static unsigned draw_valid(struct prng *g, const struct cast_opts *o,
			   const struct scrutin *s, uint8_t *pt)
{
	unsigned l;

	if (prng_below(g, 1000) < o->blank) {
		pt_choice(pt, s, 0);
		return 0;
	}
	l = draw_list(g, s);
	pt_choice(pt, s, l);
	for (unsigned c0 = 0; c0 < s->lists[l - 1].n_candidates; c0++)
		if (prng_below(g, 1000) < o->rature)
			pt_set(pt, c0);
	return l;
}

static void tally_valid(struct tally *t, const struct scrutin *s, const uint8_t *pt,
			unsigned l)
{
	const struct elist *list = l ? &s->lists[l - 1] : NULL;
	unsigned struck = 0;

	t->ballots++;
	for (unsigned c0 = 0; list && c0 < list->n_candidates; c0++)
		struck += (unsigned)pt_struck(pt, c0);
	if (!list || struck == list->n_candidates) {
		t->blank++;
		t->all_struck += list ? 1 : 0;
		return;
	}
	t->lists[l - 1].ballots++;
	for (unsigned c0 = 0; c0 < list->n_candidates; c0++)
		t->lists[l - 1].ratures[c0] += (uint64_t)pt_struck(pt, c0);
}

/* A list shorter than the scrutin's longest, or 0 if there is none. */
static unsigned list_shorter(struct prng *g, const struct scrutin *s)
{
	unsigned eligible = 0, k;

	for (unsigned l = 0; l < s->n_lists; l++)
		eligible += s->lists[l].n_candidates < s->max_candidates;
	if (!eligible)
		return 0;
	k = (unsigned)prng_below(g, eligible);
	for (unsigned l = 0; l < s->n_lists; l++)
		if (s->lists[l].n_candidates < s->max_candidates && k-- == 0)
			return l + 1;
	return 0;
}

/* A bit no candidate has: on a blank ballot, or past max_candidates. */
static void draw_padding(struct prng *g, const struct scrutin *s, uint8_t *pt,
			 struct tally *t)
{
	if (s->max_candidates % 8 != 0 && t->padding_next++ % 2 == 1) {
		pt_choice(pt, s, draw_list(g, s));
		pt_set(pt, s->max_candidates);
	} else {
		pt_choice(pt, s, 0);
		pt[s->pt_len - 1] = 0x80;
	}
}

/* A malformed ballot of the next possible kind (see nuls_by_reason above). */
static void draw_nul(struct prng *g, const struct cast_opts *o, const struct scrutin *s,
		     uint8_t *pt, struct tally *t)
{
	enum nul_kind k = (enum nul_kind)(t->nul_next++ % NUL_KINDS);
	unsigned l = k == NUL_BEYOND ? list_shorter(g, s) : 0;

	if (k == NUL_BEYOND && l == 0)
		k = (enum nul_kind)(t->nul_next++ % NUL_KINDS);
	if (k == NUL_VERSION) {
		draw_valid(g, o, s, pt);
		pt[0] = 2;
	} else if (k == NUL_LIST) {
		pt_choice(pt, s, s->n_lists + 1);
	} else if (k == NUL_BEYOND) {
		pt_choice(pt, s, l);
		pt_set(pt, s->lists[l - 1].n_candidates);
	} else {
		draw_padding(g, s, pt, t);
	}
	t->ballots++;
	t->nul++;
	t->nul_kind[k]++;
}

static int tally_init(struct tally *t, const struct scrutin *s)
{
	for (unsigned l = 0; l < s->n_lists; l++) {
		t->lists[l].ratures = calloc(s->lists[l].n_candidates, sizeof(uint64_t));
		if (!t->lists[l].ratures)
			return ERR_NOMEM;
	}
	return 0;
}

/* Lays out the records and writes each ballot's plaintext where its
 * ciphertext will go; counts what a correct count must find. */
static int draw_all(struct cast *c)
{
	uint64_t off = 0, k = 0, bytes = 0, total = 0;
	int ret = 0;

	for (unsigned i = 0; i < c->e->n_scrutins; i++)
		total += cast_n(c, &c->e->scrutins[i]);
	c->n_slots = (size_t)total;
	if (c->n_slots >= URN_MAX_BALLOTS) {
		err_detail("%zu ballots in all, at most %u", c->n_slots, URN_MAX_BALLOTS - 1);
		return ERR_RANGE;
	}
	bytes = (total + 1) * REC_LEN; /* + a record a fault adds */
	c->tally = calloc(c->e->n_scrutins, sizeof(*c->tally));
	c->slots = calloc(c->n_slots + 1, sizeof(*c->slots)); /* + a duplicate */
	c->arena = malloc(bytes);
	if (!c->tally || !c->slots || !c->arena)
		return ERR_NOMEM;
	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++) {
		const struct scrutin *s = &c->e->scrutins[i];
		struct tally *t = &c->tally[i];
		uint64_t n = cast_n(c, s);

		ret = tally_init(t, s);
		for (uint64_t b = 0; !ret && b < n; b++, k++) {
			struct slot *sl = &c->slots[k];
			uint8_t *pt = c->arena + off; /* until sealed: the plaintext */

			sl->off = off;
			sl->scrutin = s->id;
			off += REC_LEN;
			if (prng_below(&c->choices, 1000) < c->o->nul)
				draw_nul(&c->choices, c->o, s, pt, t);
			else
				tally_valid(t, s, pt, draw_valid(&c->choices, c->o, s, pt));
		}
	}
	return ret;
}

/* ---- encryption, on every core ---------------------------------------------- */

struct seal_job {
	const uint8_t *pk;
	const struct election *e;
	uint8_t *arena;
	struct slot *slots;
	size_t n;
	atomic_size_t next;
	atomic_int failed;
};

struct seal_worker {
	struct seal_job *job;
	pthread_t thread;
	int started, ret;
	char detail[256];
};

/* Replaces the plaintext in the arena by the sealed record. */
static int seal_one(const struct seal_job *j, struct rng *r, struct slot *s)
{
	const struct scrutin *sc = election_scrutin(j->e, s->scrutin);
	uint8_t pt[PTENC_PT_MAX], *dst = j->arena + s->off;
	int ret;

	memcpy(pt, dst, sc->pt_len);
	ret = ballot2_encrypt(r, j->pk, j->e->id, s->scrutin, pt, sc->pt_len, dst);
	if (!ret)
		ret = ballot2_tracker(dst, s->tracker);
	WIPE_BUFFER(pt);
	return ret;
}

static void *seal_thread(void *arg)
{
	struct seal_worker *w = arg;
	struct seal_job *j = w->job;
	struct rng *r = NULL;
	int ret = rng_new(&r, "sceau/platform-cast/v2", NULL);

	while (!ret && !atomic_load(&j->failed)) {
		size_t start = atomic_fetch_add(&j->next, SEAL_BATCH), end;

		if (start >= j->n)
			break;
		end = start + SEAL_BATCH < j->n ? start + SEAL_BATCH : j->n;
		for (size_t i = start; !ret && i < end; i++)
			ret = seal_one(j, r, &j->slots[i]);
	}
	if (ret) {
		atomic_store(&j->failed, 1);
		snprintf(w->detail, sizeof(w->detail), "%s", err_last_detail());
	}
	rng_free(r);
	w->ret = ret;
	return NULL;
}

static int seal_all(struct cast *c)
{
	struct seal_job job = { c->rec.pub.pk, c->e, c->arena, c->slots, c->n_slots, 0, 0 };
	struct seal_worker *w = calloc(c->o->jobs, sizeof(*w));
	int ret = w ? 0 : ERR_NOMEM;

	for (unsigned i = 0; !ret && i < c->o->jobs; i++) {
		w[i].job = &job;
		if (pthread_create(&w[i].thread, NULL, seal_thread, &w[i]) != 0) {
			err_detail("cannot start encryption thread %u", i + 1);
			atomic_store(&job.failed, 1);
			ret = ERR_NOMEM;
		}
		w[i].started = !ret;
	}
	for (unsigned i = 0; w && i < c->o->jobs; i++) {
		if (!w[i].started)
			continue;
		pthread_join(w[i].thread, NULL);
		if (w[i].ret && !ret) {
			ret = w[i].ret;
			err_detail("%s", w[i].detail);
		}
	}
	free(w);
	return ret;
}

/* ---- the urn's order and its faults ----------------------------------------- */

static int slot_cmp(const void *a, const void *b)
{
	return memcmp(((const struct slot *)a)->tracker, ((const struct slot *)b)->tracker, 32);
}

static void fault_note(struct cast *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fault_note(struct cast *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->fault_note, sizeof(c->fault_note), fmt, ap);
	va_end(ap);
}

/* Faults inside one record, made before sorting so that the file stays
 * sorted by the (new) trackers. */
static int fault_record(struct cast *c)
{
	struct slot *s;
	uint8_t *rec;

	if (c->o->fault == FAULT_WRONG_LENGTH) {
		c->urn_short = 1;
		fault_note(c, "ballots.bin is 1 byte short: its last record has %d bytes",
			   REC_LEN - 1);
		return 0;
	}
	if (c->o->fault != FAULT_BAD_POINT && c->o->fault != FAULT_SCALAR_RANGE)
		return 0;
	s = &c->slots[prng_below(&c->fault, c->n_slots)];
	rec = c->arena + s->off;
	if (c->o->fault == FAULT_BAD_POINT) {
		int b = (int)prng_below(&c->fault, 2);
		uint8_t *P = rec + (b ? BALLOT2_OFF_B : BALLOT2_OFF_A);
		do
			P[1 + prng_below(&c->fault, 64)] ^= (uint8_t)(1u << prng_below(&c->fault, 8));
		while (group_point_check(P) == 0);
		err_clear();
		fault_note(c, "%s of one record of scrutin %u is not on the curve", b ? "B" : "A",
			   s->scrutin);
	} else {
		int z = (int)prng_below(&c->fault, 2);
		memset(rec + (z ? BALLOT2_OFF_Z : BALLOT2_OFF_C), 0xff, GROUP_SCALAR_LEN);
		fault_note(c, "%s of one record of scrutin %u is 2^256 - 1, not below n",
			   z ? "z" : "c", s->scrutin);
	}
	return ballot2_tracker(rec, s->tracker);
}

/* ---- the set-aside faults: one record more, which the box counts nul ------- */

static int setaside_fault(const struct cast *c)
{
	return c->o->fault == FAULT_BAD_PROOF || c->o->fault == FAULT_RESENT ||
	       c->o->fault == FAULT_JUNK_COPY;
}

/* Before sealing: the voter whose ballot a set-aside fault copies (its
 * plaintext kept, for resent-same-r). */
static void pick_victim(struct cast *c)
{
	const struct scrutin *s;

	if (!setaside_fault(c))
		return;
	c->victim = (size_t)prng_below(&c->fault, c->n_slots);
	s = election_scrutin(c->e, c->slots[c->victim].scrutin);
	memcpy(c->victim_pt, c->arena + c->slots[c->victim].off, s->pt_len);
}

/* resent-same-r: the victim's ballot made again with one r and two k's. */
static int fault_resent(struct cast *c, struct rng *r, uint8_t *extra)
{
	struct slot *v = &c->slots[c->victim];
	const struct scrutin *s = election_scrutin(c->e, v->scrutin);
	uint8_t rr[32], k1[32], k2[32];
	int ret = scalar_random(r, rr);

	if (!ret)
		ret = scalar_random(r, k1);
	if (!ret)
		ret = scalar_random(r, k2);
	if (!ret)
		ret = ballot2_encrypt_fixed(rr, k1, c->rec.pub.pk, c->e->id, v->scrutin,
					    c->victim_pt, s->pt_len, c->arena + v->off);
	if (!ret)
		ret = ballot2_encrypt_fixed(rr, k2, c->rec.pub.pk, c->e->id, v->scrutin,
					    c->victim_pt, s->pt_len, extra);
	if (!ret)
		ret = ballot2_tracker(c->arena + v->off, v->tracker);
	WIPE_BUFFER(rr);
	WIPE_BUFFER(k1);
	WIPE_BUFFER(k2);
	return ret;
}

/* junk-copy: the A and B of the ballot with the highest tracker, a junk
 * proof, drawn until its tracker sorts before that ballot's. */
static int fault_junk(struct cast *c, struct rng *r, uint8_t *extra)
{
	uint8_t t[32];
	int ret = 0;

	for (size_t i = 1; i < c->n_slots; i++)
		if (memcmp(c->slots[i].tracker, c->slots[c->victim].tracker, 32) > 0)
			c->victim = i;
	memcpy(extra, c->arena + c->slots[c->victim].off, REC_LEN);
	do {
		ret = scalar_random(r, extra + BALLOT2_OFF_C);
		if (!ret)
			ret = scalar_random(r, extra + BALLOT2_OFF_Z);
		if (!ret)
			ret = ballot2_tracker(extra, t);
	} while (!ret && memcmp(t, c->slots[c->victim].tracker, 32) >= 0);
	return ret;
}

/* bad-proof: a ballot more, its z one more than the proof's. */
static int fault_bad_proof(struct cast *c, struct rng *r, uint8_t *extra)
{
	const struct slot *v = &c->slots[c->victim];
	const struct scrutin *s = election_scrutin(c->e, v->scrutin);
	uint8_t one[32];
	int ret = ballot2_encrypt(r, c->rec.pub.pk, c->e->id, v->scrutin, c->victim_pt,
				  s->pt_len, extra);

	scalar_from_u32(one, 1);
	if (!ret)
		ret = scalar_add(extra + BALLOT2_OFF_Z, extra + BALLOT2_OFF_Z, one);
	return ret;
}

/* After sealing: the record the fault adds, and what the count must find. */
static int fault_setaside(struct cast *c)
{
	struct slot *x = &c->slots[c->n_slots];
	struct rng *r = NULL;
	struct tally *t;
	int ret, dup = c->o->fault == FAULT_RESENT;

	if (!setaside_fault(c))
		return 0;
	x->off = (uint64_t)c->n_slots * REC_LEN;
	ret = rng_new(&r, "sceau/platform-sim/set-aside", NULL);
	if (!ret && dup)
		ret = fault_resent(c, r, c->arena + x->off);
	else if (!ret && c->o->fault == FAULT_JUNK_COPY)
		ret = fault_junk(c, r, c->arena + x->off);
	else if (!ret)
		ret = fault_bad_proof(c, r, c->arena + x->off);
	rng_free(r);
	x->scrutin = c->slots[c->victim].scrutin;
	if (!ret)
		ret = ballot2_tracker(c->arena + x->off, x->tracker);
	if (ret)
		return ret;
	c->n_slots++;
	t = &c->tally[x->scrutin - 1];
	t->ballots++;
	t->nul++;
	t->nul_kind[dup ? NUL_DUPLICATE : NUL_PROOF]++;
	fault_note(c, "scrutin %u: one record more, %s", x->scrutin,
		   dup ? "a voter's ballot sent again with the same r (same A, valid proof)"
		   : c->o->fault == FAULT_JUNK_COPY
		   ? "another ballot's A and B with a junk proof, sorted before it"
		   : "a ballot whose proof of knowledge fails");
	return 0;
}

/* Faults of the order, made after sorting. */
static void fault_order(struct cast *c)
{
	size_t k;

	if (c->o->fault == FAULT_UNSORTED) {
		struct slot tmp;

		k = (size_t)prng_below(&c->fault, c->n_slots - 1);
		tmp = c->slots[k];
		c->slots[k] = c->slots[k + 1];
		c->slots[k + 1] = tmp;
		fault_note(c, "records %zu and %zu of ballots.bin swapped", k + 1, k + 2);
	} else if (c->o->fault == FAULT_DUP_TRACKER) {
		k = (size_t)prng_below(&c->fault, c->n_slots);
		memmove(&c->slots[k + 2], &c->slots[k + 1],
			(c->n_slots - k - 1) * sizeof(*c->slots));
		c->slots[k + 1] = c->slots[k];
		c->n_slots++;
		fault_note(c, "record %zu of ballots.bin written again as record %zu "
			   "(scrutin %u; header and manifest count it)", k + 1, k + 2,
			   c->slots[k].scrutin);
	}
}

static int order_urn(struct cast *c)
{
	int ret = fault_record(c);

	if (ret)
		return ret;
	qsort(c->slots, c->n_slots, sizeof(*c->slots), slot_cmp);
	for (size_t i = 1; i < c->n_slots; i++)
		if (slot_cmp(&c->slots[i - 1], &c->slots[i]) == 0) {
			err_detail("two ballots with the same tracker");
			return ERR_INTERNAL;
		}
	fault_order(c);
	for (size_t i = 0; i < c->n_slots; i++)
		c->urn_counts[c->slots[i].scrutin - 1]++;
	return 0;
}

/* ---- the émargement ---------------------------------------------------------- */

static int voter_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct voter *)a)->ref, y = ((const struct voter *)b)->ref;

	return x < y ? -1 : x > y;
}

/* n unique references, each with a time of the scrutin's window. */
static int draw_voters(struct prng *g, const struct scrutin *s, uint64_t n,
		       struct voter **out)
{
	int64_t opens = 0, closes = 0;
	struct voter *v = calloc(n ? n : 1, sizeof(*v));
	int dup = 1;

	if (!v)
		return ERR_NOMEM;
	if (jutil_parse_datetime(s->opens, &opens) || jutil_parse_datetime(s->closes, &closes)) {
		free(v);
		return ERR_FORMAT;
	}
	for (uint64_t i = 0; i < n; i++) {
		v[i].ref = prng_next(g) >> (64 - VOTER_BITS);
		v[i].time = opens + (int64_t)prng_below(g, closes > opens ? (uint64_t)(closes - opens) : 1);
	}
	while (dup) { /* a collision is rare: draw that one again */
		dup = 0;
		qsort(v, n, sizeof(*v), voter_cmp);
		for (uint64_t i = 1; i < n; i++)
			if (v[i].ref == v[i - 1].ref) {
				v[i].ref = prng_next(g) >> (64 - VOTER_BITS);
				dup = 1;
			}
	}
	*out = v;
	return 0;
}

static int draw_emargement(struct cast *c)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < c->e->n_scrutins; i++) {
		c->emarg_counts[i] = cast_n(c, &c->e->scrutins[i]);
		if (i == 0 && c->o->fault == FAULT_EMARG_COUNT) {
			c->emarg_counts[i]++;
			fault_note(c, "scrutin 1 has %" PRIu64 " émargement entries for %" PRIu64
				   " ballots", c->emarg_counts[i], c->emarg_counts[i] - 1);
		}
		ret = draw_voters(&c->emarg, &c->e->scrutins[i], c->emarg_counts[i],
				  &c->voters[i]);
	}
	return ret;
}

/* ---- streaming the two data files ------------------------------------------- */

/* A file made of items (a header, then records or entries), read in chunks:
 * once to hash it, once to write it into the image. */
struct chunker {
	int (*next)(struct chunker *ch, uint8_t *item, size_t *len); /* 1, 0 = end */
	const struct cast *c;
	uint64_t pos;  /* urn: items produced; émargement: entries of this scrutin */
	unsigned scrutin;
	int headed;    /* the émargement's header is out */
	uint8_t item[ITEM_MAX];
	size_t len, at;
};

static int chunk_read(void *arg, uint8_t *buf, size_t cap, size_t *got)
{
	struct chunker *ch = arg;
	size_t n = 0, take;
	int ret = 0;

	while (n < cap) {
		if (ch->at == ch->len) {
			ch->at = ch->len = 0;
			ret = ch->next(ch, ch->item, &ch->len);
			if (ret <= 0)
				break;
		}
		take = ch->len - ch->at < cap - n ? ch->len - ch->at : cap - n;
		memcpy(buf + n, ch->item + ch->at, take);
		ch->at += take;
		n += take;
	}
	*got = n;
	return ret < 0 ? ret : 0;
}

/* ballots.bin: the header, then the records in slot order. */
static int urn_next(struct chunker *ch, uint8_t *item, size_t *len)
{
	const struct slot *s;

	if (ch->pos == 0) {
		urn_header_encode((uint32_t)ch->c->n_slots, item);
		*len = URN_HEADER_LEN;
	} else if (ch->pos <= ch->c->n_slots) {
		s = &ch->c->slots[ch->pos - 1];
		memcpy(item, ch->c->arena + s->off, REC_LEN);
		*len = REC_LEN - (ch->c->urn_short && ch->pos == ch->c->n_slots ? 1 : 0);
	} else {
		return 0;
	}
	ch->pos++;
	return 1;
}

/* Metropolitan France's UTC offset at t, in minutes: +120 from the last
 * Sunday of March to the last Sunday of October (01:00 UTC both, the EU
 * summer time), +60 otherwise. */
static int16_t france_offset(int64_t t)
{
	int64_t march = 0, october = 0;
	char day[24];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return 60;
	snprintf(day, sizeof(day), "%04d-03-31", tm.tm_year + 1900);
	jutil_parse_date(day, &march);
	snprintf(day, sizeof(day), "%04d-10-31", tm.tm_year + 1900);
	jutil_parse_date(day, &october);
	/* 1970-01-01 was a Thursday: day d is a Sunday when (d + 4) % 7 == 0 */
	march -= (march + 4) % 7;
	october -= (october + 4) % 7;
	return t >= march * 86400 + 3600 && t < october * 86400 + 3600 ? 120 : 60;
}

static uint64_t emarg_total(const struct cast *c)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < c->e->n_scrutins; i++)
		n += c->emarg_counts[i];
	return n;
}

/* entries.bin: the header, then scrutin by scrutin, voters in ascending
 * order (all "V" + 12 hex digits: their numeric order is the byte order). */
static int emarg_next(struct chunker *ch, uint8_t *item, size_t *len)
{
	struct emarg_entry en;
	const struct voter *v;
	int ret;

	if (!ch->headed) {
		emarg_header_encode((uint32_t)emarg_total(ch->c), item);
		*len = EMARG_HEADER_LEN;
		ch->headed = 1;
		return 1;
	}
	while (ch->scrutin < ch->c->e->n_scrutins && ch->pos >= ch->c->emarg_counts[ch->scrutin]) {
		ch->scrutin++;
		ch->pos = 0;
	}
	if (ch->scrutin >= ch->c->e->n_scrutins)
		return 0;
	v = &ch->c->voters[ch->scrutin][ch->pos++];
	memset(&en, 0, sizeof(en));
	en.scrutin = (uint16_t)(ch->scrutin + 1);
	snprintf(en.voter, sizeof(en.voter), "V%012" PRIx64, v->ref);
	en.time = v->time;
	en.offset_min = france_offset(v->time);
	ret = emarg_entry_encode(&en, item, ITEM_MAX, len);
	return ret ? ret : 1;
}

static void chunker_init(struct chunker *ch, const struct cast *c, enum manifest_kind kind)
{
	memset(ch, 0, sizeof(*ch));
	ch->c = c;
	ch->next = kind == MANIFEST_KIND_URN ? urn_next : emarg_next;
}

static int chunker_digest(const struct cast *c, enum manifest_kind kind, uint64_t *size,
			  uint8_t sha[32])
{
	struct chunker ch;
	struct hash_ctx *h = NULL;
	uint8_t buf[1u << 16];
	size_t got = 0;
	int ret = hash_begin(&h);

	chunker_init(&ch, c, kind);
	*size = 0;
	while (!ret && !(ret = chunk_read(&ch, buf, sizeof(buf), &got)) && got > 0) {
		ret = hash_update(h, buf, got);
		*size += got;
	}
	if (ret) {
		hash_abort(h);
		return ret;
	}
	return hash_final(h, sha);
}

/* ---- manifests, seals, images ------------------------------------------------ */

struct sealed {
	char *json;
	size_t len;
	char sig[130];
	uint64_t size;
};

static void flip_bit(struct prng *g, uint8_t *b, size_t n)
{
	b[prng_below(g, n)] ^= (uint8_t)(1u << prng_below(g, 8));
}

/* manifest-count: +1 on scrutin 1, -1 on another that has a ballot. */
static void fault_counts(struct cast *c, struct manifest *m)
{
	for (unsigned i = 1; i < m->n_scrutins; i++)
		if (m->counts[i] > 0) {
			m->counts[0]++;
			m->counts[i]--;
			fault_note(c, "urn manifest: scrutin 1 says %" PRIu64 ", scrutin %u says %"
				   PRIu64 " (total unchanged)", m->counts[0], i + 1, m->counts[i]);
			return;
		}
	m->counts[0]++;
	m->total++;
	fault_note(c, "urn manifest: scrutin 1 says %" PRIu64 " (total too)", m->counts[0]);
}

static void fault_manifest(struct cast *c, struct manifest *m)
{
	if (m->kind != MANIFEST_KIND_URN)
		return;
	if (c->o->fault == FAULT_WRONG_ELECTION) {
		struct hash_part part = { c->e->id, 32 };

		hash_tagged("sceau/platform-sim/other-election", &part, 1, m->election_id);
		fault_note(c, "urn manifest: election_id of another election");
	} else if (c->o->fault == FAULT_MANIFEST_COUNT) {
		fault_counts(c, m);
	} else if (c->o->fault == FAULT_MANIFEST_HASH) {
		flip_bit(&c->fault, m->file_sha256, 32);
		fault_note(c, "urn manifest: one bit of the SHA-256 of ballots.bin flipped");
	}
}

static int make_manifest(struct cast *c, enum manifest_kind kind, struct sealed *out)
{
	const uint64_t *counts = kind == MANIFEST_KIND_URN ? c->urn_counts : c->emarg_counts;
	struct manifest m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.kind = kind;
	memcpy(m.election_id, c->e->id, 32);
	memcpy(m.record_sha256, c->record_sha, 32);
	snprintf(m.closed_at, sizeof(m.closed_at), "%s", c->closed_at);
	snprintf(m.file_name, sizeof(m.file_name), "%s", manifest_data_file(kind));
	m.n_scrutins = c->e->n_scrutins;
	for (unsigned i = 0; i < m.n_scrutins; i++) {
		m.counts[i] = counts[i];
		m.total += counts[i];
	}
	ret = chunker_digest(c, kind, &m.file_size, m.file_sha256);
	out->size = m.file_size;
	if (!ret) {
		fault_manifest(c, &m);
		ret = manifest_write(&m, &out->json, &out->len);
	}
	return ret;
}

/* The key that seals: the platform's, or for wrong-key a fresh one. */
static int sign_digest(struct cast *c, const uint8_t digest[32], uint8_t sig[SIG_LEN],
		       int other_key)
{
	uint8_t *other = NULL, pub[GROUP_POINT_LEN];
	struct rng *r = NULL;
	int ret;

	if (!other_key)
		return sig_sign(c->priv, digest, sig);
	other = secmem_alloc(32);
	ret = other ? rng_new(&r, "sceau/platform-sim/wrong-key", NULL) : ERR_NOMEM;
	if (!ret)
		ret = sig_keygen(r, other, pub);
	if (!ret)
		ret = sig_sign(other, digest, sig);
	rng_free(r);
	secmem_free(other, 32);
	return ret;
}

static int seal(struct cast *c, enum manifest_kind kind, struct sealed *out)
{
	int urn = kind == MANIFEST_KIND_URN;
	enum fault flip = urn ? FAULT_BAD_SIGNATURE : FAULT_EMARG_SIGNATURE;
	uint8_t digest[32], sig[SIG_LEN];
	int ret = make_manifest(c, kind, out);

	if (!ret)
		ret = hash_sha256(out->json, out->len, digest);
	if (!ret)
		ret = sign_digest(c, digest, sig, urn && c->o->fault == FAULT_WRONG_KEY);
	if (!ret && c->o->fault == flip) {
		flip_bit(&c->fault, sig, sizeof(sig));
		fault_note(c, "one bit of the %s's manifest.sig flipped",
			   urn ? "urn" : "émargement");
	}
	if (!ret && urn && c->o->fault == FAULT_WRONG_KEY)
		fault_note(c, "the urn is sealed with a fresh key, not the record's");
	if (!ret)
		manifest_sig_encode(sig, out->sig);
	return ret;
}

static int out_path(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, PATH_LEN, "%s/%s", dir, name) >= PATH_LEN) {
		err_detail("--out: path too long");
		return ERR_RANGE;
	}
	return 0;
}

static int write_image(struct cast *c, enum manifest_kind kind)
{
	int urn = kind == MANIFEST_KIND_URN;
	struct sealed s = { NULL, 0, { 0 }, 0 };
	struct iso_write *w = NULL;
	struct chunker ch;
	char path[PATH_LEN];
	int ret = out_path(path, c->o->out, urn ? "urn.iso" : "emargement.iso");

	if (!ret)
		ret = seal(c, kind, &s);
	if (!ret)
		ret = iso_write_open(path, urn ? "SCEAU_URNE" : "SCEAU_EMARGEMENT", &w);
	if (!ret)
		ret = iso_write_buffer(w, "manifest.json", s.json, s.len);
	if (!ret)
		ret = iso_write_buffer(w, "manifest.sig", s.sig, strlen(s.sig));
	chunker_init(&ch, c, kind);
	if (!ret)
		ret = iso_write_file(w, manifest_data_file(kind), s.size, chunk_read, &ch);
	if (!ret) {
		ret = iso_write_close(w);
		w = NULL;
	}
	iso_write_abort(w);
	free(s.json);
	return ret;
}

/* ---- expected.json ------------------------------------------------------------ */

static json_t *expected_lists(const struct scrutin *s, const struct tally *t)
{
	json_t *lists = json_array();

	for (unsigned l = 0; lists && l < s->n_lists; l++) {
		json_t *r = json_array();

		for (unsigned c0 = 0; r && c0 < s->lists[l].n_candidates; c0++)
			json_array_append_new(r, json_integer((json_int_t)t->lists[l].ratures[c0]));
		json_array_append_new(lists, json_pack("{s:I, s:I, s:o*}", "number",
						       (json_int_t)(l + 1), "ballots",
						       (json_int_t)t->lists[l].ballots,
						       "ratures", r));
	}
	return lists;
}

static json_t *expected_reasons(const struct tally *t)
{
	json_t *reasons = json_object();

	for (size_t k = 0; reasons && k < sizeof(nul_ids) / sizeof(nul_ids[0]); k++)
		json_object_set_new(reasons, nul_ids[k].id,
				    json_integer(nul_ids[k].kind < 0 ? 0 :
						 (json_int_t)t->nul_kind[nul_ids[k].kind]));
	return reasons;
}

static json_t *expected_scrutin(const struct cast *c, unsigned i)
{
	const struct scrutin *s = &c->e->scrutins[i];
	const struct tally *t = &c->tally[i];
	json_t *o;

	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I}, s:I, s:o*, s:I, s:o*}",
		      "scrutin", (json_int_t)s->id, "inscrits", (json_int_t)s->inscrits,
		      "votants", (json_int_t)t->ballots, "emargements",
		      (json_int_t)c->emarg_counts[i], "blancs", (json_int_t)t->blank,
		      "blancs_by_kind", "blank", (json_int_t)(t->blank - t->all_struck),
		      "all-struck", (json_int_t)t->all_struck, "nuls", (json_int_t)t->nul,
		      "nuls_by_reason", expected_reasons(t), "sve",
		      (json_int_t)(t->ballots - t->blank - t->nul), "lists",
		      expected_lists(s, t));
	if (o && c->o->abstain_report)
		json_object_set_new(o, "abstentions",
				    json_integer((json_int_t)s->inscrits -
						 (json_int_t)c->emarg_counts[i]));
	return o;
}

static int write_expected(const struct cast *c)
{
	char hex[65], path[PATH_LEN], *text = NULL;
	json_t *scrutins = json_array(), *root;
	int ret;

	for (unsigned i = 0; scrutins && i < c->e->n_scrutins; i++)
		json_array_append_new(scrutins, expected_scrutin(c, i));
	hex_encode(c->e->id, 32, hex);
	root = json_pack("{s:s, s:s, s:I, s:I, s:s, s:o*}", "format", EXPECTED_FORMAT,
			 "election_id", hex, "seed", (json_int_t)c->o->seed,
			 "ballots_per_scrutin", (json_int_t)(c->o->have_turnout ? 0 : c->o->ballots),
			 "fault",
			 faults[c->o->fault].name, "scrutins", scrutins);
	if (root)
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	ret = text ? out_path(path, c->o->out, "expected.json") : ERR_NOMEM;
	if (!ret) {
		size_t len = strlen(text);

		text[len] = '\n'; /* in place of the NUL: a final newline */
		ret = file_write_atomic(path, text, len + 1, 0);
	}
	free(text);
	return ret;
}

/* ---- cast ----------------------------------------------------------------------- */

static const char *const out_names[] = { "urn.iso", "emargement.iso", "expected.json" };

/* Nothing is overwritten; fail before the long part rather than after. */
static int check_out(const char *dir)
{
	char path[PATH_LEN];
	int ret = file_mkdirs(dir);

	for (size_t i = 0; !ret && i < 3; i++) {
		ret = out_path(path, dir, out_names[i]);
		if (!ret && access(path, F_OK) == 0) {
			err_detail("%s already exists", path);
			ret = ERR_EXISTS;
		}
	}
	return ret;
}

/* After a failure, no half of the output stays to be mistaken for a cast. */
static void remove_out(const char *dir)
{
	char path[PATH_LEN];

	for (size_t i = 0; i < 3; i++)
		if (out_path(path, dir, out_names[i]) == 0)
			unlink(path);
}

static void report_abstention(const struct cast *c)
{
	for (unsigned i = 0; i < c->e->n_scrutins; i++) {
		const struct scrutin *s = &c->e->scrutins[i];
		uint64_t v = c->emarg_counts[i], pm = v * 1000 / s->inscrits;

		printf("scrutin %u (%s, %s): %u inscrits, %" PRIu64 " votants, %" PRId64
		       " abstentions, participation %" PRIu64 ".%" PRIu64 " %%\n", s->id,
		       s->college, election_body_name(s->body), s->inscrits, v,
		       (int64_t)s->inscrits - (int64_t)v, pm / 10, pm % 10);
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cast_run(struct cast *c)
{
	struct timespec t0, t1;
	double sealing = 0;
	int ret = load_inputs(c);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!ret)
		ret = check_out(c->o->out);
	c->out_checked = !ret;
	if (!ret)
		ret = draw_all(c);
	if (!ret)
		ret = draw_emargement(c);
	if (!ret)
		pick_victim(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!ret)
		ret = seal_all(c);
	sealing = seconds_since(&t1);
	if (!ret)
		ret = fault_setaside(c);
	if (!ret)
		ret = order_urn(c);
	if (!ret)
		ret = write_image(c, MANIFEST_KIND_URN);
	if (!ret)
		ret = write_image(c, MANIFEST_KIND_EMARGEMENT);
	if (!ret)
		ret = write_expected(c);
	if (ret) {
		if (c->out_checked)
			remove_out(c->o->out);
		return ret;
	}
	printf("cast %zu ballots in %u scrutins with %u thread(s) in %.2f s (encryption "
	       "%.2f s): %s/urn.iso, %s/emargement.iso, %s/expected.json\n", c->n_slots,
	       c->e->n_scrutins, c->o->jobs,
	       seconds_since(&t0), sealing, c->o->out, c->o->out, c->o->out);
	if (c->o->fault != FAULT_NONE)
		printf("fault injected: %s: %s\n", faults[c->o->fault].name, c->fault_note);
	if (c->o->abstain_report)
		report_abstention(c);
	return 0;
}

static int cmd_cast(int argc, char **argv)
{
	struct cast_opts o;
	struct cast c;
	int ret = cast_parse(argc, argv, &o);

	if (ret)
		return ret;
	memset(&c, 0, sizeof(c));
	c.o = &o;
	prng_seed(&c.choices, o.seed, STREAM_CHOICES);
	prng_seed(&c.emarg, o.seed, STREAM_EMARG);
	prng_seed(&c.fault, o.seed, STREAM_FAULT);
	ret = cast_run(&c);
	cast_free(&c);
	return ret;
}

/* ---- main ------------------------------------------------------------------------- */

static const struct opt_cmd commands[] = {
	{ "keygen", cmd_keygen, "--private FILE --public FILE" },
	{ "cast", cmd_cast,
	  "--record FILE --definition FILE --private FILE --out DIR\n        (--ballots N | --turnout PERMILLE)\n"
	  "        [--seed S] [--blank PERMILLE] [--rature PERMILLE] [--nul PERMILLE]\n"
	  "        [--abstain-report] [--jobs J] [--fault KIND]" },
};

static void usage(void)
{
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  sceau-platform %s %s\n", commands[i].name, commands[i].help);
	fprintf(stderr, "fault kinds:");
	for (int f = FAULT_NONE + 1; f < FAULT_COUNT; f++)
		fprintf(stderr, " %s", faults[f].name);
	fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	const struct opt_cmd *cmd = argc < 2 ? NULL
				    : opt_cmd_find(commands, sizeof(commands) / sizeof(commands[0]),
						   argv[1]);
	int ret = cmd ? cmd->fn(argc - 1, argv + 1) : ERR_USAGE;

	if (ret == ERR_USAGE) {
		usage();
		return 2;
	}
	if (ret) {
		fprintf(stderr, "sceau-platform: error %d: %s\n", ret, err_last_detail());
		return 1;
	}
	return 0;
}
