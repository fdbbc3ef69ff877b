/*
 * The CCID rev 1.1 wire formats, as pure functions over bytes: the class
 * descriptor (§5.1) found in an interface's extra descriptor bytes, the
 * 10-byte header of bulk messages (§6.1, §6.2) and NotifySlotChange (§6.3).
 * Every parser is strict and bounded: outside data comes from a USB device.
 */
#ifndef SCEAU_CARD_CCID_MSG_H
#define SCEAU_CARD_CCID_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"

#define CCID_CLASS 0x0B
#define CCID_DESC_TYPE 0x21
#define CCID_DESC_LEN 0x36
#define CCID_HDR 10
/* Our longest message: a short APDU (261) or a T=1 block (259). */
#define CCID_MSG_MIN (CCID_HDR + CARD_APDU_MAX)
#define CCID_MSG_BUF (CCID_HDR + CARD_APDU_MAX + 16)
#define CCID_SLOTS_MAX 16

/* Bulk-OUT message types (§6.1) and bulk-IN ones (§6.2). */
#define CCID_PC_SET_PARAMETERS 0x61
#define CCID_PC_ICC_POWER_ON 0x62
#define CCID_PC_ICC_POWER_OFF 0x63
#define CCID_PC_GET_SLOT_STATUS 0x65
#define CCID_PC_XFR_BLOCK 0x6F
#define CCID_RDR_DATA_BLOCK 0x80
#define CCID_RDR_SLOT_STATUS 0x81
#define CCID_RDR_PARAMETERS 0x82
#define CCID_RDR_NOTIFY_SLOT_CHANGE 0x50

/* bStatus (§6.2.6). */
#define CCID_ICC_ACTIVE 0
#define CCID_ICC_INACTIVE 1
#define CCID_ICC_ABSENT 2
#define CCID_CMD_OK 0
#define CCID_CMD_FAILED 1
#define CCID_CMD_TIME_EXT 2
/* bError values we tell apart. */
#define CCID_ERR_ICC_MUTE 0xFE
#define CCID_ERR_XFR_PARITY 0xFD
#define CCID_ERR_HW 0xFB
#define CCID_ERR_BUSY 0xE0

/* dwFeatures (§5.1). */
#define CCID_FEAT_AUTO_PARAMS 0x00000002u /* parameters from the ATR */
#define CCID_FEAT_AUTO_PPS_CUR 0x00000080u
#define CCID_FEAT_AUTO_PPS_PROP 0x00000040u
#define CCID_FEAT_AUTO_IFSD 0x00000400u
#define CCID_FEAT_LEVEL_MASK 0x00070000u
#define CCID_FEAT_TPDU 0x00010000u
#define CCID_FEAT_SHORT_APDU 0x00020000u
#define CCID_FEAT_EXT_APDU 0x00040000u

enum ccid_level { CCID_LEVEL_TPDU, CCID_LEVEL_APDU };

struct ccid_desc {
	uint16_t bcd;
	uint8_t max_slot;     /* bMaxSlotIndex */
	uint32_t protocols;   /* bit 0 T=0, bit 1 T=1 */
	uint32_t max_ifsd;
	uint32_t features;
	uint32_t max_msg;     /* dwMaxCCIDMessageLength */
	enum ccid_level level;
};

/*
 * Finds and checks the CCID class descriptor in an interface's extra bytes
 * (a sequence of bLength/bDescriptorType descriptors). ERR_NOTFOUND if
 * there is none, ERR_FORMAT if the bytes lie, ERR_RANGE if the reader is
 * one we cannot drive (character level, messages too short, no T=0/T=1).
 */
int ccid_desc_parse(const uint8_t *extra, size_t len, struct ccid_desc *d);

/* Builds a bulk-OUT message; returns its length (CCID_HDR + dlen). */
size_t ccid_msg_build(uint8_t *out, uint8_t type, uint8_t slot, uint8_t seq,
		      const uint8_t p[3], const uint8_t *data, size_t dlen);

struct ccid_resp {
	uint8_t type, slot, seq;
	uint8_t icc;     /* bmICCStatus */
	uint8_t cmd;     /* bmCommandStatus */
	uint8_t error;   /* bError */
	uint8_t param;   /* bChainParameter / bClockStatus / bProtocolNum */
	const uint8_t *data;
	size_t dlen;
};

/* Parses a bulk-IN message strictly (type known, length consistent). */
int ccid_resp_parse(const uint8_t *buf, size_t n, struct ccid_resp *r);

/*
 * Parses a NotifySlotChange of a reader with max_slot + 1 slots: bit s of
 * *present and *changed for slot s.
 */
int ccid_notify_parse(const uint8_t *buf, size_t n, uint8_t max_slot,
		      uint16_t *present, uint16_t *changed);

#endif
