/*
 * APDU conformance of the simulated OpenPGP card (spec v3.4), raw: each row
 * is one command and the status word (and data) a real card returns. Rows of
 * a script run in order against one fresh card, in one session; the whole
 * suite runs through every simulated transport (sim, nfc-sim, ccid-sim with
 * an APDU-level and a T=1 reader).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cardtest.h"

#define ANY (-1)

struct row {
	const char *title;
	const char *apdu;
	uint16_t sw;
	const char *data; /* expected data in hex, NULL: not checked */
	int dlen;         /* expected data length, ANY: not checked */
};

#define SELECT "00 A4 04 00 06 D2 76 00 01 24 01"
#define PW1 "31 32 33 34 35 36"
#define PW3 "31 32 33 34 35 36 37 38"
#define AID "D2 76 00 01 24 01 03 04 FF FE 12 34 56 78 00 00"
#define P256 "13 2A 86 48 CE 3D 03 01 07"
#define DIGEST "00 2A 9E 9A 20 " \
	"00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F " \
	"10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F 00"

static const struct row selection[] = {
	{ "GET DATA before SELECT: no application -> 6D00", "00 CA 00 4F 00", 0x6D00, "", ANY },
	{ "CLA 80 -> 6E00", "80 CA 00 4F 00", 0x6E00, "", ANY },
	{ "SELECT of another AID -> 6A82", "00 A4 04 00 06 D2 76 00 01 24 02", 0x6A82, "", ANY },
	{ "SELECT with P1 00 -> 6B00", "00 A4 00 00 06 D2 76 00 01 24 01", 0x6B00, NULL, ANY },
	{ "SELECT by a 5-byte prefix -> 6A82", "00 A4 04 00 05 D2 76 00 01 24", 0x6A82, NULL, ANY },
	{ "SELECT OpenPGP (RID + PIX 01) -> 9000", SELECT, 0x9000, "", ANY },
	{ "SELECT by the full AID -> 9000", "00 A4 04 00 10 " AID, 0x9000, "", ANY },
	{ "SELECT with P2 0C -> 9000", "00 A4 04 0C 06 D2 76 00 01 24 01", 0x9000, "", ANY },
	{ "GET DATA 4F: AID v3.4, manufacturer FFFE, serial", "00 CA 00 4F 00", 0x9000, AID, ANY },
	{ "GET DATA 4F without Le (case 1)", "00 CA 00 4F", 0x9000, AID, ANY },
	{ "GET DATA C4: PW1 once per signature, max 64, tries 3/0/3",
	  "00 CA 00 C4 00", 0x9000, "00 40 40 40 03 00 03", ANY },
	{ "GET DATA C0: private DOs, changeable attributes, special DOs <= 255",
	  "00 CA 00 C0 00", 0x9000, "1C 00 00 00 00 00 00 FF 00 00", ANY },
	{ "GET DATA 5F52: historical bytes, operational",
	  "00 CA 5F 52 00", 0x9000, "00 73 C0 00 00 05 90 00", ANY },
	{ "GET DATA C1: factory RSA-2048", "00 CA 00 C1 00", 0x9000, "01 08 00 00 20 00", ANY },
	{ "GET DATA C5: no fingerprints", "00 CA 00 C5 00", 0x9000, NULL, 60 },
	{ "GET DATA CD: no dates", "00 CA 00 CD 00", 0x9000, "00 00 00 00 00 00 00 00 00 00 00 00", ANY },
	{ "GET DATA 7A: signature counter 0", "00 CA 00 7A 00", 0x9000, "7A 05 93 03 00 00 00", ANY },
	{ "GET DATA 65: empty cardholder data", "00 CA 00 65 00", 0x9000,
	  "65 08 5B 00 5F 2D 00 5F 35 00", ANY },
	{ "GET DATA 6E: application related data", "00 CA 00 6E 00", 0x9000,
	  "6E 81 D7 4F 10 " AID " 5F 52 08 00 73 C0 00 00 05 90 00 "
	  "73 81 B7 C0 0A 1C 00 00 00 00 00 00 FF 00 00 C1 06 01 08 00 00 20 00 "
	  "C2 06 01 08 00 00 20 00 C3 06 01 08 00 00 20 00 C4 07 00 40 40 40 03 00 03 "
	  "C5 3C 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "C6 3C 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "CD 0C 00 00 00 00 00 00 00 00 00 00 00 00", ANY },
	{ "GET DATA 0101: empty, readable -> 9000", "00 CA 01 01 00", 0x9000, "", ANY },
	{ "GET DATA 0102: empty, readable -> 9000", "00 CA 01 02 00", 0x9000, "", ANY },
	{ "GET DATA 0103 without VERIFY 82 -> 6982", "00 CA 01 03 00", 0x6982, "", ANY },
	{ "GET DATA 0104 without VERIFY 83 -> 6982", "00 CA 01 04 00", 0x6982, "", ANY },
	{ "GET DATA of an unknown DO -> 6A88", "00 CA 00 FA 00", 0x6A88, "", ANY },
	{ "GET DATA with command data -> 6700", "00 CA 00 4F 01 00 00", 0x6700, NULL, ANY },
	{ "unknown INS B0 -> 6D00", "00 B0 00 00 00", 0x6D00, NULL, ANY },
	{ "GET RESPONSE is not offered -> 6D00", "00 C0 00 00 00", 0x6D00, NULL, ANY },
	{ "extended length APDU -> 6700", "00 CA 00 4F 00 00 00", 0x6700, NULL, ANY },
	{ "Lc larger than the data -> 6700", "00 20 00 81 08 31 32 33", 0x6700, NULL, ANY },
};

