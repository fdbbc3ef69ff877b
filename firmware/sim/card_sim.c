/*
 * The `sim` transport: a slot is a directory, the card is inserted while
 * <slot>/card.json exists. Each APDU loads the card file, runs the command
 * (card_sim_pgp.c) and saves the file atomically if the card changed, so that
 * a pull between two APDUs behaves like a real one. The access status lives
 * in the handle, as on a real card it lives in RAM: it is lost at connect and
 * whenever the card disappears. A card file replaced behind the handle's back
 * (pulled and reinserted, or another card) counts as a removal, the way
 * PC/SC reports a reset card: the caller must connect again.
 *
 * Fault injection: if <slot>/pull-at holds N, the N-th APDU transmitted
 * since open is not run; card.json becomes card.pulled.json instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/card_sim.h"
#include "sim/card_sim_int.h"
#include "lib/err.h"
#include "lib/file.h"
#include "crypto/secmem.h"

enum card_sim_link {
	CARD_SIM_IDLE, /* not connected yet */
	CARD_SIM_UP,   /* connected to the card file dev/ino */
	CARD_SIM_LOST  /* the card went away since connect */
};

struct card_sim {
	struct card base; /* first: struct card * converts to this */
	char dir[CARD_SIM_PATH_MAX];
	unsigned long napdu;
	enum card_sim_link link;
	struct card_sim_id id;
	struct card_sim_session ss;
};

static struct card_sim *card_sim_of(struct card *c)
{
	return (struct card_sim *)c;
}

static void card_sim_lose(struct card_sim *s)
{
	memset(&s->ss, 0, sizeof(s->ss));
	if (s->link == CARD_SIM_UP)
		s->link = CARD_SIM_LOST;
}

