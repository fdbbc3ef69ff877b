#!/usr/bin/python3
"""Independent recomputation of tests/data/v2-vectors.json.

Written from docs/CRYPTO-V2-NOTES.md (sections 1, 2 and 6) alone, with its
own P-256 arithmetic (affine coordinates, Python integers) and the standard
library's hashlib and hmac: nothing of mbedTLS or of Sceau's C. Every output
of every vector is recomputed from the vector's inputs and compared; the
square test of the plaintext encoding uses Euler's criterion, not the C
code's square-and-compare, so that the two differ in method too.

usage: v2_vectors.py VECTORS.json [SELFTEST.c]
With SELFTEST.c, also checks that the v2 known answers of the start-up
self-test (the ST2_* macros) are values of the vectors file.
Exits 0 if everything matches, 1 otherwise.
"""
import hashlib
import hmac
import json
import re
import sys

# NIST P-256 (SEC 2, section 2.4.2)
P = 2**256 - 2**224 + 2**192 + 2**96 - 1
A_COEF = P - 3
B_COEF = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
G = (GX, GY)
INF = None


class Malformed(Exception):
    pass


def on_curve(pt):
    x, y = pt
    return (y * y - (x * x * x + A_COEF * x + B_COEF)) % P == 0


def add(p1, p2):
    if p1 is INF:
        return p2
    if p2 is INF:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return INF
        lam = (3 * x1 * x1 + A_COEF) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


def neg(pt):
    return INF if pt is INF else (pt[0], (-pt[1]) % P)


def mul(k, pt):
    k %= N
    acc = INF
    for bit in bin(k)[2:]:
        acc = add(acc, acc)
        if bit == '1':
            acc = add(acc, pt)
    return acc


def enc(pt):
    """SEC1 uncompressed, 65 bytes; infinity has no encoding."""
    assert pt is not INF
    return b'\x04' + pt[0].to_bytes(32, 'big') + pt[1].to_bytes(32, 'big')


def dec(b):
    """A point from outside: 65 bytes, prefix 04, x, y < p, on the curve."""
    if len(b) != 65 or b[0] != 4:
        raise Malformed('not 65 bytes 04||X||Y')
    x, y = int.from_bytes(b[1:33], 'big'), int.from_bytes(b[33:], 'big')
    if x >= P or y >= P or not on_curve((x, y)):
        raise Malformed('not on P-256')
    return (x, y)


def scalar(b):
    """A scalar from outside: 32 bytes big-endian, < n (0 allowed)."""
    v = int.from_bytes(b, 'big')
    if len(b) != 32 or v >= N:
        raise Malformed('scalar not below n')
    return v


def u16(v):
    return v.to_bytes(2, 'big')


def tagged(tag, *parts):
    h = hashlib.sha256()
    t = tag.encode('ascii')
    h.update(len(t).to_bytes(4, 'big') + t)
    for x in parts:
        h.update(len(x).to_bytes(4, 'big') + x)
    return h.digest()


def hn(tag, *parts):
    return int.from_bytes(tagged(tag, *parts), 'big') % N


def be32(v):
    return v.to_bytes(32, 'big')


# ---- section 1: plaintext as a point ------------------------------------

