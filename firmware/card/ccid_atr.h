/*
 * Answer-To-Reset parsing (ISO/IEC 7816-3 §8.2, §11.4). The parser is
 * strict: TS, T0, the TA/TB/TC/TD chains, the historical bytes and TCK must
 * account for every byte, TCK must be right whenever it is required (any
 * protocol other than T=0 indicated), and the T=1 parameters must be legal.
 */
#ifndef SCEAU_CARD_CCID_ATR_H
#define SCEAU_CARD_CCID_ATR_H

#include <stddef.h>
#include <stdint.h>

#define CCID_ATR_MAX 33
#define CCID_ATR_T0 0x01u /* bits of ccid_atr.protocols */
#define CCID_ATR_T1 0x02u

struct ccid_atr {
	uint8_t raw[CCID_ATR_MAX];
	size_t len;
	uint8_t hist[15];
	size_t nhist;
	unsigned protocols;  /* CCID_ATR_T0 | CCID_ATR_T1 (T=0 if no TD1) */
	int t1_first;        /* T=1 is the first protocol offered (TD1) */
	int has_ta1;
	uint8_t ta1;         /* Fi/Di, 0x11 when absent */
	uint8_t tc1;         /* extra guard time */
	int has_tc2;
	uint8_t tc2;         /* WI of T=0 */
	uint8_t ifsc;        /* T=1 IFSC, 32 when absent */
	uint8_t bwi_cwi;     /* T=1 TBi: BWI << 4 | CWI, 0x4D when absent */
	int edc_crc;         /* T=1 error detection: CRC (else LRC) */
	int has_tck;
};

/* Parses an ATR; ERR_FORMAT (with a detail) if it is malformed. */
int ccid_atr_parse(const uint8_t *atr, size_t len, struct ccid_atr *out);

#endif
