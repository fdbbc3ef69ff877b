/*
 * The two renderings of a report: readable text (French or English) and
 * JSON ("sceau-verify-report/2", docs/VERIFY.md). Written to memory; the
 * caller prints or saves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/err.h"
#include "verify/verify.h"
#include "verify/verify_msg.h"

static const char *vt_status(enum verify_status s, enum lang l)
{
	switch (s) {
	case VERIFY_PASS:
		return "[ OK ] ";
	case VERIFY_FAIL:
		return vmsg_text(VM_R_FAIL, l);
	case VERIFY_WARN:
		return vmsg_text(VM_R_WARN, l);
	default:
		return vmsg_text(VM_R_SKIP, l);
	}
}

static void vt_head(FILE *f, const struct verify_report *r, enum lang l)
{
	fprintf(f, "%s\n", vmsg_text(VM_R_TITLE, l));
	fprintf(f, "  %s %s (%s)\n", vmsg_text(VM_R_ARCHIVE, l), r->archive,
		vmsg_text(r->sealed ? VM_R_SEALED : VM_R_UNSEALED, l));
	if (r->election_title[0])
		fprintf(f, "  %s %s\n", vmsg_text(VM_R_ELECTION, l), r->election_title);
	if (r->election_id[0])
		fprintf(f, "  %s %s\n", vmsg_text(VM_R_IDENTIFIER, l), r->election_id);
	if (r->crypto[0])
		fprintf(f, "  %s %s\n", vmsg_text(VM_R_CRYPTO, l), r->crypto);
	fprintf(f, "\n");
}

static enum vmsg vt_shuffle(enum verify_shuffle_state s)
{
	switch (s) {
	case VERIFY_SHUFFLE_PASS:
		return VM_R_SHUF_PASS;
	case VERIFY_SHUFFLE_FAIL:
		return VM_R_SHUF_FAIL;
	case VERIFY_SHUFFLE_NONE:
		return VM_R_SHUF_NONE;
	default:
		return VM_R_SHUF_NOT;
	}
}

/* One line per scrutin: what the urn, the shuffle and the decryptions gave. */
static void vt_scrutins(FILE *f, const struct verify_report *r, enum lang l)
{
	if (!r->n_scrutins)
		return;
	fprintf(f, "\n%s\n", vmsg_text(VM_R_SCRUTINS, l));
	for (unsigned i = 0; i < r->n_scrutins; i++) {
		const struct verify_scrutin *s = &r->scrutins[i];
		fprintf(f, "  ");
		fprintf(f, vmsg_text(VM_R_SCRUTIN, l), (unsigned)s->id,
			(unsigned long long)s->ballots,
			(unsigned long long)(s->proof_failed + s->duplicate),
			(unsigned long long)s->proof_failed, (unsigned long long)s->duplicate,
			(unsigned long long)s->shuffled, vmsg_text(vt_shuffle(s->shuffle), l),
			(unsigned long long)s->decrypted, (unsigned long long)s->proofs_checked,
			(unsigned long long)s->proofs_failed);
		fprintf(f, "\n");
	}
}

static void vt_check(FILE *f, const struct verify_report *r, enum verify_check_id id,
		     enum lang l)
{
	const struct verify_check *k = &r->checks[id];

	fprintf(f, "%s %s — %s\n", vt_status(k->status, l), verify_check_name(id),
		verify_check_title(id, l));
	for (unsigned i = 0; i < k->n_notes; i++)
		fprintf(f, "        %s %s\n", k->notes[i].fail ? "✗" : "·", k->notes[i].text[l]);
	if (k->n_dropped)
		fprintf(f, "        %s %u %s\n", "…", k->n_dropped, vmsg_text(VM_R_DROPPED, l));
}

static void vt_verdict(FILE *f, const struct verify_report *r, enum lang l)
{
	unsigned n = verify_report_failures(r);

	fprintf(f, "\n");
	if (n == 0) {
		fprintf(f, "%s\n", vmsg_text(VM_R_CONFORM, l));
		return;
	}
	fprintf(f, "%s %u %s", vmsg_text(VM_R_NOT_CONFORM, l), n, vmsg_text(VM_R_FAILED, l));
	for (unsigned i = 0; i < VERIFY_CHECK_COUNT; i++)
		if (r->checks[i].status == VERIFY_FAIL)
			fprintf(f, " %s", verify_check_name((enum verify_check_id)i));
	fprintf(f, "\n");
}

