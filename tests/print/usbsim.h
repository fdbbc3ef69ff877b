/*
 * The bus the libusb backend's tests use: the simulated USB bus
 * (sim/usb_sim.h) opened by init(), holding a USB stick (mass storage)
 * and then a multi-function printer (sim/usb_sim_printer.h), and the check
 * that everything opened, claimed and listed was given back.
 * Include after <cmocka.h>; one test program per inclusion.
 */
#ifndef SCEAU_TESTS_PRINT_USBSIM_H
#define SCEAU_TESTS_PRINT_USBSIM_H

#include "print/print_libusb.h"
#include "sim/usb_sim.h"
#include "sim/usb_sim_printer.h"

#define USBSIM_DEVICE_ID "MFG:Hewlett-Packard;MDL:HP LaserJet M404;CMD:PJL,PCL,PCLXL,POSTSCRIPT,URF;CLS:PRINTER;"

static struct {
	struct usb_sim_bus bus;
	struct usb_sim_printer stick, printer;
} usbsim;

/* A fresh bus: a USB stick, then an idle PostScript printer 03f0:0a2a. */
static inline void usbsim_reset(void)
{
	usb_sim_printer_free(&usbsim.stick);
	usb_sim_printer_free(&usbsim.printer);
	usb_sim_bus_init(&usbsim.bus, 1);
	usb_sim_printer_init(&usbsim.stick, USB_SIM_STICK, 0x0781, 0x5567, 3);
	usb_sim_printer_init(&usbsim.printer, USB_SIM_PRINTER, 0x03f0, 0x0a2a, 7);
	usbsim.printer.device_id = USBSIM_DEVICE_ID;
	usbsim.printer.port_status = 0x18;
	assert_int_equal(usb_sim_plug(&usbsim.bus, &usbsim.stick.dev), 0);
	assert_int_equal(usb_sim_plug(&usbsim.bus, &usbsim.printer.dev), 0);
	usb_sim_set_host(&usbsim.bus);
}

static inline struct usb_sim_printer *usbsim_printer(void)
{
	return &usbsim.printer;
}

/* Everything opened, claimed and listed was given back. */
static inline void usbsim_assert_balanced(void)
{
	const struct usb_sim_dev *devs[] = { &usbsim.stick.dev, &usbsim.printer.dev };

	assert_int_equal(usbsim.bus.inits, usbsim.bus.exits);
	assert_int_equal(usbsim.bus.lists, usbsim.bus.list_frees);
	assert_int_equal(usbsim.bus.cfgs, usbsim.bus.cfg_frees);
	assert_int_equal(usbsim.bus.bad, 0);
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		assert_int_equal(devs[i]->opened, devs[i]->closed);
		assert_int_equal(devs[i]->claimed, devs[i]->released);
		assert_int_equal(devs[i]->bad, 0);
	}
}

/* print_libusb_ops with the simulated bus under it. */
static int usbsim_backend_open(const char *spec, struct printer **out)
{
	return print_libusb_open_with(&usb_sim_ops, spec, out);
}

static inline struct print_ops usbsim_backend(void)
{
	struct print_ops ops = print_libusb_ops;

	ops.open = usbsim_backend_open;
	return ops;
}

#endif
