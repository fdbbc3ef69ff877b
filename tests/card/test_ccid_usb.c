/*
 * The CCID driver against a scripted USB bus: finding the reader (several
 * readers, VVVV:PPPP, BUS:ADDR, vendor-class tokens, devices that are not
 * readers, a reader held by another program), sharing one device between
 * two slots, freeing everything, and the answers a reader may give on the
 * bulk pipe: time extensions, answers to older commands, garbage, a stall,
 * a timeout, a mute card, an unplugged reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "card/card_ccid.h"
#include "card/ccid_msg.h"
#include "cardtest.h"

#define NDEV 5
#define NSCRIPT 16

struct fdev {
	uint16_t vid, pid;
	uint8_t bus, addr, cls;
	uint8_t extra[80];
	int extra_len;
	int busy;
	int opened, closed, claimed, released;
	struct libusb_endpoint_descriptor ep[3];
	struct libusb_interface_descriptor alt;
	struct libusb_interface itf;
	struct libusb_config_descriptor cfg;
};

/* One scripted bulk-IN answer. */
struct fin {
	int rv;        /* libusb result */
	const char *hex; /* the message; its bSeq is set to the command's */
	int seq_delta; /* answer to an older command */
};

static struct {
	struct fdev dev[NDEV];
	size_t ndev;
	int exits;
	libusb_device *list[NDEV + 1];
	struct fin in[NSCRIPT];
	size_t nin, pos;
	uint8_t last_type, last_seq;
	int halts;
} bus;

static struct fdev *fdev_of(void *p)
{
	return p;
}

static void f_exit(libusb_context *ctx)
{
	bus.exits++;
}

static ssize_t f_list(libusb_context *ctx, libusb_device ***list)
{
	for (size_t i = 0; i < bus.ndev; i++)
		bus.list[i] = (libusb_device *)&bus.dev[i];
	bus.list[bus.ndev] = NULL;
	*list = bus.list;
	return (ssize_t)bus.ndev;
}

static void f_free_list(libusb_device **list, int unref)
{
}

static int f_desc(libusb_device *d, struct libusb_device_descriptor *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->idVendor = fdev_of(d)->vid;
	desc->idProduct = fdev_of(d)->pid;
	return 0;
}

static int f_cfg(libusb_device *d, struct libusb_config_descriptor **cfg)
{
	*cfg = &fdev_of(d)->cfg;
	return 0;
}

static void f_free_cfg(struct libusb_config_descriptor *cfg)
{
}

static uint8_t f_bus(libusb_device *d)
{
	return fdev_of(d)->bus;
}

static uint8_t f_addr(libusb_device *d)
{
	return fdev_of(d)->addr;
}

static int f_open(libusb_device *d, libusb_device_handle **h)
{
	fdev_of(d)->opened++;
	*h = (libusb_device_handle *)d;
	return 0;
}

static void f_close(libusb_device_handle *h)
{
	fdev_of(h)->closed++;
}

static int f_detach(libusb_device_handle *h, int on)
{
	return LIBUSB_ERROR_NOT_SUPPORTED;
}

static int f_claim(libusb_device_handle *h, int iface)
{
	if (fdev_of(h)->busy)
		return LIBUSB_ERROR_BUSY;
	fdev_of(h)->claimed++;
	return 0;
}

static int f_release(libusb_device_handle *h, int iface)
{
	fdev_of(h)->released++;
	return 0;
}

static int f_halt(libusb_device_handle *h, unsigned char ep)
{
	bus.halts++;
	return 0;
}

static int f_bulk(libusb_device_handle *h, unsigned char ep, unsigned char *data,
		  int len, int *done, unsigned int timeout)
{
	const struct fin *a;
	size_t n;

	*done = 0;
	if (!(ep & 0x80)) {
		bus.last_type = data[0];
		bus.last_seq = data[6];
		*done = len;
		return 0;
	}
	if (bus.pos >= bus.nin)
		return LIBUSB_ERROR_TIMEOUT;
	a = &bus.in[bus.pos++];
	if (a->rv)
		return a->rv;
	n = ct_unhex(a->hex, data, (size_t)len);
	if (n > 6)
		data[6] = (uint8_t)(bus.last_seq - a->seq_delta);
	*done = (int)n;
	return 0;
}

static int f_intr(libusb_device_handle *h, unsigned char ep, unsigned char *data,
		  int len, int *done, unsigned int timeout)
{
	*done = 0;
	return LIBUSB_ERROR_TIMEOUT;
}

static const struct usb_ops fusb = {
	.exit = f_exit,
	.error_name = libusb_error_name,
	.get_device_list = f_list,
	.free_device_list = f_free_list,
	.get_device_descriptor = f_desc,
	.get_active_config_descriptor = f_cfg,
	.free_config_descriptor = f_free_cfg,
	.get_bus_number = f_bus,
	.get_device_address = f_addr,
	.open = f_open,
	.close = f_close,
	.set_auto_detach_kernel_driver = f_detach,
	.claim_interface = f_claim,
	.release_interface = f_release,
	.clear_halt = f_halt,
	.bulk_transfer = f_bulk,
	.interrupt_transfer = f_intr,
};

