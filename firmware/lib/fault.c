/* Crash points for the tests (simulation builds only); see fault.h. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fault.h"
#include "lib/file.h"

static struct {
	pthread_once_t once;
	pthread_mutex_t lock;
	const char *at;      /* SCEAU_FAULT_AT, or NULL */
	const char *trace;   /* SCEAU_FAULT_TRACE, or NULL */
	unsigned long pass;  /* SCEAU_FAULT_PASS */
	unsigned long seen;  /* passes of `at` so far */
	int stop;            /* SCEAU_FAULT_STOP: stop there rather than die */
} fault = { PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 1, 0, 0 };

static void fault_init(void)
{
	const char *at = getenv("SCEAU_FAULT_AT");
	const char *trace = getenv("SCEAU_FAULT_TRACE");
	const char *pass = getenv("SCEAU_FAULT_PASS");
	const char *stop = getenv("SCEAU_FAULT_STOP");

	fault.at = at && *at ? at : NULL;
	fault.trace = trace && *trace ? trace : NULL;
	fault.stop = stop && strcmp(stop, "1") == 0;
	if (pass && *pass) {
		char *end;
		unsigned long n = strtoul(pass, &end, 10);
		fault.pass = *end == '\0' && n > 0 ? n : 1;
	}
}

/* One line per pass, appended whole: the file may be shared by the runs
 * of several commands. */
static void fault_trace(const char *name)
{
	char line[FAULT_NAME_MAX + 2];
	int n = snprintf(line, sizeof(line), "%s\n", name);
	int fd = open(fault.trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	if (n > 0)
		(void)file_write_all(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	close(fd);
}

void fault_point(const char *name)
{
	pthread_once(&fault.once, fault_init);
	if (!fault.at && !fault.trace)
		return;
	pthread_mutex_lock(&fault.lock);
	if (fault.trace)
		fault_trace(name);
	if (fault.at && strcmp(name, fault.at) == 0 && ++fault.seen == fault.pass) {
		if (!fault.stop)
			_exit(FAULT_EXIT);
		raise(SIGSTOP);
	}
	pthread_mutex_unlock(&fault.lock);
}

void fault_pointf(const char *fmt, ...)
{
	char name[FAULT_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	fault_point(name);
}
