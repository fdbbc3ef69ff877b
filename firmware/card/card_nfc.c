/*
 * The NFC engine, shared by the `nfc` (libnfc) and `nfc-sim` transports: one
 * reader, one ISO 14443-4 (ISO-DEP) card in its field, short APDUs.
 *
 * - open(spec): spec is a libnfc connstring ("pn532_uart:/dev/ttyUSB0",
 *   "pn53x_usb:001:004") or "" for the only reader libnfc finds (an error
 *   if it finds several: they must be named).
 * - present(): with a card selected, asks the reader whether that very
 *   target still answers (nfc_initiator_target_is_present). Otherwise polls:
 *   the field is switched off and on (a halted or active card does not
 *   answer a new request) and one non-blocking selection is tried. A
 *   contactless card has no switch that says "inserted": presence is
 *   whatever answers the radio now, so it is asked again each time.
 * - connect(): switches the field off and on, which powers every card in it
 *   down (a cold start, as the pcsc transport's reset: no PIN verified
 *   earlier survives), lists the targets (two cards in the field are
 *   refused: which one would the member's PIN go to?), refuses a target that
 *   does not speak ISO 14443-4, then selects the card and keeps its UID.
 * - transmit(): one APDU with a bounded timeout (CONFIG_CARD_NFC_TIMEOUT_MS).
 *   Nothing is ever sent twice: after a radio error or a timeout the command
 *   may or may not have run on the card (a VERIFY counted, a PUT DATA
 *   written), so the error is reported, never retried. If the card no
 *   longer answers, it is ERR_CARD_ABSENT; if it still does, ERR_IO. Either
 *   way the session is over: later APDUs are ERR_CARD_ABSENT until connect().
 * - close(): deselects the card and switches the field off, so that the
 *   card's session (a verified PIN) does not outlive ours.
 *
 * The UID identifies nothing. Many cards (contactless JavaCards, passports)
 * draw a random UID at each power-up, and a UID is easily cloned. It is
 * kept only to name the card in details and to notice a change; whether
 * the card is still "the same" is decided by the selection itself: once the
 * selected target stops answering, the session is lost for good, whatever
 * UID answers later, and the caller must connect() again (and, above, read
 * the card's identity and verify its PIN again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card/nfc_dev.h"
#include "lib/err.h"
#include "crypto/secmem.h"

enum card_nfc_link {
	CARD_NFC_IDLE, /* nothing selected */
	CARD_NFC_UP,   /* a card selected by connect() */
	CARD_NFC_LOST  /* the selected card left, or the session broke */
};

struct card_nfc {
	struct card base; /* first: struct card * converts to this */
	const struct card_nfc_dev *dev;
	nfc_context *ctx;
	nfc_device *pnd;
	enum card_nfc_link link;
	nfc_target target; /* the selected one, as the reader reported it */
	struct card_nfc_target info;
	char conn[NFC_BUFSIZE_CONNSTRING];
	char shown[NFC_BUFSIZE_CONNSTRING]; /* conn, filtered for messages */
};

static const nfc_modulation card_nfc_mod = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };

static struct card_nfc *card_nfc_of(struct card *c)
{
	return (struct card_nfc *)c;
}

static void card_nfc_uid_hex(const struct card_nfc_target *t, char *out, size_t cap)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < t->uid_len && 2 * i + 3 <= cap; i++)
		snprintf(out + 2 * i, cap - 2 * i, "%02X", t->uid[i]);
}

/* libnfc's own text for the reader's last error; the code maps the error. */
static int card_nfc_err(const struct card_nfc *s, const char *what, int r)
{
	const char *txt = s->pnd ? s->dev->strerror(s->pnd) : "";

	err_detail("nfc: %s: %s: %s (%d)", s->shown, what, txt ? txt : "", r);
	switch (r) {
	case NFC_ETGRELEASED:
		return ERR_CARD_ABSENT;
	case NFC_ENOTSUCHDEV:
		/* The reader went away (unplugged): no card can be reached, and
		 * the advice is the readers' and cards', not the files'. */
		err_detail("nfc: %s: %s: the NFC reader no longer answers (unplugged?)",
			   s->shown, what);
		return ERR_CARD_ABSENT;
	case NFC_EINVARG:
	case NFC_EDEVNOTSUPP:
	case NFC_ENOTIMPL:
		return ERR_INTERNAL;
	default:
		return ERR_IO;
	}
}

