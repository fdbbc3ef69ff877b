/*
 * The `ccid-sim` transport: a simulated CCID reader plugged into a
 * simulated USB bus of its own (sim/usb_sim.c), with the simulated cards of
 * slot directories in its slots (spec syntax in ccid_sim.h). The reader's
 * transfers are served here; everything above struct usb_ops is the real
 * CCID driver. Two cards opened on slots of the same reader (same spec
 * before '#') share one simulated device, as two slots of one real reader
 * share a device; the reader goes when the driver exits its bus's last
 * context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "card/card_ccid.h"
#include "sim/ccid_sim_int.h"
#include "sim/card_sim.h"
#include "lib/err.h"
#include "crypto/secmem.h"

#define CCID_SIM_VID 0x1D6B /* the Linux Foundation's range: never a reader */
#define CCID_SIM_PID 0x0CC1
#define CCID_SIM_EP_OUT 0x01
#define CCID_SIM_EP_IN 0x82
#define CCID_SIM_EP_INT 0x83

static struct ccid_sim *ccid_sims; /* simulated readers in use */
static uint8_t ccid_sim_next_bus = 100;

static void ccid_sim_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int ccid_sim_unplugged(const struct ccid_sim *sim)
{
	char path[CARD_SIM_PATH_MAX];

	if (card_sim_path(path, sizeof(path), sim->slot[0].dir,
			  CARD_CCID_SIM_UNPLUGGED_FILE) != 0)
		return 1;
	return access(path, F_OK) == 0;
}

/* --- the card in a slot ----------------------------------------------- */

static int ccid_sim_present(struct ccid_sim_slot *sl)
{
	return card_present(sl->card) == 1;
}

int ccid_sim_apdu(struct ccid_sim_slot *sl, const uint8_t *capdu, size_t clen,
		  uint8_t *rapdu, size_t *rlen)
{
	if (clen < 4 || clen > CARD_APDU_MAX) {
		/* a real card answers a malformed APDU with 6700 */
		rapdu[0] = 0x67;
		rapdu[1] = 0x00;
		*rlen = 2;
		return 0;
	}
	return card_transmit(sl->card, capdu, clen, rapdu, rlen);
}

/* The card side of T=0 behind a TPDU-level reader: a command TPDU of case 3
 * or 4 (data, no Le) whose answer has data gets 61xx, the data then come by
 * GET RESPONSE (ISO/IEC 7816-3 §12.2). */
static int ccid_sim_t0(struct ccid_sim_slot *sl, const uint8_t *tpdu, size_t tlen,
		       uint8_t *rapdu, size_t *rlen)
{
	size_t left, n;
	int ret;

	if (tlen == 5 && tpdu[1] == 0xC0 && sl->t0_len) {
		left = sl->t0_len - 2 - sl->t0_pos;
		n = tpdu[4] && tpdu[4] < left ? tpdu[4] : left;
		memcpy(rapdu, sl->t0_held + sl->t0_pos, n);
		sl->t0_pos += n;
		left -= n;
		rapdu[n] = left ? 0x61 : sl->t0_held[sl->t0_len - 2];
		rapdu[n + 1] = left ? (uint8_t)(left > 255 ? 0 : left) : sl->t0_held[sl->t0_len - 1];
		*rlen = n + 2;
		if (!left)
			sl->t0_len = sl->t0_pos = 0;
		return 0;
	}
	sl->t0_len = sl->t0_pos = 0;
	ret = ccid_sim_apdu(sl, tpdu, tlen, rapdu, rlen);
	if (ret || tlen <= 5 || *rlen <= 2)
		return ret;
	memcpy(sl->t0_held, rapdu, *rlen);
	sl->t0_len = *rlen;
	rapdu[0] = 0x61;
	rapdu[1] = (uint8_t)(*rlen - 2 > 255 ? 0 : *rlen - 2);
	*rlen = 2;
	return 0;
}

/* The ATR: T=1 only (IFSC, CRC as the options say) or a token's T=1; in
 * t0 mode a T=0 card's (no interface byte, no TCK). */
