/*
 * The libusb backend against a simulated printer on the simulated USB bus
 * (sim/usb_sim_printer.h, set up by tests/print/usbsim.h):
 * which interface it picks, the class requests it makes, and what the
 * bureau is told when the printer has no paper, is off line, stops taking
 * data, or is unplugged. Every test ends with everything released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "printtest.h"
#ifdef CONFIG_PRINT_LIBUSB_SIM
#include "usbsim.h"

#define JOB_LEN 100000

static struct print_ops sim;

static int reset(void **state)
{
	(void)state;
	usbsim_reset();
	sim = usbsim_backend();
	err_clear();
	return 0;
}

static int balanced(void **state)
{
	(void)state;
	usbsim_assert_balanced();
	usbsim_reset();
	return 0;
}

static void picks_the_bidirectional_printer_interface(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	struct printer *p = NULL;

	(void)state;
	assert_int_equal(print_open(&sim, "", &p), 0);
	assert_string_equal(p->label, "USB 03f0:0a2a bus 1 device 7");
	assert_string_equal(p->device_id, USBSIM_DEVICE_ID);
	/* GET_DEVICE_ID: wValue the configuration, wIndex interface << 8 | alt. */
	assert_int_equal(d->devid_value, 0);
	assert_int_equal(d->devid_index, USB_SIM_PRINTER_IFACE << 8 | 1);
	assert_int_equal(d->dev.alt, 1);
	assert_int_equal(print_status(p), 0);
	assert_int_equal(d->status_index, USB_SIM_PRINTER_IFACE);
	assert_int_equal(usbsim.stick.dev.opened, 0); /* the stick is left alone */
	print_close(p);
}

static void unidirectional_printer(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 11);

	(void)state;
	d->kind = USB_SIM_PRINTER_UNI;
	assert_int_equal(print_job_send(&sim, "03f0:0a2a", job, JOB_LEN), 0);
	assert_int_equal(d->got_len, JOB_LEN);
	assert_memory_equal(d->got, job, JOB_LEN);
	assert_int_equal(d->transfers, (JOB_LEN + PRINT_USB_CHUNK - 1) / PRINT_USB_CHUNK);
	free(job);
}

static void device_id_quirks(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	struct printer *p = NULL;
	enum print_lang l;

	(void)state;
	d->devid_le = 1;
	d->device_id = "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20II;";
	assert_int_equal(print_probe(&sim, "", &l), 0);
	assert_int_equal(l, PRINT_LANG_ESCPOS);
	d->device_id = NULL; /* GET_DEVICE_ID stalls */
	assert_int_equal(print_open(&sim, "", &p), 0);
	assert_string_equal(p->device_id, "");
	print_close(p);
	assert_int_equal(print_probe(&sim, "", &l), ERR_PRINTER_LANG);
	d->device_id = "MFG:HP;MDL:DeskJet;CMD:PCL;";
	assert_int_equal(print_probe(&sim, "", &l), ERR_PRINTER_LANG);
	assert_non_null(strstr(err_last_detail(), "neither PostScript nor ESC/POS"));
}

static void paper_out_refuses_before_sending(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 12);

	(void)state;
	d->port_status = 0x38;
	assert_int_equal(print_job_send(&sim, "", job, JOB_LEN), ERR_PRINTER_NOPAPER);
	assert_non_null(strstr(err_last_detail(), "out of paper"));
	assert_int_equal(d->transfers, 0);
	d->port_status = 0x08; /* not selected */
	assert_int_equal(print_job_send(&sim, "", job, JOB_LEN), ERR_PRINTER_OFFLINE);
	d->port_status = 0x10; /* error */
	assert_int_equal(print_job_send(&sim, "", job, JOB_LEN), ERR_PRINTER_OFFLINE);
	assert_int_equal(d->transfers, 0);
	free(job);
}

static void timeout_without_progress(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 13);
	struct printer *p = NULL;

	(void)state;
	assert_int_equal(print_open(&sim, "", &p), 0);
	p->timeout_ms = 1234;
	d->bulk_timeouts = 1;
	assert_int_equal(print_send(p, job, JOB_LEN), ERR_PRINTER_TIMEOUT);
	assert_int_equal(d->bulk_timeout, 1234);
	assert_non_null(strstr(err_last_detail(), "took no data for 1234 ms after 0 of"));
	print_close(p);
	free(job);
}

