/* The transport registry and the thin card_* wrappers every caller uses. */
#include <stdint.h>
#include <string.h>

#include "card/card.h"
#include "lib/err.h"
#include "lib/registry.h"
#ifdef CONFIG_CARD_SIM
extern const struct card_ops card_sim_ops; /* sim/card_sim.c */
#endif
#ifdef CONFIG_CARD_PCSC
extern const struct card_ops card_pcsc_ops; /* card_pcsc.c */
#endif
#ifdef CONFIG_CARD_NFC
extern const struct card_ops card_nfc_ops; /* nfc_libnfc.c */
#endif
#ifdef CONFIG_CARD_NFC_SIM
extern const struct card_ops card_nfc_sim_ops; /* sim/nfc_sim.c */
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
	return registry_find((const void *const *)card_transports, name);
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

/* Length of the well-formed UTF-8 character at s (1 to 4), or 0. */
static size_t card_utf8_len(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 :
		   s[0] >= 0xE0 && s[0] < 0xF0 ? 3 : s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };

	*cp = n == 1 ? s[0] : s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3F);
	}
	if (n == 0 || *cp < min[n] || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp < 0xE000))
		return 0;
	return n;
}

/* Characters that could act on a terminal or reorder the text shown. */
static int card_char_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
}

void card_label_sanitize(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t k = 0, n;
	uint32_t cp;

	if (!cap)
		return;
	while (*s) {
		n = card_utf8_len(s, &cp);
		if (n == 0 || card_char_unsafe(cp)) {
			n = n ? n : 1;
			if (k + 2 > cap)
				break;
			dst[k++] = '?';
		} else {
			if (k + n + 1 > cap)
				break;
			memcpy(dst + k, s, n);
			k += n;
		}
		s += n;
	}
	dst[k] = '\0';
}
