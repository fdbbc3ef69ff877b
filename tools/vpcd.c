/*
 * sceau-vpcd: puts a simulated OpenPGP card (CONFIG_CARD_SIM) into a virtual
 * reader of pcscd, through vsmartcard's vpcd driver, so that programs that
 * only speak PC/SC (GnuPG's scdaemon, OpenSC, the `pcsc` transport) talk to
 * it exactly as to a real card. Tests and demos only (docs/HARDWARE.md).
 *
 *   sceau-vpcd --slot DIR [--port N] [--trace]
 *
 * vpcd's protocol over TCP: every message is a 2-byte big-endian length then
 * that many bytes. From vpcd, a 1-byte message is a command: 00 power off,
 * 01 power on, 02 reset (no answer), 04 "send the ATR" (answered with the
 * ATR). A longer message is a command APDU, answered with the response APDU.
 * An empty answer means "no card": vpcd then drops the connection and the
 * reader shows an empty slot until the next poll.
 *
 * We connect to vpcd listening on 127.0.0.1:N (DEVICENAME /dev/null:N in its
 * reader.conf), and again whenever it hangs up; never to another address.
 * vpcd binds every interface, so the tests run pcscd, vpcd and sceau-vpcd
 * in a network namespace of their own where only loopback exists. (vpcd's
 * reverse mode, DEVICENAME 127.0.0.1:N, aborts pcscd in Debian 12's 0.8.)
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lib/err.h"
#include "lib/opt.h"

#ifdef CONFIG_CARD_SIM

#include "card/card.h"
#include "sim/card_sim.h"
#include "crypto/secmem.h"

#define VPCD_PORT 35963
#define VPCD_CTRL_OFF 0x00
#define VPCD_CTRL_ON 0x01
#define VPCD_CTRL_RESET 0x02
#define VPCD_CTRL_ATR 0x04
#define VPCD_MSG_MAX 0xFFFF

/*
 * The ATR of an OpenPGP card on T=1 (like the OpenPGP card v2's,
 * 3B DA 18 FF 81 B1 FE 75 1F 03 ...), but with the simulated card's own
 * historical bytes (its DO 5F52: 00 73 C0 00 00 05 90 00): no command
 * chaining and no extended lengths. Keeping the v2 card's "73 C0 01 40"
 * would make OpenSC send extended-length APDUs, which the card refuses.
 * The last byte is TCK: T0 to TCK XOR to zero.
 */
static const uint8_t vpcd_atr[] = {
	0x3B, 0xD8, 0x18, 0xFF, 0x81, 0xB1, 0xFE, 0x75, 0x1F, 0x03,
	0x00, 0x73, 0xC0, 0x00, 0x00, 0x05, 0x90, 0x00, 0xBE
};

struct vpcd {
	struct card *card;
	int powered;
	int trace; /* --trace: each message on stderr (no APDU data: PINs) */
};

static void trace(const struct vpcd *v, const char *dir, const uint8_t *m,
		  size_t n)
{
	struct timespec ts;

	if (!v->trace)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "%ld.%03ld %s %zu bytes", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, dir, n);
	/* the header of a command, the status word of a response */
	if (n == 1 || (n >= 4 && dir[0] == '<'))
		fprintf(stderr, ": %02X %02X %02X %02X", m[0], n > 1 ? m[1] : 0,
			n > 2 ? m[2] : 0, n > 3 ? m[3] : 0);
	else if (n >= 2)
		fprintf(stderr, ": SW %02X %02X", m[n - 2], m[n - 1]);
	fputc('\n', stderr);
}

static void usage(void)
{
	fprintf(stderr, "usage: sceau-vpcd --slot DIR [--port N] [--trace]\n");
}

