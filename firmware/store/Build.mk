obj-y += firmware/store/store.o
