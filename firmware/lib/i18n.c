/* Language state and English catalogue; see i18n.h. */
#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/err.h"
#include "lib/i18n.h"

#define I18N_DOMAIN "sceau"

#ifndef SCEAU_BUILD_LOCALEDIR
#define SCEAU_BUILD_LOCALEDIR ""
#endif
#ifndef CONFIG_UI_LOCALEDIR
#define CONFIG_UI_LOCALEDIR "/usr/share/locale"
#endif

static enum lang i18n_current = LANG_FR;
static const char *i18n_dir;
static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;

/* Simulation builds only: SCEAU_LOCALEDIR, else the build tree's
 * catalogues when they exist (a developer's or a test's run). A board build
 * reads only the box's installed directory, never one named from outside. */
static const char *i18n_pick_dir(void)
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

/*
 * glibc's gettext ignores LANGUAGE when LC_MESSAGES is exactly "C", and a
 * box need not have en_US or fr_FR generated: C.UTF-8 is built into glibc
 * and honours LANGUAGE. The catalogue is bound to UTF-8 so that the text
 * is not converted to the charset of LC_CTYPE (ASCII in the "C" locale).
 * Only English is ever looked up, so gettext's cache never holds another
 * language. Once per process: the PV and the verifier may look English up
 * from several threads.
 */
static void i18n_bind(void)
{
	i18n_dir = i18n_pick_dir();
	bindtextdomain(I18N_DOMAIN, i18n_dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "");
	setenv("LANGUAGE", "en", 1);
}

const char *i18n_localedir(void)
{
	pthread_once(&i18n_once, i18n_bind);
	return i18n_dir;
}

void i18n_set_lang(enum lang l)
{
	i18n_current = l;
}

enum lang i18n_lang(void)
{
	return i18n_current;
}

void i18n_lang_from_env(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			i18n_current = strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_FR;
			return;
		}
	}
}

int i18n_lang_parse(const char *s)
{
	if (strcmp(s, "fr") == 0)
		i18n_current = LANG_FR;
	else if (strcmp(s, "en") == 0)
		i18n_current = LANG_EN;
	else
		return ERR_USAGE;
	return 0;
}

/* Appends to out the parts of the conversion at f (just after its '%')
 * that decide which argument it takes: '*', '$', length and conversion
 * letters; flags, widths and precisions do not. Returns the end. */
static const char *i18n_conv_one(const char *f, char *out, size_t *k, size_t n)
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

int i18n_conversions(const char *f, char *out, size_t n)
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
		f = i18n_conv_one(f, out, &k, n);
	}
	out[k] = '\0';
	return k + 1 < n ? 0 : ERR_RANGE;
}

int i18n_formats_agree(const char *msgid, const char *translation)
{
	char a[64], b[64];

	if (i18n_conversions(msgid, a, sizeof(a)) || i18n_conversions(translation, b, sizeof(b)))
		return 0;
	return strcmp(a, b) == 0 && !strchr(b, 'n');
}

const char *i18n_text(const char *msgid, enum lang l)
{
	const char *ctx_end = strchr(msgid, '\004');
	const char *french = ctx_end ? ctx_end + 1 : msgid;
	const char *en;

	if (l != LANG_EN)
		return french;
	pthread_once(&i18n_once, i18n_bind);
	en = dgettext(I18N_DOMAIN, msgid);
	/* The texts are printf formats: a translation that would take other
	 * arguments than its msgid is not used (a swapped or broken .mo). */
	if (en == msgid || !i18n_formats_agree(french, en))
		return french;
	return en;
}
