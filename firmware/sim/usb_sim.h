/*
 * The simulated USB bus (CONFIG_USB_SIM, tests and demos only): struct
 * usb_ops (lib/usb.h) over devices that simulated hardware plugs in, so
 * that the real drivers (the CCID driver, the libusb printer backend) run
 * over it unchanged. The bus does what every device does alike: listing
 * and the device descriptor, opening, claiming the one interface a driver
 * may use, LIBUSB_ERROR_NO_DEVICE once a device is unplugged, and counting
 * every call whose result must be given back, so that tests see leaks. A
 * device does the rest: its configuration descriptor and its transfers.
 *
 * A libusb_context is a struct usb_sim_bus; a libusb_device and its handle
 * are both the struct usb_sim_dev (one handle per device). The devices:
 *   sim/ccid_sim.c          a CCID reader whose slots hold simulated cards,
 *                           on a bus of its own handed to the CCID driver
 *   sim/usb_sim_printer.c   a USB printer with fault knobs (and a USB stick,
 *                           which is none), on the bus init() opens
 */
#ifndef SCEAU_SIM_USB_SIM_H
#define SCEAU_SIM_USB_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/usb.h"

#define USB_SIM_DEVS 4

struct usb_sim_dev;

/* What a device does itself; a NULL transfer stalls (LIBUSB_ERROR_PIPE). */
struct usb_sim_dev_ops {
	/* Fills dev->cfg (and what it points to, which the device holds). */
	void (*config)(struct usb_sim_dev *d);
	int (*control)(struct usb_sim_dev *d, uint8_t type, uint8_t req,
		       uint16_t value, uint16_t index, unsigned char *data,
		       uint16_t len, unsigned int timeout);
	int (*bulk)(struct usb_sim_dev *d, unsigned char ep, unsigned char *data,
		    int len, int *done, unsigned int timeout);
	int (*interrupt)(struct usb_sim_dev *d, unsigned char ep,
			 unsigned char *data, int len, int *done,
			 unsigned int timeout);
	/* 1 while the device is unplugged by a rule of its own (NULL: none). */
	int (*gone)(const struct usb_sim_dev *d);
	/* The device's clock in ms (NULL: CLOCK_MONOTONIC). */
	uint64_t (*now_ms)(struct usb_sim_dev *d);
};

struct usb_sim_dev {
	/* set by the device, or by a test as a fault */
	const struct usb_sim_dev_ops *ops;
	uint16_t vid, pid;
	uint8_t addr;
	int iface;     /* the interface a driver may claim */
	int detach_rc; /* what set_auto_detach_kernel_driver answers */
	int unplugged; /* off the bus: not listed, every call NO_DEVICE */
	int busy;      /* claiming fails: another driver holds the interface */
	struct libusb_config_descriptor cfg;
	/* seen by the bus */
	struct usb_sim_bus *bus;
	int opened, closed, claimed, released, halts, alt;
	int bad; /* requests no driver may make (another interface, no claim) */
};

struct usb_sim_bus {
	uint8_t number;
	struct usb_sim_dev *dev[USB_SIM_DEVS];
	size_t ndev;   /* a test may lower it: the last devices leave the bus */
	int init_fails; /* init() fails, as without USB support */
	/* seen by the bus */
	int inits, exits, lists, list_frees, cfgs, cfg_frees, bad;
	unsigned refs; /* contexts handed out and not exited yet */
	/* Called when the last context is exited (NULL: the bus stays). */
	void (*release)(struct usb_sim_bus *b);
	libusb_device *list[USB_SIM_DEVS + 1];
};

extern const struct usb_ops usb_sim_ops;

/* An empty bus with that number. */
void usb_sim_bus_init(struct usb_sim_bus *b, uint8_t number);
/* Plugs d in (d->addr is the caller's). ERR_RANGE when the bus is full. */
int usb_sim_plug(struct usb_sim_bus *b, struct usb_sim_dev *d);
/* The bus that usb_sim_ops.init() opens; NULL: init() fails. */
void usb_sim_set_host(struct usb_sim_bus *b);
/* b as a ready context for a driver that takes one (the CCID driver):
 * one more holder, whom the driver exits. */
libusb_context *usb_sim_hold(struct usb_sim_bus *b);

#endif
