# session/: the command flows and the phase machine; the one layer that
# combines the others.
obj-y += firmware/session/phase.o
obj-y += firmware/session/session.o
obj-y += firmware/session/boot.o
obj-y += firmware/session/boot_check.o
obj-y += firmware/session/ceremony.o
obj-y += firmware/session/ceremony_card.o
obj-y += firmware/session/ceremony_out.o
obj-y += firmware/session/share_read.o
obj-y += firmware/session/import.o
obj-y += firmware/session/set_aside.o
obj-y += firmware/session/shuffle.o
obj-y += firmware/session/decrypt.o
obj-y += firmware/session/count_run.o
obj-y += firmware/session/tabulate.o
obj-y += firmware/session/recount.o
obj-y += firmware/session/sign.o
obj-y += firmware/session/seal.o
obj-y += firmware/session/pv_make.o
obj-$(CONFIG_PRINT) += firmware/session/pv_print.o
obj-y += firmware/session/stick.o
