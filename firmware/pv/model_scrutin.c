/*
 * The PV of one scrutin, in the order of the CERFA forms (15822
 * titulaires, 15823 suppléants): identification, the scrutin's numbers,
 * the lists and their candidates, ties, union audience, irregularities,
 * the elected members, then hashes, QR codes and signatures (pv_doc_attest).
 * Each printed number comes from results.json (docs/PV.md maps them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pv/pv_int.h"

#define U(x) ((unsigned long long)(x))

static const char *pv_sex(char s)
{
	return pv_t(s == 'F' ? T_SEX_F : T_SEX_M);
}

static const char *pv_body(int suppleants)
{
	return pv_t(suppleants ? T_BODY_SUPPLEANTS : T_BODY_TITULAIRES);
}

static const char *pv_round(unsigned round)
{
	return pv_t(round == 1 ? T_ROUND_1 : T_ROUND_2);
}

/* "2026-12-08T17:00+01:00" -> "08/12/2026 17:00 (UTC+01:00)". */
const char *pv_datetime(struct pv_model *m, const char *iso)
{
	const char *off = strlen(iso) > 16 ? iso + 16 : "";

	if (strlen(iso) < 16)
		return pv_str(m, "%s", iso);
	if (off[0] == ':')
		off += 3; /* seconds */
	if (pv_lang_en())
		return pv_str(m, "%.10s %.5s (UTC%s)", iso, iso + 11,
			      strcmp(off, "Z") == 0 ? "" : off);
	return pv_str(m, "%.2s/%.2s/%.4s %.5s (UTC%s)", iso + 8, iso + 5, iso, iso + 11,
		      strcmp(off, "Z") == 0 ? "" : off);
}

const char *pv_date(struct pv_model *m, const char *ymd)
{
	if (pv_lang_en() || strlen(ymd) < 10)
		return pv_str(m, "%.10s", ymd);
	return pv_str(m, "%.2s/%.2s/%.4s", ymd + 8, ymd + 5, ymd);
}

/* ---- identification and numbers ------------------------------------------ */

static void scr_ident(struct pv_model *m, const struct pv_inputs *in,
		      const struct results_scrutin *rs, struct pv_doc *d)
{
	const struct election *e = in->e;
	const struct scrutin *s = election_scrutin(e, (uint16_t)rs->id);

	pv_add(m, d, PV_B_TITLE, 1, pv_t(T_PV_TITLE));
	pv_add(m, d, PV_B_SUBTITLE, 1, pv_t(rs->suppleants ? T_PV_SUB_SUPP : T_PV_SUB_TIT));
	pv_add(m, d, PV_B_SUBTITLE, 1, pv_str(m, pv_t(T_PV_SUB_SCRUTIN), rs->id,
					       pv_round(rs->round)));
	pv_doc_ident(m, e, d);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_COLLEGE), rs->college);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_BODY), pv_body(rs->suppleants));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_ROUND),
	       pv_str(m, "%s%s", pv_round(rs->round),
		      pv_t(rs->round == 1 ? T_ROUND_1_NOTE : T_ROUND_2_NOTE)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_OPENS), pv_datetime(m, s->opens));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CLOSES), pv_datetime(m, s->closes));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_SEATS), pv_str(m, "%llu", U(rs->seats)))->flags =
		PV_F_BOLD;
}

static const char *scr_quorum(struct pv_model *m, const struct results_scrutin *rs)
{
	if (rs->quorum == RESULTS_QUORUM_NA)
		return pv_t(T_QUORUM_NA);
	return pv_str(m, pv_t(rs->quorum == RESULTS_QUORUM_REACHED ? T_QUORUM_YES : T_QUORUM_NO),
		      U(rs->sve), U(2 * rs->sve), U(rs->inscrits));
}

