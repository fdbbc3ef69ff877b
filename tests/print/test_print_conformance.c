/*
 * One conformance suite, run against every printer backend compiled in:
 * the registry, a whole job arriving byte for byte, an absent printer, the
 * API's guards, the status of an idle printer, the language probe, and a
 * failure in the middle of a job (file: the disk refuses more bytes; usblp:
 * the printer hangs up; libusb: the printer is unplugged) that must end
 * with a specific error, leave nothing reported as printed, and let the
 * same job succeed when retried.
 *
 * file writes into a temporary directory; usblp writes into a FIFO read by
 * a thread (tests/print/fifo.h); libusb talks to a simulated USB printer
 * on the simulated USB bus (sim/usb_sim_printer.h, tests/print/usbsim.h).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "printtest.h"
#include "fifo.h"
#ifdef CONFIG_PRINT_FILE
#include "print/print_file.h"
#endif
#ifdef CONFIG_PRINT_USBLP
#include "print/print_usblp.h"
#endif
#ifdef CONFIG_PRINT_LIBUSB_SIM
#include "usbsim.h"
#endif

#define JOB_LEN 200000 /* more than a pipe buffer and than a USB chunk */
#define FAULT_AT 50000

struct fx;

/* One backend under test. */
struct backend {
	const char *name;
	void (*setup)(struct fx *f);
	void (*teardown)(struct fx *f);
	/* 1 if the printer holds exactly this job. */
	int (*got)(struct fx *f, const uint8_t *data, size_t len);
	/* The next job fails after `after` bytes; undo() heals the printer. */
	void (*inject)(struct fx *f, size_t after);
	void (*undo)(struct fx *f);
	int absent_err, fault_err;
	enum print_lang lang; /* PRINT_LANG_NONE: the probe fails */
};

struct fx {
	const struct backend *b;
	struct print_ops ops; /* what jobs go through */
	const struct print_ops *registered;
	char dir[64], spec[256], absent[256];
	struct fifo fifo;
	struct rlimit fsize;
};

/* --- file ----------------------------------------------------------------- */

#ifdef CONFIG_PRINT_FILE
static void file_setup(struct fx *f)
{
	f->ops = print_file_ops;
	f->registered = &print_file_ops;
	pt_path(f->spec, sizeof(f->spec), f->dir, "pv.ps");
	pt_path(f->absent, sizeof(f->absent), f->dir, "no-such-dir/pv.ps");
}

static void file_teardown(struct fx *f)
{
	(void)f;
}

static int file_got(struct fx *f, const uint8_t *data, size_t len)
{
	/* Only the finished file: no temporary file left beside it. */
	if (!pt_exists(f->spec))
		return pt_dir_entries(f->dir) != 0 ? -1 : 0;
	return pt_file_is(f->spec, data, len) && pt_dir_entries(f->dir) == 1;
}

/* The disk refuses to grow a file past `after` bytes (EFBIG). */
static void file_inject(struct fx *f, size_t after)
{
	struct rlimit r;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &f->fsize), 0);
	r = f->fsize;
	r.rlim_cur = after;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &r), 0);
}

static void file_undo(struct fx *f)
{
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &f->fsize), 0);
}

static const struct backend file_backend = {
	.name = "file", .setup = file_setup, .teardown = file_teardown,
	.got = file_got, .inject = file_inject, .undo = file_undo,
	.absent_err = ERR_NOTFOUND, .fault_err = ERR_IO,
	.lang = PRINT_LANG_POSTSCRIPT,
};
#endif

/* --- usblp ---------------------------------------------------------------- */

#ifdef CONFIG_PRINT_USBLP
static void usblp_setup(struct fx *f)
{
	f->ops = print_usblp_ops;
	f->registered = &print_usblp_ops;
	fifo_start(&f->fifo, f->dir, FIFO_READ, 0, 1);
	snprintf(f->spec, sizeof(f->spec), "%s", f->fifo.path);
	pt_path(f->absent, sizeof(f->absent), f->dir, "lp9");
}

static void usblp_teardown(struct fx *f)
{
	fifo_stop(&f->fifo);
	fifo_free(&f->fifo);
}

static int usblp_got(struct fx *f, const uint8_t *data, size_t len)
{
	fifo_stop(&f->fifo);
	return f->fifo.len == len && memcmp(f->fifo.got, data, len) == 0;
}

