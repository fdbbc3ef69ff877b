# card/: the registry and the OpenPGP client always; one line per transport.
obj-y += firmware/card/card.o
obj-y += firmware/card/openpgp.o
obj-$(CONFIG_CARD_PCSC) += firmware/card/card_pcsc.o
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc.o
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc_target.o
obj-$(CONFIG_CARD_NFC) += firmware/card/nfc_libnfc.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_atr.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_t1.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_msg.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_reader.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/card_ccid.o
obj-$(CONFIG_CARD_CCID) += firmware/card/ccid_libusb.o
