/*
 * The session summary, the key ceremony's PV, and what every document
 * shares: the identification it opens with, and its end: hashes, the two
 * QR codes, the cards' signatures and a line per bureau member for the
 * handwritten signature.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "lib/json_util.h"
#include "crypto/hash.h"
#include "pv/pv_int.h"

#define U(x) ((unsigned long long)(x))

/* "ABCD EF01 ..." : hex in groups of four, as printed under the QR codes. */
static const char *ses_groups(struct pv_model *m, const char *hex)
{
	size_t n = strlen(hex);
	const char *s = "";

	for (size_t i = 0; i < n; i += 4)
		s = pv_str(m, "%s%s%.4s", s, i ? " " : "", hex + i);
	return s;
}

/* The latest closing of the vote: the date the PVs are drawn up. */
const char *pv_latest_close(const struct election *e)
{
	const char *best = e->scrutins[0].closes;
	int64_t t = 0, bt = 0;

	jutil_parse_datetime(best, &bt);
	for (unsigned i = 1; i < e->n_scrutins; i++)
		if (jutil_parse_datetime(e->scrutins[i].closes, &t) == 0 && t > bt) {
			bt = t;
			best = e->scrutins[i].closes;
		}
	return best;
}

static const char *ses_member(struct pv_model *m, const struct member *mb)
{
	return pv_str(m, "%s %s, %s", mb->first_name, mb->last_name, mb->role);
}

/* ---- QR codes, signatures ------------------------------------------------- */

static void ses_qr_hashes(struct pv_model *m, const struct pv_inputs *in,
			  struct pv_doc *d, unsigned scrutin)
{
	struct pv_qr_hashes h;
	char payload[PV_QR_TEXT_MAX];
	const uint8_t *v[8] = { h.election_id, h.results, h.urn, h.emargement,
				h.shuffles, h.decrypted, h.journal, h.firmware };
	static const char tags[] = "ERUMXDJF";
	const char *human;

	memcpy(h.election_id, in->e->id, 32);
	memcpy(h.results, in->results_sha256, 32);
	memcpy(h.urn, in->urn_sha256, 32);
	memcpy(h.emargement, in->emargement_sha256, 32);
	memcpy(h.shuffles, in->shuffles_sha256, 32);
	memcpy(h.decrypted, in->decrypted_sha256, 32);
	memcpy(h.journal, in->journal_head, 32);
	memcpy(h.firmware, in->firmware_sha256, 32);
	if (pv_qr_payload_hashes(scrutin, &h, payload, sizeof(payload)) != 0) {
		m->err = m->err ? m->err : ERR_INTERNAL;
		return;
	}
	human = pv_str(m, "%s:H:%u", PV_QR_MAGIC, scrutin);
	for (unsigned i = 0; i < 8; i++)
		human = pv_str(m, "%s\n%c  %s", human, tags[i],
			       ses_groups(m, pv_hex(m, v[i], 32)));
	pv_add(m, d, PV_B_QR, 3, pv_t(T_QR_HASHES), pv_str(m, "%s", payload), human);
}

static void ses_qr_sigs(struct pv_model *m, const struct pv_inputs *in,
			struct pv_doc *d, unsigned scrutin)
{
	unsigned cards[PV_MAX_SIGS];
	uint8_t sigs[PV_MAX_SIGS][64];
	char payload[PV_QR_TEXT_MAX];
	const char *human;

	if (in->n_sigs == 0) {
		pv_add(m, d, PV_B_NOTICE, 1, pv_t(T_QR_NO_SIGS));
		return;
	}
	for (unsigned i = 0; i < in->n_sigs; i++) {
		cards[i] = in->sigs[i].card;
		memcpy(sigs[i], in->sigs[i].sig, 64);
	}
	if (pv_qr_payload_signatures(scrutin, in->results_sha256, in->n_sigs, cards,
				     (const uint8_t (*)[64])sigs, payload,
				     sizeof(payload)) != 0) {
		m->err = m->err ? m->err : ERR_INTERNAL;
		return;
	}
	human = pv_str(m, "%s:S:%u\nR  %s", PV_QR_MAGIC, scrutin,
		       ses_groups(m, pv_hex(m, in->results_sha256, 32)));
	for (unsigned i = 0; i < in->n_sigs; i++)
		human = pv_str(m, "%s\n%u  %s", human, cards[i],
			       ses_groups(m, pv_hex(m, sigs[i], 64)));
	pv_add(m, d, PV_B_QR, 3, pv_t(T_QR_SIGS), pv_str(m, "%s", payload), human);
}

static void ses_hashes(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_E), pv_hex(m, in->e->id, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_R), pv_hex(m, in->results_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_U), pv_hex(m, in->urn_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_M), pv_hex(m, in->emargement_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_X), pv_hex(m, in->shuffles_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_str(m, pv_t(T_HASH_D), U(m->res.dec_count)),
	       pv_hex(m, in->decrypted_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_J), pv_hex(m, in->journal_head, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_F), pv_hex(m, in->firmware_sha256, 32));
}

