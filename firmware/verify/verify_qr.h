/*
 * The PV's QR payloads (docs/FORMATS.md "QR codes of the PV", v1) are
 * parsed by firmware/pv/qr.h (pv_qr_parse: the code that writes them,
 * strict). What a person typed or a phone read is first made comparable
 * here: surrounding blanks removed, letters upper-cased (hex is printed in
 * upper case; people type it as they like).
 */
#ifndef SCEAU_VERIFY_VERIFY_QR_H
#define SCEAU_VERIFY_VERIFY_QR_H

#include <stddef.h>

/* 0, or ERR_RANGE if the text (without its blanks) does not fit in cap. */
int verify_qr_normalize(const char *in, size_t len, char *out, size_t cap);

#endif
