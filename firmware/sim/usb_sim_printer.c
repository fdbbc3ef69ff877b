/*
 * The simulated USB printer (sim/usb_sim_printer.h): its descriptors, the
 * printer-class requests GET_DEVICE_ID and GET_PORT_STATUS, and bulk OUT
 * with the faults the tests ask for. Opening, claiming and unplugging are
 * the bus's (sim/usb_sim.c).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/usb_sim_printer.h"

#define USB_SIM_PRINTER_EP_OUT 0x03 /* of 7/1/2 and of 7/1/1 */

static struct usb_sim_printer *usb_sim_printer_of(struct usb_sim_dev *d)
{
	return (struct usb_sim_printer *)(void *)d;
}

static void usb_sim_printer_ep(struct libusb_endpoint_descriptor *e, uint8_t addr)
{
	memset(e, 0, sizeof(*e));
	e->bLength = LIBUSB_DT_ENDPOINT_SIZE;
	e->bDescriptorType = LIBUSB_DT_ENDPOINT;
	e->bEndpointAddress = addr;
	e->bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	e->wMaxPacketSize = 512;
}

static void usb_sim_printer_alt(struct usb_sim_printer *p, int i, uint8_t num,
				uint8_t alt, const uint8_t cls[3], uint8_t out,
				uint8_t in)
{
	struct libusb_interface_descriptor *d = &p->alts[i];

	memset(d, 0, sizeof(*d));
	usb_sim_printer_ep(&p->eps[i][0], out);
	usb_sim_printer_ep(&p->eps[i][1], in);
	d->bLength = LIBUSB_DT_INTERFACE_SIZE;
	d->bDescriptorType = LIBUSB_DT_INTERFACE;
	d->bInterfaceNumber = num;
	d->bAlternateSetting = alt;
	d->bNumEndpoints = in ? 2 : 1;
	d->bInterfaceClass = cls[0];
	d->bInterfaceSubClass = cls[1];
	d->bInterfaceProtocol = cls[2];
	d->endpoint = p->eps[i];
}

/* Built at every request: a test may change the kind after init. */
static void usb_sim_printer_config(struct usb_sim_dev *dev)
{
	static const uint8_t stick[3] = { 8, 6, 0x50 }, vendor[3] = { 0xff, 0, 0 },
			     p1284[3] = { 7, 1, 3 }, bidi[3] = { 7, 1, 2 },
			     uni[3] = { 7, 1, 1 };
	struct usb_sim_printer *p = usb_sim_printer_of(dev);
	struct libusb_config_descriptor *c = &dev->cfg;

	memset(c, 0, sizeof(*c));
	c->bLength = LIBUSB_DT_CONFIG_SIZE;
	c->bDescriptorType = LIBUSB_DT_CONFIG;
	c->bConfigurationValue = 1;
	c->interface = p->itf;
	if (p->kind == USB_SIM_STICK) {
		usb_sim_printer_alt(p, 0, 0, 0, stick, 0x01, 0x81);
		p->itf[0] = (struct libusb_interface){ &p->alts[0], 1 };
		c->bNumInterfaces = 1;
		return;
	}
	usb_sim_printer_alt(p, 0, 0, 0, vendor, 0x01, 0x81);
	p->itf[0] = (struct libusb_interface){ &p->alts[0], 1 };
	if (p->kind == USB_SIM_PRINTER_UNI) {
		usb_sim_printer_alt(p, 1, USB_SIM_PRINTER_IFACE, 0, uni,
				    USB_SIM_PRINTER_EP_OUT, 0);
		p->itf[1] = (struct libusb_interface){ &p->alts[1], 1 };
	} else {
		usb_sim_printer_alt(p, 1, USB_SIM_PRINTER_IFACE, 0, p1284, 0x02, 0x82);
		usb_sim_printer_alt(p, 2, USB_SIM_PRINTER_IFACE, 1, bidi,
				    USB_SIM_PRINTER_EP_OUT, 0x83);
		p->itf[1] = (struct libusb_interface){ &p->alts[1], 2 };
	}
	c->bNumInterfaces = 2;
}

/* IEEE 1284 device id: a two-byte big-endian length (some printers send it
 * little-endian), then the text; a device sends what fits. */
