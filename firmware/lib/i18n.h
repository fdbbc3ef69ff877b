/*
 * The language of the texts shown to people, and their English catalogue.
 * French is the source: a French text is its own gettext msgid, so a box
 * without a catalogue still speaks French. English comes from the "sceau"
 * domain (po/en.po, compiled to <localedir>/en/LC_MESSAGES/sceau.mo). The
 * tables of texts stay in the modules that show them (ui/msg_table.h,
 * pv/text_table.h, verify/verify_msg_table.h); docs/LANGUAGES.md says how to
 * add one.
 */
#ifndef SCEAU_LIB_I18N_H
#define SCEAU_LIB_I18N_H

#include <stddef.h>

enum lang { LANG_FR = 0, LANG_EN = 1 };

/* The language of the texts a module shows without being given one. */
void i18n_set_lang(enum lang l);
enum lang i18n_lang(void);
/* Picks it from the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is
 * set: English if it starts with "en", French otherwise. */
void i18n_lang_from_env(void);
/* Sets it from "fr" or "en": 0, or ERR_USAGE for anything else. */
int i18n_lang_parse(const char *s);

/*
 * A msgid with a gettext context, for a French text that needs two English
 * ones: I18N_CTXT("colonne", "Élus"). The catalogue holds it as msgctxt +
 * msgid (xgettext keyword I18N_CTXT:1c,2); French shows the text alone.
 */
#define I18N_CTXT(ctxt, french) ctxt "\004" french

/* The text of msgid (a French text, with or without a context) in
 * language l. English is its translation, or the French text when the
 * catalogue lacks one or when the translation would take other printf
 * arguments than the French (see i18n_formats_agree). Never NULL. */
const char *i18n_text(const char *msgid, enum lang l);
/* Where the English catalogue is looked for (diagnostics and tests). */
const char *i18n_localedir(void);

/* The conversions of a printf format, as a signature ("%u %-3s" -> "%u%s"):
 * ERR_RANGE if out (n bytes) is too small. */
int i18n_conversions(const char *fmt, char *out, size_t n);
/* 1 if translation takes the same printf arguments as msgid (and no %n). */
int i18n_formats_agree(const char *msgid, const char *translation);

#endif
