obj-y += firmware/media/media.o
obj-y += firmware/media/iso_write.o
