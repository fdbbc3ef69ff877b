/* The ui layer under the backends: the structured progress (rate and time
 * left computed once for every backend, its sentence per unit) and the
 * confirmation of irreversible steps, with and without a backend's own
 * confirm operation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "card/card.h"
#include "lib/err.h"
#include "ui/msg.h"
#include "ui/ui.h"

struct fake {
	struct ui_progress last;
	unsigned n_progress;
	const char *answer; /* what ask returns */
	int confirm_result;
	unsigned n_confirm, n_ask;
};

static void fake_say(struct ui *u, enum ui_level level, const char *text)
{
	(void)u;
	(void)level;
	(void)text;
}

static int fake_ask(struct ui *u, const char *prompt, char *buf, size_t n, int secret)
{
	struct fake *f = u->priv;

	(void)prompt;
	(void)secret;
	f->n_ask++;
	if (strlen(f->answer) + 1 > n)
		return ERR_RANGE;
	memcpy(buf, f->answer, strlen(f->answer) + 1);
	return 0;
}

static int fake_wait(struct ui *u, const char *text, int (*ready)(void *arg), void *arg)
{
	(void)u;
	(void)text;
	return ready(arg) < 0 ? ERR_CARD_ABSENT : 0;
}

static void fake_progress(struct ui *u, const struct ui_progress *p)
{
	struct fake *f = u->priv;

	f->last = *p;
	f->n_progress++;
}

static int fake_confirm(struct ui *u, const char *text)
{
	struct fake *f = u->priv;

	(void)text;
	f->n_confirm++;
	return f->confirm_result;
}

static const struct ui_ops fake_ops = { fake_say, fake_ask, fake_wait, fake_progress, NULL };
static const struct ui_ops fake_ops_confirm = { fake_say, fake_ask, fake_wait, fake_progress,
						fake_confirm };

static void test_progress_text_per_unit(void **state)
{
	struct ui_progress p = { .unit = UI_UNIT_DECRYPTED, .done = 10, .total = 100,
				 .rate = 5, .left_s = 18 };
	char buf[256];

	(void)state;
	i18n_set_lang(LANG_FR);
	ui_progress_text(&p, buf, sizeof(buf));
	assert_string_equal(buf, "10 / 100 bulletins déchiffrés et prouvés — 5 par seconde "
				 "— environ 18 s restantes");
	p.unit = UI_UNIT_IMPORTED;
	ui_progress_text(&p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "bulletins chiffrés lus et enregistrés"));
	p.unit = UI_UNIT_VERIFIED;
	ui_progress_text(&p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "preuves de déchiffrement vérifiées"));
	i18n_set_lang(LANG_EN);
	ui_progress_text(&p, buf, sizeof(buf));
	assert_string_equal(buf, "10 / 100 decryption proofs checked — 5 per second — about 18 s left");
	i18n_set_lang(LANG_FR);
}

static void test_progress_rate_counts_this_run_only(void **state)
{
	struct fake f = { .answer = "" };
	struct ui u = { .ops = &fake_ops, .priv = &f };
	struct timespec pause = { 0, 60 * 1000 * 1000 };

	(void)state;
	/* Resumed after 400 ballots: nothing new yet, so no rate to tell. */
	ui_progress_start(&u, UI_UNIT_DECRYPTED, 400);
	ui_progress(&u, 400, 1000, 0);
	assert_int_equal(f.last.rate, 0);
	assert_int_equal(f.last.left_s, 0);
	assert_int_equal(f.last.unit, UI_UNIT_DECRYPTED);
	nanosleep(&pause, NULL);
	ui_progress(&u, 500, 1000, 0);
	/* 100 ballots in at least 60 ms: at most 1666 per second, and some. */
	assert_true(f.last.rate > 0 && f.last.rate <= 1666);
	assert_int_equal(f.last.left_s, 500 / f.last.rate);
	assert_int_equal(f.last.done, 500);
	assert_int_equal(f.last.total, 1000);
	ui_progress(&u, 1000, 1000, 1);
	assert_int_equal(f.last.left_s, 0);
	assert_int_equal(f.last.final, 1);
	assert_int_equal(f.n_progress, 3);
}

static void test_confirm_needs_the_word(void **state)
{
	static const char *const no[] = { "", " ", "o", "ou", "oui ", "OUI", "yes", "non" };
	struct fake f = { .answer = "oui" };
	struct ui u = { .ops = &fake_ops, .priv = &f };

	(void)state;
	i18n_set_lang(LANG_FR);
	assert_int_equal(ui_confirm(&u, "%s", "Sceller ?"), 1);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		f.answer = no[i];
		assert_int_equal(ui_confirm(&u, "%s", "Sceller ?"), 0);
	}
	i18n_set_lang(LANG_EN);
	f.answer = "yes";
	assert_int_equal(ui_confirm(&u, "%s", "Seal?"), 1);
	i18n_set_lang(LANG_FR);
}

static void test_confirm_uses_the_backend(void **state)
{
	struct fake f = { .answer = "oui", .confirm_result = 0 };
	struct ui u = { .ops = &fake_ops_confirm, .priv = &f };

	(void)state;
	assert_int_equal(ui_confirm(&u, "%s", "Sceller ?"), 0);
	f.confirm_result = 1;
	assert_int_equal(ui_confirm(&u, "%s", "Sceller ?"), 1);
	assert_int_equal(f.n_confirm, 2);
	assert_int_equal(f.n_ask, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_text_per_unit),
		cmocka_unit_test(test_progress_rate_counts_this_run_only),
		cmocka_unit_test(test_confirm_needs_the_word),
		cmocka_unit_test(test_confirm_uses_the_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
