# print/: the registry and the language choice always; one line per backend.
obj-$(CONFIG_PRINT) += firmware/print/print.o
obj-$(CONFIG_PRINT) += firmware/print/print_devid.o
obj-$(CONFIG_PRINT_FILE) += firmware/print/print_file.o
obj-$(CONFIG_PRINT_USBLP) += firmware/print/print_usblp.o
obj-$(CONFIG_PRINT_LIBUSB) += firmware/print/print_libusb.o
obj-$(CONFIG_PRINT_ESCPOS) += firmware/print/escpos.o
