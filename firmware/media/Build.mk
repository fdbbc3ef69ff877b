obj-y += firmware/media/urn.o
obj-y += firmware/media/manifest.o
obj-y += firmware/media/emargement.o
obj-y += firmware/media/media.o
obj-y += firmware/media/iso_write.o
