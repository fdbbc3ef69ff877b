/*
 * The phase machine's tables (session/phase.c) against the phases as
 * docs/ARCHITECTURE.md describes them, written here independently: every
 * pair of phases is a transition or not, every command accepts exactly its
 * phases, and the stored names read back. tests/session/test_phases.sh runs
 * the real commands in every phase. A counting session goes record-loaded
 * -> urn-imported -> shuffled -> decrypting -> decrypted -> counted ->
 * sealing -> sealed; an import cut off after the urn (urn-imported) is run
 * again to make the shuffles; the count starts from shuffled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "session/phase.h"

static const char *const names[PHASE__COUNT] = {
	NULL, "ceremony", "ceremony-complete", "record-loaded", "urn-imported",
	"shuffled", "decrypting", "decrypted", "counted", "sealing", "sealed",
};

/* The only moves a session ever makes: one way, one step at a time. */
static int expected_edge(enum phase a, enum phase b)
{
	return (a == PHASE_NONE && b == PHASE_CEREMONY) ||
	       (a == PHASE_CEREMONY && b == PHASE_CEREMONY_DONE) ||
	       (a == PHASE_NONE && b == PHASE_RECORD_LOADED) ||
	       (a >= PHASE_RECORD_LOADED && a < PHASE_SEALED && b == a + 1);
}

static void test_transitions(void **state)
{
	(void)state;
	for (unsigned a = 0; a < PHASE__COUNT; a++)
		for (unsigned b = 0; b < PHASE__COUNT; b++) {
			int want = expected_edge((enum phase)a, (enum phase)b);
			if (phase_next_ok((enum phase)a, (enum phase)b) != want)
				fail_msg("%s -> %s: allowed %d, want %d", names[a] ? names[a] : "none",
					 names[b] ? names[b] : "none", !want, want);
		}
	assert_false(phase_next_ok(PHASE_SEALED, PHASE_COUNTED));
	assert_false(phase_next_ok(PHASE_COUNTED, PHASE_COUNTED));
}

static void test_commands(void **state)
{
	static const struct {
		enum phase_cmd cmd;
		const char *name;
		unsigned accepts;
	} rows[] = {
		{ PHASE_CMD_CEREMONY, "ceremony", PHASE_BIT(PHASE_NONE) },
		{ PHASE_CMD_IMPORT, "import", PHASE_BIT(PHASE_NONE) | PHASE_BIT(PHASE_RECORD_LOADED) |
			PHASE_BIT(PHASE_URN_IMPORTED) },
		{ PHASE_CMD_COUNT, "count", PHASE_BIT(PHASE_SHUFFLED) |
			PHASE_BIT(PHASE_DECRYPTING) | PHASE_BIT(PHASE_DECRYPTED) },
		{ PHASE_CMD_PV, "pv", PHASE_BIT(PHASE_COUNTED) },
		{ PHASE_CMD_SEAL, "seal", PHASE_BIT(PHASE_COUNTED) | PHASE_BIT(PHASE_SEALING) |
			PHASE_BIT(PHASE_SEALED) },
		{ PHASE_CMD_RECOUNT, "recount", PHASE_BIT(PHASE_COUNTED) |
			PHASE_BIT(PHASE_SEALING) | PHASE_BIT(PHASE_SEALED) },
	};

	(void)state;
	assert_int_equal(sizeof(rows) / sizeof(rows[0]), PHASE_CMD__COUNT);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_string_equal(phase_cmd_name(rows[i].cmd), rows[i].name);
		assert_int_equal(phase_cmd_accepts(rows[i].cmd), rows[i].accepts);
	}
	/* Once the seal has begun, nothing that writes may run but the seal's
	 * own resume. */
	for (unsigned c = 0; c < PHASE_CMD__COUNT; c++)
		if (c != PHASE_CMD_SEAL && c != PHASE_CMD_RECOUNT) {
			assert_false(phase_cmd_accepts((enum phase_cmd)c) & PHASE_BIT(PHASE_SEALED));
			assert_false(phase_cmd_accepts((enum phase_cmd)c) & PHASE_BIT(PHASE_SEALING));
		}
}

static void test_names(void **state)
{
	enum phase p;

	(void)state;
	for (unsigned i = 1; i < PHASE__COUNT; i++) {
		assert_string_equal(phase_name((enum phase)i), names[i]);
		assert_int_equal(phase_parse(names[i], &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(phase_parse("counted ", &p), ERR_FORMAT);
	assert_int_equal(phase_parse("?", &p), ERR_FORMAT);
	assert_int_equal(phase_parse("", &p), ERR_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
