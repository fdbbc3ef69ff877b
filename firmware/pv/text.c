/* The PV's own bilingual table (pv/text_table.h), in the bureau's language. */
#include "pv/pv_int.h"
#include "ui/msg.h"

#define PV_TXT(id, fr, en) [id] = { fr, en },
static const char *const pv_texts[PV_T__COUNT][2] = {
#include "pv/text_table.h"
};
#undef PV_TXT

int pv_lang_en(void)
{
	return msg_lang() == LANG_EN;
}

const char *pv_t(enum pv_txt id)
{
	if ((unsigned)id >= PV_T__COUNT)
		return "?";
	return pv_texts[id][pv_lang_en()];
}

const char *pv_t_lang(enum pv_txt id, int en)
{
	if ((unsigned)id >= PV_T__COUNT)
		return "?";
	return pv_texts[id][en ? 1 : 0];
}
