/* Small helpers shared by the unit tests. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "testlib.h"

void testlib_tmpdir(char *out, size_t n)
{
	snprintf(out, n, "/tmp/sceau-test-XXXXXX");
	if (!mkdtemp(out))
		abort();
}

static int testlib_rm(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

void testlib_rmdir(const char *path)
{
	if (strncmp(path, "/tmp/sceau-test-", 16) == 0)
		nftw(path, testlib_rm, 16, FTW_DEPTH | FTW_PHYS);
}

void testlib_rmdir_contents(const char *path)
{
	testlib_rmdir(path);
	mkdir(path, 0700);
}

int testlib_file_contains(const char *path, const void *needle, size_t n)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int found = 0;

	if (file_read_all(path, 1u << 30, &buf, &len) != 0)
		return 0;
	for (size_t i = 0; n && i + n <= len && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

int testlib_catalogue(char *dir, size_t n, const char *po)
{
	char cmd[512];
	FILE *f;

	testlib_tmpdir(dir, n);
	snprintf(cmd, sizeof(cmd), "%s/en.po", dir);
	f = fopen(cmd, "w");
	if (!f)
		return -1;
	fputs("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n", f);
	fputs(po, f);
	if (fclose(f) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/en/LC_MESSAGES && msgfmt -o %s/en/LC_MESSAGES/sceau.mo %s/en.po",
		 dir, dir, dir);
	if (system(cmd) != 0)
		return -1;
	return setenv("SCEAU_LOCALEDIR", dir, 1);
}
