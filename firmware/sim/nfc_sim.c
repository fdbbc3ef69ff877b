/*
 * The `nfc-sim` transport: a simulated libnfc (struct card_nfc_dev) with one
 * reader whose field holds the simulated card of a slot directory, under
 * the very engine the `nfc` transport uses (card_nfc.c). Options and faults:
 * sim/nfc_sim.h and docs/HARDWARE.md.
 *
 * The field is modelled as ISO 14443 cards behave: switching it on
 * (nfc_initiator_init) powers every card up in the IDLE state; a selection
 * activates one IDLE card (and powers the simulated card's session up:
 * card_sim connect); a deselection halts it, and a halted or active card
 * answers no new selection until the field is switched off and on again or
 * the card leaves and comes back. A card that left (card.json gone, or
 * replaced: another file, or the same pulled and put back) has lost power.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/nfc_sim.h"
#include "sim/card_sim.h"
#include "card/nfc_dev.h"
#include "lib/err.h"
#include "crypto/secmem.h"

#define CARD_NFC_SIM_DIR_MAX 4000
#define CARD_NFC_SIM_CONN_PREFIX "sceau_nfcsim:"
#define CARD_NFC_SIM_READERS_MAX 4
#define CARD_NFC_SIM_SLOW_MAX 600000ul

struct card_nfc_sim_stats card_nfc_sim_stats;

struct card_nfc_sim_conf {
	char dir[CARD_NFC_SIM_DIR_MAX];
	unsigned long readers, rferr, slow_ms, unplug;
	int second, nodep, randuid;
};

/* The file of the card in the field: which one, to notice a swap. */
struct card_nfc_sim_id {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
};

/* Stands for nfc_context. */
struct card_nfc_sim_ctx {
	struct card_nfc_sim_conf conf;
};

/* Stands for nfc_device. Target 0 is the slot's card, 1 the second card. */
struct card_nfc_sim_dev {
	const struct card_nfc_sim_conf *conf;
	struct card *card; /* the sim transport on the slot */
	int infinite, auto4, easy; /* NP_INFINITE_SELECT, _AUTO_ISO14443_4, _EASY_FRAMING */
	int active;       /* -1, 0 or 1 */
	int halted[2];
	int in;              /* target 0 was in the field at the last look */
	struct card_nfc_sim_id id; /* of card.json when target 0 was powered */
	unsigned long power_ups, exchanges, inits;
	int last_error;
};

/*
 * nfc_init() has libnfc's signature, with no room for a slot: the transport's
 * open() leaves the parsed spec here for the duration of the engine's open.
 */
static _Thread_local const struct card_nfc_sim_conf *card_nfc_sim_pending;

static struct card_nfc_sim_dev *card_nfc_sim_of(const nfc_device *pnd)
{
	return (struct card_nfc_sim_dev *)(void *)(uintptr_t)pnd;
}

static void card_nfc_sim_init(nfc_context **ctx)
{
	struct card_nfc_sim_ctx *x = NULL;

	if (card_nfc_sim_pending)
		x = calloc(1, sizeof(*x));
	if (x) {
		x->conf = *card_nfc_sim_pending;
		card_nfc_sim_stats.inits++;
	}
	*ctx = (nfc_context *)(void *)x;
}

static void card_nfc_sim_exit(nfc_context *ctx)
{
	card_nfc_sim_stats.exits++;
	free(ctx);
}

static size_t card_nfc_sim_list_devices(nfc_context *ctx, nfc_connstring conns[],
					size_t len)
{
	const struct card_nfc_sim_ctx *x = (const struct card_nfc_sim_ctx *)(void *)ctx;
	size_t i;

	for (i = 0; i < x->conf.readers && i < len; i++)
		snprintf(conns[i], sizeof(conns[i]), CARD_NFC_SIM_CONN_PREFIX "%zu", i);
	return i;
}

