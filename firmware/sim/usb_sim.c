/*
 * The simulated USB bus: the calls of struct usb_ops that every device
 * answers alike, checked and counted here; transfers go to the device
 * (sim/usb_sim.h). Single-threaded, as the drivers above it are.
 */
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"
#include "sim/usb_sim.h"

static struct usb_sim_bus *usb_sim_host; /* what init() opens */

static struct usb_sim_bus *usb_sim_bus_of(libusb_context *ctx)
{
	return (struct usb_sim_bus *)(void *)ctx;
}

static struct usb_sim_dev *usb_sim_dev_of(const void *p)
{
	return (struct usb_sim_dev *)(uintptr_t)p;
}

static int usb_sim_gone(const struct usb_sim_dev *d)
{
	return d->unplugged || (d->ops->gone && d->ops->gone(d));
}

/* A transfer needs the interface claimed, as on a real device. */
static void usb_sim_check_claimed(struct usb_sim_dev *d)
{
	if (d->claimed <= d->released)
		d->bad++;
}

void usb_sim_bus_init(struct usb_sim_bus *b, uint8_t number)
{
	memset(b, 0, sizeof(*b));
	b->number = number;
}

int usb_sim_plug(struct usb_sim_bus *b, struct usb_sim_dev *d)
{
	if (b->ndev == USB_SIM_DEVS)
		return ERR_RANGE;
	d->bus = b;
	b->dev[b->ndev++] = d;
	return 0;
}

void usb_sim_set_host(struct usb_sim_bus *b)
{
	usb_sim_host = b;
}

libusb_context *usb_sim_hold(struct usb_sim_bus *b)
{
	b->refs++;
	return (libusb_context *)(void *)b;
}

static int usb_sim_init(libusb_context **ctx)
{
	if (!usb_sim_host || usb_sim_host->init_fails)
		return LIBUSB_ERROR_OTHER;
	usb_sim_host->inits++;
	*ctx = usb_sim_hold(usb_sim_host);
	return 0;
}

static void usb_sim_exit(libusb_context *ctx)
{
	struct usb_sim_bus *b = usb_sim_bus_of(ctx);

	b->exits++;
	if (b->refs == 0) {
		b->bad++; /* exited more often than handed out */
		return;
	}
	if (--b->refs == 0 && b->release)
		b->release(b);
}

/* Unplugged devices leave the list. */
static ssize_t usb_sim_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	struct usb_sim_bus *b = usb_sim_bus_of(ctx);
	size_t n = 0;

	for (size_t i = 0; i < b->ndev; i++)
		if (!usb_sim_gone(b->dev[i]))
			b->list[n++] = (libusb_device *)(void *)b->dev[i];
	b->list[n] = NULL;
	b->lists++;
	*list = b->list;
	return (ssize_t)n;
}

/* The list is the bus's own array: its place gives the bus back. */
static void usb_sim_free_device_list(libusb_device **list, int unref)
{
	struct usb_sim_bus *b = (struct usb_sim_bus *)(void *)
		((char *)list - offsetof(struct usb_sim_bus, list));

	if (unref != 1)
		b->bad++; /* the devices would stay referenced */
	b->list_frees++;
}

static int usb_sim_get_device_descriptor(libusb_device *dev,
					 struct libusb_device_descriptor *desc)
{
	const struct usb_sim_dev *d = usb_sim_dev_of(dev);

	memset(desc, 0, sizeof(*desc));
	desc->bLength = LIBUSB_DT_DEVICE_SIZE;
	desc->bDescriptorType = LIBUSB_DT_DEVICE;
	desc->idVendor = d->vid;
	desc->idProduct = d->pid;
	desc->bNumConfigurations = 1;
	return 0;
}

static int usb_sim_get_active_config_descriptor(libusb_device *dev,
						struct libusb_config_descriptor **config)
{
	struct usb_sim_dev *d = usb_sim_dev_of(dev);

	if (d->ops->config)
		d->ops->config(d);
	d->bus->cfgs++;
	*config = &d->cfg;
	return 0;
}

/* The descriptor is the device's own: its place gives the device back. */
static void usb_sim_free_config_descriptor(struct libusb_config_descriptor *config)
{
	struct usb_sim_dev *d = (struct usb_sim_dev *)(void *)
		((char *)config - offsetof(struct usb_sim_dev, cfg));

	d->bus->cfg_frees++;
}

static uint8_t usb_sim_get_bus_number(libusb_device *dev)
{
	return usb_sim_dev_of(dev)->bus->number;
}

static uint8_t usb_sim_get_device_address(libusb_device *dev)
{
	return usb_sim_dev_of(dev)->addr;
}

