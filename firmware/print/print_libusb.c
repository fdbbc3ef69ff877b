/*
 * The `libusb` backend: finds a USB printer-class interface, claims it
 * (detaching usblp if it holds it), reads the IEEE 1284 device id, and
 * writes the job with bulk OUT transfers. A transfer that makes no progress
 * within timeout_ms ends the job with the reason GET_PORT_STATUS gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "print/print_libusb.h"

#define PRINT_LIBUSB_CTRL_TIMEOUT 5000u /* ms, usblp's USBLP_CTL_TIMEOUT */

struct print_libusb {
	struct printer base; /* first: struct printer * converts to this */
	const struct usb_ops *usb;
	libusb_context *ctx;
	libusb_device_handle *h;
	int claimed;
	uint8_t iface, alt;
	unsigned char ep_out;
	size_t sent, total;
};

/* The printer interface chosen on one device. */
struct print_libusb_pick {
	libusb_device *dev;
	uint16_t vid, pid;
	uint8_t iface, alt, proto;
	unsigned char ep_out;
};

struct print_libusb_want {
	int any;
	uint16_t vid, pid;
};

static struct print_libusb *print_libusb_of(struct printer *p)
{
	return (struct print_libusb *)p;
}

static int print_libusb_hex4(const char *s, uint16_t *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (unsigned)(c - 'A' + 10);
		else
			return ERR_USAGE;
	}
	*out = (uint16_t)v;
	return 0;
}

static int print_libusb_parse_spec(const char *spec, struct print_libusb_want *w)
{
	memset(w, 0, sizeof(*w));
	if (!spec[0]) {
		w->any = 1;
		return 0;
	}
	if (strlen(spec) != 9 || spec[4] != ':' || print_libusb_hex4(spec, &w->vid) ||
	    print_libusb_hex4(spec + 5, &w->pid)) {
		err_detail("USB printer \"%s\": give nothing or VID:PID in hex "
			   "(04b8:0e15)", spec);
		return ERR_USAGE;
	}
	return 0;
}

/* The ERR_* for a libusb error, with the detail the journal keeps. */
static int print_libusb_err(struct print_libusb *u, int rc, const char *what)
{
	const char *name = u->usb->error_name(rc);

	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_IO:
		err_detail("%s: %s: %s after %zu of %zu bytes (printer unplugged or "
			   "switched off?)", u->base.label, what, name, u->sent, u->total);
		return ERR_PRINTER_ABSENT;
	case LIBUSB_ERROR_NO_MEM:
		err_detail("%s: %s: %s", u->base.label, what, name);
		return ERR_NOMEM;
	case LIBUSB_ERROR_BUSY:
		err_detail("%s: %s: %s (the printer is in use by another program)",
			   u->base.label, what, name);
		return ERR_IO;
	default:
		err_detail("%s: %s: %s", u->base.label, what, name);
		return ERR_IO;
	}
}

/* 2 for a bidirectional printer interface, 1 unidirectional, 0 none. */
static int print_libusb_rank(const struct libusb_interface_descriptor *d,
			     unsigned char *ep_out)
{
	int in = 0;

	*ep_out = 0;
	if (d->bInterfaceClass != PRINT_USB_CLASS_PRINTER ||
	    d->bInterfaceSubClass != PRINT_USB_SUBCLASS_PRINTER ||
	    d->bInterfaceProtocol < 1 || d->bInterfaceProtocol > 2)
		return 0;
	for (int e = 0; e < d->bNumEndpoints; e++) {
		const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];

		if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
			continue;
		if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN)
			in = 1;
		else if (!*ep_out)
			*ep_out = ep->bEndpointAddress;
	}
	if (!*ep_out || (d->bInterfaceProtocol == 2 && !in))
		return 0;
	return d->bInterfaceProtocol;
}

static void print_libusb_scan(const struct libusb_config_descriptor *cfg,
			      struct print_libusb_pick *pick)
{
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *itf = &cfg->interface[i];

		for (int a = 0; a < itf->num_altsetting; a++) {
			const struct libusb_interface_descriptor *d = &itf->altsetting[a];
			unsigned char ep;
			int r = print_libusb_rank(d, &ep);

			if (r > pick->proto) {
				pick->proto = (uint8_t)r;
				pick->iface = d->bInterfaceNumber;
				pick->alt = d->bAlternateSetting;
				pick->ep_out = ep;
			}
		}
	}
}

