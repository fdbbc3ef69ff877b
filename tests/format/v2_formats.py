#!/usr/bin/python3
"""An independent reader of the v2 files, written from docs/FORMATS.md alone
(Python integers, no Sceau code): the urn's ballots.bin (sceau-urn/2), each
scrutin's shuffle file, and ballots-decrypted.bin (v2), checked against the
worked vectors of tests/data/v2-formats (README.md there) and the claims of
their expected.json:

  - every urn record well formed, its tracker, the order, its proof of
    knowledge, and the set-aside rule (a failed proof; an A already seen
    among the earlier ballots whose proof held);
  - each shuffle file's header, size and layout, its N the number of the
    scrutin's ballots kept; its outputs open, with the test key, to the
    same points M as its inputs (the shuffle's proof itself is checked by
    tests/crypto/sceau_v2_ref.py, another independent implementation);
  - every decrypted ballot in shuffled order, its DLEQ proof, S = s A',
    M = B' - S decoded, and the plaintexts per scrutin those of the cast.

    v2_formats.py DIR     exit 0 if every check holds
"""
import hashlib
import json
import os
import sys

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)
INF = None


class Bad(Exception):
    pass


def add(p, q):
    if p is INF:
        return q
    if q is INF:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return INF
    if p == q:
        lam = (3 * p[0] * p[0] - 3) * pow(2 * p[1], P - 2, P) % P
    else:
        lam = (q[1] - p[1]) * pow(q[0] - p[0], P - 2, P) % P
    x = (lam * lam - p[0] - q[0]) % P
    return (x, (lam * (p[0] - x) - p[1]) % P)


def neg(p):
    return INF if p is INF else (p[0], (P - p[1]) % P)


def mul(k, p):
    r, k = INF, k % N
    while k:
        if k & 1:
            r = add(r, p)
        p = add(p, p)
        k >>= 1
    return r


def point(b, what):
    """SEC1 uncompressed, on the curve: FORMATS.md "Points"."""
    if len(b) != 65 or b[0] != 4:
        raise Bad(f"{what}: not 04 || X || Y")
    x, y = int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:], "big")
    if x >= P or y >= P or (y * y - x * x * x + 3 * x - B) % P:
        raise Bad(f"{what}: not on P-256")
    return (x, y)


def enc(p):
    return b"\x04" + p[0].to_bytes(32, "big") + p[1].to_bytes(32, "big")


def scalar(b, what):
    v = int.from_bytes(b, "big")
    if v >= N:
        raise Bad(f"{what}: not below n")
    return v


def h(tag, *parts):
    """The tagged hash: SHA-256(u32be(len tag) || tag || u32be(len x) || x ...)."""
    d = hashlib.sha256()
    d.update(len(tag).to_bytes(4, "big") + tag.encode())
    for x in parts:
        d.update(len(x).to_bytes(4, "big") + x)
    return d.digest()


def hn(tag, *parts):
    return int.from_bytes(h(tag, *parts), "big") % N


def u16(v):
    return v.to_bytes(2, "big")


def decode(M, pt_len):
    """The plaintext a point carries (FORMATS.md "Plaintext as a point"), or None."""
    if M is INF:
        return None
    x = M[0].to_bytes(32, "big")
    if x[0] != 0 or any(x[1 + pt_len:31]):
        return None
    return x[1:1 + pt_len]


