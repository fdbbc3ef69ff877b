/*
 * card/openpgp.c, the client the ceremony and the count use: against the
 * simulated card (PIN counters, DO 0103 access, share object, signatures
 * checked with crypto/sig.h, factory reset, termination, card pulls), and
 * against a scripted fake card for the status-word mapping and the ISO
 * response chaining real tokens use; and what GnuPG shows of a card: the
 * signature key's fingerprint and date (a vector from GnuPG itself) and the
 * cardholder's name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "card/openpgp.h"
#include "format/share_obj.h"
#include "crypto/hash.h"
#include "crypto/sig.h"
#include "cardtest.h"

struct fx {
	char dir[64];
	struct card *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	ct_slot(f->dir, sizeof(f->dir), CT_SERIAL);
	f->c = ct_open(f->dir);
	assert_int_equal(pgp_select(f->c), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	card_close(f->c);
	testlib_rmdir(f->dir);
	free(f);
	return 0;
}

/* Power cycle: a new session on the same card. */
static void reconnect(struct fx *f)
{
	assert_int_equal(card_connect(f->c), 0);
	assert_int_equal(pgp_select(f->c), 0);
}

static void status_of_a_fresh_card(void **state)
{
	struct fx *f = *state;
	struct pgp_status st;
	char serial[9];
	uint32_t count = 99;

	assert_int_equal(pgp_status(f->c, &st), 0);
	assert_int_equal(st.aid[0], 0xD2);
	assert_int_equal(st.aid[6], 0x03);
	assert_int_equal(st.aid[7], 0x04);
	assert_int_equal(st.aid[8], 0xFF);
	assert_int_equal(st.aid[9], 0xFE);
	pgp_serial_hex(st.aid, serial);
	assert_string_equal(serial, "12345678");
	assert_int_equal(st.pw1_tries, 3);
	assert_int_equal(st.rc_tries, 0);
	assert_int_equal(st.pw3_tries, 3);
	assert_int_equal(st.pw1_max, 64);
	assert_int_equal(st.pw3_max, 64);
	assert_false(st.pw1_multi_sign);
	assert_int_equal(pgp_sig_count(f->c, &count), 0);
	assert_int_equal(count, 0);
}

static void serial_hex_is_upper_case(void **state)
{
	uint8_t aid[PGP_AID_LEN] = { 0 };
	char serial[9];

	(void)state;
	aid[10] = 0xAB, aid[11] = 0x0C, aid[12] = 0xDE, aid[13] = 0xF1;
	pgp_serial_hex(aid, serial);
	assert_string_equal(serial, "AB0CDEF1");
}

static void wrong_pins_count_down_then_block(void **state)
{
	struct fx *f = *state;
	struct pgp_status st;
	uint8_t buf[256];
	size_t len = sizeof(buf);
	unsigned tries = 99;

	assert_int_equal(pgp_verify(f->c, PGP_PW1, "111111", &tries), ERR_PIN_WRONG);
	assert_int_equal(tries, 2);
	assert_int_equal(pgp_verify_status(f->c, PGP_PW1, &tries), 0);
	assert_int_equal(tries, 2);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "222222", &tries), ERR_PIN_WRONG);
	assert_int_equal(tries, 1);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "333333", &tries), ERR_PIN_BLOCKED);
	assert_int_equal(tries, 0);
	/* the right PIN no longer opens anything */
	tries = 99;
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, &tries), ERR_PIN_BLOCKED);
	assert_int_equal(tries, 0);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), ERR_CARD_DENIED);
	assert_int_equal(len, 0);
	assert_int_equal(pgp_verify_status(f->c, PGP_PW1, &tries), ERR_PIN_BLOCKED);
	assert_int_equal(pgp_status(f->c, &st), 0);
	assert_int_equal(st.pw1_tries, 0);
	assert_int_equal(st.pw3_tries, 3);
	/* still blocked in a new session */
	reconnect(f);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), ERR_PIN_BLOCKED);
	/* the admin unblocks it */
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(pgp_reset_pw1(f->c, "424242"), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "424242", NULL), 0);
}

static void do_0103_needs_verify_82(void **state)
{
	struct fx *f = *state;
	uint8_t buf[256];
	size_t len = sizeof(buf);

	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), ERR_CARD_DENIED);
	assert_int_equal(pgp_put_data(f->c, PGP_DO_PRIVATE3, buf, 4), ERR_CARD_DENIED);
	/* PW1 for signing (81) does not open it */
	assert_int_equal(pgp_verify(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, NULL), 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), ERR_CARD_DENIED);
	/* nor does the admin PIN */
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), 0);
	assert_int_equal(len, 0); /* empty on a fresh card */
}

