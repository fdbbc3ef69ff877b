/*
 * The `libusb` backend (CONFIG_PRINT_LIBUSB): the USB printer class
 * (interface class 7, subclass 1) driven from user space with libusb-1.0,
 * for boxes where usblp is not loaded or not wanted. spec is "" (the first
 * printer found) or "VVVV:PPPP" (vendor and product id in hex).
 *
 * It prefers the bidirectional interface (protocol 2) and falls back to the
 * unidirectional one (protocol 1), as usblp does; IEEE 1284.4 (protocol 3)
 * is never used, it does not take a plain byte stream. The device id comes
 * from the class request GET_DEVICE_ID, the paper and on-line state from
 * GET_PORT_STATUS; data goes out in bulk transfers of at most 16 KiB, each
 * bounded by timeout_ms.
 *
 * Every libusb call goes through struct usb_ops (lib/usb.h), the USB seam
 * the CCID driver uses too, so that the tests can put a simulated printer
 * on the simulated bus in its place (print_libusb_open_with(), sim/usb_sim.h).
 */
#ifndef SCEAU_PRINT_PRINT_LIBUSB_H
#define SCEAU_PRINT_PRINT_LIBUSB_H

#include "lib/usb.h"
#include "print/print.h"

/* USB printer class 1.1, section 4.2. */
#define PRINT_USB_CLASS_PRINTER 7
#define PRINT_USB_SUBCLASS_PRINTER 1
#define PRINT_USB_REQTYPE_CLASS_IN 0xA1 /* device-to-host, class, interface */
#define PRINT_USB_GET_DEVICE_ID 0
#define PRINT_USB_GET_PORT_STATUS 1
#define PRINT_USB_CHUNK 16384

extern const struct print_ops print_libusb_ops;

/* print_libusb_ops.open over another USB layer (a simulated printer). */
int print_libusb_open_with(const struct usb_ops *usb, const char *spec,
			   struct printer **out);

#endif
