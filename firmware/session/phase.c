/* The phase machine's two tables; see phase.h. */
#include <string.h>

#include "lib/err.h"
#include "session/phase.h"

static const char *const phase_names[PHASE__COUNT] = {
	[PHASE_NONE] = "?",
	[PHASE_CEREMONY] = "ceremony",
	[PHASE_CEREMONY_DONE] = "ceremony-complete",
	[PHASE_RECORD_LOADED] = "record-loaded",
	[PHASE_URN_IMPORTED] = "urn-imported",
	[PHASE_SHUFFLED] = "shuffled",
	[PHASE_DECRYPTING] = "decrypting",
	[PHASE_DECRYPTED] = "decrypted",
	[PHASE_COUNTED] = "counted",
	[PHASE_SEALING] = "sealing",
	[PHASE_SEALED] = "sealed",
};

/* Every transition a session may make; nothing goes back. */
static const struct {
	enum phase from, to;
} phase_edges[] = {
	{ PHASE_NONE, PHASE_CEREMONY },
	{ PHASE_CEREMONY, PHASE_CEREMONY_DONE },
	{ PHASE_NONE, PHASE_RECORD_LOADED },
	{ PHASE_RECORD_LOADED, PHASE_URN_IMPORTED },
	{ PHASE_URN_IMPORTED, PHASE_SHUFFLED },
	{ PHASE_SHUFFLED, PHASE_DECRYPTING },
	{ PHASE_DECRYPTING, PHASE_DECRYPTED },
	{ PHASE_DECRYPTED, PHASE_COUNTED },
	{ PHASE_COUNTED, PHASE_SEALING },
	{ PHASE_SEALING, PHASE_SEALED },
};

/* What each command accepts. The import finishes an import cut off during
 * the shuffle (urn-imported: every shuffle made again, from scratch). The
 * count resumes a decryption or, once every
 * ballot is decrypted, goes straight to the results (no card needed); the
 * seal resumes an unfinished seal (and, once sealed, finishes an archive
 * left incomplete, refusing a complete one); the recount only reads. */
static const struct {
	const char *name;
	unsigned accepts;
} phase_cmds[PHASE_CMD__COUNT] = {
	[PHASE_CMD_CEREMONY] = { "ceremony", PHASE_BIT(PHASE_NONE) },
	[PHASE_CMD_IMPORT] = { "import", PHASE_BIT(PHASE_NONE) | PHASE_BIT(PHASE_RECORD_LOADED) |
					 PHASE_BIT(PHASE_URN_IMPORTED) },
	[PHASE_CMD_COUNT] = { "count", PHASE_BIT(PHASE_SHUFFLED) |
				       PHASE_BIT(PHASE_DECRYPTING) | PHASE_BIT(PHASE_DECRYPTED) },
	[PHASE_CMD_PV] = { "pv", PHASE_BIT(PHASE_COUNTED) },
	[PHASE_CMD_SEAL] = { "seal", PHASE_BIT(PHASE_COUNTED) | PHASE_BIT(PHASE_SEALING) |
				     PHASE_BIT(PHASE_SEALED) },
	[PHASE_CMD_RECOUNT] = { "recount", PHASE_BIT(PHASE_COUNTED) | PHASE_BIT(PHASE_SEALING) |
					   PHASE_BIT(PHASE_SEALED) },
};

const char *phase_name(enum phase p)
{
	return (unsigned)p < PHASE__COUNT ? phase_names[p] : "?";
}

int phase_parse(const char *s, enum phase *out)
{
	for (unsigned p = PHASE_NONE + 1; p < PHASE__COUNT; p++)
		if (strcmp(s, phase_names[p]) == 0) {
			*out = (enum phase)p;
			return 0;
		}
	err_detail("unknown session phase '%.40s'", s);
	return ERR_FORMAT;
}

int phase_next_ok(enum phase from, enum phase to)
{
	for (size_t i = 0; i < sizeof(phase_edges) / sizeof(phase_edges[0]); i++)
		if (phase_edges[i].from == from && phase_edges[i].to == to)
			return 1;
	return 0;
}

unsigned phase_cmd_accepts(enum phase_cmd cmd)
{
	return (unsigned)cmd < PHASE_CMD__COUNT ? phase_cmds[cmd].accepts : 0;
}

const char *phase_cmd_name(enum phase_cmd cmd)
{
	return (unsigned)cmd < PHASE_CMD__COUNT ? phase_cmds[cmd].name : "?";
}