int verify_report_text(const struct verify_report *r, enum lang l, char **text, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		return ERR_NOMEM;
	vt_head(f, r, l);
	for (unsigned i = 0; i < VERIFY_CHECK_COUNT; i++)
		vt_check(f, r, (enum verify_check_id)i, l);
	vt_scrutins(f, r, l);
	vt_verdict(f, r, l);
	if (fclose(f) != 0) {
		free(buf);
		return ERR_NOMEM;
	}
	*text = buf;
	*len = n;
	return 0;
}

static json_t *vj_check(const struct verify_report *r, enum verify_check_id id)
{
	const struct verify_check *k = &r->checks[id];
	json_t *notes = json_array();

	for (unsigned i = 0; notes && i < k->n_notes; i++)
		json_array_append_new(notes, json_pack("{s:b, s:s, s:s}", "fail", k->notes[i].fail,
						       "fr", k->notes[i].text[LANG_FR], "en",
						       k->notes[i].text[LANG_EN]));
	return json_pack("{s:s, s:s, s:s, s:o, s:I}", "id", verify_check_name(id), "status",
			 verify_status_name(k->status), "title", verify_check_title(id, LANG_EN),
			 "notes", notes, "notes_dropped", (json_int_t)k->n_dropped);
}

static json_t *vj_proofs(const struct verify_proofs *p)
{
	json_t *det = json_array();
	char seed[24], rate[32], secs[32];

	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)p->seed);
	snprintf(secs, sizeof(secs), "%.3f", p->seconds);
	snprintf(rate, sizeof(rate), "%.1f", p->seconds > 0 ? (double)p->checked / p->seconds : 0.0);
	for (int i = 0; det && p->sample && i < 3; i++) {
		char prob[32];
		snprintf(prob, sizeof(prob), "%.6Lf", p->detect[i].p);
		json_array_append_new(det, json_pack("{s:I, s:s}", "altered", (json_int_t)p->detect[i].k,
						     "probability", prob));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:i, s:s, s:s, s:o}", "total",
			 (json_int_t)p->total, "checked", (json_int_t)p->checked, "failed",
			 (json_int_t)p->failed, "sample", (json_int_t)p->sample, "seed", seed,
			 "jobs", (int)p->jobs, "seconds", secs, "per_second", rate, "detection", det);
}

static const char *vj_shuffle(enum verify_shuffle_state s)
{
	static const char *const names[] = { "none", "pass", "fail", "not-checked" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static json_t *vj_scrutins(const struct verify_report *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < r->n_scrutins; i++) {
		const struct verify_scrutin *s = &r->scrutins[i];
		char secs[32];
		snprintf(secs, sizeof(secs), "%.3f", s->shuffle_seconds);
		json_array_append_new(
			a, json_pack("{s:i, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:I}", "id",
				     (int)s->id, "ballots", (json_int_t)s->ballots, "proof_failed",
				     (json_int_t)s->proof_failed, "duplicate",
				     (json_int_t)s->duplicate, "shuffled", (json_int_t)s->shuffled,
				     "shuffle", vj_shuffle(s->shuffle), "shuffle_seconds", secs,
				     "decrypted", (json_int_t)s->decrypted, "proofs_checked",
				     (json_int_t)s->proofs_checked, "proofs_failed",
				     (json_int_t)s->proofs_failed));
	}
	return a;
}

int verify_report_json(const struct verify_report *r, char **text, size_t *len)
{
	json_t *checks = json_array(), *root;
	char *s;

	for (unsigned i = 0; checks && i < VERIFY_CHECK_COUNT; i++)
		json_array_append_new(checks, vj_check(r, (enum verify_check_id)i));
	root = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o}", "format",
			 "sceau-verify-report/2", "archive", r->archive, "sealed", r->sealed,
			 "election_id", r->election_id, "election_title", r->election_title,
			 "verdict", verify_report_ok(r) ? "pass" : "fail", "failures",
			 (json_int_t)verify_report_failures(r), "crypto", r->crypto, "checks",
			 checks, "scrutins", vj_scrutins(r), "proofs", vj_proofs(&r->proofs));
	if (!root)
		return ERR_NOMEM;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return ERR_NOMEM;
	*len = strlen(s);
	*text = s;
	return 0;
}
