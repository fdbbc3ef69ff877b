/*
 * A simulated USB bus for the libusb backend: struct print_usb_ops over
 * devices described by the test. By default the bus holds a USB stick
 * (mass storage) and then a multi-function printer whose interface 0 is a
 * vendor-specific scanner and interface 1 the printer, with alternate
 * setting 0 = 7/1/3 (IEEE 1284.4, must not be used) and 1 = 7/1/2. The
 * simulator checks the requests it gets (request type, wIndex, endpoint)
 * and counts opens, claims and frees so that tests see leaks.
 * Include after <cmocka.h>; one test program per inclusion.
 */
#ifndef SCEAU_TESTS_PRINT_USBSIM_H
#define SCEAU_TESTS_PRINT_USBSIM_H

#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "print/print_libusb.h"

#define USBSIM_DEVS 4
#define USBSIM_PRINTER_IFACE 1

enum usbsim_kind { USBSIM_STICK, USBSIM_PRINTER, USBSIM_PRINTER_UNI };

struct usbsim_dev {
	/* set by the test */
	enum usbsim_kind kind;
	uint16_t vid, pid;
	uint8_t bus, addr;
	const char *device_id; /* NULL: GET_DEVICE_ID stalls */
	int devid_le;          /* answers the length little-endian */
	uint8_t port_status;   /* GET_PORT_STATUS: 0x18 = selected, no error */
	int status_stalls;
	size_t unplug_after;   /* unplugged once this many bytes were taken */
	int bulk_timeouts;     /* this many transfers time out taking nothing */
	size_t take_max;       /* takes at most this per transfer, then times out */
	int busy;              /* claim fails: another driver holds it */
	/* seen by the simulator */
	uint8_t *got;
	size_t got_len, got_cap;
	int opened, closed, claimed, released, alt, transfers, bad;
	uint16_t devid_value, devid_index, status_index;
	unsigned bulk_timeout;
	int unplugged;
	/* descriptors */
	struct libusb_endpoint_descriptor eps[3][2];
	struct libusb_interface_descriptor alts[3];
	struct libusb_interface itf[2];
	struct libusb_config_descriptor cfg;
};

static struct {
	struct usbsim_dev dev[USBSIM_DEVS];
	size_t ndev;
	int init_fails;
	int inits, exits, lists, list_frees, cfgs, cfg_frees;
	libusb_device *list[USBSIM_DEVS + 1];
} usbsim;

static struct usbsim_dev *usbsim_dev_of(void *p)
{
	return (struct usbsim_dev *)p;
}

static int usbsim_init(libusb_context **ctx)
{
	if (usbsim.init_fails)
		return LIBUSB_ERROR_OTHER;
	usbsim.inits++;
	*ctx = (libusb_context *)&usbsim;
	return 0;
}

static void usbsim_exit(libusb_context *ctx)
{
	if ((void *)ctx != (void *)&usbsim)
		fail_msg("libusb_exit of an unknown context");
	usbsim.exits++;
}

static ssize_t usbsim_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	size_t n = 0;

	(void)ctx;
	/* Unplugged devices leave the bus. */
	for (size_t i = 0; i < usbsim.ndev; i++)
		if (!usbsim.dev[i].unplugged)
			usbsim.list[n++] = (libusb_device *)&usbsim.dev[i];
	usbsim.list[n] = NULL;
	usbsim.lists++;
	*list = usbsim.list;
	return (ssize_t)n;
}

static void usbsim_free_device_list(libusb_device **list, int unref)
{
	if (list != usbsim.list || unref != 1)
		fail_msg("device list freed wrongly");
	usbsim.list_frees++;
}

static int usbsim_get_device_descriptor(libusb_device *dev,
					struct libusb_device_descriptor *d)
{
	struct usbsim_dev *s = usbsim_dev_of(dev);

