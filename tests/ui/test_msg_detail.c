/*
 * The details the bureau reads (ui/msg_detail.h, issue 14 item 6): every
 * row's English format is what po/en.po gives for its French text, both
 * take the same printf arguments, and once msg_details_install() has run,
 * err_detail() keeps the code's English for journals (err_last_detail)
 * and the bureau's language for the screen (err_last_text), across
 * err_detail_prefix() and err_save()/err_restore(). The build's English
 * catalogue is used (simulation builds find it in the build tree).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/i18n.h"
#include "ui/msg.h"

static void test_rows_agree_with_the_catalogue(void **state)
{
	unsigned n = msg_detail_count();

	(void)state;
	assert_true(n > 40);
	for (unsigned i = 0; i < n; i++) {
		enum msg_id id;
		const char *en = msg_detail_row(i, &id);
		const char *fr = msg_id_text(id);

		if (strcmp(i18n_text(fr, LANG_EN), en) != 0)
			fail_msg("row %u: po/en.po says \"%s\" for \"%s\", the code writes \"%s\"", i,
				 i18n_text(fr, LANG_EN), fr, en);
		if (!i18n_formats_agree(en, fr))
			fail_msg("row %u: \"%s\" and \"%s\" take other arguments", i, en, fr);
		for (unsigned j = 0; j < i; j++) {
			enum msg_id other;
			assert_string_not_equal(msg_detail_row(j, &other), en);
		}
	}
}

static void test_details_in_the_bureau_language(void **state)
{
	struct err_saved saved;

	(void)state;
	msg_details_install();
	i18n_set_lang(LANG_FR);
	err_detail("%s: the image has no file %s", "/m/urn.iso", "ballots.bin");
	assert_string_equal(err_last_detail(), "/m/urn.iso: the image has no file ballots.bin");
	assert_string_equal(err_last_text(), "/m/urn.iso : le support ne contient pas le fichier ballots.bin");
	err_detail("ballots.bin, record %llu: duplicate tracker", 12ULL);
	err_detail_prefix("/m/urn.iso");
	assert_string_equal(err_last_detail(), "/m/urn.iso: ballots.bin, record 12: duplicate tracker");
	assert_string_equal(err_last_text(),
			    "/m/urn.iso : ballots.bin, bulletin n° 12 : numéro de suivi en double");
	err_save(&saved);
	err_detail("a format no table knows (%d)", 7);
	assert_string_equal(err_last_text(), "a format no table knows (7)");
	err_restore(&saved);
	assert_string_equal(err_last_text(),
			    "/m/urn.iso : ballots.bin, bulletin n° 12 : numéro de suivi en double");
	i18n_set_lang(LANG_EN);
	err_detail("wrong PIN, %u tries left", 0u);
	assert_string_equal(err_last_text(), "wrong PIN, 0 tries left");
	err_detail_prefix("card");
	assert_string_equal(err_last_text(), "card: wrong PIN, 0 tries left");
	i18n_set_lang(LANG_FR);
	err_clear();
	assert_string_equal(err_last_text(), "");
}

static void test_errno_codes(void **state)
{
	(void)state;
	assert_int_equal(err_from_errno(ENOSPC), ERR_NOSPACE);
	assert_int_equal(err_from_errno(EDQUOT), ERR_NOSPACE);
	assert_int_equal(err_from_errno(EFBIG), ERR_NOSPACE);
	assert_int_equal(err_from_errno(EROFS), ERR_READONLY);
	assert_int_equal(err_from_errno(EACCES), ERR_READONLY);
	assert_int_equal(err_from_errno(EIO), ERR_IO);
	assert_string_equal(msg_err(ERR_NOSPACE), msg(MSG_E_NOSPACE));
	assert_string_equal(msg_err(ERR_READONLY), msg(MSG_E_READONLY));
	assert_non_null(strstr(msg(MSG_E_NOSPACE), "le disque est plein"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_agree_with_the_catalogue),
		cmocka_unit_test(test_details_in_the_bureau_language),
		cmocka_unit_test(test_errno_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
