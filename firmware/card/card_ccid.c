/*
 * The `ccid` transport: USB CCID readers and tokens driven directly with
 * libusb, no daemon (docs/HARDWARE.md). connect() is a cold start like the
 * other transports': power off, power on, read and check the ATR, set the
 * protocol parameters unless the reader does it itself, and at TPDU level
 * tell the card our IFSD. Short-APDU-level readers get whole APDUs in one
 * XfrBlock; TPDU-level readers get T=1 blocks (ccid_t1.c), or T=0 command
 * TPDUs when neither the card nor the reader speaks T=1. A card removed,
 * unpowered or mute, or a reader unplugged, is ERR_CARD_ABSENT until the
 * next connect(); close() powers the card off so that our PIN status does
 * not outlive us.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card/card_ccid.h"
#include "card/ccid_atr.h"
#include "card/ccid_reader.h"
#include "lib/err.h"
#include "crypto/secmem.h"

#define CARD_CCID_SPEC_MAX 64

struct card_ccid {
	struct card base; /* first: struct card * converts to this */
	struct ccid_reader *r;
	uint8_t slot;
	int powered;
	int lost; /* removed, unpowered or unplugged since connect */
	int tpdu; /* T=1 blocks through ccid_t1 */
	int t0;   /* T=0 command TPDUs (a TPDU-level reader, a T=0 card) */
	struct ccid_atr atr;
	struct ccid_t1 t1;
};

static struct card_ccid *card_ccid_of(struct card *c)
{
	return (struct card_ccid *)c;
}

/* Splits "DEV#SLOT" into the device spec and the slot number. */
static int card_ccid_split(const char *spec, char *dev, size_t cap, uint8_t *slot)
{
	const char *hash = strchr(spec, '#');
	size_t n = hash ? (size_t)(hash - spec) : strlen(spec);
	unsigned v = 0;

	*slot = 0;
	if (n >= cap) {
		err_detail("ccid: reader spec too long");
		return ERR_USAGE;
	}
	memcpy(dev, spec, n);
	dev[n] = '\0';
	if (!hash)
		return 0;
	if (!hash[1] || strlen(hash + 1) > 2)
		goto bad;
	for (const char *p = hash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v >= CCID_SLOTS_MAX)
		goto bad;
	*slot = (uint8_t)v;
	return 0;
bad:
	err_detail("ccid: \"%s\": the slot after # must be a number 0-15", spec);
	return ERR_USAGE;
}

int card_ccid_open_with(const struct usb_ops *usb, libusb_context *ctx,
			const struct card_ops *ops, const char *spec,
			struct card **out)
{
	char dev[CARD_CCID_SPEC_MAX];
	struct card_ccid *s;
	uint8_t slot;
	int ret;

	*out = NULL;
	ret = card_ccid_split(spec ? spec : "", dev, sizeof(dev), &slot);
	if (ret) {
		usb->exit(ctx);
		return ret;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		usb->exit(ctx);
		return ERR_NOMEM;
	}
	s->base.ops = ops;
	s->slot = slot;
	ret = ccid_reader_get(usb, ctx, dev, &s->r);
	if (!ret && slot > s->r->d.max_slot) {
		err_detail("ccid: the reader has no slot %u", slot);
		ret = ERR_NOTFOUND;
	}
	if (ret) {
		ccid_reader_put(s->r);
		free(s);
		return ret;
	}
	snprintf(s->base.label, sizeof(s->base.label),
		 "CCID %04x:%04x bus %u addr %u slot %u", s->r->vid, s->r->pid,
		 s->r->bus, s->r->addr, slot);
	*out = &s->base;
	return 0;
}

static void card_ccid_lose(struct card_ccid *s)
{
	if (s->powered)
		s->lost = 1;
}

