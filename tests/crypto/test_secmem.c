/* crypto/secmem: locked, undumpable, guarded buffers; constant-time compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/secmem.h"
#include "testutil.h"

/* The kB figure of a "Name:" line of /proc/self/status, or -1. */
static long status_kb(const char *name)
{
	char line[256];
	long kb = -1;
	size_t nl = strlen(name);
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, nl) == 0 && line[nl] == ':')
			kb = strtol(line + nl + 1, NULL, 10);
	fclose(f);
	return kb;
}

/* The VmFlags line of the mapping that contains p (smaps), or "". */
static void smaps_flags(const void *p, char *flags, size_t size)
{
	char line[512];
	unsigned long lo, hi, addr = (unsigned long)p;
	int inside = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	flags[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			inside = addr >= lo && addr < hi;
		else if (inside && strncmp(line, "VmFlags:", 8) == 0)
			snprintf(flags, size, "%s", line + 8);
	}
	fclose(f);
}

static void secmem_alloc_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 32, 4095, 4096, 4097, 100000 };
	size_t i, j, len;
	uint8_t *p;

	(void)state;
	for (i = 0; i < TH_ROWS(sizes); i++) {
		len = sizes[i];
		p = secmem_alloc(len);
		assert_non_null(p);
		for (j = 0; j < len; j++)
			assert_int_equal(p[j], 0); /* zeroed */
		memset(p, 0xa5, len);          /* writable to the last byte */
		secmem_free(p, len);
	}
	secmem_free(NULL, 32); /* accepted */
}

/* ASan's mlock() interceptor does nothing, so the lock is checked only in
 * plain builds. */
#if defined(__SANITIZE_ADDRESS__)
#define LOCK_OBSERVABLE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOCK_OBSERVABLE 0
#endif
#endif
#ifndef LOCK_OBSERVABLE
#define LOCK_OBSERVABLE 1
#endif

static void secmem_pages_locked_and_undumpable(void **state)
{
	long before = status_kb("VmLck"), after;
	char flags[512];
	uint8_t *p = secmem_alloc(3 * 4096);

	(void)state;
	assert_non_null(p);
	after = status_kb("VmLck");
	smaps_flags(p, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd")); /* MADV_DONTDUMP */
	if (LOCK_OBSERVABLE) {
		/* the three data pages count as locked; the guard pages do not */
		if (before >= 0)
			assert_int_equal(after - before, 12);
		assert_non_null(strstr(flags, " lo")); /* VM_LOCKED */
	}
	secmem_free(p, 3 * 4096);
	if (LOCK_OBSERVABLE && before >= 0)
		assert_int_equal(status_kb("VmLck"), before);
}

/* Runs fn in a child; returns the signal that killed it, or 0. */
static int child_signal(void (*fn)(uint8_t *), uint8_t *p)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		fn(p);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void poke_after(uint8_t *p)
{
	((volatile uint8_t *)p)[4096] = 1;
}

static void poke_before(uint8_t *p)
{
	((volatile uint8_t *)p)[-1] = 1;
}

static void poke_inside(uint8_t *p)
{
	((volatile uint8_t *)p)[4095] = 1;
}

static void secmem_guard_pages_fault(void **state)
{
	uint8_t *p = secmem_alloc(100);

	(void)state;
	assert_non_null(p);
	assert_int_equal(child_signal(poke_inside, p), 0);
	assert_int_equal(child_signal(poke_after, p), SIGSEGV);
	assert_int_equal(child_signal(poke_before, p), SIGSEGV);
	secmem_free(p, 100);
}

static void secmem_wipe_zeroes(void **state)
{
	uint8_t buf[48];
	size_t i;

	(void)state;
	memset(buf, 0x5c, sizeof(buf));
	WIPE_BUFFER(buf);
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	secmem_wipe(NULL, 0);
}

static void secmem_ct_compare_table(void **state)
{
	static const struct {
		const char *title;
		const char *a, *b;
		size_t len;
		int want;
	} rows[] = {
		{ "equal", "0123456789abcdef", "0123456789abcdef", 16, 0 },
		{ "first byte differs", "x123456789abcdef", "0123456789abcdef", 16, -1 },
		{ "last byte differs", "0123456789abcdef", "0123456789abcdeF", 16, -1 },
		{ "one bit differs (0x01)", "a", "`", 1, -1 },
		{ "high bit differs (0x80)", "\x81", "\x01", 1, -1 },
		{ "empty ranges are equal", "a", "b", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++)
		if (secmem_ct_compare(rows[i].a, rows[i].b, rows[i].len) != rows[i].want)
			fail_msg("ct_compare: %s", rows[i].title);
}

/* Last: the process is no longer dumpable afterwards. */
static void secmem_init_disables_core_dumps(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_int_equal(secmem_init(), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secmem_alloc_sizes),
		cmocka_unit_test(secmem_pages_locked_and_undumpable),
		cmocka_unit_test(secmem_guard_pages_fault),
		cmocka_unit_test(secmem_wipe_zeroes),
		cmocka_unit_test(secmem_ct_compare_table),
		cmocka_unit_test(secmem_init_disables_core_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
