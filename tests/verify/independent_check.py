#!/usr/bin/python3
"""An outsider's check of a sealed Sceau archive, written from docs/FORMATS.md
alone: it imports nothing of Sceau and reads no Sceau source, so that it
fails when the document is wrong or silent (the section it relies on is
named beside each check). The key order of every object documented as a
table is read from that table in docs/FORMATS.md itself. It recomputes:

  - the canonical JSON text of results.json (key order from the tables of
    "Results (sceau-results/1)" and "The results file", layout from
    "Canonical JSON"), byte for byte, and of record.json, manifest.json and
    the two signatures files; the fractions' decimals; seats_vacant;
  - the journal of session.db, entry by entry, and its head ("Journal");
  - firmware.txt ("Archive");
  - the card signature digests, their number (at least the record's
    threshold) and, when Python's `cryptography` is installed (Debian's
    python3-cryptography), the ECDSA signatures ("Card signatures");
  - the two QR payloads of every PV from the archive's files, and compares
    them with the codes zbarimg decodes from the PDFs ("QR codes of the PV").

usage: independent_check.py [--no-qr] ARCHIVE_DIR
(--no-qr: everything but the QR codes, which need pdftoppm and zbarimg.)
Exit 0 if everything holds; 1 with one line per failure.
"""
import hashlib
import json
import os
import re
import sqlite3
import struct
import subprocess
import sys
import tempfile

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils
except ImportError:  # the digests are still checked
    ec = None

failures = []


def fail(what):
    failures.append(what)


def sha256(data):
    return hashlib.sha256(data).digest()


def tagged(tag, parts):
    """'Hashes with a domain tag'."""
    h = hashlib.sha256()
    h.update(struct.pack(">I", len(tag)) + tag)
    for p in parts:
        h.update(struct.pack(">I", len(p)) + p)
    return h.digest()


# ---- canonical JSON ("Canonical JSON") ------------------------------------------

ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
           "\r": "\\r", "\t": "\\t"}


def canon_string(s):
    out = ['"']
    for ch in s:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canon(v, depth=0):
    pad, inner = "  " * depth, "  " * (depth + 1)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        if v < 0:
            raise ValueError("a negative number")
        return str(v)
    if isinstance(v, str):
        return canon_string(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[" + ",".join("\n" + inner + canon(x, depth + 1) for x in v) + "\n" + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{" + ",".join("\n" + inner + canon_string(k) + ": " + canon(x, depth + 1)
                              for k, x in v.items()) + "\n" + pad + "}"
    raise ValueError("not a JSON value of the box: %r" % (v,))


def canon_file(v):
    return (canon(v) + "\n").encode("utf-8")


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key " + k)
        d[k] = v
    return d


def load_json(data, name):
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates,
                          parse_float=lambda x: float("nan"))
    except (ValueError, UnicodeDecodeError) as e:
        fail(f"{name}: not strict JSON ({e})")
        return None


# A schema is None (a scalar), [(key, schema), ...] (an object, keys in the
# documented order) or ("array", schema). A null value passes any schema
# (the tables say where null is allowed; the box's reader checks that).
def arr(x):
    return ("array", x)


FORMATS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                       "FORMATS.md")
with open(FORMATS, encoding="utf-8") as _f:
    DOC = _f.read().splitlines()


def doc_keys(anchor):
    """The keys of the first table after the line starting with anchor, in
    the table's order: every `name` of each row's first cell (a row may
    name two keys, "`last_name`, `first_name`")."""
    start = next(i for i, line in enumerate(DOC) if line.startswith(anchor))
    rows = []
    for line in DOC[start + 1:]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    keys = []
    for row in rows[2:]:   # header and separator
        keys += re.findall(r"`([^`]+)`", row.split("|")[1])
    return keys


def doc_schema(anchor, nested):
    """[(key, schema)] in the order of the documented table; nested gives
    the schema of the keys that are not scalars."""
    keys = doc_keys(anchor)
    unknown = set(nested) - set(keys)
    if unknown:
        raise SystemExit(f"docs/FORMATS.md {anchor!r}: no key {sorted(unknown)}")
    return [(k, nested.get(k)) for k in keys]