int card_ccid_present(struct card *c)
{
	struct card_ccid *s = card_ccid_of(c);
	static const uint8_t p[3] = { 0, 0, 0 };
	struct ccid_resp resp;
	size_t n;
	int ret;

	ccid_reader_poll(s->r);
	if (s->r->changed & (1u << s->slot)) {
		s->r->changed &= (uint16_t)~(1u << s->slot);
		card_ccid_lose(s);
	}
	ret = ccid_reader_cmd(s->r, s->slot, CCID_PC_GET_SLOT_STATUS, p, NULL, 0,
			      NULL, 0, &n, &resp);
	if (ret == ERR_CARD_ABSENT) {
		card_ccid_lose(s); /* the reader went away: no card in it */
		return 0;
	}
	if (ret)
		return ret;
	if (resp.type != CCID_RDR_SLOT_STATUS) {
		err_detail("CCID: GetSlotStatus answered by %02X", resp.type);
		return ERR_CARD_PROTO;
	}
	if (resp.icc == CCID_ICC_ABSENT) {
		card_ccid_lose(s);
		return 0;
	}
	if (resp.icc == CCID_ICC_INACTIVE)
		card_ccid_lose(s);
	return 1;
}

/* Runs a command and checks the answer's type and status. */
static int card_ccid_cmd(struct card_ccid *s, uint8_t type, const uint8_t p[3],
			 const uint8_t *data, size_t dlen, uint8_t want,
			 uint8_t *out, size_t cap, size_t *outlen)
{
	struct ccid_resp resp;
	int ret;

	ret = ccid_reader_cmd(s->r, s->slot, type, p, data, dlen, out, cap,
			      outlen, &resp);
	if (!ret && resp.cmd == CCID_CMD_FAILED)
		ret = ccid_reader_status_err(s->r, &resp);
	if (!ret && resp.type != want) {
		err_detail("CCID: command %02X answered by %02X", type, resp.type);
		ret = ERR_CARD_PROTO;
	}
	if (!ret && want == CCID_RDR_DATA_BLOCK && resp.param != 0) {
		/* bChainParameter: the reader's own chaining of long answers,
		 * which short APDUs never need. */
		err_detail("CCID: chained answer (bChainParameter %02X)", resp.param);
		ret = ERR_CARD_PROTO;
	}
	if (ret == ERR_CARD_ABSENT)
		card_ccid_lose(s);
	return ret;
}

static int card_ccid_power_on(struct card_ccid *s)
{
	static const uint8_t off[3] = { 0, 0, 0 }, on[3] = { 0, 0, 0 };
	uint8_t atr[CCID_ATR_MAX + 1];
	size_t n;
	int ret;

	s->powered = 0;
	ret = card_ccid_cmd(s, CCID_PC_ICC_POWER_OFF, off, NULL, 0,
			    CCID_RDR_SLOT_STATUS, NULL, 0, &n);
	if (ret == ERR_CARD_ABSENT && s->r->gone)
		return ret;
	ret = card_ccid_cmd(s, CCID_PC_ICC_POWER_ON, on, NULL, 0,
			    CCID_RDR_DATA_BLOCK, atr, sizeof(atr), &n);
	if (!ret)
		ret = ccid_atr_parse(atr, n, &s->atr);
	return ret;
}

/* SetParameters (§6.1.7) from the ATR, for readers that do not do it. */
static int card_ccid_set_params(struct card_ccid *s, int t1)
{
	const struct ccid_atr *a = &s->atr;
	uint8_t p[3] = { (uint8_t)t1, 0, 0 }, d[7], back[16];
	int inverse = a->raw[0] == 0x3F;
	uint8_t fd = a->ta1;
	size_t n;

	if (s->r->d.features & CCID_FEAT_AUTO_PARAMS)
		return 0;
	/* Without automatic PPS the card stays at the default rate. */
	if (!(s->r->d.features & (CCID_FEAT_AUTO_PPS_PROP | CCID_FEAT_AUTO_PPS_CUR)))
		fd = 0x11;
	d[0] = fd;
	if (t1) {
		d[1] = (uint8_t)(0x10 | (a->edc_crc ? 1 : 0) | (inverse ? 2 : 0));
		d[2] = a->tc1;
		d[3] = a->bwi_cwi;
		d[4] = 0;
		d[5] = a->ifsc;
		d[6] = 0;
	} else {
		d[1] = (uint8_t)(inverse ? 2 : 0);
		d[2] = a->tc1;
		d[3] = a->has_tc2 ? a->tc2 : 10;
		d[4] = 0;
	}
	return card_ccid_cmd(s, CCID_PC_SET_PARAMETERS, p, d, t1 ? 7 : 5,
			     CCID_RDR_PARAMETERS, back, sizeof(back), &n);
}

