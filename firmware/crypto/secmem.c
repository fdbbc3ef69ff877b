/*
 * Locked memory for secrets. Each buffer gets its own mapping framed by two
 * PROT_NONE guard pages, so that an overrun into or out of a secret faults
 * instead of leaking; the data pages are mlock'd and marked MADV_DONTDUMP.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "lib/err.h"
#include "crypto/secmem.h"

int secmem_init(void)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		err_detail("setrlimit(RLIMIT_CORE): %s", strerror(errno));
		return ERR_INTERNAL;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		err_detail("prctl(PR_SET_DUMPABLE): %s", strerror(errno));
		return ERR_INTERNAL;
	}
	return 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define SECMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SECMEM_ASAN 1
#endif
#endif

int secmem_lock_all(void)
{
#ifdef SECMEM_ASAN
	return 0;
#else
	if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		err_detail("mlockall: %s", strerror(errno));
		return ERR_NOMEM;
	}
	return 0;
#endif
}

static size_t secmem_page(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

/* Data pages for len bytes (at least one page, so that len = 0 still works). */
static size_t secmem_data_len(size_t len)
{
	size_t page = secmem_page();

	if (len == 0)
		return page;
	if (len > SIZE_MAX - 3 * page)
		return 0;
	return (len + page - 1) / page * page;
}

void *secmem_alloc(size_t len)
{
	size_t page = secmem_page(), data = secmem_data_len(len);
	uint8_t *base, *p;

	if (data == 0)
		return NULL;
	base = mmap(NULL, data + 2 * page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	p = base + page;
	if (mprotect(p, data, PROT_READ | PROT_WRITE) != 0)
		goto fail;
	if (mlock(p, data) != 0)
		goto fail;
	/* Best effort: an old kernel without MADV_DONTDUMP still gets
	 * RLIMIT_CORE 0 from secmem_init(). */
	(void)madvise(p, data, MADV_DONTDUMP);
	return p; /* fresh anonymous pages are already zero */
fail:
	munmap(base, data + 2 * page);
	return NULL;
}

void secmem_free(void *p, size_t len)
{
	size_t page = secmem_page(), data = secmem_data_len(len);

	if (p == NULL || data == 0)
		return;
	mbedtls_platform_zeroize(p, data);
	munlock(p, data);
	munmap((uint8_t *)p - page, data + 2 * page);
}

void secmem_wipe(void *p, size_t len)
{
	if (p != NULL && len != 0)
		mbedtls_platform_zeroize(p, len);
}

int secmem_ct_compare(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	/* (diff - 1) >> 8 is all-ones only for diff == 0: no branch on data. */
	return (int)((((unsigned)diff - 1) >> 8) & 1) - 1;
}
