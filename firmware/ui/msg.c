/* The message table and its English catalogue; see msg.h. */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/err.h"
#include "ui/msg.h"

#define MSG_DOMAIN "sceau"

#ifndef SCEAU_BUILD_LOCALEDIR
#define SCEAU_BUILD_LOCALEDIR ""
#endif
#ifndef CONFIG_UI_LOCALEDIR
#define CONFIG_UI_LOCALEDIR "/usr/share/locale"
#endif

#define MSG_ID(id, fr) [id] = fr,
static const char *const msg_rows[MSG__COUNT] = {
#include "ui/msg_table.h"
};
#undef MSG_ID

static enum lang msg_current = LANG_FR;
static const char *msg_dir;

/* Simulation builds only: SCEAU_LOCALEDIR, else the build tree's
 * catalogues when they exist (a developer's or a test's run). A board build
 * reads only the box's installed directory, never one named from outside. */
static const char *msg_pick_dir(void)
{
#ifdef CONFIG_SIMULATION_ALLOWED
	const char *env = getenv("SCEAU_LOCALEDIR");
	struct stat st;

	if (env && *env)
		return env;
	if (SCEAU_BUILD_LOCALEDIR[0] && stat(SCEAU_BUILD_LOCALEDIR, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return SCEAU_BUILD_LOCALEDIR;
#endif
	return CONFIG_UI_LOCALEDIR;
}

/* Appends to out the parts of the conversion at f (just after its '%')
 * that decide which argument it takes: '*', '$', length and conversion
 * letters; flags, widths and precisions do not. Returns the end. */
static const char *msg_conv_one(const char *f, char *out, size_t *k, size_t n)
{
	while (*f && strchr("0123456789.-+ #'*$hlLqjzt", *f)) {
		if (strchr("*$hlLqjzt", *f) && *k + 1 < n)
			out[(*k)++] = *f;
		f++;
	}
	if (*k + 1 < n)
		out[(*k)++] = *f ? *f : '!';
	return *f ? f + 1 : f;
}

int msg_conversions(const char *f, char *out, size_t n)
{
	size_t k = 0;

	while (*f) {
		if (*f++ != '%')
			continue;
		if (*f == '%') {
			f++;
			continue;
		}
		if (k + 1 < n)
			out[k++] = '%';
		f = msg_conv_one(f, out, &k, n);
	}
	out[k] = '\0';
	return k + 1 < n ? 0 : ERR_RANGE;
}

int msg_formats_agree(const char *msgid, const char *translation)
{
	char a[64], b[64];

	if (msg_conversions(msgid, a, sizeof(a)) || msg_conversions(translation, b, sizeof(b)))
		return 0;
	return strcmp(a, b) == 0 && !strchr(b, 'n');
}

/*
 * glibc's gettext ignores LANGUAGE when LC_MESSAGES is exactly "C", and a
 * box need not have en_US or fr_FR generated: C.UTF-8 is built into glibc
 * and honours LANGUAGE. The catalogue is bound to UTF-8 so that the text
 * is not converted to the charset of LC_CTYPE (ASCII in the "C" locale).
 * Only English is ever looked up, so gettext's cache never holds another
 * language.
 */
static void msg_init(void)
{
	if (msg_dir)
		return;
	msg_dir = msg_pick_dir();
	bindtextdomain(MSG_DOMAIN, msg_dir);
	bind_textdomain_codeset(MSG_DOMAIN, "UTF-8");
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "");
	setenv("LANGUAGE", "en", 1);
}

const char *msg_localedir(void)
{
	msg_init();
	return msg_dir;
}

void msg_set_lang(enum lang l)
{
	msg_current = l;
}

enum lang msg_lang(void)
{
	return msg_current;
}

void msg_lang_from_env(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			msg_current = strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_FR;
			return;
		}
	}
}

int msg_lang_parse(const char *s)
{
	if (strcmp(s, "fr") == 0)
		msg_current = LANG_FR;
	else if (strcmp(s, "en") == 0)
		msg_current = LANG_EN;
	else
		return ERR_USAGE;
	return 0;
}

const char *msg_id_text(enum msg_id id)
{
	return (unsigned)id < MSG__COUNT ? msg_rows[id] : "?";
}

const char *msg(enum msg_id id)
{
	const char *en;

	if ((unsigned)id >= MSG__COUNT)
		return "?";
	if (msg_current == LANG_FR)
		return msg_rows[id];
	msg_init();
	en = dgettext(MSG_DOMAIN, msg_rows[id]);
	/* The texts are printf formats: a translation that would take other
	 * arguments than its msgid is not used (a swapped or broken .mo). */
	return en == msg_rows[id] || msg_formats_agree(msg_rows[id], en) ? en : msg_rows[id];
}

const char *msg_err(int err)
{
	static const enum msg_id ids[] = {
		[-ERR_NOMEM] = MSG_E_NOMEM, [-ERR_IO] = MSG_E_IO,
		[-ERR_FORMAT] = MSG_E_FORMAT, [-ERR_RANGE] = MSG_E_RANGE,
		[-ERR_CRYPTO] = MSG_E_CRYPTO, [-ERR_VERIFY] = MSG_E_VERIFY,
		[-ERR_STATE] = MSG_E_STATE, [-ERR_CARD_ABSENT] = MSG_E_CARD_ABSENT,
		[-ERR_CARD_PROTO] = MSG_E_CARD_PROTO, [-ERR_PIN_WRONG] = MSG_E_PIN_WRONG,
		[-ERR_PIN_BLOCKED] = MSG_E_PIN_BLOCKED, [-ERR_CARD_DENIED] = MSG_E_CARD_DENIED,
		[-ERR_CARD_NODATA] = MSG_E_CARD_NODATA, [-ERR_CARD_FOREIGN] = MSG_E_CARD_FOREIGN,
		[-ERR_CARD_USED] = MSG_E_CARD_USED, [-ERR_CARD_DUP] = MSG_E_CARD_DUP,
		[-ERR_AIRGAP] = MSG_E_AIRGAP, [-ERR_SELFTEST] = MSG_E_SELFTEST,
		[-ERR_CANCELLED] = MSG_E_CANCELLED, [-ERR_USAGE] = MSG_E_USAGE,
		[-ERR_EXISTS] = MSG_E_EXISTS, [-ERR_NOTFOUND] = MSG_E_NOTFOUND,
		[-ERR_INTERNAL] = MSG_E_INTERNAL, [-ERR_MEDIA_WRITABLE] = MSG_E_MEDIA_WRITABLE,
		[-ERR_PRINTER_NOPAPER] = MSG_E_PRINTER_NOPAPER,
		[-ERR_PRINTER_OFFLINE] = MSG_E_PRINTER_OFFLINE,
		[-ERR_PRINTER_ABSENT] = MSG_E_PRINTER_ABSENT,
		[-ERR_PRINTER_TIMEOUT] = MSG_E_PRINTER_TIMEOUT,
		[-ERR_PRINTER_LANG] = MSG_E_PRINTER_LANG,
		[-ERR_SCHEMA] = MSG_E_SCHEMA,
		[-ERR_BUSY] = MSG_E_BUSY,
	};

	if (err >= 0 || (size_t)-err >= sizeof(ids) / sizeof(ids[0]))
		return msg(MSG_E_INTERNAL);
	return msg(ids[-err]);
}
