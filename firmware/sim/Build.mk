# sim/: every simulated device (tests and demos only, never in a box image).
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim.o
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim_store.o
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim_pgp.o
obj-$(CONFIG_CARD_NFC_SIM) += firmware/sim/nfc_sim.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/sim/ccid_sim.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/sim/ccid_sim_t1.o
# The simulated USB bus and the devices that plug into it; the bus uses
# libusb's types and error names, never a real device.
obj-$(CONFIG_USB_SIM) += firmware/sim/usb_sim.o
pkgs-$(CONFIG_USB_SIM) += libusb-1.0
obj-$(CONFIG_PRINT_LIBUSB_SIM) += firmware/sim/usb_sim_printer.o
