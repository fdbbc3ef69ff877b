#!/usr/bin/python3
"""Independent recomputation of Sceau v2 ballots (the voting side of the v2
specification: plaintext as a point, ElGamal ballot, proof of knowledge,
tracker), in plain Python with the standard library only: P-256 arithmetic is
written out below, SHA-256 is hashlib. It shares no code with
tools/web/sceau-ballot.js (JavaScript on @noble/curves) nor with the box's C
(mbedTLS), so bytes on which all agree were not agreed by one library.

  sceau_v2_ref.py fixture DIR
      Writes the test election: DIR/secret.hex (a throwaway election key s),
      DIR/demo-record.json for tests/data/demo-election.json,
      DIR/wide-election.json and DIR/wide-record.json (lists of up to 128
      candidates), and DIR/vectors.json: ballots sealed here with fixed r and
      k, which the JavaScript must reproduce byte for byte.
  sceau_v2_ref.py check DIR BALLOTS.json
      Checks ballots made elsewhere (JavaScript in Node.js or in a browser):
      each record's proof verifies, its tracker is the given one, it decrypts
      with s to the plaintext that the given choice encodes (decoded from the
      point as the box does), and a copy of it re-randomised without r fails.
      BALLOTS.json: {"election": "demo"|"wide", "ballots": [{"scrutin",
      "choice", "struck", "recordHex", "trackerHex"}, ...]}.
  sceau_v2_ref.py audit RECORD.json DEFINITION.json AUDIT.json
      Checks an audited ballot (sceau-ballot-audit/2) as docs/FORMATS.md
      "Audited ballot" says, from the public record and the definition only
      (no secret): prints "ok: <the choice in words, French>" and exits 0,
      or one line "fail <field> <code>: <why>" per failure, in the order of
      the document, and exits 1. Written from the document, not from the
      JavaScript.
"""
import hashlib
import json
import os
import sys

# --- P-256 (SEC 2), affine points as (x, y), None = infinity -----------------
P = 2**256 - 2**224 + 2**192 + 2**96 - 1
A_COEF = P - 3
B_COEF = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)


def on_curve(pt):
    x, y = pt
    return (y * y - (x * x * x + A_COEF * x + B_COEF)) % P == 0


def neg(pt):
    return None if pt is None else (pt[0], (-pt[1]) % P)


def add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        lam = (3 * x1 * x1 + A_COEF) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


# Jacobian coordinates (X, Y, Z) ~ (X/Z^2, Y/Z^3) inside mul(): no inversion
# per step. Formulas of the EFD for a = -3 ("dbl-2001-b", "madd-2004-hmv"
# style, written out plainly).
def _jdouble(X, Y, Z):
    if Y == 0 or Z == 0:
        return (0, 1, 0)
    delta = Z * Z % P
    gamma = Y * Y % P
    beta = X * gamma % P
    alpha = 3 * (X - delta) * (X + delta) % P
    X3 = (alpha * alpha - 8 * beta) % P
    Z3 = ((Y + Z) ** 2 - gamma - delta) % P
    Y3 = (alpha * (4 * beta - X3) - 8 * gamma * gamma) % P
    return (X3, Y3, Z3)


def _jadd_affine(X1, Y1, Z1, x2, y2):
    if Z1 == 0:
        return (x2, y2, 1)
    Z1Z1 = Z1 * Z1 % P
    U2 = x2 * Z1Z1 % P
    S2 = y2 * Z1 * Z1Z1 % P
    H = (U2 - X1) % P
    r = (S2 - Y1) % P
    if H == 0:
        return _jdouble(X1, Y1, Z1) if r == 0 else (0, 1, 0)
    HH = H * H % P
    HHH = H * HH % P
    V = X1 * HH % P
    X3 = (r * r - HHH - 2 * V) % P
    Y3 = (r * (V - X3) - Y1 * HHH) % P
    return (X3, Y3, Z1 * H % P)