	memset(d, 0, sizeof(*d));
	d->bLength = LIBUSB_DT_DEVICE_SIZE;
	d->bDescriptorType = LIBUSB_DT_DEVICE;
	d->idVendor = s->vid;
	d->idProduct = s->pid;
	d->bNumConfigurations = 1;
	return 0;
}

static void usbsim_ep(struct libusb_endpoint_descriptor *e, uint8_t addr)
{
	memset(e, 0, sizeof(*e));
	e->bLength = LIBUSB_DT_ENDPOINT_SIZE;
	e->bDescriptorType = LIBUSB_DT_ENDPOINT;
	e->bEndpointAddress = addr;
	e->bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	e->wMaxPacketSize = 512;
}

static void usbsim_alt(struct usbsim_dev *s, int i, uint8_t num, uint8_t alt,
		       const uint8_t cls[3], uint8_t out, uint8_t in)
{
	struct libusb_interface_descriptor *d = &s->alts[i];

	memset(d, 0, sizeof(*d));
	usbsim_ep(&s->eps[i][0], out);
	usbsim_ep(&s->eps[i][1], in);
	d->bLength = LIBUSB_DT_INTERFACE_SIZE;
	d->bDescriptorType = LIBUSB_DT_INTERFACE;
	d->bInterfaceNumber = num;
	d->bAlternateSetting = alt;
	d->bNumEndpoints = in ? 2 : 1;
	d->bInterfaceClass = cls[0];
	d->bInterfaceSubClass = cls[1];
	d->bInterfaceProtocol = cls[2];
	d->endpoint = s->eps[i];
}

static void usbsim_build(struct usbsim_dev *s)
{
	static const uint8_t stick[3] = { 8, 6, 0x50 }, vendor[3] = { 0xff, 0, 0 },
			     p1284[3] = { 7, 1, 3 }, bidi[3] = { 7, 1, 2 },
			     uni[3] = { 7, 1, 1 };

	memset(&s->cfg, 0, sizeof(s->cfg));
	s->cfg.bLength = LIBUSB_DT_CONFIG_SIZE;
	s->cfg.bDescriptorType = LIBUSB_DT_CONFIG;
	s->cfg.bConfigurationValue = 1;
	s->cfg.interface = s->itf;
	if (s->kind == USBSIM_STICK) {
		usbsim_alt(s, 0, 0, 0, stick, 0x01, 0x81);
		s->itf[0] = (struct libusb_interface){ &s->alts[0], 1 };
		s->cfg.bNumInterfaces = 1;
		return;
	}
	usbsim_alt(s, 0, 0, 0, vendor, 0x01, 0x81);
	s->itf[0] = (struct libusb_interface){ &s->alts[0], 1 };
	if (s->kind == USBSIM_PRINTER_UNI) {
		usbsim_alt(s, 1, USBSIM_PRINTER_IFACE, 0, uni, 0x03, 0);
		s->itf[1] = (struct libusb_interface){ &s->alts[1], 1 };
	} else {
		usbsim_alt(s, 1, USBSIM_PRINTER_IFACE, 0, p1284, 0x02, 0x82);
		usbsim_alt(s, 2, USBSIM_PRINTER_IFACE, 1, bidi, 0x03, 0x83);
		s->itf[1] = (struct libusb_interface){ &s->alts[1], 2 };
	}
	s->cfg.bNumInterfaces = 2;
}

static int usbsim_get_active_config_descriptor(libusb_device *dev,
					       struct libusb_config_descriptor **c)
{
	struct usbsim_dev *s = usbsim_dev_of(dev);

	usbsim_build(s);
	usbsim.cfgs++;
	*c = &s->cfg;
	return 0;
}

static void usbsim_free_config_descriptor(struct libusb_config_descriptor *c)
{
	(void)c;
	usbsim.cfg_frees++;
}

static uint8_t usbsim_get_bus_number(libusb_device *dev)
{
	return usbsim_dev_of(dev)->bus;
}

static uint8_t usbsim_get_device_address(libusb_device *dev)
{
	return usbsim_dev_of(dev)->addr;
}

