# card/: the OpenPGP client and the share object always; one line per transport.
obj-y += firmware/card/card.o
obj-y += firmware/card/openpgp.o
obj-y += firmware/card/share_obj.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim_store.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim_pgp.o
obj-$(CONFIG_CARD_PCSC) += firmware/card/card_pcsc.o
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc.o
obj-$(CONFIG_CARD_NFC_ENGINE) += firmware/card/card_nfc_target.o
obj-$(CONFIG_CARD_NFC) += firmware/card/nfc_libnfc.o
obj-$(CONFIG_CARD_NFC_SIM) += firmware/card/card_nfc_sim.o