/* A reader: class cls, a CCID descriptor with max_slot (none if < 0). */
static void add_dev(uint16_t vid, uint16_t pid, uint8_t b, uint8_t a, uint8_t cls,
		    int max_slot)
{
	struct fdev *d = &bus.dev[bus.ndev++];

	memset(d, 0, sizeof(*d));
	d->vid = vid;
	d->pid = pid;
	d->bus = b;
	d->addr = a;
	if (max_slot >= 0) {
		d->extra_len = (int)ct_unhex(
			"3621" "1001" "00" "07" "03000000" "A00F0000" "A00F0000" "00"
			"80250000" "80250000" "00" "FE000000" "00000000" "00000000"
			"BA040200" "0F010000" "FF" "FF" "0000" "00" "01",
			d->extra, sizeof(d->extra));
		d->extra[4] = (uint8_t)max_slot;
	}
	d->ep[0].bEndpointAddress = 0x01;
	d->ep[0].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	d->ep[1].bEndpointAddress = 0x82;
	d->ep[1].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
	d->ep[2].bEndpointAddress = 0x83;
	d->ep[2].bmAttributes = LIBUSB_TRANSFER_TYPE_INTERRUPT;
	d->alt.bInterfaceClass = cls;
	d->alt.bNumEndpoints = 3;
	d->alt.endpoint = d->ep;
	d->alt.extra = d->extra;
	d->alt.extra_length = d->extra_len;
	d->itf.altsetting = &d->alt;
	d->itf.num_altsetting = 1;
	d->cfg.bNumInterfaces = 1;
	d->cfg.interface = &d->itf;
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	add_dev(0x0781, 0x5581, 1, 2, LIBUSB_CLASS_MASS_STORAGE, -1); /* a stick */
	add_dev(0x1050, 0x0407, 1, 5, CCID_CLASS, 0);                 /* YubiKey */
	add_dev(0x076B, 0x3031, 3, 7, CCID_CLASS, 1);                 /* 2 slots */
	add_dev(0x20A0, 0x42B2, 3, 9, LIBUSB_CLASS_VENDOR_SPEC, -1);  /* no CCID */
	return 0;
}

static int open_spec(const char *spec, struct card **c)
{
	return card_ccid_open_with(&fusb, (libusb_context *)&bus, &card_ccid_sim_ops,
				   spec, c);
}

static void test_find_reader(void **state)
{
	struct card *c = NULL;

	assert_int_equal(open_spec("", &c), ERR_USAGE);
	assert_non_null(strstr(err_last_detail(), "2 readers"));
	assert_int_equal(open_spec("1050:0407", &c), 0);
	assert_non_null(strstr(c->label, "1050:0407 bus 1 addr 5 slot 0"));
	card_close(c);
	assert_int_equal(open_spec("3:7", &c), 0);
	assert_non_null(strstr(c->label, "076b:3031"));
	card_close(c);
	assert_int_equal(open_spec("003:007#1", &c), 0);
	card_close(c);
	assert_int_equal(open_spec("1050:0407#1", &c), ERR_NOTFOUND);
	assert_int_equal(open_spec("0781:5581", &c), ERR_NOTFOUND); /* the stick */
	assert_int_equal(open_spec("20a0:42b2", &c), ERR_NOTFOUND); /* vendor, no CCID */
	assert_int_equal(open_spec("1050", &c), ERR_USAGE);
	assert_int_equal(open_spec("1:5#x", &c), ERR_USAGE);
	assert_int_equal(open_spec("1:256", &c), ERR_USAGE);
	assert_null(c);
	/* every context handed over was exited, every open closed */
	assert_int_equal(bus.exits, 10);
	for (size_t i = 0; i < bus.ndev; i++) {
		assert_int_equal(bus.dev[i].opened, bus.dev[i].closed);
		assert_int_equal(bus.dev[i].claimed, bus.dev[i].released);
	}
}

/* @N: the N-th CCID reader by bus, then address, whatever else is plugged
 * (the box image reads member i's card in reader @i). */
static void test_numbered_readers(void **state)
{
	struct card *c = NULL;

	add_dev(0x08E6, 0x4433, 1, 3, CCID_CLASS, 0); /* before the YubiKey (1:5) */
	assert_int_equal(open_spec("@1", &c), 0);
	assert_non_null(strstr(c->label, "08e6:4433 bus 1 addr 3"));
	card_close(c);
	assert_int_equal(open_spec("@2", &c), 0);
	assert_non_null(strstr(c->label, "1050:0407 bus 1 addr 5"));
	card_close(c);
	assert_int_equal(open_spec("@3#1", &c), 0);
	assert_non_null(strstr(c->label, "076b:3031 bus 3 addr 7 slot 1"));
	card_close(c);
	assert_int_equal(open_spec("@4", &c), ERR_NOTFOUND); /* the stick and the
							       * vendor device count not */
	assert_non_null(strstr(err_last_detail(), "no CCID reader @4"));
	assert_int_equal(open_spec("@0", &c), ERR_USAGE);
	assert_int_equal(open_spec("@100", &c), ERR_USAGE);
	assert_int_equal(open_spec("@x", &c), ERR_USAGE);
	assert_null(c);
}

