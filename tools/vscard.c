/*
 * sceau-vscard: puts a simulated OpenPGP card (CONFIG_CARD_SIM) behind
 * QEMU's emulated USB CCID reader, so that the box image booted in QEMU
 * drives it with its own `ccid` libusb driver exactly as a real reader
 * (tests/image/test_image_boot.sh; docs/BOX.md). Tests only.
 *
 *   sceau-vscard --socket PATH --slot DIR [--trace]
 *
 * QEMU side: -device usb-ccid,id=R -device ccid-card-passthru,bus=R.0,
 * chardev=C -chardev socket,id=C,path=PATH,server=on,wait=off. The
 * passthru card speaks the VSCard protocol on that chardev (libcacard's
 * vscard_common.h): every message is a 12-byte header, three 32-bit
 * big-endian words (type, reader id, payload length), then the payload.
 * Types: 1 Init (magic "VSCD", version 2, capabilities), 2 Error (a
 * 32-bit code, 0 for success: QEMU's acknowledgement), 3 ReaderAdd,
 * 4 ReaderRemove, 5 ATR (the card inserted), 6 CardRemove, 7 APDU (from
 * QEMU a command, from us its response).
 *
 * We connect to QEMU's unix socket, say Init, add the reader, and then
 * follow the slot directory: while DIR/card.json exists the card is in
 * (ATR sent; `sceau-simcard pull`/`insert` take it out and put it back,
 * the reader tells the box as a real one would), and each command APDU is
 * answered by the simulated card. QEMU's reader answers the box's power-on
 * with the ATR we gave it, without telling us: the card's session is
 * reset when it is (re)inserted. Reconnects whenever QEMU hangs up.
 *
 * QEMU 7.2's reader announces T=0 only, at TPDU level, and passes each
 * command TPDU on as it is. So the card is a T=0 card (its ATR says so,
 * with the simulated card's historical bytes), and answers as one: a case 4
 * command arrives without its Le, and the data it gives are announced as
 * 61xx and handed out by GET RESPONSE (ISO/IEC 7816-3 §12.2, 7816-4 §5.3).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "lib/opt.h"

#ifdef CONFIG_CARD_SIM

#include "card/card.h"
#include "sim/card_sim.h"
#include "crypto/secmem.h"

enum {
	VSC_INIT = 1, VSC_ERROR, VSC_READER_ADD, VSC_READER_REMOVE, VSC_ATR,
	VSC_CARD_REMOVE, VSC_APDU
};
#define VSC_VERSION 2u
#define VSC_HDR 12
#define VSC_READER 0u
#define VSC_POLL_MS 200

/* A T=0 card's ATR (T0 = 08: no interface byte, so T=0 alone and no TCK)
 * with the simulated card's historical bytes (its DO 5F52). */
static const uint8_t vsc_atr[] = {
	0x3B, 0x08, 0x00, 0x73, 0xC0, 0x00, 0x00, 0x05, 0x90, 0x00
};

struct vsc {
	struct card *card;
	int fd;
	uint8_t held[CARD_RAPDU_MAX]; /* data waiting for GET RESPONSE, then SW */
	size_t held_len, held_pos;
	int inserted;  /* what QEMU's reader was last told */
	int powered;   /* the simulated card's session is open */
	int trace;     /* --trace: message types and status words, never data */
};

static void vsc_trace(const struct vsc *v, const char *dir, uint32_t type, const uint8_t *p,
		      uint32_t n)
{
	if (!v->trace)
		return;
	fprintf(stderr, "vscard %s type %u len %u", dir, type, n);
	if (type == VSC_APDU && n >= 2 && dir[0] == '>')
		fprintf(stderr, " SW %02X%02X", p[n - 2], p[n - 1]);
	fputc('\n', stderr);
}

static void vsc_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t vsc_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int vsc_send(struct vsc *v, uint32_t type, const uint8_t *payload, uint32_t n)
{
	uint8_t buf[VSC_HDR + CARD_RAPDU_MAX];
	int ret;

	if (n > CARD_RAPDU_MAX)
		return ERR_INTERNAL;
	vsc_trace(v, ">", type, payload, n);
	vsc_put32(buf, type);
	vsc_put32(buf + 4, VSC_READER);
	vsc_put32(buf + 8, n);
	if (n)
		memcpy(buf + VSC_HDR, payload, n);
	ret = file_write_all(v->fd, buf, VSC_HDR + n);
	WIPE_BUFFER(buf);
	return ret;
}

static int vsc_read_all(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_detail("vscard: QEMU hung up");
			return ERR_IO;
		}
		got += (size_t)r;
	}
	return 0;
}

/* Tells QEMU's reader whether a card is in, when that changed. */
static int vsc_follow(struct vsc *v)
{
	int in = card_present(v->card) == 1;

	if (in == v->inserted)
		return 0;
	v->inserted = in;
	v->powered = 0;
	v->held_len = v->held_pos = 0;
	if (in)
		return vsc_send(v, VSC_ATR, vsc_atr, sizeof(vsc_atr));
	return vsc_send(v, VSC_CARD_REMOVE, NULL, 0);
}

/* GET RESPONSE: the next part of the held answer, then its status word. */
static int vsc_get_response(struct vsc *v, uint8_t le)
{
	uint8_t out[258];
	size_t left = v->held_len - 2 - v->held_pos, n = le ? le : 256;

	if (n > left)
		n = left;
	memcpy(out, v->held + v->held_pos, n);
	v->held_pos += n;
	left -= n;
	if (left) {
		out[n] = 0x61;
		out[n + 1] = (uint8_t)(left > 255 ? 0 : left);
	} else {
		out[n] = v->held[v->held_len - 2];
		out[n + 1] = v->held[v->held_len - 1];
		v->held_len = v->held_pos = 0;
		WIPE_BUFFER(v->held);
	}
	return vsc_send(v, VSC_APDU, out, (uint32_t)n + 2);
}

