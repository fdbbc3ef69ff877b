/* The session's own error code, ERR_AIRGAP, is put into words like every
 * other (ui's msg_err() sits below session and cannot name it), and its
 * value is the one lib/err.h reserves for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/i18n.h"
#include "session/boot.h"
#include "ui/msg.h"

static void test_airgap_text(void **state)
{
	(void)state;
	assert_int_equal(ERR_AIRGAP, -17);
	i18n_set_lang(LANG_FR);
	assert_string_equal(boot_err_text(ERR_AIRGAP), "une interface réseau est active");
	i18n_set_lang(LANG_EN);
	assert_string_equal(boot_err_text(ERR_AIRGAP), "a network interface is up");
	i18n_set_lang(LANG_FR);
}

static void test_other_codes_as_msg_err(void **state)
{
	(void)state;
	for (int e = 0; e >= -40; e--)
		if (e != ERR_AIRGAP)
			assert_string_equal(boot_err_text(e), msg_err(e));
	assert_string_not_equal(boot_err_text(ERR_AIRGAP), msg_err(ERR_INTERNAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_airgap_text),
		cmocka_unit_test(test_other_codes_as_msg_err),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
