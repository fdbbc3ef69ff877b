#!/usr/bin/python3
"""Independent reference for the shuffle of Sceau v2 (Python integers only).

Written from /work/notes/v2-spec.md sections 3 and 5 and RFC 9380, without
reading the C code: P-256 in affine coordinates, RFC 9380 hash_to_curve
P256_XMD:SHA-256_SSWU_RO_, the tagged hash, and CheckShuffleProof on a
proof file laid out as in docs/SHUFFLE-V2-NOTES.md.

    sceau_v2_ref.py selftest DIR         RFC 9380 vectors in DIR (tests/data/h2c)
    sceau_v2_ref.py map0                 x of map_to_curve(0), hex
    sceau_v2_ref.py generators EID SCRUTIN COUNT   h, h_1..h_COUNT, hex, one a line
    sceau_v2_ref.py check PROOF INPUTS PK          exit 0 iff the proof verifies
    sceau_v2_ref.py open PROOF SECRET              the x of B' - s*A' of each output
"""
import hashlib
import json
import os
import sys

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)
DST = b"SCEAU-V2-SHUFFLE-GENERATORS_P256_XMD:SHA-256_SSWU_RO_"
O = None  # the point at infinity


def on_curve(pt):
    x, y = pt
    return (y * y - (x * x * x + A * x + B)) % P == 0


def add(p1, p2):
    if p1 is O:
        return p2
    if p2 is O:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return O
    if p1 == p2:
        lam = (3 * x1 * x1 + A) * pow(2 * y1, P - 2, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, P - 2, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


def neg(pt):
    return O if pt is O else (pt[0], (-pt[1]) % P)


def mul(k, pt):
    k %= N
    r = O
    while k:
        if k & 1:
            r = add(r, pt)
        pt = add(pt, pt)
        k >>= 1
    return r


def enc(pt):
    if pt is O:
        raise ValueError("infinity has no encoding")
    return b"\x04" + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")


def dec(b):
    if len(b) != 65 or b[0] != 4:
        raise ValueError("not an uncompressed point")
    pt = (int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:], "big"))
    if pt[0] >= P or pt[1] >= P or not on_curve(pt):
        raise ValueError("not on P-256")
    return pt


# --- RFC 9380 ---------------------------------------------------------------
def expand_xmd(msg, dst, n):
    if len(dst) > 255:
        dst = hashlib.sha256(b"H2C-OVERSIZE-DST-" + dst).digest()
    dstp = dst + bytes([len(dst)])
    ell = (n + 31) // 32
    assert ell <= 255 and n <= 65535
    b0 = hashlib.sha256(bytes(64) + msg + n.to_bytes(2, "big") + b"\0" + dstp).digest()
    bi = hashlib.sha256(b0 + b"\1" + dstp).digest()
    out = bi
    for i in range(2, ell + 1):
        bi = hashlib.sha256(bytes(a ^ b for a, b in zip(b0, bi)) + bytes([i]) + dstp).digest()
        out += bi
    return out[:n]


def hash_to_field(msg, dst):
    u = expand_xmd(msg, dst, 96)
    return [int.from_bytes(u[i * 48:(i + 1) * 48], "big") % P for i in range(2)]


