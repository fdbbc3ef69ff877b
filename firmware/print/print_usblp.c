/*
 * The `usblp` backend: the kernel's USB printer driver, /dev/usb/lp*.
 *
 * The node is opened non-blocking: usblp then returns EAGAIN while its
 * single write URB is in flight and poll() says POLLOUT when it completes,
 * so a printer that stops taking data (no paper, a jam, switched off) makes
 * the job fail after timeout_ms with the reason LPGETSTATUS gives, instead
 * of blocking the box forever. An unplugged printer makes usblp fail with
 * ENODEV; ENOSPC is its "paper out" (with LPABORT set by someone else).
 *
 * The ioctl numbers are the ones drivers/usb/class/usblp.c defines; no
 * uapi header carries them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "print/print_usblp.h"

#define PRINT_USBLP_IOCNR_GET_DEVICE_ID 1
#define PRINT_USBLP_GET_DEVICE_ID(len) \
	_IOC(_IOC_READ, 'P', PRINT_USBLP_IOCNR_GET_DEVICE_ID, len)
#define PRINT_USBLP_CHUNK 8192 /* usblp's USBLP_BUF_SIZE: one URB */

struct print_usblp {
	struct printer base; /* first: struct printer * converts to this */
	int fd;
	size_t sent, total; /* for the journal: where a job stopped */
};

static struct print_usblp *print_usblp_of(struct printer *p)
{
	return (struct print_usblp *)p;
}

static int print_usblp_gone(int e)
{
	return e == ENODEV || e == ENOENT || e == ENXIO || e == EIO ||
	       e == EPIPE || e == ESHUTDOWN;
}

/* The ERR_* for a failed open/write, with the detail the journal keeps. */
static int print_usblp_errno(struct print_usblp *u, int e)
{
	if (print_usblp_gone(e)) {
		err_detail("%s: %s after %zu of %zu bytes (printer unplugged or "
			   "switched off?)", u->base.label, strerror(e), u->sent, u->total);
		return ERR_PRINTER_ABSENT;
	}
	if (e == ENOSPC) {
		err_detail("%s: out of paper after %zu of %zu bytes", u->base.label,
			   u->sent, u->total);
		return ERR_PRINTER_NOPAPER;
	}
	err_detail("%s: %s after %zu of %zu bytes", u->base.label, strerror(e),
		   u->sent, u->total);
	return ERR_IO;
}

static int print_usblp_open_errno(const char *node, int e)
{
	if (print_usblp_gone(e)) {
		err_detail("%s: %s (no printer there, unplugged or switched off?)",
			   node, strerror(e));
		return ERR_PRINTER_ABSENT;
	}
	err_detail("%s: %s", node, strerror(e));
	return ERR_IO;
}

/* The device id, if the node answers LPIOC_GET_DEVICE_ID; "" otherwise. */
static void print_usblp_read_devid(struct print_usblp *u)
{
	uint8_t buf[PRINT_DEVICE_ID_MAX];

	memset(buf, 0, sizeof(buf));
	if (ioctl(u->fd, PRINT_USBLP_GET_DEVICE_ID(sizeof(buf)), buf) < 0)
		return;
	if (print_devid_unwrap(buf, sizeof(buf), u->base.device_id,
			       sizeof(u->base.device_id)))
		u->base.device_id[0] = '\0';
}

static int print_usblp_open(const char *spec, struct printer **out)
{
	const char *node = spec[0] ? spec : PRINT_USBLP_DEFAULT_NODE;
	struct print_usblp *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return ERR_NOMEM;
	u->base.ops = &print_usblp_ops;
	u->base.timeout_ms = CONFIG_PRINT_TIMEOUT * 1000u;
	snprintf(u->base.label, sizeof(u->base.label), "%s", node);
	/* No O_CREAT: a missing node is a missing printer, not a new file. */
	u->fd = open(node, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (u->fd < 0) {
		ret = print_usblp_open_errno(node, errno);
		free(u);
		return ret;
	}
	print_usblp_read_devid(u);
	*out = &u->base;
	return 0;
}

static int print_usblp_status(struct printer *p)
{
	struct print_usblp *u = print_usblp_of(p);
	int st = 0;

	if (ioctl(u->fd, LPGETSTATUS, &st) < 0) {
		if (errno == ENODEV)
			return print_usblp_errno(u, errno);
		return PRINT_STATUS_UNKNOWN; /* not usblp, or no status */
	}
	return print_port_status_fault((unsigned)st);
}

static long print_usblp_ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000L +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

/* What a printer that took nothing for timeout_ms is doing. */
static int print_usblp_stuck(struct print_usblp *u)
{
	int st = print_usblp_status(&u->base);

	if (st < 0)
		return st;
	err_detail("%s: the printer took no data for %u ms after %zu of %zu "
		   "bytes", u->base.label, u->base.timeout_ms, u->sent, u->total);
	return ERR_PRINTER_TIMEOUT;
}

/* Waits until the device takes data again (the last URB completed). */
static int print_usblp_wait(struct print_usblp *u)
{
	struct pollfd pfd = { .fd = u->fd, .events = POLLOUT };
	struct timespec deadline;
	long left;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += u->base.timeout_ms / 1000;
	deadline.tv_nsec += (long)(u->base.timeout_ms % 1000) * 1000000L;
	do {
		left = print_usblp_ms_left(&deadline);
		rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return print_usblp_errno(u, errno);
	if (rc == 0)
		return print_usblp_stuck(u);
	if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
		return print_usblp_errno(u, ENODEV);
	return 0;
}

static int print_usblp_send(struct printer *p, const uint8_t *data, size_t len)
{
	struct print_usblp *u = print_usblp_of(p);
	size_t off = 0;
	int ret;

	u->sent = 0;
	u->total = len;
	while (off < len) {
		size_t n = len - off < PRINT_USBLP_CHUNK ? len - off : PRINT_USBLP_CHUNK;
		ssize_t w = write(u->fd, data + off, n);

		if (w > 0) {
			off += (size_t)w;
			u->sent = off;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ret = print_usblp_wait(u);
			if (ret)
				return ret;
			continue;
		}
		return print_usblp_errno(u, w < 0 ? errno : EIO);
	}
	return 0;
}

/* The last URB must complete, and the printer must not be in trouble. */
static int print_usblp_finish(struct printer *p)
{
	struct print_usblp *u = print_usblp_of(p);
	int ret = print_usblp_wait(u);

	if (ret)
		return ret;
	ret = print_usblp_status(p);
	return ret < 0 ? ret : 0;
}

static void print_usblp_close(struct printer *p)
{
	struct print_usblp *u = print_usblp_of(p);

	if (u->fd >= 0)
		close(u->fd);
	free(u);
}

const struct print_ops print_usblp_ops = {
	.name = "usblp",
	.open = print_usblp_open,
	.send = print_usblp_send,
	.status = print_usblp_status,
	.finish = print_usblp_finish,
	.close = print_usblp_close,
};