FRAC = doc_schema("No number is ever a JSON real", {})
REASONS = ["unreadable", "wrong-length", "bad-version", "list-out-of-range",
           "non-zero-padding", "bits-beyond-list", "duplicate", "proof-failed"]
CANDIDATE = doc_schema("Candidate object:", {"exposed": arr(None)})
GENDER = doc_schema("Gender object", {"alternation_breaks": arr(None)})
LIST = doc_schema("### List object", {
    "unions": arr([("name", None), ("share", FRAC), ("votes", FRAC)]),
    "average": FRAC,
    "seats": [(k, None) for k in ("quotient", "average", "total", "vacant", "filled")],
    "candidates": arr(CANDIDATE), "gender": GENDER})
TIE = doc_schema("### Tie object", {
    "average": FRAC,
    "lists": arr([("number", None), ("average", FRAC), ("next_candidate", None),
                  ("birth_date", None), ("outcome", None)])})
SCRUTIN = doc_schema("### Scrutin object", {
    "blancs_by_kind": [("blank", None), ("all-struck", None)],
    "nuls_by_reason": [(r, None) for r in REASONS], "quotient": FRAC,
    "lists": arr(LIST), "union_audience": arr([("name", None), ("votes", FRAC)]),
    "ties": arr(TIE), "notices": arr(None)})
RESULTS = doc_schema("## The results file", {
    "inputs": [("record_sha256", None), ("urn_sha256", None), ("emargement_sha256", None)],
    "decrypted_ballots": [("file", None), ("count", None), ("sha256", None)],
    "irregularities": arr([("scrutin", None), ("kind", None), ("detail", None)]),
    "scrutins": arr(SCRUTIN)})
RECORD = doc_schema("## Public election record", {
    "commitments": arr(None),
    "cards": arr(doc_schema("Each element of `cards`:", {
        "member": [("role", None), ("last_name", None), ("first_name", None)]})),
    "ceremony": doc_schema("`ceremony`:", {})})
MANIFEST = [(k, None) for k in ("format", "election_id", "sealed_at", "journal_head",
                                "firmware_sha256")] + \
    [("files", arr([("name", None), ("size", None), ("sha256", None)]))]
SIGNATURES = [(k, None) for k in ("format", "subject", "file_sha256", "digest")] + \
    [("signatures", arr([("card", None), ("signature", None)]))]


def ordered(v, schema, where):
    """v with its members in the documented order; a missing or unknown key
    is a failure."""
    if v is None or schema is None:
        return v
    if isinstance(schema, tuple):
        if not isinstance(v, list):
            raise ValueError(f"{where}: not an array")
        return [ordered(x, schema[1], f"{where}[{i}]") for i, x in enumerate(v)]
    if not isinstance(v, dict):
        raise ValueError(f"{where}: not an object")
    keys = [k for k, _ in schema]
    if set(v) != set(keys):
        raise ValueError(f"{where}: keys {sorted(set(v) ^ set(keys))} differ from the tables")
    return {k: ordered(v[k], sub, f"{where}.{k}") for k, sub in schema}


def check_canonical(a, name, schema):
    """The file is the canonical text of its parsed value, keys in the
    documented order. Returns the parsed value (or None)."""
    data = read(a, name)
    v = load_json(data, name) if data is not None else None
    if v is None:
        return None
    try:
        text = canon_file(ordered(v, schema, name))
    except ValueError as e:
        fail(f"{name}: {e}")
        return v
    if text != data:
        n = next((i for i in range(min(len(text), len(data))) if text[i] != data[i]),
                 min(len(text), len(data)))
        fail(f"{name}: not its canonical text (first difference at byte {n}: "
             f"{data[max(0, n - 20):n + 20]!r} vs {text[max(0, n - 20):n + 20]!r})")
    return v