/* A command TPDU. Case 3 and 4 commands both arrive with data and no Le:
 * when the card answers with data, it is held and announced as 61xx. */
static int vsc_apdu(struct vsc *v, const uint8_t *capdu, uint32_t n)
{
	static const uint8_t mute[2] = { 0x6F, 0x00 };
	uint8_t rapdu[CARD_RAPDU_MAX];
	size_t rlen = sizeof(rapdu);
	int ret = 0;

	if (n == 5 && capdu[1] == 0xC0 && v->held_len)
		return vsc_get_response(v, capdu[4]);
	v->held_len = v->held_pos = 0;
	if (!v->powered) {
		ret = card_connect(v->card);
		v->powered = ret == 0;
	}
	if (!ret && n >= 4 && n <= CARD_APDU_MAX)
		ret = card_transmit(v->card, capdu, n, rapdu, &rlen);
	if (ret == ERR_CARD_ABSENT) {
		v->powered = 0;
		return vsc_follow(v); /* pulled in the middle: the reader sees it go */
	}
	if (!ret && n > 5 && rlen > 2) {
		memcpy(v->held, rapdu, rlen);
		v->held_len = rlen;
		rapdu[0] = 0x61;
		rapdu[1] = (uint8_t)(rlen - 2 > 255 ? 0 : rlen - 2);
		rlen = 2;
	}
	ret = ret ? vsc_send(v, VSC_APDU, mute, sizeof(mute)) :
		    vsc_send(v, VSC_APDU, rapdu, (uint32_t)rlen);
	WIPE_BUFFER(rapdu);
	return ret;
}

/* One message from QEMU. */
static int vsc_one(struct vsc *v)
{
	uint8_t hdr[VSC_HDR], *p = NULL;
	uint32_t type, n;
	int ret = vsc_read_all(v->fd, hdr, sizeof(hdr));

	if (ret)
		return ret;
	type = vsc_get32(hdr);
	n = vsc_get32(hdr + 8);
	if (n > 65536) {
		err_detail("vscard: a message of %u bytes", n);
		return ERR_FORMAT;
	}
	p = malloc(n ? n : 1);
	if (!p)
		return ERR_NOMEM;
	ret = vsc_read_all(v->fd, p, n);
	if (!ret)
		vsc_trace(v, "<", type, p, n);
	if (!ret && type == VSC_APDU)
		ret = vsc_apdu(v, p, n);
	if (!ret && type == VSC_ERROR && n >= 4 && vsc_get32(p) != 0)
		fprintf(stderr, "sceau-vscard: QEMU reports error %u\n", vsc_get32(p));
	secmem_wipe(p, n);
	free(p);
	return ret;
}

static int vsc_hello(struct vsc *v)
{
	uint8_t init[12] = { 'V', 'S', 'C', 'D' };
	int ret;

	vsc_put32(init + 4, VSC_VERSION);
	ret = vsc_send(v, VSC_INIT, init, sizeof(init));
	if (!ret)
		ret = vsc_send(v, VSC_READER_ADD, NULL, 0);
	v->inserted = 0;
	v->powered = 0;
	return ret ? ret : vsc_follow(v);
}

static int vsc_serve(struct vsc *v)
{
	struct pollfd pfd = { .fd = v->fd, .events = POLLIN };
	int ret = vsc_hello(v), r;

	while (!ret) {
		r = poll(&pfd, 1, VSC_POLL_MS);
		if (r < 0 && errno != EINTR) {
			err_detail("poll: %s", strerror(errno));
			return ERR_IO;
		}
		if (r > 0)
			ret = vsc_one(v);
		if (!ret)
			ret = vsc_follow(v);
	}
	return ret;
}

static void vsc_pause(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* QEMU listens on the socket; we connect, and again whenever it hangs up. */
static int vsc_run(struct vsc *v, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		err_detail("%s: socket path too long", path);
		return ERR_USAGE;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		v->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (v->fd < 0) {
			err_detail("socket: %s", strerror(errno));
			return ERR_IO;
		}
		if (connect(v->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && vsc_serve(v) &&
		    v->trace)
			fprintf(stderr, "sceau-vscard: %s\n", err_last_detail());
		close(v->fd);
		err_clear();
		vsc_pause(200);
	}
}

int main(int argc, char **argv)
{
	const char *socket_path = NULL, *slot = NULL;
	struct vsc v;
	const struct opt opts[] = {
		OPT_STR("socket", &socket_path), OPT_STR("slot", &slot),
		OPT_BOOL("trace", &v.trace),
	};
	int ret;

	memset(&v, 0, sizeof(v));
	v.fd = -1;
	signal(SIGPIPE, SIG_IGN);
	ret = opt_parse(argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	if (ret || !socket_path || !slot) {
		if (*err_last_detail())
			fprintf(stderr, "sceau-vscard: %s\n", err_last_detail());
		fprintf(stderr, "usage: sceau-vscard --socket PATH --slot DIR [--trace]\n");
		return 2;
	}
	ret = card_open(card_transport("sim"), slot, &v.card);
	if (!ret)
		ret = vsc_run(&v, socket_path);
	fprintf(stderr, "sceau-vscard: error %d: %s\n", ret, err_last_detail());
	card_close(v.card);
	return 1;
}

#else

int main(void)
{
	fprintf(stderr, "sceau-vscard: this build has no simulated card (CONFIG_CARD_SIM)\n");
	return 1;
}

#endif