static const struct row pins[] = {
	{ "SELECT", SELECT, 0x9000, NULL, ANY },
	{ "VERIFY 82 status query, not verified -> 63C3", "00 20 00 82", 0x63C3, "", ANY },
	{ "VERIFY with P2 84 -> 6B00", "00 20 00 84 06 " PW1, 0x6B00, NULL, ANY },
	{ "VERIFY with P1 01 -> 6B00", "00 20 01 82 06 " PW1, 0x6B00, NULL, ANY },
	{ "VERIFY PW1 wrong -> 63C2", "00 20 00 82 06 31 31 31 31 31 31", 0x63C2, "", ANY },
	{ "VERIFY status after a wrong PIN -> 63C2", "00 20 00 82", 0x63C2, NULL, ANY },
	{ "GET DATA C4 counts the failure", "00 CA 00 C4 00", 0x9000, "00 40 40 40 02 00 03", ANY },
	{ "VERIFY PW1 of another length -> 63C1", "00 20 00 82 07 31 32 33 34 35 36 37", 0x63C1, NULL, ANY },
	{ "VERIFY PW1 right -> 9000", "00 20 00 82 06 " PW1, 0x9000, "", ANY },
	{ "VERIFY right resets the counter", "00 CA 00 C4 00", 0x9000, "00 40 40 40 03 00 03", ANY },
	{ "VERIFY 82 status, verified -> 9000", "00 20 00 82", 0x9000, NULL, ANY },
	{ "VERIFY 81 status: 82 does not verify 81 -> 63C3", "00 20 00 81", 0x63C3, NULL, ANY },
	{ "GET DATA 0103 after VERIFY 82 -> 9000", "00 CA 01 03 00", 0x9000, "", ANY },
	{ "VERIFY P1 FF resets the access status -> 9000", "00 20 FF 82", 0x9000, NULL, ANY },
	{ "VERIFY 82 status after reset -> 63C3", "00 20 00 82", 0x63C3, NULL, ANY },
	{ "GET DATA 0103 after reset -> 6982", "00 CA 01 03 00", 0x6982, NULL, ANY },
	{ "PUT DATA 0101 without VERIFY 82 -> 6982", "00 DA 01 01 02 41 42", 0x6982, NULL, ANY },
	{ "PUT DATA 5B without VERIFY 83 -> 6982", "00 DA 00 5B 02 41 42", 0x6982, NULL, ANY },
	{ "PUT DATA C7 without VERIFY 83 -> 6982", "00 DA 00 C7 14 "
	  "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14", 0x6982, NULL, ANY },
	{ "PUT DATA CE without VERIFY 83 -> 6982", "00 DA 00 CE 04 5F 00 00 01", 0x6982, NULL, ANY },
	{ "VERIFY PW3 wrong -> 63C2", "00 20 00 83 08 31 31 31 31 31 31 31 31", 0x63C2, NULL, ANY },
	{ "VERIFY PW3 shorter than 8 -> 63C1 (a wrong PIN)", "00 20 00 83 06 " PW1, 0x63C1, NULL, ANY },
	{ "VERIFY PW3 right -> 9000", "00 20 00 83 08 " PW3, 0x9000, NULL, ANY },
	{ "PUT DATA 0104 with PW3 -> 9000", "00 DA 01 04 03 01 02 03", 0x9000, "", ANY },
	{ "GET DATA 0104 with PW3 -> data", "00 CA 01 04 00", 0x9000, "01 02 03", ANY },
	{ "PUT DATA 0102 with PW3 -> 9000", "00 DA 01 02 01 AA", 0x9000, NULL, ANY },
	{ "PUT DATA 0101 with PW3 only -> 6982", "00 DA 01 01 01 AA", 0x6982, NULL, ANY },
	{ "PUT DATA 5B name -> 9000", "00 DA 00 5B 08 44 75 70 6F 6E 74 3C 3C", 0x9000, NULL, ANY },
	{ "PUT DATA 5F2D language -> 9000", "00 DA 5F 2D 02 66 72", 0x9000, NULL, ANY },
	{ "PUT DATA 5F35 sex '9' -> 9000", "00 DA 5F 35 01 39", 0x9000, NULL, ANY },
	{ "PUT DATA 5F35 'X' (not ISO 5218) -> 6A80", "00 DA 5F 35 01 58", 0x6A80, NULL, ANY },
	{ "GET DATA 65 shows them", "00 CA 00 65 00", 0x9000,
	  "65 13 5B 08 44 75 70 6F 6E 74 3C 3C 5F 2D 02 66 72 5F 35 01 39", ANY },
	{ "PUT DATA 5B of 40 bytes -> 6700", "00 DA 00 5B 28 "
	  "41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 "
	  "41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41", 0x6700, NULL, ANY },
	{ "PUT DATA 5E login -> 9000", "00 DA 00 5E 03 61 62 63", 0x9000, NULL, ANY },
	{ "GET DATA 5E", "00 CA 00 5E 00", 0x9000, "61 62 63", ANY },
	{ "PUT DATA 5F50 URL -> 9000", "00 DA 5F 50 01 75", 0x9000, NULL, ANY },
	{ "GET DATA 5F50", "00 CA 5F 50 00", 0x9000, "75", ANY },
	{ "PUT DATA of an unknown DO -> 6A88", "00 DA 00 FA 01 00", 0x6A88, NULL, ANY },
	{ "PUT DATA C5 (read-only) -> 6A88", "00 DA 00 C5 01 00", 0x6A88, NULL, ANY },
	{ "PUT DATA CD (read-only) -> 6A88", "00 DA 00 CD 04 00 00 00 00", 0x6A88, NULL, ANY },
	{ "PUT DATA C6 (read-only) -> 6A88", "00 DA 00 C6 01 00", 0x6A88, NULL, ANY },
	{ "PUT DATA CA CA fingerprint -> 9000", "00 DA 00 CA 14 "
	  "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14", 0x9000, NULL, ANY },
	{ "PUT DATA D0 date -> 9000", "00 DA 00 D0 04 01 02 03 04", 0x9000, NULL, ANY },
	{ "GET DATA CD shows D0 in the last 4 bytes", "00 CA 00 CD 00", 0x9000,
	  "00 00 00 00 00 00 00 00 01 02 03 04", ANY },
	{ "PUT DATA C1 Ed25519 (unsupported) -> 6A80", "00 DA 00 C1 0A 16 2B 06 01 04 01 DA 47 0F 01", 0x6A80, NULL, ANY },
	{ "PUT DATA C1 ECDSA P-256 -> 9000", "00 DA 00 C1 09 " P256, 0x9000, NULL, ANY },
	{ "GET DATA C1 -> ECDSA P-256", "00 CA 00 C1 00", 0x9000, P256, ANY },
	{ "PUT DATA C2 ECDSA on the decryption key -> 6A80", "00 DA 00 C2 09 " P256, 0x6A80, NULL, ANY },
	{ "PUT DATA C2 ECDH P-256 -> 9000", "00 DA 00 C2 09 12 2A 86 48 CE 3D 03 01 07", 0x9000, NULL, ANY },
	{ "PUT DATA C7 fingerprint -> 9000", "00 DA 00 C7 14 "
	  "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14", 0x9000, NULL, ANY },
	{ "GET DATA C5 shows C7 in the first 20 bytes", "00 CA 00 C5 00", 0x9000,
	  "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", ANY },
	{ "PUT DATA C7 of 19 bytes -> 6700", "00 DA 00 C7 13 "
	  "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13", 0x6700, NULL, ANY },
	{ "PUT DATA CE date -> 9000", "00 DA 00 CE 04 5F 00 00 01", 0x9000, NULL, ANY },
	{ "GET DATA CD shows the date", "00 CA 00 CD 00", 0x9000, "5F 00 00 01 00 00 00 00 01 02 03 04", ANY },
	{ "PUT DATA C4 02 -> 6A80", "00 DA 00 C4 01 02", 0x6A80, NULL, ANY },
	{ "PUT DATA C4 with other PIN lengths -> 6A80", "00 DA 00 C4 04 00 20 40 40", 0x6A80, NULL, ANY },
	{ "PUT DATA C4 01: PW1 for several signatures -> 9000", "00 DA 00 C4 01 01", 0x9000, NULL, ANY },
	{ "GET DATA C4 -> 01 ...", "00 CA 00 C4 00", 0x9000, "01 40 40 40 03 00 03", ANY },
	{ "CHANGE REFERENCE DATA P2 82 -> 6B00", "00 24 00 82 0C " PW1 " " PW1, 0x6B00, NULL, ANY },
	{ "CHANGE PW1 with a wrong old PIN -> 63C2", "00 24 00 81 0C 31 31 31 31 31 31 36 35 34 33 32 31", 0x63C2, NULL, ANY },
	{ "CHANGE PW1 to a 5-digit PIN -> 6A80", "00 24 00 81 0B " PW1 " 36 35 34 33 32", 0x6A80, NULL, ANY },
	{ "the right old PIN reset the counter", "00 CA 00 C4 00", 0x9000, "01 40 40 40 03 00 03", ANY },
	{ "CHANGE PW1 123456 -> 654321", "00 24 00 81 0C " PW1 " 36 35 34 33 32 31", 0x9000, NULL, ANY },
	{ "VERIFY the old PW1 -> 63C2", "00 20 00 82 06 " PW1, 0x63C2, NULL, ANY },
	{ "VERIFY the new PW1 -> 9000", "00 20 00 82 06 36 35 34 33 32 31", 0x9000, NULL, ANY },
	{ "PUT DATA 0101 after VERIFY 82 -> 9000", "00 DA 01 01 02 41 42", 0x9000, NULL, ANY },
	{ "PUT DATA 0103 after VERIFY 82 -> 9000", "00 DA 01 03 02 43 44", 0x9000, NULL, ANY },
	{ "GET DATA 0103", "00 CA 01 03 00", 0x9000, "43 44", ANY },
	{ "RESET RETRY CODE P1 00 without a resetting code -> 6983",
	  "00 2C 00 81 0E 31 32 33 34 35 36 37 38 31 31 31 31 31 31", 0x6983, NULL, ANY },
	{ "RESET RETRY CODE P1 02 with PW3 -> 9000", "00 2C 02 81 06 31 31 31 31 31 31", 0x9000, NULL, ANY },
	{ "RESET RETRY CODE P1 02, 5-digit PIN -> 6A80", "00 2C 02 81 05 31 31 31 31 31", 0x6A80, NULL, ANY },
	{ "RESET RETRY CODE P2 82 -> 6B00", "00 2C 02 82 06 31 31 31 31 31 31", 0x6B00, NULL, ANY },
	{ "VERIFY the reset PW1 -> 9000", "00 20 00 81 06 31 31 31 31 31 31", 0x9000, NULL, ANY },
	{ "PUT DATA D3 resetting code -> 9000", "00 DA 00 D3 08 38 37 36 35 34 33 32 31", 0x9000, NULL, ANY },
	{ "GET DATA C4: resetting code tries 3", "00 CA 00 C4 00", 0x9000, "01 40 40 40 03 03 03", ANY },
	{ "RESET RETRY CODE P1 00, wrong code -> 63C2",
	  "00 2C 00 81 0E 31 32 33 34 35 36 37 38 32 32 32 32 32 32", 0x63C2, NULL, ANY },
	{ "RESET RETRY CODE P1 00, right code -> 9000",
	  "00 2C 00 81 0E 38 37 36 35 34 33 32 31 32 32 32 32 32 32", 0x9000, NULL, ANY },
	{ "VERIFY the PW1 set by the code -> 9000", "00 20 00 82 06 32 32 32 32 32 32", 0x9000, NULL, ANY },
	{ "CHANGE PW3 -> 9000", "00 24 00 83 10 " PW3 " 38 37 36 35 34 33 32 31", 0x9000, NULL, ANY },
	{ "VERIFY the old PW3 -> 63C2", "00 20 00 83 08 " PW3, 0x63C2, NULL, ANY },
	{ "VERIFY the new PW3 -> 9000", "00 20 00 83 08 38 37 36 35 34 33 32 31", 0x9000, NULL, ANY },
};

