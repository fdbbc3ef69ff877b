/* libFuzzer target: the verifier's v2 checks (verify_pass.c,
 * verify_shuffle.c, verify_decrypted.c: the urn's proofs of knowledge and
 * set-aside rule, the shuffle proofs in full, the decryptions) on the worked
 * vectors of tests/data/v2-formats, with the input's changes applied to
 * ballots.bin, shuffle-1.bin, shuffle-2.bin or ballots-decrypted.bin: a list
 * of (u8 file, u16be offset, u8 xor) quadruples. Whatever the bytes, the
 * checks must return (no crash, no hang, no leak under ASan), and as soon as
 * a byte differs from the original, a check must fail (the urn is checked
 * against the platform's manifest of the original, as in an archive). The
 * vectors are found from SCEAU_TOP, else from the program's path upwards. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "count/tally.h"
#include "crypto/checks.h"
#include "crypto/hash.h"
#include "lib/file.h"
#include "lib/hex.h"
#include "verify/verify_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_FILES 4
static const char *const fz_names[FZ_FILES] = {
	"ballots.bin", "shuffle-1.bin", "shuffle-2.bin", "ballots-decrypted.bin",
};
static uint8_t *fz_orig[FZ_FILES], *fz_buf[FZ_FILES];
static size_t fz_len[FZ_FILES];
static struct election *fz_e;
static uint8_t fz_pk[65];
static char fz_dir[4096], fz_vec[4096];

/* The directory of the vectors: SCEAU_TOP, or the first parent of this
 * program that has them. */
static void fz_find(void)
{
	char exe[4096], p[4400];
	const char *top = getenv("SCEAU_TOP");
	ssize_t n;

	if (top) {
		snprintf(fz_vec, sizeof(fz_vec), "%s/tests/data/v2-formats", top);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		abort();
	exe[n] = '\0';
	for (int up = 0; up < 8; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash || slash == exe)
			break;
		*slash = '\0';
		snprintf(p, sizeof(p), "%s/tests/data/v2-formats/election.json", exe);
		if (access(p, R_OK) == 0) {
			snprintf(fz_vec, sizeof(fz_vec), "%s/tests/data/v2-formats", exe);
			return;
		}
	}
	abort();
}

static void fz_write(int f, const uint8_t *d)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", fz_dir, fz_names[f]);
	if (file_write_atomic(p, d, fz_len[f], 1) != 0)
		abort();
}

static void fz_setup(void)
{
	char p[4200];
	json_t *x;

	fz_find();
	snprintf(p, sizeof(p), "%s/election.json", fz_vec);
	if (election_load(p, &fz_e) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/expected.json", fz_vec);
	x = json_load_file(p, 0, NULL);
	if (!x || hex_decode(json_string_value(json_object_get(x, "public_key")), fz_pk, 65) != 0)
		abort();
	json_decref(x);
	snprintf(fz_dir, sizeof(fz_dir), "%s/sceau-fuzz-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fz_dir))
		abort();
	for (int f = 0; f < FZ_FILES; f++) {
		snprintf(p, sizeof(p), "%s/%s", fz_vec, fz_names[f]);
		if (file_read_all(p, 1u << 20, &fz_orig[f], &fz_len[f]) != 0)
			abort();
		fz_buf[f] = malloc(fz_len[f]);
		if (!fz_buf[f])
			abort();
	}
}

/* The three checks as verify_archive runs them; 1 if any failed. */
static int fz_run(void)
{
	struct verify_opts o;
	struct vctx *c = calloc(1, sizeof(*c));
	struct vurn *u = NULL;
	int bad;

	memset(&o, 0, sizeof(o));
	o.jobs = 1;
	o.seed_set = 1;
	if (!c || !(c->r = calloc(1, sizeof(*c->r))))
		abort();
	c->o = &o;
	c->ck = crypto_checks_default();
	snprintf(c->dir, sizeof(c->dir), "%s", fz_dir);
	c->e = fz_e;
	c->record_ok = 1;
	memcpy(c->rec.election_id, fz_e->id, 32);
	memcpy(c->rec.pub.pk, fz_pk, 65);
	c->urn_man_ok = 1;
	c->urn_man.kind = MANIFEST_KIND_URN;
	c->urn_man.file_size = fz_len[0];
	hash_sha256(fz_orig[0], fz_len[0], c->urn_man.file_sha256);
	c->urn_man.total = 11;
	c->urn_man.n_scrutins = 2;
	c->urn_man.counts[0] = 7;
	c->urn_man.counts[1] = 4;
	if (verify_urn_begin(c, &u) != 0)
		abort();
	verify_urn_end(u, verify_urn_feed(fz_buf[0], fz_len[0], u));
	vdone(c, VERIFY_URN_BALLOTS);
	verify_shuffles(c);
	verify_decrypted(c);
	bad = 0;
	for (int id = 0; id < VERIFY_CHECK_COUNT; id++)
		bad |= c->r->checks[id].status == VERIFY_FAIL;
	verify_ballots_free(c);
	for (unsigned i = 0; i < ELECTION_MAX_SCRUTINS; i++)
		tally_free(c->tallies[i]);
	free(c->r);
	free(c);
	return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	int changed = 0;

	if (!ready) {
		fz_setup();
		ready = 1;
	}
	for (int f = 0; f < FZ_FILES; f++)
		memcpy(fz_buf[f], fz_orig[f], fz_len[f]);
	for (size_t i = 0; i + 4 <= size && i < 4 * 16; i += 4) {
		int f = data[i] % FZ_FILES;
		size_t off = ((size_t)data[i + 1] << 8 | data[i + 2]) % fz_len[f];
		fz_buf[f][off] ^= data[i + 3];
	}
	for (int f = 0; f < FZ_FILES; f++) {
		changed |= memcmp(fz_buf[f], fz_orig[f], fz_len[f]) != 0;
		if (f > 0)
			fz_write(f, fz_buf[f]);
	}
	if (fz_run() != changed)
		abort(); /* a change that passed, or the original refused */
	return 0;
}
