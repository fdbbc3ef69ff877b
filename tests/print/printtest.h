/*
 * Helpers of the printer tests: deterministic job bytes, whole-file reads.
 * Include after <cmocka.h>.
 */
#ifndef SCEAU_TESTS_PRINT_PRINTTEST_H
#define SCEAU_TESTS_PRINT_PRINTTEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testlib.h"
#include "lib/err.h"
#include "lib/file.h"
#include "print/print.h"

#define PT_ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift32: the same job bytes on every run. */
static inline uint32_t pt_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static inline uint8_t *pt_job(size_t n, uint32_t seed)
{
	uint8_t *b = malloc(n ? n : 1);

	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)pt_rand(&seed);
	return b;
}

static inline void pt_path(char *out, size_t n, const char *dir, const char *name)
{
	int r = snprintf(out, n, "%s/%s", dir, name);

	assert_true(r > 0 && (size_t)r < n);
}

/* 1 if the file at path holds exactly data. */
static inline int pt_file_is(const char *path, const uint8_t *data, size_t len)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	int same;

	if (file_read_all(path, 1u << 28, &buf, &n) != 0)
		return 0;
	same = n == len && memcmp(buf, data, len) == 0;
	free(buf);
	return same;
}

static inline int pt_exists(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f)
		fclose(f);
	return f != NULL;
}

/* The entries of dir other than . and .., for "no temporary file left". */
static inline int pt_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

#endif