static void scr_numbers(struct pv_model *m, const struct results_scrutin *rs,
			struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_NUMBERS));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_INSCRITS), pv_str(m, "%llu", U(rs->inscrits)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_VOTANTS), pv_str(m, "%llu", U(rs->votants)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_BLANCS),
	       pv_str(m, pv_t(T_BLANCS_DETAIL), U(rs->blancs), U(rs->blank),
		      U(rs->all_struck)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_NULS),
	       pv_str(m, pv_t(T_NULS_DETAIL), U(rs->nuls)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_SVE), pv_str(m, "%llu", U(rs->sve)))->flags =
		PV_F_BOLD;
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_SEATS), pv_str(m, "%llu", U(rs->seats)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_QUOTIENT),
	       pv_str(m, "%llu / %llu = %s", U(rs->sve), U(rs->seats),
		      pv_frac_text(m, &rs->quotient)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_QUORUM), scr_quorum(m, rs))->flags = PV_F_BOLD;
	if (rs->notices & RESULTS_N_SECOND_ROUND)
		pv_add(m, d, PV_B_NOTICE, 1, pv_t(T_NOTICE_SECOND_ROUND));
	if (rs->notices & RESULTS_N_NO_VALID_VOTE)
		pv_add(m, d, PV_B_NOTICE, 1, pv_t(T_NOTICE_NO_VALID_VOTE));
}

/* ---- lists ------------------------------------------------------------- */

static const char *scr_seat(struct pv_model *m, const struct results_list *l, uint64_t v)
{
	return l->has_seats ? pv_str(m, "%llu", U(v)) : "—";
}

static void scr_list_table(struct pv_model *m, const struct results_scrutin *rs,
			   struct pv_doc *d)
{
	const char *head[10] = { pv_t(T_C_NUMBER), pv_t(T_C_LIST), pv_t(T_C_BALLOTS),
				 pv_t(T_C_CANDIDATES), pv_t(T_C_CAND_VOTES),
				 pv_t(T_C_AVERAGE), pv_t(T_C_S_QUOTIENT),
				 pv_t(T_C_S_AVERAGE), pv_t(T_C_S_TOTAL), pv_t(T_C_S_VACANT) };
	static const double w[10] = { 0.5, 2.6, 1.2, 1.3, 1.3, 2.1, 1.1, 1.3, 0.9, 1.0 };

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_LISTS));
	pv_add_table(m, d, 10, head, w, "rlrrrrrrrr");
	for (unsigned i = 0; i < rs->n_lists; i++) {
		const struct results_list *l = &rs->lists[i];
		const char *row[10] = {
			pv_str(m, "%u", l->number), l->name, pv_str(m, "%llu", U(l->ballots)),
			pv_str(m, "%llu", U(l->candidates_count)),
			pv_str(m, "%llu", U(l->candidate_votes)),
			pv_str(m, "%s (%llu/%llu)", pv_dec(m, l->average.dec),
			       U(l->candidate_votes), U(l->candidates_count)),
			scr_seat(m, l, l->s_quotient), scr_seat(m, l, l->s_average),
			scr_seat(m, l, l->s_total), scr_seat(m, l, l->s_vacant) };
		pv_add_row(m, d, 0, row);
	}
	/* Seats a tie leaves to the bureau between lists without a candidate
	 * left are both vacant and undecided: counted once (docs/RULES.md
	 * "Seats", last paragraph). */
	if (rs->seats_allocated && results_tie_vacant(rs))
		pv_add(m, d, PV_B_PARA, 1,
		       pv_str(m, pv_t(T_SEATS_SUMMARY_TIE_VACANT), U(rs->seats),
			      U(rs->s_vacant), U(results_tie_vacant(rs)),
			      U(rs->s_unallocated)));
	else if (rs->seats_allocated)
		pv_add(m, d, PV_B_PARA, 1,
		       pv_str(m, pv_t(T_SEATS_SUMMARY), U(rs->seats), U(rs->s_vacant),
			      U(rs->s_undecided), U(rs->s_unallocated)));
	else
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_SEATS_NONE));
}

