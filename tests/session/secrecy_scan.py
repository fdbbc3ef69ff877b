#!/usr/bin/env python3
"""The secrecy scan of tests/session/test_secrecy.sh (issue 15, item 7).

usage: secrecy_scan.py BALLOTS_BIN SESSION_DIR LOG...

From the urn's ballots.bin (docs/FORMATS.md "Urn v2": 16-byte header, then
196-byte records u16 scrutin | A | B | c | z), every tracker
(H("sceau/tracker/v2"; record)), every A and B, and the x coordinate of
each A and B are looked for, as binary, lower-case hex and upper-case hex:
  - in every file under SESSION_DIR (the archive directory and the PVs
    included) but the urn's own images (urn.iso) and the archive's ISO
    image (archive.iso, a container of the archive's files, each scanned);
  - in every SQLite database there, table by table, every table but
    ballot_chunks (the urn's records as received, which the spec keeps);
  - in the LOG files (what the commands printed);
and the journal's shuffle entries must be exactly the public facts (a
scrutin, its N, its file's SHA-256), with none of the shuffle files'
outputs (A', B') in the journal or the logs: nothing that ties an input
to its output.
"""
import glob
import hashlib
import os
import re
import sqlite3
import struct
import sys

REC = 196


def tagged(tag, *parts):
    h = hashlib.sha256(struct.pack(">I", len(tag)) + tag)
    for p in parts:
        h.update(struct.pack(">I", len(p)) + p)
    return h.digest()


def urn_secrets(path):
    d = open(path, "rb").read()
    assert d[:8] == b"SCEAUBAL" and struct.unpack(">H", d[8:10])[0] == 2
    count = struct.unpack(">I", d[12:16])[0]
    assert len(d) == 16 + REC * count
    out = []
    for i in range(count):
        r = d[16 + REC * i:16 + REC * (i + 1)]
        A, B = r[2:67], r[67:132]
        out += [("tracker", tagged(b"sceau/tracker/v2", r)), ("A", A), ("B", B),
                ("x(A)", A[1:33]), ("x(B)", B[1:33])]
    return out


def forms(secrets):
    pats = []
    for what, b in secrets:
        pats += [(what, b), (what + " hex", b.hex().encode()),
                 (what + " HEX", b.hex().upper().encode())]
    return pats


def scan(name, data, pats, bad):
    for what, p in pats:
        if p in data:
            bad.append("%s holds an urn %s" % (name, what))


def db_rows(path, skip):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for t in tables:
        if t in skip:
            continue
        for row in db.execute('SELECT * FROM "%s"' % t):
            for v in row:
                if isinstance(v, str):
                    yield t, v.encode()
                elif isinstance(v, bytes):
                    yield t, v
    db.close()


def shuffle_outputs(session):
    outs = []
    for f in glob.glob(os.path.join(session, "shuffle-*.bin")):
        d = open(f, "rb").read()
        n = struct.unpack(">I", d[48:52])[0]
        for i in range(n):
            ct = d[52 + 130 * i:52 + 130 * (i + 1)]
            outs += [("shuffled A'", ct[:65]), ("shuffled B'", ct[65:])]
    assert outs, "no shuffle file"
    return outs


JOURNAL_OK = {
    "shuffle.written": re.compile(r"scrutin=\d+ ballots=\d+ sha256=[0-9a-f]{64}"),
    "shuffle.done": re.compile(r"scrutins=\d+ ballots=\d+"),
}


def main():
    ballots, session, logs = sys.argv[1], sys.argv[2], sys.argv[3:]
    pats = forms(urn_secrets(ballots))
    outs = forms(shuffle_outputs(session))
    bad, files, dbs = [], 0, 0
    for root, _, names in os.walk(session):
        for n in names:
            p = os.path.join(root, n)
            rel = os.path.relpath(p, session)
            if n in ("urn.iso", "archive.iso") or os.path.islink(p):
                continue
            data = open(p, "rb").read()
            if data.startswith(b"SQLite format 3\0"):
                dbs += 1
                for t, v in db_rows(p, {"ballot_chunks"}):
                    scan("%s, table %s," % (rel, t), v, pats, bad)
                for t, v in db_rows(p, {"ballot_chunks"}):
                    if t == "journal":
                        scan("%s, journal," % rel, v, outs, bad)
            else:
                scan(rel, data, pats, bad)
            files += 1
    for log in logs:
        data = open(log, "rb").read()
        scan(os.path.basename(log), data, pats + outs, bad)
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(session, "session.db"), uri=True)
    n_shuffle = 0
    for ev, detail in db.execute("SELECT event, detail FROM journal"):
        if ev.startswith("shuffle."):
            n_shuffle += 1
            want = JOURNAL_OK.get(ev)
            if not want or not want.fullmatch(detail):
                bad.append("journal: %s %r is not one of the shuffle's public facts" % (ev, detail))
    files_n = len(glob.glob(os.path.join(session, "shuffle-*.bin")))
    if n_shuffle != files_n + 1:
        bad.append("journal: %d shuffle entries for %d files" % (n_shuffle, files_n))
    for b in sorted(set(bad)):
        print("FAIL:", b)
    print("scanned %d files (%d databases) and %d logs for %d urn values and %d shuffled ones"
          % (files, dbs, len(logs), len(pats) // 3, len(outs) // 3))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