def read(a, name):
    try:
        with open(os.path.join(a, name), "rb") as f:
            return f.read()
    except OSError as e:
        fail(f"{name}: {e}")
        return None


# ---- results ----------------------------------------------------------------------


def decimal4(num, den):
    """4 decimals, rounded half up, on integers ("Results": fractions)."""
    q, r = divmod(num * 10000, den)
    if 2 * r >= den:
        q += 1
    return "%d.%04d" % divmod(q, 10000)


def check_fractions(v, where):
    if isinstance(v, dict):
        if set(v) == {"num", "den", "decimal"}:
            n, d = v["num"], v["den"]
            g = __import__("math").gcd(n, d)
            if d < 1 or (g != 1 and n != 0) or (n == 0 and d != 1):
                fail(f"{where}: {n}/{d} not in lowest terms")
            elif v["decimal"] != decimal4(n, d):
                fail(f"{where}: decimal {v['decimal']}, {n}/{d} is {decimal4(n, d)}")
            return
        for k, x in v.items():
            check_fractions(x, f"{where}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            check_fractions(x, f"{where}[{i}]")


def tie_vacant(s):
    """'Tie object': undecided seats between lists without a candidate left."""
    for t in s["ties"]:
        left = [tl for tl in t["lists"] if tl["outcome"] == "undecided"]
        if t["decided_by"] == "bureau" and left and all(
                tl["next_candidate"] is None for tl in left):
            return t["undecided"]
    return 0


def check_results(a, res):
    files = {n: read(a, n) for n in ("election.json", "record.json", "urn.iso",
                                     "emargement.iso", "ballots-decrypted.bin")}
    if any(x is None for x in files.values()):
        return
    if res["election_id"] != sha256(files["election.json"]).hex():
        fail("results.json: election_id is not SHA-256 of election.json")
    for key, name in (("record_sha256", "record.json"), ("urn_sha256", "urn.iso"),
                      ("emargement_sha256", "emargement.iso")):
        if res["inputs"].get(key) != sha256(files[name]).hex():
            fail(f"results.json: inputs.{key} is not SHA-256 of {name}")
    dec = res["decrypted_ballots"]
    if dec.get("sha256") != sha256(files["ballots-decrypted.bin"]).hex():
        fail("results.json: decrypted_ballots.sha256 is not that of the file")
    check_fractions(res, "results.json")
    for s in res["scrutins"]:
        vacant = sum(l["seats"]["vacant"] for l in s["lists"] if l["seats"]) + tie_vacant(s)
        if vacant != s["seats_vacant"]:
            fail(f"results.json scrutin {s['scrutin']}: seats_vacant {s['seats_vacant']}, "
                 f"the lists' and the tie's vacant seats {vacant}")


# ---- journal ----------------------------------------------------------------------

TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
EVENT = re.compile(rb"[a-z0-9]+([.-][a-z0-9]+)*")


def journal(a):
    """The entries (seq, time, event, detail, prev, hash), each checked, or []."""
    path = os.path.abspath(os.path.join(a, "session.db"))
    try:
        # immutable: read the file as it is, without writing beside it
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        db.text_factory = bytes
        rows = db.execute("SELECT seq, time, event, detail, prev, hash FROM journal"
                          " ORDER BY seq").fetchall()
        db.close()
    except sqlite3.Error as e:
        fail(f"session.db: {e}")
        return []
    prev = bytes(32)
    for n, (seq, time, event, detail, p, h) in enumerate(rows, 1):
        where = f"session.db journal entry {seq}"
        if seq != n:
            fail(f"{where}: expected seq {n}")
        if not (isinstance(time, bytes) and TIME.fullmatch(time)):
            fail(f"{where}: time {time!r} is not YYYY-MM-DDTHH:MM:SSZ")
        if not (isinstance(event, bytes) and 1 <= len(event) <= 63 and EVENT.fullmatch(event)):
            fail(f"{where}: event {event!r}")
        if not (isinstance(detail, bytes) and len(detail) <= 2047 and b"\0" not in detail):
            fail(f"{where}: detail {detail!r}")
        if p != prev:
            fail(f"{where}: prev is not the previous entry's hash")
        want = tagged(b"sceau/journal/v1",
                      [struct.pack(">Q", seq), p or b"", time or b"", event or b"",
                       detail or b""])
        if h != want:
            fail(f"{where} ({event!r}): hash {h.hex() if h else h}, recomputed {want.hex()}")
        prev = h if isinstance(h, bytes) else b""
    if not rows:
        fail("session.db: the journal is empty")
    return rows


# ---- firmware.txt, manifest -----------------------------------------------------------

FIRMWARE = re.compile(rb"firmware_sha256 ([0-9a-f]{64})\ncrypto_library ([ -~]+)\n"
                      rb"simulation_build ([01])\n")


def check_firmware(a, manifest, rows):
    data = read(a, "firmware.txt")
    m = FIRMWARE.fullmatch(data or b"")
    if not m:
        fail(f"firmware.txt: not the three documented lines: {data!r}")
        return None
    fw = m.group(1).decode()
    if manifest and manifest["firmware_sha256"] != fw:
        fail("manifest.json: firmware_sha256 is not firmware.txt's")
    sealed = [r for r in rows if r[2] == b"session.sealed"]
    if not sealed or sealed[-1][3] != b"firmware=" + fw.encode():
        fail("journal: no session.sealed entry with firmware=" + fw)
    return fw


def check_manifest(a, manifest, rows):
    names = sorted(set(os.listdir(a)) - {"manifest.json", "signatures-manifest.json"})
    listed = [f["name"] for f in manifest["files"]]
    if listed != sorted(listed, key=lambda n: n.encode()):
        fail("manifest.json: files not sorted by name")
    if sorted(listed) != names:
        fail(f"manifest.json: lists {listed}, the archive holds {names}")
    for f in manifest["files"]:
        data = read(a, f["name"]) if f["name"] in names else None
        if data is not None and (len(data) != f["size"] or sha256(data).hex() != f["sha256"]):
            fail(f"manifest.json: size or SHA-256 of {f['name']}")
    if rows and manifest["journal_head"] != rows[-1][5].hex():
        fail("manifest.json: journal_head is not the journal's head")
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["sealed_at"]):
        fail("manifest.json: sealed_at " + manifest["sealed_at"])
    elect = read(a, "election.json")
    if elect is not None and manifest["election_id"] != sha256(elect).hex():
        fail("manifest.json: election_id is not SHA-256 of election.json")