def ptenc_encode(pt):
    assert 1 <= len(pt) <= 29
    for j in range(256):
        xb = b'\x00' + pt + bytes(30 - len(pt)) + bytes([j])
        x = int.from_bytes(xb, 'big')
        v = (x**3 - 3 * x + B_COEF) % P
        if pow(v, (P - 1) // 2, P) == 1:  # Euler's criterion (v is never 0)
            y = pow(v, (P + 1) // 4, P)
            assert y * y % P == v
            if y % 2:
                y = P - y
            return j, (x, y)
    raise ValueError('no counter')


def ptenc_decode(pt_len, M):
    """The plaintext, or None for "unreadable" (M may be INF)."""
    if M is INF:
        return None
    X = M[0].to_bytes(32, 'big')
    if X[0] != 0 or any(X[1 + pt_len:31]):
        return None
    return X[1:1 + pt_len]


# ---- section 2: ballot ----------------------------------------------------

def pok_challenge(eid, sid, A, B, T):
    return hn('sceau/ballot-pok/v2', eid, u16(sid), enc(A), enc(B), enc(T))


def ballot_encrypt(pk, eid, sid, pt, r, k):
    _, M = ptenc_encode(pt)
    A = mul(r, G)
    B = add(M, mul(r, pk))
    T = mul(k, G)
    c = pok_challenge(eid, sid, A, B, T)
    z = (k + c * r) % N
    record = u16(sid) + enc(A) + enc(B) + be32(c) + be32(z)
    return dict(M=M, A=A, B=B, T=T, c=c, z=z, record=record,
                tracker=tagged('sceau/tracker/v2', record))


def ballot_check(eid, record):
    """'ok', 'proof-failed' or 'malformed', as section 2 says."""
    try:
        if len(record) != 196:
            raise Malformed('length')
        sid = int.from_bytes(record[:2], 'big')
        A, B = dec(record[2:67]), dec(record[67:132])
        c, z = scalar(record[132:164]), scalar(record[164:196])
    except Malformed:
        return 'malformed'
    T = add(mul(z, G), neg(mul(c, A)))
    if T is INF or pok_challenge(eid, sid, A, B, T) != c:
        return 'proof-failed'
    return 'ok'


# ---- section 6: decryption and its proof ----------------------------------

def dleq_challenge(eid, sid, pk, A, B, S, K1, K2):
    return hn('sceau/dleq/v2', eid, u16(sid), enc(pk), enc(A), enc(B), enc(S),
              enc(K1), enc(K2))


def dleq_nonce(s, eid, sid, A, B):
    for ctr in range(256):
        msg = (b'sceau/dleq-nonce/v2' + eid + u16(sid) + enc(A) + enc(B) +
               bytes([ctr]))
        k = int.from_bytes(hmac.new(be32(s), msg, hashlib.sha256).digest(), 'big')
        if 0 < k < N:
            return ctr, k
    raise ValueError('no nonce')


def dleq_verify(pk, eid, sid, A, B, S, proof):
    try:
        pk, A, B, S = dec(pk), dec(A), dec(B), dec(S)
        if len(proof) != 64:
            raise Malformed('proof length')
        c, z = scalar(proof[:32]), scalar(proof[32:])
    except Malformed:
        return 'malformed'
    K1 = add(mul(z, G), neg(mul(c, pk)))
    K2 = add(mul(z, A), neg(mul(c, S)))
    if K1 is INF or K2 is INF or dleq_challenge(eid, sid, pk, A, B, S, K1, K2) != c:
        return 'proof-failed'
    return 'ok'


# ---- the checks -------------------------------------------------------------

class Checker:
    def __init__(self):
        self.failures = 0
        self.checked = 0

    def eq(self, where, what, got, want):
        self.checked += 1
        if got != want:
            self.failures += 1
            print(f'MISMATCH {where}: {what}\n  recomputed {got}\n  in file    {want}')


def hx(b):
    return b.hex() if isinstance(b, (bytes, bytearray)) else b


def check_ptenc(ck, vec):
    for i, v in enumerate(vec['ptenc']):
        pt = bytes.fromhex(v['plaintext'])
        j, M = ptenc_encode(pt)
        where = f'ptenc[{i}] ({v["title"]})'
        ck.eq(where, 'j', j, v['j'])
        ck.eq(where, 'M', enc(M).hex(), v['M'])
        ck.eq(where, 'decode(M)', hx(ptenc_decode(len(pt), M)), v['plaintext'])
    for i, v in enumerate(vec['ptenc_decode']):
        where = f'ptenc_decode[{i}] ({v["title"]})'
        got = ptenc_decode(v['pt_len'], dec(bytes.fromhex(v['M'])))
        ck.eq(where, 'result', 'ok' if got is not None else 'unreadable', v['result'])
        if got is not None:
            ck.eq(where, 'plaintext', got.hex(), v['plaintext'])


def check_ballots(ck, vec, s):
    for i, v in enumerate(vec['ballots']):
        where = f'ballots[{i}] ({v["title"]})'
        pk = dec(bytes.fromhex(v['pk']))
        eid = bytes.fromhex(v['election_id'])
        pt = bytes.fromhex(v['plaintext'])
        b = ballot_encrypt(pk, eid, v['scrutin_id'], pt,
                           int(v['r'], 16), int(v['k'], 16))
        for key in ('M', 'A', 'B', 'T'):
            ck.eq(where, key, enc(b[key]).hex(), v[key])
        ck.eq(where, 'c', be32(b['c']).hex(), v['c'])
        ck.eq(where, 'z', be32(b['z']).hex(), v['z'])
        ck.eq(where, 'record', b['record'].hex(), v['record'])
        ck.eq(where, 'tracker', b['tracker'].hex(), v['tracker'])
        ck.eq(where, 'check', ballot_check(eid, b['record']), 'ok')
        # decryption with the election key gives the plaintext back
        if s is not None and mul(s, G) == pk:
            M = add(b['B'], neg(mul(s, b['A'])))
            ck.eq(where, 'decrypted', hx(ptenc_decode(len(pt), M)), v['plaintext'])
    for i, v in enumerate(vec['ballot_checks']):
        where = f'ballot_checks[{i}] ({v["title"]})'
        got = ballot_check(bytes.fromhex(v['election_id']), bytes.fromhex(v['record']))
        ck.eq(where, 'result', got, v['result'])


def check_dleq_one(ck, i, v):
    where = f'dleq[{i}] ({v["title"]})'
    s = int(v['secret'], 16)
    eid, sid = bytes.fromhex(v['election_id']), v['scrutin_id']
    A, B = dec(bytes.fromhex(v['A'])), dec(bytes.fromhex(v['B']))
    pk = mul(s, G)
    ck.eq(where, 'pk', enc(pk).hex(), v['pk'])
    S = mul(s, A)
    ck.eq(where, 'S', enc(S).hex(), v['S'])
    ctr, k = dleq_nonce(s, eid, sid, A, B)
    ck.eq(where, 'nonce_counter', ctr, v['nonce_counter'])
    ck.eq(where, 'k', be32(k).hex(), v['k'])
    K1, K2 = mul(k, G), mul(k, A)
    ck.eq(where, 'K1', enc(K1).hex(), v['K1'])
    ck.eq(where, 'K2', enc(K2).hex(), v['K2'])
    c = dleq_challenge(eid, sid, pk, A, B, S, K1, K2)
    z = (k + c * s) % N
    ck.eq(where, 'proof', (be32(c) + be32(z)).hex(), v['proof'])
    ck.eq(where, 'c', be32(c).hex(), v['c'])
    ck.eq(where, 'z', be32(z).hex(), v['z'])
    ck.eq(where, 'verify', dleq_verify(enc(pk), eid, sid, enc(A), enc(B), enc(S),
                                       be32(c) + be32(z)), 'ok')
    M = add(B, neg(S))
    ck.eq(where, 'M', None if M is INF else enc(M).hex(), v['M'])
    pt = ptenc_decode(v['pt_len'], M)
    ck.eq(where, 'result', 'ok' if pt is not None else 'unreadable', v['result'])
    if pt is not None:
        ck.eq(where, 'plaintext', pt.hex(), v['plaintext'])


def check_dleq(ck, vec):
    for i, v in enumerate(vec['dleq']):
        check_dleq_one(ck, i, v)
    for i, v in enumerate(vec['dleq_checks']):
        where = f'dleq_checks[{i}] ({v["title"]})'
        f = {key: bytes.fromhex(v[key]) for key in ('pk', 'election_id', 'A', 'B', 'S',
                                                    'proof')}
        got = dleq_verify(f['pk'], f['election_id'], v['scrutin_id'], f['A'], f['B'],
                          f['S'], f['proof'])
        ck.eq(where, 'result', got, v['result'])


def check_selftest(ck, vec, path):
    """Every ST2_* hex constant of selftest.c is a value of the vectors file."""
    text = open(path, encoding='utf-8').read()
    values = set()

    def walk(o):
        if isinstance(o, dict):
            for x in o.values():
                walk(x)
        elif isinstance(o, list):
            for x in o:
                walk(x)
        elif isinstance(o, str):
            values.add(o)
    walk(vec)
    macros = re.findall(r'#define (ST2_\w+)((?:\s*"[0-9a-f]*"\s*\\?\n?)+)', text)
    if not macros:
        ck.eq(path, 'ST2_* constants', 'none found', 'some')
    for name, body in macros:
        hexval = ''.join(re.findall(r'"([0-9a-f]*)"', body))
        ck.eq(path, name, hexval in values, True)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    vec = json.load(open(sys.argv[1], encoding='utf-8'))
    ck = Checker()
    check_ptenc(ck, vec)
    s = int(vec['dleq'][0]['secret'], 16)
    check_ballots(ck, vec, s)
    check_dleq(ck, vec)
    if len(sys.argv) == 3:
        check_selftest(ck, vec, sys.argv[2])
    print(f'{ck.checked} values checked, {ck.failures} mismatches')
    return 1 if ck.failures else 0


if __name__ == '__main__':
    sys.exit(main())
