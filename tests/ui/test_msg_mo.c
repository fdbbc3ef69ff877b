/* A broken English catalogue (made by msgfmt without --check, as a swapped
 * .mo could be): a translation whose printf conversions differ from its
 * French msgid is not used, the French text is; the others still are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "ui/msg.h"

static char dir[] = "/tmp/sceau-mo-XXXXXX";

static void po_entry(FILE *f, enum msg_id id, const char *en)
{
	fprintf(f, "msgid \"%s\"\nmsgstr \"%s\"\n\n", msg_id_text(id), en);
}

static int make_catalogue(void **state)
{
	char cmd[512];
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/en.po", dir);
	f = fopen(cmd, "w");
	if (!f)
		return -1;
	fprintf(f, "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n");
	po_entry(f, MSG_PIN_ENTER, "%s %s, type your PIN:");               /* good */
	po_entry(f, MSG_PIN_WRONG_LEFT, "Wrong PIN, %s attempt(s) left."); /* %u -> %s */
	po_entry(f, MSG_CARD_WRITTEN, "Card %u written %n");               /* %n added */
	po_entry(f, MSG_CARD_CHECK_OK, "Card %u checked");                 /* too few */
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/en/LC_MESSAGES && msgfmt -o %s/en/LC_MESSAGES/sceau.mo %s/en.po",
		 dir, dir, dir);
	if (system(cmd) != 0)
		return -1;
	setenv("SCEAU_LOCALEDIR", dir, 1);
	return 0;
}

static int remove_catalogue(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_broken_translations_fall_back(void **state)
{
	(void)state;
	msg_set_lang(LANG_EN);
	assert_string_equal(msg_localedir(), dir);
	assert_string_equal(msg(MSG_PIN_ENTER), "%s %s, type your PIN:");
	assert_string_equal(msg(MSG_PIN_WRONG_LEFT), msg_id_text(MSG_PIN_WRONG_LEFT));
	assert_string_equal(msg(MSG_CARD_WRITTEN), msg_id_text(MSG_CARD_WRITTEN));
	assert_string_equal(msg(MSG_CARD_CHECK_OK), msg_id_text(MSG_CARD_CHECK_OK));
	msg_set_lang(LANG_FR);
}

static void test_formats_agree(void **state)
{
	char sig[16];

	(void)state;
	assert_true(msg_formats_agree("%u sur %s (100 %%)", "%3u of %-8s (100%%)"));
	assert_true(msg_formats_agree("%zu octets", "%zu bytes"));
	assert_false(msg_formats_agree("%zu octets", "%u bytes"));
	assert_false(msg_formats_agree("%s %u", "%u %s"));
	assert_false(msg_formats_agree("%s", "%*s"));
	assert_false(msg_formats_agree("%s", "%1$s"));
	assert_false(msg_formats_agree("a", "b%"));
	assert_false(msg_formats_agree("%n", "%n"));
	assert_int_equal(msg_conversions("%u %s %u", sig, 4), ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_translations_fall_back),
		cmocka_unit_test(test_formats_agree),
	};

	return cmocka_run_group_tests(tests, make_catalogue, remove_catalogue);
}
