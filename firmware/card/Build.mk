# card/: the registry and the OpenPGP client iff CARD; one line per
# transport, and one per library a transport links.
obj-$(CONFIG_CARD) += firmware/card/card.o
obj-$(CONFIG_CARD) += firmware/card/openpgp.o
obj-$(CONFIG_CARD_PCSC) += firmware/card/card_pcsc.o
pkgs-$(CONFIG_CARD_PCSC) += libpcsclite
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc.o
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc_target.o
obj-$(CONFIG_CARD_NFC) += firmware/card/nfc_libnfc.o
pkgs-$(CONFIG_CARD_NFC) += libnfc
# The NFC engine speaks in libnfc's types: nfc-sim needs its headers only.
pkgs-cflags-$(CONFIG_CARD_NFC_ENGINE) += libnfc
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_atr.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_t1.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_msg.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_reader.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/card_ccid.o
# CARD_CCID's libusb-1.0 comes with the USB seam (lib/Build.mk).
