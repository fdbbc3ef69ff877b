/*
 * card_label_sanitize: text from a device (USB strings, reader names) is
 * made safe for the bureau's screen and the journal. Control characters,
 * ESC sequences, C1 controls, bidirectional overrides and malformed UTF-8
 * become '?'; good UTF-8 stays; the copy is cut at a character boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "card/card.h"

static void check(const char *in, size_t cap, const char *want)
{
	char out[CARD_LABEL_MAX];

	memset(out, 'Z', sizeof(out));
	card_label_sanitize(out, cap, in);
	assert_string_equal(out, want);
}

static void test_plain_and_utf8_kept(void **state)
{
	(void)state;
	check("Identiv uTrust 3700 F [CCID Interface] 00 00", 128,
	      "Identiv uTrust 3700 F [CCID Interface] 00 00");
	check("Lecteur \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91", 128,
	      "Lecteur \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91");
	check("", 128, "");
	check(NULL, 128, "");
}

static void test_controls_replaced(void **state)
{
	(void)state;
	check("ACME\x1b[2J\x1b]0;owned\x07 reader", 128, "ACME?[2J?]0;owned? reader");
	check("a\nb\rc\td\x7f" "e", 128, "a?b?c?d?e");
	check("C1 \xC2\x9B" "31m", 128, "C1 ?31m");             /* U+009B CSI */
	check("bidi \xE2\x80\xAE" "txet", 128, "bidi ?txet"); /* U+202E */
	check("iso \xE2\x81\xA6" "x", 128, "iso ?x");         /* U+2066 */
}

static void test_bad_utf8_replaced(void **state)
{
	(void)state;
	check("latin1 caf\xE9!", 128, "latin1 caf?!");
	check("overlong \xC0\xAF \xE0\x80\xAF", 128, "overlong ?? ???");
	check("surrogate \xED\xA0\x80", 128, "surrogate ???");
	check("too big \xF4\x90\x80\x80", 128, "too big ????");
	check("cut \xE2\x82", 128, "cut ??");
	check("\xFF\xFE", 128, "??");
}

static void test_cut_at_boundary(void **state)
{
	(void)state;
	check("abcdef", 4, "abc");
	check("ab\xC3\xA9", 4, "ab");   /* é does not fit whole: left out */
	check("ab\xC3\xA9", 5, "ab\xC3\xA9");
	check("\x1b\x1b\x1b", 3, "??");
	check("x", 1, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_utf8_kept),
		cmocka_unit_test(test_controls_replaced),
		cmocka_unit_test(test_bad_utf8_replaced),
		cmocka_unit_test(test_cut_at_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
