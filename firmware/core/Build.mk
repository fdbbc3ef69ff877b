obj-y += firmware/core/err.o
obj-y += firmware/core/file.o
