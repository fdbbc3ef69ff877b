# media/: read-only media, ISO 9660 read and written with libarchive.
pkgs-y += libarchive
obj-y += firmware/media/media.o
obj-y += firmware/media/iso_write.o
obj-y += firmware/media/iso_read.o
obj-y += firmware/media/iso_volume.o
obj-y += firmware/media/box.o