static nfc_device *card_nfc_sim_open(nfc_context *ctx, const nfc_connstring conn)
{
	const struct card_nfc_sim_ctx *x = (const struct card_nfc_sim_ctx *)(void *)ctx;
	size_t plen = strlen(CARD_NFC_SIM_CONN_PREFIX);
	struct card_nfc_sim_dev *d;

	if (strncmp(conn, CARD_NFC_SIM_CONN_PREFIX, plen) != 0 || conn[plen] < '0' ||
	    conn[plen] > '9' || conn[plen + 1] || (unsigned long)(conn[plen] - '0') >=
	    x->conf.readers)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->conf = &x->conf;
	d->active = -1;
	if (card_sim_ops.open(x->conf.dir, &d->card) != 0) {
		free(d);
		return NULL;
	}
	card_nfc_sim_stats.opens++;
	return (nfc_device *)(void *)d;
}

static void card_nfc_sim_close(nfc_device *pnd)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);

	card_nfc_sim_stats.closes++;
	card_sim_ops.close(d->card);
	free(d);
}

static int card_nfc_sim_fail(struct card_nfc_sim_dev *d, int code)
{
	d->last_error = code;
	return code;
}

static int card_nfc_sim_initiator_init(nfc_device *pnd)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);

	card_nfc_sim_stats.field_resets++;
	/* unplug=N: the reader is gone from its N-th setting up on. */
	if (d->conf->unplug && ++d->inits >= d->conf->unplug)
		return card_nfc_sim_fail(d, NFC_ENOTSUCHDEV);
	d->infinite = 1; /* as libnfc's nfc_initiator_init */
	d->auto4 = 1;
	d->easy = 1;
	d->active = -1;
	d->halted[0] = d->halted[1] = 0;
	d->power_ups++;
	d->last_error = 0;
	return 0;
}

/* Every card in the field loses power, hence its session. */
static void card_nfc_sim_field_off(struct card_nfc_sim_dev *d)
{
	card_nfc_sim_stats.field_offs++;
	d->active = -1;
	d->halted[0] = d->halted[1] = 0;
	d->power_ups++;
}

static int card_nfc_sim_set_property_bool(nfc_device *pnd, const nfc_property p,
					  const bool on)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);

	if (p == NP_INFINITE_SELECT)
		d->infinite = on;
	else if (p == NP_AUTO_ISO14443_4)
		d->auto4 = on;
	else if (p == NP_EASY_FRAMING)
		d->easy = on;
	else if (p == NP_ACTIVATE_FIELD && !on)
		card_nfc_sim_field_off(d);
	return 0;
}

/* 1 if the slot holds a card, with the identity of its file. */
static int card_nfc_sim_card_file(const struct card_nfc_sim_dev *d,
				  struct card_nfc_sim_id *id)
{
	char path[CARD_NFC_SIM_DIR_MAX + 32];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", d->conf->dir, CARD_SIM_CARD_FILE);
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	id->dev = sb.st_dev;
	id->ino = sb.st_ino;
	id->ctime = sb.st_ctim;
	return 1;
}

