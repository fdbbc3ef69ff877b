# console/: the bureau's full-screen console, over ncursesw.
pkgs-y += ncursesw
obj-y += firmware/console/con_dir.o
obj-y += firmware/console/con_flows.o
obj-y += firmware/console/con_input.o
obj-y += firmware/console/con_menu.o
obj-y += firmware/console/con_review.o
obj-y += firmware/console/con_screen.o
obj-y += firmware/console/con_ui.o
