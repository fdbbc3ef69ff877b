/* Small helpers shared by the unit tests. */
#ifndef SCEAU_TESTLIB_H
#define SCEAU_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

/* A fresh directory under /tmp (path written to out, at least 64 bytes). */
void testlib_tmpdir(char *out, size_t n);
/* rm -rf of a test directory made by testlib_tmpdir. */
void testlib_rmdir(const char *path);
/* Removes the files of a directory under /tmp/sceau-test-*, keeps it. */
void testlib_rmdir_contents(const char *path);
/* 1 if needle (n bytes) occurs in the file at path, 0 if not. */
int testlib_file_contains(const char *path, const void *needle, size_t n);
/* An English catalogue for the tests of translations: the entries of po
 * (msgid/msgstr pairs, after the header this adds) compiled by msgfmt
 * without --check, so that a broken translation stays in it, into
 * <dir>/en/LC_MESSAGES/sceau.mo of a fresh testlib_tmpdir (dir, at least 64
 * bytes); SCEAU_LOCALEDIR is set to it. 0, or -1 on any failure. */
int testlib_catalogue(char *dir, size_t n, const char *po);

#endif
