/* The message table in both languages; see msg.h. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "ui/msg.h"

struct msg_row {
	const char *text[2];
};

#define MSG_ID(id, fr, en) [id] = { { fr, en } },
static const struct msg_row msg_rows[MSG__COUNT] = {
#include "ui/msg_table.h"
};
#undef MSG_ID

static enum lang msg_current = LANG_FR;

void msg_set_lang(enum lang l)
{
	msg_current = l;
}

enum lang msg_lang(void)
{
	return msg_current;
}

void msg_lang_from_env(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			msg_current = strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_FR;
			return;
		}
	}
}

int msg_lang_parse(const char *s)
{
	if (strcmp(s, "fr") == 0)
		msg_current = LANG_FR;
	else if (strcmp(s, "en") == 0)
		msg_current = LANG_EN;
	else
		return ERR_USAGE;
	return 0;
}

const char *msg(enum msg_id id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "?";
	return msg_rows[id].text[msg_current];
}

const char *msg_err(int err)
{
	static const enum msg_id ids[] = {
		[-ERR_NOMEM] = MSG_E_NOMEM, [-ERR_IO] = MSG_E_IO,
		[-ERR_FORMAT] = MSG_E_FORMAT, [-ERR_RANGE] = MSG_E_RANGE,
		[-ERR_CRYPTO] = MSG_E_CRYPTO, [-ERR_VERIFY] = MSG_E_VERIFY,
		[-ERR_STATE] = MSG_E_STATE, [-ERR_CARD_ABSENT] = MSG_E_CARD_ABSENT,
		[-ERR_CARD_PROTO] = MSG_E_CARD_PROTO, [-ERR_PIN_WRONG] = MSG_E_PIN_WRONG,
		[-ERR_PIN_BLOCKED] = MSG_E_PIN_BLOCKED, [-ERR_CARD_DENIED] = MSG_E_CARD_DENIED,
		[-ERR_CARD_NODATA] = MSG_E_CARD_NODATA, [-ERR_CARD_FOREIGN] = MSG_E_CARD_FOREIGN,
		[-ERR_CARD_USED] = MSG_E_CARD_USED, [-ERR_CARD_DUP] = MSG_E_CARD_DUP,
		[-ERR_AIRGAP] = MSG_E_AIRGAP, [-ERR_SELFTEST] = MSG_E_SELFTEST,
		[-ERR_CANCELLED] = MSG_E_CANCELLED, [-ERR_USAGE] = MSG_E_USAGE,
		[-ERR_EXISTS] = MSG_E_EXISTS, [-ERR_NOTFOUND] = MSG_E_NOTFOUND,
		[-ERR_INTERNAL] = MSG_E_INTERNAL, [-ERR_MEDIA_WRITABLE] = MSG_E_MEDIA_WRITABLE,
		[-ERR_PRINTER_NOPAPER] = MSG_E_PRINTER_NOPAPER,
		[-ERR_PRINTER_OFFLINE] = MSG_E_PRINTER_OFFLINE,
		[-ERR_PRINTER_ABSENT] = MSG_E_PRINTER_ABSENT,
		[-ERR_PRINTER_TIMEOUT] = MSG_E_PRINTER_TIMEOUT,
		[-ERR_PRINTER_LANG] = MSG_E_PRINTER_LANG,
	};

	if (err >= 0 || (size_t)-err >= sizeof(ids) / sizeof(ids[0]))
		return msg(MSG_E_INTERNAL);
	return msg(ids[-err]);
}