static void share_object_write_and_read_back(void **state)
{
	struct fx *f = *state;
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN], got[256], small[50];
	size_t len = sizeof(got);

	memset(&s, 0, sizeof(s));
	assert_int_equal(hash_sha256("election", 8, s.election_id), 0);
	assert_int_equal(hash_sha256("share", 5, s.share), 0);
	s.share[0] &= 0x7F; /* below n */
	s.index = 3, s.t = 2, s.m = 3;
	assert_int_equal(share_obj_encode(&s, b), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_put_data(f->c, PGP_DO_PRIVATE3, b, sizeof(b)), 0);
	reconnect(f);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, got, &len), ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	len = sizeof(got);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, got, &len), 0);
	assert_int_equal(len, SHARE_OBJ_LEN);
	assert_memory_equal(got, b, SHARE_OBJ_LEN);
	assert_int_equal(share_obj_decode(got, len, &d), 0);
	assert_memory_equal(d.share, s.share, 32);
	assert_int_equal(d.index, 3);
	/* a buffer too small is refused, not overrun */
	len = sizeof(small);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, small, &len), ERR_RANGE);
	/* 255 bytes fit, 256 do not */
	memset(got, 0x42, sizeof(got));
	assert_int_equal(pgp_put_data(f->c, 0x0101, got, 255), 0);
	assert_int_equal(pgp_put_data(f->c, 0x0101, got, 256), ERR_RANGE);
	len = sizeof(got);
	assert_int_equal(pgp_get_data(f->c, 0x0101, got, &len), 0);
	assert_int_equal(len, 255);
}

static void make_sig_key(struct fx *f, uint8_t pub[65])
{
	uint8_t again[65];

	assert_int_equal(pgp_generate_sig_key(f->c, pub), ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(pgp_set_sig_algo_p256(f->c), 0);
	assert_int_equal(pgp_generate_sig_key(f->c, pub), 0);
	assert_int_equal(pub[0], 0x04);
	assert_int_equal(pgp_read_sig_key(f->c, again), 0);
	assert_memory_equal(again, pub, 65);
}

static void signature_verifies_with_the_card_key(void **state)
{
	struct fx *f = *state;
	uint8_t pub[65], digest[32], sig[64];
	uint32_t count;

	assert_int_equal(pgp_read_sig_key(f->c, pub), ERR_CARD_NODATA);
	make_sig_key(f, pub);
	assert_int_equal(hash_sha256("procès-verbal", 14, digest), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig), ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig), 0);
	assert_int_equal(sig_verify(pub, digest, sig), 0);
	digest[0] ^= 1;
	assert_int_equal(sig_verify(pub, digest, sig), ERR_VERIFY);
	assert_int_equal(pgp_sig_count(f->c, &count), 0);
	assert_int_equal(count, 1);
}

/*
 * A vector made by GnuPG itself (2.2.40): scdaemon's GENKEY on the simulated
 * card through pcscd (tests/interop/test_pcsc_gpg.sh), which stored this
 * fingerprint in C7 and this time in CE for this public key.
 */
static void fingerprint_as_gnupg_computes_it(void **state)
{
	uint8_t pub[65], fpr[PGP_FPR_LEN], want[PGP_FPR_LEN];
	char text[PGP_FPR_TEXT_LEN];

	(void)state;
	ct_unhex("04 4B048B4D8E5311A084C89DB31386FAC6A0339880744E4ACDBB20880151EBC2B9"
		 "863D68190057FC7155F2E8602C830CDA61AFFE431078136D25FC8610308600F7",
		 pub, sizeof(pub));
	ct_unhex("5161DDB6ED84C5B9D4BF9982FE1235EF0EA3827F", want, sizeof(want));
	assert_int_equal(pgp_fingerprint_p256(pub, 1796685739u, fpr), 0);
	assert_memory_equal(fpr, want, PGP_FPR_LEN);
	pgp_fpr_text(fpr, text);
	assert_string_equal(text, "5161 DDB6 ED84 C5B9 D4BF  9982 FE12 35EF 0EA3 827F");
	/* the creation time is inside the fingerprint */
	assert_int_equal(pgp_fingerprint_p256(pub, 1796685740u, fpr), 0);
	assert_memory_not_equal(fpr, want, PGP_FPR_LEN);
	pub[0] = 0x02;
	assert_int_equal(pgp_fingerprint_p256(pub, 1796685739u, fpr), ERR_RANGE);
}

