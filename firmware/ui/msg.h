/*
 * Texts shown to the bureau, in the language of lib/i18n.h. The table
 * (msg_table.h) holds each message's id and French text, which is also its
 * gettext msgid; English comes from the "sceau" catalogue (po/en.po). The
 * language comes from --lang, the console's menu, or the environment
 * (i18n_lang_from_env).
 */
#ifndef SCEAU_UI_MSG_H
#define SCEAU_UI_MSG_H

#include "lib/i18n.h"

#define MSG_ID(id, fr) id,
enum msg_id {
#include "ui/msg_table.h"
	MSG__COUNT
};
#undef MSG_ID

/* The message in the current language (i18n_lang()). */
const char *msg(enum msg_id id);
/* The French text (msgid) of a message, whatever the language. */
const char *msg_id_text(enum msg_id id);
/* What an ERR_* code means, for the bureau: the generic codes of lib/err.h
 * and those of the modules below ui ("erreur interne" for any other). */
const char *msg_err(int err);

/* The text of a detail format (ui/msg_detail.h) in the current language,
 * or NULL for a format the table does not hold. */
const char *msg_detail(const char *fmt);
/* Makes err_last_text() (lib/err.h) use msg_detail(): once, at start-up. */
void msg_details_install(void);
/* The table's rows, for its tests: the English format and the id. */
unsigned msg_detail_count(void);
const char *msg_detail_row(unsigned i, enum msg_id *id);

#endif