static const char *scr_unions(struct pv_model *m, const struct results_list *l)
{
	const char *s = "";

	for (unsigned u = 0; u < l->n_unions; u++) {
		const struct results_union *un = &l->unions[u];
		const char *share = pv_str(m, pv_t(T_UNION_SHARE), pv_frac_text(m, &un->share));
		const char *votes = un->has_votes
			? pv_str(m, pv_t(T_UNION_VOTES), pv_frac_text(m, &un->votes)) : "";

		s = pv_str(m, "%s%s%s (%s%s)", s, u ? " ; " : "", un->name, share, votes);
	}
	return s;
}

static const char *scr_ratures(struct pv_model *m, const struct results_cand *c)
{
	if (c->ratures == 0)
		return "—";
	return pv_t(c->ratures_count ? T_YES : T_NO_UNDER_10);
}

static const char *scr_elected(struct pv_model *m, const struct results_list *l,
			       const struct results_cand *c)
{
	if (!l->has_seats)
		return "—";
	if (!c->elected)
		return pv_t(T_NOT_ELECTED);
	return pv_t(c->sex == 'F' ? T_ELECTED_F : T_ELECTED_M);
}

static const char *scr_exposed(struct pv_model *m, unsigned bits)
{
	if (!bits)
		return "";
	return pv_t(bits == 3 ? T_EXPOSED_BOTH : bits == 1 ? T_EXPOSED_PROPORTION
							   : T_EXPOSED_POSITION);
}

static void scr_cand_table(struct pv_model *m, const struct results_list *l,
			   struct pv_doc *d)
{
	const char *head[8] = { pv_t(T_C_POS), pv_t(T_C_CANDIDATE), pv_t(T_C_SEX),
				pv_t(T_C_VOTES), pv_t(T_C_RATURES), pv_t(T_C_RAT_COUNT),
				pv_t(T_C_RANK), pv_t(T_C_ELECTED) };
	static const double w[8] = { 0.6, 4.4, 0.7, 0.9, 1.0, 1.8, 0.8, 3.2 };

	pv_add_table(m, d, 8, head, w, "rlcrrcrl");
	for (uint64_t i = 0; i < l->candidates_count; i++) {
		const struct results_cand *c = &l->cands[i];
		const char *ex = scr_exposed(m, c->exposed);
		const char *row[8] = {
			pv_str(m, "%u", c->position),
			pv_str(m, "%s %s", c->last_name, c->first_name), pv_sex(c->sex),
			pv_str(m, "%llu", U(c->votes)), pv_str(m, "%llu", U(c->ratures)),
			scr_ratures(m, c), pv_str(m, "%u", c->rank),
			pv_str(m, "%s%s%s", scr_elected(m, l, c), *ex ? " — " : "", ex) };
		pv_add_row(m, d, c->elected ? PV_F_BOLD : 0, row);
	}
}

static const char *scr_breaks(struct pv_model *m, const struct results_gender *g)
{
	const char *s = "";

	for (size_t i = 0; i < g->n_breaks; i++)
		s = pv_str(m, "%s%s%u", s, i ? ", " : "", g->breaks[i]);
	return s;
}

static const char *scr_gender_text(struct pv_model *m, const struct results_gender *g)
{
	const char *s = pv_str(m, pv_t(T_GENDER_COUNTS), U(g->women), U(g->men),
			       U(g->expected_women), U(g->expected_men));

	if (g->either_rounding)
		s = pv_str(m, "%s%s", s, pv_t(T_GENDER_EITHER));
	if (g->exception)
		s = pv_str(m, "%s%s", s, pv_t(T_GENDER_EXCEPTION));
	if (g->conform)
		return pv_str(m, "%s — %s", s, pv_t(T_GENDER_CONFORM));
	s = pv_str(m, "%s — %s", s, pv_t(T_GENDER_NOT_CONFORM));
	if (g->over)
		s = pv_str(m, pv_t(T_GENDER_EXCESS), s, U(g->excess), pv_sex(g->over));
	if (g->n_breaks)
		s = pv_str(m, pv_t(T_GENDER_BREAKS), s, scr_breaks(m, g));
	if (g->exception_first)
		s = pv_str(m, "%s%s", s, pv_t(T_GENDER_EXC_FIRST));
	return s;
}

