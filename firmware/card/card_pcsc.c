/*
 * The `pcsc` transport: cards in readers served by the pcsc-lite daemon
 * (pcscd), for readers the direct CCID driver does not know, and for the
 * interoperability tests through vpcd (docs/HARDWARE.md).
 *
 * The spec is a reader name as PC/SC lists it ("Virtual PCD 00 00"), or a
 * part of one that matches exactly one reader. present() asks pcscd for the
 * reader's state without waiting. connect() is a cold reset, like the sim
 * transport's: it resets the card so that no access status (a PIN verified
 * by another program sharing the reader) survives into our session. A card
 * removed or reset behind our back (SCARD_W_REMOVED_CARD, SCARD_W_RESET_CARD)
 * is ERR_CARD_ABSENT until connect() is called again; close() resets the
 * card too, so that our PIN status does not outlive us.
 */
#include <stdlib.h>
#include <string.h>

#include <winscard.h>

#include "card/card.h"
#include "lib/err.h"
#include "crypto/secmem.h"

#define CARD_PCSC_READERS_MAX 16384 /* the whole reader list, NUL-separated */

extern const struct card_ops card_pcsc_ops; /* registered in card.c */

struct card_pcsc {
	struct card base; /* first: struct card * converts to this */
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	int has_handle; /* h is valid (connected, maybe lost since) */
	int lost;       /* removed or reset since connect */
	DWORD proto;
	char reader[MAX_READERNAME];
};

static struct card_pcsc *card_pcsc_of(struct card *c)
{
	return (struct card_pcsc *)c;
}

static int card_pcsc_err(const char *what, LONG rv)
{
	err_detail("pcsc: %s: %s (0x%08lX)", what, pcsc_stringify_error(rv),
		   (unsigned long)rv);
	switch (rv) {
	case SCARD_W_REMOVED_CARD:
	case SCARD_W_RESET_CARD:
	case SCARD_E_NO_SMARTCARD:
	case SCARD_W_UNPOWERED_CARD:
	case SCARD_W_UNRESPONSIVE_CARD:
		return ERR_CARD_ABSENT;
	case SCARD_E_NO_MEMORY:
		return ERR_NOMEM;
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_NO_READERS_AVAILABLE:
		return ERR_NOTFOUND;
	default:
		return ERR_IO;
	}
}

/*
 * Picks the reader named spec, or the only one whose name contains spec.
 * list is pcscd's multi-string: names ended by NUL, then an empty name.
 */
static int card_pcsc_pick(const char *list, size_t len, const char *spec,
			  char *out, size_t cap)
{
	const char *p, *found = NULL;
	unsigned matches = 0;

	for (p = list; p < list + len && *p; p += strlen(p) + 1) {
		if (strcmp(p, spec) == 0) {
			found = p;
			matches = 1;
			break;
		}
		if (strstr(p, spec)) {
			found = p;
			matches++;
		}
	}
	if (matches == 0) {
		err_detail("pcsc: no reader named \"%s\"", spec);
		return ERR_NOTFOUND;
	}
	if (matches > 1) {
		err_detail("pcsc: \"%s\" names %u readers; give the whole name",
			   spec, matches);
		return ERR_USAGE;
	}
	if (strlen(found) >= cap) {
		err_detail("pcsc: reader name too long");
		return ERR_RANGE;
	}
	memcpy(out, found, strlen(found) + 1);
	return 0;
}

static int card_pcsc_find(struct card_pcsc *s, const char *spec)
{
	char *list = NULL;
	DWORD len = CARD_PCSC_READERS_MAX;
	LONG rv;
	int ret;

	list = calloc(1, CARD_PCSC_READERS_MAX + 2);
	if (!list)
		return ERR_NOMEM;
	rv = SCardListReaders(s->ctx, NULL, list, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		err_detail("pcsc: pcscd knows no reader");
		ret = ERR_NOTFOUND;
		goto out;
	}
	if (rv != SCARD_S_SUCCESS) {
		ret = card_pcsc_err("listing the readers", rv);
		goto out;
	}
	if (len > CARD_PCSC_READERS_MAX)
		len = CARD_PCSC_READERS_MAX;
	ret = card_pcsc_pick(list, len, spec, s->reader, sizeof(s->reader));
out:
	free(list);
	return ret;
}

static void card_pcsc_free(struct card_pcsc *s)
{
	if (s->has_handle)
		SCardDisconnect(s->h, SCARD_RESET_CARD);
	if (s->ctx)
		SCardReleaseContext(s->ctx);
	secmem_wipe(s, sizeof(*s));
	free(s);
}

