/*
 * The `usblp` backend (CONFIG_PRINT_USBLP): a USB printer bound to the
 * kernel's usblp driver, spec is its node ("" means /dev/usb/lp0). The
 * device id comes from LPIOC_GET_DEVICE_ID, the paper and on-line state
 * from LPGETSTATUS; both are optional (a node that does not answer them is
 * still written to). Writes are non-blocking, so that a printer that stops
 * taking data fails after timeout_ms instead of hanging the box.
 */
#ifndef SCEAU_PRINT_PRINT_USBLP_H
#define SCEAU_PRINT_PRINT_USBLP_H

#include "print/print.h"

#define PRINT_USBLP_DEFAULT_NODE "/dev/usb/lp0"

extern const struct print_ops print_usblp_ops;

#endif