static const struct row blocking[] = {
	{ "SELECT", SELECT, 0x9000, NULL, ANY },
	{ "VERIFY PW1 wrong (1) -> 63C2", "00 20 00 82 06 31 31 31 31 31 31", 0x63C2, NULL, ANY },
	{ "VERIFY PW1 wrong (2) -> 63C1", "00 20 00 82 06 31 31 31 31 31 31", 0x63C1, NULL, ANY },
	{ "VERIFY PW1 wrong (3) -> 63C0", "00 20 00 82 06 31 31 31 31 31 31", 0x63C0, NULL, ANY },
	{ "VERIFY PW1 right once blocked -> 6983", "00 20 00 82 06 " PW1, 0x6983, NULL, ANY },
	{ "VERIFY 81 right once blocked -> 6983", "00 20 00 81 06 " PW1, 0x6983, NULL, ANY },
	{ "VERIFY status once blocked -> 6983", "00 20 00 82", 0x6983, NULL, ANY },
	{ "GET DATA 0103 once blocked -> 6982", "00 CA 01 03 00", 0x6982, NULL, ANY },
	{ "GET DATA C4: PW1 tries 0", "00 CA 00 C4 00", 0x9000, "00 40 40 40 00 00 03", ANY },
	{ "CHANGE PW1 once blocked -> 6983", "00 24 00 81 0C " PW1 " 36 35 34 33 32 31", 0x6983, NULL, ANY },
	{ "RESET RETRY CODE P1 02 without PW3 -> 6982", "00 2C 02 81 06 " PW1, 0x6982, NULL, ANY },
	{ "VERIFY PW3", "00 20 00 83 08 " PW3, 0x9000, NULL, ANY },
	{ "RESET RETRY CODE P1 02 unblocks PW1 -> 9000", "00 2C 02 81 06 " PW1, 0x9000, NULL, ANY },
	{ "GET DATA C4: PW1 tries 3", "00 CA 00 C4 00", 0x9000, "00 40 40 40 03 00 03", ANY },
	{ "VERIFY PW1 -> 9000", "00 20 00 82 06 " PW1, 0x9000, NULL, ANY },
	{ "GET DATA 0103 -> 9000", "00 CA 01 03 00", 0x9000, "", ANY },
};