/* C5 and CD of the application related data (6E / 73). */
static void read_fpr_and_date(struct fx *f, uint8_t fpr[PGP_FPR_LEN], uint8_t date[4])
{
	uint8_t buf[1024];
	const uint8_t *app, *dd, *v;
	size_t len = sizeof(buf), alen, dlen, vlen;

	assert_int_equal(pgp_get_data(f->c, 0x006E, buf, &len), 0);
	assert_int_equal(pgp_tlv_find(buf, len, 0x6E, &app, &alen), 0);
	assert_int_equal(pgp_tlv_find(app, alen, 0x73, &dd, &dlen), 0);
	assert_int_equal(pgp_tlv_find(dd, dlen, 0xC5, &v, &vlen), 0);
	assert_int_equal(vlen, 60);
	memcpy(fpr, v, PGP_FPR_LEN);
	assert_int_equal(pgp_tlv_find(dd, dlen, 0xCD, &v, &vlen), 0);
	assert_int_equal(vlen, 12);
	memcpy(date, v, 4);
}

/* What GnuPG shows of a card: C7 and CE written with PW3, as it does. */
static void sig_key_fingerprint_and_date_need_pw3(void **state)
{
	static const uint8_t when[4] = { 0x6B, 0x17, 0x3F, 0xAB };
	struct fx *f = *state;
	uint8_t pub[65], fpr[PGP_FPR_LEN], got[PGP_FPR_LEN], date[4];

	memset(fpr, 0xA5, sizeof(fpr));
	assert_int_equal(pgp_put_sig_key_info(f->c, fpr, 1796685739u), ERR_CARD_DENIED);
	make_sig_key(f, pub);
	assert_int_equal(pgp_fingerprint_p256(pub, 1796685739u, fpr), 0);
	assert_int_equal(pgp_put_sig_key_info(f->c, fpr, 1796685739u), 0);
	reconnect(f);
	read_fpr_and_date(f, got, date);
	assert_memory_equal(got, fpr, PGP_FPR_LEN);
	assert_memory_equal(date, when, 4);
}

static void cardholder_name_needs_pw3(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64];
	const uint8_t *v;
	size_t len = sizeof(buf), vlen;

	assert_int_equal(pgp_put_data(f->c, PGP_DO_NAME, (const uint8_t *)"Dupuis<<Aurelie", 15),
			 ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(pgp_put_data(f->c, PGP_DO_NAME, (const uint8_t *)"Dupuis<<Aurelie", 15), 0);
	reconnect(f);
	assert_int_equal(pgp_get_data(f->c, 0x0065, buf, &len), 0);
	assert_int_equal(pgp_tlv_find(buf, len, 0x65, &v, &vlen), 0);
	assert_int_equal(pgp_tlv_find(v, vlen, 0x5B, &v, &vlen), 0);
	assert_int_equal(vlen, 15);
	assert_memory_equal(v, "Dupuis<<Aurelie", 15);
}

/*
 * DO 5B: "Nom<<Prénom" with spaces as '<' (ISO/IEC 7501-1), in the ASCII
 * that the spec's Latin-1 and GnuPG's UTF-8 display read alike: French
 * letters lose their marks, anything else becomes '?'.
 */
