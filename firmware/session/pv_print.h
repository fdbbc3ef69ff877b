/*
 * Printing the PVs of a session (issue 5): the printer is named
 * "backend:spec" (print/print.h; "file:/path.ps", "usblp:/dev/usb/lp0",
 * "libusb:"), its language is read from its IEEE 1284 device id, and each
 * document is sent as PostScript or as ESC/POS raster (58 or 80 mm). A
 * failure (no paper, unplugged) is reported to the bureau and can be
 * retried with the same command; the PDFs are already written.
 */
#ifndef SCEAU_SESSION_PV_PRINT_H
#define SCEAU_SESSION_PV_PRINT_H

#include "pv/pv.h"

struct ui;

int pvprint_run(const struct pv_inputs *in, const char *pv_dir, const char *printer,
		unsigned paper_mm, struct ui *u);

#endif