static const struct row keys[] = {
	{ "SELECT", SELECT, 0x9000, NULL, ANY },
	{ "GENERATE 81 without a key -> 6A88", "00 47 81 00 02 B6 00 00", 0x6A88, NULL, ANY },
	{ "GENERATE 80 without PW3 -> 6982", "00 47 80 00 02 B6 00 00", 0x6982, NULL, ANY },
	{ "VERIFY PW3", "00 20 00 83 08 " PW3, 0x9000, NULL, ANY },
	{ "GENERATE 80 with RSA attributes -> 6985", "00 47 80 00 02 B6 00 00", 0x6985, NULL, ANY },
	{ "PUT DATA C1 ECDSA P-256", "00 DA 00 C1 09 " P256, 0x9000, NULL, ANY },
	{ "GENERATE P1 82 -> 6B00", "00 47 82 00 02 B6 00 00", 0x6B00, NULL, ANY },
	{ "GENERATE decryption key (B8) -> 6A88", "00 47 80 00 02 B8 00 00", 0x6A88, NULL, ANY },
	{ "GENERATE authentication key (A4) -> 6A88", "00 47 80 00 02 A4 00 00", 0x6A88, NULL, ANY },
	{ "GENERATE with CRT B7 -> 6A80", "00 47 80 00 02 B7 00 00", 0x6A80, NULL, ANY },
	{ "GENERATE without CRT -> 6700", "00 47 80 00 00", 0x6700, NULL, ANY },
	{ "GENERATE 80 signature key -> 7F49 86 (70 bytes)", "00 47 80 00 02 B6 00 00", 0x9000, NULL, 70 },
	{ "GENERATE 81 reads it -> 70 bytes", "00 47 81 00 02 B6 00 00", 0x9000, NULL, 70 },
	{ "PSO:CDS without VERIFY 81 -> 6982", DIGEST, 0x6982, NULL, ANY },
	{ "VERIFY 82 does not allow PSO:CDS", "00 20 00 82 06 " PW1, 0x9000, NULL, ANY },
	{ "PSO:CDS with PW1-82 only -> 6982", DIGEST, 0x6982, NULL, ANY },
	{ "VERIFY 81", "00 20 00 81 06 " PW1, 0x9000, NULL, ANY },
	{ "PSO with P1P2 80 86 (decipher) -> 6B00", "00 2A 80 86 02 00 00 00", 0x6B00, NULL, ANY },
	{ "PSO:CDS of a 31-byte digest -> 6700", "00 2A 9E 9A 1F "
	  "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
	  "10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 00", 0x6700, NULL, ANY },
	{ "PSO:CDS -> r || s (64 bytes)", DIGEST, 0x9000, NULL, 64 },
	{ "PSO:CDS again: PW1-81 was good for one -> 6982", DIGEST, 0x6982, NULL, ANY },
	{ "VERIFY 81 status: no longer verified -> 63C3", "00 20 00 81", 0x63C3, NULL, ANY },
	{ "GET DATA 7A: counter 1", "00 CA 00 7A 00", 0x9000, "7A 05 93 03 00 00 01", ANY },
	{ "PUT DATA C4 01: several signatures per VERIFY", "00 DA 00 C4 01 01", 0x9000, NULL, ANY },
	{ "VERIFY 81", "00 20 00 81 06 " PW1, 0x9000, NULL, ANY },
	{ "PSO:CDS (1)", DIGEST, 0x9000, NULL, 64 },
	{ "PSO:CDS (2)", DIGEST, 0x9000, NULL, 64 },
	{ "GET DATA 7A: counter 3", "00 CA 00 7A 00", 0x9000, "7A 05 93 03 00 00 03", ANY },
	{ "GENERATE 80 again resets the counter", "00 47 80 00 02 B6 00 00", 0x9000, NULL, 70 },
	{ "GET DATA 7A: counter 0", "00 CA 00 7A 00", 0x9000, "7A 05 93 03 00 00 00", ANY },
	{ "PUT DATA C1 RSA-2048 deletes the ECDSA key", "00 DA 00 C1 06 01 08 00 00 20 00", 0x9000, NULL, ANY },
	{ "GENERATE 81 -> 6A88", "00 47 81 00 02 B6 00 00", 0x6A88, NULL, ANY },
	{ "PSO:CDS without a key -> 6A88", DIGEST, 0x6A88, NULL, ANY },
};

