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
 * Every libusb call goes through struct print_usb_ops, a table with the
 * same functions and signatures as libusb-1.0 itself, so that tests can put
 * a simulated printer in its place (print_libusb_open_with()).
 */
#ifndef SCEAU_PRINT_PRINT_LIBUSB_H
#define SCEAU_PRINT_PRINT_LIBUSB_H

#include <libusb.h>
#include <sys/types.h>

#include "print/print.h"

/* USB printer class 1.1, section 4.2. */
#define PRINT_USB_CLASS_PRINTER 7
#define PRINT_USB_SUBCLASS_PRINTER 1
#define PRINT_USB_REQTYPE_CLASS_IN 0xA1 /* device-to-host, class, interface */
#define PRINT_USB_GET_DEVICE_ID 0
#define PRINT_USB_GET_PORT_STATUS 1
#define PRINT_USB_CHUNK 16384

struct print_usb_ops {
	int (*init)(libusb_context **ctx);
	void (*exit)(libusb_context *ctx);
	const char *(*error_name)(int err);
	ssize_t (*get_device_list)(libusb_context *ctx, libusb_device ***list);
	void (*free_device_list)(libusb_device **list, int unref);
	int (*get_device_descriptor)(libusb_device *dev,
				     struct libusb_device_descriptor *desc);
	int (*get_active_config_descriptor)(libusb_device *dev,
					    struct libusb_config_descriptor **config);
	void (*free_config_descriptor)(struct libusb_config_descriptor *config);
	uint8_t (*get_bus_number)(libusb_device *dev);
	uint8_t (*get_device_address)(libusb_device *dev);
	int (*open)(libusb_device *dev, libusb_device_handle **h);
	void (*close)(libusb_device_handle *h);
	int (*set_auto_detach_kernel_driver)(libusb_device_handle *h, int enable);
	int (*claim_interface)(libusb_device_handle *h, int iface);
	int (*release_interface)(libusb_device_handle *h, int iface);
	int (*set_interface_alt_setting)(libusb_device_handle *h, int iface, int alt);
	int (*control_transfer)(libusb_device_handle *h, uint8_t request_type,
				uint8_t request, uint16_t value, uint16_t index,
				unsigned char *data, uint16_t len, unsigned int timeout);
	int (*bulk_transfer)(libusb_device_handle *h, unsigned char endpoint,
			     unsigned char *data, int len, int *done,
			     unsigned int timeout);
};

/* libusb-1.0 itself. */
extern const struct print_usb_ops print_usb_libusb;
extern const struct print_ops print_libusb_ops;

/* print_libusb_ops.open over another USB layer (a simulated printer). */
int print_libusb_open_with(const struct print_usb_ops *usb, const char *spec,
			   struct printer **out);

#endif
