#!/usr/bin/env python3
"""Facts about an urn or an émargement extracted from its ISO image, for
tests/platform/test_cast.sh. Written from docs/FORMATS.md and the headers
(format/urn.h, emargement.h, media_manifest.h), not from the simulator's code.

usage: inspect_media.py DEFINITION RECORD KIND:DIR...
For each KIND (urn or emargement) and DIR (the extracted image), writes
"key=value" lines to DIR.facts; seals are checked by the caller (node).
One run for every image, since starting python is slow on a busy machine.
"""
import hashlib
import json
import struct
import sys
from datetime import datetime

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


def on_curve(pt):
    if len(pt) != 65 or pt[0] != 4:
        return False
    x = int.from_bytes(pt[1:33], "big")
    y = int.from_bytes(pt[33:], "big")
    if x >= P or y >= P:
        return False
    return (y * y - (x * x * x - 3 * x + B)) % P == 0


def tracker(record):
    tag = b"sceau/tracker/v2"
    h = hashlib.sha256()
    h.update(struct.pack(">I", len(tag)) + tag)
    h.update(struct.pack(">I", len(record)) + record)
    return h.digest()


def manifest_facts(d, data, definition, record):
    m = json.load(open(d + "/manifest.json", encoding="utf-8"))
    f = m["files"][0]
    out = {
        "format": m["format"],
        "file": f["name"],
        "sha_ok": int(f["sha256"] == hashlib.sha256(data).hexdigest()),
        "size_ok": int(f["size"] == len(data)),
        "election_ok": int(m["election_id"] ==
                           hashlib.sha256(open(definition, "rb").read()).hexdigest()),
        "record_ok": int(m["record_sha256"] ==
                         hashlib.sha256(open(record, "rb").read()).hexdigest()),
        "closed_at": m["closed_at"],
        "manifest_counts": ",".join(str(c["count"]) for c in m["counts"]),
        "manifest_total": m["total"],
    }
    sig = open(d + "/manifest.sig", "rb").read()
    out["sig_form_ok"] = int(len(sig) == 129 and sig.endswith(b"\n") and
                             all(c in b"0123456789abcdef" for c in sig[:128]))
    return out


N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def urn_facts(data, definition):
    """ballots.bin v2: 16-byte header, then records of 196 bytes:
    u16 scrutin | A (65) | B (65) | c (32) | z (32)."""
    defn = json.load(open(definition, encoding="utf-8"))
    counts = {s["id"]: 0 for s in defn["scrutins"]}
    assert data[:8] == b"SCEAUBAL" and data[8:12] == b"\0\2\0\0"
    header = struct.unpack(">I", data[12:16])[0]
    recs = [data[p:p + 196] for p in range(16, len(data) - 195, 196)]
    bad = big = inv = dup = same_a = 0
    prev, seen = None, set()
    for r in recs:
        counts[struct.unpack(">H", r[:2])[0]] += 1
        bad += not on_curve(r[2:67]) or not on_curve(r[67:132])
        big += int.from_bytes(r[132:164], "big") >= N or int.from_bytes(r[164:], "big") >= N
        same_a += r[2:67] in seen
        seen.add(r[2:67])
        t = tracker(r)
        if prev is not None:
            inv += t < prev
            dup += t == prev
        prev = t
    return {
        "header_count": header,
        "records": len(recs),
        "trailing": (len(data) - 16) % 196,
        "counts": ",".join(str(counts[s]) for s in sorted(counts)),
        "bad_points": bad,
        "big_scalars": big,
        "same_a": same_a,
        "inversions": inv,
        "duplicates": dup,
    }


def emargement_facts(data, definition):
    defn = json.load(open(definition, encoding="utf-8"))
    window = {s["id"]: (datetime.fromisoformat(s["opens"]).timestamp(),
                        datetime.fromisoformat(s["closes"]).timestamp())
              for s in defn["scrutins"]}
    counts = {s: 0 for s in window}
    assert data[:8] == b"SCEAUEMG" and data[8:12] == b"\0\1\0\0"
    header = struct.unpack(">I", data[12:16])[0]
    pos, n, prev = 16, 0, None
    unsorted = dup = 0
    refs_ok = times_ok = 1
    offsets = set()
    while pos + 13 <= len(data):
        sid, t, off, vlen = struct.unpack(">HqhB", data[pos:pos + 13])
        v = data[pos + 13:pos + 13 + vlen]
        pos += 13 + vlen
        n += 1
        counts[sid] += 1
        refs_ok &= int(len(v) == vlen == 13 and v[:1] == b"V" and
                       all(c in b"0123456789abcdef" for c in v[1:]))
        times_ok &= int(946684800 <= t < 4102444800 and
                        window[sid][0] <= t <= window[sid][1])
        offsets.add(off)
        key = (sid, v)  # bytes compare as FORMATS.md says: a prefix first
        if prev is not None:
            unsorted += key < prev
            dup += key == prev
        prev = key
    return {
        "header_count": header,
        "entries": n,
        "trailing": int(pos != len(data)),
        "counts": ",".join(str(counts[s]) for s in sorted(counts)),
        "unsorted": unsorted,
        "duplicates": dup,
        "refs_ok": refs_ok,
        "times_ok": times_ok,
        "offsets": ",".join(str(o) for o in sorted(offsets)),
    }


def inspect(kind, d, definition, record):
    name = "ballots.bin" if kind == "urn" else "entries.bin"
    data = open(d + "/" + name, "rb").read()
    facts = manifest_facts(d, data, definition, record)
    if kind == "urn":
        facts.update(urn_facts(data, definition))
    else:
        facts.update(emargement_facts(data, definition))
    with open(d + ".facts", "w", encoding="utf-8") as out:
        for k, v in facts.items():
            out.write(f"{k}={v}\n")


def main():
    definition, record = sys.argv[1:3]
    for arg in sys.argv[3:]:
        kind, d = arg.split(":", 1)
        inspect(kind, d, definition, record)


main()
