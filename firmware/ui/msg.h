/*
 * Texts shown to the bureau, in French (default) and English. The table
 * (msg_table.h) holds each message's id and French text, which is also its
 * gettext msgid; English comes from the "sceau" catalogue (po/en.po compiled
 * to <localedir>/en/LC_MESSAGES/sceau.mo). French never needs a catalogue,
 * so a box without one still speaks French. The language comes from --lang,
 * the console's menu, or LANGUAGE/LC_ALL/LC_MESSAGES/LANG ("en*" -> English).
 */
#ifndef SCEAU_UI_MSG_H
#define SCEAU_UI_MSG_H

#include <stddef.h>

enum lang { LANG_FR = 0, LANG_EN = 1 };

#define MSG_ID(id, fr) id,
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
/* The French text (msgid) of a message, whatever the language. */
const char *msg_id_text(enum msg_id id);
/* Where the English catalogue was looked for (for diagnostics and tests). */
const char *msg_localedir(void);
/* The conversions of a printf format, as a signature ("%u %-3s" -> "%u%s"):
 * ERR_RANGE if out (n bytes) is too small. */
int msg_conversions(const char *fmt, char *out, size_t n);
/* 1 if translation takes the same printf arguments as msgid (and no %n). */
int msg_formats_agree(const char *msgid, const char *translation);
/* What an ERR_* code means, for the bureau. */
const char *msg_err(int err);

#endif
