/*
 * Texts shown to the bureau, in French (default) and English. One table,
 * one row per message, so a missing translation is a compile-time error.
 * The language comes from --lang or from LANG/LANGUAGE ("en*" -> English).
 */
#ifndef SCEAU_UI_MSG_H
#define SCEAU_UI_MSG_H

enum lang { LANG_FR = 0, LANG_EN = 1 };

#define MSG_ID(id, fr, en) id,
enum msg_id {
#include "ui/msg_table.h"
	MSG__COUNT
};
#undef MSG_ID

void msg_set_lang(enum lang l);
enum lang msg_lang(void);
/* Picks the language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
void msg_lang_from_env(void);
/* Parses "fr"/"en"; 0 or ERR_USAGE. */
int msg_lang_parse(const char *s);

const char *msg(enum msg_id id);
/* What an ERR_* code means, for the bureau. */
const char *msg_err(int err);

#endif