static void scr_list(struct pv_model *m, const struct results_list *l, struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_str(m, pv_t(T_H_LIST), l->number, l->name));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(l->n_unions > 1 ? T_UNIONS_JOINT : T_UNIONS),
	       scr_unions(m, l));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_LIST_NUMBERS),
	       pv_str(m, pv_t(T_LIST_NUMBERS_V), U(l->ballots), U(l->candidates_count),
		      U(l->candidate_votes), U(l->candidate_votes), U(l->candidates_count),
		      pv_frac_text(m, &l->average)));
	if (l->has_seats)
		pv_add(m, d, PV_B_FIELD, 2, pv_t(T_LIST_SEATS),
		       pv_str(m, pv_t(T_LIST_SEATS_V), U(l->s_quotient), U(l->s_average),
			      U(l->s_total), U(l->s_vacant), U(l->s_filled)));
	scr_cand_table(m, l, d);
	if (l->gender.present)
		pv_add(m, d, PV_B_FIELD, 2, pv_t(T_GENDER), scr_gender_text(m, &l->gender));
	else
		pv_add(m, d, PV_B_FIELD, 2, pv_t(T_GENDER), pv_t(T_GENDER_SINGLE));
}

/* ---- ties, audience ----------------------------------------------------------- */

static const char *scr_next(struct pv_model *m, const struct results_scrutin *rs,
			    const struct results_tie_list *t)
{
	const struct results_list *l = &rs->lists[t->number - 1];

	if (!t->next || t->next > l->candidates_count)
		return pv_t(T_TIE_NONE_LEFT);
	return pv_str(m, "%s %s (n° %u), %s %s", l->cands[t->next - 1].last_name,
		      l->cands[t->next - 1].first_name, t->next,
		      pv_t(l->cands[t->next - 1].sex == 'F' ? T_BORN_F : T_BORN_M),
		      pv_date(m, t->birth_date));
}

static void scr_tie(struct pv_model *m, const struct results_scrutin *rs, struct pv_doc *d)
{
	static const enum pv_txt rule[] = { T_TIE_BY_VOTES, T_TIE_BY_VOTES, T_TIE_BY_AGE,
					    T_TIE_BY_BUREAU };
	static const enum pv_txt outc[] = { T_TIE_SEAT, T_TIE_SEAT, T_TIE_NO_SEAT,
					    T_TIE_UNDECIDED };
	const char *head[4] = { pv_t(T_C_LIST), pv_t(T_C_AVERAGE), pv_t(T_C_NEXT),
				pv_t(T_C_OUTCOME) };
	static const double w[4] = { 3, 2, 4, 2 };
	const struct results_tie *t = &rs->tie;

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_TIE));
	pv_add(m, d, PV_B_PARA, 1, pv_str(m, pv_t(T_TIE_TEXT), U(t->seats),
					  pv_frac_text(m, &t->average)));
	pv_add_table(m, d, 4, head, w, "lrll");
	for (unsigned i = 0; i < t->n_lists; i++) {
		const struct results_tie_list *tl = &t->lists[i];
		const char *row[4] = {
			pv_str(m, "%u — %s", tl->number, rs->lists[tl->number - 1].name),
			pv_frac_text(m, &tl->average), scr_next(m, rs, tl),
			pv_t(outc[tl->outcome]) };
		pv_add_row(m, d, 0, row);
	}
	pv_add(m, d, PV_B_PARA, 1, pv_t(rule[t->decided_by]));
	if (t->decided_by == RESULTS_TIE_BUREAU) {
		pv_add(m, d, PV_B_NOTICE, 1,
		       pv_str(m, pv_t(T_NOTICE_TIE_BUREAU), U(t->undecided)));
		if (results_tie_vacant(rs))
			pv_add(m, d, PV_B_NOTICE, 1,
			       pv_str(m, pv_t(T_TIE_VACANT), U(results_tie_vacant(rs))));
		pv_add(m, d, PV_B_WRITE, 1, pv_t(T_BUREAU_DECISION));
	}
}