static const struct row life_cycle[] = {
	{ "SELECT", SELECT, 0x9000, NULL, ANY },
	{ "ACTIVATE FILE on an operational card does nothing -> 9000", "00 44 00 00", 0x9000, NULL, ANY },
	{ "TERMINATE DF without PW3 -> 6982", "00 E6 00 00", 0x6982, NULL, ANY },
	{ "VERIFY PW3", "00 20 00 83 08 " PW3, 0x9000, NULL, ANY },
	{ "VERIFY PW1", "00 20 00 82 06 " PW1, 0x9000, NULL, ANY },
	{ "PUT DATA 0103", "00 DA 01 03 02 43 44", 0x9000, NULL, ANY },
	{ "CHANGE PW1 -> 654321", "00 24 00 81 0C " PW1 " 36 35 34 33 32 31", 0x9000, NULL, ANY },
	{ "TERMINATE DF P1 01 -> 6B00", "00 E6 01 00", 0x6B00, NULL, ANY },
	{ "TERMINATE DF with PW3 -> 9000", "00 E6 00 00", 0x9000, NULL, ANY },
	{ "GET DATA on a terminated card -> 6285", "00 CA 00 4F 00", 0x6285, NULL, ANY },
	{ "VERIFY on a terminated card -> 6285", "00 20 00 82 06 " PW1, 0x6285, NULL, ANY },
	{ "TERMINATE again -> 6285", "00 E6 00 00", 0x6285, NULL, ANY },
	{ "SELECT a terminated card -> 6285", SELECT, 0x6285, NULL, ANY },
	{ "ACTIVATE FILE P2 01 -> 6B00", "00 44 00 01", 0x6B00, NULL, ANY },
	{ "ACTIVATE FILE -> 9000", "00 44 00 00", 0x9000, NULL, ANY },
	{ "SELECT -> 9000", SELECT, 0x9000, NULL, ANY },
	{ "factory PW1 123456 -> 9000", "00 20 00 82 06 " PW1, 0x9000, NULL, ANY },
	{ "DO 0103 erased", "00 CA 01 03 00", 0x9000, "", ANY },
	{ "counters back to 3", "00 CA 00 C4 00", 0x9000, "00 40 40 40 03 00 03", ANY },
	{ "C1 back to RSA-2048", "00 CA 00 C1 00", 0x9000, "01 08 00 00 20 00", ANY },
	{ "PW3 blocked (1)", "00 20 00 83 08 31 31 31 31 31 31 31 31", 0x63C2, NULL, ANY },
	{ "PW3 blocked (2)", "00 20 00 83 08 31 31 31 31 31 31 31 31", 0x63C1, NULL, ANY },
	{ "PW3 blocked (3)", "00 20 00 83 08 31 31 31 31 31 31 31 31", 0x63C0, NULL, ANY },
	{ "TERMINATE DF allowed once PW3 is blocked -> 9000", "00 E6 00 00", 0x9000, NULL, ANY },
	{ "ACTIVATE FILE -> 9000", "00 44 00 00", 0x9000, NULL, ANY },
	{ "SELECT", SELECT, 0x9000, NULL, ANY },
	{ "factory PW3 12345678 -> 9000", "00 20 00 83 08 " PW3, 0x9000, NULL, ANY },
};