def read_urn(path, eid, scrutins):
    """The records in urn order: (tracker, scrutin, A, B, proof_ok)."""
    data = open(path, "rb").read()
    if data[:8] != b"SCEAUBAL" or data[8:10] != u16(2) or data[10:12] != b"\0\0":
        raise Bad("ballots.bin: header")
    count = int.from_bytes(data[12:16], "big")
    if len(data) != 16 + 196 * count:
        raise Bad("ballots.bin: size is not 16 + 196 count")
    out, prev = [], None
    for k in range(count):
        rec = data[16 + 196 * k:16 + 196 * (k + 1)]
        sid = int.from_bytes(rec[:2], "big")
        if sid not in scrutins:
            raise Bad(f"record {k + 1}: scrutin {sid}")
        A, Bp = point(rec[2:67], f"record {k + 1} A"), point(rec[67:132], f"record {k + 1} B")
        c, z = scalar(rec[132:164], "c"), scalar(rec[164:196], "z")
        tracker = h("sceau/tracker/v2", rec)
        if prev is not None and tracker <= prev:
            raise Bad(f"record {k + 1}: not strictly after the previous tracker")
        prev = tracker
        T = add(mul(z, G), neg(mul(c, A)))
        ok = T is not INF and hn("sceau/ballot-pok/v2", eid, rec[:2], rec[2:67], rec[67:132],
                                  enc(T)) == c
        out.append((tracker, sid, A, Bp, ok))
    return out


def set_aside(records):
    """FORMATS.md: a failed proof; else an A seen before among proofs that held."""
    seen, why = set(), []
    for _, _, A, _, ok in records:
        if not ok:
            why.append("proof-failed")
        elif A in seen:
            why.append("duplicate")
        else:
            seen.add(A)
            why.append(None)
    return why


def read_shuffle(path, eid, sid, n):
    """The header and size of a shuffle file; its OUT part."""
    data = open(path, "rb").read()
    want = b"SCEAUSHF" + u16(2) + b"\0\0" + eid + u16(sid) + b"\0\0" + n.to_bytes(4, "big")
    if data[:52] != want:
        raise Bad(f"{path}: header")
    if len(data) != 505 + 389 * n:
        raise Bad(f"{path}: size is not 505 + 389 N")
    out = []
    for i in range(n):
        o = data[52 + 130 * i:52 + 130 * (i + 1)]
        out.append((point(o[:65], "A'"), point(o[65:], "B'")))
    # each part where FORMATS.md puts it: C, C^, t^ points; s^, s' scalars
    for j in range(n):
        point(data[52 + 130 * n + 65 * j:][:65], "C")
        point(data[52 + 195 * n + 65 * j:][:65], "C^")
        point(data[377 + 260 * n + 65 * j:][:65], "t^")
        scalar(data[505 + 325 * n + 32 * j:][:32], "s^")
        scalar(data[505 + 357 * n + 32 * j:][:32], "s'")
    for t in range(5):
        point(data[52 + 260 * n + 65 * t:][:65], "T")
    for t in range(4):
        scalar(data[377 + 325 * n + 32 * t:][:32], "S")
    return out


def read_decrypted(path, eid, pk, pt_lens, outs):
    """Every entry: order, proof, M = B' - S; the plaintexts per scrutin."""
    data = open(path, "rb").read()
    if data[:8] != b"SCEAUDEC" or data[8:10] != u16(2) or data[10:12] != b"\0\0":
        raise Bad("ballots-decrypted.bin: header")
    count, off, last, got = int.from_bytes(data[12:16], "big"), 16, (0, 0), {}
    for k in range(count):
        sid = int.from_bytes(data[off:off + 2], "big")
        i = int.from_bytes(data[off + 2:off + 6], "big")
        if (sid, i) != ((last[0], last[1] + 1) if sid == last[0] else (sid, 1)) or sid < last[0]:
            raise Bad(f"entry {k + 1}: not in scrutin then shuffled order")
        last = (sid, i)
        S = point(data[off + 6:off + 71], "S")
        c, z = scalar(data[off + 71:off + 103], "c"), scalar(data[off + 103:off + 135], "z")
        status, L = data[off + 135], pt_lens[sid]
        pt = data[off + 136:off + 136 + L]
        off += 136 + L
        A, Bp = outs[sid][i - 1]
        K1 = add(mul(z, G), neg(mul(c, pk)))
        K2 = add(mul(z, A), neg(mul(c, S)))
        if K1 is INF or K2 is INF or hn("sceau/dleq/v2", eid, u16(sid), enc(pk), enc(A),
                                        enc(Bp), enc(S), enc(K1), enc(K2)) != c:
            raise Bad(f"entry {k + 1}: the DLEQ proof does not hold")
        m = decode(add(Bp, neg(S)), L)
        if (status, pt) != ((0, m) if m is not None else (1, bytes(L))):
            raise Bad(f"entry {k + 1}: status or plaintext is not what M carries")
        got.setdefault(sid, []).append(pt if status == 0 else None)
    if off != len(data):
        raise Bad("ballots-decrypted.bin: bytes after the last entry")
    return got