static void holder_name_rows(void **state)
{
	static const struct {
		const char *title, *last, *first, *want;
	} rows[] = {
		{ "plain", "Marchand", "Yves", "Marchand<<Yves" },
		{ "é", "Dupuis", "Aur\xc3\xa9lie", "Dupuis<<Aurelie" },
		{ "spaces become one '<', ends trimmed", "  Le  Gall ", "Anne Marie",
		  "Le<Gall<<Anne<Marie" },
		{ "hyphen and apostrophe kept", "N'Diaye-Mor", "Jean-Luc", "N'Diaye-Mor<<Jean-Luc" },
		{ "every French mark", "\xc3\x80\xc3\x82\xc3\x84\xc3\x87\xc3\x89\xc3\x88\xc3\x8a"
		  "\xc3\x8b\xc3\x8e\xc3\x8f\xc3\x94\xc3\x96\xc3\x99\xc3\x9b\xc3\x9c\xc5\xb8",
		  "\xc3\xa0\xc3\xa2\xc3\xa4\xc3\xa7\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xae\xc3\xaf"
		  "\xc3\xb4\xc3\xb6\xc3\xb9\xc3\xbb\xc3\xbc\xc3\xbf",
		  "AAACEEEEIIOOUUUY<<aaaceeeeiioouuuy" },
		{ "ligatures: two letters", "\xc5\x92uvray", "L\xc3\xa6titia \xc3\x86",
		  "OEuvray<<Laetitia<AE" },
		{ "ß, Ł, Ø, ñ", "Stra\xc3\x9f" "e \xc5\x81\xc3\xb3" "d\xc5\xba", "\xc3\x98ystein Pe\xc3\xb1" "a",
		  "Strasse<Lodz<<Oystein<Pena" },
		{ "decomposed marks (NFD) dropped", "Lefe\xcc\x80vre", "Zoe\xcc\x81", "Lefevre<<Zoe" },
		{ "no-break space and typographic apostrophe", "D\xe2\x80\x99" "Arc",
		  "Jeanne\xc2\xa0Marie", "D'Arc<<Jeanne<Marie" },
		{ "outside Latin: '?'", "\xce\x95\xce\xbb\xce\xad\xce\xbd\xce\xb7", "Nguy\xe1\xbb\x85n",
		  "?????" "<<Nguy?n" },
		{ "malformed UTF-8 and controls", "A\xff" "B\x01" "C", "\xc3", "A?B<C<<?" },
		{ "'<' in a name is a space, never a separator", "A<<B", "C", "A<B<<C" },
		{ "39 bytes at most", "Abcdefghijklmnopqrstuvwxyz", "Abcdefghijklmnopqrstuvwxyz",
		  "Abcdefghijklmnopqrstuvwxyz<<Abcdefghijk" },
		{ "empty first name", "Seul", "", "Seul<<" },
	};
	char out[PGP_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		size_t n = pgp_holder_name(rows[i].last, rows[i].first, out);

		if (strcmp(out, rows[i].want) != 0 || n != strlen(out))
			fail_msg("%s: \"%s\" (%zu), expected \"%s\"", rows[i].title, out, n,
				 rows[i].want);
	}
}

static void pw1_81_is_good_for_one_signature(void **state)
{
	struct fx *f = *state;
	struct pgp_status st;
	uint8_t pub[65], digest[32] = { 1, 2, 3 }, sig[64], sig2[64];
	uint8_t several = 0x01;

	make_sig_key(f, pub);
	assert_int_equal(pgp_verify(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig2), ERR_CARD_DENIED);
	assert_int_equal(pgp_verify(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig2), 0);
	/* deterministic signatures (RFC 6979): the same digest, the same r || s */
	assert_memory_equal(sig, sig2, 64);
	/* C4 byte 1 = 01: several signatures per VERIFY */
	assert_int_equal(pgp_put_data(f->c, 0x00C4, &several, 1), 0);
	assert_int_equal(pgp_status(f->c, &st), 0);
	assert_true(st.pw1_multi_sign);
	assert_int_equal(pgp_verify(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig), 0);
	assert_int_equal(pgp_sign(f->c, digest, sig), 0);
	assert_int_equal(sig_verify(pub, digest, sig), 0);
}

static void change_pin(void **state)
{
	struct fx *f = *state;
	struct pgp_status st;
	unsigned tries = 99;

	assert_int_equal(pgp_change_pin(f->c, PGP_PW1_SIGN, "000000", "192837", &tries),
			 ERR_PIN_WRONG);
	assert_int_equal(tries, 2);
	/* refused before reaching the card: too short, too long, wrong ref */
	assert_int_equal(pgp_change_pin(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, "12345", NULL),
			 ERR_RANGE);
	assert_int_equal(pgp_change_pin(f->c, PGP_PW3, PGP_PW3_DEFAULT, "1234567", NULL),
			 ERR_RANGE);
	assert_int_equal(pgp_change_pin(f->c, PGP_PW1, PGP_PW1_DEFAULT, "192837", NULL),
			 ERR_INTERNAL);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "12345", NULL), ERR_RANGE);
	assert_int_equal(pgp_verify(f->c, PGP_PW3, "1234567", NULL), ERR_RANGE);
	assert_int_equal(pgp_verify(f->c, PGP_PW1,
				    "12345678901234567890123456789012345678901234567890123456789012345",
				    NULL), ERR_RANGE);
	assert_int_equal(pgp_verify(f->c, 0x84, PGP_PW1_DEFAULT, NULL), ERR_INTERNAL);
	assert_int_equal(pgp_status(f->c, &st), 0);
	assert_int_equal(st.pw1_tries, 2);
	assert_int_equal(pgp_change_pin(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, "192837", NULL), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, &tries), ERR_PIN_WRONG);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "192837", NULL), 0);
	/* a 64-character admin PIN */
	assert_int_equal(pgp_change_pin(f->c, PGP_PW3, PGP_PW3_DEFAULT,
					"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-",
					NULL), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW3,
				    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-",
				    NULL), 0);
}

