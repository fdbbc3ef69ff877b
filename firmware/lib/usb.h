/*
 * The one USB seam: every USB call the box makes goes through struct
 * usb_ops, a table of libusb-1.0's own functions with their own signatures
 * (the union of what the CCID driver, card/ccid_reader.c, and the libusb
 * printer backend, print/print_libusb.c, need), so that one simulated bus
 * (sim/usb_sim.c) can stand in for the hardware under both. usb_libusb
 * (lib/usb_libusb.c, compiled iff CONFIG_USB) is libusb itself.
 *
 * It lives in lib/ because it is the lowest module both card/ and print/
 * may include, and it knows nothing of cards or printers: it only names
 * libusb's calls. Whoever includes it needs libusb-1.0's headers, which the
 * build provides iff CONFIG_USB or CONFIG_USB_SIM (docs/BUILD.md).
 *
 * A context handed to a driver is owned by it: the driver calls exit() on
 * it. The simulated bus hands out a struct usb_sim_bus as the context and
 * a struct usb_sim_dev as both the device and its handle.
 */
#ifndef SCEAU_LIB_USB_H
#define SCEAU_LIB_USB_H

#include <libusb.h>
#include <stdint.h>
#include <sys/types.h>

struct usb_ops {
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
	int (*clear_halt)(libusb_device_handle *h, unsigned char endpoint);
	int (*control_transfer)(libusb_device_handle *h, uint8_t request_type,
				uint8_t request, uint16_t value, uint16_t index,
				unsigned char *data, uint16_t len, unsigned int timeout);
	int (*bulk_transfer)(libusb_device_handle *h, unsigned char endpoint,
			     unsigned char *data, int len, int *done,
			     unsigned int timeout);
	int (*interrupt_transfer)(libusb_device_handle *h, unsigned char endpoint,
				  unsigned char *data, int len, int *done,
				  unsigned int timeout);
	/* Not libusb: the monotonic clock in ms that drivers measure their
	 * deadlines on; NULL is CLOCK_MONOTONIC (a simulated device may run a
	 * virtual clock, so that tests of hours-long stalls are fast). */
	uint64_t (*now_ms)(libusb_device_handle *h);
};

#ifdef CONFIG_USB
extern const struct usb_ops usb_libusb; /* lib/usb_libusb.c */
#endif

#endif