static void test_vendor_class_token_and_busy(void **state)
{
	struct card *c = NULL;

	bus.ndev = 1;
	add_dev(0x20A0, 0x42B2, 3, 9, LIBUSB_CLASS_VENDOR_SPEC, 0); /* with CCID */
	assert_int_equal(open_spec("", &c), 0);
	assert_non_null(strstr(c->label, "20a0:42b2"));
	card_close(c);
	bus.dev[1].busy = 1;
	assert_int_equal(open_spec("", &c), ERR_IO);
	assert_non_null(strstr(err_last_detail(), "another program"));
	assert_int_equal(bus.dev[1].opened, bus.dev[1].closed);
}

static void test_two_slots_share_the_device(void **state)
{
	struct card *a = NULL, *b = NULL;

	assert_int_equal(open_spec("3:7#0", &a), 0);
	assert_int_equal(open_spec("3:7#1", &b), 0);
	assert_int_equal(bus.dev[2].opened, 1);
	assert_int_equal(bus.dev[2].claimed, 1);
	card_close(a);
	assert_int_equal(bus.dev[2].released, 0);
	card_close(b);
	assert_int_equal(bus.dev[2].released, 1);
	assert_int_equal(bus.dev[2].closed, 1);
	assert_int_equal(bus.exits, 2);
}

static void script(const struct fin *in, size_t n)
{
	if (n)
		memcpy(bus.in, in, n * sizeof(*in));
	bus.nin = n;
	bus.pos = 0;
}

#define SLOT_OK "81 00000000 00 00 00 00 00"

static void test_bulk_answers(void **state)
{
	struct card *c = NULL;
	const struct fin ext_stale[] = {
		{ 0, "81 00000000 00 00 80 01 00", 0 },   /* time extension */
		{ 0, SLOT_OK, 1 },                        /* older command */
		{ 0, "81 00000000 00 00 80 01 00", 0 },
		{ 0, SLOT_OK, 0 },
	};
	const struct fin absent[] = { { 0, "81 00000000 00 00 02 00 00", 0 } };
	const struct fin garbage[] = { { 0, "81 05000000 00 00 00 00 00", 0 } };
	const struct fin stall[] = { { LIBUSB_ERROR_PIPE, NULL, 0 } };
	const struct fin unplugged[] = { { LIBUSB_ERROR_NO_DEVICE, NULL, 0 } };
	const struct fin mute[] = {
		{ 0, SLOT_OK, 0 },                      /* power off */
		{ 0, "80 00000000 00 00 41 FE 00", 0 }, /* power on: ICC mute */
	};

	assert_int_equal(open_spec("1050:0407", &c), 0);
	script(ext_stale, CT_ROWS(ext_stale));
	assert_int_equal(card_present(c), 1);
	assert_int_equal(bus.pos, 4);
	assert_int_equal(bus.last_type, CCID_PC_GET_SLOT_STATUS);
	script(absent, 1);
	assert_int_equal(card_present(c), 0);
	script(garbage, 1);
	assert_int_equal(card_present(c), ERR_CARD_PROTO);
	script(stall, 1);
	assert_int_equal(card_present(c), ERR_IO);
	assert_int_equal(bus.halts, 1);
	script(NULL, 0);
	assert_int_equal(card_present(c), ERR_IO); /* timeout */
	assert_non_null(strstr(err_last_detail(), "did not answer"));
	script(mute, CT_ROWS(mute));
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	assert_int_equal(bus.last_type, CCID_PC_ICC_POWER_ON);
	script(unplugged, 1);
	assert_int_equal(card_present(c), 0);
	assert_int_equal(card_connect(c), ERR_CARD_ABSENT);
	assert_non_null(strstr(err_last_detail(), "unplugged"));
	card_close(c);
}

static void test_atr_refused(void **state)
{
	struct card *c = NULL;
	const struct fin bad_atr[] = {
		{ 0, SLOT_OK, 0 },                                    /* power off */
		{ 0, "80 03000000 00 00 00 00 00 3B 81 80", 0 },      /* no TCK */
		{ 0, SLOT_OK, 0 },                                    /* power off */
	};

	assert_int_equal(open_spec("1050:0407", &c), 0);
	script(bad_atr, CT_ROWS(bad_atr));
	assert_int_equal(card_connect(c), ERR_FORMAT);
	assert_int_equal(bus.last_type, CCID_PC_ICC_POWER_OFF);
	card_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_find_reader, setup),
		cmocka_unit_test_setup(test_numbered_readers, setup),
		cmocka_unit_test_setup(test_vendor_class_token_and_busy, setup),
		cmocka_unit_test_setup(test_two_slots_share_the_device, setup),
		cmocka_unit_test_setup(test_bulk_answers, setup),
		cmocka_unit_test_setup(test_atr_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