static int card_ccid_t1_xfr(void *arg, const uint8_t *blk, size_t n, uint8_t wtx,
			    uint8_t *resp, size_t cap, size_t *rn)
{
	struct card_ccid *s = arg;
	uint8_t p[3] = { wtx, 0, 0 };

	return card_ccid_cmd(s, CCID_PC_XFR_BLOCK, p, blk, n, CCID_RDR_DATA_BLOCK,
			     resp, cap, rn);
}

static uint64_t card_ccid_t1_now(void *arg)
{
	struct card_ccid *s = arg;

	return ccid_reader_now_ms(s->r);
}

/* Chooses the protocol: T=1 when both sides can, else T=0 at APDU level. */
static int card_ccid_protocol(struct card_ccid *s)
{
	const struct ccid_desc *d = &s->r->d;
	int t1 = (s->atr.protocols & CCID_ATR_T1) && (d->protocols & 2);
	int ret;

	if (!t1 && !((s->atr.protocols & CCID_ATR_T0) && (d->protocols & 1))) {
		err_detail("CCID: the card and the reader share no protocol");
		return ERR_CARD_PROTO;
	}
	ret = card_ccid_set_params(s, t1);
	if (ret || d->level != CCID_LEVEL_TPDU)
		return ret;
	if (!t1) {
		s->t0 = 1;
		return 0;
	}
	s->tpdu = 1;
	memset(&s->t1, 0, sizeof(s->t1));
	s->t1.xfr = card_ccid_t1_xfr;
	s->t1.arg = s;
	s->t1.now_ms = card_ccid_t1_now;
	ccid_t1_init(&s->t1, &s->atr);
	if (d->features & CCID_FEAT_AUTO_IFSD)
		return 0;
	return ccid_t1_negotiate_ifsd(&s->t1, (uint8_t)(d->max_ifsd &&
			d->max_ifsd < CCID_T1_INF_MAX ? d->max_ifsd : CCID_T1_INF_MAX));
}

int card_ccid_connect(struct card *c)
{
	struct card_ccid *s = card_ccid_of(c);
	int ret;

	s->lost = 0;
	s->tpdu = 0;
	s->t0 = 0;
	ccid_reader_poll(s->r);
	s->r->changed &= (uint16_t)~(1u << s->slot);
	ret = card_ccid_power_on(s);
	if (!ret)
		ret = card_ccid_protocol(s);
	s->powered = ret == 0;
	if (ret && ret != ERR_CARD_ABSENT && !s->r->gone) {
		size_t n;
		static const uint8_t p[3] = { 0, 0, 0 };

		/* A card we cannot talk to is left unpowered. */
		card_ccid_cmd(s, CCID_PC_ICC_POWER_OFF, p, NULL, 0,
			      CCID_RDR_SLOT_STATUS, NULL, 0, &n);
	}
	return ret;
}

/* The command TPDU of a short APDU (ISO/IEC 7816-3 §12.1): case 1 gets
 * P3 = 0, case 4 loses its Le (the card says 61xx instead); 5 bytes are
 * case 2. Its length, or 0 for what is not a short APDU. */
static size_t card_ccid_t0_tpdu(const uint8_t *capdu, size_t clen, uint8_t *cmd)
{
	if (clen < 4 || clen > 5 + 255 + 1)
		return 0;
	memcpy(cmd, capdu, clen < 5 ? 4 : clen);
	if (clen == 4) {
		cmd[4] = 0;
		return 5;
	}
	if (clen == 5)
		return 5;
	if (capdu[4] == 0)
		return 0; /* extended length */
	if (clen == 5u + capdu[4])
		return clen;
	return clen == 6u + capdu[4] ? clen - 1 : 0;
}

/*
 * T=0 behind a TPDU-level reader (CCID §6.1.4: the reader handles the
 * procedure bytes, the answer is data then SW1 SW2). 6Cxx: the card wants
 * the command again with Le = xx; 61xx: xx more bytes wait, fetched with
 * GET RESPONSE. Both bounded, so a card cannot keep us here.
 */
