# card/: the OpenPGP client and the share object always; one line per transport.
obj-y += firmware/card/card.o
obj-y += firmware/card/openpgp.o
obj-y += firmware/card/share_obj.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim_store.o
obj-$(CONFIG_CARD_SIM) += firmware/card/card_sim_pgp.o
obj-$(CONFIG_CARD_PCSC) += firmware/card/card_pcsc.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_atr.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_t1.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_msg.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/ccid_reader.o
obj-$(CONFIG_CARD_CCID_ENGINE) += firmware/card/card_ccid.o
obj-$(CONFIG_CARD_CCID) += firmware/card/ccid_libusb.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/card/card_ccid_sim.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/card/card_ccid_sim_t1.o