static int ses_signed(const struct pv_inputs *in, unsigned card)
{
	for (unsigned i = 0; i < in->n_sigs; i++)
		if (in->sigs[i].card == card)
			return 1;
	return 0;
}

static void ses_signatures(struct pv_model *m, const struct pv_inputs *in,
			   struct pv_doc *d, const char *date)
{
	const struct record *r = in->rec;

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_SIGNATURES));
	pv_add(m, d, PV_B_PARA, 1, pv_t(in->n_sigs ? T_SIGS_CARDS : T_SIGS_NONE));
	for (unsigned i = 0; i < in->n_sigs; i++) {
		unsigned c = in->sigs[i].card;

		pv_add(m, d, PV_B_FIELD, 2, pv_str(m, pv_t(T_CARD_N), c),
		       pv_str(m, "%s — %s", ses_member(m, &r->cards[c - 1].member),
			      pv_t(T_SIG_VERIFIED)));
	}
	pv_add(m, d, PV_B_PARA, 1, pv_str(m, pv_t(T_ESTABLISHED), pv_datetime(m, date)));
	for (unsigned i = 0; i < r->pub.m; i++)
		pv_add(m, d, PV_B_SIGN, 2, ses_member(m, &r->cards[i].member),
		       pv_str(m, pv_t(ses_signed(in, i + 1) ? T_SIGN_PRESENT : T_SIGN_ABSENT),
			      i + 1));
}

void pv_doc_ident(struct pv_model *m, const struct election *e, struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_IDENT));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_ESTABLISHMENT), e->establishment);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_SIRET),
	       pv_str(m, "%.3s %.3s %.3s %.5s", e->siret, e->siret + 3, e->siret + 6,
		      e->siret + 9));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_ELECTION), e->title);
}

void pv_doc_attest(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d,
		   unsigned qr_scrutin)
{
	const struct scrutin *s = election_scrutin(in->e, (uint16_t)qr_scrutin);

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_HASHES));
	ses_hashes(m, in, d);
	ses_qr_hashes(m, in, d, qr_scrutin);
	ses_qr_sigs(m, in, d, qr_scrutin);
	ses_signatures(m, in, d, s ? s->closes : pv_latest_close(in->e));
}

/* ---- summary --------------------------------------------------------------- */

static uint64_t ses_elected(const struct results_scrutin *rs)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < rs->n_lists; i++)
		n += rs->lists[i].has_seats ? rs->lists[i].s_filled : 0;
	return n;
}

static void ses_scrutin_table(struct pv_model *m, struct pv_doc *d)
{
	const char *head[10] = { pv_t(T_C_NUMBER), pv_t(T_COLLEGE), pv_t(T_BODY),
				 pv_t(T_ROUND), pv_t(T_C_SEATS), pv_t(T_C_INSCRITS),
				 pv_t(T_C_VOTANTS), pv_t(T_C_SVE), pv_t(T_QUORUM),
				 pv_t(T_C_ELECTED_N) };
	static const double w[10] = { 0.5, 3, 1.4, 1, 0.9, 1, 1, 1, 1.5, 0.8 };

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_SCRUTINS));
	pv_add_table(m, d, 10, head, w, "rlllrrrrlr");
	for (unsigned i = 0; i < m->res.n_scrutins; i++) {
		const struct results_scrutin *rs = &m->res.scrutins[i];
		const char *row[10] = {
			pv_str(m, "%u", rs->id), rs->college,
			pv_t(rs->suppleants ? T_BODY_SUPPLEANTS : T_BODY_TITULAIRES),
			pv_t(rs->round == 1 ? T_ROUND_1 : T_ROUND_2),
			pv_str(m, "%llu", U(rs->seats)), pv_str(m, "%llu", U(rs->inscrits)),
			pv_str(m, "%llu", U(rs->votants)), pv_str(m, "%llu", U(rs->sve)),
			pv_t(rs->quorum == RESULTS_QUORUM_NA ? T_QUORUM_NA_SHORT
			     : rs->quorum == RESULTS_QUORUM_REACHED ? T_QUORUM_YES_SHORT
							       : T_QUORUM_NO_SHORT),
			pv_str(m, "%llu", U(ses_elected(rs))) };
		pv_add_row(m, d, 0, row);
	}
}

static void ses_irregularities(struct pv_model *m, struct pv_doc *d)
{
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_IRREG_SESSION));
	if (m->res.n_irreg == 0)
		pv_add(m, d, PV_B_PARA, 1, pv_t(T_IRREG_NONE));
	for (unsigned i = 0; i < m->res.n_irreg; i++) {
		const struct results_irreg *g = &m->res.irreg[i];

		pv_add(m, d, PV_B_NOTICE, 1, pv_str(m, pv_t(T_IRREG_ITEM), g->scrutin,
						    pv_irreg_text(m, g)));
	}
}