static void scr_audience(struct pv_model *m, const struct results_scrutin *rs,
			 struct pv_doc *d)
{
	const char *head[2] = { pv_t(T_C_UNION), pv_t(T_C_AUDIENCE) };
	static const double w[2] = { 3, 2 };

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_AUDIENCE));
	pv_add(m, d, PV_B_PARA, 1, pv_t(T_AUDIENCE_NOTE));
	pv_add_table(m, d, 2, head, w, "lr");
	for (unsigned i = 0; i < rs->n_audience; i++) {
		const char *row[2] = { rs->audience[i].name,
				       pv_frac_text(m, &rs->audience[i].votes) };
		pv_add_row(m, d, 0, row);
	}
}

/* ---- irregularities, elected ------------------------------------------------ */

/* One irregularity of the results file, in words when its kind is known. */
const char *pv_irreg_text(struct pv_model *m, const struct results_irreg *g)
{
	uint64_t urn, em;

	if (results_irreg_ballots_parse(g, &urn, &em) == 0)
		return pv_str(m, pv_t(T_IRREG_EMARG), (unsigned long long)urn,
			      (unsigned long long)em);
	return pv_str(m, "%s : %s", g->kind, g->detail);
}

static void scr_irreg_emarg(struct pv_model *m, const struct results *r,
			    unsigned id, struct pv_doc *d)
{
	unsigned found = 0;

	for (unsigned i = 0; i < r->n_irreg; i++) {
		if (r->irreg[i].scrutin != id)
			continue;
		found++;
		pv_add(m, d, PV_B_NOTICE, 1, pv_irreg_text(m, &r->irreg[i]));
	}
	if (!found)
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_IRREG_EMARG_NONE));
}

static void scr_nul_table(struct pv_model *m, const struct results_scrutin *rs,
			  struct pv_doc *d)
{
	static const enum pv_txt reason[RESULTS_NUL_REASONS] = {
		T_NUL_UNREADABLE, T_NUL_WRONG_LENGTH, T_NUL_BAD_VERSION,
		T_NUL_LIST_RANGE, T_NUL_PADDING, T_NUL_BEYOND, T_NUL_DUPLICATE,
		T_NUL_PROOF_FAILED };
	const char *head[2] = { pv_t(T_C_REASON), pv_t(T_C_COUNT) };
	static const double w[2] = { 6, 1 };

	pv_add(m, d, PV_B_PARA, 1, pv_t(T_SHUFFLED));
	pv_add(m, d, PV_B_PARA, 1, pv_t(T_NULS_BY_REASON));
	pv_add_table(m, d, 2, head, w, "lr");
	for (unsigned i = 0; i < RESULTS_NUL_REASONS; i++) {
		const char *row[2] = { pv_t(reason[i]), pv_str(m, "%llu", U(rs->by_reason[i])) };
		pv_add_row(m, d, 0, row);
	}
	{
		const char *row[2] = { pv_t(T_NULS_TOTAL), pv_str(m, "%llu", U(rs->nuls)) };
		pv_add_row(m, d, PV_F_BOLD, row);
	}
	{
		const char *row[2] = { pv_t(T_BLANK_CHOICE), pv_str(m, "%llu", U(rs->blank)) };
		const char *row2[2] = { pv_t(T_BLANK_ALL_STRUCK),
					pv_str(m, "%llu", U(rs->all_struck)) };
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_BLANCS_BY_KIND));
		pv_add_table(m, d, 2, head, w, "lr");
		pv_add_row(m, d, 0, row);
		pv_add_row(m, d, 0, row2);
	}
}

