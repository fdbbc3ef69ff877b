/*
 * sceau-simcard: makes and inspects simulated OpenPGP cards (CONFIG_CARD_SIM)
 * for tests and demos. A slot is a directory; its card is inserted while
 * SLOT/card.json exists (docs/CARD.md). Never prints a secret: no PIN hash,
 * no key, no data object content.
 *
 *   sceau-simcard new SLOT [--serial HEX8]
 *   sceau-simcard show SLOT
 *   sceau-simcard pull SLOT      card.json -> card.out.json
 *   sceau-simcard insert SLOT    card.out.json (or card.pulled.json) -> card.json
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"

#ifdef CONFIG_CARD_SIM

#include "sim/card_sim.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "lib/opt.h"
#include "crypto/rng.h"

#define PATH_LEN 4096

static int path_of(char *out, const char *slot, const char *name)
{
	if (snprintf(out, PATH_LEN, "%s/%s", slot, name) >= PATH_LEN) {
		err_detail("slot path too long");
		return ERR_RANGE;
	}
	return 0;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* rename that refuses to replace an existing card. */
static int move_card(const char *slot, const char *from, const char *to)
{
	char a[PATH_LEN], b[PATH_LEN];
	int ret;

	ret = path_of(a, slot, from);
	if (!ret)
		ret = path_of(b, slot, to);
	if (ret)
		return ret;
	if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOSYS) {
		if (link(a, b) == 0) {
			unlink(a);
			return 0;
		}
	}
	if (errno == EEXIST) {
		err_detail("%s already exists", b);
		return ERR_EXISTS;
	}
	err_detail("%s: %s", a, strerror(errno));
	return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
}

/* Typed by a person, as GnuPG prints it (upper case) or not: folded to the
 * lower case hex_decode reads. */
static int parse_serial(const char *s, uint32_t *serial)
{
	char low[9] = "";
	uint8_t b[4];

	for (size_t i = 0; i < 8 && s[i]; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	if (strlen(s) != 8 || hex_decode(low, b, 4) != 0) {
		err_detail("--serial wants 8 hex digits, got \"%s\"", s);
		return ERR_USAGE;
	}
	*serial = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int random_serial(uint32_t *serial)
{
	struct rng *r = NULL;
	uint8_t b[4];
	int ret;

	ret = rng_new(&r, "sceau-simcard/serial", NULL);
	if (!ret)
		ret = rng_bytes(r, b, sizeof(b));
	rng_free(r);
	if (!ret)
		*serial = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			  (uint32_t)b[2] << 8 | b[3];
	return ret;
}

static int cmd_new(int argc, char **argv)
{
	uint32_t serial;
	int ret;

	if (argc == 4 && strcmp(argv[2], "--serial") == 0)
		ret = parse_serial(argv[3], &serial);
	else if (argc == 2)
		ret = random_serial(&serial);
	else
		ret = ERR_USAGE;
	if (!ret)
		ret = card_sim_create(argv[1], serial);
	if (!ret)
		printf("new card %08X in %s (PW1 123456, PW3 12345678)\n",
		       (unsigned)serial, argv[1]);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	static const struct {
		const char *file, *where;
	} places[] = {
		{ CARD_SIM_CARD_FILE, "inserted" },
		{ CARD_SIM_OUT_FILE, "pulled (sceau-simcard insert puts it back)" },
		{ CARD_SIM_PULLED_FILE, "pulled by fault injection (pull-at)" },
	};
	struct card_sim_info in;
	char path[PATH_LEN], hex[33];
	size_t i;
	int ret;

	if (argc != 2)
		return ERR_USAGE;
	if (access(argv[1], X_OK) != 0) {
		err_detail("%s: %s", argv[1], strerror(errno));
		return ERR_NOTFOUND;
	}
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		ret = path_of(path, argv[1], places[i].file);
		if (ret)
			return ret;
		if (exists(path))
			break;
	}
	if (i == sizeof(places) / sizeof(places[0])) {
		printf("slot %s: empty\n", argv[1]);
		return 0;
	}
	ret = card_sim_info(path, &in);
	if (ret)
		return ret;
	hex_encode(in.aid, sizeof(in.aid), hex);
	printf("slot            %s\n", argv[1]);
	printf("card            %s\n", places[i].where);
	printf("AID             %s\n", hex);
	printf("serial          %02X%02X%02X%02X\n", in.aid[10], in.aid[11],
	       in.aid[12], in.aid[13]);
	printf("life cycle      %s\n", in.terminated ? "terminated" : "operational");
	printf("tries left      PW1 %u, RC %u, PW3 %u%s\n", in.pw1_tries,
	       in.rc_tries, in.pw3_tries, in.pw1_tries == 0 ? " (PW1 blocked)" : "");
	printf("share (DO 0103) %s\n", in.has_private[2] ? "present" : "none");
	printf("DO 0101         %s\n", in.has_private[0] ? "present" : "none");
	printf("signing key     %s\n", in.has_sig_key ? "ECDSA P-256" : "none");
	printf("signatures      %u\n", (unsigned)in.sig_count);
	ret = path_of(path, argv[1], CARD_SIM_PULL_AT_FILE);
	if (!ret && exists(path))
		printf("fault injection %s present\n", CARD_SIM_PULL_AT_FILE);
	return ret;
}

static int cmd_pull(int argc, char **argv)
{
	int ret;

	if (argc != 2)
		return ERR_USAGE;
	ret = move_card(argv[1], CARD_SIM_CARD_FILE, CARD_SIM_OUT_FILE);
	if (!ret)
		printf("card pulled from %s\n", argv[1]);
	return ret;
}

static int cmd_insert(int argc, char **argv)
{
	char path[PATH_LEN];
	int ret;

	if (argc != 2)
		return ERR_USAGE;
	ret = path_of(path, argv[1], CARD_SIM_OUT_FILE);
	if (ret)
		return ret;
	ret = move_card(argv[1], exists(path) ? CARD_SIM_OUT_FILE :
			CARD_SIM_PULLED_FILE, CARD_SIM_CARD_FILE);
	if (!ret)
		printf("card inserted in %s\n", argv[1]);
	return ret;
}

static const struct opt_cmd commands[] = {
	{ "new", cmd_new, "SLOT [--serial HEX8]  write a factory-fresh card" },
	{ "show", cmd_show, "SLOT                  what the card holds (no secret)" },
	{ "pull", cmd_pull, "SLOT                  take the card out (card.out.json)" },
	{ "insert", cmd_insert, "SLOT                  put it back (or a card.pulled.json)" },
};

static void usage(void)
{
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  sceau-simcard %-6s %s\n", commands[i].name,
			commands[i].help);
}

int main(int argc, char **argv)
{
	const struct opt_cmd *cmd = argc < 3 ? NULL
				    : opt_cmd_find(commands, sizeof(commands) / sizeof(commands[0]),
						   argv[1]);
	int ret = cmd ? cmd->fn(argc - 1, argv + 1) : ERR_USAGE;

	if (ret == ERR_USAGE && (!cmd || !*err_last_detail())) {
		usage();
		return 2;
	}
	if (ret) {
		fprintf(stderr, "sceau-simcard %s: error %d: %s\n", argv[1], ret,
			err_last_detail());
		return 1;
	}
	return 0;
}

#else

int main(void)
{
	fprintf(stderr, "sceau-simcard: this build has no simulated cards "
			"(CONFIG_CARD_SIM is not set)\n");
	return 1;
}

#endif
