#!/usr/bin/env python3
"""Reads the PVs as a person would (pdftotext -raw: the text in the order it
was drawn) and checks that every number of results.json is printed, in
context, on the PV of its scrutin: the numbers of the scrutin, each list's
row and details, each candidate's row, ties, union audience, nul reasons,
irregularities, hashes. Also: the summary's per-scrutin hashes (recomputed
here from the canonical text), page x/y and the results hash on every page,
and, for a big election, every candidate row exactly once.

usage: pv_check.py small RESULTS PV_DIR [en]
       pv_check.py big RESULTS PV_DIR
       pv_check.py banner PDF TEXT
Exit 0 if everything is found, 1 with the list of what is missing."""
import hashlib
import json
import re
import subprocess
import sys

missing = []


def text_of(pdf):
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    return out


def norm(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def want(text, phrase, where):
    if norm(phrase) not in text:
        missing.append(f"{where}: {phrase!r}")


class Fmt:
    def __init__(self, en):
        self.en = en

    def dec(self, d):
        return d if self.en else d.replace(".", ",")

    def frac(self, f):
        if f["den"] == 1:
            return self.dec(f["decimal"])
        return f"{f['num']}/{f['den']} ≈ {self.dec(f['decimal'])}"


FR = {
    "inscrits": "Électeurs inscrits {}",
    "votants": "Votants (bulletins dans l'urne) {}",
    "blancs": "Bulletins blancs {} (sans liste : {} ; liste entièrement raturée : {})",
    "nuls": "Bulletins nuls {} (motifs",
    "sve": "Suffrages valablement exprimés (votants − blancs − nuls) {}",
    "seats": "Sièges à pourvoir {}",
    "quotient": "{} / {} = {}",
    "reached": "atteint : 2 × {} = {} ≥ {} inscrits",
    "not-reached": "NON ATTEINT : 2 × {} = {} < {} inscrits",
    "not-applicable": "sans objet au second tour",
    "second": "un second tour est nécessaire",
    "list_head": "Liste n° {} : {}",
    "union": "{} (répartition {}",
    "union_votes": ", audience {} voix)",
    "numbers": "{} bulletins ; {} candidats ; {} voix des candidats ; moyenne {} / {} = {}",
    "seats_line": "{} au quotient + {} à la plus forte moyenne = {} ; vacants : {} ; pourvus : {}",
    "gender": "femmes {}, hommes {} ; attendu : femmes {}, hommes {}",
    "excess": "{} candidat(s) de sexe {} en excès",
    "breaks": "alternance rompue aux positions {}",
    "tie": "{} siège(s) disputé(s) entre des listes à la même moyenne {} :",
    "emarg": "Écart entre l'urne et la liste d'émargement : {} bulletins dans l'urne, {} émargements.",
    "nul_total": "Total des bulletins nuls {}",
    "vacant": "{} siège(s) reste(nt) vacant(s)",
    "vacant_tie": "{} siège(s) reste(nt) vacant(s), dont {} disputé(s) entre des listes à "
                  "égalité qui n'ont plus de candidat",
    "tie_vacant": "Aucune de ces listes n'a plus de candidat : quelle que soit la liste "
                  "retenue par le bureau, {} siège(s) reste(nt) vacant(s).",
    "yes": "oui", "no10": "non (< 10 %)", "elF": "ÉLUE", "elM": "ÉLU", "notel": "non élu(e)",
    "prop": "exposé(e) à l'annulation (proportion femmes-hommes)",
    "pos": "exposé(e) à l'annulation (alternance)",
    "both": "exposé(e) à l'annulation (proportion et alternance)",
    "hash_r": "R — résultats (results.json)",
    "reasons": ["bulletin illisible (ne porte aucun choix)",
                "bulletin de longueur incorrecte", "bulletin d'une version inconnue",
                "liste inexistante", "marque hors de toute liste",
                "rature au-delà des candidats de la liste", "doublon d'un bulletin précédent",
                "bulletin écarté : sa preuve de chiffrement est fausse"],
    "page": "page {}/{}",
    "foot": "Empreinte SHA-256 des résultats (results.json) : {}",
}
EN = {
    "inscrits": "Registered voters {}",
    "votants": "Voters (ballots in the urn) {}",
    "blancs": "Blank ballots {} (no list: {}; list with every name struck: {})",
    "nuls": "Void ballots {} (reasons",
    "sve": "Valid votes cast (voters − blank − void) {}",
    "seats": "Seats to fill {}",
    "quotient": "{} / {} = {}",
    "reached": "reached: 2 × {} = {} ≥ {} registered",
    "not-reached": "NOT REACHED: 2 × {} = {} < {} registered",
    "not-applicable": "not applicable in the second round",
    "second": "a second round is required",
    "list_head": "List no. {}: {}",
    "union": "{} (split {}",
    "union_votes": ", audience {} votes)",
    "numbers": "{} ballots; {} candidates; {} candidates' votes; average {} / {} = {}",
    "seats_line": "{} at the quotient + {} at the highest average = {}; vacant: {}; filled: {}",
    "gender": "women {}, men {}; expected: women {}, men {}",
    "excess": "{} candidate(s) of sex {} in excess",
    "breaks": "alternation broken at positions {}",
    "tie": "{} seat(s) contested by lists with the same average {}:",
    "emarg": "Difference between the urn and the sign-in list: {} ballots in the urn, {} sign-ins.",
    "nul_total": "Total void ballots {}",
    "vacant": "{} seat(s) remain vacant",
    "vacant_tie": "{} seat(s) remain vacant, of which {} contested between tied lists that "
                  "have no candidate left",
    "tie_vacant": "None of these lists has a candidate left: whichever list the bureau "
                  "chooses, {} seat(s) remain vacant.",
    "yes": "yes", "no10": "no (< 10 %)", "elF": "ELECTED", "elM": "ELECTED",
    "notel": "not elected",
    "prop": "exposed to annulment (share of women and men)",
    "pos": "exposed to annulment (alternation)",
    "both": "exposed to annulment (share and alternation)",
    "hash_r": "R — results (results.json)",
    "reasons": ["unreadable ballot (carries no choice)",
                "ballot of the wrong length", "ballot of an unknown version",
                "list that does not exist", "mark outside any list",
                "strike beyond the list's candidates", "duplicate of an earlier ballot",
                "ballot set aside: its proof of encryption does not hold"],
    "page": "page {}/{}",
    "foot": "SHA-256 of the results (results.json): {}",
}
REASONS = ["unreadable", "wrong-length", "bad-version", "list-out-of-range",
           "non-zero-padding", "bits-beyond-list", "duplicate", "proof-failed"]


def groups(hexs):
    h = hexs.upper()
    return " ".join(h[i:i + 4] for i in range(0, len(h), 4))


def cand_row(T, lst, c):
    rc = "—" if c["ratures"] == 0 else (T["yes"] if c["ratures_count"] else T["no10"])
    if lst["seats"] is None:
        el = "—"
    elif not c["elected"]:
        el = T["notel"]
    else:
        el = T["elF"] if c["sex"] == "F" else T["elM"]
        ex = set(c["exposed"])
        if ex:
            el += " — " + T["both" if len(ex) == 2 else "prop" if "proportion" in ex else "pos"]
    return (f"{c['position']} {c['last_name']} {c['first_name']} {c['sex']} {c['votes']} "
            f"{c['ratures']} {rc} {c['rank']} {el}")


def check_lists(T, F, s, text, where):
    for lst in s["lists"]:
        se = lst["seats"]
        cells = ([se["quotient"], se["average"], se["total"], se["vacant"]] if se
                 else ["—"] * 4)
        want(text, f"{lst['number']} {lst['name']} {lst['ballots']} {lst['candidates_count']} "
             f"{lst['candidate_votes']} {F.dec(lst['average']['decimal'])} "
             f"({lst['candidate_votes']}/{lst['candidates_count']}) "
             + " ".join(str(x) for x in cells), where + " lists table")
        want(text, T["list_head"].format(lst["number"], lst["name"]), where)
        for u in lst["unions"]:
            p = T["union"].format(u["name"], F.frac(u["share"]))
            if u["votes"] is not None:
                p += T["union_votes"].format(F.frac(u["votes"]))
            want(text, p, where + " union")
        want(text, T["numbers"].format(lst["ballots"], lst["candidates_count"],
                                       lst["candidate_votes"], lst["candidate_votes"],
                                       lst["candidates_count"], F.frac(lst["average"])), where)
        if se:
            want(text, T["seats_line"].format(se["quotient"], se["average"], se["total"],
                                              se["vacant"], se["filled"]), where)
        for c in lst["candidates"]:
            want(text, cand_row(T, lst, c), where + " candidate")
        g = lst["gender"]
        if g:
            want(text, T["gender"].format(g["women"], g["men"], g["expected_women"],
                                          g["expected_men"]), where + " gender")
            if g["over_represented"]:
                want(text, T["excess"].format(g["excess"], g["over_represented"]), where)
            if g["alternation_breaks"]:
                want(text, T["breaks"].format(", ".join(str(b) for b in g["alternation_breaks"])),
                     where)


def tie_vacant(s):
    """docs/FORMATS.md "Tie object": the seats the bureau decides between
    lists without a candidate left stay vacant, and are in seats_vacant."""
    for t in s["ties"]:
        left = [tl for tl in t["lists"] if tl["outcome"] == "undecided"]
        if t["decided_by"] == "bureau" and left and all(
                tl["next_candidate"] is None for tl in left):
            return t["undecided"]
    return 0


def check_scrutin(T, F, res, s, text, where):
    want(text, T["inscrits"].format(s["inscrits"]), where)
    want(text, T["votants"].format(s["votants"]), where)
    want(text, T["blancs"].format(s["blancs"], s["blancs_by_kind"]["blank"],
                                  s["blancs_by_kind"]["all-struck"]), where)
    want(text, T["nuls"].format(s["nuls"]), where)
    want(text, T["sve"].format(s["sve"]), where)
    want(text, T["seats"].format(s["seats"]), where)
    want(text, T["quotient"].format(s["sve"], s["seats"], F.frac(s["quotient"])), where)
    want(text, T[s["quorum"]].format(s["sve"], 2 * s["sve"], s["inscrits"]), where)
    if s["second_round_required"]:
        want(text, T["second"], where)
    check_lists(T, F, s, text, where)
    for a in s["union_audience"] or []:
        want(text, f"{a['name']} {F.frac(a['votes'])}", where + " audience")
    for t in s["ties"]:
        want(text, T["tie"].format(t["seats"], F.frac(t["average"])), where + " tie")
        for tl in t["lists"]:
            name = s["lists"][tl["number"] - 1]["name"]
            want(text, f"{tl['number']} — {name} {F.frac(tl['average'])}", where + " tie")
    for i, r in enumerate(REASONS):
        want(text, f"{T['reasons'][i]} {s['nuls_by_reason'][r]}", where + " nul reason")
    want(text, T["nul_total"].format(s["nuls"]), where)
    if s["seats_vacant"]:
        want(text, T["vacant"].format(s["seats_vacant"]), where)
    tv = tie_vacant(s)
    if tv:
        want(text, T["vacant_tie"].format(s["seats_vacant"], tv), where + " vacant")
        want(text, T["tie_vacant"].format(tv), where + " tie")
    vacant = sum(l["seats"]["vacant"] for l in s["lists"] if l["seats"]) + tv
    if vacant != s["seats_vacant"]:
        missing.append(f"{where}: seats_vacant {s['seats_vacant']}, lists and tie {vacant}")
    for irr in res["irregularities"]:
        m = re.fullmatch(r"urn=(\d+) emargement=(\d+)", irr["detail"])
        if irr["scrutin"] == s["scrutin"] and m:
            want(text, T["emarg"].format(m.group(1), m.group(2)), where + " irregularity")


def check_pages(T, raw, sha, where):
    pages = [p for p in raw.split("\f") if p.strip()]
    for k, p in enumerate(pages, 1):
        t = norm(p)
        want(t, T["page"].format(k, len(pages)), f"{where} page {k}")
        want(t, T["foot"].format(sha.upper()), f"{where} page {k} footer")
    return len(pages)


def small(results, pv_dir, en):
    T, F = (EN, Fmt(True)) if en else (FR, Fmt(False))
    raw_json = open(results, "rb").read()
    sha = hashlib.sha256(raw_json).hexdigest()
    res = json.loads(raw_json)
    for s in res["scrutins"]:
        pdf = f"{pv_dir}/pv-{s['scrutin']}.pdf"
        raw = text_of(pdf)
        text = norm(raw)
        check_scrutin(T, F, res, s, text, f"pv-{s['scrutin']}")
        check_pages(T, raw, sha, f"pv-{s['scrutin']}")
        want(text, f"{T['hash_r']} {groups(sha)}", f"pv-{s['scrutin']} hashes")
        want(text, groups(res["election_id"]), f"pv-{s['scrutin']} election id")
        want(text, groups(res["decrypted_ballots"]["sha256"]), f"pv-{s['scrutin']} D hash")
    summary = text_of(f"{pv_dir}/pv-summary.pdf")
    check_pages(T, summary, sha, "pv-summary")
    for s in res["scrutins"]:
        canon = json.dumps(s, indent=2, ensure_ascii=False) + "\n"
        h = hashlib.sha256(canon.encode("utf-8")).hexdigest()
        want(norm(summary), groups(h), f"pv-summary hash of scrutin {s['scrutin']}")
        want(norm(summary), f"{s['scrutin']} {s['college']}", "pv-summary scrutin row")
    check_pages(T, text_of(f"{pv_dir}/pv-ceremony.pdf"), sha, "pv-ceremony")


def big(results, pv_dir):
    raw_json = open(results, "rb").read()
    sha = hashlib.sha256(raw_json).hexdigest()
    res = json.loads(raw_json)
    s = res["scrutins"][0]
    raw = text_of(f"{pv_dir}/pv-1.pdf")
    n = check_pages(FR, raw, sha, "big pv-1")
    if n < 10:
        missing.append(f"big pv-1: only {n} pages")
    text = norm(raw)
    check_scrutin(FR, Fmt(False), res, s, text, "big pv-1")
    for lst in s["lists"]:
        for c in lst["candidates"]:
            row = norm(cand_row(FR, lst, c))
            k = text.count(row + " ")
            if k != 1:
                missing.append(f"big pv-1: candidate row {row!r} printed {k} times")


def banner(pdf, phrase):
    pages = [p for p in text_of(pdf).split("\f") if p.strip()]
    for k, p in enumerate(pages, 1):
        want(norm(p), phrase, f"{pdf} page {k}")


def main():
    if sys.argv[1] == "small":
        small(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "en")
    elif sys.argv[1] == "big":
        big(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "banner":
        banner(sys.argv[2], sys.argv[3])
    for m in missing[:40]:
        print("MISSING", m)
    if missing:
        print(f"{len(missing)} missing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
