/*
 * The IEEE 1284 device id: strict parsing, the length prefix of
 * GET_DEVICE_ID, the language the box picks, and the USB port status bits.
 * Real ids come from the printers' own answers (kernel usblp.c comment,
 * CUPS and printer manuals), shortened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "printtest.h"

#define PS PRINT_LANG_POSTSCRIPT
#define POS PRINT_LANG_ESCPOS
#define NONE PRINT_LANG_NONE

struct lang_row {
	const char *title;
	const char *id;
	size_t len;       /* 0: strlen(id) */
	int parse;        /* print_devid_parse() */
	const char *mdl;  /* the model kept, when parsed */
	enum print_lang lang;
	int choose;       /* print_lang_choose() */
};

static const struct lang_row lang_rows[] = {
	{ "HP LaserJet: POSTSCRIPT among PJL and PCL",
	  "MFG:Hewlett-Packard;MDL:HP LaserJet 4250;CMD:PJL,MLC,BIDI-ECP,PCL,"
	  "POSTSCRIPT,PCLXL;CLS:PRINTER;DES:Hewlett-Packard LaserJet 4250;",
	  0, 0, "HP LaserJet 4250", PS, 0 },
	{ "Brother: the long keys MANUFACTURER, COMMAND SET, MODEL",
	  "MANUFACTURER:Brother;COMMAND SET:PJL,PCL,PCLXL,POSTSCRIPT;"
	  "MODEL:HL-L5100DN series;CLASS:PRINTER;",
	  0, 0, "HL-L5100DN series", PS, 0 },
	{ "Xerox: PS3 is PostScript",
	  "MFG:Xerox;MDL:VersaLink B400;CMD:PCL 6,PS3,PDF;", 0, 0,
	  "VersaLink B400", PS, 0 },
	{ "Lexmark: a token starting with POSTSCRIPT",
	  "MFG:Lexmark;MDL:MS321;CMD:PCL 5e,POSTSCRIPT LEVEL 3 EMULATION;", 0, 0,
	  "MS321", PS, 0 },
	{ "Kyocera: keys and tokens in lower case",
	  "mfg:Kyocera;mdl:ECOSYS P2040dn;cmd:pjl,pcl,postscript;", 0, 0,
	  "ECOSYS P2040dn", PS, 0 },
	{ "spaces around the tokens, last ';' missing",
	  "MFG:HP;MDL:LJ;CMD: PCL , PostScript ", 0, 0, "LJ", PS, 0 },
	{ "both languages listed: PostScript, the office printer, wins",
	  "MFG:X;MDL:Y;CMD:ESC/POS,POSTSCRIPT;", 0, 0, "Y", PS, 0 },
	{ "Epson TM-T20II says ESC/POS",
	  "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20II;CLS:PRINTER;DES:EPSON TM-T20II;", 0, 0,
	  "TM-T20II", POS, 0 },
	{ "ESCPOS without the slash",
	  "MFG:Generic;MDL:Receipt 80;CMD:ESCPOS;", 0, 0, "Receipt 80", POS, 0 },
	{ "a POS-80 with an empty CMD: a known thermal model",
	  "MFG:Printer;MDL:POS-80;CMD:;", 0, 0, "POS-80", POS, 0 },
	{ "an Epson TM-T88V without CMD: a known thermal model",
	  "MFG:EPSON;MDL:TM-T88V;", 0, 0, "TM-T88V", POS, 0 },
	{ "Xprinter XP-58IIH: a known thermal model",
	  "MFG:Xprinter;MDL:XP-58IIH;", 0, 0, "XP-58IIH", POS, 0 },
	{ "a TM- model of another maker is not an Epson",
	  "MFG:Acme;MDL:TM-T88 clone;CMD:ACME;", 0, 0, "TM-T88 clone", NONE,
	  ERR_PRINTER_LANG },
	{ "a PCL-only inkjet is refused",
	  "MFG:HEWLETT-PACKARD;MDL:DESKJET 970C;CMD:MLC,PCL,PML;", 0, 0,
	  "DESKJET 970C", NONE, ERR_PRINTER_LANG },
	{ "tokens that merely contain PS are not PostScript",
	  "MFG:EPSON;MDL:ET-2750;CMD:ESCPL2,PSX,PCLPS,BDC;", 0, 0, "ET-2750", NONE,
	  ERR_PRINTER_LANG },
	{ "an id without CMD nor a known model is refused",
	  "MFG:Canon;MDL:LBP6030;", 0, 0, "LBP6030", NONE, ERR_PRINTER_LANG },
	{ "empty", "", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "a field without ':'", "MFG HP;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "an empty key", ":HP;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "an empty field (';;')", "MFG:HP;;MDL:X;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "a key with '*'", "MF*G:HP;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "a line feed in a value", "MFG:H\nP;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "UTF-8 in a value", "MFG:H\xc3\xa9;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "a NUL in a value", "MFG:H\0P;", 8, ERR_FORMAT, NULL, NONE, 0 },
	{ "the same key twice", "MFG:HP;MDL:A;MFG:HP;", 0, ERR_FORMAT, NULL, NONE, 0 },
	{ "MFG and MANUFACTURER both", "MFG:HP;MANUFACTURER:HP;", 0, ERR_FORMAT,
	  NULL, NONE, 0 },
	{ "a key of 33 bytes", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456:x;", 0, ERR_FORMAT,
	  NULL, NONE, 0 },
};

static void lang_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PT_ROWS(lang_rows); i++) {
		const struct lang_row *r = &lang_rows[i];
		size_t len = r->len ? r->len : strlen(r->id);
		struct print_devid id;
		enum print_lang l = POS;
		int ret;

		print_message("%s\n", r->title);
		ret = print_devid_parse(r->id, len, &id);
		assert_int_equal(ret, r->parse);
		if (ret)
			continue;
		assert_string_equal(id.mdl, r->mdl);
		assert_int_equal(print_lang_choose(&id, &l), r->choose);
		assert_int_equal(l, r->lang);
		if (r->choose)
			assert_non_null(strstr(err_last_detail(), r->mdl));
	}
}