# ---- card signatures ------------------------------------------------------------------


def check_signatures(a, record, subject, signed):
    name = f"signatures-{subject}.json"
    sigs = check_canonical(a, name, SIGNATURES)
    data = read(a, signed)
    if sigs is None or data is None or record is None:
        return None
    digest = tagged(f"sceau/sign/{subject}/v1".encode(), [data])
    if sigs["format"] != "sceau-signatures/1" or sigs["subject"] != subject:
        fail(f"{name}: format or subject")
    if sigs["file_sha256"] != sha256(data).hex():
        fail(f"{name}: file_sha256 is not SHA-256 of {signed}")
    if sigs["digest"] != digest.hex():
        fail(f"{name}: digest {sigs['digest']}, recomputed {digest.hex()}")
    cards = [s["card"] for s in sigs["signatures"]]
    if cards != sorted(set(cards)) or not all(1 <= c <= len(record["cards"]) for c in cards):
        fail(f"{name}: cards {cards} not increasing, or not cards of the record")
        return None
    if len(cards) < record["threshold"]:
        fail(f"{name}: {len(cards)} signatures, the threshold is {record['threshold']}")
    for s in sigs["signatures"]:
        sig = bytes.fromhex(s["signature"])
        if len(sig) != 64 or s["signature"] != sig.hex():
            fail(f"{name}: card {s['card']}: signature is not 128 lower-case hex")
        elif ec is not None:
            pub = bytes.fromhex(record["cards"][s["card"] - 1]["card_signing_key"])
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub)
            der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                             int.from_bytes(sig[32:], "big"))
            try:
                key.verify(der, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
            except InvalidSignature:
                fail(f"{name}: card {s['card']}: the signature does not verify")
    return sigs


# ---- QR codes of the PV -----------------------------------------------------------------


def qr_expected(a, rows, fw, sigs, scrutin):
    def h(name):
        data = read(a, name)
        return sha256(data).hex().upper() if data is not None else "?"

    rendered = [i for i, r in enumerate(rows) if r[2] == b"pv.rendered"]
    j = rows[rendered[-1] - 1][5].hex().upper() if rendered and rendered[-1] > 0 else "?"
    if not rendered:
        fail("journal: no pv.rendered entry")
    # X: H("sceau/shuffle-files/v2"; u16be(id), SHA-256 of shuffle-<id>.bin, for
    # each scrutin with a shuffle file, in id order)
    ids = sorted(int(m.group(1)) for m in (re.match(r"shuffle-([0-9]+)\.bin$", f)
                                           for f in os.listdir(a)) if m)
    x = tagged(b"sceau/shuffle-files/v2",
               [p for k in ids for p in (struct.pack(">H", k), sha256(read(a, f"shuffle-{k}.bin")))])
    out = {f"SCEAU2:H:{scrutin}:E:{h('election.json')}:R:{h('results.json')}"
           f":U:{h('urn.iso')}:M:{h('emargement.iso')}:X:{x.hex().upper()}"
           f":D:{h('ballots-decrypted.bin')}:J:{j}:F:{fw.upper()}"}
    if sigs and sigs["signatures"]:
        out.add(f"SCEAU2:S:{scrutin}:R:{h('results.json')}" + "".join(
            f":{s['card']}:{s['signature'].upper()}" for s in sigs["signatures"]))
    return out


def qr_decoded(pdf, tmp):
    """The QR payloads zbarimg reads on the pages that print a payload's
    first field in clear ("the same hex is printed under each code")."""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    found = set()
    for k in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        if "SCEAU2:" not in text:
            continue
        stem = os.path.join(tmp, f"p{k}")
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(k), "-l", str(k),
                        pdf, stem], check=True)
        for png in sorted(f for f in os.listdir(tmp) if f.startswith(f"p{k}-")):
            r = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable",
                                os.path.join(tmp, png)],
                               capture_output=True, text=True)
            found |= {line for line in r.stdout.splitlines() if line}
            os.unlink(os.path.join(tmp, png))
    return found