static void run_script(const struct row *rows, size_t n)
{
	char dir[64];
	struct card *c;
	uint8_t data[CARD_RAPDU_MAX], want[CARD_RAPDU_MAX];
	size_t len, wlen;
	uint16_t sw;

	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = ct_open(dir);
	for (size_t i = 0; i < n; i++) {
		sw = ct_apdu(c, rows[i].apdu, data, &len);
		if (sw != rows[i].sw)
			fail_msg("row %zu \"%s\": SW %04X, expected %04X", i,
				 rows[i].title, sw, rows[i].sw);
		if (rows[i].dlen != ANY && len != (size_t)rows[i].dlen)
			fail_msg("row %zu \"%s\": %zu bytes, expected %d", i,
				 rows[i].title, len, rows[i].dlen);
		if (!rows[i].data)
			continue;
		wlen = ct_unhex(rows[i].data, want, sizeof(want));
		if (len != wlen || memcmp(data, want, len) != 0)
			fail_msg("row %zu \"%s\": unexpected data (%zu bytes)", i,
				 rows[i].title, len);
	}
	card_close(c);
	testlib_rmdir(dir);
}

static void apdu_selection_and_get_data(void **state)
{
	(void)state;
	run_script(selection, CT_ROWS(selection));
}

static void apdu_pins_and_put_data(void **state)
{
	(void)state;
	run_script(pins, CT_ROWS(pins));
}

