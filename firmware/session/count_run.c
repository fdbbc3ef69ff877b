/* The counting session: cards, key, decryption; see count_run.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/cancel.h"
#include "session/count_run.h"
#include "session/session.h"
#include "session/decrypt.h"
#include "lib/err.h"
#include "lib/pool.h"
#include "store/journal.h"
#include "format/record.h"
#include "session/share_read.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"
#include "format/shuffle_file.h"
#include "lib/hex.h"
#include "store/store.h"
#include "ui/msg.h"
#include "ui/ui.h"

#ifndef CONFIG_PROOFS
#define CONFIG_PROOFS 0
#endif

struct cnt_secrets {
	uint8_t shares[SHAMIR_MAX][32];
	uint8_t secret[32];
};

struct cnt {
	const struct counting_opts *o;
	struct ui *u;
	struct session s;
	struct card *cards[SHAMIR_MAX];
	unsigned idx[SHAMIR_MAX];    /* share index read from cards[i], 0 if none */
	unsigned n_good;
	struct cnt_secrets *sec;
	uint64_t started_done;
	uint64_t total;              /* ballots in the shuffled lists */
	struct decrypt_list lists[ELECTION_MAX_SCRUTINS];
	char list_paths[ELECTION_MAX_SCRUTINS][SESSION_PATH_MAX + 40];
	unsigned n_lists;
	int refused;                 /* why the last card was refused (0: none) */
	int told;                    /* the failure was already said to the bureau */
	char path[4096];
};

/* One shuffle of the session: its file must be the one the import
 * recorded (N and SHA-256), or the count would decrypt another list. */
static int cnt_shuffle(unsigned scrutin, uint32_t n, const char *sha256_hex, void *arg)
{
	struct cnt *c = arg;
	struct decrypt_list *l = &c->lists[c->n_lists];
	char name[SHUFFLE_FILE_NAME_MAX], *path = c->list_paths[c->n_lists];
	uint8_t sha[32], want[32];
	uint64_t size = 0;
	int ret;

	if (c->n_lists >= ELECTION_MAX_SCRUTINS || !election_scrutin(c->s.e, (uint16_t)scrutin)) {
		err_detail("session.db: a shuffle of scrutin %u, which does not exist", scrutin);
		return ERR_FORMAT;
	}
	shuffle_file_name((uint16_t)scrutin, name);
	snprintf(path, sizeof(c->list_paths[0]), "%s/%s", c->s.dir, name);
	ret = hex_decode(sha256_hex, want, 32);
	if (!ret)
		ret = hash_file(path, sha, &size);
	if (!ret && (memcmp(sha, want, 32) != 0 || size != shuffle_file_size(n))) {
		err_detail("%s is not the shuffle file the import recorded", path);
		ret = ERR_VERIFY;
	}
	if (ret)
		return ret;
	l->scrutin = (uint16_t)scrutin;
	l->n = n;
	l->path = path;
	c->n_lists++;
	c->total += n;
	return 0;
}

/* The stored ballots must be the ones the urn's manifest declared (a
 * session database that lost a chunk would otherwise count fewer), and
 * every ballot kept must be in a shuffled list. */
static int cnt_total(struct cnt *c)
{
	uint64_t declared = 0, stored = 0, aside = 0;
	int ret = store_ballot_count(c->s.db, &stored);

	if (!ret)
		ret = store_counts_ballots(c->s.db, &declared);
	if (!ret && stored != declared) {
		err_detail("session.db holds %llu ballots, the imported urn declared %llu",
			   (unsigned long long)stored, (unsigned long long)declared);
		ret = ERR_FORMAT;
	}
	if (!ret)
		ret = store_count_rows(c->s.db, "set_aside", &aside);
	if (!ret)
		ret = store_shuffles_each(c->s.db, cnt_shuffle, c);
	if (!ret && c->total + aside != stored) {
		err_detail("session.db: %llu ballots shuffled and %llu set aside, of %llu",
			   (unsigned long long)c->total, (unsigned long long)aside,
			   (unsigned long long)stored);
		ret = ERR_FORMAT;
	}
	return ret;
}

/* A count cut off after its last batch of ballots was stored, before the
 * phase said so: every ballot is decrypted, no card is needed any more. */
static int cnt_all_decrypted(struct cnt *c)
{
	uint64_t n = 0;
	int ret = store_count_rows(c->s.db, "decrypted", &n);

	if (ret || c->s.phase != PHASE_DECRYPTING || n != c->total)
		return ret;
	return session_advance(&c->s, PHASE_DECRYPTED, "decrypt.done",
			       "ballots=%llu threads=0", (unsigned long long)n);
}