/* A card after a ceremony: share, key, changed PINs, admin PIN unknown. */
static void use_the_card(struct fx *f, const char *admin)
{
	uint8_t pub[65], so[SHARE_OBJ_LEN];

	memset(so, 0x33, sizeof(so));
	make_sig_key(f, pub);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_put_data(f->c, PGP_DO_PRIVATE3, so, sizeof(so)), 0);
	assert_int_equal(pgp_put_data(f->c, 0x0101, (const uint8_t *)"marker", 6), 0);
	assert_int_equal(pgp_put_data(f->c, PGP_DO_NAME, (const uint8_t *)"Martin<<Anne", 12), 0);
	assert_int_equal(pgp_change_pin(f->c, PGP_PW1_SIGN, PGP_PW1_DEFAULT, "564738", NULL), 0);
	assert_int_equal(pgp_change_pin(f->c, PGP_PW3, PGP_PW3_DEFAULT, admin, NULL), 0);
	reconnect(f);
}

static void assert_factory_fresh(struct fx *f)
{
	struct pgp_status st;
	uint8_t buf[256], pub[65];
	size_t len = sizeof(buf);
	uint32_t count = 99;

	assert_int_equal(pgp_status(f->c, &st), 0);
	assert_int_equal(st.pw1_tries, 3);
	assert_int_equal(st.pw3_tries, 3);
	assert_int_equal(st.aid[13], 0x78); /* same card */
	assert_int_equal(pgp_read_sig_key(f->c, pub), ERR_CARD_NODATA);
	assert_int_equal(pgp_sig_count(f->c, &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(pgp_get_data(f->c, 0x0101, buf, &len), 0);
	assert_int_equal(len, 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_NAME, buf, &len), 0);
	assert_int_equal(len, 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, 0x00C1, buf, &len), 0);
	assert_int_equal(buf[0], 0x01); /* RSA: attributes back to factory */
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(f->c, PGP_DO_PRIVATE3, buf, &len), 0);
	assert_int_equal(len, 0);
}

static void factory_reset_of_a_used_card(void **state)
{
	struct fx *f = *state;

	use_the_card(f, "0f9e8d7c6b5a49382716a5b4c3d2e1f0");
	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), ERR_PIN_WRONG);
	assert_int_equal(pgp_factory_reset(f->c), 0);
	assert_factory_fresh(f);
	/* and nothing of the old card is left in its file */
	{
		char path[128];

		ct_path(path, sizeof(path), f->dir, CARD_SIM_CARD_FILE);
		assert_false(testlib_file_contains(path, "33333333", 8));
	}
}

/* The probe PIN of the reset is the card's real PIN: still blocked. */
static void factory_reset_when_pins_are_the_probe(void **state)
{
	struct fx *f = *state;

	use_the_card(f, "@@@@@@@@");
	assert_int_equal(pgp_change_pin(f->c, PGP_PW1_SIGN, "564738", "@@@@@@@@", NULL), 0);
	assert_int_equal(pgp_factory_reset(f->c), 0);
	assert_factory_fresh(f);
}

static void factory_reset_of_blocked_and_verified_cards(void **state)
{
	struct fx *f = *state;

	use_the_card(f, "an-admin-pin");
	for (int i = 0; i < 3; i++)
		(void)pgp_verify(f->c, PGP_PW3, "not-the-pin", NULL);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "564738", NULL), 0);
	assert_int_equal(pgp_factory_reset(f->c), 0);
	assert_factory_fresh(f);
	/* PW3 verified in this session */
	assert_int_equal(pgp_factory_reset(f->c), 0);
	assert_factory_fresh(f);
}