static int usb_sim_printer_device_id(struct usb_sim_printer *p, uint16_t value,
				     uint16_t index, unsigned char *data,
				     uint16_t len)
{
	size_t full, n;

	p->devid_value = value;
	p->devid_index = index;
	if (!p->device_id)
		return LIBUSB_ERROR_PIPE;
	full = strlen(p->device_id) + 2;
	n = full > len ? len : full;
	if (n < 2)
		return LIBUSB_ERROR_OVERFLOW;
	data[p->devid_le ? 1 : 0] = (uint8_t)(full >> 8);
	data[p->devid_le ? 0 : 1] = (uint8_t)full;
	memcpy(data + 2, p->device_id, n - 2);
	return (int)n;
}

static int usb_sim_printer_control(struct usb_sim_dev *dev, uint8_t type,
				   uint8_t req, uint16_t value, uint16_t index,
				   unsigned char *data, uint16_t len,
				   unsigned int timeout)
{
	struct usb_sim_printer *p = usb_sim_printer_of(dev);

	if (type != 0xA1) { /* device-to-host, class, interface */
		dev->bad++;
		return LIBUSB_ERROR_PIPE;
	}
	if (req == 0)
		return usb_sim_printer_device_id(p, value, index, data, len);
	if (req != 1 || len < 1) {
		dev->bad++;
		return LIBUSB_ERROR_PIPE;
	}
	p->status_index = index;
	if (p->status_stalls)
		return LIBUSB_ERROR_PIPE;
	data[0] = p->port_status;
	return 1;
}

static int usb_sim_printer_take(struct usb_sim_printer *p, const unsigned char *data,
				size_t n)
{
	if (p->got_len + n > p->got_cap) {
		size_t cap = (p->got_len + n) * 2;
		uint8_t *got = realloc(p->got, cap);

		if (!got)
			return LIBUSB_ERROR_NO_MEM;
		p->got = got;
		p->got_cap = cap;
	}
	memcpy(p->got + p->got_len, data, n);
	p->got_len += n;
	return 0;
}

/* Bulk OUT, with the faults: timeouts, unplugged mid-job, a slow printer. */
static int usb_sim_printer_bulk(struct usb_sim_dev *dev, unsigned char ep,
				unsigned char *data, int len, int *done,
				unsigned int timeout)
{
	struct usb_sim_printer *p = usb_sim_printer_of(dev);
	size_t n = (size_t)len;
	int rc;

	p->transfers++;
	p->bulk_timeout = timeout;
	/* 7/1/2 is alternate setting 1, 7/1/1 the only one. */
	if (ep != USB_SIM_PRINTER_EP_OUT || dev->alt != (p->kind == USB_SIM_PRINTER))
		dev->bad++;
	if (p->bulk_timeouts > 0) {
		p->bulk_timeouts--;
		return LIBUSB_ERROR_TIMEOUT;
	}
	if (p->unplug_after && p->got_len + n >= p->unplug_after) {
		n = p->unplug_after - p->got_len;
		rc = usb_sim_printer_take(p, data, n);
		*done = rc ? 0 : (int)n;
		dev->unplugged = 1;
		return rc ? rc : LIBUSB_ERROR_NO_DEVICE;
	}
	if (p->take_max && n > p->take_max) {
		rc = usb_sim_printer_take(p, data, p->take_max);
		*done = rc ? 0 : (int)p->take_max;
		return rc ? rc : LIBUSB_ERROR_TIMEOUT;
	}
	rc = usb_sim_printer_take(p, data, n);
	*done = rc ? 0 : len;
	return rc;
}

static const struct usb_sim_dev_ops usb_sim_printer_ops = {
	.config = usb_sim_printer_config,
	.control = usb_sim_printer_control,
	.bulk = usb_sim_printer_bulk,
};

void usb_sim_printer_init(struct usb_sim_printer *p, enum usb_sim_printer_kind kind,
			  uint16_t vid, uint16_t pid, uint8_t addr)
{
	memset(p, 0, sizeof(*p));
	p->dev.ops = &usb_sim_printer_ops;
	p->dev.vid = vid;
	p->dev.pid = pid;
	p->dev.addr = addr;
	p->dev.iface = kind == USB_SIM_STICK ? 0 : USB_SIM_PRINTER_IFACE;
	/* As on a platform without it: the backend must go on. */
	p->dev.detach_rc = LIBUSB_ERROR_NOT_SUPPORTED;
	p->kind = kind;
}

void usb_sim_printer_free(struct usb_sim_printer *p)
{
	free(p->got);
	p->got = NULL;
	p->got_len = p->got_cap = 0;
}
