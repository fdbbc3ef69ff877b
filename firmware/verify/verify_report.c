/* The report's notes and outcomes; see verify.h and verify_int.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "verify/verify_int.h"

struct vmsg_row {
	const char *text[2];
};

#define VMSG(id, fr, en) [id] = { { fr, en } },
static const struct vmsg_row vmsg_rows[VMSG__COUNT] = {
#include "verify/verify_msg_table.h"
};
#undef VMSG

static const struct {
	const char *name;
	const char *title[2];
} vcheck_rows[VERIFY_CHECK_COUNT] = {
	[VERIFY_ARCHIVE] = { "archive", { "Archive : fichiers présents et lisibles",
					  "Archive: files present and readable" } },
	[VERIFY_RECORD] = { "record", { "Registre public de l'élection (engagements des parts recalculés)",
					"Public election record (share commitments recomputed)" } },
	[VERIFY_ELECTION] = { "election", { "Définition de l'élection (identifiant = SHA-256 du fichier)",
					    "Election definition (identifier = SHA-256 of the file)" } },
	[VERIFY_URN_SEAL] = { "urn.seal", { "Sceau de l'urne : signature de la plateforme, élection, registre",
					    "Urn seal: platform signature, election, record" } },
	[VERIFY_URN_BALLOTS] = { "urn.ballots", { "Bulletins de l'urne : taille, empreinte, nombres, ordre, unicité, points",
						  "Urn ballots: size, hash, counts, order, uniqueness, points" } },
	[VERIFY_EMARG_SEAL] = { "emargement.seal", { "Sceau de la liste d'émargement : signature de la plateforme, élection, registre",
						     "Émargement seal: platform signature, election, record" } },
	[VERIFY_EMARG_ENTRIES] = { "emargement.entries", { "Émargements : taille, empreinte, nombres, ordre, unicité",
							   "Émargement entries: size, hash, counts, order, uniqueness" } },
	[VERIFY_IRREGULARITIES] = { "irregularities", { "Bulletins et émargements par scrutin (irrégularités portées aux résultats)",
							"Ballots against émargements per scrutin (irregularities in the results)" } },
	[VERIFY_DEC_FILE] = { "decrypted.file", { "Fichier des bulletins déchiffrés : un pour un avec l'urne",
						  "Decrypted-ballots file: one for one with the urn" } },
	[VERIFY_DEC_PROOFS] = { "decrypted.proofs", { "Preuves de déchiffrement et réouverture de chaque bulletin",
						      "Decryption proofs and re-opening of each ballot" } },
	[VERIFY_COUNT] = { "count", { "Nouveau décompte et sièges, comparés à results.json",
				      "Recount and seats, compared with results.json" } },
	[VERIFY_SIG_RESULTS] = { "signatures.results", { "Signatures des cartes du bureau sur les résultats",
							 "Bureau cards' signatures over the results" } },
	[VERIFY_JOURNAL] = { "journal", { "Journal d'activité : chaîne d'empreintes",
					  "Activity journal: hash chain" } },
	[VERIFY_MANIFEST] = { "manifest", { "Manifeste final : chaque fichier, sa taille, son empreinte",
					    "Final manifest: every file, its size, its hash" } },
	[VERIFY_SIG_MANIFEST] = { "signatures.manifest", { "Signatures des cartes du bureau sur le manifeste final",
							   "Bureau cards' signatures over the final manifest" } },
	[VERIFY_PV_QR] = { "pv.qr", { "QR codes du procès-verbal imprimé",
				      "QR codes of the printed PV" } },
};

const char *verify_check_name(enum verify_check_id id)
{
	return (unsigned)id < VERIFY_CHECK_COUNT ? vcheck_rows[id].name : NULL;
}

const char *verify_check_title(enum verify_check_id id, enum lang l)
{
	return (unsigned)id < VERIFY_CHECK_COUNT ? vcheck_rows[id].title[l == LANG_EN] : "?";
}

const char *verify_status_name(enum verify_status s)
{
	static const char *const names[] = { "not-run", "pass", "fail", "warn", "skip" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t vutf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
		   : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((len == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (len == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (len == 4 && s[0] == 0xf0 && s[1] < 0x90) || (len == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return len;
}

/* Notes go into JSON and onto terminals: valid UTF-8 without control
 * characters (a truncated sequence or a byte from a damaged file becomes
 * '?'). */
void vsanitize(char *t)
{
	unsigned char *s = (unsigned char *)t;
	size_t n = strlen(t);

	for (size_t i = 0; i < n;) {
		size_t l = vutf8_len(s + i, n - i);
		if (l == 0 || (l == 1 && (s[i] < 0x20 || s[i] == 0x7f))) {
			s[i++] = '?';
			continue;
		}
		i += l;
	}
}

static void vnote_add(struct vctx *c, enum verify_check_id id, int fail, enum vmsg m,
		      va_list ap)
{
	struct verify_check *k = &c->r->checks[id];
	struct verify_note *n;

	if (k->n_notes == VERIFY_NOTES_MAX) {
		k->n_dropped++;
		return;
	}
	n = &k->notes[k->n_notes++];
	n->fail = fail;
	for (int l = 0; l < 2; l++) {
		va_list aq;
		va_copy(aq, ap);
		vsnprintf(n->text[l], sizeof(n->text[l]), vmsg_rows[m].text[l], aq);
		va_end(aq);
		vsanitize(n->text[l]);
	}
}

void vnote(struct vctx *c, enum verify_check_id id, int fail, enum vmsg m, ...)
{
	va_list ap;

	va_start(ap, m);
	vnote_add(c, id, fail, m, ap);
	va_end(ap);
	if (fail)
		c->r->checks[id].status = VERIFY_FAIL;
}

void vwarn(struct vctx *c, enum verify_check_id id, enum vmsg m, ...)
{
	struct verify_check *k = &c->r->checks[id];
	va_list ap;

	va_start(ap, m);
	vnote_add(c, id, 0, m, ap);
	va_end(ap);
	if (k->status != VERIFY_FAIL)
		k->status = VERIFY_WARN;
}

void vskip(struct vctx *c, enum verify_check_id id, enum vmsg m, ...)
{
	struct verify_check *k = &c->r->checks[id];
	va_list ap;

	va_start(ap, m);
	vnote_add(c, id, 0, m, ap);
	va_end(ap);
	if (k->status == VERIFY_NOT_RUN)
		k->status = VERIFY_SKIP;
}

void vdone(struct vctx *c, enum verify_check_id id)
{
	if (c->r->checks[id].status == VERIFY_NOT_RUN)
		c->r->checks[id].status = VERIFY_PASS;
}

int vfailed(const struct vctx *c, enum verify_check_id id)
{
	return c->r->checks[id].status == VERIFY_FAIL;
}

const char *vdetail(void)
{
	const char *d = err_last_detail();

	return d && *d ? d : "-";
}

unsigned verify_report_failures(const struct verify_report *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < VERIFY_CHECK_COUNT; i++)
		n += r->checks[i].status == VERIFY_FAIL;
	return n;
}

int verify_report_ok(const struct verify_report *r)
{
	return verify_report_failures(r) == 0;
}

void verify_report_free(struct verify_report *r)
{
	if (!r)
		return;
	free(r->recount);
	free(r);
}