static void terminated_card(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64];
	size_t len = sizeof(buf);

	assert_int_equal(pgp_verify(f->c, PGP_PW3, PGP_PW3_DEFAULT, NULL), 0);
	assert_int_equal(ct_apdu(f->c, "00 E6 00 00", NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(f->c, "00 CA 00 4F 00", NULL, NULL), 0x6285);
	assert_int_equal(pgp_get_data(f->c, 0x004F, buf, &len), ERR_CARD_USED);
	assert_int_equal(pgp_select(f->c), ERR_CARD_USED);
	assert_non_null(strstr(err_last_detail(), "terminated"));
	assert_int_equal(card_connect(f->c), 0);
	assert_int_equal(pgp_select(f->c), ERR_CARD_USED);
	/* the reset starts from there */
	assert_int_equal(pgp_factory_reset(f->c), 0);
	assert_factory_fresh(f);
}

/* The card pulled at each APDU of a reset in turn: put back, a second reset
 * always ends with a factory-fresh card (even when it was left terminated). */
static void factory_reset_pulled_at_every_apdu(void **state)
{
	struct fx *f = *state;
	int completed = 0, pulls = 0;
	char at[16];

	for (int n = 1; !completed; n++) {
		int ret;

		assert_true(n < 64);
		card_close(f->c);
		testlib_rmdir(f->dir);
		ct_slot(f->dir, sizeof(f->dir), CT_SERIAL);
		f->c = ct_open(f->dir);
		assert_int_equal(pgp_select(f->c), 0);
		use_the_card(f, "unknown-admin");
		card_close(f->c);
		snprintf(at, sizeof(at), "%d\n", n);
		ct_write(f->dir, CARD_SIM_PULL_AT_FILE, at);
		f->c = ct_open(f->dir);
		ret = pgp_factory_reset(f->c);
		{
			char p[128];

			ct_path(p, sizeof(p), f->dir, CARD_SIM_PULL_AT_FILE);
			assert_int_equal(unlink(p), 0);
		}
		if (ret == 0) {
			completed = 1;
			assert_factory_fresh(f);
			continue;
		}
		assert_int_equal(ret, ERR_CARD_ABSENT);
		pulls++;
		ct_move(f->dir, CARD_SIM_PULLED_FILE, CARD_SIM_CARD_FILE);
		assert_int_equal(card_connect(f->c), 0);
		assert_int_equal(pgp_factory_reset(f->c), 0);
		assert_factory_fresh(f);
	}
	/* SELECT, 2 x 3 x (status, wrong PIN), E6, 44, SELECT */
	assert_int_equal(pulls, 16);
}

static void pulled_card_is_absent(void **state)
{
	struct fx *f = *state;
	unsigned tries = 99;

	/* APDU 1 was the SELECT of setup */
	ct_write(f->dir, CARD_SIM_PULL_AT_FILE, "3");
	assert_int_equal(pgp_verify(f->c, PGP_PW1, PGP_PW1_DEFAULT, NULL), 0);
	assert_int_equal(pgp_verify(f->c, PGP_PW1, "000000", &tries), ERR_CARD_ABSENT);
	assert_int_equal(tries, 99);
	assert_true(ct_exists(f->dir, CARD_SIM_PULLED_FILE));
	assert_false(ct_exists(f->dir, CARD_SIM_CARD_FILE));
	assert_int_equal(card_present(f->c), 0);
	assert_int_equal(pgp_select(f->c), ERR_CARD_ABSENT);
	ct_move(f->dir, CARD_SIM_PULLED_FILE, CARD_SIM_CARD_FILE);
	reconnect(f);
	assert_int_equal(pgp_verify_status(f->c, PGP_PW1, &tries), 0);
	assert_int_equal(tries, 3);
}

/* ------------------------------------------------------------ fake card */

#define FAKE_MAX 8

struct fake {
	struct card base;
	int n, at;
	struct { const char *resp; int err; } step[FAKE_MAX];
	uint8_t sent[FAKE_MAX][CARD_APDU_MAX];
	size_t sent_len[FAKE_MAX];
};

static struct fake fake_card;

static int fake_present(struct card *c)
{
	(void)c;
	return 1;
}

static int fake_connect(struct card *c)
{
	(void)c;
	return 0;
}

static int fake_transmit(struct card *c, const uint8_t *capdu, size_t clen,
			 uint8_t *rapdu, size_t *rlen)
{
	struct fake *f = (struct fake *)c;
	uint8_t r[600];
	size_t n;

	if (f->at >= f->n)
		fail_msg("unexpected APDU %d", f->at);
	memcpy(f->sent[f->at], capdu, clen);
	f->sent_len[f->at] = clen;
	if (f->step[f->at].err)
		return f->step[f->at++].err;
	n = ct_unhex(f->step[f->at++].resp, r, sizeof(r));
	if (n > *rlen)
		return ERR_RANGE;
	memcpy(rapdu, r, n);
	*rlen = n;
	return 0;
}

