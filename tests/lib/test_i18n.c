/* The language and the English catalogue (lib/i18n.c), against a small
 * catalogue of its own: French is the msgid itself, without its context;
 * English is the translation of the msgid in its context, or the French
 * when there is none or when it would take other printf arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/i18n.h"
#include "../support/testlib.h"

static char dir[64];

/* A translation whose conversions differ from its msgid stays in the
 * catalogue (testlib_catalogue does not --check). */
static const char po[] =
	"msgid \"bonjour\"\nmsgstr \"hello\"\n\n"
	"msgctxt \"heading\"\nmsgid \"Élus\"\nmsgstr \"Elected members\"\n\n"
	"msgctxt \"column\"\nmsgid \"Élus\"\nmsgstr \"Elected\"\n\n"
	"msgid \"%u sur %s\"\nmsgstr \"%u of %s\"\n\n"
	"msgid \"%u cartes\"\nmsgstr \"%s cards\"\n";

static int make_catalogue(void **state)
{
	(void)state;
	return testlib_catalogue(dir, sizeof(dir), po);
}

static int remove_catalogue(void **state)
{
	(void)state;
	testlib_rmdir(dir);
	return 0;
}

static void test_french_is_the_msgid(void **state)
{
	static const char bonjour[] = "bonjour";

	(void)state;
	assert_ptr_equal(i18n_text(bonjour, LANG_FR), bonjour);
	assert_string_equal(i18n_text(I18N_CTXT("heading", "Élus"), LANG_FR), "Élus");
	assert_string_equal(i18n_text(I18N_CTXT("column", "Élus"), LANG_FR), "Élus");
}

static void test_english_from_the_catalogue(void **state)
{
	(void)state;
	assert_string_equal(i18n_localedir(), dir);
	assert_string_equal(i18n_text("bonjour", LANG_EN), "hello");
	assert_string_equal(i18n_text("%u sur %s", LANG_EN), "%u of %s");
	/* one French text, two English ones: the context decides */
	assert_string_equal(i18n_text(I18N_CTXT("heading", "Élus"), LANG_EN), "Elected members");
	assert_string_equal(i18n_text(I18N_CTXT("column", "Élus"), LANG_EN), "Elected");
	/* no translation: the French text, without its context */
	assert_string_equal(i18n_text("Élus", LANG_EN), "Élus");
	assert_string_equal(i18n_text(I18N_CTXT("other", "Élus"), LANG_EN), "Élus");
	assert_string_equal(i18n_text("absent du catalogue", LANG_EN), "absent du catalogue");
	/* %u -> %s: the translation would crash a printf, the French is used */
	assert_string_equal(i18n_text("%u cartes", LANG_EN), "%u cartes");
}

static void test_formats_agree(void **state)
{
	char sig[16];

	(void)state;
	assert_true(i18n_formats_agree("%u sur %s (100 %%)", "%3u of %-8s (100%%)"));
	assert_true(i18n_formats_agree("%zu octets", "%zu bytes"));
	assert_false(i18n_formats_agree("%zu octets", "%u bytes"));
	assert_false(i18n_formats_agree("%s %u", "%u %s"));
	assert_false(i18n_formats_agree("%s", "%*s"));
	assert_false(i18n_formats_agree("%s", "%1$s"));
	assert_false(i18n_formats_agree("a", "b%"));
	assert_false(i18n_formats_agree("%n", "%n"));
	assert_int_equal(i18n_conversions("%u %s %u", sig, 4), ERR_RANGE);
	assert_int_equal(i18n_conversions("%u %-3s %%", sig, sizeof(sig)), 0);
	assert_string_equal(sig, "%u%s");
}

static void test_language_choice(void **state)
{
	(void)state;
	assert_int_equal(i18n_lang_parse("en"), 0);
	assert_int_equal(i18n_lang(), LANG_EN);
	assert_int_equal(i18n_lang_parse("de"), ERR_USAGE);
	assert_int_equal(i18n_lang(), LANG_EN);
	i18n_set_lang(LANG_FR);
	assert_int_equal(i18n_lang(), LANG_FR);

	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "en_GB.UTF-8", 1);
	i18n_lang_from_env();
	assert_int_equal(i18n_lang(), LANG_EN);
	setenv("LC_ALL", "C", 1); /* the first one set decides */
	i18n_lang_from_env();
	assert_int_equal(i18n_lang(), LANG_FR);
	unsetenv("LC_ALL");
	unsetenv("LANG");
	i18n_set_lang(LANG_EN);
	i18n_lang_from_env(); /* none set: unchanged */
	assert_int_equal(i18n_lang(), LANG_EN);
	i18n_set_lang(LANG_FR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_french_is_the_msgid),
		cmocka_unit_test(test_language_choice),
		cmocka_unit_test(test_english_from_the_catalogue),
		cmocka_unit_test(test_formats_agree),
	};

	return cmocka_run_group_tests(tests, make_catalogue, remove_catalogue);
}
