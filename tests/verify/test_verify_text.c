/*
 * The verifier's texts in both languages: every row of verify_msg_table.h
 * has an English translation in use (po/en.po, through lib/i18n) taking the
 * same printf arguments, and the readable and JSON reports say what an
 * expert reads, in French and in English, whatever the current language.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/i18n.h"
#include "verify/verify.h"
#include "verify/verify_msg.h"

static void test_every_text_translated(void **state)
{
	char cf[64], ce[64];

	(void)state;
	for (int m = 0; m < VMSG__COUNT; m++) {
		const char *fr = vmsg_text((enum vmsg)m, LANG_FR), *en = vmsg_text((enum vmsg)m, LANG_EN);

		if (strcmp(fr, en) == 0)
			fail_msg("text %d has no English: \"%s\"", m, fr);
		assert_int_equal(i18n_conversions(fr, cf, sizeof(cf)), 0);
		assert_int_equal(i18n_conversions(en, ce, sizeof(ce)), 0);
		if (strcmp(cf, ce) != 0)
			fail_msg("text %d: French takes %s, English %s", m, cf, ce);
	}
	for (int id = 0; id < VERIFY_CHECK_COUNT; id++)
		assert_string_not_equal(verify_check_title((enum verify_check_id)id, LANG_FR),
					verify_check_title((enum verify_check_id)id, LANG_EN));
}

static struct verify_report *report(void)
{
	struct verify_report *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	snprintf(r->archive, sizeof(r->archive), "/media/archive");
	snprintf(r->election_title, sizeof(r->election_title), "CSE 2026");
	r->sealed = 1;
	for (int i = 0; i < VERIFY_CHECK_COUNT; i++)
		r->checks[i].status = VERIFY_PASS;
	r->checks[VERIFY_RECORD].status = VERIFY_FAIL;
	r->checks[VERIFY_RECORD].n_dropped = 2;
	r->checks[VERIFY_URN_SEAL].status = VERIFY_WARN;
	r->checks[VERIFY_PV_QR].status = VERIFY_SKIP;
	return r;
}

static void assert_has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing \"%s\" in:\n%s", line, text);
}

static void test_report_french(void **state)
{
	struct verify_report *r = report();
	char *t = NULL;
	size_t n = 0;

	(void)state;
	i18n_set_lang(LANG_EN); /* the language given wins */
	assert_int_equal(verify_report_text(r, LANG_FR, &t, &n), 0);
	i18n_set_lang(LANG_FR);
	assert_has(t, "VÉRIFICATION DE L'ARCHIVE SCEAU\n"
		      "  Archive : /media/archive (archive scellée)\n"
		      "  Élection : CSE 2026\n\n[ OK ]  archive — Archive : fichiers");
	assert_has(t, "\n[ÉCHEC] record — Registre public de l'élection (engagements des parts "
		      "recalculés)\n        … 2 autre(s) remarque(s) non affichée(s)\n");
	assert_has(t, "\n[ ATT ] urn.seal — Sceau de l'urne : ");
	assert_has(t, "\n[ NV ]  pv.qr — QR codes du procès-verbal imprimé\n");
	assert_has(t, "\nRÉSULTAT : ARCHIVE NON CONFORME — 1 vérification(s) en échec : record\n");
	free(t);
	verify_report_free(r);
}

static void test_report_english(void **state)
{
	struct verify_report *r = report();
	char *t = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(verify_report_text(r, LANG_EN, &t, &n), 0);
	assert_has(t, "SCEAU ARCHIVE VERIFICATION\n"
		      "  Archive: /media/archive (sealed archive)\n"
		      "  Election: CSE 2026\n\n[ OK ]  archive — Archive: files");
	assert_has(t, "\n[FAIL]  record — Public election record (share commitments "
		      "recomputed)\n        … 2 more note(s) not shown\n");
	assert_has(t, "\n[WARN]  urn.seal — Urn seal: ");
	assert_has(t, "\n[SKIP]  pv.qr — QR codes of the printed PV\n");
	assert_has(t, "\nRESULT: ARCHIVE NOT CONFORM — 1 check(s) failed: record\n");
	free(t);
	r->checks[VERIFY_RECORD].status = VERIFY_PASS;
	assert_int_equal(verify_report_text(r, LANG_EN, &t, &n), 0);
	assert_has(t, "\nRESULT: ARCHIVE CONFORM — every check holds.\n");
	free(t);
	/* the JSON report's titles are English */
	assert_int_equal(verify_report_json(r, &t, &n), 0);
	assert_has(t, "\"title\": \"Public election record (share commitments recomputed)\"");
	free(t);
	verify_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_text_translated),
		cmocka_unit_test(test_report_french),
		cmocka_unit_test(test_report_english),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