static int card_nfc_sim_same(const struct card_nfc_sim_id *a,
			     const struct card_nfc_sim_id *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/*
 * Brings the model up to date with the slot: a card that left or was
 * swapped lost power (it is IDLE again if it came back). 1 if in the field.
 */
static int card_nfc_sim_refresh(struct card_nfc_sim_dev *d)
{
	struct card_nfc_sim_id id;
	int in = card_nfc_sim_card_file(d, &id);

	if (in != d->in || (in && !card_nfc_sim_same(&id, &d->id))) {
		d->active = -1;
		d->halted[0] = d->halted[1] = 0;
		d->power_ups++;
		d->in = in;
		if (in)
			d->id = id;
	}
	return in;
}

static void card_nfc_sim_uid(const struct card_nfc_sim_dev *d, int idx, uint8_t *uid,
			     size_t *len)
{
	char path[CARD_NFC_SIM_DIR_MAX + 32];
	struct card_sim_info info;

	if (idx == 1) {
		memcpy(uid, "\x5C\x00\x00\xEE\xEE\xEE\xEE", 7);
		*len = 7;
	} else if (d->conf->randuid) {
		uid[0] = 0x08; /* ISO 14443-3: a random UID */
		uid[1] = (uint8_t)(d->power_ups * 37u + 11u);
		uid[2] = (uint8_t)(d->power_ups >> 8);
		uid[3] = (uint8_t)(d->power_ups * 101u);
		*len = 4;
	} else {
		snprintf(path, sizeof(path), "%s/%s", d->conf->dir, CARD_SIM_CARD_FILE);
		if (card_sim_info(path, &info) != 0)
			memset(&info, 0, sizeof(info));
		memcpy(uid, "\x5C\x00\x00", 3);
		memcpy(uid + 3, info.aid + 10, 4);
		*len = 7;
	}
}

/* What a PN53x reports of target idx once selected. */
static void card_nfc_sim_fill(const struct card_nfc_sim_dev *d, int idx, nfc_target *t)
{
	static const uint8_t ats[] = { 0x78, 0x80, 0x70, 0x02, 0x00, 0x73,
				       0xC0, 0x00, 0x00, 0x05, 0x90, 0x00 };
	uint8_t uid[CARD_NFC_UID_MAX];
	size_t len;

	memset(t, 0, sizeof(*t));
	t->nm.nmt = NMT_ISO14443A;
	t->nm.nbr = NBR_106;
	card_nfc_sim_uid(d, idx, uid, &len);
	memcpy(t->nti.nai.abtUid, uid, len);
	t->nti.nai.szUidLen = len;
	t->nti.nai.abtAtqa[1] = len == 7 ? 0x44 : 0x04;
	if (idx == 0 && d->conf->nodep) {
		t->nti.nai.btSak = 0x08; /* MIFARE Classic 1K */
		return;
	}
	t->nti.nai.btSak = 0x20;
	if (d->auto4) {
		memcpy(t->nti.nai.abtAts, ats, sizeof(ats));
		t->nti.nai.szAtsLen = sizeof(ats);
	}
}

static int card_nfc_sim_target_in_field(struct card_nfc_sim_dev *d, int idx)
{
	int in = card_nfc_sim_refresh(d);

	return idx == 0 ? in : in && d->conf->second;
}

static int card_nfc_sim_select(nfc_device *pnd, const nfc_modulation nm,
			       const uint8_t *init, const size_t init_len, nfc_target *pnt)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);

	card_nfc_sim_stats.selects++;
	if (nm.nmt != NMT_ISO14443A || nm.nbr != NBR_106 || init || init_len ||
	    d->infinite) {
		card_nfc_sim_stats.bad++; /* an infinite select would hang here */
		return card_nfc_sim_fail(d, NFC_EINVARG);
	}
	for (int i = 0; i < 2; i++) {
		if (!card_nfc_sim_target_in_field(d, i) || d->halted[i] || d->active == i)
			continue;
		if (d->active >= 0)
			d->halted[d->active] = 1;
		d->active = i;
		if (i == 0 && card_sim_ops.connect(d->card) != 0) {
			d->active = -1; /* gone between the look and the power-up */
			return card_nfc_sim_fail(d, NFC_ERFTRANS);
		}
		if (pnt)
			card_nfc_sim_fill(d, i, pnt);
		return 1;
	}
	return 0;
}

static int card_nfc_sim_deselect(nfc_device *pnd)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);

	card_nfc_sim_stats.deselects++;
	if (d->active >= 0)
		d->halted[d->active] = 1;
	d->active = -1;
	return 0;
}

/* As libnfc: select, remember, deselect, until nothing new answers. */
static int card_nfc_sim_list(nfc_device *pnd, const nfc_modulation nm, nfc_target ant[],
			     const size_t sz)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);
	int saved = d->infinite, r;
	size_t n = 0;

	card_nfc_sim_stats.lists++;
	d->infinite = 0;
	while (n < sz && (r = card_nfc_sim_select(pnd, nm, NULL, 0, &ant[n])) > 0) {
		n++;
		if (n < sz)
			card_nfc_sim_deselect(pnd);
	}
	d->infinite = saved;
	return (int)n;
}

