/* The report's notes and outcomes; see verify.h and verify_int.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "verify/verify_int.h"

#define VMSG(id, fr) [id] = fr,
static const char *const vmsg_rows[VMSG__COUNT] = {
#include "verify/verify_msg_table.h"
};
#undef VMSG

static const struct {
	const char *name;
	enum vmsg title;
} vcheck_rows[VERIFY_CHECK_COUNT] = {
	[VERIFY_ARCHIVE] = { "archive", VM_T_ARCHIVE },
	[VERIFY_RECORD] = { "record", VM_T_RECORD },
	[VERIFY_ELECTION] = { "election", VM_T_ELECTION },
	[VERIFY_URN_SEAL] = { "urn.seal", VM_T_URN_SEAL },
	[VERIFY_URN_BALLOTS] = { "urn.ballots", VM_T_URN_BALLOTS },
	[VERIFY_EMARG_SEAL] = { "emargement.seal", VM_T_EMARG_SEAL },
	[VERIFY_EMARG_ENTRIES] = { "emargement.entries", VM_T_EMARG_ENTRIES },
	[VERIFY_IRREGULARITIES] = { "irregularities", VM_T_IRREGULARITIES },
	[VERIFY_SHUFFLE] = { "shuffle", VM_T_SHUFFLE },
	[VERIFY_DEC_FILE] = { "decrypted.file", VM_T_DEC_FILE },
	[VERIFY_DEC_PROOFS] = { "decrypted.proofs", VM_T_DEC_PROOFS },
	[VERIFY_COUNT] = { "count", VM_T_COUNT },
	[VERIFY_SIG_RESULTS] = { "signatures.results", VM_T_SIG_RESULTS },
	[VERIFY_JOURNAL] = { "journal", VM_T_JOURNAL },
	[VERIFY_DATABASE] = { "database", VM_T_DATABASE },
	[VERIFY_MANIFEST] = { "manifest", VM_T_MANIFEST },
	[VERIFY_SIG_MANIFEST] = { "signatures.manifest", VM_T_SIG_MANIFEST },
	[VERIFY_PV_QR] = { "pv.qr", VM_T_PV_QR },
};

const char *vmsg_text(enum vmsg m, enum lang l)
{
	return (unsigned)m < VMSG__COUNT ? i18n_text(vmsg_rows[m], l) : "?";
}

const char *verify_check_name(enum verify_check_id id)
{
	return (unsigned)id < VERIFY_CHECK_COUNT ? vcheck_rows[id].name : NULL;
}

const char *verify_check_title(enum verify_check_id id, enum lang l)
{
	return (unsigned)id < VERIFY_CHECK_COUNT ? vmsg_text(vcheck_rows[id].title, l) : "?";
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
	for (int l = LANG_FR; l <= LANG_EN; l++) {
		va_list aq;
		va_copy(aq, ap);
		vsnprintf(n->text[l], sizeof(n->text[l]), vmsg_text(m, (enum lang)l), aq);
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