void pv_doc_summary(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d)
{
	const struct election *e = in->e;

	pv_add(m, d, PV_B_TITLE, 1, pv_t(T_SUMMARY_TITLE));
	pv_add(m, d, PV_B_SUBTITLE, 1, e->title);
	pv_doc_ident(m, e, d);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_N_SCRUTINS), pv_str(m, "%u", e->n_scrutins));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CLOSES), pv_datetime(m, pv_latest_close(e)));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_N_DECRYPTED), pv_str(m, "%llu",
								U(m->res.dec_count)));
	ses_scrutin_table(m, d);
	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_SCRUTIN_HASHES));
	pv_add(m, d, PV_B_PARA, 1, pv_t(T_SCRUTIN_HASH_NOTE));
	for (unsigned i = 0; i < m->res.n_scrutins; i++) {
		const struct results_scrutin *rs = &m->res.scrutins[i];

		pv_add(m, d, PV_B_HEX, 2,
		       pv_str(m, pv_t(T_SCRUTIN_HASH), rs->id, rs->college,
			      pv_t(rs->suppleants ? T_BODY_SUPPLEANTS : T_BODY_TITULAIRES)),
		       pv_hex(m, rs->sha256, 32));
	}
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_RECORD), pv_hex(m, m->res.record_sha256, 32));
	ses_irregularities(m, d);
	pv_doc_attest(m, in, d, 0);
}

/* ---- key ceremony ------------------------------------------------------------ */

static void ses_cards_table(struct pv_model *m, const struct record *r, struct pv_doc *d)
{
	const char *head[5] = { pv_t(T_C_SHARE), pv_t(T_C_MEMBER), pv_t(T_C_ROLE),
				pv_t(T_C_SERIAL), pv_t(T_C_SIGNKEY) };
	static const double w[5] = { 0.6, 3, 1.6, 1.5, 3.4 };

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_CARDS));
	pv_add(m, d, PV_B_PARA, 1, pv_str(m, pv_t(T_THRESHOLD), r->pub.t, r->pub.m));
	pv_add_table(m, d, 5, head, w, "rllll");
	for (unsigned i = 0; i < r->pub.m; i++) {
		const struct record_card *c = &r->cards[i];
		uint8_t fp[32];
		const char *row[5];

		hash_sha256(c->sign_pub, sizeof(c->sign_pub), fp);
		row[0] = pv_str(m, "%u", c->index);
		row[1] = pv_str(m, "%s %s", c->member.first_name, c->member.last_name);
		row[2] = c->member.role;
		row[3] = pv_hex(m, c->aid + 10, 4);
		row[4] = ses_groups(m, pv_hex(m, fp, 16));
		pv_add_row(m, d, 0, row);
	}
}

static void ses_ceremony_hashes(struct pv_model *m, const struct record *r,
				struct pv_doc *d)
{
	uint8_t h[32];

	pv_add(m, d, PV_B_HEADING, 1, pv_t(T_H_CEREMONY_HASHES));
	hash_sha256(r->pub.pk, sizeof(r->pub.pk), h);
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_KEY_FP), pv_hex(m, h, 32));
	hash_sha256(r->platform_pub, sizeof(r->platform_pub), h);
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_PLATFORM_FP), pv_hex(m, h, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_HASH_RECORD), pv_hex(m, m->res.record_sha256, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_CER_JOURNAL), pv_hex(m, r->journal_head, 32));
	pv_add(m, d, PV_B_HEX, 2, pv_t(T_CER_FIRMWARE), pv_hex(m, r->firmware_hash, 32));
	for (unsigned i = 0; i < r->pub.m; i++)
		pv_add(m, d, PV_B_HEX, 2,
		       pv_str(m, pv_t(T_ENTROPY_OF), r->cards[i].index,
			      ses_member(m, &r->cards[i].member)),
		       pv_hex(m, r->cards[i].entropy_hash, 32));
}

void pv_doc_ceremony(struct pv_model *m, const struct pv_inputs *in, struct pv_doc *d)
{
	const struct election *e = in->e;
	const struct record *r = in->rec;

	pv_add(m, d, PV_B_TITLE, 1, pv_t(T_CEREMONY_TITLE));
	pv_add(m, d, PV_B_SUBTITLE, 1, e->title);
	pv_doc_ident(m, e, d);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CER_DATE), pv_datetime(m, r->created));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CER_CRYPTO), r->crypto_library);
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CER_HWRNG), pv_t(r->hwrng_used ? T_YES : T_NO));
	pv_add(m, d, PV_B_FIELD, 2, pv_t(T_CER_SIMULATION),
	       pv_t(r->simulation ? T_CER_SIM_YES : T_NO));
	ses_cards_table(m, r, d);
	ses_ceremony_hashes(m, r, d);
	pv_doc_attest(m, in, d, 0);
}