static int card_pcsc_open(const char *spec, struct card **out)
{
	struct card_pcsc *s;
	LONG rv;
	int ret;

	*out = NULL;
	if (!spec || !*spec) {
		err_detail("pcsc: no reader name given");
		return ERR_USAGE;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	s->base.ops = &card_pcsc_ops;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &s->ctx);
	if (rv != SCARD_S_SUCCESS) {
		s->ctx = 0;
		ret = card_pcsc_err("cannot reach pcscd", rv);
		goto out;
	}
	ret = card_pcsc_find(s, spec);
	if (ret)
		goto out;
	/* pcscd builds reader names from the device's USB strings: filtered
	 * for the screen and the journal (the label is used in messages). */
	card_label_sanitize(s->base.label, sizeof(s->base.label), s->reader);
	*out = &s->base;
	s = NULL;
out:
	if (s)
		card_pcsc_free(s);
	return ret;
}

static void card_pcsc_lose(struct card_pcsc *s)
{
	if (s->has_handle)
		s->lost = 1;
}

static int card_pcsc_present(struct card *c)
{
	struct card_pcsc *s = card_pcsc_of(c);
	SCARD_READERSTATE rs;
	LONG rv;

	memset(&rs, 0, sizeof(rs));
	rs.szReader = s->reader;
	rs.dwCurrentState = SCARD_STATE_UNAWARE;
	rv = SCardGetStatusChange(s->ctx, 0, &rs, 1);
	if (rv == SCARD_E_UNKNOWN_READER) {
		/* The reader itself went away: no card in it. */
		card_pcsc_lose(s);
		return 0;
	}
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
		return card_pcsc_err(s->base.label, rv);
	if ((rs.dwEventState & SCARD_STATE_PRESENT) &&
	    !(rs.dwEventState & SCARD_STATE_MUTE))
		return 1;
	card_pcsc_lose(s);
	return 0;
}

/* Resets the card under our handle: a cold start of our session. */
static LONG card_pcsc_reset(struct card_pcsc *s)
{
	return SCardReconnect(s->h, SCARD_SHARE_SHARED,
			      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			      SCARD_RESET_CARD, &s->proto);
}

static int card_pcsc_connect(struct card *c)
{
	struct card_pcsc *s = card_pcsc_of(c);
	LONG rv;

	s->lost = 0;
	if (s->has_handle) {
		if (card_pcsc_reset(s) == SCARD_S_SUCCESS)
			return 0;
		/* The card was replaced or the reader reset: start afresh. */
		SCardDisconnect(s->h, SCARD_LEAVE_CARD);
		s->has_handle = 0;
	}
	rv = SCardConnect(s->ctx, s->reader, SCARD_SHARE_SHARED,
			  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &s->h,
			  &s->proto);
	if (rv != SCARD_S_SUCCESS)
		return card_pcsc_err(s->base.label, rv);
	s->has_handle = 1;
	rv = card_pcsc_reset(s);
	if (rv != SCARD_S_SUCCESS) {
		SCardDisconnect(s->h, SCARD_LEAVE_CARD);
		s->has_handle = 0;
		return card_pcsc_err(s->base.label, rv);
	}
	return 0;
}

static int card_pcsc_transmit(struct card *c, const uint8_t *capdu, size_t clen,
			      uint8_t *rapdu, size_t *rlen)
{
	struct card_pcsc *s = card_pcsc_of(c);
	const SCARD_IO_REQUEST *pci;
	DWORD n = (DWORD)*rlen;
	LONG rv;
	int ret;

	if (!s->has_handle) {
		err_detail("%s: not connected", s->base.label);
		return ERR_STATE;
	}
	if (s->lost) {
		err_detail("%s: card removed or reset since connect", s->base.label);
		return ERR_CARD_ABSENT;
	}
	pci = s->proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	rv = SCardTransmit(s->h, pci, capdu, (DWORD)clen, NULL, rapdu, &n);
	if (rv != SCARD_S_SUCCESS) {
		ret = card_pcsc_err(s->base.label, rv);
		if (ret == ERR_CARD_ABSENT)
			card_pcsc_lose(s);
		return ret;
	}
	if (n > *rlen) {
		err_detail("%s: response of %lu bytes, buffer of %zu", s->base.label,
			   (unsigned long)n, *rlen);
		return ERR_CARD_PROTO;
	}
	if (n < 2) {
		/* No status word: the card stopped answering mid-command (vpcd
		 * reports a pulled card so). Like a mute card, it is gone
		 * until connect(); the command may or may not have run. */
		err_detail("%s: no answer from the card (removed?)", s->reader);
		card_pcsc_lose(s);
		return ERR_CARD_ABSENT;
	}
	*rlen = n;
	return 0;
}

static void card_pcsc_close(struct card *c)
{
	card_pcsc_free(card_pcsc_of(c));
}

const struct card_ops card_pcsc_ops = {
	.name = "pcsc",
	.open = card_pcsc_open,
	.present = card_pcsc_present,
	.connect = card_pcsc_connect,
	.transmit = card_pcsc_transmit,
	.close = card_pcsc_close,
};