static int card_ccid_t0(struct card_ccid *s, const uint8_t *capdu, size_t clen,
			uint8_t *rapdu, size_t *rlen)
{
	static const uint8_t p[3] = { 0, 0, 0 };
	uint8_t cmd[5 + 255 + 1], resp[256 + 2];
	size_t tl = card_ccid_t0_tpdu(capdu, clen, cmd), n, got = 0;
	int ret = tl ? 0 : ERR_RANGE;

	for (unsigned round = 0; !ret && round < 64; round++) {
		ret = card_ccid_cmd(s, CCID_PC_XFR_BLOCK, p, cmd, tl, CCID_RDR_DATA_BLOCK,
				    resp, sizeof(resp), &n);
		if (ret)
			break;
		if (n < 2 || got + n > *rlen) {
			err_detail("%s: T=0 answer of %zu bytes", s->base.label, n);
			ret = ERR_CARD_PROTO;
			break;
		}
		if (resp[n - 2] == 0x6C && tl == 5 && n == 2 && cmd[1] != 0xC0) {
			cmd[4] = resp[1]; /* the same command, with the Le it asks for */
			continue;
		}
		memcpy(rapdu + got, resp, n - 2);
		got += n - 2;
		if (resp[n - 2] == 0x61) {
			const uint8_t get[5] = { (uint8_t)(capdu[0] & 0x03), 0xC0, 0, 0, resp[n - 1] };

			memcpy(cmd, get, sizeof(get));
			tl = sizeof(get);
			continue;
		}
		rapdu[got] = resp[n - 2];
		rapdu[got + 1] = resp[n - 1];
		*rlen = got + 2;
		WIPE_BUFFER(cmd);
		WIPE_BUFFER(resp);
		return 0;
	}
	if (!ret) {
		err_detail("%s: T=0: no end to the card's answers", s->base.label);
		ret = ERR_CARD_PROTO;
	}
	if (ret == ERR_RANGE)
		err_detail("%s: not a short APDU", s->base.label);
	WIPE_BUFFER(cmd);
	WIPE_BUFFER(resp);
	return ret;
}

int card_ccid_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		       uint8_t *rapdu, size_t *rlen)
{
	struct card_ccid *s = card_ccid_of(c);
	static const uint8_t p[3] = { 0, 0, 0 };
	int ret;

	if (!s->powered) {
		err_detail("%s: not connected", s->base.label);
		return ERR_STATE;
	}
	if (s->lost) {
		err_detail("%s: card removed since connect", s->base.label);
		return ERR_CARD_ABSENT;
	}
	if (s->tpdu)
		ret = ccid_t1_transceive(&s->t1, capdu, clen, rapdu, rlen);
	else if (s->t0)
		ret = card_ccid_t0(s, capdu, clen, rapdu, rlen);
	else
		ret = card_ccid_cmd(s, CCID_PC_XFR_BLOCK, p, capdu, clen,
				    CCID_RDR_DATA_BLOCK, rapdu, *rlen, rlen);
	if (ret == ERR_CARD_ABSENT)
		card_ccid_lose(s);
	return ret;
}

void card_ccid_close(struct card *c)
{
	struct card_ccid *s = card_ccid_of(c);
	static const uint8_t p[3] = { 0, 0, 0 };
	size_t n;

	if (s->powered && !s->r->gone)
		card_ccid_cmd(s, CCID_PC_ICC_POWER_OFF, p, NULL, 0,
			      CCID_RDR_SLOT_STATUS, NULL, 0, &n);
	ccid_reader_put(s->r);
	secmem_wipe(s, sizeof(*s));
	free(s);
}

const struct ccid_t1 *card_ccid_t1(struct card *c)
{
	struct card_ccid *s = card_ccid_of(c);

	return s->powered && s->tpdu ? &s->t1 : NULL;
}

#ifdef CONFIG_CARD_CCID
static int card_ccid_open(const char *spec, struct card **out)
{
	libusb_context *ctx = NULL;
	int rv;

	*out = NULL;
	rv = usb_libusb.init(&ctx);
	if (rv != 0) {
		err_detail("ccid: libusb: %s", usb_libusb.error_name(rv));
		return ERR_IO;
	}
	return card_ccid_open_with(&usb_libusb, ctx, &card_ccid_ops, spec, out);
}

const struct card_ops card_ccid_ops = {
	.name = "ccid",
	.open = card_ccid_open,
	.present = card_ccid_present,
	.connect = card_ccid_connect,
	.transmit = card_ccid_transmit,
	.close = card_ccid_close,
};
#endif