static void apdu_three_wrong_pins_block(void **state)
{
	(void)state;
	run_script(blocking, CT_ROWS(blocking));
}

static void apdu_keys_and_signatures(void **state)
{
	(void)state;
	run_script(keys, CT_ROWS(keys));
}

static void apdu_terminate_and_activate(void **state)
{
	(void)state;
	run_script(life_cycle, CT_ROWS(life_cycle));
}

/* Power-off forgets the access status, not the card's counters. */
static void apdu_session_ends_at_connect(void **state)
{
	char dir[64];
	struct card *c;

	(void)state;
	ct_slot(dir, sizeof(dir), CT_SERIAL);
	c = ct_open(dir);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, "00 20 00 82 06 " PW1, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, "00 20 00 83 08 31 31 31 31 31 31 31 31", NULL, NULL),
			 0x63C2);
	assert_int_equal(card_connect(c), 0);
	assert_int_equal(ct_apdu(c, "00 CA 01 03 00", NULL, NULL), 0x6D00);
	assert_int_equal(ct_apdu(c, SELECT, NULL, NULL), 0x9000);
	assert_int_equal(ct_apdu(c, "00 CA 01 03 00", NULL, NULL), 0x6982);
	assert_int_equal(ct_apdu(c, "00 20 00 83", NULL, NULL), 0x63C2);
	card_close(c);
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apdu_selection_and_get_data),
		cmocka_unit_test(apdu_pins_and_put_data),
		cmocka_unit_test(apdu_three_wrong_pins_block),
		cmocka_unit_test(apdu_keys_and_signatures),
		cmocka_unit_test(apdu_terminate_and_activate),
		cmocka_unit_test(apdu_session_ends_at_connect),
	};

	int failed = cmocka_run_group_tests_name("sim", tests, NULL, NULL);

#ifdef CONFIG_CARD_NFC_SIM
	/* The same scripts through the NFC engine and its simulated reader. */
	ct_transport_name = "nfc-sim";
	failed += cmocka_run_group_tests_name("nfc-sim", tests, NULL, NULL);
#endif
#ifdef CONFIG_CARD_CCID_SIM
	/* ... and through the CCID driver, whole APDUs and T=1 blocks. */
	ct_transport_name = "ccid-sim";
	ct_spec_prefix = "apdu:";
	failed += cmocka_run_group_tests_name("ccid-sim apdu", tests, NULL, NULL);
	ct_spec_prefix = "t1,ifsc=16:";
	failed += cmocka_run_group_tests_name("ccid-sim t1", tests, NULL, NULL);
#endif
	return failed;
}