static int usbsim_open(libusb_device *dev, libusb_device_handle **h)
{
	struct usbsim_dev *s = usbsim_dev_of(dev);

	if (s->unplugged)
		return LIBUSB_ERROR_NO_DEVICE;
	s->opened++;
	*h = (libusb_device_handle *)s;
	return 0;
}

static void usbsim_close(libusb_device_handle *h)
{
	usbsim_dev_of(h)->closed++;
}

static int usbsim_set_auto_detach_kernel_driver(libusb_device_handle *h, int on)
{
	(void)h;
	(void)on;
	return LIBUSB_ERROR_NOT_SUPPORTED; /* as on a platform without it */
}

static int usbsim_claim_interface(libusb_device_handle *h, int iface)
{
	struct usbsim_dev *s = usbsim_dev_of(h);

	if (iface != USBSIM_PRINTER_IFACE)
		s->bad++;
	if (s->busy)
		return LIBUSB_ERROR_BUSY;
	s->claimed++;
	return 0;
}

static int usbsim_release_interface(libusb_device_handle *h, int iface)
{
	(void)iface;
	usbsim_dev_of(h)->released++;
	return 0;
}

static int usbsim_set_interface_alt_setting(libusb_device_handle *h, int iface, int alt)
{
	struct usbsim_dev *s = usbsim_dev_of(h);

	if (iface != USBSIM_PRINTER_IFACE || !s->claimed)
		s->bad++;
	s->alt = alt;
	return 0;
}

static int usbsim_device_id(struct usbsim_dev *s, uint16_t value, uint16_t index,
			    unsigned char *data, uint16_t len)
{
	size_t n;

	s->devid_value = value;
	s->devid_index = index;
	if (!s->device_id)
		return LIBUSB_ERROR_PIPE;
	n = strlen(s->device_id) + 2;
	if (n > len)
		n = len; /* a device sends what fits */
	data[s->devid_le ? 1 : 0] = (uint8_t)((strlen(s->device_id) + 2) >> 8);
	data[s->devid_le ? 0 : 1] = (uint8_t)(strlen(s->device_id) + 2);
	memcpy(data + 2, s->device_id, n - 2);
	return (int)n;
}

static int usbsim_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
				   uint16_t value, uint16_t index, unsigned char *data,
				   uint16_t len, unsigned int timeout)
{
	struct usbsim_dev *s = usbsim_dev_of(h);

	(void)timeout;
	if (s->unplugged)
		return LIBUSB_ERROR_NO_DEVICE;
	if (type != 0xA1) {
		s->bad++;
		return LIBUSB_ERROR_PIPE;
	}
	if (req == 0)
		return usbsim_device_id(s, value, index, data, len);
	if (req != 1 || len < 1) {
		s->bad++;
		return LIBUSB_ERROR_PIPE;
	}
	s->status_index = index;
	if (s->status_stalls)
		return LIBUSB_ERROR_PIPE;
	data[0] = s->port_status;
	return 1;
}

static void usbsim_take(struct usbsim_dev *s, const unsigned char *data, size_t n)
{
	if (s->got_len + n > s->got_cap) {
		s->got_cap = (s->got_len + n) * 2;
		s->got = realloc(s->got, s->got_cap);
		assert_non_null(s->got);
	}
	memcpy(s->got + s->got_len, data, n);
	s->got_len += n;
}

