/*
 * The USB calls of the CCID driver, as a table with libusb-1.0's own
 * functions and signatures (like print/print_libusb.h), so that the
 * simulated reader (card_ccid_sim.c) and the tests can stand in for the
 * bus. ccid_usb_libusb (ccid_libusb.c, CONFIG_CARD_CCID) is libusb itself.
 * A context handed to the CCID code is owned by it: it calls exit() on it.
 */
#ifndef SCEAU_CARD_CCID_USB_H
#define SCEAU_CARD_CCID_USB_H

#include <libusb.h>
#include <stdint.h>
#include <sys/types.h>

struct ccid_usb_ops {
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
	int (*clear_halt)(libusb_device_handle *h, unsigned char endpoint);
	int (*bulk_transfer)(libusb_device_handle *h, unsigned char endpoint,
			     unsigned char *data, int len, int *done,
			     unsigned int timeout);
	int (*interrupt_transfer)(libusb_device_handle *h, unsigned char endpoint,
				  unsigned char *data, int len, int *done,
				  unsigned int timeout);
	/* Not libusb: the monotonic clock in ms that the command deadlines
	 * are measured on; NULL is CLOCK_MONOTONIC (the simulated reader
	 * runs a virtual clock, so that tests of hours-long stalls are fast). */
	uint64_t (*now_ms)(libusb_device_handle *h);
};

#ifdef CONFIG_CARD_CCID
extern const struct ccid_usb_ops ccid_usb_libusb; /* ccid_libusb.c */
#endif

#endif
