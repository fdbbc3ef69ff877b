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
#include "../support/testlib.h"

static char dir[64];

static void po_entry(char *po, size_t cap, enum msg_id id, const char *en)
{
	size_t len = strlen(po);

	snprintf(po + len, cap - len, "msgid \"%s\"\nmsgstr \"%s\"\n\n", msg_id_text(id), en);
}

static int make_catalogue(void **state)
{
	char po[2048] = "";

	(void)state;
	po_entry(po, sizeof(po), MSG_PIN_ENTER, "%s %s, type your PIN:");        /* good */
	po_entry(po, sizeof(po), MSG_PIN_WRONG_LEFT,
		 "Wrong PIN, %s attempt(s) left.");                              /* %u -> %s */
	po_entry(po, sizeof(po), MSG_CARD_WRITTEN, "Card %u written %n");        /* %n added */
	po_entry(po, sizeof(po), MSG_CARD_CHECK_OK, "Card %u checked");          /* too few */
	return testlib_catalogue(dir, sizeof(dir), po);
}

static int remove_catalogue(void **state)
{
	(void)state;
	testlib_rmdir(dir);
	return 0;
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
