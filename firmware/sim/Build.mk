# sim/: every simulated device (tests and demos only, never in a box image).
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim.o
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim_store.o
obj-$(CONFIG_CARD_SIM) += firmware/sim/card_sim_pgp.o
obj-$(CONFIG_CARD_NFC_SIM) += firmware/sim/nfc_sim.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/sim/ccid_sim.o
obj-$(CONFIG_CARD_CCID_SIM) += firmware/sim/ccid_sim_t1.o