static int card_nfc_sim_is_present(nfc_device *pnd, const nfc_target *pnt)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);
	nfc_target now;

	card_nfc_sim_stats.presence_checks++;
	/* The look at the slot may find the active card gone (active = -1). */
	if (d->active < 0 || !card_nfc_sim_target_in_field(d, d->active) || d->active < 0)
		return card_nfc_sim_fail(d, NFC_ETGRELEASED);
	card_nfc_sim_fill(d, d->active, &now);
	if (now.nti.nai.szUidLen != pnt->nti.nai.szUidLen ||
	    memcmp(now.nti.nai.abtUid, pnt->nti.nai.abtUid, now.nti.nai.szUidLen) != 0)
		return card_nfc_sim_fail(d, NFC_ETGRELEASED);
	return NFC_SUCCESS;
}

/* Runs one command on the slot's card; the card's save may change its file. */
static int card_nfc_sim_run(struct card_nfc_sim_dev *d, const uint8_t *tx, size_t tx_len,
			    uint8_t *rx, size_t rx_len)
{
	size_t n = rx_len;
	int ret;

	ret = card_sim_ops.transmit(d->card, tx, tx_len, rx, &n);
	if (ret == 0) {
		card_nfc_sim_stats.commands_run++;
		card_nfc_sim_card_file(d, &d->id);
	}
	if (ret == ERR_CARD_ABSENT) {
		d->active = -1; /* pulled during the exchange: nobody answers */
		return NFC_ETIMEOUT;
	}
	if (ret == ERR_RANGE)
		return NFC_EOVFLOW;
	return ret ? NFC_EIO : (int)n;
}

static int card_nfc_sim_transceive(nfc_device *pnd, const uint8_t *tx, const size_t tx_len,
				   uint8_t *rx, const size_t rx_len, int timeout)
{
	struct card_nfc_sim_dev *d = card_nfc_sim_of(pnd);
	int r;

	card_nfc_sim_stats.exchanges++;
	card_nfc_sim_stats.last_timeout = timeout;
	d->exchanges++;
	if (timeout <= 0 || !d->easy)
		card_nfc_sim_stats.bad++; /* 0: wait for ever; raw frames, no ISO-DEP */
	if (d->active < 0)
		return card_nfc_sim_fail(d, NFC_ETGRELEASED);
	/* The second card is never talked to; a card gone or swapped is silent. */
	if (d->active != 0 || !card_nfc_sim_target_in_field(d, 0) || d->active != 0)
		return card_nfc_sim_fail(d, NFC_ETIMEOUT);
	r = card_nfc_sim_run(d, tx, tx_len, rx, rx_len);
	if (r >= 0 && d->exchanges == d->conf->rferr)
		r = NFC_ERFTRANS;
	else if (r >= 0 && timeout > 0 && d->conf->slow_ms > (unsigned long)timeout)
		r = NFC_ETIMEOUT;
	if (r < 0) {
		secmem_wipe(rx, rx_len);
		return card_nfc_sim_fail(d, r);
	}
	return r;
}

static const char *card_nfc_sim_strerror(const nfc_device *pnd)
{
	switch (card_nfc_sim_of(pnd)->last_error) {
	case 0:
		return "Success";
	case NFC_ETIMEOUT:
		return "Operation timed-out (simulated)";
	case NFC_ERFTRANS:
		return "RF Transmission Error (simulated)";
	case NFC_ETGRELEASED:
		return "Target Released (simulated)";
	case NFC_EOVFLOW:
		return "Buffer Overflow (simulated)";
	default:
		return "Error (simulated)";
	}
}

static const char *card_nfc_sim_name(nfc_device *pnd)
{
	return card_nfc_sim_of(pnd)->conf->dir;
}

static const struct card_nfc_dev card_nfc_sim_libnfc = {
	.init = card_nfc_sim_init,
	.exit = card_nfc_sim_exit,
	.list_devices = card_nfc_sim_list_devices,
	.open = card_nfc_sim_open,
	.close = card_nfc_sim_close,
	.initiator_init = card_nfc_sim_initiator_init,
	.device_set_property_bool = card_nfc_sim_set_property_bool,
	.initiator_list_passive_targets = card_nfc_sim_list,
	.initiator_select_passive_target = card_nfc_sim_select,
	.initiator_transceive_bytes = card_nfc_sim_transceive,
	.initiator_target_is_present = card_nfc_sim_is_present,
	.initiator_deselect_target = card_nfc_sim_deselect,
	.strerror = card_nfc_sim_strerror,
	.device_get_name = card_nfc_sim_name,
};