static int cnt_open(struct cnt *c)
{
	int ret = session_open(&c->s, c->o->session_dir, PHASE_CMD_COUNT, c->u);

	c->told = ret != 0; /* session_open() says its refusals */
	if (!ret)
		ret = cnt_total(c);
	return ret ? ret : cnt_all_decrypted(c);
}

static int cnt_card_ready(void *arg)
{
	return card_present(arg);
}

/* One reader: wait for its card, read and check the share. A failure is
 * reported with the reason and the reader is left out. */
static int cnt_read_card(struct cnt *c, unsigned i)
{
	uint8_t *share = c->sec->shares[c->n_good];
	int ret;

	ret = card_open(c->o->transport, c->o->slots[i], &c->cards[i]);
	if (!ret)
		ret = ui_wait(c->u, cnt_card_ready, c->cards[i], msg(MSG_CARD_INSERT_ANY),
			      c->cards[i]->label);
	if (!ret)
		ret = card_connect(c->cards[i]);
	if (!ret)
		ret = share_read(c->cards[i], &c->s.rec, c->u, &c->idx[i], share);
	for (unsigned j = 0; !ret && j < i; j++)
		if (c->idx[j] == c->idx[i]) {
			ui_say(c->u, UI_ERROR, msg(MSG_COUNT_SAME_CARD), c->cards[i]->label);
			err_detail("share %u presented twice", c->idx[i]);
			ret = ERR_CARD_DUP;
		}
	if (ret) {
		struct err_saved e;
		err_save(&e);
		c->idx[i] = 0;
		c->refused = ret;
		secmem_wipe(share, 32);
		ui_say(c->u, UI_WARN, msg(MSG_COUNT_CARD_FAILED),
		       c->cards[i] ? c->cards[i]->label : c->o->slots[i], msg_err(ret), e.text);
		journal_append(c->s.db, "count.card-refused", "reader=%s error=%d detail=%s",
			       c->cards[i] ? c->cards[i]->label : c->o->slots[i], ret, e.detail);
		err_restore(&e);
		return ret;
	}
	c->n_good++;
	ui_say(c->u, UI_OK, msg(MSG_COUNT_CARD_OK), c->idx[i],
	       c->s.rec.cards[c->idx[i] - 1].member.first_name,
	       c->s.rec.cards[c->idx[i] - 1].member.last_name);
	return journal_append(c->s.db, "count.card-accepted", "share=%u reader=%s", c->idx[i],
			      c->cards[i]->label);
}

static int cnt_rebuild_key(struct cnt *c)
{
	unsigned idx[SHAMIR_MAX], k = 0;
	int ret;

	ui_say(c->u, UI_STEP, "%s", msg(MSG_STEP_COUNT_CARDS));
	for (unsigned i = 0; i < c->o->n_slots && c->n_good < c->s.rec.pub.t; i++)
		cnt_read_card(c, i);
	/* The cause is the last card's refusal (each was named as it came):
	 * a blocked PIN or a card of another election is not a missing card. */
	if (c->n_good < c->s.rec.pub.t) {
		ui_say(c->u, UI_ERROR, msg(MSG_COUNT_NOT_ENOUGH), c->s.rec.pub.t, c->n_good);
		err_detail("%u valid card(s) for a threshold of %u", c->n_good, c->s.rec.pub.t);
		c->told = 1;
		return c->refused ? c->refused : ERR_CARD_ABSENT;
	}
	for (unsigned i = 0; i < c->o->n_slots; i++)
		if (c->idx[i])
			idx[k++] = c->idx[i];
	ret = shamir_combine(k, idx, c->sec->shares, c->sec->secret);
	secmem_wipe(c->sec->shares, sizeof(c->sec->shares));
	if (!ret)
		ret = shamir_check_secret(c->s.rec.pub.pk, c->sec->secret);
	if (ret) {
		err_detail("the shares do not rebuild the election key");
		return ret;
	}
	ui_say(c->u, UI_OK, "%s", msg(MSG_COUNT_KEY_OK));
	return journal_append(c->s.db, "count.key-rebuilt", "cards=%u", k);
}

/* Between batches: the cards that gave their share must still be there. */
static int cnt_check(void *arg)
{
	struct cnt *c = arg;
	unsigned present = 0;

	if (cancel_requested) {
		err_detail("interrupted");
		return ERR_CANCELLED;
	}
	for (unsigned i = 0; i < c->o->n_slots; i++)
		if (c->idx[i] && card_present(c->cards[i]) == 1)
			present++;
	if (present < c->s.rec.pub.t) {
		err_detail("%u card(s) still inserted, %u needed", present, c->s.rec.pub.t);
		return ERR_CARD_ABSENT;
	}
	return 0;
}

