obj-y += firmware/store/store.o
obj-y += firmware/store/journal.o
