/* The PV's texts (pv/text_table.h), in the bureau's language or a given one. */
#include "lib/i18n.h"
#include "pv/pv_int.h"

#define PV_TXT(id, fr) [id] = fr,
static const char *const pv_texts[PV_T__COUNT] = {
#include "pv/text_table.h"
};
#undef PV_TXT

int pv_lang_en(void)
{
	return i18n_lang() == LANG_EN;
}

const char *pv_t(enum pv_txt id)
{
	return pv_t_lang(id, pv_lang_en());
}

const char *pv_t_lang(enum pv_txt id, int en)
{
	if ((unsigned)id >= PV_T__COUNT)
		return "?";
	return i18n_text(pv_texts[id], en ? LANG_EN : LANG_FR);
}