static int card_nfc_sim_number(const char *v, unsigned long min, unsigned long max,
			       unsigned long *out)
{
	char *end;

	if (*v < '0' || *v > '9')
		return ERR_USAGE;
	errno = 0;
	*out = strtoul(v, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return ERR_USAGE;
	return 0;
}

/* One option "name" or "name=value" (opt is NUL-terminated). */
static int card_nfc_sim_option(struct card_nfc_sim_conf *c, char *opt)
{
	char *v = strchr(opt, '=');

	if (v)
		*v++ = '\0';
	if (!v && strcmp(opt, "second") == 0)
		c->second = 1;
	else if (!v && strcmp(opt, "nodep") == 0)
		c->nodep = 1;
	else if (!v && strcmp(opt, "randuid") == 0)
		c->randuid = 1;
	else if (v && strcmp(opt, "readers") == 0)
		return card_nfc_sim_number(v, 0, CARD_NFC_SIM_READERS_MAX, &c->readers);
	else if (v && strcmp(opt, "rferr") == 0)
		return card_nfc_sim_number(v, 1, 1000000, &c->rferr);
	else if (v && strcmp(opt, "unplug") == 0)
		return card_nfc_sim_number(v, 1, 1000000, &c->unplug);
	else if (v && strcmp(opt, "slow") == 0)
		return card_nfc_sim_number(v, 0, CARD_NFC_SIM_SLOW_MAX, &c->slow_ms);
	else
		return ERR_USAGE;
	return 0;
}

/* [OPTION[,OPTION...]:]DIR; options never hold a '/'. */
static int card_nfc_sim_parse(const char *spec, struct card_nfc_sim_conf *c)
{
	const char *colon = strchr(spec, ':'), *slash = strchr(spec, '/');
	char opts[128], *p, *next;
	int ret;

	memset(c, 0, sizeof(*c));
	c->readers = 1;
	if (colon && (!slash || colon < slash)) {
		if ((size_t)(colon - spec) >= sizeof(opts))
			return ERR_USAGE;
		memcpy(opts, spec, (size_t)(colon - spec));
		opts[colon - spec] = '\0';
		for (p = opts; p; p = next) {
			next = strchr(p, ',');
			if (next)
				*next++ = '\0';
			ret = card_nfc_sim_option(c, p);
			if (ret)
				return ret;
		}
		spec = colon + 1;
	}
	if (!*spec || strlen(spec) >= sizeof(c->dir))
		return ERR_USAGE;
	memcpy(c->dir, spec, strlen(spec) + 1);
	return 0;
}

static int card_nfc_sim_transport_open(const char *spec, struct card **out)
{
	struct card_nfc_sim_conf *conf;
	int ret;

	*out = NULL;
	conf = calloc(1, sizeof(*conf));
	if (!conf)
		return ERR_NOMEM;
	ret = card_nfc_sim_parse(spec ? spec : "", conf);
	if (ret) {
		err_detail("nfc-sim: \"%s\": give [OPTION,...:]SLOT_DIR, options "
			   "readers=N rferr=N slow=MS unplug=N second nodep randuid", spec ? spec : "");
		goto out;
	}
	card_nfc_sim_pending = conf;
	ret = card_nfc_open_with(&card_nfc_sim_libnfc, &card_nfc_sim_ops, "", out);
	card_nfc_sim_pending = NULL;
out:
	free(conf);
	return ret;
}

const struct card_ops card_nfc_sim_ops = {
	.name = "nfc-sim",
	.open = card_nfc_sim_transport_open,
	.present = card_nfc_present,
	.connect = card_nfc_connect,
	.transmit = card_nfc_transmit,
	.close = card_nfc_close,
};