static void card_nfc_free(struct card_nfc *s)
{
	if (s->pnd) {
		if (s->link == CARD_NFC_UP)
			s->dev->initiator_deselect_target(s->pnd);
		/* Field off: the card powers down, its PIN status with it. */
		s->dev->device_set_property_bool(s->pnd, NP_ACTIVATE_FIELD, false);
		s->dev->close(s->pnd);
	}
	if (s->ctx)
		s->dev->exit(s->ctx);
	secmem_wipe(s, sizeof(*s));
	free(s);
}

/* The reader named by spec, or the only one there is. */
static int card_nfc_pick(struct card_nfc *s, const char *spec)
{
	nfc_connstring found[2];
	size_t n;

	if (*spec) {
		if (strlen(spec) >= sizeof(s->conn)) {
			err_detail("nfc: reader name too long");
			return ERR_RANGE;
		}
		memcpy(s->conn, spec, strlen(spec) + 1);
		card_label_sanitize(s->shown, sizeof(s->shown), s->conn);
		return 0;
	}
	memset(found, 0, sizeof(found));
	n = s->dev->list_devices(s->ctx, found, 2);
	if (n == 0) {
		err_detail("nfc: libnfc finds no NFC reader");
		return ERR_NOTFOUND;
	}
	found[0][sizeof(found[0]) - 1] = '\0';
	found[1][sizeof(found[1]) - 1] = '\0';
	if (n > 1) {
		char a[sizeof(found[0])], b[sizeof(found[1])];

		card_label_sanitize(a, sizeof(a), found[0]);
		card_label_sanitize(b, sizeof(b), found[1]);
		err_detail("nfc: several NFC readers (%s, %s, ...): name one", a, b);
		return ERR_USAGE;
	}
	memcpy(s->conn, found[0], strlen(found[0]) + 1);
	card_label_sanitize(s->shown, sizeof(s->shown), s->conn);
	return 0;
}

/*
 * Field off and on, then the settings this engine relies on: a selection
 * that gives up at once, ISO 14443-4 activation (RATS) by the reader, and
 * exchanges framed by the reader (ISO-DEP blocks, chaining, waiting time).
 */
static int card_nfc_field_reset(struct card_nfc *s)
{
	int r;

	r = s->dev->initiator_init(s->pnd);
	if (r >= 0)
		r = s->dev->device_set_property_bool(s->pnd, NP_INFINITE_SELECT, false);
	if (r >= 0)
		r = s->dev->device_set_property_bool(s->pnd, NP_AUTO_ISO14443_4, true);
	if (r >= 0)
		r = s->dev->device_set_property_bool(s->pnd, NP_EASY_FRAMING, true);
	return r < 0 ? card_nfc_err(s, "setting the reader up", r) : 0;
}

/* "NFC <reader name>", the name (from the device: filtered) shortened from
 * the left, at a character boundary, if need be. */
static void card_nfc_label(struct card_nfc *s)
{
	const char *name = s->dev->device_get_name(s->pnd);
	char clean[2 * CARD_LABEL_MAX];
	size_t n, room = sizeof(s->base.label) - sizeof("NFC ...");
	const char *tail = clean;

	if (!name || !*name)
		name = s->shown;
	card_label_sanitize(clean, sizeof(clean), name);
	n = strlen(clean);
	memcpy(s->base.label, "NFC ", 4);
	if (n > room) {
		tail = clean + n - room;
		while ((*tail & 0xC0) == 0x80)
			tail++;
		memcpy(s->base.label + 4, "...", 3);
		memcpy(s->base.label + 7, tail, strlen(tail) + 1);
	} else {
		memcpy(s->base.label + 4, clean, n + 1);
	}
}