static void cnt_progress(uint64_t done, uint64_t total, void *arg)
{
	struct cnt *c = arg;

	ui_progress(c->u, done, total, done == total);
}

static int cnt_decrypt(struct cnt *c)
{
	struct decrypt_job j;
	uint64_t total = c->total, done = 0;
	unsigned threads = 0;
	int ret = 0;

	memset(&j, 0, sizeof(j));
	j.secret = c->sec->secret;
	j.pk = c->s.rec.pub.pk;
	j.e = c->s.e;
	j.lists = c->lists;
	j.n_lists = c->n_lists;
	j.jobs = c->o->jobs ? c->o->jobs : pool_default_jobs();
	j.proofs = CONFIG_PROOFS;
	j.db = c->s.db;
	j.total = total;
	j.check = cnt_check;
	j.check_arg = c;
	j.progress = cnt_progress;
	j.progress_arg = c;
	store_count_rows(c->s.db, "decrypted", &c->started_done);
	ui_progress_start(c->u, UI_UNIT_DECRYPTED, c->started_done);
	ui_say(c->u, UI_STEP, msg(MSG_STEP_DECRYPT), (unsigned long long)total, j.jobs);
#define CNT_START_FMT "from=%llu total=%llu jobs=%u proofs=%d"
	if (c->s.phase == PHASE_SHUFFLED)
		ret = session_advance(&c->s, PHASE_DECRYPTING, "decrypt.start", CNT_START_FMT,
				      (unsigned long long)c->started_done,
				      (unsigned long long)total, j.jobs, j.proofs);
	else /* a decryption resumed */
		ret = journal_append(c->s.db, "decrypt.start", CNT_START_FMT,
				     (unsigned long long)c->started_done,
				     (unsigned long long)total, j.jobs, j.proofs);
#undef CNT_START_FMT
	if (ret) {
		secmem_wipe(c->sec->secret, sizeof(c->sec->secret));
		return ret;
	}
	ret = decrypt_run(&j, &done, &threads);
	/* The key is wiped as soon as decryption ends, whatever the outcome. */
	secmem_wipe(c->sec->secret, sizeof(c->sec->secret));
	if (ret) {
		struct err_saved e;
		err_save(&e);
		ui_progress(c->u, done, total, 1);
		journal_append(c->s.db, "decrypt.paused", "done=%llu threads=%u error=%d detail=%s",
			       (unsigned long long)done, threads, ret, e.detail);
		err_restore(&e);
		if (ret == ERR_CARD_ABSENT || ret == ERR_CANCELLED) {
			ui_say(c->u, UI_WARN, msg(MSG_COUNT_PAUSED), (unsigned long long)done,
			       (unsigned long long)total);
			c->told = 1;
		}
		return ret;
	}
	ui_say(c->u, UI_OK, msg(MSG_COUNT_DECRYPTED), (unsigned long long)done);
	return session_advance(&c->s, PHASE_DECRYPTED, "decrypt.done", "ballots=%llu threads=%u",
			       (unsigned long long)done, threads);
}

static void cnt_free(struct cnt *c)
{
	for (unsigned i = 0; i < SHAMIR_MAX; i++)
		card_close(c->cards[i]);
	secmem_free(c->sec, sizeof(*c->sec));
	session_close(&c->s);
}

int counting_run(const struct counting_opts *o, struct ui *u)
{
	struct cnt c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.u = u;
	err_clear();
	c.sec = secmem_alloc(sizeof(*c.sec));
	ret = c.sec ? 0 : ERR_NOMEM;
	if (!ret && !o->transport) {
		err_detail("no card transport is compiled into this build");
		ret = ERR_USAGE;
	}
	if (!ret)
		ret = cnt_open(&c);
	/* Once every ballot is decrypted, no card is needed any more: a count
	 * stopped before its results were written goes straight to them. */
	if (!ret && c.s.phase != PHASE_DECRYPTED)
		ret = cnt_rebuild_key(&c);
	if (!ret && c.s.phase != PHASE_DECRYPTED)
		ret = cnt_decrypt(&c);
	if (!ret)
		ret = counting_tally(&c.s, u);
	if (ret && !c.told)
		session_say_error(u, ret);
	cnt_free(&c);
	return ret;
}
