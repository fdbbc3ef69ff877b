/*
 * Finding, claiming and talking to a CCID reader. Interfaces of class 0x0B
 * are readers; so are vendor-class interfaces (0xFF) that carry a valid
 * 54-byte CCID class descriptor, as some tokens have. USB errors map to
 * ERR_CARD_ABSENT when the device is gone (the reader was unplugged) and
 * to ERR_IO otherwise, with libusb's error name in the detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "card/ccid_reader.h"
#include "lib/err.h"
#include "crypto/secmem.h"

static struct ccid_reader *ccid_readers; /* opened readers, shared by cards */

struct ccid_want {
	int any, by_id;
	uint16_t vid, pid; /* by_id */
	unsigned bus, addr;
	unsigned nth;      /* "@N": the N-th reader in (bus, address) order */
};

struct ccid_found {
	libusb_device *dev;
	int iface;
	unsigned char ep_out, ep_in, ep_int;
	struct ccid_desc d;
	uint16_t vid, pid;
	uint8_t bus, addr;
};

static int ccid_usb_err(const struct usb_ops *usb, const char *what, int rv)
{
	err_detail("CCID: %s: %s", what, usb->error_name(rv));
	if (rv == LIBUSB_ERROR_NO_DEVICE)
		return ERR_CARD_ABSENT;
	if (rv == LIBUSB_ERROR_NO_MEM)
		return ERR_NOMEM;
	return ERR_IO;
}