/* The printer hangs up after `after` bytes (the writer sees EPIPE). */
static void usblp_inject(struct fx *f, size_t after)
{
	fifo_stop(&f->fifo);
	fifo_free(&f->fifo);
	fifo_start(&f->fifo, f->dir, FIFO_HANGUP, after, 1);
}

static void usblp_undo(struct fx *f)
{
	fifo_stop(&f->fifo);
	fifo_free(&f->fifo);
	fifo_start(&f->fifo, f->dir, FIFO_READ, 0, 1);
}

static const struct backend usblp_backend = {
	.name = "usblp", .setup = usblp_setup, .teardown = usblp_teardown,
	.got = usblp_got, .inject = usblp_inject, .undo = usblp_undo,
	.absent_err = ERR_PRINTER_ABSENT, .fault_err = ERR_PRINTER_ABSENT,
	.lang = PRINT_LANG_NONE, /* a FIFO answers no LPIOC_GET_DEVICE_ID */
};
#endif

/* --- libusb --------------------------------------------------------------- */

#ifdef CONFIG_PRINT_LIBUSB_SIM
static void libusb_setup(struct fx *f)
{
	usbsim_reset();
	f->ops = usbsim_backend();
	f->registered = &print_libusb_ops;
	snprintf(f->spec, sizeof(f->spec), "03f0:0a2a");
	snprintf(f->absent, sizeof(f->absent), "04b8:0e15");
}

static void libusb_teardown(struct fx *f)
{
	(void)f;
	usbsim_assert_balanced();
	usbsim_reset();
}

static int libusb_got(struct fx *f, const uint8_t *data, size_t len)
{
	struct usb_sim_printer *d = usbsim_printer();

	(void)f;
	return d->got_len == len && memcmp(d->got, data, len) == 0;
}

static void libusb_inject(struct fx *f, size_t after)
{
	(void)f;
	usbsim_printer()->unplug_after = after;
}

/* Plugged in again: a fresh printer, nothing received yet. */
static void libusb_undo(struct fx *f)
{
	struct usb_sim_printer *d = usbsim_printer();

	(void)f;
	d->unplug_after = 0;
	d->dev.unplugged = 0;
	d->got_len = 0;
}

static const struct backend libusb_backend = {
	.name = "libusb", .setup = libusb_setup, .teardown = libusb_teardown,
	.got = libusb_got, .inject = libusb_inject, .undo = libusb_undo,
	.absent_err = ERR_PRINTER_ABSENT, .fault_err = ERR_PRINTER_ABSENT,
	.lang = PRINT_LANG_POSTSCRIPT,
};
#endif

/* --- the suite ------------------------------------------------------------ */

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->b = *state;
	f->fifo.fd = -1;
	testlib_tmpdir(f->dir, sizeof(f->dir));
	f->b->setup(f);
	err_clear();
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	f->b->teardown(f);
	testlib_rmdir(f->dir);
	free(f);
	return 0;
}

static void registry(void **state)
{
	struct fx *f = *state;

	assert_ptr_equal(print_backend(f->b->name), f->registered);
	assert_string_equal(f->registered->name, f->b->name);
	assert_non_null(f->registered->open);
	assert_non_null(f->registered->send);
	assert_non_null(f->registered->close);
	assert_non_null(print_default_backend());
	assert_null(print_backend("cups"));
	assert_null(print_backend(NULL));
}

static void whole_job_arrives(void **state)
{
	struct fx *f = *state;
	uint8_t *job = pt_job(JOB_LEN, 1);

	assert_int_equal(print_job_send(&f->ops, f->spec, job, JOB_LEN), 0);
	assert_int_equal(f->b->got(f, job, JOB_LEN), 1);
	free(job);
}

static void one_byte_job(void **state)
{
	struct fx *f = *state;
	const uint8_t job[1] = { 0x1b };

	assert_int_equal(print_job_send(&f->ops, f->spec, job, 1), 0);
	assert_int_equal(f->b->got(f, job, 1), 1);
}

static void absent_printer(void **state)
{
	struct fx *f = *state;
	uint8_t *job = pt_job(1000, 2);
	struct printer *p = (struct printer *)1;

	assert_int_equal(print_job_send(&f->ops, f->absent, job, 1000), f->b->absent_err);
	print_message("%s: %s\n", f->b->name, err_last_detail());
	assert_true(err_last_detail()[0] != '\0');
	assert_int_equal(print_open(&f->ops, f->absent, &p), f->b->absent_err);
	assert_null(p);
	free(job);
}

