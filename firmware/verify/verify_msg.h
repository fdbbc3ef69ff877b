/*
 * The verifier's texts, French and English: VMSG(id, French, English), one
 * row each in verify_msg_table.h, so a missing translation does not build.
 * Both languages are formatted when a note is made; the report picks one.
 * Technical details from the parsers (JSON paths, record numbers) stay in
 * English, as docs/FORMATS.md words them.
 */
#ifndef SCEAU_VERIFY_VERIFY_MSG_H
#define SCEAU_VERIFY_VERIFY_MSG_H

#define VMSG(id, fr, en) id,
enum vmsg {
#include "verify/verify_msg_table.h"
	VMSG__COUNT
};
#undef VMSG

#endif