/* The printer interface of dev, if dev is the printer wanted. */
static int print_libusb_check(struct print_libusb *u, libusb_device *dev,
			      const struct print_libusb_want *w,
			      struct print_libusb_pick *pick)
{
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *cfg = NULL;

	memset(pick, 0, sizeof(*pick));
	if (u->usb->get_device_descriptor(dev, &dd) < 0)
		return 0;
	if (!w->any && (dd.idVendor != w->vid || dd.idProduct != w->pid))
		return 0;
	if (u->usb->get_active_config_descriptor(dev, &cfg) < 0 || !cfg)
		return 0;
	print_libusb_scan(cfg, pick);
	u->usb->free_config_descriptor(cfg);
	pick->dev = dev;
	pick->vid = dd.idVendor;
	pick->pid = dd.idProduct;
	return pick->proto != 0;
}

static int print_libusb_find(struct print_libusb *u, const struct print_libusb_want *w,
			     libusb_device **list, ssize_t n,
			     struct print_libusb_pick *pick)
{
	for (ssize_t i = 0; i < n && list[i]; i++)
		if (print_libusb_check(u, list[i], w, pick))
			return 0;
	if (w->any)
		err_detail("no USB printer found (is it plugged in and switched on?)");
	else
		err_detail("no USB printer %04x:%04x found (is it plugged in and "
			   "switched on?)", w->vid, w->pid);
	return ERR_PRINTER_ABSENT;
}

static void print_libusb_read_devid(struct print_libusb *u)
{
	uint8_t buf[PRINT_DEVICE_ID_MAX];
	int n;

	memset(buf, 0, sizeof(buf));
	n = u->usb->control_transfer(u->h, PRINT_USB_REQTYPE_CLASS_IN,
				     PRINT_USB_GET_DEVICE_ID, 0,
				     (uint16_t)(u->iface << 8 | u->alt), buf,
				     sizeof(buf) - 1, PRINT_LIBUSB_CTRL_TIMEOUT);
	if (n < 0 || print_devid_unwrap(buf, (size_t)n, u->base.device_id,
					sizeof(u->base.device_id)))
		u->base.device_id[0] = '\0';
}

/* Opens and claims the interface chosen; the caller frees the list after. */
static int print_libusb_claim(struct print_libusb *u, const struct print_libusb_pick *pick)
{
	int rc;

	u->iface = pick->iface;
	u->alt = pick->alt;
	u->ep_out = pick->ep_out;
	snprintf(u->base.label, sizeof(u->base.label), "USB %04x:%04x bus %u device %u",
		 pick->vid, pick->pid, u->usb->get_bus_number(pick->dev),
		 u->usb->get_device_address(pick->dev));
	rc = u->usb->open(pick->dev, &u->h);
	if (rc < 0)
		return print_libusb_err(u, rc, "open");
	/* usblp may hold the interface; libusb gives it back at close. */
	u->usb->set_auto_detach_kernel_driver(u->h, 1);
	rc = u->usb->claim_interface(u->h, u->iface);
	if (rc < 0)
		return print_libusb_err(u, rc, "claim interface");
	u->claimed = 1;
	if (u->alt) {
		rc = u->usb->set_interface_alt_setting(u->h, u->iface, u->alt);
		if (rc < 0)
			return print_libusb_err(u, rc, "set alternate setting");
	}
	print_libusb_read_devid(u);
	return 0;
}

static int print_libusb_connect(struct print_libusb *u, const struct print_libusb_want *w)
{
	struct print_libusb_pick pick;
	libusb_device **list = NULL;
	ssize_t n;
	int ret;

	if (u->usb->init(&u->ctx) < 0) {
		err_detail("libusb cannot start (no USB support?)");
		u->ctx = NULL;
		return ERR_IO;
	}
	n = u->usb->get_device_list(u->ctx, &list);
	if (n < 0)
		return print_libusb_err(u, (int)n, "list devices");
	ret = print_libusb_find(u, w, list, n, &pick);
	if (!ret)
		ret = print_libusb_claim(u, &pick);
	u->usb->free_device_list(list, 1);
	return ret;
}

