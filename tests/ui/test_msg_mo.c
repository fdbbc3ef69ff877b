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
	i18n_set_lang(LANG_EN);
	assert_string_equal(i18n_localedir(), dir);
	assert_string_equal(msg(MSG_PIN_ENTER), "%s %s, type your PIN:");
	assert_string_equal(msg(MSG_PIN_WRONG_LEFT), msg_id_text(MSG_PIN_WRONG_LEFT));
	assert_string_equal(msg(MSG_CARD_WRITTEN), msg_id_text(MSG_CARD_WRITTEN));
	assert_string_equal(msg(MSG_CARD_CHECK_OK), msg_id_text(MSG_CARD_CHECK_OK));
	i18n_set_lang(LANG_FR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_translations_fall_back),
	};

	return cmocka_run_group_tests(tests, make_catalogue, remove_catalogue);
}
