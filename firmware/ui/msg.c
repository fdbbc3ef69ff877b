/* The bureau's message table; see msg.h. */
#include <stddef.h>
#include <string.h>

#include "card/card.h"
#include "crypto/selftest.h"
#include "lib/err.h"
#include "media/media.h"
#include "print/print.h"
#include "store/store.h"
#include "ui/msg.h"

#define MSG_ID(id, fr) [id] = fr,
static const char *const msg_rows[MSG__COUNT] = {
#include "ui/msg_table.h"
};
#undef MSG_ID

const char *msg_id_text(enum msg_id id)
{
	return (unsigned)id < MSG__COUNT ? msg_rows[id] : "?";
}

const char *msg(enum msg_id id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "?";
	return i18n_text(msg_rows[id], i18n_lang());
}

/* The generic codes and those of the modules below ui. ERR_AIRGAP belongs
 * to session/, above ui: boot_err_text() (session/boot.h) words it. */
static const struct {
	int err;
	enum msg_id id;
} msg_err_rows[] = {
	{ ERR_NOMEM, MSG_E_NOMEM },
	{ ERR_IO, MSG_E_IO },
	{ ERR_FORMAT, MSG_E_FORMAT },
	{ ERR_RANGE, MSG_E_RANGE },
	{ ERR_CRYPTO, MSG_E_CRYPTO },
	{ ERR_VERIFY, MSG_E_VERIFY },
	{ ERR_STATE, MSG_E_STATE },
	{ ERR_CANCELLED, MSG_E_CANCELLED },
	{ ERR_USAGE, MSG_E_USAGE },
	{ ERR_EXISTS, MSG_E_EXISTS },
	{ ERR_NOTFOUND, MSG_E_NOTFOUND },
	{ ERR_INTERNAL, MSG_E_INTERNAL },
	{ ERR_CARD_ABSENT, MSG_E_CARD_ABSENT },
	{ ERR_CARD_PROTO, MSG_E_CARD_PROTO },
	{ ERR_PIN_WRONG, MSG_E_PIN_WRONG },
	{ ERR_PIN_BLOCKED, MSG_E_PIN_BLOCKED },
	{ ERR_CARD_DENIED, MSG_E_CARD_DENIED },
	{ ERR_CARD_NODATA, MSG_E_CARD_NODATA },
	{ ERR_CARD_FOREIGN, MSG_E_CARD_FOREIGN },
	{ ERR_CARD_USED, MSG_E_CARD_USED },
	{ ERR_CARD_DUP, MSG_E_CARD_DUP },
	{ ERR_SELFTEST, MSG_E_SELFTEST },
	{ ERR_MEDIA_WRITABLE, MSG_E_MEDIA_WRITABLE },
	{ ERR_MEDIA_LAYOUT, MSG_E_MEDIA_LAYOUT },
	{ ERR_MEDIA_TREES, MSG_E_MEDIA_TREES },
	{ ERR_PRINTER_NOPAPER, MSG_E_PRINTER_NOPAPER },
	{ ERR_PRINTER_OFFLINE, MSG_E_PRINTER_OFFLINE },
	{ ERR_PRINTER_ABSENT, MSG_E_PRINTER_ABSENT },
	{ ERR_PRINTER_TIMEOUT, MSG_E_PRINTER_TIMEOUT },
	{ ERR_PRINTER_LANG, MSG_E_PRINTER_LANG },
	{ ERR_SCHEMA, MSG_E_SCHEMA },
	{ ERR_BUSY, MSG_E_BUSY },
	{ ERR_FILETYPE, MSG_E_FILETYPE },
	{ ERR_NOSPACE, MSG_E_NOSPACE },
	{ ERR_READONLY, MSG_E_READONLY },
};

/* The English formats err_detail() is called with, and their rows. */
static const struct {
	const char *en;
	enum msg_id id;
} msg_detail_rows[] = {
#define MSG_DETAIL(id, en) { en, id },
#include "ui/msg_detail.h"
#undef MSG_DETAIL
};

const char *msg_detail(const char *fmt)
{
	for (size_t i = 0; i < sizeof(msg_detail_rows) / sizeof(msg_detail_rows[0]); i++)
		if (strcmp(fmt, msg_detail_rows[i].en) == 0)
			return msg(msg_detail_rows[i].id);
	return NULL;
}

void msg_details_install(void)
{
	err_set_translator(msg_detail);
}

unsigned msg_detail_count(void)
{
	return sizeof(msg_detail_rows) / sizeof(msg_detail_rows[0]);
}

const char *msg_detail_row(unsigned i, enum msg_id *id)
{
	if (i >= msg_detail_count())
		return NULL;
	*id = msg_detail_rows[i].id;
	return msg_detail_rows[i].en;
}

const char *msg_err(int err)
{
	for (size_t i = 0; i < sizeof(msg_err_rows) / sizeof(msg_err_rows[0]); i++)
		if (msg_err_rows[i].err == err)
			return msg(msg_err_rows[i].id);
	return msg(MSG_E_INTERNAL);
}