static int usbsim_bulk_transfer(libusb_device_handle *h, unsigned char ep,
				unsigned char *data, int len, int *done, unsigned int timeout)
{
	struct usbsim_dev *s = usbsim_dev_of(h);
	size_t n = (size_t)len;

	*done = 0;
	s->transfers++;
	s->bulk_timeout = timeout;
	/* 7/1/2 is alternate setting 1, 7/1/1 the only one; both use 0x03. */
	if (ep != 0x03 || s->alt != (s->kind == USBSIM_PRINTER) || !s->claimed)
		s->bad++;
	if (s->unplugged)
		return LIBUSB_ERROR_NO_DEVICE;
	if (s->bulk_timeouts > 0) {
		s->bulk_timeouts--;
		return LIBUSB_ERROR_TIMEOUT;
	}
	if (s->unplug_after && s->got_len + n >= s->unplug_after) {
		n = s->unplug_after - s->got_len;
		usbsim_take(s, data, n);
		*done = (int)n;
		s->unplugged = 1;
		return LIBUSB_ERROR_NO_DEVICE;
	}
	if (s->take_max && n > s->take_max) {
		usbsim_take(s, data, s->take_max);
		*done = (int)s->take_max;
		return LIBUSB_ERROR_TIMEOUT;
	}
	usbsim_take(s, data, n);
	*done = len;
	return 0;
}

static const struct print_usb_ops usbsim_ops = {
	.init = usbsim_init,
	.exit = usbsim_exit,
	.error_name = libusb_error_name,
	.get_device_list = usbsim_get_device_list,
	.free_device_list = usbsim_free_device_list,
	.get_device_descriptor = usbsim_get_device_descriptor,
	.get_active_config_descriptor = usbsim_get_active_config_descriptor,
	.free_config_descriptor = usbsim_free_config_descriptor,
	.get_bus_number = usbsim_get_bus_number,
	.get_device_address = usbsim_get_device_address,
	.open = usbsim_open,
	.close = usbsim_close,
	.set_auto_detach_kernel_driver = usbsim_set_auto_detach_kernel_driver,
	.claim_interface = usbsim_claim_interface,
	.release_interface = usbsim_release_interface,
	.set_interface_alt_setting = usbsim_set_interface_alt_setting,
	.control_transfer = usbsim_control_transfer,
	.bulk_transfer = usbsim_bulk_transfer,
};

#define USBSIM_DEVICE_ID "MFG:Hewlett-Packard;MDL:HP LaserJet M404;CMD:PJL,PCL,PCLXL,POSTSCRIPT,URF;CLS:PRINTER;"

/* A fresh bus: a USB stick, then an idle PostScript printer 03f0:0a2a. */
static inline void usbsim_reset(void)
{
	for (size_t i = 0; i < usbsim.ndev; i++)
		free(usbsim.dev[i].got);
	memset(&usbsim, 0, sizeof(usbsim));
	usbsim.ndev = 2;
	usbsim.dev[0] = (struct usbsim_dev){ .kind = USBSIM_STICK, .vid = 0x0781,
					     .pid = 0x5567, .bus = 1, .addr = 3 };
	usbsim.dev[1] = (struct usbsim_dev){ .kind = USBSIM_PRINTER, .vid = 0x03f0,
					     .pid = 0x0a2a, .bus = 1, .addr = 7,
					     .device_id = USBSIM_DEVICE_ID,
					     .port_status = 0x18 };
}

static inline struct usbsim_dev *usbsim_printer(void)
{
	return &usbsim.dev[1];
}

/* Everything opened, claimed and listed was given back. */
static inline void usbsim_assert_balanced(void)
{
	assert_int_equal(usbsim.inits, usbsim.exits);
	assert_int_equal(usbsim.lists, usbsim.list_frees);
	assert_int_equal(usbsim.cfgs, usbsim.cfg_frees);
	for (size_t i = 0; i < usbsim.ndev; i++) {
		assert_int_equal(usbsim.dev[i].opened, usbsim.dev[i].closed);
		assert_int_equal(usbsim.dev[i].claimed, usbsim.dev[i].released);
		assert_int_equal(usbsim.dev[i].bad, 0);
	}
}

/* print_libusb_ops with the simulated bus under it. */
static int usbsim_backend_open(const char *spec, struct printer **out)
{
	return print_libusb_open_with(&usbsim_ops, spec, out);
}

static inline struct print_ops usbsim_backend(void)
{
	struct print_ops ops = print_libusb_ops;

	ops.open = usbsim_backend_open;
	return ops;
}

#endif