/* Paper ran out during the job: the timeout is explained by the status. */
static void timeout_explained_by_paper_out(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 14);
	struct printer *p = NULL;

	(void)state;
	assert_int_equal(print_open(&sim, "", &p), 0);
	assert_int_equal(print_send(p, job, 20000), 0);
	d->port_status = 0x38;
	d->bulk_timeouts = 1;
	assert_int_equal(print_send(p, job, JOB_LEN), ERR_PRINTER_NOPAPER);
	assert_int_equal(print_status(p), ERR_PRINTER_NOPAPER);
	print_close(p);
	free(job);
}

static void slow_printer_makes_progress(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 15);

	(void)state;
	d->take_max = 1000; /* each transfer times out having moved 1000 bytes */
	assert_int_equal(print_job_send(&sim, "", job, JOB_LEN), 0);
	assert_int_equal(d->got_len, JOB_LEN);
	assert_memory_equal(d->got, job, JOB_LEN);
	free(job);
}

static void unplugged_mid_job(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	uint8_t *job = pt_job(JOB_LEN, 16);
	struct printer *p = NULL;

	(void)state;
	d->unplug_after = 20000;
	assert_int_equal(print_job_send(&sim, "", job, JOB_LEN), ERR_PRINTER_ABSENT);
	assert_non_null(strstr(err_last_detail(), "after 20000 of 100000 bytes"));
	assert_int_equal(d->got_len, 20000);
	/* Still unplugged: not on the bus any more. */
	assert_int_equal(print_open(&sim, "", &p), ERR_PRINTER_ABSENT);
	assert_non_null(strstr(err_last_detail(), "no USB printer found"));
	free(job);
}

static void unplugged_after_open(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	const uint8_t b[4] = { 1, 2, 3, 4 };
	struct printer *p = NULL;

	(void)state;
	assert_int_equal(print_open(&sim, "", &p), 0);
	d->dev.unplugged = 1;
	assert_int_equal(print_status(p), ERR_PRINTER_ABSENT);
	assert_int_equal(print_send(p, b, sizeof(b)), ERR_PRINTER_ABSENT);
	assert_int_equal(print_finish(p), ERR_PRINTER_ABSENT);
	print_close(p);
}

static void status_not_supported(void **state)
{
	struct usb_sim_printer *d = usbsim_printer();
	const uint8_t b[4] = { 1, 2, 3, 4 };

	(void)state;
	d->status_stalls = 1;
	assert_int_equal(print_job_send(&sim, "", b, sizeof(b)), 0);
	assert_int_equal(d->got_len, sizeof(b));
}

static void interface_in_use(void **state)
{
	const uint8_t b[1] = { 0 };

	(void)state;
	usbsim_printer()->dev.busy = 1;
	assert_int_equal(print_job_send(&sim, "", b, 1), ERR_IO);
	assert_non_null(strstr(err_last_detail(), "in use by another program"));
}

static void no_printer_on_the_bus(void **state)
{
	const uint8_t b[1] = { 0 };

	(void)state;
	usbsim.bus.ndev = 1; /* the stick alone */
	assert_int_equal(print_job_send(&sim, "", b, 1), ERR_PRINTER_ABSENT);
	assert_non_null(strstr(err_last_detail(), "no USB printer found"));
	usbsim.bus.ndev = 2;
	usbsim.bus.init_fails = 1;
	assert_int_equal(print_job_send(&sim, "", b, 1), ERR_IO);
	usbsim.bus.init_fails = 0;
	/* A vid:pid that is not a printer: the stick's. */
	assert_int_equal(print_job_send(&sim, "0781:5567", b, 1), ERR_PRINTER_ABSENT);
}

static void bad_specs(void **state)
{
	static const char *const specs[] = {
		"03f0", "03f0:0a2", "03f0-0a2a", "x3f0:0a2a", "03f0:0a2a:1", " 03f0:0a2a",
	};
	struct printer *p = NULL;

	(void)state;
	for (size_t i = 0; i < PT_ROWS(specs); i++) {
		assert_int_equal(print_open(&sim, specs[i], &p), ERR_USAGE);
		assert_null(p);
	}
	assert_int_equal(usbsim.bus.inits, 0);
	assert_int_equal(print_open(&sim, "03F0:0A2A", &p), 0);
	print_close(p);
}

#define T(f) cmocka_unit_test_setup_teardown(f, reset, balanced)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(picks_the_bidirectional_printer_interface),
		T(unidirectional_printer),
		T(device_id_quirks),
		T(paper_out_refuses_before_sending),
		T(timeout_without_progress),
		T(timeout_explained_by_paper_out),
		T(slow_printer_makes_progress),
		T(unplugged_mid_job),
		T(unplugged_after_open),
		T(status_not_supported),
		T(interface_in_use),
		T(no_printer_on_the_bus),
		T(bad_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
	return 0; /* CONFIG_PRINT_LIBUSB_SIM is off */
}
#endif