def sqrt(a):
    r = pow(a, (P + 1) // 4, P)
    return r if r * r % P == a % P else None


def map_to_curve(u):
    """RFC 9380 section 6.6.2, Z = -10."""
    z = P - 10
    inv0 = lambda v: pow(v, P - 2, P)
    tv1 = inv0((z * z * pow(u, 4, P) + z * u * u) % P)
    x1 = (-B * inv0(A)) * (1 + tv1) % P
    if tv1 == 0:
        x1 = B * inv0(z * A % P) % P
    gx1 = (x1 ** 3 + A * x1 + B) % P
    x2 = z * u * u * x1 % P
    gx2 = (x2 ** 3 + A * x2 + B) % P
    if sqrt(gx1) is not None:
        x, y = x1, sqrt(gx1)
    else:
        x, y = x2, sqrt(gx2)
    if u % 2 != y % 2:
        y = (-y) % P
    return (x, y)


def hash_to_curve(msg, dst):
    u0, u1 = hash_to_field(msg, dst)
    return add(map_to_curve(u0), map_to_curve(u1))


# --- Sceau's hashes ------------------------------------------------------------
def tagged(tag, parts):
    h = hashlib.sha256(len(tag).to_bytes(4, "big") + tag)
    for x in parts:
        h.update(len(x).to_bytes(4, "big") + x)
    return h.digest()


def hn(tag, parts):
    return int.from_bytes(tagged(tag, parts), "big") % N


def generator(eid, scrutin, index):
    return hash_to_curve(eid + scrutin.to_bytes(2, "big") + index.to_bytes(4, "big"), DST)


# --- the proof file (docs/SHUFFLE-V2-NOTES.md, "File layout") ------------------
MAGIC = b"SCEAUSHF"
HEADER = 52  # magic 8, version 2, reserved 2, election_id 32, scrutin 2, reserved 2, N 4


def parse(proof):
    if proof[:8] != MAGIC or int.from_bytes(proof[8:10], "big") != 2 or proof[10:12] != b"\0\0":
        raise ValueError("bad header")
    eid = proof[12:44]
    scrutin = int.from_bytes(proof[44:46], "big")
    if proof[46:48] != b"\0\0":
        raise ValueError("bad header")
    n = int.from_bytes(proof[48:52], "big")
    off = HEADER
    want = off + n * (130 + 65 + 65 + 65 + 32 + 32) + 5 * 65 + 4 * 32
    if len(proof) != want or n == 0:
        raise ValueError("size %d, expected %d for N = %d" % (len(proof), want, n))

    def take(size, count):
        nonlocal off
        out = [proof[off + i * size: off + (i + 1) * size] for i in range(count)]
        off += size * count
        return out

    f = {"eid": eid, "scrutin": scrutin, "n": n}
    f["out"] = take(130, n)
    f["C"] = take(65, n)
    f["Chat"] = take(65, n)
    f["t"] = take(65, 5)
    f["that"] = take(65, n)
    f["s"] = take(32, 4)
    f["shat"] = take(32, n)
    f["sprime"] = take(32, n)
    return f


def check(proof, inputs, pk_bytes):
    f = parse(proof)
    n, eid, scrutin = f["n"], f["eid"], f["scrutin"]
    if len(inputs) != 130 * n:
        raise ValueError("inputs: %d bytes for N = %d" % (len(inputs), n))
    ins = [inputs[i * 130:(i + 1) * 130] for i in range(n)]
    pk = dec(pk_bytes)
    pt = lambda b: dec(b)
    sc = lambda b: int.from_bytes(b, "big")
    for s in f["s"] + f["shat"] + f["sprime"]:
        if sc(s) >= N:
            raise ValueError("scalar not below n")
    parts = [eid, scrutin.to_bytes(2, "big"), pk_bytes, n.to_bytes(4, "big")]
    for e in ins:
        parts += [e[:65], e[65:]]
    for e in f["out"]:
        parts += [e[:65], e[65:]]
    parts += f["C"]
    seed = tagged(b"sceau/shuffle/v2/statement", parts)
    u = [hn(b"sceau/shuffle/v2/u", [seed, (j + 1).to_bytes(4, "big")]) for j in range(n)]
    c = hn(b"sceau/shuffle/v2/challenge", [seed] + f["Chat"] + f["t"] + f["that"])
    h = generator(eid, scrutin, 0)
    hs = [generator(eid, scrutin, i + 1) for i in range(n)]
    C = [pt(x) for x in f["C"]]
    Ch = [pt(x) for x in f["Chat"]]
    t1, t2, t3, tA, tB = [pt(x) for x in f["t"]]
    th = [pt(x) for x in f["that"]]
    s1, s2, s3, s4 = [sc(x) for x in f["s"]]
    sh = [sc(x) for x in f["shat"]]
    sp = [sc(x) for x in f["sprime"]]
    Ain = [pt(e[:65]) for e in ins]
    Bin = [pt(e[65:]) for e in ins]
    Aout = [pt(e[:65]) for e in f["out"]]
    Bout = [pt(e[65:]) for e in f["out"]]
    ok = True
    Cbar = O
    for j in range(n):
        Cbar = add(add(Cbar, C[j]), neg(hs[j]))
    ok &= t1 == add(mul(c, Cbar), mul(s1, G))
    prod = 1
    for x in u:
        prod = prod * x % N
    Chat = add(Ch[-1], neg(mul(prod, h)))
    ok &= t2 == add(mul(c, Chat), mul(s2, G))
    Ct = At = Bt = O
    for j in range(n):
        Ct = add(Ct, mul(u[j], C[j]))
        At = add(At, mul(u[j], Ain[j]))
        Bt = add(Bt, mul(u[j], Bin[j]))
    r3, rA, rB = add(mul(c, Ct), mul(s3, G)), add(mul(c, At), neg(mul(s4, G))), \
        add(mul(c, Bt), neg(mul(s4, pk)))
    for i in range(n):
        r3 = add(r3, mul(sp[i], hs[i]))
        rA = add(rA, mul(sp[i], Aout[i]))
        rB = add(rB, mul(sp[i], Bout[i]))
    ok &= t3 == r3 and tA == rA and tB == rB
    prev = h
    for i in range(n):
        ok &= th[i] == add(add(mul(c, Ch[i]), mul(sh[i], G)), mul(sp[i], prev))
        prev = Ch[i]
    return ok


def selftest(d):
    with open(os.path.join(d, "P256_XMD_SHA-256_SSWU_RO_.json")) as fh:
        suite = json.load(fh)
    dst = suite["dst"].encode()
    for v in suite["vectors"]:
        u = hash_to_field(v["msg"].encode(), dst)
        assert u == [int(x, 16) for x in v["u"]], v["msg"]
        for k, q in (("Q0", map_to_curve(u[0])), ("Q1", map_to_curve(u[1])),
                     ("P", hash_to_curve(v["msg"].encode(), dst))):
            assert q == (int(v[k]["x"], 16), int(v[k]["y"], 16)), (v["msg"], k)
    for name in ("expand_message_xmd_SHA256_38.json", "expand_message_xmd_SHA256_256.json"):
        with open(os.path.join(d, name)) as fh:
            ex = json.load(fh)
        for t in ex["tests"]:
            got = expand_xmd(t["msg"].encode(), ex["DST"].encode(), int(t["len_in_bytes"], 16))
            assert got.hex() == t["uniform_bytes"], (name, t["msg"])
    print("RFC 9380 vectors: ok")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "selftest":
        selftest(argv[2])
    elif cmd == "map0":
        print("%064x" % map_to_curve(0)[0])
    elif cmd == "generators":
        eid, scrutin, count = bytes.fromhex(argv[2]), int(argv[3]), int(argv[4])
        for i in range(count + 1):
            print(enc(generator(eid, scrutin, i)).hex())
    elif cmd == "check":
        proof = open(argv[2], "rb").read()
        inputs = open(argv[3], "rb").read()
        ok = check(proof, inputs, bytes.fromhex(open(argv[4]).read().strip()))
        print("shuffle proof: " + ("valid" if ok else "INVALID"))
        return 0 if ok else 1
    elif cmd == "open":
        f = parse(open(argv[2], "rb").read())
        s = int(open(argv[3]).read().strip(), 16)
        for e in f["out"]:
            m = add(dec(e[65:]), neg(mul(s, dec(e[:65]))))
            print("%064x" % m[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