/* Reads exactly n bytes; 0 at a clean end of stream before any byte. */
static int read_all(int fd, uint8_t *buf, size_t n, int *eof)
{
	size_t got = 0;
	ssize_t r;

	*eof = 0;
	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && got == 0) {
			*eof = 1;
			return 0;
		}
		if (r <= 0) {
			err_detail("vpcd: connection lost in a message");
			return ERR_IO;
		}
		got += (size_t)r;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t n)
{
	ssize_t r;

	while (n) {
		r = send(fd, buf, n, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_detail("vpcd: %s", strerror(errno));
			return ERR_IO;
		}
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_msg(int fd, const struct vpcd *v, const uint8_t *data,
		    size_t n)
{
	uint8_t buf[2 + CARD_RAPDU_MAX];

	if (n > CARD_RAPDU_MAX)
		return ERR_INTERNAL;
	trace(v, ">", data, n);
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	if (n)
		memcpy(buf + 2, data, n);
	return write_all(fd, buf, n + 2);
}

/* Skips the rest of a message too long to be a short APDU. */
static int discard(int fd, size_t n)
{
	uint8_t buf[512];
	size_t k;
	int eof, ret;

	while (n) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		ret = read_all(fd, buf, k, &eof);
		if (ret || eof)
			return ret ? ret : ERR_IO;
		n -= k;
	}
	return 0;
}

static int vpcd_power_on(struct vpcd *v)
{
	int ret;

	v->powered = 0;
	if (card_present(v->card) != 1)
		return 0; /* the next ATR request tells vpcd */
	ret = card_connect(v->card);
	if (ret == ERR_CARD_ABSENT)
		return 0;
	if (!ret)
		v->powered = 1;
	return ret;
}

/* 1-byte messages. *closed is set when the answer ends the connection. */
static int vpcd_control(int fd, struct vpcd *v, uint8_t cmd, int *closed)
{
	switch (cmd) {
	case VPCD_CTRL_OFF:
		v->powered = 0;
		return 0;
	case VPCD_CTRL_ON:
	case VPCD_CTRL_RESET:
		return vpcd_power_on(v);
	case VPCD_CTRL_ATR:
		if (card_present(v->card) == 1)
			return send_msg(fd, v, vpcd_atr, sizeof(vpcd_atr));
		v->powered = 0;
		*closed = 1; /* vpcd hangs up on an empty ATR */
		return send_msg(fd, v, NULL, 0);
	default:
		err_detail("vpcd: unknown command %02X", cmd);
		return ERR_FORMAT;
	}
}

static int vpcd_apdu(int fd, struct vpcd *v, const uint8_t *capdu, size_t n,
		     int *closed)
{
	static const uint8_t wrong_length[2] = { 0x67, 0x00 };
	uint8_t rapdu[CARD_RAPDU_MAX];
	size_t rlen = sizeof(rapdu);
	int ret;

	if (n < 4 || n > CARD_APDU_MAX)
		return send_msg(fd, v, wrong_length, sizeof(wrong_length));
	if (!v->powered) {
		ret = vpcd_power_on(v);
		if (ret)
			return ret;
	}
	ret = v->powered ? card_transmit(v->card, capdu, n, rapdu, &rlen) :
			   ERR_CARD_ABSENT;
	if (ret == ERR_CARD_ABSENT) {
		/* Pulled: no answer, as from a card gone from the field. */
		v->powered = 0;
		*closed = 1;
		return send_msg(fd, v, NULL, 0);
	}
	if (!ret)
		ret = send_msg(fd, v, rapdu, rlen);
	WIPE_BUFFER(rapdu);
	return ret;
}

/* One message from vpcd; *eof at the end of the connection. */
static int vpcd_one(int fd, struct vpcd *v, int *eof)
{
	uint8_t hdr[2], msg[CARD_APDU_MAX];
	size_t n;
	int ret;

	ret = read_all(fd, hdr, 2, eof);
	if (ret || *eof)
		return ret;
	n = (size_t)hdr[0] << 8 | hdr[1];
	if (n == 0) {
		err_detail("vpcd: empty message");
		return ERR_FORMAT;
	}
	if (n > sizeof(msg)) { /* an extended APDU: not for this card */
		ret = discard(fd, n);
		return ret ? ret : vpcd_apdu(fd, v, msg, n, eof);
	}
	ret = read_all(fd, msg, n, eof);
	if (!ret && *eof) {
		err_detail("vpcd: connection lost in a message");
		ret = ERR_IO;
	}
	if (!ret)
		trace(v, "<", msg, n);
	if (!ret)
		ret = n == 1 ? vpcd_control(fd, v, msg[0], eof) :
			       vpcd_apdu(fd, v, msg, n, eof);
	WIPE_BUFFER(msg);
	return ret;
}

static int serve(int fd, struct vpcd *v)
{
	int eof = 0, ret = 0;

	v->powered = 0;
	while (!ret && !eof)
		ret = vpcd_one(fd, v, &eof);
	close(fd);
	return ret;
}

static void loopback(struct sockaddr_in *sa, unsigned port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* vpcd listens; we connect, and again whenever it hangs up. */
static int run_connect(struct vpcd *v, unsigned port)
{
	struct sockaddr_in sa;
	int fd, one = 1, ret;

	loopback(&sa, port);
	for (;;) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err_detail("socket: %s", strerror(errno));
			return ERR_IO;
		}
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			pause_ms(200);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		ret = serve(fd, v);
		if (ret)
			fprintf(stderr, "sceau-vpcd: %s\n", err_last_detail());
		err_clear();
		pause_ms(100);
	}
}

struct vpcd_args {
	const char *slot;
	unsigned port;
	int trace;
};

static int parse_args(int argc, char **argv, struct vpcd_args *a)
{
	const struct opt opts[] = {
		OPT_BOOL("trace", &a->trace), OPT_STR("slot", &a->slot),
		OPT_NUM("port", &a->port, 1, 65535),
	};
	int ret;

	a->slot = NULL;
	a->port = VPCD_PORT;
	a->trace = 0;
	ret = opt_parse(argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	if (!ret && !a->slot)
		ret = ERR_USAGE;
	return ret;
}

int main(int argc, char **argv)
{
	struct vpcd_args a;
	struct vpcd v = { NULL, 0, 0 };
	int ret;

	signal(SIGPIPE, SIG_IGN);
	ret = parse_args(argc, argv, &a);
	if (ret) {
		if (*err_last_detail())
			fprintf(stderr, "sceau-vpcd: %s\n", err_last_detail());
		usage();
		return 2;
	}
	v.trace = a.trace;
	ret = card_open(card_transport("sim"), a.slot, &v.card);
	if (!ret)
		ret = run_connect(&v, a.port);
	fprintf(stderr, "sceau-vpcd: error %d: %s\n", ret, err_last_detail());
	card_close(v.card);
	return 1;
}

#else

int main(void)
{
	fprintf(stderr, "sceau-vpcd: this build has no simulated card "
		"(CONFIG_CARD_SIM)\n");
	return 1;
}

#endif