static int ccid_hexdigits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static int ccid_decimal(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	if (n == 0 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return *v <= 255 ? 0 : -1;
}

/* "" any reader; "VVVV:PPPP" (hex); "BUS:ADDR" (decimal, 1 to 3 digits);
 * "@N" the N-th reader (1 to 99) in the order of bus, then address: the
 * order in which they were plugged into one controller. A box whose bureau
 * plugs identical readers names them so (docs/BOX.md). */
static int ccid_want_parse(const char *spec, struct ccid_want *w)
{
	const char *colon = strchr(spec, ':');
	size_t a, b;
	unsigned v, p;

	memset(w, 0, sizeof(*w));
	if (!*spec) {
		w->any = 1;
		return 0;
	}
	if (spec[0] == '@') {
		if (!ccid_decimal(spec + 1, strlen(spec + 1), &w->nth) && w->nth >= 1 &&
		    w->nth <= 99) {
			w->any = 1;
			return 0;
		}
		err_detail("ccid: \"%s\": a reader's number is @1 to @99", spec);
		return ERR_USAGE;
	}
	if (colon) {
		a = (size_t)(colon - spec);
		b = strlen(colon + 1);
		if (a == 4 && b == 4 && !ccid_hexdigits(spec, 4, &v) &&
		    !ccid_hexdigits(colon + 1, 4, &p)) {
			w->by_id = 1;
			w->vid = (uint16_t)v;
			w->pid = (uint16_t)p;
			return 0;
		}
		if (!ccid_decimal(spec, a, &w->bus) &&
		    !ccid_decimal(colon + 1, b, &w->addr))
			return 0;
	}
	err_detail("ccid: \"%s\" is neither VVVV:PPPP nor BUS:ADDR", spec);
	return ERR_USAGE;
}

/* Endpoints of a CCID interface: bulk OUT, bulk IN, optional interrupt IN. */
static int ccid_endpoints(const struct libusb_interface_descriptor *alt,
			  struct ccid_found *f)
{
	f->ep_out = f->ep_in = f->ep_int = 0;
	for (int i = 0; i < alt->bNumEndpoints; i++) {
		const struct libusb_endpoint_descriptor *e = &alt->endpoint[i];
		int in = (e->bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0;
		int type = e->bmAttributes & 0x03;

		if (type == LIBUSB_TRANSFER_TYPE_BULK && in && !f->ep_in)
			f->ep_in = e->bEndpointAddress;
		else if (type == LIBUSB_TRANSFER_TYPE_BULK && !in && !f->ep_out)
			f->ep_out = e->bEndpointAddress;
		else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && in && !f->ep_int)
			f->ep_int = e->bEndpointAddress;
	}
	return f->ep_in && f->ep_out ? 0 : -1;
}

/* 0 and f filled if the interface is a CCID reader we can drive. */
static int ccid_iface(const struct libusb_interface *itf, struct ccid_found *f)
{
	const struct libusb_interface_descriptor *alt;

	if (itf->num_altsetting < 1)
		return -1;
	alt = &itf->altsetting[0];
	if (alt->bInterfaceClass != CCID_CLASS &&
	    alt->bInterfaceClass != LIBUSB_CLASS_VENDOR_SPEC)
		return -1;
	if (alt->extra_length < 0 ||
	    ccid_desc_parse(alt->extra, (size_t)alt->extra_length, &f->d) != 0)
		return -1;
	if (ccid_endpoints(alt, f) != 0)
		return -1;
	f->iface = alt->bInterfaceNumber;
	return 0;
}

/* Looks for a CCID interface on dev; 1 if found (f filled). */
static int ccid_probe(const struct usb_ops *usb, libusb_device *dev,
		      struct ccid_found *f)
{
	struct libusb_config_descriptor *cfg = NULL;
	int found = 0;

	if (usb->get_active_config_descriptor(dev, &cfg) != 0 || !cfg)
		return 0;
	for (int i = 0; i < cfg->bNumInterfaces && !found; i++)
		found = ccid_iface(&cfg->interface[i], f) == 0;
	usb->free_config_descriptor(cfg);
	return found;
}

static int ccid_matches(const struct ccid_want *w, const struct ccid_found *f)
{
	if (w->any)
		return 1;
	if (w->by_id)
		return f->vid == w->vid && f->pid == w->pid;
	return f->bus == w->bus && f->addr == w->addr;
}

/* The place of the reader at (bus, addr) among the CCID readers of list:
 * how many have a smaller (bus, address). */
static unsigned ccid_rank(const struct usb_ops *usb, libusb_device **list, ssize_t n,
			  unsigned key)
{
	struct ccid_found f;
	unsigned below = 0, k;

	for (ssize_t i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		k = (unsigned)usb->get_bus_number(list[i]) << 8 | usb->get_device_address(list[i]);
		if (k < key && ccid_probe(usb, list[i], &f))
			below++;
	}
	return below;
}

/* Picks the one reader the spec names among the devices of list. */
static int ccid_pick(const struct usb_ops *usb, libusb_device **list,
		     ssize_t n, const struct ccid_want *w, const char *spec,
		     struct ccid_found *out)
{
	struct libusb_device_descriptor dd;
	struct ccid_found f;
	unsigned count = 0;

	for (ssize_t i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		if (usb->get_device_descriptor(list[i], &dd) != 0)
			continue;
		f.dev = list[i];
		f.vid = dd.idVendor;
		f.pid = dd.idProduct;
		f.bus = usb->get_bus_number(list[i]);
		f.addr = usb->get_device_address(list[i]);
		if (!ccid_matches(w, &f) || !ccid_probe(usb, list[i], &f))
			continue;
		if (w->nth && ccid_rank(usb, list, n, (unsigned)f.bus << 8 | f.addr) !=
			      w->nth - 1)
			continue;
		if (count++ == 0)
			*out = f;
	}
	if (count == 0) {
		err_detail("ccid: no CCID reader%s%s", *spec ? " " : "", spec);
		return ERR_NOTFOUND;
	}
	if (count > 1) {
		err_detail("ccid: %u readers match \"%s\"; name one as "
			   "VVVV:PPPP or BUS:ADDR", count, spec);
		return ERR_USAGE;
	}
	return 0;
}

static struct ccid_reader *ccid_registered(const struct usb_ops *usb,
					   const struct ccid_found *f)
{
	for (struct ccid_reader *r = ccid_readers; r; r = r->next)
		if (r->usb == usb && r->bus == f->bus && r->addr == f->addr &&
		    !r->gone)
			return r;
	return NULL;
}

static int ccid_claim(struct ccid_reader *r, libusb_device *dev)
{
	int rv;

	rv = r->usb->open(dev, &r->h);
	if (rv != 0) {
		r->h = NULL;
		return ccid_usb_err(r->usb, "opening the reader", rv);
	}
	rv = r->usb->set_auto_detach_kernel_driver(r->h, 1);
	if (rv != 0 && rv != LIBUSB_ERROR_NOT_SUPPORTED)
		return ccid_usb_err(r->usb, "detaching the kernel driver", rv);
	rv = r->usb->claim_interface(r->h, r->iface);
	if (rv == LIBUSB_ERROR_BUSY) {
		err_detail("CCID: the reader is used by another program (pcscd?)");
		return ERR_IO;
	}
	if (rv != 0)
		return ccid_usb_err(r->usb, "claiming the reader", rv);
	r->refs = 1;
	return 0;
}

static void ccid_reader_free(struct ccid_reader *r)
{
	if (r->h) {
		if (r->refs)
			r->usb->release_interface(r->h, r->iface);
		r->usb->close(r->h);
	}
	if (r->ctx)
		r->usb->exit(r->ctx);
	secmem_wipe(r, sizeof(*r));
	free(r);
}

static int ccid_reader_new(const struct usb_ops *usb, libusb_context *ctx,
			   const struct ccid_found *f, struct ccid_reader **out)
{
	struct ccid_reader *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return ERR_NOMEM;
	r->usb = usb;
	r->ctx = ctx;
	r->iface = f->iface;
	r->ep_out = f->ep_out;
	r->ep_in = f->ep_in;
	r->ep_int = f->ep_int;
	r->d = f->d;
	r->vid = f->vid;
	r->pid = f->pid;
	r->bus = f->bus;
	r->addr = f->addr;
	ret = ccid_claim(r, f->dev);
	if (ret) {
		r->refs = 0;
		r->ctx = NULL; /* the caller exits it after freeing its list */
		ccid_reader_free(r);
		return ret;
	}
	r->next = ccid_readers;
	ccid_readers = r;
	*out = r;
	return 0;
}

int ccid_reader_get(const struct usb_ops *usb, libusb_context *ctx,
		    const char *spec, struct ccid_reader **out)
{
	libusb_device **list = NULL;
	struct ccid_reader *r;
	struct ccid_found f;
	struct ccid_want w;
	ssize_t n;
	int ret;

	*out = NULL;
	memset(&f, 0, sizeof(f));
	ret = ccid_want_parse(spec, &w);
	if (ret)
		goto fail;
	n = usb->get_device_list(ctx, &list);
	if (n < 0) {
		ret = ccid_usb_err(usb, "listing USB devices", (int)n);
		goto fail;
	}
	ret = ccid_pick(usb, list, n, &w, spec, &f);
	r = ret ? NULL : ccid_registered(usb, &f);
	if (r) {
		r->refs++;
		*out = r;
	} else if (!ret) {
		ret = ccid_reader_new(usb, ctx, &f, out);
		if (!ret)
			ctx = NULL; /* the reader owns it now */
	}
	usb->free_device_list(list, 1);
fail:
	if (ctx)
		usb->exit(ctx);
	return ret;
}

void ccid_reader_put(struct ccid_reader *r)
{
	struct ccid_reader **pp;

	if (!r || --r->refs > 0)
		return;
	for (pp = &ccid_readers; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	r->refs = 1; /* still claimed: release it */
	ccid_reader_free(r);
}

static int ccid_transfer_err(struct ccid_reader *r, const char *what, int rv)
{
	if (rv == LIBUSB_ERROR_NO_DEVICE) {
		r->gone = 1;
		err_detail("CCID %04x:%04x: reader unplugged", r->vid, r->pid);
		return ERR_CARD_ABSENT;
	}
	if (rv == LIBUSB_ERROR_PIPE) {
		r->usb->clear_halt(r->h, what[0] == 's' ? r->ep_out : r->ep_in);
		err_detail("CCID %04x:%04x: %s: endpoint stalled", r->vid, r->pid,
			   what);
		return ERR_IO;
	}
	if (rv == LIBUSB_ERROR_TIMEOUT) {
		err_detail("CCID %04x:%04x: %s: the reader did not answer in time",
			   r->vid, r->pid, what);
		return ERR_IO;
	}
	return ccid_usb_err(r->usb, what, rv);
}

static int ccid_send(struct ccid_reader *r, size_t n)
{
	int done = 0, rv;

	rv = r->usb->bulk_transfer(r->h, r->ep_out, r->buf, (int)n, &done,
				   CCID_TIMEOUT_OUT_MS);
	if (rv != 0)
		return ccid_transfer_err(r, "sending", rv);
	if (done != (int)n) {
		err_detail("CCID %04x:%04x: message sent in part", r->vid, r->pid);
		return ERR_IO;
	}
	return 0;
}

uint64_t ccid_reader_now_ms(const struct ccid_reader *r)
{
	struct timespec ts;

	if (r->usb->now_ms)
		return r->usb->now_ms(r->h);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The bulk-IN timeout left before the deadline; 0 when it has passed. */
static unsigned ccid_time_left(const struct ccid_reader *r, uint64_t deadline)
{
	uint64_t now = ccid_reader_now_ms(r);

	if (now >= deadline)
		return 0;
	if (deadline - now < CCID_TIMEOUT_IN_MS)
		return (unsigned)(deadline - now);
	return CCID_TIMEOUT_IN_MS;
}

/* Reads the answer to (slot, seq), skipping time extensions and stale ones,
 * until the deadline. */
static int ccid_recv(struct ccid_reader *r, uint8_t slot, uint8_t seq,
		     uint64_t deadline, struct ccid_resp *resp)
{
	unsigned stale = 0, left;
	int done, rv;

	for (unsigned i = 0; i < CCID_TIME_EXT_MAX + CCID_STALE_MAX; i++) {
		left = ccid_time_left(r, deadline);
		if (!left) {
			err_detail("CCID %04x:%04x: no answer within %u s", r->vid,
				   r->pid, CCID_CMD_DEADLINE_MS / 1000u);
			return ERR_IO;
		}
		done = 0;
		rv = r->usb->bulk_transfer(r->h, r->ep_in, r->buf, sizeof(r->buf),
					   &done, left);
		if (rv != 0)
			return ccid_transfer_err(r, "receiving", rv);
		if (done < 0 || ccid_resp_parse(r->buf, (size_t)done, resp) != 0)
			return ERR_CARD_PROTO;
		if (resp->slot != slot || resp->seq != seq) {
			if (++stale > CCID_STALE_MAX) {
				err_detail("CCID: answers to other commands");
				return ERR_CARD_PROTO;
			}
			continue;
		}
		if (resp->cmd != CCID_CMD_TIME_EXT)
			return 0;
	}
	err_detail("CCID: too many time extensions");
	return ERR_IO;
}

int ccid_reader_cmd(struct ccid_reader *r, uint8_t slot, uint8_t type,
		    const uint8_t p[3], const uint8_t *data, size_t dlen,
		    uint8_t *out, size_t cap, size_t *outlen,
		    struct ccid_resp *resp)
{
	uint64_t deadline;
	uint8_t seq;
	int ret;

	*outlen = 0;
	memset(resp, 0, sizeof(*resp));
	if (r->gone) {
		err_detail("CCID %04x:%04x: reader unplugged", r->vid, r->pid);
		return ERR_CARD_ABSENT;
	}
	if (dlen > sizeof(r->buf) - CCID_HDR || CCID_HDR + dlen > r->d.max_msg)
		return ERR_INTERNAL;
	seq = r->seq++;
	deadline = ccid_reader_now_ms(r) + CCID_CMD_DEADLINE_MS;
	ret = ccid_send(r, ccid_msg_build(r->buf, type, slot, seq, p, data, dlen));
	if (!ret)
		ret = ccid_recv(r, slot, seq, deadline, resp);
	if (!ret && resp->dlen > cap) {
		err_detail("CCID: answer of %zu bytes, expected at most %zu",
			   resp->dlen, cap);
		ret = ERR_CARD_PROTO;
	}
	if (!ret && resp->dlen) {
		memcpy(out, resp->data, resp->dlen);
		*outlen = resp->dlen;
	}
	resp->data = NULL;
	WIPE_BUFFER(r->buf);
	return ret;
}

int ccid_reader_status_err(const struct ccid_reader *r, const struct ccid_resp *resp)
{
	if (resp->icc == CCID_ICC_ABSENT) {
		err_detail("CCID %04x:%04x: no card in the reader", r->vid, r->pid);
		return ERR_CARD_ABSENT;
	}
	if (resp->error == CCID_ERR_ICC_MUTE) {
		err_detail("CCID %04x:%04x: the card does not answer (removed?)",
			   r->vid, r->pid);
		return ERR_CARD_ABSENT;
	}
	if (resp->icc == CCID_ICC_INACTIVE) {
		err_detail("CCID %04x:%04x: the card is not powered (removed "
			   "and put back?)", r->vid, r->pid);
		return ERR_CARD_ABSENT;
	}
	err_detail("CCID %04x:%04x: the reader reports error %02X", r->vid, r->pid,
		   resp->error);
	return resp->error == CCID_ERR_XFR_PARITY ? ERR_CARD_PROTO : ERR_IO;
}

void ccid_reader_poll(struct ccid_reader *r)
{
	uint8_t msg[8];
	uint16_t present, changed;
	int done, rv;

	if (!r->ep_int || r->gone)
		return;
	for (int i = 0; i < 8; i++) {
		done = 0;
		rv = r->usb->interrupt_transfer(r->h, r->ep_int, msg, sizeof(msg),
						&done, 1);
		if (rv == LIBUSB_ERROR_NO_DEVICE)
			r->gone = 1;
		if (rv != 0)
			return;
		/* Other interrupt messages (HardwareError) are ignored. */
		if (done > 0 && ccid_notify_parse(msg, (size_t)done, r->d.max_slot,
						  &present, &changed) == 0)
			r->changed |= changed;
	}
}
