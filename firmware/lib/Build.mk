# lib/: no election knowledge (errors, files, JSON helpers, hex, worker pool,
# ordered batches, cancellation, a seeded generator, the USB seam, language
# and English catalogue, options). Includes nothing of Sceau's.
# pkgs-$(CONFIG_X) names the pkg-config packages linked iff CONFIG_X=y, as
# obj- names the objects; pkgs-cflags- those whose headers alone are used.
# json_util.h hands jansson to every module.
pkgs-y += jansson
obj-y += firmware/lib/err.o
obj-y += firmware/lib/file.o
obj-y += firmware/lib/hex.o
obj-y += firmware/lib/cancel.o
obj-y += firmware/lib/pool.o
obj-y += firmware/lib/batch.o
obj-y += firmware/lib/json_util.o
obj-y += firmware/lib/opt.o
obj-y += firmware/lib/splitmix.o
obj-y += firmware/lib/fpset.o
# Crash points for the tests: compiled only where simulation is allowed.
obj-$(CONFIG_SIMULATION_ALLOWED) += firmware/lib/fault.o
# The USB seam over libusb-1.0 itself, for the real USB backends.
obj-$(CONFIG_USB) += firmware/lib/usb_libusb.o
pkgs-$(CONFIG_USB) += libusb-1.0
obj-y += firmware/lib/i18n.o