int card_nfc_open_with(const struct card_nfc_dev *dev, const struct card_ops *ops,
		       const char *spec, struct card **out)
{
	struct card_nfc *s;
	int ret;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	s->base.ops = ops;
	s->dev = dev;
	dev->init(&s->ctx);
	if (!s->ctx) {
		err_detail("nfc: libnfc cannot start");
		ret = ERR_IO;
		goto out;
	}
	ret = card_nfc_pick(s, spec ? spec : "");
	if (ret)
		goto out;
	s->pnd = dev->open(s->ctx, s->conn);
	if (!s->pnd) {
		err_detail("nfc: cannot open the NFC reader %s", s->shown);
		ret = ERR_NOTFOUND;
		goto out;
	}
	ret = card_nfc_field_reset(s);
	if (ret)
		goto out;
	card_nfc_label(s);
	*out = &s->base;
	s = NULL;
out:
	if (s)
		card_nfc_free(s);
	return ret;
}

static void card_nfc_lose(struct card_nfc *s)
{
	if (s->link == CARD_NFC_UP)
		s->link = CARD_NFC_LOST;
}

/* One poll with no card selected: is anything in the field? */
static int card_nfc_poll(struct card_nfc *s)
{
	nfc_target t;
	int r, ret;

	ret = card_nfc_field_reset(s);
	if (ret)
		return ret;
	memset(&t, 0, sizeof(t));
	r = s->dev->initiator_select_passive_target(s->pnd, card_nfc_mod, NULL, 0, &t);
	if (r == 0 || r == NFC_ETIMEOUT || r == NFC_ERFTRANS)
		return 0;
	if (r < 0)
		return card_nfc_err(s, "polling", r);
	s->dev->initiator_deselect_target(s->pnd);
	return 1;
}

int card_nfc_present(struct card *c)
{
	struct card_nfc *s = card_nfc_of(c);
	int r;

	if (s->link != CARD_NFC_UP)
		return card_nfc_poll(s);
	r = s->dev->initiator_target_is_present(s->pnd, &s->target);
	if (r == NFC_SUCCESS)
		return 1;
	if (r == NFC_ETGRELEASED || r == NFC_ETIMEOUT || r == NFC_ERFTRANS ||
	    r == NFC_ENOTSUCHDEV) {
		card_nfc_lose(s);
		return 0;
	}
	return card_nfc_err(s, "asking for the card", r);
}

/* Exactly one target in the field, and it speaks ISO 14443-4. */
static int card_nfc_survey(struct card_nfc *s)
{
	nfc_target ant[2];
	struct card_nfc_target info;
	char uid[2 * CARD_NFC_UID_MAX + 1];
	int n, ret;

	memset(ant, 0, sizeof(ant));
	n = s->dev->initiator_list_passive_targets(s->pnd, card_nfc_mod, ant, 2);
	if (n < 0)
		return card_nfc_err(s, "looking for cards", n);
	if (n == 0) {
		err_detail("nfc: %s: no card in the field", s->shown);
		return ERR_CARD_ABSENT;
	}
	if (n > 1) {
		err_detail("nfc: %s: two cards or more in the field: leave only one",
			   s->shown);
		return ERR_CARD_PROTO;
	}
	ret = card_nfc_target_check(&ant[0], &info);
	if (ret)
		return ret;
	if (!info.iso_dep) {
		card_nfc_uid_hex(&info, uid, sizeof(uid));
		err_detail("nfc: %s: the target in the field (UID %s) does not speak "
			   "ISO 14443-4: a memory tag or a badge, not an OpenPGP card",
			   s->shown, uid);
		return ERR_CARD_PROTO;
	}
	return 0;
}