static void fake_close(struct card *c)
{
	(void)c;
}

static const struct card_ops fake_ops = {
	.name = "fake", .present = fake_present, .connect = fake_connect,
	.transmit = fake_transmit, .close = fake_close,
};

static struct card *fake(const char *r1, const char *r2, const char *r3)
{
	memset(&fake_card, 0, sizeof(fake_card));
	fake_card.base.ops = &fake_ops;
	fake_card.step[0].resp = r1;
	fake_card.step[1].resp = r2;
	fake_card.step[2].resp = r3;
	fake_card.n = r3 ? 3 : r2 ? 2 : 1;
	return &fake_card.base;
}

static void status_words_map_to_errors(void **state)
{
	static const struct {
		const char *title, *sw;
		int err;
		unsigned tries;
	} rows[] = {
		{ "90 00 is success", "90 00", 0, 99 },
		{ "63 C2: wrong PIN, 2 tries left", "63 C2", ERR_PIN_WRONG, 2 },
		{ "63 C1: wrong PIN, 1 try left", "63 C1", ERR_PIN_WRONG, 1 },
		{ "63 C0: the last try was used", "63 C0", ERR_PIN_BLOCKED, 0 },
		{ "69 83: blocked", "69 83", ERR_PIN_BLOCKED, 0 },
		{ "69 82: security status not satisfied", "69 82", ERR_CARD_DENIED, 99 },
		{ "6A 88: referenced data not found", "6A 88", ERR_CARD_NODATA, 99 },
		{ "6A 82: file or application not found", "6A 82", ERR_CARD_NODATA, 99 },
		{ "62 85: terminated", "62 85", ERR_CARD_USED, 99 },
		{ "6A 80: wrong data", "6A 80", ERR_CARD_PROTO, 99 },
		{ "67 00: wrong length", "67 00", ERR_CARD_PROTO, 99 },
		{ "6D 00: INS not supported", "6D 00", ERR_CARD_PROTO, 99 },
		{ "6F 00: no diagnosis", "6F 00", ERR_CARD_PROTO, 99 },
		{ "90 01: not a success", "90 01", ERR_CARD_PROTO, 99 },
	};

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		unsigned tries = 99;
		int ret;

		{
			uint8_t b[2];

			assert_int_equal(ct_unhex(rows[i].sw, b, 2), 2);
			ret = pgp_sw_error((uint16_t)(b[0] << 8 | b[1]), &tries);
		}
		if (ret != rows[i].err || tries != rows[i].tries)
			fail_msg("%s: %d (tries %u)", rows[i].title, ret, tries);
		/* the same through a command */
		ret = pgp_put_data(fake(rows[i].sw, NULL, NULL), 0x0101,
				   (const uint8_t *)"x", 1);
		if (ret != rows[i].err)
			fail_msg("%s via PUT DATA: %d", rows[i].title, ret);
	}
}

static void verify_sends_the_pin_and_maps_69_82(void **state)
{
	uint8_t want[16];
	unsigned tries = 99;
	size_t n;

	(void)state;
	assert_int_equal(pgp_verify(fake("90 00", NULL, NULL), PGP_PW1, "123456", NULL), 0);
	n = ct_unhex("00 20 00 82 06 31 32 33 34 35 36", want, sizeof(want));
	assert_int_equal(fake_card.sent_len[0], n);
	assert_memory_equal(fake_card.sent[0], want, n);
	/* tokens that answer a wrong PIN with 69 82: the count comes from C4 */
	assert_int_equal(pgp_verify(fake("69 82", "00 40 40 40 02 00 03 90 00", NULL),
				    PGP_PW1, "123456", &tries), ERR_PIN_WRONG);
	assert_int_equal(tries, 2);
	n = ct_unhex("00 CA 00 C4 00", want, sizeof(want));
	assert_memory_equal(fake_card.sent[1], want, n);
	assert_int_equal(pgp_verify(fake("69 82", "00 40 40 40 03 00 00 90 00", NULL),
				    PGP_PW3, "12345678", &tries), ERR_PIN_BLOCKED);
	assert_int_equal(tries, 0);
	/* a card that offers no status query */
	assert_int_equal(pgp_verify_status(fake("6A 80", "00 40 40 40 01 00 03 90 00", NULL),
					   PGP_PW1, &tries), 0);
	assert_int_equal(tries, 1);
	assert_int_equal(pgp_verify_status(fake("90 00", NULL, NULL), PGP_PW3, &tries), 1);
}