static int card_sim_open(const char *spec, struct card **out)
{
	struct card_sim *s;
	struct stat sb;
	size_t n;

	*out = NULL;
	if (!spec || !*spec) {
		err_detail("sim: no slot directory given");
		return ERR_USAGE;
	}
	n = strlen(spec);
	if (n >= sizeof(s->dir) - 64) {
		err_detail("sim: slot path too long");
		return ERR_RANGE;
	}
	if (stat(spec, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		err_detail("sim: %s is not a slot directory", spec);
		return ERR_NOTFOUND;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	s->base.ops = &card_sim_ops;
	memcpy(s->dir, spec, n + 1);
	/* The label is the slot path, shortened from the left if needed. */
	if (n >= sizeof(s->base.label))
		snprintf(s->base.label, sizeof(s->base.label), "...%s",
			 spec + n - (sizeof(s->base.label) - 4));
	else
		memcpy(s->base.label, spec, n + 1);
	*out = &s->base;
	return 0;
}

static int card_sim_card_path(const struct card_sim *s, char *path, size_t cap)
{
	return card_sim_path(path, cap, s->dir, CARD_SIM_CARD_FILE);
}

static int card_sim_present(struct card *c)
{
	struct card_sim *s = card_sim_of(c);
	char path[CARD_SIM_PATH_MAX];
	struct stat sb;
	int ret;

	ret = card_sim_card_path(s, path, sizeof(path));
	if (ret)
		return ret;
	if (stat(path, &sb) == 0) {
		if (S_ISREG(sb.st_mode))
			return 1;
	} else if (errno != ENOENT) {
		err_detail("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	card_sim_lose(s);
	return 0;
}

static int card_sim_connect(struct card *c)
{
	struct card_sim *s = card_sim_of(c);
	char path[CARD_SIM_PATH_MAX];
	struct stat sb;
	int ret;

	memset(&s->ss, 0, sizeof(s->ss));
	ret = card_sim_card_path(s, path, sizeof(path));
	if (ret)
		return ret;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		card_sim_lose(s);
		err_detail("%s: no card in the slot", s->dir);
		return ERR_CARD_ABSENT;
	}
	card_sim_id_of(&sb, &s->id);
	s->link = CARD_SIM_UP;
	return 0;
}

/* 0: no fault planned; N > 0: pull at the N-th APDU. */
static int card_sim_pull_at(const struct card_sim *s, unsigned long *n)
{
	char path[CARD_SIM_PATH_MAX], buf[33], *end;
	ssize_t len;
	int fd, ret;

	*n = 0;
	ret = card_sim_path(path, sizeof(path), s->dir, CARD_SIM_PULL_AT_FILE);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0; /* the usual case: no fault planned */
	if (fd < 0) {
		err_detail("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	do {
		len = read(fd, buf, sizeof(buf) - 1);
	} while (len < 0 && errno == EINTR);
	close(fd);
	if (len < 0) {
		err_detail("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	buf[len] = '\0';
	errno = 0;
	*n = strtoul(buf, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
		end++;
	if (buf[0] < '0' || buf[0] > '9' || errno || *n == 0 || *end ||
	    (size_t)len == sizeof(buf) - 1) {
		*n = 0;
		err_detail("%s: not a positive integer", path);
		return ERR_FORMAT;
	}
	return 0;
}

static int card_sim_pull(struct card_sim *s)
{
	char from[CARD_SIM_PATH_MAX], to[CARD_SIM_PATH_MAX];
	int ret;

	ret = card_sim_card_path(s, from, sizeof(from));
	if (!ret)
		ret = card_sim_path(to, sizeof(to), s->dir, CARD_SIM_PULLED_FILE);
	if (ret)
		return ret;
	if (rename(from, to) < 0 && errno != ENOENT) {
		err_detail("%s: %s", from, strerror(errno));
		return ERR_IO;
	}
	card_sim_lose(s);
	err_detail("%s: card pulled (fault injection at APDU %lu)", s->dir,
		   s->napdu);
	return ERR_CARD_ABSENT;
}

/* Opens the card file and checks that it is the card we connected to. */
static int card_sim_open_card(struct card_sim *s, int *fd)
{
	char path[CARD_SIM_PATH_MAX];
	struct card_sim_id id;
	struct stat sb;
	int ret;

	ret = card_sim_card_path(s, path, sizeof(path));
	if (ret)
		return ret;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		if (errno != ENOENT) {
			err_detail("%s: %s", path, strerror(errno));
			return ERR_IO;
		}
		card_sim_lose(s);
		err_detail("%s: card pulled", s->dir);
		return ERR_CARD_ABSENT;
	}
	if (fstat(*fd, &sb) == 0)
		card_sim_id_of(&sb, &id);
	else
		memset(&id, 0, sizeof(id));
	if (!card_sim_id_same(&id, &s->id)) {
		close(*fd);
		*fd = -1;
		card_sim_lose(s);
		err_detail("%s: card pulled and reinserted since connect", s->dir);
		return ERR_CARD_ABSENT;
	}
	return 0;
}

static int card_sim_transmit(struct card *c, const uint8_t *capdu, size_t clen,
			     uint8_t *rapdu, size_t *rlen)
{
	struct card_sim *s = card_sim_of(c);
	struct card_sim_state *st = NULL;
	uint8_t resp[CARD_RAPDU_MAX];
	unsigned long pull_at;
	size_t n = 0;
	int fd = -1, dirty = 0, ret;

	s->napdu++;
	if (s->link != CARD_SIM_UP) {
		err_detail("%s: %s", s->dir, s->link == CARD_SIM_LOST ?
			   "card pulled since connect" : "not connected");
		return s->link == CARD_SIM_LOST ? ERR_CARD_ABSENT : ERR_STATE;
	}
	ret = card_sim_pull_at(s, &pull_at);
	if (ret)
		return ret;
	if (pull_at == s->napdu)
		return card_sim_pull(s);
	ret = card_sim_open_card(s, &fd);
	if (ret)
		return ret;
	st = malloc(sizeof(*st));
	if (!st) {
		ret = ERR_NOMEM;
		goto out;
	}
	ret = card_sim_state_load_fd(fd, CARD_SIM_CARD_FILE, st);
	if (ret)
		goto out;
	card_sim_process(st, &s->ss, capdu, clen, resp, &n, &dirty);
	if (dirty) {
		ret = card_sim_state_save(s->dir, CARD_SIM_CARD_FILE, st, 0,
					  &s->id);
		if (ret == ERR_CARD_ABSENT)
			card_sim_lose(s);
		if (ret)
			goto out;
	}
	if (n > *rlen) {
		err_detail("sim: response of %zu bytes, buffer of %zu", n, *rlen);
		ret = ERR_RANGE;
		goto out;
	}
	memcpy(rapdu, resp, n);
	*rlen = n;
out:
	if (st) {
		secmem_wipe(st, sizeof(*st));
		free(st);
	}
	WIPE_BUFFER(resp);
	if (fd >= 0)
		close(fd);
	return ret;
}

static void card_sim_close(struct card *c)
{
	struct card_sim *s = card_sim_of(c);

	secmem_wipe(s, sizeof(*s));
	free(s);
}

const struct card_ops card_sim_ops = {
	.name = "sim",
	.open = card_sim_open,
	.present = card_sim_present,
	.connect = card_sim_connect,
	.transmit = card_sim_transmit,
	.close = card_sim_close,
};

/* A slot holds a card if any of its card files exists, inserted or not. */
static int card_sim_slot_busy(const char *dir)
{
	static const char *const names[] = {
		CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE, CARD_SIM_PULLED_FILE
	};
	char path[CARD_SIM_PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (card_sim_path(path, sizeof(path), dir, names[i]) != 0)
			return ERR_RANGE;
		if (access(path, F_OK) == 0) {
			err_detail("%s already exists", path);
			return ERR_EXISTS;
		}
	}
	return 0;
}

int card_sim_create(const char *slot_dir, uint32_t serial)
{
	static const uint8_t prefix[10] = {
		0xD2, 0x76, 0x00, 0x01, 0x24, 0x01, /* RID + OpenPGP */
		0x03, 0x04,                         /* version 3.4 */
		0xFF, 0xFE                          /* test manufacturer range */
	};
	struct card_sim_state *st;
	int ret;

	if (!slot_dir || !*slot_dir || strlen(slot_dir) >= CARD_SIM_PATH_MAX - 64) {
		err_detail("sim: bad slot directory");
		return ERR_USAGE;
	}
	ret = file_mkdirs(slot_dir);
	if (!ret)
		ret = card_sim_slot_busy(slot_dir);
	if (ret)
		return ret;
	st = calloc(1, sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	memcpy(st->aid, prefix, sizeof(prefix));
	st->aid[10] = (uint8_t)(serial >> 24);
	st->aid[11] = (uint8_t)(serial >> 16);
	st->aid[12] = (uint8_t)(serial >> 8);
	st->aid[13] = (uint8_t)serial;
	ret = card_sim_factory(st);
	if (!ret)
		ret = card_sim_state_save(slot_dir, CARD_SIM_CARD_FILE, st, 1,
					  NULL);
	secmem_wipe(st, sizeof(*st));
	free(st);
	return ret;
}

int card_sim_info(const char *card_file, struct card_sim_info *info)
{
	struct card_sim_state *st;
	int ret;

	memset(info, 0, sizeof(*info));
	st = malloc(sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	ret = card_sim_state_load(card_file, st);
	if (ret)
		goto out;
	memcpy(info->aid, st->aid, sizeof(info->aid));
	info->terminated = st->terminated;
	info->pw1_tries = st->pw1.tries;
	info->rc_tries = st->rc.tries;
	info->pw3_tries = st->pw3.tries;
	for (int i = 0; i < 4; i++)
		info->has_private[i] = st->do_len[CARD_SIM_DO_0101 + i] != 0;
	info->has_sig_key = st->has_key;
	info->sig_attr_p256 = card_sim_attr_p256(
		st->do_val[CARD_SIM_DO_ALGO_SIG],
		st->do_len[CARD_SIM_DO_ALGO_SIG], 0x13);
	info->sig_count = st->sig_count;
out:
	secmem_wipe(st, sizeof(*st));
	free(st);
	return ret;
}
