# pv/: the procès-verbal: model from results.json, cairo layout, QR codes,
# PDF / PostScript / 1-bit raster renderers (needs cairo, freetype2 and
# libqrencode).
pkgs-y += cairo freetype2 libqrencode
obj-y += firmware/pv/text.o
obj-y += firmware/pv/model.o
obj-y += firmware/pv/model_scrutin.o
obj-y += firmware/pv/model_session.o
obj-y += firmware/pv/qr.o
obj-y += firmware/pv/fonts.o
obj-y += firmware/pv/layout.o
obj-y += firmware/pv/render.o