/* Fields and the whole id are bounded. */
static void lengths_are_bounded(void **state)
{
	char big[PRINT_DEVICE_ID_MAX + 8];
	struct print_devid id;
	int n;

	(void)state;
	n = snprintf(big, sizeof(big), "MFG:HP;CMD:%0255d;", 0);
	assert_int_equal(print_devid_parse(big, (size_t)n, &id), 0);
	assert_int_equal(strlen(id.cmd), 255);
	n = snprintf(big, sizeof(big), "MFG:HP;CMD:%0256d;", 0);
	assert_int_equal(print_devid_parse(big, (size_t)n, &id), ERR_RANGE);
	memset(big, 'A', sizeof(big));
	memcpy(big, "X:", 2);
	assert_int_equal(print_devid_parse(big, PRINT_DEVICE_ID_MAX - 1, &id), 0);
	assert_int_equal(print_devid_parse(big, PRINT_DEVICE_ID_MAX, &id), ERR_RANGE);
	assert_int_equal(print_devid_parse(NULL, 1, &id), ERR_INTERNAL);
}

struct unwrap_row {
	const char *title;
	uint8_t in[24];
	size_t n;
	size_t outsz;
	int ret;
	const char *out;
};

static const struct unwrap_row unwrap_rows[] = {
	{ "big-endian length counting itself", { 0, 9, 'M', 'F', 'G', ':', 'H', 'P', ';' },
	  9, 64, 0, "MFG:HP;" },
	{ "little-endian length (firmware bug) accepted",
	  { 9, 0, 'M', 'F', 'G', ':', 'H', 'P', ';' }, 9, 64, 0, "MFG:HP;" },
	{ "more bytes received than the length: the rest ignored",
	  { 0, 5, 'A', ':', 'b', 'X', 'X' }, 7, 64, 0, "A:b" },
	{ "trailing NULs counted in the length are padding",
	  { 0, 7, 'A', ':', 'b', 0, 0 }, 7, 64, 0, "A:b" },
	{ "a NUL inside the id", { 0, 7, 'A', 0, 'b', ':', 'c' }, 7, 64, ERR_FORMAT, "" },
	{ "length beyond what was received, either byte order",
	  { 0, 30, 'A', ':', 'b' }, 5, 64, ERR_FORMAT, "" },
	{ "length 1 cannot count itself", { 0, 1, 'A' }, 3, 64, ERR_FORMAT, "" },
	{ "a single byte", { 0 }, 1, 64, ERR_FORMAT, "" },
	{ "length 2: an empty id", { 0, 2 }, 2, 64, 0, "" },
	{ "longer than the caller's buffer", { 0, 9, 'M', 'F', 'G', ':', 'H', 'P', ';' },
	  9, 7, ERR_RANGE, "" },
};

static void unwrap_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PT_ROWS(unwrap_rows); i++) {
		const struct unwrap_row *r = &unwrap_rows[i];
		char out[64] = "junk";

		print_message("%s\n", r->title);
		assert_int_equal(print_devid_unwrap(r->in, r->n, out, r->outsz), r->ret);
		assert_string_equal(out, r->out);
	}
}

struct status_row {
	const char *title;
	unsigned status;
	int ret;
};

/* USB printer class 1.1, GET_PORT_STATUS: bit 5 paper empty, 4 select, 3 not error. */
static const struct status_row status_rows[] = {
	{ "selected, no error: ready", 0x18, 0 },
	{ "ready, with the bits the class leaves reserved set", 0xdf, 0 },
	{ "paper empty", 0x38, ERR_PRINTER_NOPAPER },
	{ "paper empty, deselected and in error: paper is what to fix", 0x20,
	  ERR_PRINTER_NOPAPER },
	{ "not selected (off-line button)", 0x08, ERR_PRINTER_OFFLINE },
	{ "error (cover open, jam)", 0x10, ERR_PRINTER_OFFLINE },
	{ "nothing set", 0x00, ERR_PRINTER_OFFLINE },
};

static void port_status_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PT_ROWS(status_rows); i++) {
		print_message("%s\n", status_rows[i].title);
		assert_int_equal(print_port_status_fault(status_rows[i].status),
				 status_rows[i].ret);
	}
}

static void printer_language(void **state)
{
	struct printer p;
	enum print_lang l = PS;

	(void)state;
	memset(&p, 0, sizeof(p));
	snprintf(p.label, sizeof(p.label), "/dev/usb/lp0");
	assert_int_equal(print_lang_of(&p, &l), ERR_PRINTER_LANG);
	assert_int_equal(l, NONE);
	assert_non_null(strstr(err_last_detail(), "no IEEE 1284 device id"));
	snprintf(p.device_id, sizeof(p.device_id), "MFG:EPSON;MDL:TM-m30;");
	assert_int_equal(print_lang_of(&p, &l), 0);
	assert_int_equal(l, POS);
	snprintf(p.device_id, sizeof(p.device_id), "MFG:EPSON;garbage");
	assert_int_equal(print_lang_of(&p, &l), ERR_PRINTER_LANG);
	assert_string_equal(print_lang_name(PS), "PostScript");
	assert_string_equal(print_lang_name(POS), "ESC/POS");
	assert_string_equal(print_lang_name(NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lang_table),
		cmocka_unit_test(lengths_are_bounded),
		cmocka_unit_test(unwrap_table),
		cmocka_unit_test(port_status_table),
		cmocka_unit_test(printer_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