def check_qr(a, results, rows, fw, sigs):
    docs = [(f"pv-{s['scrutin']}.pdf", s["scrutin"]) for s in results["scrutins"]]
    docs += [("pv-summary.pdf", 0), ("pv-ceremony.pdf", 0)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, scrutin in docs:
            pdf = os.path.join(a, name)
            if not os.path.exists(pdf):
                fail(f"{name}: missing")
                continue
            want = qr_expected(a, rows, fw, sigs, scrutin)
            got = qr_decoded(pdf, tmp)
            if got != want:
                fail(f"{name}: QR codes {sorted(got)}, recomputed {sorted(want)}")


def main():
    args = sys.argv[1:]
    qr = "--no-qr" not in args
    args = [x for x in args if x != "--no-qr"]
    if len(args) != 1:
        sys.exit(__doc__)
    a = args[0]
    results = check_canonical(a, "results.json", RESULTS)
    record = check_canonical(a, "record.json", RECORD)
    manifest = check_canonical(a, "manifest.json", MANIFEST)
    rows = journal(a)
    if results:
        check_results(a, results)
    if manifest:
        check_manifest(a, manifest, rows)
    fw = check_firmware(a, manifest, rows)
    sigs = check_signatures(a, record, "results", "results.json")
    check_signatures(a, record, "manifest", "manifest.json")
    if qr and results and rows and fw:
        check_qr(a, results, rows, fw, sigs)
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"independent check passed: {len(rows)} journal entries, "
              f"ECDSA {'checked' if ec is not None else 'not checked (no cryptography)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
