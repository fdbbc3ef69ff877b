/* The message table: both languages of every message take the same
 * arguments in the same order, so switching language can never crash a
 * printf; and error codes all have a text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "card/card.h"
#include "crypto/selftest.h"
#include "lib/err.h"
#include "media/media.h"
#include "print/print.h"
#include "store/store.h"
#include "ui/msg.h"

/* The conversion letters of a printf format, e.g. "%u %s %zu" -> "usz". */
static void conversions(const char *f, char *out, size_t n)
{
	size_t k = 0;

	for (; *f && k + 2 < n; f++) {
		if (*f != '%')
			continue;
		f++;
		if (*f == '%')
			continue;
		while (*f && strchr("0123456789.-+ #lhz", *f)) {
			if (*f == 'z' || *f == 'l')
				out[k++] = *f;
			f++;
		}
		out[k++] = *f;
	}
	out[k] = '\0';
}

static void test_same_arguments(void **state)
{
	char fr[64], en[64];

	(void)state;
	for (int id = 0; id < MSG__COUNT; id++) {
		i18n_set_lang(LANG_FR);
		conversions(msg((enum msg_id)id), fr, sizeof(fr));
		i18n_set_lang(LANG_EN);
		conversions(msg((enum msg_id)id), en, sizeof(en));
		if (strcmp(fr, en) != 0)
			fail_msg("message %d: French takes %%%s, English %%%s", id, fr, en);
	}
	i18n_set_lang(LANG_FR);
}

/* Every code of lib/err.h and of the modules below ui has its own text;
 * -17 is session/'s ERR_AIRGAP, which tests/session/test_boot.c checks. */
static void test_every_error_has_text(void **state)
{
	(void)state;
	for (int e = ERR_NOMEM; e >= ERR_READONLY; e--)
		if (e != ERR_INTERNAL && e != -17)
			assert_string_not_equal(msg_err(e), msg(MSG_E_INTERNAL));
	assert_string_equal(msg_err(ERR_INTERNAL), msg(MSG_E_INTERNAL));
	assert_string_equal(msg_err(-999), msg(MSG_E_INTERNAL));
	assert_string_equal(msg_err(0), msg(MSG_E_INTERNAL));
	assert_string_equal(msg_err(ERR_SELFTEST), "un auto-test a échoué");
	assert_string_equal(msg_err(ERR_SCHEMA), msg(MSG_E_SCHEMA));
	assert_string_equal(msg_err(ERR_MEDIA_WRITABLE), msg(MSG_E_MEDIA_WRITABLE));
	assert_string_equal(msg_err(ERR_PRINTER_LANG), msg(MSG_E_PRINTER_LANG));
	assert_string_equal(msg_err(ERR_CARD_DUP), msg(MSG_E_CARD_DUP));
}

/* The codes spread over the modules' headers never collide (lib/err.h
 * reserves their values); -17 stays session/'s ERR_AIRGAP. */
static void test_codes_distinct(void **state)
{
	static const int codes[] = {
		ERR_NOMEM, ERR_IO, ERR_FORMAT, ERR_RANGE, ERR_CRYPTO, ERR_VERIFY, ERR_STATE,
		ERR_CANCELLED, ERR_USAGE, ERR_EXISTS, ERR_NOTFOUND, ERR_INTERNAL,
		ERR_CARD_ABSENT, ERR_CARD_PROTO, ERR_PIN_WRONG, ERR_PIN_BLOCKED, ERR_CARD_DENIED,
		ERR_CARD_NODATA, ERR_CARD_FOREIGN, ERR_CARD_USED, ERR_CARD_DUP, ERR_SELFTEST,
		ERR_MEDIA_WRITABLE, ERR_PRINTER_NOPAPER, ERR_PRINTER_OFFLINE, ERR_PRINTER_ABSENT,
		ERR_PRINTER_TIMEOUT, ERR_PRINTER_LANG, ERR_SCHEMA, ERR_BUSY, ERR_FILETYPE,
		ERR_MEDIA_LAYOUT, ERR_MEDIA_TREES, ERR_NOSPACE, ERR_READONLY,
	};
	size_t n = sizeof(codes) / sizeof(codes[0]);

	(void)state;
	/* every value from -1 to the lowest is a code (-17 included) */
	assert_int_equal(n + 1, (size_t)-ERR_READONLY);
	for (size_t i = 0; i < n; i++) {
		assert_true(codes[i] < 0 && codes[i] != -17);
		for (size_t j = i + 1; j < n; j++)
			assert_int_not_equal(codes[i], codes[j]);
	}
}

static void test_french_by_default(void **state)
{
	(void)state;
	i18n_set_lang(LANG_FR);
	assert_string_equal(msg(MSG_YES), "oui");
	assert_string_equal(msg_err(ERR_PIN_WRONG), "code secret incorrect");
	assert_int_equal(i18n_lang_parse("en"), 0);
	assert_string_equal(msg(MSG_YES), "yes");
	assert_int_equal(i18n_lang_parse("de"), ERR_USAGE);
	i18n_set_lang(LANG_FR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_arguments),
		cmocka_unit_test(test_every_error_has_text),
		cmocka_unit_test(test_codes_distinct),
		cmocka_unit_test(test_french_by_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
