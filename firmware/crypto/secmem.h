/*
 * Locked memory for secrets (the election key, shares, PINs, DRBG state).
 * Buffers come from their own mmap'd pages, mlock'd (never swapped),
 * excluded from core dumps (MADV_DONTDUMP), and are wiped before release.
 * secmem_init() also disables core dumps for the whole process.
 */
#ifndef SCEAU_CRYPTO_SECMEM_H
#define SCEAU_CRYPTO_SECMEM_H

#include <stddef.h>

/* Process-wide hardening: RLIMIT_CORE 0, PR_SET_DUMPABLE 0. Returns 0 or ERR_*. */
int secmem_init(void);

/*
 * Locks every page of the process, present and future (mlockall), so that
 * the secrets mbedTLS keeps on its own heap (DRBG state, working copies of
 * scalars) can never be swapped out either. Needs root (CAP_IPC_LOCK).
 * 0, or ERR_NOMEM if the kernel refused. Skipped (0) under AddressSanitizer,
 * whose shadow memory cannot be locked.
 */
int secmem_lock_all(void);

/* A zeroed, locked buffer of len bytes, or NULL (ERR_NOMEM for the caller). */
void *secmem_alloc(size_t len);
/* Wipes and releases a buffer from secmem_alloc (NULL is accepted). */
void secmem_free(void *p, size_t len);

/* Wipes memory in a way the compiler cannot elide (mbedtls_platform_zeroize). */
void secmem_wipe(void *p, size_t len);
#define WIPE_BUFFER(buf) secmem_wipe((buf), sizeof(buf))

/* Constant-time comparison: 0 if equal, -1 otherwise. */
int secmem_ct_compare(const void *a, const void *b, size_t len);

#endif
