/*
 * The usblp backend's own failures, with stand-ins for /dev/usb/lp0: a
 * regular file (a node that answers no usblp ioctl), a FIFO nobody reads
 * (a printer that stopped taking paper), a FIFO with no reader (no
 * printer), /dev/full (write fails with ENOSPC, usblp's "paper out"), and
 * a signal in the middle of a wait.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <cmocka.h>

#include "printtest.h"
#ifdef CONFIG_PRINT_USBLP
#include "fifo.h"
#include "print/print_usblp.h"

#define JOB_LEN 200000

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

static void regular_file_stands_in(void **state)
{
	char dir[64], node[128];
	uint8_t *job = pt_job(JOB_LEN, 7);
	struct printer *p = NULL;
	enum print_lang l;
	FILE *f;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	pt_path(node, sizeof(node), dir, "lp0");
	f = fopen(node, "wb");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(print_job_send(&print_usblp_ops, node, job, JOB_LEN), 0);
	assert_true(pt_file_is(node, job, JOB_LEN));
	assert_int_equal(print_open(&print_usblp_ops, node, &p), 0);
	assert_string_equal(p->label, node);
	assert_string_equal(p->device_id, ""); /* ENOTTY: not usblp */
	assert_int_equal(print_status(p), PRINT_STATUS_UNKNOWN);
	print_close(p);
	assert_int_equal(print_probe(&print_usblp_ops, node, &l), ERR_PRINTER_LANG);
	free(job);
	testlib_rmdir(dir);
}

static void fifo_without_reader_is_absent(void **state)
{
	char dir[64];
	struct fifo ff;
	const uint8_t b[1] = { 0 };

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	fifo_start(&ff, dir, FIFO_READ, 0, 0);
	assert_int_equal(print_job_send(&print_usblp_ops, ff.path, b, 1),
			 ERR_PRINTER_ABSENT);
	assert_non_null(strstr(err_last_detail(), "unplugged"));
	fifo_stop(&ff);
	testlib_rmdir(dir);
}

static void missing_nodes(void **state)
{
	const uint8_t b[1] = { 0 };
	struct printer *p = NULL;

	(void)state;
	assert_int_equal(print_job_send(&print_usblp_ops, "/nonexistent/lp0", b, 1),
			 ERR_PRINTER_ABSENT);
	assert_int_equal(print_job_send(&print_usblp_ops, "/tmp", b, 1), ERR_IO);
	/* "" is /dev/usb/lp0; never print on a real printer from a test. */
	if (!pt_exists(PRINT_USBLP_DEFAULT_NODE)) {
		assert_int_equal(print_open(&print_usblp_ops, "", &p), ERR_PRINTER_ABSENT);
		assert_non_null(strstr(err_last_detail(), PRINT_USBLP_DEFAULT_NODE));
	}
}

static void stalled_printer_times_out(void **state)
{
	char dir[64];
	struct fifo ff;
	uint8_t *job = pt_job(JOB_LEN, 8);
	struct printer *p = NULL;
	struct timespec t0;
	long ms;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	fifo_start(&ff, dir, FIFO_STALL, 0, 1);
	assert_int_equal(print_open(&print_usblp_ops, ff.path, &p), 0);
	p->timeout_ms = 300;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(print_send(p, job, JOB_LEN), ERR_PRINTER_TIMEOUT);
	ms = elapsed_ms(&t0);
	print_message("%ld ms: %s\n", ms, err_last_detail());
	assert_true(ms >= 290 && ms < 5000);
	assert_non_null(strstr(err_last_detail(), "took no data for 300 ms"));
	print_close(p);
	fifo_stop(&ff);
	free(job);
	testlib_rmdir(dir);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal during the wait neither ends it early nor restarts it. */
static void interrupted_wait_keeps_its_deadline(void **state)
{
	char dir[64];
	struct fifo ff;
	uint8_t *job = pt_job(JOB_LEN, 9);
	struct printer *p = NULL;
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct timespec t0;
	long ms;
	int ret;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	fifo_start(&ff, dir, FIFO_STALL, 0, 1);
	assert_int_equal(print_open(&print_usblp_ops, ff.path, &p), 0);
	p->timeout_ms = 400;
	sigaction(SIGALRM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setitimer(ITIMER_REAL, &it, NULL);
	ret = print_send(p, job, JOB_LEN);
	setitimer(ITIMER_REAL, &off, NULL);
	ms = elapsed_ms(&t0);
	signal(SIGALRM, SIG_DFL);
	assert_int_equal(ret, ERR_PRINTER_TIMEOUT);
	assert_true(ms >= 390 && ms < 2000);
	print_close(p);
	fifo_stop(&ff);
	free(job);
	testlib_rmdir(dir);
}

static void enospc_is_paper_out(void **state)
{
	const uint8_t b[16] = { 0 };

	(void)state;
	if (!pt_exists("/dev/full"))
		skip();
	assert_int_equal(print_job_send(&print_usblp_ops, "/dev/full", b, sizeof(b)),
			 ERR_PRINTER_NOPAPER);
	assert_non_null(strstr(err_last_detail(), "out of paper after 0 of 16 bytes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regular_file_stands_in),
		cmocka_unit_test(fifo_without_reader_is_absent),
		cmocka_unit_test(missing_nodes),
		cmocka_unit_test(stalled_printer_times_out),
		cmocka_unit_test(interrupted_wait_keeps_its_deadline),
		cmocka_unit_test(enospc_is_paper_out),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
	return 0; /* CONFIG_PRINT_USBLP is off */
}
#endif