static int usb_sim_open(libusb_device *dev, libusb_device_handle **h)
{
	struct usb_sim_dev *d = usb_sim_dev_of(dev);

	if (usb_sim_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	d->opened++;
	*h = (libusb_device_handle *)(void *)d;
	return 0;
}

static void usb_sim_close(libusb_device_handle *h)
{
	usb_sim_dev_of(h)->closed++;
}

static int usb_sim_set_auto_detach_kernel_driver(libusb_device_handle *h, int enable)
{
	return usb_sim_dev_of(h)->detach_rc;
}

static int usb_sim_claim_interface(libusb_device_handle *h, int iface)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);

	if (usb_sim_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	if (iface != d->iface) {
		d->bad++;
		return LIBUSB_ERROR_NOT_FOUND;
	}
	if (d->busy)
		return LIBUSB_ERROR_BUSY;
	d->claimed++;
	return 0;
}

static int usb_sim_release_interface(libusb_device_handle *h, int iface)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);

	if (iface != d->iface) {
		d->bad++;
		return LIBUSB_ERROR_NOT_FOUND;
	}
	d->released++;
	return 0;
}

static int usb_sim_set_interface_alt_setting(libusb_device_handle *h, int iface,
					     int alt)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);

	if (iface != d->iface || d->claimed <= d->released)
		d->bad++;
	d->alt = alt;
	return 0;
}

static int usb_sim_clear_halt(libusb_device_handle *h, unsigned char endpoint)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);

	if (usb_sim_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	d->halts++;
	return 0;
}

static int usb_sim_control_transfer(libusb_device_handle *h, uint8_t type,
				    uint8_t req, uint16_t value, uint16_t index,
				    unsigned char *data, uint16_t len,
				    unsigned int timeout)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);

	if (usb_sim_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	if (!d->ops->control)
		return LIBUSB_ERROR_PIPE;
	return d->ops->control(d, type, req, value, index, data, len, timeout);
}

/* A bulk or an interrupt transfer (the device's bulk or interrupt). */
static int usb_sim_transfer(libusb_device_handle *h, int interrupt, unsigned char ep,
			    unsigned char *data, int len, int *done, unsigned int timeout)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);
	int (*fn)(struct usb_sim_dev *, unsigned char, unsigned char *, int, int *,
		  unsigned int);

	*done = 0;
	if (usb_sim_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	usb_sim_check_claimed(d);
	fn = interrupt ? d->ops->interrupt : d->ops->bulk;
	if (!fn)
		return LIBUSB_ERROR_PIPE;
	return fn(d, ep, data, len, done, timeout);
}

static int usb_sim_bulk_transfer(libusb_device_handle *h, unsigned char ep,
				 unsigned char *data, int len, int *done,
				 unsigned int timeout)
{
	return usb_sim_transfer(h, 0, ep, data, len, done, timeout);
}

static int usb_sim_interrupt_transfer(libusb_device_handle *h, unsigned char ep,
				      unsigned char *data, int len, int *done,
				      unsigned int timeout)
{
	return usb_sim_transfer(h, 1, ep, data, len, done, timeout);
}

static uint64_t usb_sim_now_ms(libusb_device_handle *h)
{
	struct usb_sim_dev *d = usb_sim_dev_of(h);
	struct timespec ts;

	if (d->ops->now_ms)
		return d->ops->now_ms(d);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Error names are libusb's own, as the bureau would read them on a box. */
const struct usb_ops usb_sim_ops = {
	.init = usb_sim_init,
	.exit = usb_sim_exit,
	.error_name = libusb_error_name,
	.get_device_list = usb_sim_get_device_list,
	.free_device_list = usb_sim_free_device_list,
	.get_device_descriptor = usb_sim_get_device_descriptor,
	.get_active_config_descriptor = usb_sim_get_active_config_descriptor,
	.free_config_descriptor = usb_sim_free_config_descriptor,
	.get_bus_number = usb_sim_get_bus_number,
	.get_device_address = usb_sim_get_device_address,
	.open = usb_sim_open,
	.close = usb_sim_close,
	.set_auto_detach_kernel_driver = usb_sim_set_auto_detach_kernel_driver,
	.claim_interface = usb_sim_claim_interface,
	.release_interface = usb_sim_release_interface,
	.set_interface_alt_setting = usb_sim_set_interface_alt_setting,
	.clear_halt = usb_sim_clear_halt,
	.control_transfer = usb_sim_control_transfer,
	.bulk_transfer = usb_sim_bulk_transfer,
	.interrupt_transfer = usb_sim_interrupt_transfer,
	.now_ms = usb_sim_now_ms,
};