def mul(k, pt):
    """k·pt by double-and-add (variable time: this is a test)."""
    k %= N
    if pt is None or k == 0:
        return None
    X, Y, Z = 0, 1, 0
    for bit in bin(k)[2:]:
        X, Y, Z = _jdouble(X, Y, Z)
        if bit == '1':
            X, Y, Z = _jadd_affine(X, Y, Z, pt[0], pt[1])
    if Z == 0:
        return None
    zi = pow(Z, -1, P)
    return (X * zi * zi % P, Y * zi * zi * zi % P)


def enc_point(pt):
    return b'\x04' + pt[0].to_bytes(32, 'big') + pt[1].to_bytes(32, 'big')


def dec_point(b):
    """A point read from outside, or None if malformed (wrong form, x or y
    not < p, off the curve). Infinity has no encoding."""
    if len(b) != 65 or b[0] != 4:
        return None
    x, y = int.from_bytes(b[1:33], 'big'), int.from_bytes(b[33:], 'big')
    if x >= P or y >= P or not on_curve((x, y)):
        return None
    return (x, y)


def sqrt_mod_p(v):
    """A square root mod p (p = 3 mod 4), or None if v is not a square."""
    r = pow(v, (P + 1) // 4, P)
    return r if r * r % P == v % P else None


# --- hashing ---------------------------------------------------------------------
def tagged_hash(tag, *parts):
    h = hashlib.sha256()
    t = tag.encode('ascii')
    h.update(len(t).to_bytes(4, 'big') + t)
    for p in parts:
        h.update(len(p).to_bytes(4, 'big') + p)
    return h.digest()


def hn(tag, *parts):
    return int.from_bytes(tagged_hash(tag, *parts), 'big') % N


POK_TAG = 'sceau/ballot-pok/v2'
TRACKER_TAG = 'sceau/tracker/v2'

# --- plaintext (count/classify.h) and its point ----------------------------------
def pt_len_of(scrutin):
    return 3 + (max(len(l['candidates']) for l in scrutin['lists']) + 7) // 8


def encode_plaintext(scrutin, choice, struck):
    pt = bytearray(pt_len_of(scrutin))
    pt[0] = 1
    pt[1:3] = choice.to_bytes(2, 'big')
    for c in struck:
        pt[3 + (c - 1) // 8] |= 1 << ((c - 1) % 8)
    return bytes(pt)


def plaintext_to_point(pt):
    """x = 00 || pt || zeros to 30 bytes || j, smallest j; y even."""
    for j in range(256):
        xb = b'\x00' + pt + bytes(30 - len(pt)) + bytes([j])
        x = int.from_bytes(xb, 'big')
        y = sqrt_mod_p((x * x * x + A_COEF * x + B_COEF) % P)
        if y is not None:
            return ((x, y if y % 2 == 0 else P - y), j)
    raise ValueError('no counter')


def decode_point(M, pt_len):
    """The plaintext the box reads from M, or None for a nul "unreadable"
    ballot (infinity, a non-zero first byte or non-zero padding). Neither the
    counter byte nor the parity of y is checked."""
    if M is None:
        return None
    xb = M[0].to_bytes(32, 'big')
    if xb[0] != 0 or any(xb[1 + pt_len:31]):
        return None
    return xb[1:1 + pt_len]


# --- ballots ---------------------------------------------------------------------
def seal(pk, eid, sid, pt, r, k):
    M, j = plaintext_to_point(pt)
    A = mul(r, G)
    B = add(M, mul(r, pk))
    T = mul(k, G)
    sidb = sid.to_bytes(2, 'big')
    c = hn(POK_TAG, eid, sidb, enc_point(A), enc_point(B), enc_point(T))
    z = (k + c * r) % N
    rec = sidb + enc_point(A) + enc_point(B) + c.to_bytes(32, 'big') + z.to_bytes(32, 'big')
    return rec, M, j


def tracker(rec):
    return tagged_hash(TRACKER_TAG, rec).hex()


def check_record(rec, eid, scrutin_ids):
    """'valid', 'proof-failed' or 'malformed: why', as the box decides."""
    if len(rec) != 196:
        return 'malformed: length'
    sid = int.from_bytes(rec[:2], 'big')
    if sid not in scrutin_ids:
        return 'malformed: scrutin'
    A, B = dec_point(rec[2:67]), dec_point(rec[67:132])
    if A is None or B is None:
        return 'malformed: point'
    c, z = int.from_bytes(rec[132:164], 'big'), int.from_bytes(rec[164:], 'big')
    if c >= N or z >= N:
        return 'malformed: scalar'
    T = add(mul(z, G), neg(mul(c, A)))
    if T is None or hn(POK_TAG, eid, rec[:2], rec[2:67], rec[67:132], enc_point(T)) != c:
        return 'proof-failed'
    return 'valid'


def decrypt(rec, s):
    A, B = dec_point(rec[2:67]), dec_point(rec[67:132])
    return add(B, neg(mul(s, A)))


# --- the test election -------------------------------------------------------------
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEMO_DEF = os.path.join(TOP, 'tests', 'data', 'demo-election.json')


def scalar_from(label):
    """A fixed scalar in [1, n-1] named by a label (test inputs only)."""
    return hn('sceau/test/web/v2', label.encode()) or 1


def wide_definition():
    """Lists of 128 (pt_len 19), 9 and 1 candidates; 8 and 7; 16 and 17; 64
    lists of one candidate: struck bits in every bitmap byte, the longest
    plaintext and the most lists there can be."""
    shapes = [[128, 9, 1], [8, 7], [16, 17], [1] * 64]
    scrutins = []
    for i, shape in enumerate(shapes, 1):
        lists = [{'number': l, 'name': f'Liste {l}', 'unions': [{'name': 'Syndicat'}],
                  'candidates': [{'last_name': f'Candidat {l}-{c}', 'first_name': 'Camille',
                                  'sex': 'F' if c % 2 else 'M', 'birth_date': '1980-02-29'}
                                 for c in range(1, n + 1)]}
                 for l, n in enumerate(shape, 1)]
        scrutins.append({'id': i, 'college': f'Collège {i}', 'body': 'titulaires', 'round': 1,
                         'seats': 4, 'inscrits': 100, 'share_women': '0.5', 'share_men': '0.5',
                         'opens': '2026-12-01T08:00+01:00', 'closes': '2026-12-08T17:00+01:00',
                         'lists': lists})
    return {'format': 'sceau-election/1',
            'establishment': {'name': 'Établissement de test', 'siret': '81234567800019'},
            'title': "Test du chiffreur v2", 'scrutins': scrutins}


def record_json(eid, pk, title):
    """The fields of a public election record (sceau-record/1) the encryptor reads."""
    return {'format': 'sceau-record/1', 'election_id': eid.hex(), 'election_title': title,
            'group': 'P-256', 'threshold': 2, 'shares': 3, 'public_key': enc_point(pk).hex(),
            'commitments': [enc_point(pk).hex(), enc_point(mul(scalar_from('a1'), G)).hex()]}


def load_election(d, name):
    path = DEMO_DEF if name == 'demo' else os.path.join(d, 'wide-election.json')
    with open(path, 'rb') as f:
        raw = f.read()
    return path, hashlib.sha256(raw).digest(), json.loads(raw)


# Ballots of the known-answer vectors: (election, scrutin, choice, struck).
VECTOR_BALLOTS = [
    ('demo', 1, 0, []), ('demo', 1, 1, []), ('demo', 1, 1, [6]), ('demo', 1, 2, [1, 3]),
    ('demo', 1, 3, [1, 2, 3]), ('demo', 2, 1, []), ('demo', 3, 0, []), ('demo', 4, 2, [1]),
    ('wide', 1, 1, [9, 128]), ('wide', 1, 1, list(range(1, 129, 3))), ('wide', 1, 3, [1]),
    ('wide', 2, 1, list(range(1, 9))), ('wide', 3, 2, [17]), ('wide', 4, 64, []),
    ('wide', 4, 0, []),
]


def cmd_fixture(d):
    os.makedirs(d, exist_ok=True)
    s = scalar_from('election secret')
    pk = mul(s, G)
    with open(os.path.join(d, 'secret.hex'), 'w') as f:
        f.write('%064x\n' % s)
    with open(os.path.join(d, 'wide-election.json'), 'w', encoding='utf-8') as f:
        json.dump(wide_definition(), f, ensure_ascii=False, indent=2)
        f.write('\n')
    for name in ('demo', 'wide'):
        _, eid, defn = load_election(d, name)
        with open(os.path.join(d, f'{name}-record.json'), 'w', encoding='utf-8') as f:
            json.dump(record_json(eid, pk, defn['title']), f, ensure_ascii=False, indent=2)
            f.write('\n')
    vectors = []
    for i, (name, sid, choice, struck) in enumerate(VECTOR_BALLOTS):
        _, eid, defn = load_election(d, name)
        pt = encode_plaintext(defn['scrutins'][sid - 1], choice, struck)
        r, k = scalar_from(f'r{i}'), scalar_from(f'k{i}')
        rec, M, j = seal(pk, eid, sid, pt, r, k)
        assert check_record(rec, eid, {sid}) == 'valid'
        vectors.append({'election': name, 'scrutin': sid, 'choice': choice, 'struck': struck,
                        'rHex': '%064x' % r, 'kHex': '%064x' % k, 'plaintextHex': pt.hex(),
                        'counter': j, 'MHex': enc_point(M).hex(), 'recordHex': rec.hex(),
                        'trackerHex': tracker(rec)})
    assert any(v['counter'] > 0 for v in vectors), 'no vector exercises the counter'
    with open(os.path.join(d, 'vectors.json'), 'w') as f:
        json.dump({'publicKeyHex': enc_point(pk).hex(), 'vectors': vectors}, f, indent=1)
        f.write('\n')
    print(f'fixture in {d}: {len(vectors)} vectors, counters '
          f'{sorted(set(v["counter"] for v in vectors))}')
    return 0


def cmd_check(d, path):
    with open(os.path.join(d, 'secret.hex')) as f:
        s = int(f.read().strip(), 16)
    pk = mul(s, G)
    with open(path) as f:
        doc = json.load(f)
    _, eid, defn = load_election(d, doc['election'])
    sids = {sc['id'] for sc in defn['scrutins']}
    bad = 0
    for i, b in enumerate(doc['ballots']):
        rec = bytes.fromhex(b['recordHex'])
        sc = defn['scrutins'][b['scrutin'] - 1]
        want = encode_plaintext(sc, b['choice'], b['struck'])
        why = []
        st = check_record(rec, eid, sids)
        if st != 'valid':
            why.append(f'check: {st}')
        if int.from_bytes(rec[:2], 'big') != b['scrutin']:
            why.append('scrutin id')
        if tracker(rec) != b['trackerHex']:
            why.append('tracker')
        if not why:
            got = decode_point(decrypt(rec, s), pt_len_of(sc))
            if got != want:
                why.append(f'decrypts to {got.hex() if got else None}, want {want.hex()}')
            # The same ciphertext re-randomised by someone without r (A + r'G,
            # B + r'PK, proof kept): still the same vote, but its proof fails.
            # (Every fourth ballot: pure Python multiplications are slow.)
            if i % 4:
                continue
            rp = scalar_from(f'rerandomise {i}')
            A2 = add(dec_point(rec[2:67]), mul(rp, G))
            B2 = add(dec_point(rec[67:132]), mul(rp, pk))
            copy = rec[:2] + enc_point(A2) + enc_point(B2) + rec[132:]
            if check_record(copy, eid, sids) != 'proof-failed':
                why.append('a re-randomised copy is not refused')
            if decode_point(decrypt(copy, s), pt_len_of(sc)) != want:
                why.append('the re-randomised copy does not decrypt alike')
        if why:
            bad += 1
            print(f'ballot {i} (scrutin {b["scrutin"]}, choice {b["choice"]}): ' + '; '.join(why))
    n = len(doc['ballots'])
    print(f'{path}: {n - bad} of {n} ballots check in Python')
    return 1 if bad or n == 0 else 0


# --- audited ballots (docs/FORMATS.md "Audited ballot (sceau-ballot-audit/2)") --------
AUDIT_KEYS = ('format', 'election', 'scrutin', 'record', 'r', 'plaintext', 'tracker')
AUDIT_HEX = {'election': (32, 32), 'record': (196, 196), 'r': (32, 32), 'plaintext': (3, 29),
             'tracker': (32, 32)}


class Repeated(Exception):
    pass


def _no_repeats(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Repeated(k)
        d[k] = v
    return d


def read_audit(raw):
    """(doc, failures): step 0, reading."""
    if len(raw) > 4096:
        return None, [('document', 'too-large', f'{len(raw)} bytes')]
    try:
        doc = json.loads(raw.decode('utf-8'), object_pairs_hook=_no_repeats,
                         parse_float=lambda t: ('float', t), parse_constant=lambda t: ('const', t))
    except Repeated as e:
        return None, [(str(e), 'key-repeated', 'appears twice')]
    except (UnicodeDecodeError, ValueError) as e:
        return None, [('document', 'not-json', str(e))]
    if not isinstance(doc, dict):
        return None, [('document', 'not-json', 'not an object')]
    fails = [(k, 'key-unknown', 'unknown key') for k in doc if k not in AUDIT_KEYS]
    for k in AUDIT_KEYS:
        v = doc.get(k)
        if k not in doc:
            fails.append((k, 'key-missing', 'missing'))
        elif k == 'format':
            if v != 'sceau-ballot-audit/2':
                fails.append((k, 'format', repr(v)))
        elif k == 'scrutin':
            if type(v) is not int or not 1 <= v <= 65535:
                fails.append((k, 'encoding', 'not an integer in 1..65535'))
        else:
            lo, hi = AUDIT_HEX[k]
            if (not isinstance(v, str) or len(v) % 2 or
                    any(ch not in '0123456789abcdef' for ch in v)):
                fails.append((k, 'encoding', 'not lower-case hex'))
            elif not 2 * lo <= len(v) <= 2 * hi:
                fails.append((k, 'encoding', f'{len(v) // 2} bytes'))
    return (None, fails) if fails else (doc, [])


def classify(sc, pt):
    """(reason, list, struck) as count/classify.c: the first failing check."""
    n_lists = len(sc['lists'])
    maxc = max(len(l['candidates']) for l in sc['lists'])
    if len(pt) != pt_len_of(sc):
        return 'wrong-length', 0, []
    if pt[0] != 1:
        return 'bad-version', 0, []
    choice = int.from_bytes(pt[1:3], 'big')
    bits = [(pt[3 + i // 8] >> (i % 8)) & 1 for i in range(8 * (len(pt) - 3))]
    if choice > n_lists:
        return 'list-out-of-range', 0, []
    if choice == 0:
        return ('non-zero-padding' if any(bits) else 'blank'), 0, []
    n = len(sc['lists'][choice - 1]['candidates'])
    if any(bits[maxc:]):
        return 'non-zero-padding', 0, []
    if any(bits[n:maxc]):
        return 'bits-beyond-list', 0, []
    struck = [c for c in range(1, n + 1) if bits[c - 1]]
    return ('all-struck' if len(struck) == n else 'valid'), choice, struck


def words_fr(sc, reason, choice, struck):
    """The sentence of docs/VERIFY.md "Audited ballots" (French)."""
    if choice == 0:
        return 'Vote blanc'
    lst = sc['lists'][choice - 1]
    head = f'Liste {choice} ({lst["name"]})'
    if reason == 'all-struck':
        return head + ', tous les candidats rayés (compté comme vote blanc)'
    if not struck:
        return head + ', aucun candidat rayé'
    names = ', '.join(f'{lst["candidates"][c - 1]["first_name"]} {lst["candidates"][c - 1]["last_name"]}'
                      for c in struck)
    s = 's' if len(struck) > 1 else ''
    return f'{head}, {len(struck)} candidat{s} rayé{s} : {names}'


def check_audit(record_json, definition_raw, raw):
    """(failures, words) for an audit, from the public record and the definition."""
    if hashlib.sha256(definition_raw).hexdigest() != record_json['election_id']:
        raise ValueError('the definition is not the record\'s election')
    defn = json.loads(definition_raw)
    eid = bytes.fromhex(record_json['election_id'])
    pk = dec_point(bytes.fromhex(record_json['public_key']))
    scrutins = {sc['id']: sc for sc in defn['scrutins']}
    doc, fails = read_audit(raw)
    if fails:
        return fails, None
    # 1. election
    if doc['election'] != eid.hex():
        return [('election', 'election-mismatch', doc['election'])], None
    # 2. record
    rec = bytes.fromhex(doc['record'])
    rsid = int.from_bytes(rec[:2], 'big')
    A = B = None
    record_ok = False
    if rsid not in scrutins:
        fails.append(('record', 'record-scrutin-unknown', str(rsid)))
    else:
        A, B = dec_point(rec[2:67]), dec_point(rec[67:132])
        c, z = int.from_bytes(rec[132:164], 'big'), int.from_bytes(rec[164:], 'big')
        if A is None or B is None:
            A = B = None
            fails.append(('record', 'record-point', 'A or B'))
        elif c >= N or z >= N:
            fails.append(('record', 'record-scalar', 'c or z'))
        else:
            T = add(mul(z, G), neg(mul(c, A)))
            if T is None or hn(POK_TAG, eid, rec[:2], rec[2:67], rec[67:132], enc_point(T)) != c:
                fails.append(('record', 'record-proof', 'proof of knowledge'))
            else:
                record_ok = True
    # 3. tracker
    if doc['tracker'] != tracker(rec):
        fails.append(('tracker', 'tracker-mismatch', tracker(rec)))
    # 4. scrutin
    if doc['scrutin'] not in scrutins:
        fails.append(('scrutin', 'scrutin-unknown', str(doc['scrutin'])))
    elif doc['scrutin'] != rsid:
        fails.append(('scrutin', 'scrutin-mismatch', f'{doc["scrutin"]} != {rsid}'))
    # 5. r
    r = int(doc['r'], 16)
    r_ok = False
    if not 1 <= r < N:
        fails.append(('r', 'r-range', 'r'))
    elif A is not None and mul(r, G) != A:
        fails.append(('r', 'r-mismatch', 'r·G != A'))
    elif A is not None:
        r_ok = True
    # 6. plaintext
    pt = bytes.fromhex(doc['plaintext'])
    sc = scrutins.get(rsid) or scrutins.get(doc['scrutin'])
    reason = None
    if sc is not None:
        if len(pt) != pt_len_of(sc):
            fails.append(('plaintext', 'plaintext-length', f'{len(pt)} bytes'))
        else:
            reason, choice, struck = classify(sc, pt)
            if reason not in ('valid', 'blank', 'all-struck'):
                fails.append(('plaintext', 'plaintext-nul', reason))
    if record_ok and r_ok:
        M = add(B, neg(mul(r, pk)))
        got = decode_point(M, pt_len_of(sc))
        if got != pt:
            fails.append(('plaintext', 'plaintext-mismatch', got.hex() if got else 'unreadable'))
        elif M != plaintext_to_point(pt)[0]:
            fails.append(('plaintext', 'plaintext-encoding', 'counter or parity of y'))
    if fails:
        return fails, None
    return [], words_fr(sc, reason, choice, struck)


def cmd_audit(record_path, definition_path, audit_path):
    with open(record_path, encoding='utf-8') as f:
        record_json = json.load(f)
    with open(definition_path, 'rb') as f:
        definition_raw = f.read()
    with open(audit_path, 'rb') as f:
        raw = f.read()
    fails, words = check_audit(record_json, definition_raw, raw)
    for field, code, why in fails:
        print(f'fail {field} {code}: {why}')
    if fails:
        return 1
    print(f'ok: {words}')
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'fixture':
        return cmd_fixture(argv[2])
    if len(argv) == 4 and argv[1] == 'check':
        return cmd_check(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == 'audit':
        return cmd_audit(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
