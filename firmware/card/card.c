/* The transport registry and the thin card_* wrappers every caller uses. */
#include <string.h>

#include "card/card.h"
#include "core/err.h"
#ifdef CONFIG_CARD_SIM
#include "card/card_sim.h"
#endif
#ifdef CONFIG_CARD_PCSC
extern const struct card_ops card_pcsc_ops; /* card_pcsc.c */
#endif
#ifdef CONFIG_CARD_NFC
extern const struct card_ops card_nfc_ops; /* nfc_libnfc.c */
#endif
#ifdef CONFIG_CARD_NFC_SIM
extern const struct card_ops card_nfc_sim_ops; /* card_nfc_sim.c */
#endif
#ifdef CONFIG_CARD_CCID_ENGINE
#include "card/card_ccid.h"
#endif

static const struct card_ops *const card_transports[] = {
#ifdef CONFIG_CARD_SIM
	&card_sim_ops,
#endif
#ifdef CONFIG_CARD_PCSC
	&card_pcsc_ops,
#endif
#ifdef CONFIG_CARD_NFC
	&card_nfc_ops,
#endif
#ifdef CONFIG_CARD_NFC_SIM
	&card_nfc_sim_ops,
#endif
#ifdef CONFIG_CARD_CCID
	&card_ccid_ops,
#endif
#ifdef CONFIG_CARD_CCID_SIM
	&card_ccid_sim_ops,
#endif
	NULL
};

const struct card_ops *card_transport(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; card_transports[i]; i++)
		if (strcmp(card_transports[i]->name, name) == 0)
			return card_transports[i];
	return NULL;
}

const struct card_ops *card_default_transport(void)
{
#ifdef CONFIG_CARD_DEFAULT_TRANSPORT
	return card_transport(CONFIG_CARD_DEFAULT_TRANSPORT);
#else
	return NULL;
#endif
}

int card_open(const struct card_ops *ops, const char *spec, struct card **out)
{
	if (!out)
		return ERR_INTERNAL;
	*out = NULL;
	if (!ops) {
		err_detail("no card transport");
		return ERR_NOTFOUND;
	}
	return ops->open(spec, out);
}

int card_present(struct card *c)
{
	return c ? c->ops->present(c) : ERR_INTERNAL;
}

int card_connect(struct card *c)
{
	return c ? c->ops->connect(c) : ERR_INTERNAL;
}

int card_transmit(struct card *c, const uint8_t *capdu, size_t clen,
		  uint8_t *rapdu, size_t *rlen)
{
	size_t cap;
	int ret;

	if (!c || !capdu || !rapdu || !rlen)
		return ERR_INTERNAL;
	if (clen < 4 || clen > CARD_APDU_MAX) {
		err_detail("command APDU of %zu bytes", clen);
		return ERR_RANGE;
	}
	cap = *rlen;
	ret = c->ops->transmit(c, capdu, clen, rapdu, rlen);
	/* Whatever the backend, the caller may rely on SW1 SW2 being there. */
	if (!ret && (*rlen < 2 || *rlen > cap || *rlen > CARD_RAPDU_MAX)) {
		err_detail("response APDU of %zu bytes", *rlen);
		ret = ERR_CARD_PROTO;
	}
	return ret;
}

void card_close(struct card *c)
{
	if (c)
		c->ops->close(c);
}