def main(d):
    exp = json.load(open(os.path.join(d, "expected.json")))
    elec = open(os.path.join(d, "election.json"), "rb").read()
    eid = hashlib.sha256(elec).digest()
    if eid.hex() != exp["election_id"]:
        raise Bad("election_id")
    e = json.loads(elec)
    pt_lens = {s["id"]: 3 + (max(len(l["candidates"]) for l in s["lists"]) + 7) // 8
               for s in e["scrutins"]}
    sk = int(exp["secret_key"], 16)
    pk = mul(sk, G)
    if enc(pk).hex() != exp["public_key"]:
        raise Bad("public key")
    recs = read_urn(os.path.join(d, "ballots.bin"), eid, pt_lens)
    why = set_aside(recs)
    cast = exp["cast"]
    for (t, sid, _, _, _), w, u in zip(recs, why, exp["urn"], strict=True):
        if t.hex() != u["tracker"] or w != u["set_aside"] or cast[u["cast"]]["scrutin"] != sid:
            raise Bad(f"urn record {u['seq']}: not what expected.json says")
    outs, kept = {}, {}
    for sh in exp["shuffles"]:
        sid = sh["scrutin"]
        ins = [(A, Bp) for (_, s2, A, Bp, _), w in zip(recs, why) if s2 == sid and w is None]
        if sh["n"] != len(ins) or sh["file"] != f"shuffle-{sid}.bin":
            raise Bad(f"shuffle of scrutin {sid}: N")
        path = os.path.join(d, sh["file"])
        if hashlib.sha256(open(path, "rb").read()).hexdigest() != sh["sha256"]:
            raise Bad(f"{sh['file']}: SHA-256")
        outs[sid] = read_shuffle(path, eid, sid, len(ins))
        opened = sorted(enc(add(Bp, neg(mul(sk, A)))) for A, Bp in ins)
        if opened != sorted(enc(add(Bp, neg(mul(sk, A)))) for A, Bp in outs[sid]):
            raise Bad(f"{sh['file']}: the outputs do not open to the inputs' points")
        kept[sid] = sorted((bytes.fromhex(cast[u["cast"]]["plaintext"]) for u, w in
                            zip(exp["urn"], why) if w is None and cast[u["cast"]]["scrutin"] == sid),
                           key=bytes.hex)
        with open(path + ".inputs", "wb") as f:
            f.write(b"".join(enc(A) + enc(Bp) for A, Bp in ins))
    got = read_decrypted(os.path.join(d, "ballots-decrypted.bin"), eid, pk, pt_lens, outs)
    for sid, pts in got.items():
        # the unreadable ballot was cast with a point for M: its cast plaintext is 00..
        norm = sorted((p if p is not None else bytes(pt_lens[sid]) for p in pts), key=bytes.hex)
        if norm != kept[sid]:
            raise Bad(f"scrutin {sid}: the plaintexts are not the cast's")
    print(f"v2 files in {d}: {len(recs)} urn records ({sum(w is not None for w in why)} set "
          f"aside), {len(outs)} shuffle files, {sum(len(v) for v in got.values())} "
          "decryptions: every check holds")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Bad as err:
        print(f"FAIL: {err}", file=sys.stderr)
        sys.exit(1)
