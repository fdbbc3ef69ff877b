/*
 * A FIFO standing in for /dev/usb/lp0, read by a thread that plays the
 * printer: it keeps what it reads, may stop reading (a printer out of
 * paper) or hang up after some bytes (a printer unplugged mid-job). Its
 * pipe buffer is smaller than the jobs, so the backend's EAGAIN and poll
 * paths run. Include after <cmocka.h>; needs SIGPIPE ignored.
 */
#ifndef SCEAU_TESTS_PRINT_FIFO_H
#define SCEAU_TESTS_PRINT_FIFO_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum fifo_mode {
	FIFO_READ,   /* reads everything until the writer closes */
	FIFO_STALL,  /* never reads */
	FIFO_HANGUP, /* closes its end after `limit` bytes */
};

struct fifo {
	char path[128];
	enum fifo_mode mode;
	size_t limit;
	int fd;
	pthread_t thread;
	int running;
	uint8_t *got;
	size_t len, cap;
};

static inline void fifo_keep(struct fifo *f, const uint8_t *b, size_t n)
{
	if (f->len + n > f->cap) {
		f->cap = (f->len + n) * 2;
		f->got = realloc(f->got, f->cap);
		if (!f->got)
			abort();
	}
	memcpy(f->got + f->len, b, n);
	f->len += n;
}

static inline void *fifo_reader(void *arg)
{
	struct fifo *f = arg;
	uint8_t buf[4096];

	for (;;) {
		struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
		size_t want = sizeof(buf);
		ssize_t n;

		/* Linux says POLLHUP only once a writer has come and gone. */
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		if (f->mode == FIFO_HANGUP && f->limit - f->len < want)
			want = f->limit - f->len;
		n = read(f->fd, buf, want);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		fifo_keep(f, buf, (size_t)n);
		if (f->mode == FIFO_HANGUP && f->len >= f->limit)
			break;
	}
	close(f->fd);
	f->fd = -1;
	return NULL;
}

/* Makes dir/lp0 and, unless there is to be no printer, its reader. */
static inline void fifo_start(struct fifo *f, const char *dir, enum fifo_mode mode,
			      size_t limit, int with_reader)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->mode = mode;
	f->limit = limit;
	snprintf(f->path, sizeof(f->path), "%s/lp0", dir);
	assert_int_equal(mkfifo(f->path, 0600), 0);
	if (!with_reader)
		return;
	/* Opened here, before the writer: its O_NONBLOCK open needs a reader. */
	f->fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(f->fd >= 0);
	if (mode == FIFO_STALL)
		return;
	assert_int_equal(pthread_create(&f->thread, NULL, fifo_reader, f), 0);
	f->running = 1;
}

/* Waits for the reader to see the end of the job, removes the FIFO. */
static inline void fifo_stop(struct fifo *f)
{
	if (f->running) {
		/* A writer that comes and goes ends a reader still waiting. */
		int w = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

		if (w >= 0)
			close(w);
		pthread_join(f->thread, NULL);
	}
	f->running = 0;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	unlink(f->path);
}

static inline void fifo_free(struct fifo *f)
{
	free(f->got);
	f->got = NULL;
	f->len = f->cap = 0;
}

#endif
