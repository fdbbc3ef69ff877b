obj-y += firmware/ui/msg.o
obj-y += firmware/ui/ui.o
obj-y += firmware/ui/ui_tty.o