static void response_chaining(void **state)
{
	uint8_t buf[64], want[8];
	size_t len = sizeof(buf), n;

	(void)state;
	/* 61 xx: the rest comes with GET RESPONSE */
	assert_int_equal(pgp_get_data(fake("01 02 03 61 02", "04 05 90 00", NULL), 0x0101,
				      buf, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "\x01\x02\x03\x04\x05", 5);
	n = ct_unhex("00 C0 00 00 02", want, sizeof(want));
	assert_int_equal(fake_card.sent_len[1], n);
	assert_memory_equal(fake_card.sent[1], want, n);
	/* 6C xx: the same command again with Le = xx */
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(fake("6C 03", "0A 0B 0C 90 00", NULL), 0x0102,
				      buf, &len), 0);
	assert_int_equal(len, 3);
	n = ct_unhex("00 CA 01 02 03", want, sizeof(want));
	assert_memory_equal(fake_card.sent[1], want, n);
	/* a card that never ends */
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(fake("6C 03", "6C 03", NULL), 0x0102, buf, &len),
			 ERR_CARD_PROTO);
	/* a transport error passes through */
	fake("90 00", NULL, NULL);
	fake_card.step[0].err = ERR_CARD_ABSENT;
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(&fake_card.base, 0x0101, buf, &len), ERR_CARD_ABSENT);
	/* an answer without a status word */
	len = sizeof(buf);
	assert_int_equal(pgp_get_data(fake("90", NULL, NULL), 0x0101, buf, &len),
			 ERR_CARD_PROTO);
}

static void malformed_answers(void **state)
{
	uint8_t pub[65], sig[64], digest[32] = { 0 };
	struct pgp_status st;

	(void)state;
	/* a signature of 63 bytes */
	assert_int_equal(pgp_sign(fake("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF "
				       "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF "
				       "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF "
				       "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE 90 00",
				       NULL, NULL), digest, sig), ERR_CARD_PROTO);
	/* a public key that is not on the curve */
	assert_int_equal(pgp_read_sig_key(fake("7F 49 43 86 41 04 "
					       "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
					       "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 "
					       "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
					       "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 90 00",
					       NULL, NULL), pub), ERR_CARD_PROTO);
	/* an application that is not OpenPGP */
	assert_int_equal(pgp_status(fake("6E 1B 4F 10 A0 00 00 00 03 00 00 00 00 00 00 00 00 00 00 00 "
					 "73 07 C4 05 00 40 40 40 03 90 00", NULL, NULL), &st),
			 ERR_CARD_PROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(status_of_a_fresh_card, setup, teardown),
		cmocka_unit_test(serial_hex_is_upper_case),
		cmocka_unit_test_setup_teardown(wrong_pins_count_down_then_block, setup, teardown),
		cmocka_unit_test_setup_teardown(do_0103_needs_verify_82, setup, teardown),
		cmocka_unit_test_setup_teardown(share_object_write_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(signature_verifies_with_the_card_key, setup, teardown),
		cmocka_unit_test_setup_teardown(pw1_81_is_good_for_one_signature, setup, teardown),
		cmocka_unit_test(fingerprint_as_gnupg_computes_it),
		cmocka_unit_test_setup_teardown(sig_key_fingerprint_and_date_need_pw3, setup, teardown),
		cmocka_unit_test_setup_teardown(cardholder_name_needs_pw3, setup, teardown),
		cmocka_unit_test(holder_name_rows),
		cmocka_unit_test_setup_teardown(change_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(factory_reset_of_a_used_card, setup, teardown),
		cmocka_unit_test_setup_teardown(factory_reset_when_pins_are_the_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(factory_reset_of_blocked_and_verified_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(terminated_card, setup, teardown),
		cmocka_unit_test_setup_teardown(factory_reset_pulled_at_every_apdu, setup, teardown),
		cmocka_unit_test_setup_teardown(pulled_card_is_absent, setup, teardown),
		cmocka_unit_test(status_words_map_to_errors),
		cmocka_unit_test(verify_sends_the_pin_and_maps_69_82),
		cmocka_unit_test(response_chaining),
		cmocka_unit_test(malformed_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