static size_t ccid_sim_atr(const struct ccid_sim *sim, uint8_t *atr)
{
	static const uint8_t hist[] = { 0x80, 0x73, 0xC0, 0x21, 0xC0, 0x53,
					0x49, 0x4D }; /* "SIM" */
	size_t n = 0;
	uint8_t x = 0;

	if (sim->o.t0) {
		atr[0] = 0x3B;
		atr[1] = (uint8_t)sizeof(hist);
		memcpy(atr + 2, hist, sizeof(hist));
		return 2 + sizeof(hist);
	}
	atr[n++] = 0x3B;
	atr[n++] = (uint8_t)(0x80 | sizeof(hist)); /* TD1 */
	atr[n++] = 0x81;                           /* TD2, T=1 */
	atr[n++] = 0x71;                           /* TA3 TB3 TC3, T=1 */
	atr[n++] = sim->o.ifsc;
	atr[n++] = 0x45;
	atr[n++] = sim->o.crc ? 1 : 0;
	memcpy(atr + n, hist, sizeof(hist));
	n += sizeof(hist);
	for (size_t i = 1; i < n; i++)
		x ^= atr[i];
	atr[n++] = x;
	return n;
}

/* Whether a card is in the slot, and which card file it is. */
static int ccid_sim_look(struct ccid_sim_slot *sl, struct card_sim_id *id)
{
	char path[CARD_SIM_PATH_MAX];
	struct stat sb;

	memset(id, 0, sizeof(*id));
	if (card_sim_path(path, sizeof(path), sl->dir, CARD_SIM_CARD_FILE) != 0 ||
	    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	card_sim_id_of(&sb, id);
	return 1;
}

/* --- CCID commands ------------------------------------------------------ */

static uint8_t ccid_sim_icc(struct ccid_sim_slot *sl)
{
	if (!ccid_sim_present(sl)) {
		sl->powered = 0;
		return CCID_ICC_ABSENT;
	}
	return sl->powered ? CCID_ICC_ACTIVE : CCID_ICC_INACTIVE;
}

/* Writes the answer header; data already at out + CCID_HDR. */
static void ccid_sim_answer(struct ccid_sim *sim, const uint8_t *cmd, uint8_t type,
			    uint8_t status, uint8_t error, uint8_t param,
			    size_t dlen)
{
	uint8_t *o = sim->out;

	o[0] = type;
	ccid_sim_le32(o + 1, (uint32_t)dlen);
	o[5] = cmd[5];
	o[6] = cmd[6];
	o[7] = status;
	o[8] = error;
	o[9] = param;
	sim->out_len = CCID_HDR + dlen;
	sim->answers++;
	sim->timeext = sim->o.timeext_every &&
		       sim->answers % sim->o.timeext_every == 0 ? 1 : 0;
}

static void ccid_sim_fail(struct ccid_sim *sim, const uint8_t *cmd, uint8_t type,
			  uint8_t icc, uint8_t error)
{
	ccid_sim_answer(sim, cmd, type, (uint8_t)(CCID_CMD_FAILED << 6 | icc),
			error, 0, 0);
}

static void ccid_sim_power_on(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			      const uint8_t *cmd)
{
	if (!ccid_sim_present(sl) || card_connect(sl->card) != 0) {
		sl->powered = 0;
		ccid_sim_fail(sim, cmd, CCID_RDR_DATA_BLOCK, CCID_ICC_ABSENT,
			      CCID_ERR_ICC_MUTE);
		return;
	}
	sl->powered = 1;
	sl->t0_len = sl->t0_pos = 0;
	ccid_sim_t1_reset(sl);
	ccid_sim_answer(sim, cmd, CCID_RDR_DATA_BLOCK, CCID_ICC_ACTIVE, 0, 0,
			ccid_sim_atr(sim, sim->out + CCID_HDR));
}

static void ccid_sim_xfr(struct ccid_sim *sim, struct ccid_sim_slot *sl,
			 const uint8_t *cmd, size_t dlen)
{
	uint8_t *data = sim->out + CCID_HDR;
	size_t n = CARD_RAPDU_MAX;
	int ret;

	if (ccid_sim_icc(sl) != CCID_ICC_ACTIVE) {
		ccid_sim_fail(sim, cmd, CCID_RDR_DATA_BLOCK, ccid_sim_icc(sl),
			      CCID_ERR_ICC_MUTE);
		return;
	}
	if (sim->o.t1)
		ret = ccid_sim_t1_block(sim, sl, cmd + CCID_HDR, dlen, data, &n);
	else if (sim->o.t0)
		ret = ccid_sim_t0(sl, cmd + CCID_HDR, dlen, data, &n);
	else
		ret = ccid_sim_apdu(sl, cmd + CCID_HDR, dlen, data, &n);
	if (ret) {
		/* the card went away during the command: the reader sees a mute card */
		sl->powered = 0;
		ccid_sim_fail(sim, cmd, CCID_RDR_DATA_BLOCK, ccid_sim_icc(sl),
			      CCID_ERR_ICC_MUTE);
		return;
	}
	/* The card saved itself (a new file): its own write, not a swap. */
	sl->known_present = ccid_sim_look(sl, &sl->known_id);
	ccid_sim_answer(sim, cmd, CCID_RDR_DATA_BLOCK, CCID_ICC_ACTIVE, 0, 0, n);
	sim->timeext += sim->o.extstorm;
	if (sim->o.t1 && sim->blocks_in == sim->o.noanswer_at) {
		secmem_wipe(sim->out, sizeof(sim->out));
		sim->out_len = 0; /* lost: bulk IN times out */
		sim->timeext = 0;
	}
}

/* One bulk-OUT message; the answer waits in sim->out. */
static void ccid_sim_command(struct ccid_sim *sim, const uint8_t *cmd, size_t n)
{
	uint32_t dlen = (uint32_t)cmd[1] | (uint32_t)cmd[2] << 8 |
			(uint32_t)cmd[3] << 16 | (uint32_t)cmd[4] << 24;
	struct ccid_sim_slot *sl;

	if (cmd[5] >= sim->nslots || dlen != n - CCID_HDR) {
		ccid_sim_fail(sim, cmd, CCID_RDR_SLOT_STATUS, CCID_ICC_ABSENT, 5);
		return;
	}
	sl = &sim->slot[cmd[5]];
	switch (cmd[0]) {
	case CCID_PC_ICC_POWER_ON:
		ccid_sim_power_on(sim, sl, cmd);
		break;
	case CCID_PC_ICC_POWER_OFF:
		sl->powered = 0;
		ccid_sim_answer(sim, cmd, CCID_RDR_SLOT_STATUS, ccid_sim_icc(sl),
				0, 0, 0);
		break;
	case CCID_PC_GET_SLOT_STATUS:
		ccid_sim_answer(sim, cmd, CCID_RDR_SLOT_STATUS, ccid_sim_icc(sl),
				0, 0, 0);
		break;
	case CCID_PC_SET_PARAMETERS:
		memcpy(sim->out + CCID_HDR, cmd + CCID_HDR, dlen);
		ccid_sim_answer(sim, cmd, CCID_RDR_PARAMETERS, ccid_sim_icc(sl),
				0, cmd[7], dlen);
		break;
	case CCID_PC_XFR_BLOCK:
		ccid_sim_xfr(sim, sl, cmd, dlen);
		break;
	default:
		ccid_sim_fail(sim, cmd, CCID_RDR_SLOT_STATUS, ccid_sim_icc(sl), 0);
	}
}

/* --- the USB device ---------------------------------------------------- */

static struct ccid_sim *ccid_sim_of_dev(const struct usb_sim_dev *d)
{
	return (struct ccid_sim *)(uintptr_t)((const char *)d -
					      offsetof(struct ccid_sim, dev));
}

/* Unplugged while the file is in the directory of slot 0. */
static int ccid_sim_gone(const struct usb_sim_dev *d)
{
	return ccid_sim_unplugged(ccid_sim_of_dev(d));
}

/* Bulk IN: a time extension first if planned, then the answer. */
static int ccid_sim_bulk_in(struct ccid_sim *sim, unsigned char *data, int len,
			    int *done)
{
	if (!sim->out_len)
		return LIBUSB_ERROR_TIMEOUT;
	if (len < (int)sim->out_len)
		return LIBUSB_ERROR_OVERFLOW;
	if (sim->timeext) {
		sim->timeext--;
		sim->virt_ms += 1000;
		memcpy(data, sim->out, CCID_HDR);
		memset(data + 1, 0, 4);
		data[7] = (uint8_t)(CCID_CMD_TIME_EXT << 6 | (data[7] & 3));
		data[8] = 1; /* bError: the BWT multiplier */
		*done = CCID_HDR;
		return 0;
	}
	memcpy(data, sim->out, sim->out_len);
	*done = (int)sim->out_len;
	secmem_wipe(sim->out, sizeof(sim->out));
	sim->out_len = 0;
	return 0;
}

static int ccid_sim_bulk(struct usb_sim_dev *d, unsigned char endpoint,
			 unsigned char *data, int len, int *done,
			 unsigned int timeout)
{
	struct ccid_sim *sim = ccid_sim_of_dev(d);

	if (endpoint == CCID_SIM_EP_IN)
		return ccid_sim_bulk_in(sim, data, len, done);
	if (endpoint != CCID_SIM_EP_OUT || len < CCID_HDR ||
	    (size_t)len > sizeof(sim->out))
		return LIBUSB_ERROR_PIPE;
	ccid_sim_command(sim, data, (size_t)len);
	*done = len;
	return 0;
}

/*
 * NotifySlotChange when a card came, went, or was swapped since the last
 * one (a real reader would have seen it go and come back).
 */
static int ccid_sim_interrupt(struct usb_sim_dev *d, unsigned char endpoint,
			      unsigned char *data, int len, int *done,
			      unsigned int timeout)
{
	struct ccid_sim *sim = ccid_sim_of_dev(d);
	uint8_t msg[1 + (CARD_CCID_SIM_SLOTS + 3) / 4];
	size_t n = 1 + (sim->nslots + 3) / 4;
	int changed = 0;

	if (endpoint != CCID_SIM_EP_INT || len < (int)n)
		return LIBUSB_ERROR_PIPE;
	memset(msg, 0, sizeof(msg));
	msg[0] = CCID_RDR_NOTIFY_SLOT_CHANGE;
	for (unsigned s = 0; s < sim->nslots; s++) {
		struct ccid_sim_slot *sl = &sim->slot[s];
		struct card_sim_id id;
		int now = ccid_sim_look(sl, &id);
		int moved = now != sl->known_present || !card_sim_id_same(&id, &sl->known_id);
		unsigned bits = (unsigned)now | (moved ? 2u : 0u);

		changed |= bits & 2;
		sl->known_present = now;
		sl->known_id = id;
		msg[1 + s / 4] = (uint8_t)(msg[1 + s / 4] | bits << (2 * (s % 4)));
	}
	if (!changed)
		return LIBUSB_ERROR_TIMEOUT;
	memcpy(data, msg, n);
	*done = (int)n;
	return 0;
}

/* The monotonic clock plus the virtual time the reader's delays took. */
static uint64_t ccid_sim_now_ms(struct usb_sim_dev *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u +
	       ccid_sim_of_dev(d)->virt_ms;
}

/* The descriptors are built once, at creation (ccid_sim_descriptors()). */
static const struct usb_sim_dev_ops ccid_sim_dev_ops = {
	.bulk = ccid_sim_bulk,
	.interrupt = ccid_sim_interrupt,
	.gone = ccid_sim_gone,
	.now_ms = ccid_sim_now_ms,
};

static void ccid_sim_free(struct ccid_sim *sim)
{
	for (unsigned s = 0; s < sim->nslots; s++)
		card_close(sim->slot[s].card);
	secmem_wipe(sim, sizeof(*sim));
	free(sim);
}

/* The last context of the reader's bus was exited: the reader goes. */
static void ccid_sim_release(struct usb_sim_bus *b)
{
	struct ccid_sim *sim = (struct ccid_sim *)(void *)b, **pp;

	for (pp = &ccid_sims; *pp; pp = &(*pp)->next) {
		if (*pp == sim) {
			*pp = sim->next;
			break;
		}
	}
	ccid_sim_free(sim);
}

/* --- the device and the spec ------------------------------------------- */

static void ccid_sim_descriptors(struct ccid_sim *sim)
{
	uint8_t *d = sim->extra;
	uint32_t feat = 0x000000B8u; /* auto voltage, clock, baud, PPS */

	memset(d, 0, sizeof(sim->extra));
	d[0] = CCID_DESC_LEN;
	d[1] = CCID_DESC_TYPE;
	d[2] = 0x10;
	d[3] = 0x01;
	d[4] = (uint8_t)(sim->nslots - 1);
	d[5] = 0x07;
	ccid_sim_le32(d + 6, sim->o.t1 ? 2 : sim->o.t0 ? 1 : 3);
	ccid_sim_le32(d + 10, 4000);
	ccid_sim_le32(d + 14, 4000);
	ccid_sim_le32(d + 19, 10752);
	ccid_sim_le32(d + 23, 10752);
	ccid_sim_le32(d + 28, sim->o.max_ifsd);
	if (sim->o.t1 || sim->o.t0)
		feat |= CCID_FEAT_TPDU;
	else
		feat |= CCID_FEAT_SHORT_APDU | CCID_FEAT_AUTO_PARAMS;
	ccid_sim_le32(d + 40, feat);
	ccid_sim_le32(d + 44, CCID_MSG_MIN);
	d[48] = 0xFF;
	d[49] = 0xFF;
	d[53] = 1;
	sim->ep[0].bEndpointAddress = CCID_SIM_EP_OUT;
	sim->ep[0].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	sim->ep[1].bEndpointAddress = CCID_SIM_EP_IN;
	sim->ep[1].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	sim->ep[2].bEndpointAddress = CCID_SIM_EP_INT;
	sim->ep[2].bmAttributes = LIBUSB_TRANSFER_TYPE_INTERRUPT;
	sim->alt.bInterfaceClass = CCID_CLASS;
	sim->alt.bNumEndpoints = 3;
	sim->alt.endpoint = sim->ep;
	sim->alt.extra = sim->extra;
	sim->alt.extra_length = CCID_DESC_LEN;
	sim->itf.altsetting = &sim->alt;
	sim->itf.num_altsetting = 1;
	sim->dev.cfg.bNumInterfaces = 1;
	sim->dev.cfg.interface = &sim->itf;
}

static int ccid_sim_number(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	n = strtoul(v, &end, 10);
	if (*end || n < lo || n > hi)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* One option of the mode part ("wtx=2", "crc", "corrupt=5x3"). */
static int ccid_sim_option(struct ccid_sim_opts *o, char *opt)
{
	char *eq = strchr(opt, '='), *x;
	unsigned v = 0;

	if (strcmp(opt, "crc") == 0 || strcmp(opt, "emptychain") == 0 ||
	    strcmp(opt, "wtxstorm") == 0) {
		*(opt[0] == 'c' ? &o->crc : opt[0] == 'e' ? &o->emptychain :
		  &o->wtxstorm) = 1;
		return 0;
	}
	if (!eq)
		return -1;
	*eq++ = '\0';
	if (strcmp(opt, "corrupt") == 0 || strcmp(opt, "hostcorrupt") == 0) {
		unsigned *count = opt[0] == 'c' ? &o->corrupt_count : &o->hcorrupt_count;

		*count = 1;
		x = strchr(eq, 'x');
		if (x) {
			*x++ = '\0';
			if (ccid_sim_number(x, 1, 1000, count) != 0)
				return -1;
		}
	}
	if (ccid_sim_number(eq, 1, 1000000, &v) != 0)
		return -1;
	if (strcmp(opt, "ifsc") == 0 && v <= CCID_T1_INF_MAX)
		o->ifsc = (uint8_t)v;
	else if (strcmp(opt, "maxifsd") == 0 && v <= CCID_T1_INF_MAX)
		o->max_ifsd = (uint8_t)v;
	else if (strcmp(opt, "wtx") == 0)
		o->wtx_every = v;
	else if (strcmp(opt, "timeext") == 0)
		o->timeext_every = v;
	else if (strcmp(opt, "corrupt") == 0)
		o->corrupt_at = v;
	else if (strcmp(opt, "hostcorrupt") == 0)
		o->hcorrupt_at = v;
	else if (strcmp(opt, "pullblock") == 0)
		o->pull_block = v;
	else if (strcmp(opt, "rack") == 0)
		o->rack_at = v;
	else if (strcmp(opt, "rsame") == 0)
		o->rsame_at = v;
	else if (strcmp(opt, "noanswer") == 0)
		o->noanswer_at = v;
	else if (strcmp(opt, "extstorm") == 0 && v <= 100000)
		o->extstorm = v;
	else
		return -1;
	return 0;
}

/* "MODE[,OPTION...]" */
static int ccid_sim_mode(char *mode, struct ccid_sim_opts *o)
{
	char *opt, *next;

	memset(o, 0, sizeof(*o));
	o->ifsc = 32;
	o->max_ifsd = CCID_T1_INF_MAX;
	next = strchr(mode, ',');
	if (next)
		*next++ = '\0';
	if (strcmp(mode, "t1") == 0)
		o->t1 = 1;
	else if (strcmp(mode, "t0") == 0)
		o->t0 = 1;
	else if (strcmp(mode, "apdu") != 0)
		return -1;
	for (opt = next; opt; opt = next) {
		next = strchr(opt, ',');
		if (next)
			*next++ = '\0';
		if (ccid_sim_option(o, opt) != 0)
			return -1;
	}
	return 0;
}

/* Opens the simulated cards of "DIR[+DIR...]". */
static int ccid_sim_slots(struct ccid_sim *sim, char *dirs)
{
	char *dir, *next;
	int ret;

	for (dir = dirs; dir; dir = next) {
		struct ccid_sim_slot *sl = &sim->slot[sim->nslots];

		next = strchr(dir, '+');
		if (next)
			*next++ = '\0';
		if (sim->nslots == CARD_CCID_SIM_SLOTS) {
			err_detail("ccid-sim: at most %d slots", CARD_CCID_SIM_SLOTS);
			return ERR_USAGE;
		}
		if (strlen(dir) >= sizeof(sl->dir) - 64)
			return ERR_RANGE;
		ret = card_open(&card_sim_ops, dir, &sl->card);
		if (ret)
			return ret;
		memcpy(sl->dir, dir, strlen(dir) + 1);
		sim->nslots++;
		sl->known_present = ccid_sim_look(sl, &sl->known_id);
	}
	return 0;
}

static int ccid_sim_new(const char *key, struct ccid_sim **out)
{
	char buf[CARD_SIM_PATH_MAX], *colon;
	struct ccid_sim *sim;
	int ret;

	*out = NULL;
	if (strlen(key) >= sizeof(buf))
		return ERR_RANGE;
	memcpy(buf, key, strlen(key) + 1);
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return ERR_NOMEM;
	memcpy(sim->key, key, strlen(key) + 1);
	colon = strchr(buf, ':');
	ret = ERR_USAGE;
	if (!colon || !colon[1])
		goto bad;
	*colon = '\0';
	if (ccid_sim_mode(buf, &sim->o) != 0)
		goto bad;
	ret = ccid_sim_slots(sim, colon + 1);
	if (ret)
		goto fail;
	usb_sim_bus_init(&sim->bus, ccid_sim_next_bus++);
	sim->bus.release = ccid_sim_release;
	sim->dev.ops = &ccid_sim_dev_ops;
	sim->dev.vid = CCID_SIM_VID;
	sim->dev.pid = CCID_SIM_PID;
	sim->dev.addr = 1;
	ccid_sim_descriptors(sim);
	ret = usb_sim_plug(&sim->bus, &sim->dev);
	if (ret)
		goto fail;
	sim->next = ccid_sims;
	ccid_sims = sim;
	*out = sim;
	return 0;
bad:
	err_detail("ccid-sim: \"%s\" is not MODE[,OPTION...]:DIR[+DIR...] "
		   "(docs/HARDWARE.md)", key);
fail:
	ccid_sim_free(sim);
	return ret;
}

static int card_ccid_sim_open(const char *spec, struct card **out)
{
	char key[CARD_SIM_PATH_MAX];
	const char *hash;
	struct ccid_sim *sim;
	size_t n;
	int ret;

	*out = NULL;
	if (!spec || !*spec) {
		err_detail("ccid-sim: no reader spec given");
		return ERR_USAGE;
	}
	hash = strchr(spec, '#');
	n = hash ? (size_t)(hash - spec) : strlen(spec);
	if (n >= sizeof(key))
		return ERR_RANGE;
	memcpy(key, spec, n);
	key[n] = '\0';
	for (sim = ccid_sims; sim; sim = sim->next)
		if (strcmp(sim->key, key) == 0)
			break;
	if (!sim) {
		ret = ccid_sim_new(key, &sim);
		if (ret)
			return ret;
	}
	return card_ccid_open_with(&usb_sim_ops, usb_sim_hold(&sim->bus),
				   &card_ccid_sim_ops, hash ? hash : "", out);
}

const struct card_ops card_ccid_sim_ops = {
	.name = "ccid-sim",
	.open = card_ccid_sim_open,
	.present = card_ccid_present,
	.connect = card_ccid_connect,
	.transmit = card_ccid_transmit,
	.close = card_ccid_close,
};
