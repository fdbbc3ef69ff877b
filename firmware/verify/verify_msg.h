/*
 * The verifier's texts: VMSG(id, French), one row each in
 * verify_msg_table.h; the French is the gettext msgid and English comes
 * from po/en.po (lib/i18n.h). Both languages are formatted when a note is
 * made; the report picks one. Technical details from the parsers (JSON
 * paths, record numbers) stay in English, as docs/FORMATS.md words them.
 */
#ifndef SCEAU_VERIFY_VERIFY_MSG_H
#define SCEAU_VERIFY_VERIFY_MSG_H

#include "lib/i18n.h"

#define VMSG(id, fr) id,
enum vmsg {
#include "verify/verify_msg_table.h"
	VMSG__COUNT
};
#undef VMSG

/* The text of m in language l. */
const char *vmsg_text(enum vmsg m, enum lang l);

#endif