static void print_libusb_close(struct printer *p)
{
	struct print_libusb *u = print_libusb_of(p);

	if (u->claimed)
		u->usb->release_interface(u->h, u->iface);
	if (u->h)
		u->usb->close(u->h);
	if (u->ctx)
		u->usb->exit(u->ctx);
	free(u);
}

int print_libusb_open_with(const struct usb_ops *usb, const char *spec,
			   struct printer **out)
{
	struct print_libusb_want w;
	struct print_libusb *u;
	int ret;

	if (!usb || !spec || !out)
		return ERR_INTERNAL;
	ret = print_libusb_parse_spec(spec, &w);
	if (ret)
		return ret;
	u = calloc(1, sizeof(*u));
	if (!u)
		return ERR_NOMEM;
	u->base.ops = &print_libusb_ops;
	u->base.timeout_ms = CONFIG_PRINT_TIMEOUT * 1000u;
	u->usb = usb;
	snprintf(u->base.label, sizeof(u->base.label), "USB printer");
	ret = print_libusb_connect(u, &w);
	if (ret) {
		print_libusb_close(&u->base);
		return ret;
	}
	*out = &u->base;
	return 0;
}

static int print_libusb_open(const char *spec, struct printer **out)
{
	return print_libusb_open_with(&usb_libusb, spec, out);
}

static int print_libusb_status(struct printer *p)
{
	struct print_libusb *u = print_libusb_of(p);
	unsigned char st = 0;
	unsigned t = u->base.timeout_ms < PRINT_LIBUSB_CTRL_TIMEOUT ?
		     u->base.timeout_ms : PRINT_LIBUSB_CTRL_TIMEOUT;
	int n = u->usb->control_transfer(u->h, PRINT_USB_REQTYPE_CLASS_IN,
					 PRINT_USB_GET_PORT_STATUS, 0, u->iface,
					 &st, 1, t);

	if (n == LIBUSB_ERROR_NO_DEVICE)
		return print_libusb_err(u, n, "get port status");
	if (n != 1)
		return PRINT_STATUS_UNKNOWN;
	return print_port_status_fault(st);
}

/* A transfer that moved nothing: the printer's reason, or rc's. */
static int print_libusb_stuck(struct print_libusb *u, int rc)
{
	int st = print_libusb_status(&u->base);

	if (st < 0)
		return st;
	if (rc == LIBUSB_ERROR_TIMEOUT) {
		err_detail("%s: the printer took no data for %u ms after %zu of %zu "
			   "bytes", u->base.label, u->base.timeout_ms, u->sent, u->total);
		return ERR_PRINTER_TIMEOUT;
	}
	return print_libusb_err(u, rc, "bulk OUT");
}

static int print_libusb_send(struct printer *p, const uint8_t *data, size_t len)
{
	struct print_libusb *u = print_libusb_of(p);
	size_t off = 0;

	u->sent = 0;
	u->total = len;
	while (off < len) {
		int n = len - off < PRINT_USB_CHUNK ? (int)(len - off) : PRINT_USB_CHUNK;
		int done = 0;
		/* libusb does not write to an OUT buffer; its prototype is shared. */
		int rc = u->usb->bulk_transfer(u->h, u->ep_out,
					       (unsigned char *)(data + off), n,
					       &done, u->base.timeout_ms);

		if (done < 0 || done > n)
			done = 0;
		off += (size_t)done;
		u->sent = off;
		if (rc == 0 || (rc == LIBUSB_ERROR_TIMEOUT && done > 0))
			continue;
		if (rc == LIBUSB_ERROR_TIMEOUT || rc == LIBUSB_ERROR_PIPE)
			return print_libusb_stuck(u, rc);
		return print_libusb_err(u, rc, "bulk OUT");
	}
	return 0;
}

/* Bulk transfers are synchronous: only the printer's state is left to see. */
static int print_libusb_finish(struct printer *p)
{
	int st = print_libusb_status(p);

	return st < 0 ? st : 0;
}

const struct print_ops print_libusb_ops = {
	.name = "libusb",
	.open = print_libusb_open,
	.send = print_libusb_send,
	.status = print_libusb_status,
	.finish = print_libusb_finish,
	.close = print_libusb_close,
};
