/*
 * The working directory convention (docs/CONSOLE.md): every file of one
 * election under one directory, so that bureau members never type a path.
 *   input/election.json, input/bureau.json, input/platform-key.json
 *   ceremony/      the key ceremony's output (record.json, its report)
 *   media/urn.iso, media/emargement.iso   (or --urn/--emargement devices)
 *   session/       the counting session (session.db, results, PVs, archive)
 *   slots/1..m     the card readers of a simulation (or --slot READER; a
 *                  box with numbered readers reads card i in reader @i)
 */
#include <stdio.h>
#include <sys/stat.h>

#include "lib/err.h"
#include "console/con_priv.h"

int con_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int con_join(char *out, const char *dir, const char *name)
{
	int r = snprintf(out, CON_PATH, "%s/%s", dir, name);

	if (r < 0 || r >= CON_PATH) {
		err_detail("%s/%s: path too long", dir, name);
		return ERR_RANGE;
	}
	return 0;
}

static int con_slots(struct con *c)
{
	struct con_paths *p = &c->paths;
	char name[32];
	int ret = 0;

	if (c->o->n_slots) {
		for (unsigned i = 0; i < c->o->n_slots; i++)
			p->slots[i] = c->o->slots[i];
		p->n_slots = c->o->n_slots;
		return 0;
	}
	for (unsigned i = 0; !ret && i < c->o->m; i++) {
#ifdef CONFIG_UI_CONSOLE_NUMBERED_READERS
		snprintf(p->slot_buf[i], CON_PATH, "@%u", i + 1); /* the box's readers */
		(void)name;
#else
		snprintf(name, sizeof(name), "slots/%u", i + 1);
		ret = con_join(p->slot_buf[i], c->o->dir, name);
#endif
		p->slots[i] = p->slot_buf[i];
	}
	p->n_slots = c->o->m;
	return ret;
}

int con_paths_init(struct con *c)
{
	struct con_paths *p = &c->paths;
	const char *d = c->o->dir;
	int ret = con_join(p->definition, d, "input/election.json");

	if (!ret)
		ret = con_join(p->bureau, d, "input/bureau.json");
	if (!ret)
		ret = con_join(p->platform_key, d, "input/platform-key.json");
	if (!ret)
		ret = con_join(p->ceremony, d, "ceremony");
	if (!ret)
		ret = con_join(p->record, d, "ceremony/record.json");
	if (!ret)
		ret = con_join(p->cer_definition, d, "ceremony/election.json");
	if (!ret)
		ret = con_join(p->urn, d, "media/urn.iso");
	if (!ret)
		ret = con_join(p->emargement, d, "media/emargement.iso");
	if (!ret)
		ret = con_join(p->session, d, "session");
	if (!ret)
		ret = con_join(p->archive, d, "session/archive");
	if (!ret)
		ret = con_join(p->results, d, "session/results.json");
	if (!ret)
		ret = con_slots(c);
	return ret;
}

void con_status(const struct con *c, char *buf, size_t n)
{
	char db[CON_PATH + 16], iso[CON_PATH + 16];
	const char *yes = msg(MSG_YES), *no = msg(MSG_CON_NO);

	snprintf(db, sizeof(db), "%s/session.db", c->paths.session);
	snprintf(iso, sizeof(iso), "%s.iso", c->paths.archive);
	snprintf(buf, n, msg(MSG_CON_STATUS), con_exists(c->paths.record) ? yes : no,
		 con_exists(db) ? yes : no, con_exists(c->paths.results) ? yes : no,
		 con_exists(iso) ? yes : no);
}