int card_nfc_connect(struct card *c)
{
	struct card_nfc *s = card_nfc_of(c);
	struct card_nfc_target info;
	int r, ret;

	if (s->link == CARD_NFC_UP)
		s->dev->initiator_deselect_target(s->pnd);
	/* Until this succeeds, an earlier session stays lost, not "never was". */
	if (s->link != CARD_NFC_IDLE)
		s->link = CARD_NFC_LOST;
	memset(&s->info, 0, sizeof(s->info));
	ret = card_nfc_field_reset(s);
	if (!ret)
		ret = card_nfc_survey(s);
	/* Listing halted the card: power it up again for a fresh session. */
	if (!ret)
		ret = card_nfc_field_reset(s);
	if (ret)
		return ret;
	memset(&s->target, 0, sizeof(s->target));
	r = s->dev->initiator_select_passive_target(s->pnd, card_nfc_mod, NULL, 0,
						    &s->target);
	if (r < 0)
		return card_nfc_err(s, "selecting the card", r);
	if (r == 0) {
		err_detail("nfc: %s: the card left the field while being selected",
			   s->shown);
		return ERR_CARD_ABSENT;
	}
	ret = card_nfc_target_check(&s->target, &info);
	if (!ret && !info.iso_dep) {
		err_detail("nfc: %s: another target answered the selection", s->shown);
		ret = ERR_CARD_ABSENT;
	}
	if (ret) {
		s->dev->initiator_deselect_target(s->pnd);
		return ret;
	}
	s->info = info;
	s->link = CARD_NFC_UP;
	return 0;
}

/* After a failed exchange: did the card leave, or did the radio fail? */
static int card_nfc_lost_exchange(struct card_nfc *s, int r)
{
	char uid[2 * CARD_NFC_UID_MAX + 1];
	int there = 0;

	card_nfc_uid_hex(&s->info, uid, sizeof(uid));
	if (r != NFC_ETGRELEASED && r != NFC_ENOTSUCHDEV)
		there = s->dev->initiator_target_is_present(s->pnd, &s->target) ==
			NFC_SUCCESS;
	s->link = CARD_NFC_LOST;
	if (!there) {
		err_detail("nfc: %s: the card (UID %s) left the field during an "
			   "exchange (libnfc %d)", s->shown, uid, r);
		return ERR_CARD_ABSENT;
	}
	err_detail("nfc: %s: %s during an exchange with the card (UID %s); the "
		   "command may have reached it and is not repeated: present the card again",
		   s->shown, r == NFC_ETIMEOUT ? "no answer in time" : "radio error", uid);
	return ERR_IO;
}

int card_nfc_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		      uint8_t *rapdu, size_t *rlen)
{
	struct card_nfc *s = card_nfc_of(c);
	int r;

	if (s->link != CARD_NFC_UP) {
		err_detail("nfc: %s: %s", s->shown, s->link == CARD_NFC_LOST ?
			   "the card left the field or its session broke since "
			   "connect" : "not connected");
		return s->link == CARD_NFC_LOST ? ERR_CARD_ABSENT : ERR_STATE;
	}
	r = s->dev->initiator_transceive_bytes(s->pnd, capdu, clen, rapdu, *rlen,
					       CONFIG_CARD_NFC_TIMEOUT_MS);
	if (r == NFC_ETGRELEASED || r == NFC_ERFTRANS || r == NFC_ETIMEOUT ||
	    r == NFC_ENOTSUCHDEV)
		return card_nfc_lost_exchange(s, r);
	if (r < 0) {
		s->link = CARD_NFC_LOST;
		return card_nfc_err(s, "exchanging an APDU", r);
	}
	if ((size_t)r > *rlen) {
		err_detail("nfc: %s: response of %d bytes, buffer of %zu", s->shown, r,
			   *rlen);
		s->link = CARD_NFC_LOST; /* the exchange's state is unknown: connect again */
		return ERR_CARD_PROTO;
	}
	*rlen = (size_t)r;
	return 0;
}

void card_nfc_close(struct card *c)
{
	card_nfc_free(card_nfc_of(c));
}
