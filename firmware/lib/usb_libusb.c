/* The USB seam on real hardware: libusb-1.0 itself (CONFIG_USB). */
#include "lib/usb.h"

const struct usb_ops usb_libusb = {
	.init = libusb_init,
	.exit = libusb_exit,
	.error_name = libusb_error_name,
	.get_device_list = libusb_get_device_list,
	.free_device_list = libusb_free_device_list,
	.get_device_descriptor = libusb_get_device_descriptor,
	.get_active_config_descriptor = libusb_get_active_config_descriptor,
	.free_config_descriptor = libusb_free_config_descriptor,
	.get_bus_number = libusb_get_bus_number,
	.get_device_address = libusb_get_device_address,
	.open = libusb_open,
	.close = libusb_close,
	.set_auto_detach_kernel_driver = libusb_set_auto_detach_kernel_driver,
	.claim_interface = libusb_claim_interface,
	.release_interface = libusb_release_interface,
	.set_interface_alt_setting = libusb_set_interface_alt_setting,
	.clear_halt = libusb_clear_halt,
	.control_transfer = libusb_control_transfer,
	.bulk_transfer = libusb_bulk_transfer,
	.interrupt_transfer = libusb_interrupt_transfer,
};