static const char *scr_exposed_names(struct pv_model *m, const struct results_list *l)
{
	const char *s = "";

	for (uint64_t i = 0; i < l->candidates_count; i++) {
		const struct results_cand *c = &l->cands[i];

		if (c->exposed)
			s = pv_str(m, "%s%s%s %s (%s)", s, *s ? ", " : "", c->first_name,
				   c->last_name, scr_exposed(m, c->exposed));
	}
	return s;
}

static void scr_gender_warnings(struct pv_model *m, const struct results_scrutin *rs,
				struct pv_doc *d)
{
	unsigned found = 0;

	for (unsigned i = 0; i < rs->n_lists; i++) {
		const struct results_list *l = &rs->lists[i];
		const char *ex;

		if (!l->gender.present || l->gender.conform)
			continue;
		found++;
		ex = scr_exposed_names(m, l);
		pv_add(m, d, PV_B_NOTICE, 1,
		       pv_str(m, pv_t(T_GENDER_WARNING), l->number, l->name,
			      scr_gender_text(m, &l->gender), *ex ? ex : pv_t(T_NOBODY)));
	}
	if (!found)
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_GENDER_ALL_CONFORM));
}

static void scr_irregularities(struct pv_model *m, const struct results *r,
			       const struct results_scrutin *rs, struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_IRREG));
	scr_irreg_emarg(m, r, rs->id, d);
	scr_nul_table(m, rs, d);
	scr_gender_warnings(m, rs, d);
	if ((rs->notices & RESULTS_N_SEATS_VACANT) && results_tie_vacant(rs))
		pv_add(m, d, PV_B_NOTICE, 1,
		       pv_str(m, pv_t(T_NOTICE_VACANT_TIE), U(rs->s_vacant),
			      U(results_tie_vacant(rs))));
	else if (rs->notices & RESULTS_N_SEATS_VACANT)
		pv_add(m, d, PV_B_NOTICE, 1,
		       pv_str(m, pv_t(T_NOTICE_VACANT), U(rs->s_vacant)));
	if (rs->s_unallocated)
		pv_add(m, d, PV_B_NOTICE, 1,
		       pv_str(m, pv_t(T_NOTICE_UNALLOCATED), U(rs->s_unallocated)));
}

static void scr_elected_list(struct pv_model *m, const struct results_scrutin *rs,
			     struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_ELECTED));
	if (!rs->seats_allocated) {
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_ELECTED_NONE_QUORUM));
		return;
	}
	for (unsigned i = 0; i < rs->n_lists; i++) {
		const struct results_list *l = &rs->lists[i];
		const char *s = "";

		for (unsigned k = 1; k <= l->candidates_count; k++)
			for (uint64_t c = 0; c < l->candidates_count; c++)
				if (l->cands[c].rank == k && l->cands[c].elected)
					s = pv_str(m, "%s%s%s %s", s, *s ? ", " : "",
						   l->cands[c].first_name,
						   l->cands[c].last_name);
		pv_add(m, d, PV_B_FIELD, 2, pv_str(m, pv_t(T_ELECTED_OF), l->number, l->name),
		       *s ? s : pv_t(T_NOBODY));
	}
}

void pv_doc_scrutin(struct pv_model *m, const struct pv_inputs *in,
		    const struct results_scrutin *rs, struct pv_doc *d)
{
	d->head2 = pv_str(m, pv_t(T_HEAD_SCRUTIN), rs->id, rs->college,
			  pv_body(rs->suppleants), pv_round(rs->round));
	scr_ident(m, in, rs, d);
	scr_numbers(m, rs, d);
	scr_list_table(m, rs, d);
	for (unsigned i = 0; i < rs->n_lists; i++)
		scr_list(m, &rs->lists[i], d);
	if (rs->has_tie)
		scr_tie(m, rs, d);
	if (rs->has_audience)
		scr_audience(m, rs, d);
	scr_irregularities(m, &m->res, rs, d);
	scr_elected_list(m, rs, d);
	pv_doc_attest(m, in, d, rs->id);
}
