/*
 * A simulated USB printer on the simulated bus (CONFIG_PRINT_LIBUSB_SIM,
 * tests only), for the libusb backend: a multi-function printer whose
 * interface 0 is a vendor-specific scanner and interface 1 the printer,
 * with alternate setting 0 = 7/1/3 (IEEE 1284.4, must not be used) and
 * 1 = 7/1/2 (bidirectional); or a unidirectional one (7/1/1 only); or a
 * USB stick (mass storage), which is no printer and must be left alone.
 * It checks every request it receives (request type, wIndex, endpoint,
 * alternate setting) and keeps every byte it is sent. The fields "set by
 * the test" are its faults.
 */
#ifndef SCEAU_SIM_USB_SIM_PRINTER_H
#define SCEAU_SIM_USB_SIM_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/usb_sim.h"

#define USB_SIM_PRINTER_IFACE 1

enum usb_sim_printer_kind { USB_SIM_STICK, USB_SIM_PRINTER, USB_SIM_PRINTER_UNI };

struct usb_sim_printer {
	struct usb_sim_dev dev; /* first; unplugged, busy: faults too */
	/* set by the test */
	enum usb_sim_printer_kind kind;
	const char *device_id; /* NULL: GET_DEVICE_ID stalls */
	int devid_le;          /* answers the length little-endian */
	uint8_t port_status;   /* GET_PORT_STATUS: 0x18 = selected, no error */
	int status_stalls;
	size_t unplug_after;   /* unplugged once this many bytes were taken */
	int bulk_timeouts;     /* this many transfers time out taking nothing */
	size_t take_max;       /* takes at most this per transfer, then times out */
	/* seen by the printer */
	uint8_t *got;          /* every byte taken, in order */
	size_t got_len, got_cap;
	int transfers;
	uint16_t devid_value, devid_index, status_index;
	unsigned bulk_timeout; /* of the last bulk transfer */
	/* descriptors */
	struct libusb_endpoint_descriptor eps[3][2];
	struct libusb_interface_descriptor alts[3];
	struct libusb_interface itf[2];
};

/* A fresh device of that kind at addr; device_id and port_status are the
 * test's to set. */
void usb_sim_printer_init(struct usb_sim_printer *p, enum usb_sim_printer_kind kind,
			  uint16_t vid, uint16_t pid, uint8_t addr);
/* Frees what it was sent (got); the device may be initialised again. */
void usb_sim_printer_free(struct usb_sim_printer *p);

#endif