static void api_guards(void **state)
{
	struct fx *f = *state;
	const uint8_t b[1] = { 0 };
	struct printer *p = (struct printer *)1;

	assert_int_equal(print_open(&f->ops, f->spec, NULL), ERR_INTERNAL);
	assert_int_equal(print_open(NULL, f->spec, &p), ERR_NOTFOUND);
	assert_null(p);
	assert_int_equal(print_job_send(&f->ops, f->spec, b, 0), ERR_RANGE);
	assert_int_equal(print_job_send(&f->ops, f->spec, NULL, 1), ERR_RANGE);
	assert_int_equal(print_send(NULL, b, 1), ERR_INTERNAL);
	assert_int_equal(print_status(NULL), ERR_INTERNAL);
	assert_int_equal(print_finish(NULL), ERR_INTERNAL);
	print_close(NULL);
}

static void idle_printer_is_ready(void **state)
{
	struct fx *f = *state;
	struct printer *p = NULL;
	int st;

	assert_int_equal(print_open(&f->ops, f->spec, &p), 0);
	assert_non_null(p);
	assert_true(p->label[0] != '\0');
	assert_int_equal(p->timeout_ms, CONFIG_PRINT_TIMEOUT * 1000u);
	st = print_status(p);
	assert_true(st == 0 || st == PRINT_STATUS_UNKNOWN);
	print_close(p);
}

static void probe_gives_the_language(void **state)
{
	struct fx *f = *state;
	enum print_lang l = PRINT_LANG_ESCPOS;
	int ret = print_probe(&f->ops, f->spec, &l);

	if (f->b->lang == PRINT_LANG_NONE) {
		assert_int_equal(ret, ERR_PRINTER_LANG);
		assert_non_null(strstr(err_last_detail(), "device id"));
	} else {
		assert_int_equal(ret, 0);
	}
	assert_int_equal(l, f->b->lang);
}

static void fault_mid_job_then_retry(void **state)
{
	struct fx *f = *state;
	uint8_t *job = pt_job(JOB_LEN, 3);
	int ret, got;

	f->b->inject(f, FAULT_AT);
	ret = print_job_send(&f->ops, f->spec, job, JOB_LEN);
	got = f->b->got(f, job, JOB_LEN);
	f->b->undo(f);
	print_message("%s: %s\n", f->b->name, err_last_detail());
	assert_int_equal(ret, f->b->fault_err);
	assert_true(err_last_detail()[0] != '\0');
	assert_int_equal(got, 0);
	/* The bureau fixed it: the same job again, whole. */
	assert_int_equal(print_job_send(&f->ops, f->spec, job, JOB_LEN), 0);
	assert_int_equal(f->b->got(f, job, JOB_LEN), 1);
	free(job);
}

#define SUITE(b)                                                               \
	{ #b "_registry", registry, fx_setup, fx_teardown, (void *)&b##_backend }, \
	{ #b "_whole_job_arrives", whole_job_arrives, fx_setup, fx_teardown,     \
	  (void *)&b##_backend },                                                \
	{ #b "_one_byte_job", one_byte_job, fx_setup, fx_teardown,               \
	  (void *)&b##_backend },                                                \
	{ #b "_absent_printer", absent_printer, fx_setup, fx_teardown,           \
	  (void *)&b##_backend },                                                \
	{ #b "_api_guards", api_guards, fx_setup, fx_teardown,                   \
	  (void *)&b##_backend },                                                \
	{ #b "_idle_printer_is_ready", idle_printer_is_ready, fx_setup,          \
	  fx_teardown, (void *)&b##_backend },                                   \
	{ #b "_probe_gives_the_language", probe_gives_the_language, fx_setup,    \
	  fx_teardown, (void *)&b##_backend },                                   \
	{ #b "_fault_mid_job_then_retry", fault_mid_job_then_retry, fx_setup,    \
	  fx_teardown, (void *)&b##_backend }

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PRINT_FILE
		SUITE(file),
#endif
#ifdef CONFIG_PRINT_USBLP
		SUITE(usblp),
#endif
#ifdef CONFIG_PRINT_LIBUSB_SIM
		SUITE(libusb),
#endif
	};

	/* A printer hanging up must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("print conformance", tests, NULL, NULL);
}
