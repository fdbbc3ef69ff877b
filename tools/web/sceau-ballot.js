// Sceau reference ballot encryptor, ballot format v2.
//
// What a voting platform's page runs to seal a ballot for a Sceau counting
// box: P-256 ElGamal of the voter's choice encoded as a point, with a
// Schnorr proof of knowledge of the randomness (docs/ENCRYPTOR.md gives the
// steps and the byte layouts; docs/FORMATS.md is the normative format). The
// box checks every proof, shuffles the ballots verifiably and only then
// decrypts them, so that no tracker can be linked to a vote.
//
// One ES module. Point arithmetic is @noble/curves (audited; the exact
// version is pinned, with its integrity hash, in package-lock.json), SHA-256
// is @noble/hashes (the library @noble/curves itself depends on), randomness
// is crypto.getRandomValues and nothing else. It runs unchanged in a browser
// (through a bundler or an import map: docs/ENCRYPTOR.md) and in Node.js >= 20.
//
// Hashing with @noble/hashes rather than WebCrypto's crypto.subtle.digest:
// it is synchronous, so the whole API is synchronous (a ballot is sealed, and
// checked, in one call, with nothing for a page to interleave), and it needs
// no secure context (crypto.subtle exists only over HTTPS or on localhost;
// getRandomValues exists everywhere). It is already there, since
// @noble/curves depends on it: no code is added, and there is one SHA-256
// on every platform. Hashing is a few microseconds of a ballot that costs
// milliseconds of point multiplications, so WebCrypto's speed buys nothing.
//
// Usage on a page (tools/web/example/ is a whole voter page):
//   import { openElection } from './sceau-ballot.js';
//   const election = openElection({ record: recordJsonText, definition: definitionBytes });
//   const ballot = election.encrypt(1, 2, [3]);  // scrutin 1, list 2, 3rd candidate struck
//   show(ballot.trackerHex);                    // the tracker, BEFORE asking cast or audit
//   send(ballot.cast());                        // cast: the 196-byte record, to the urn
//   // or audit (Benaloh challenge): r and the plaintext revealed, never cast
//   const auditJson = ballot.audit();           // "sceau-ballot-audit/2" (docs/FORMATS.md)
//   election.verifyAudit(auditJson).words.fr;   // the choice it encrypts, in words

import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';

// Domain tags (ASCII, no terminating NUL). Each names the protocol and its
// version, so that no hash made for one purpose can be taken for another.
export const POK_TAG = 'sceau/ballot-pok/v2';
export const TRACKER_TAG = 'sceau/tracker/v2';

export const PLAINTEXT_VERSION = 1;  // layout of the plaintext (count/classify.h)
export const POINT_LEN = 65;         // SEC1 uncompressed: 04 || X || Y
export const SCALAR_LEN = 32;
export const RECORD_LEN = 2 + 2 * POINT_LEN + 2 * SCALAR_LEN; // 196
export const PLAINTEXT_MAX = 29;     // what fits in x between the zero byte and the counter
const MAX_LISTS = 64;                // ELECTION_MAX_LISTS
const MAX_CANDIDATES = 128;          // ELECTION_MAX_CANDIDATES
const ELECTION_FORMAT = 'sceau-election/1';
const RECORD_FORMATS = ['sceau-record/1'];

const Point = p256.Point;
const Fp = Point.Fp;
const Fn = Point.Fn;
const N = Fn.ORDER;
const { b: CURVE_B } = Point.CURVE();

const ascii = (s) => new TextEncoder().encode(s);

// --- bytes, hex, integers --------------------------------------------------------

function concat(...parts) {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let off = 0;
	for (const p of parts) {
		out.set(p, off);
		off += p.length;
	}
	return out;
}

function u16be(v) {
	return new Uint8Array([(v >>> 8) & 0xff, v & 0xff]);
}

function u32be(v) {
	return new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

export function bytesToHex(bytes) {
	let s = '';
	for (const b of bytes)
		s += b.toString(16).padStart(2, '0');
	return s;
}

// Strict: exactly `len` bytes (2*len hex digits, either case) when len is
// given, so that a truncated or padded key or id is an error here rather than
// a ballot the box cannot count.
export function hexToBytes(hex, len, what = 'hex value') {
	if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex))
		throw new TypeError(`${what}: not a hex string`);
	if (len !== undefined && hex.length !== 2 * len)
		throw new RangeError(`${what}: ${hex.length / 2} bytes, expected ${len}`);
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < out.length; i++)
		out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
	return out;
}

function bytesToBigInt(bytes) {
	let v = 0n;
	for (const b of bytes)
		v = (v << 8n) | BigInt(b);
	return v;
}

function scalarToBytes(v) {
	const out = new Uint8Array(SCALAR_LEN);
	for (let i = SCALAR_LEN - 1; i >= 0; i--, v >>= 8n)
		out[i] = Number(v & 0xffn);
	return out;
}

const pointBytes = (P) => P.toBytes(false);

// A bytes-like input (Uint8Array, other typed array, ArrayBuffer) as a Uint8Array.
function asBytes(v, what) {
	if (v instanceof Uint8Array)
		return v;
	if (ArrayBuffer.isView(v))
		return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
	if (v instanceof ArrayBuffer)
		return new Uint8Array(v);
	throw new TypeError(`${what}: expected bytes (Uint8Array or ArrayBuffer)`);
}

// --- randomness ------------------------------------------------------------------

// The only source of randomness: crypto.getRandomValues, in every browser
// and in Node.js >= 20 (Node.js 18: with --experimental-global-webcrypto).
function randomBytes(len) {
	const c = globalThis.crypto;
	if (!c || typeof c.getRandomValues !== 'function')
		throw new Error('crypto.getRandomValues is not available (browsers have it; ' +
			'Node.js needs version 20, or 18 with --experimental-global-webcrypto)');
	return c.getRandomValues(new Uint8Array(len));
}

// Uniform in [1, n-1]: 32 random bytes read big-endian, drawn again when 0 or
// >= n (rejection, so no bias; n is so close to 2^256 that a redraw happens
// about once in 2^32 draws).
function randomScalar() {
	for (;;) {
		const buf = randomBytes(SCALAR_LEN);
		const v = bytesToBigInt(buf);
		buf.fill(0);
		if (v > 0n && v < N)
			return v;
	}
}

// --- hashing ---------------------------------------------------------------------

// The tagged hash of docs/FORMATS.md:
//   SHA-256( u32be(len tag) || tag || u32be(len x1) || x1 || ... )
// Every part is length-prefixed, so no two lists of parts hash alike.
export function taggedHash(tag, ...parts) {
	const h = sha256.create();
	const t = ascii(tag);
	h.update(u32be(t.length));
	h.update(t);
	for (const p of parts) {
		h.update(u32be(p.length));
		h.update(p);
	}
	return h.digest();
}

// Hn: the tagged hash read as a big-endian integer, reduced mod n.
function hashToScalar(tag, ...parts) {
	return bytesToBigInt(taggedHash(tag, ...parts)) % N;
}

// election_id = SHA-256 of the exact bytes of the definition file, as the
// box computes it. A page checks with it that the definition it shows is the
// one the key was made for (openElection does).
export function computeElectionIdHex(definitionBytes) {
	return bytesToHex(sha256(asBytes(definitionBytes, 'definition')));
}

// --- the election: public record and definition -----------------------------------

function parseJson(v, what) {
	if (typeof v === 'string')
		return JSON.parse(v);
	if (v instanceof ArrayBuffer || ArrayBuffer.isView(v))
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(v));
	if (v && typeof v === 'object')
		return v;
	throw new TypeError(`${what}: expected JSON text, bytes or an object`);
}

// A point read from outside: 65 bytes 04 || X || Y, X and Y < p, on the
// curve (noble checks all of it, and has no encoding of infinity).
function readPoint(bytes, what) {
	if (bytes.length !== POINT_LEN || bytes[0] !== 0x04)
		throw new RangeError(`${what}: not a ${POINT_LEN}-byte uncompressed point (04 || X || Y)`);
	try {
		return Point.fromBytes(bytes);
	} catch (e) {
		throw new RangeError(`${what}: not a valid P-256 point (${e.message})`);
	}
}

// What the encryptor needs of the public election record ("sceau-record/1",
// written by the key ceremony): the election id and the public key PK. Only
// these fields are checked; the box reads the record strictly and is the
// authority on the rest.
export function parseElectionRecord(record) {
	const r = parseJson(record, 'record');
	if (!r || !RECORD_FORMATS.includes(r.format))
		throw new TypeError(`record: not a public election record (${RECORD_FORMATS.join(', ')})`);
	if (r.group !== 'P-256')
		throw new RangeError(`record: group ${r.group}, expected P-256`);
	const electionId = hexToBytes(r.election_id, 32, 'record election_id');
	const pkBytes = hexToBytes(r.public_key, POINT_LEN, 'record public_key');
	const publicKey = readPoint(pkBytes, 'record public_key');
	if (Array.isArray(r.commitments) && r.commitments[0] !== undefined &&
	    String(r.commitments[0]).toLowerCase() !== bytesToHex(pkBytes))
		throw new RangeError('record: public_key is not commitments[0]');
	return { electionId, electionIdHex: bytesToHex(electionId), publicKey,
		publicKeyHex: bytesToHex(pkBytes), title: r.election_title };
}

function checkScrutinId(id) {
	// Scrutin ids are 1-based (the position in the definition) and travel as
	// two big-endian bytes.
	if (!Number.isInteger(id) || id < 1 || id > 0xffff)
		throw new RangeError(`scrutin id ${id}: not an integer in 1..65535`);
}

// What a ballot of one scrutin looks like: its lists (number, name,
// candidates) and the fixed plaintext length
//   ptLen = 3 + ceil(max_candidates / 8)
// where max_candidates is the largest list of the scrutin. Every ballot of
// the scrutin has that length whatever the choice (and every v2 record is
// 196 bytes whatever the scrutin), so sizes reveal nothing about the vote.
//
// definition: the definition file ("sceau-election/1") as text, bytes or an
// already parsed object. Only what the layout needs is checked here.
export function scrutinLayout(definition, scrutinId) {
	const def = parseJson(definition, 'definition');
	if (!def || def.format !== ELECTION_FORMAT || !Array.isArray(def.scrutins))
		throw new TypeError(`not an election definition "${ELECTION_FORMAT}"`);
	checkScrutinId(scrutinId);
	const s = def.scrutins[scrutinId - 1];
	if (!s || s.id !== scrutinId)
		throw new RangeError(`no scrutin ${scrutinId} (ids are positions in "scrutins", from 1)`);
	if (!Array.isArray(s.lists) || s.lists.length < 1 || s.lists.length > MAX_LISTS)
		throw new RangeError(`scrutin ${scrutinId}: 1 to ${MAX_LISTS} lists expected`);
	const lists = s.lists.map((l, i) => {
		// The choice value of a list is its number, which must be its position.
		if (!l || l.number !== i + 1)
			throw new RangeError(`scrutin ${scrutinId}, lists[${i}]: number must be ${i + 1}`);
		const cands = Array.isArray(l.candidates) ? l.candidates : [];
		if (cands.length < 1 || cands.length > MAX_CANDIDATES)
			throw new RangeError(`scrutin ${scrutinId}, list ${i + 1}: ` +
				`1 to ${MAX_CANDIDATES} candidates expected`);
		return {
			number: l.number, name: l.name, nCandidates: cands.length,
			candidates: cands.map((c) => ({ lastName: c?.last_name, firstName: c?.first_name })),
		};
	});
	const maxCandidates = Math.max(...lists.map((l) => l.nCandidates));
	return { scrutinId, college: s.college, body: s.body,
		ptLen: 3 + Math.ceil(maxCandidates / 8), lists };
}

// --- the plaintext -----------------------------------------------------------------

// Plaintext of one ballot, layout.ptLen bytes (count/classify.h):
//   byte 0       version (1)
//   bytes 1..2   choice, big-endian: 0 = blank, L = list number L
//   bytes 3..    bitmap of struck candidates (ratures) of the chosen list:
//                candidate c (1-based, order of presentation) struck <=>
//                bit (c-1) % 8, least significant first, of byte 3 + floor((c-1)/8)
// Every other bit is zero. Anything the box would count nul is refused here
// instead, so that a page bug shows before the voter's ballot is sealed.
// Striking every candidate of a list is allowed: the box counts it blank.
export function encodePlaintext(layout, choice, struck = []) {
	if (!layout || !Number.isInteger(layout.ptLen) || !Array.isArray(layout.lists))
		throw new TypeError('layout: expected a layout from scrutinLayout()');
	if (!Array.isArray(struck))
		throw new TypeError('struck: expected an array of candidate positions');
	if (!Number.isInteger(choice) || choice < 0 || choice > layout.lists.length)
		throw new RangeError(`choice ${choice}: expected 0 (blank) to ${layout.lists.length}`);
	if (choice === 0 && struck.length > 0)
		throw new RangeError('a blank ballot cannot strike candidates');
	if (layout.ptLen > PLAINTEXT_MAX)
		throw new RangeError(`scrutin layout: ptLen ${layout.ptLen} > ${PLAINTEXT_MAX}`);

	const pt = new Uint8Array(layout.ptLen); // zero-filled: the padding
	pt[0] = PLAINTEXT_VERSION;
	pt.set(u16be(choice), 1);
	if (choice === 0)
		return pt;

	const n = layout.lists[choice - 1].nCandidates;
	if (3 + Math.ceil(n / 8) > pt.length)
		throw new RangeError(`scrutin layout: ptLen ${pt.length} too short for ${n} candidates`);
	const seen = new Set();
	for (const c of struck) {
		if (!Number.isInteger(c) || c < 1 || c > n)
			throw new RangeError(`struck candidate ${c}: list ${choice} has candidates 1 to ${n}`);
		if (seen.has(c))
			throw new RangeError(`struck candidate ${c} given twice`);
		seen.add(c);
		pt[3 + ((c - 1) >> 3)] |= 1 << ((c - 1) & 7);
	}
	return pt;
}

// The plaintext as a point M (docs/ENCRYPTOR.md, "Byte layouts (v2)"):
//   x = 00 || plaintext || zero padding to 30 bytes || j   (32 bytes, big-endian)
// for the smallest counter j in 0..255 such that x^3 - 3x + b is a square
// mod p, and y the square root that is even. x < p always, since its first
// byte is 0. Returns { point, x, counter }. Anyone holding r can recompute M
// from the plaintext and check B = M + r·PK (a ballot audit).
export function plaintextToPoint(plaintext) {
	const pt = asBytes(plaintext, 'plaintext');
	if (pt.length < 3 || pt.length > PLAINTEXT_MAX)
		throw new RangeError(`plaintext: ${pt.length} bytes, expected 3 to ${PLAINTEXT_MAX}`);
	const xb = new Uint8Array(32);
	xb.set(pt, 1);
	for (let j = 0; j < 256; j++) {
		xb[31] = j;
		const x = bytesToBigInt(xb);
		const rhs = Fp.add(Fp.sub(Fp.mul(Fp.sqr(x), x), Fp.mul(3n, x)), CURVE_B);
		let y;
		try {
			y = Fp.sqrt(rhs); // throws when rhs is not a square
		} catch {
			continue;
		}
		if (y & 1n)
			y = Fp.neg(y);
		const point = Point.fromAffine({ x, y });
		point.assertValidity();
		return { point, x: xb.slice(), counter: j };
	}
	throw new RangeError('plaintext: no counter makes x a point (probability 2^-256)');
}

// What the box makes of a plaintext (count/classify.c, written again here
// so that an audit says what the box will count): checks in the box's
// order, length, version, list range, padding, bits beyond the list; the
// first that fails is the nul reason. Returns { kind: 'valid' | 'blank' |
// 'nul', reason, list (1-based, 0 if none), struck (1-based positions) }
// with the box's reason names: 'valid', 'blank', 'all-struck' (a list with
// every candidate struck: counted blank), 'wrong-length', 'bad-version',
// 'list-out-of-range', 'non-zero-padding', 'bits-beyond-list'.
export function classifyPlaintext(layout, plaintext) {
	const pt = asBytes(plaintext, 'plaintext');
	const nul = (reason) => ({ kind: 'nul', reason, list: 0, struck: [] });
	if (pt.length !== layout.ptLen)
		return nul('wrong-length');
	if (pt[0] !== PLAINTEXT_VERSION)
		return nul('bad-version');
	const choice = (pt[1] << 8) | pt[2];
	const bitmap = pt.subarray(3);
	const bitSet = (i) => (bitmap[i >> 3] >> (i & 7)) & 1;
	const anyBit = (from, to) => {
		for (let i = from; i < to; i++)
			if (bitSet(i))
				return true;
		return false;
	};
	const maxCandidates = Math.max(...layout.lists.map((l) => l.nCandidates));
	if (choice > layout.lists.length)
		return nul('list-out-of-range');
	if (choice === 0)
		return anyBit(0, bitmap.length * 8) ? nul('non-zero-padding') :
			{ kind: 'blank', reason: 'blank', list: 0, struck: [] };
	const n = layout.lists[choice - 1].nCandidates;
	if (anyBit(maxCandidates, bitmap.length * 8))
		return nul('non-zero-padding');
	if (anyBit(n, maxCandidates))
		return nul('bits-beyond-list');
	const struck = [];
	for (let c = 1; c <= n; c++)
		if (bitSet(c - 1))
			struck.push(c);
	if (struck.length === n)
		return { kind: 'blank', reason: 'all-struck', list: choice, struck };
	return { kind: 'valid', reason: 'valid', list: choice, struck };
}

// The choice in words, as the voter reads it before encrypting and after an
// audit, and as `sceau-verify --audit` prints it (docs/VERIFY.md gives the
// exact sentences, which every implementation writes alike):
//   fr: "Vote blanc" | "Liste 2 (Liste CFDT), aucun candidat rayé" |
//       "Liste 2 (Liste CFDT), 1 candidat rayé : Kévin Martin" |
//       "Liste 2 (Liste CFDT), 2 candidats rayés : Kévin Martin, João Da Silva" |
//       "Liste 3 (…), tous les candidats rayés (compté comme vote blanc)"
//   en: "Blank vote" | "List 2 (Liste CFDT), no candidate struck" |
//       "List 2 (Liste CFDT), 1 candidate struck: Kévin Martin" | … |
//       "List 3 (…), every candidate struck (counted as blank)"
// A candidate is "first_name last_name", in the list's order.
// choice: 0 (blank) or a list number; struck: 1-based positions. Throws for a
// choice encodePlaintext() would refuse.
export function describeChoice(layout, choice, struck = [], lang = 'fr') {
	const cls = classifyPlaintext(layout, encodePlaintext(layout, choice, struck));
	return wordsOf(layout, cls, lang);
}

function wordsOf(layout, cls, lang) {
	const fr = lang === 'fr';
	if (lang !== 'fr' && lang !== 'en')
		throw new RangeError(`lang ${lang}: fr or en`);
	if (cls.kind === 'nul')
		throw new RangeError(`a nul plaintext (${cls.reason}) has no words`);
	if (cls.list === 0)
		return fr ? 'Vote blanc' : 'Blank vote';
	const list = layout.lists[cls.list - 1];
	const head = `${fr ? 'Liste' : 'List'} ${list.number} (${list.name})`;
	if (cls.reason === 'all-struck')
		return fr ? `${head}, tous les candidats rayés (compté comme vote blanc)` :
			`${head}, every candidate struck (counted as blank)`;
	if (cls.struck.length === 0)
		return fr ? `${head}, aucun candidat rayé` : `${head}, no candidate struck`;
	const names = cls.struck.map((c) => {
		const k = list.candidates[c - 1];
		return `${k.firstName} ${k.lastName}`;
	}).join(', ');
	const n = cls.struck.length;
	if (fr)
		return `${head}, ${n} candidat${n > 1 ? 's' : ''} rayé${n > 1 ? 's' : ''} : ${names}`;
	return `${head}, ${n} candidate${n > 1 ? 's' : ''} struck: ${names}`;
}

// --- sealing ----------------------------------------------------------------------

// ElGamal and the proof of knowledge of r (docs/ENCRYPTOR.md, v2):
//   A = r·G, B = M + r·PK
//   T = k·G, c = Hn("sceau/ballot-pok/v2"; election_id, u16be(scrutin_id), A, B, T),
//   z = k + c·r mod n
//   record = u16be(scrutin_id) || A || B || c || z     (196 bytes)
// The proof binds A to its election and scrutin: without r no one can copy
// a ballot with A re-randomised (A + r'·G), nor move it to another scrutin.
function seal(publicKey, electionId, scrutinId, plaintext, r, k) {
	const M = plaintextToPoint(plaintext).point;
	const A = Point.BASE.multiply(r);
	const B = M.add(publicKey.multiply(r));
	if (B.is0())
		throw new RangeError('B is the point at infinity (probability 2^-256): draw r again');
	const T = Point.BASE.multiply(k);
	const Ab = pointBytes(A), Bb = pointBytes(B);
	const sid = u16be(scrutinId);
	const c = hashToScalar(POK_TAG, electionId, sid, Ab, Bb, pointBytes(T));
	const z = Fn.add(k, Fn.mul(c, r));
	const record = concat(sid, Ab, Bb, scalarToBytes(c), scalarToBytes(z));
	return { record, trackerHex: ballotTracker(record) };
}

// The lifecycle of a sealed ballot. 'sealed': made, tracker known, r and the
// plaintext held; 'cast': handed out for the urn, r and the plaintext
// forgotten; 'audited': r and the plaintext revealed (the Benaloh challenge),
// the record forgotten: that ballot can never be cast. Each step is one way.
export const BALLOT_STATES = Object.freeze(['sealed', 'cast', 'audited']);

// One sealed ballot. The record leaves only through cast() or inside the
// audit of audit(), and a ballot gives one or the other, never both: a page
// cannot send a ballot whose r it has revealed (r decrypts it), and cannot
// reveal the r of a ballot it sent. r lives in a private field (a bigint,
// which JavaScript cannot overwrite: forgetting it is the best a page can
// do, and both exits do).
export class SealedBallot {
	#record;
	#trackerHex;
	#scrutinId;
	#electionIdHex;
	#r;
	#plaintext;
	#state = 'sealed';

	constructor(secret) {
		if (secret?.token !== SEALED_TOKEN)
			throw new TypeError('SealedBallot: made only by Election.encrypt()');
		this.#record = secret.record;
		this.#trackerHex = secret.trackerHex;
		this.#scrutinId = secret.scrutinId;
		this.#electionIdHex = secret.electionIdHex;
		this.#r = secret.r;
		this.#plaintext = secret.plaintext;
	}

	get scrutinId() { return this.#scrutinId; }
	get electionIdHex() { return this.#electionIdHex; }
	// The voter's receipt, 64 lower-case hex digits: shown before the voter
	// chooses between casting and auditing, and kept after casting.
	get trackerHex() { return this.#trackerHex; }
	get state() { return this.#state; }

	#forgetSecrets() {
		this.#r = null;
		this.#plaintext.fill(0);
		this.#plaintext = null;
	}

	// The 196-byte record for the urn. After this the ballot can no longer
	// be audited: r and the plaintext are dropped. Calling it again returns
	// the same record (for a page that must resend it).
	cast() {
		if (this.#state === 'audited')
			throw new Error('this ballot was audited: it can never be cast; encrypt the choice again');
		if (this.#state === 'sealed') {
			this.#state = 'cast';
			this.#forgetSecrets();
		}
		return this.#record.slice();
	}

	// The Benaloh challenge: reveals r and the plaintext as the audit JSON
	// "sceau-ballot-audit/2" (docs/FORMATS.md; canonical JSON text, the
	// bytes to offer for download), which anyone checks with verifyAudit()
	// or `sceau-verify --audit` on a device the voter trusts. The ballot is
	// then 'audited' for good: cast() throws, and the ballot forgets its
	// record, r and plaintext, so a second audit() throws too (the page keeps
	// the text it got). A ballot already cast cannot be audited: its r must
	// stay secret, since r decrypts it.
	audit() {
		if (this.#state === 'cast')
			throw new Error('this ballot was cast: it cannot be audited (its r would decrypt it)');
		if (this.#state === 'audited')
			throw new Error('this ballot was already audited: keep the audit it returned');
		const text = auditJsonText({ electionIdHex: this.#electionIdHex,
			scrutinId: this.#scrutinId, record: this.#record, r: this.#r,
			plaintext: this.#plaintext, trackerHex: this.#trackerHex });
		this.#state = 'audited';
		this.#forgetSecrets();
		this.#record.fill(0);
		this.#record = null;
		return text;
	}
}
const SEALED_TOKEN = Symbol('sceau sealed ballot');

// Seals a plaintext for the election key with fresh r and k.
//   publicKey   a Point (parseElectionRecord().publicKey)
//   electionId  32 bytes
export function sealBallot({ publicKey, electionId, scrutinId, plaintext }) {
	checkScrutinId(scrutinId);
	const eid = asBytes(electionId, 'electionId');
	if (eid.length !== 32)
		throw new RangeError('electionId: 32 bytes expected');
	const pt = asBytes(plaintext, 'plaintext').slice();
	if (pt[0] !== PLAINTEXT_VERSION)
		throw new RangeError('plaintext: expected the bytes of encodePlaintext()');
	const r = randomScalar();
	const k = randomScalar();
	const { record, trackerHex } = seal(publicKey, eid, scrutinId, pt, r, k);
	return new SealedBallot({ token: SEALED_TOKEN, record, trackerHex, scrutinId,
		electionIdHex: bytesToHex(eid), r, plaintext: pt });
}

// FOR KNOWN-ANSWER TESTS ONLY: seals with the given r and k (hex, in
// [1, n-1]), so that independent implementations can compare bytes. A
// ballot whose r or k is known to anyone but the voter's device loses its
// secrecy (r decrypts it) or its proof (k reveals r): never in production.
export function testOnlySealWithNonces({ publicKeyHex, electionIdHex, scrutinId, plaintext, rHex, kHex }) {
	checkScrutinId(scrutinId);
	const publicKey = readPoint(hexToBytes(publicKeyHex, POINT_LEN, 'publicKeyHex'), 'publicKeyHex');
	const eid = hexToBytes(electionIdHex, 32, 'electionIdHex');
	const r = bytesToBigInt(hexToBytes(rHex, 32, 'rHex'));
	const k = bytesToBigInt(hexToBytes(kHex, 32, 'kHex'));
	if (r < 1n || r >= N || k < 1n || k >= N)
		throw new RangeError('r and k must be in [1, n-1]');
	return seal(publicKey, eid, scrutinId, asBytes(plaintext, 'plaintext'), r, k);
}

// --- the election, as a page uses it -------------------------------------------------

export class Election {
	#publicKey;
	#electionId;
	#definition;
	#layouts = new Map();

	constructor(secret) {
		if (secret?.token !== ELECTION_TOKEN)
			throw new TypeError('Election: made only by openElection()');
		this.#publicKey = secret.publicKey;
		this.#electionId = secret.electionId;
		this.#definition = secret.definition;
		this.electionIdHex = bytesToHex(secret.electionId);
		this.publicKeyHex = bytesToHex(pointBytes(secret.publicKey));
		this.title = secret.definition.title;
		this.scrutinIds = secret.definition.scrutins.map((s) => s.id);
		Object.freeze(this.scrutinIds);
	}

	get electionId() { return this.#electionId.slice(); }

	layout(scrutinId) {
		if (!this.#layouts.has(scrutinId))
			this.#layouts.set(scrutinId, scrutinLayout(this.#definition, scrutinId));
		return this.#layouts.get(scrutinId);
	}

	plaintext(scrutinId, choice, struck = []) {
		return encodePlaintext(this.layout(scrutinId), choice, struck);
	}

	// Encrypts the voter's choice: choice 0 = blank, L = list L; struck =
	// candidate positions (1-based) struck out of list L. Returns a
	// SealedBallot (tracker now, record on cast()).
	encrypt(scrutinId, choice, struck = []) {
		const plaintext = this.plaintext(scrutinId, choice, struck);
		try {
			return sealBallot({ publicKey: this.#publicKey, electionId: this.#electionId,
				scrutinId, plaintext });
		} finally {
			plaintext.fill(0); // sealBallot keeps its own copy until cast()
		}
	}

	checkRecord(record) {
		return checkRecord(record, this);
	}

	checkRecords(records) {
		return checkRecords(records, this);
	}

	// Checks an audited ballot of this election (verifyAudit() below).
	verifyAudit(audit) {
		return checkAudit(audit, this, this.#electionId, this.#publicKey);
	}
}
const ELECTION_TOKEN = Symbol('sceau election');

// The election a page encrypts for, from the public election record
// (record.json) and the election definition. The definition must be given
// as the file's exact bytes (or its text), since its SHA-256 must be the
// record's election_id: a definition that differs by one byte, even
// whitespace, is another election, and ballots sealed with it are counted
// by no one.
export function openElection({ record, definition }) {
	const rec = parseElectionRecord(record);
	let bytes;
	if (typeof definition === 'string')
		bytes = new TextEncoder().encode(definition);
	else if (definition instanceof ArrayBuffer || ArrayBuffer.isView(definition))
		bytes = asBytes(definition, 'definition');
	else
		throw new TypeError('definition: give the file\'s bytes or text (its SHA-256 is the election id)');
	const id = computeElectionIdHex(bytes);
	if (id !== rec.electionIdHex)
		throw new RangeError(`definition: SHA-256 is ${id}, not the record's election_id ` +
			`${rec.electionIdHex}`);
	const def = parseJson(bytes, 'definition');
	if (!def || def.format !== ELECTION_FORMAT || !Array.isArray(def.scrutins))
		throw new TypeError(`definition: not "${ELECTION_FORMAT}"`);
	const election = new Election({ token: ELECTION_TOKEN, publicKey: rec.publicKey,
		electionId: rec.electionId, definition: def });
	for (const sid of election.scrutinIds)
		election.layout(sid); // every scrutin's layout checked now, not at the first vote
	return election;
}

// --- records: reading and checking ------------------------------------------------------

// Splits a 196-byte record into its fields (no check of their values).
export function parseRecord(record) {
	const rec = asBytes(record, 'record');
	if (rec.length !== RECORD_LEN)
		throw new RangeError(`record: ${rec.length} bytes, expected ${RECORD_LEN}`);
	return {
		scrutinId: (rec[0] << 8) | rec[1],
		A: rec.subarray(2, 2 + POINT_LEN),
		B: rec.subarray(2 + POINT_LEN, 2 + 2 * POINT_LEN),
		c: rec.subarray(2 + 2 * POINT_LEN, 2 + 2 * POINT_LEN + SCALAR_LEN),
		z: rec.subarray(2 + 2 * POINT_LEN + SCALAR_LEN),
	};
}

// tracker = H("sceau/tracker/v2"; record): the voter's receipt, 64
// lower-case hex digits. Anyone can recompute it from the published urn; it
// carries nothing about the vote.
export function ballotTracker(record) {
	return bytesToHex(taggedHash(TRACKER_TAG, asBytes(record, 'record')));
}

function electionIdOf(ctx) {
	if (ctx?.electionId !== undefined)
		return asBytes(ctx.electionId, 'electionId');
	return hexToBytes(ctx?.electionIdHex, 32, 'electionIdHex');
}

// Checks one record as the box does at import (docs/ENCRYPTOR.md, "What the
// box checks"):
//   - malformed: not 196 bytes, a scrutin the election does not have, A or B
//     not a valid point, c or z not < n. One malformed record makes the box
//     refuse the whole urn.
//   - proof-failed: T' = z·G - c·A is infinity, or
//     Hn("sceau/ballot-pok/v2"; election_id, u16be(scrutin_id), A, B, T') != c.
//     The box sets it aside and counts it nul.
//   - valid otherwise.
// ctx: an Election, or { electionIdHex (or electionId bytes), scrutinIds }.
// Returns { status: 'valid' | 'proof-failed' | 'malformed', reason, scrutinId,
// trackerHex, aHex }; reason says why for anything not valid. Never throws
// for a bad record: the record is data from outside.
export function checkRecord(record, ctx) {
	const electionId = electionIdOf(ctx);
	const scrutinIds = new Set(ctx?.scrutinIds ?? []);
	return checkOne(asBytes(record, 'record'), electionId, scrutinIds, true);
}

// The checks of checkRecord(); with withProof false, only the malformed ones.
function checkOne(rec, electionId, scrutinIds, withProof) {
	const out = { status: 'malformed', reason: null, scrutinId: null, trackerHex: null, aHex: null };
	if (rec.length !== RECORD_LEN) {
		out.reason = `${rec.length} bytes, expected ${RECORD_LEN}`;
		return out;
	}
	const f = parseRecord(rec);
	out.scrutinId = f.scrutinId;
	out.trackerHex = ballotTracker(rec);
	out.aHex = bytesToHex(f.A);
	if (!scrutinIds.has(f.scrutinId)) {
		out.reason = `scrutin ${f.scrutinId} is not in the election`;
		return out;
	}
	let A;
	try {
		A = readPoint(f.A, 'A');
		readPoint(f.B, 'B');
	} catch (e) {
		out.reason = e.message;
		return out;
	}
	const c = bytesToBigInt(f.c), z = bytesToBigInt(f.z);
	if (c >= N || z >= N) {
		out.reason = c >= N ? 'c is not < n' : 'z is not < n';
		return out;
	}
	if (!withProof) {
		out.status = 'well-formed';
		return out;
	}
	// T' = z·G - c·A with public scalars only: the fast variable-time path.
	const T = Point.BASE.mulAddUnsafe(z, A, Fn.neg(c));
	if (T.is0() || hashToScalar(POK_TAG, electionId, rec.subarray(0, 2), f.A, f.B,
		pointBytes(T)) !== c) {
		out.status = 'proof-failed';
		out.reason = 'the proof of knowledge does not verify';
		return out;
	}
	out.status = 'valid';
	return out;
}

// Checks a whole urn in order, as the box will: every record as
// checkRecord(), and a record whose A equals the A of an earlier record
// (whatever the scrutin) is 'duplicate' (the box sets it aside, nul; its proof
// is not looked at). A platform writes the urn only when no record is
// malformed, and should have refused a proof-failed or duplicate ballot
// when the voter sent it (docs/ENCRYPTOR.md).
export function checkRecords(records, ctx) {
	const electionId = electionIdOf(ctx);
	const scrutinIds = new Set(ctx?.scrutinIds ?? []);
	const seenA = new Set();
	const out = [];
	for (const record of records) {
		const rec = asBytes(record, 'record');
		const aHex = rec.length === RECORD_LEN ? bytesToHex(parseRecord(rec).A) : null;
		const dup = aHex !== null && seenA.has(aHex);
		const res = checkOne(rec, electionId, scrutinIds, !dup);
		if (dup && res.status === 'well-formed') {
			res.status = 'duplicate';
			res.reason = 'A repeats the A of an earlier ballot';
		}
		if (aHex !== null)
			seenA.add(aHex);
		out.push(res);
	}
	return out;
}

// --- cast or audit: the audited ballot (sceau-ballot-audit/2) ----------------------------

// docs/FORMATS.md, "Audited ballot (sceau-ballot-audit/2)": what audit()
// writes and verifyAudit() reads. The file holds bytes only (ids, record, r,
// plaintext, tracker as lower-case hex; the scrutin as an integer), never
// the choice in words: the words come from the definition, so that a
// checker shows the voter what the bytes say, not what a page claims.
export const AUDIT_FORMAT = 'sceau-ballot-audit/2';
export const AUDIT_REPORT_FORMAT = 'sceau-audit-report/1';
export const AUDIT_MAX = 4096; // bytes; an audit is about 700
const AUDIT_KEYS = ['format', 'election', 'scrutin', 'record', 'r', 'plaintext', 'tracker'];
// Lengths in bytes of the hex fields ([min, max]).
const AUDIT_HEX = { election: [32, 32], record: [RECORD_LEN, RECORD_LEN], r: [SCALAR_LEN, SCALAR_LEN],
	plaintext: [3, PLAINTEXT_MAX], tracker: [32, 32] };

// The canonical JSON text (docs/FORMATS.md "Canonical JSON": JSON.stringify
// with an indent of 2 writes exactly those bytes for these values), keys in
// the order of AUDIT_KEYS, with its final line feed.
function auditJsonText({ electionIdHex, scrutinId, record, r, plaintext, trackerHex }) {
	return JSON.stringify({ format: AUDIT_FORMAT, election: electionIdHex, scrutin: scrutinId,
		record: bytesToHex(record), r: bytesToHex(scalarToBytes(r)),
		plaintext: bytesToHex(plaintext), tracker: trackerHex }, null, 2) + '\n';
}

// The keys of every object of a JSON text that JSON.parse accepted, in
// order, each with the raw text of its value's first token: JSON.parse keeps
// the last of two equal keys and reads 1.0 as 1, where the box's and the
// verifier's reader (jansson, strict) refuse both. Only strings need care:
// outside them, a key is a string followed by a colon.
function rawMembers(text) {
	const out = [];
	for (let i = 0; i < text.length; i++) {
		if (text[i] !== '"')
			continue;
		let j = i + 1;
		while (text[j] !== '"')
			j += text[j] === '\\' ? 2 : 1;
		let k = j + 1;
		while (' \t\n\r'.includes(text[k]))
			k++;
		if (text[k] === ':') {
			let v = k + 1;
			while (' \t\n\r'.includes(text[v]))
				v++;
			out.push({ key: JSON.parse(text.slice(i, j + 1)), raw: text.slice(v).match(/^[^,}\]\s]*/)[0] });
		}
		i = j;
	}
	return out;
}

// Reads an audit: text or bytes (UTF-8), or an already parsed object.
// Returns { doc } or { failures } (document-level and per-key problems,
// every one found).
function readAudit(audit) {
	const fail = (field, code, reason) => ({ field, code, reason });
	let text = null, doc;
	if (typeof audit === 'string') {
		text = audit;
	} else if (audit instanceof ArrayBuffer || ArrayBuffer.isView(audit)) {
		const bytes = asBytes(audit, 'audit');
		if (bytes.length > AUDIT_MAX)
			return { failures: [fail('document', 'too-large', `${bytes.length} bytes, at most ${AUDIT_MAX}`)] };
		try {
			text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
		} catch {
			return { failures: [fail('document', 'not-json', 'not UTF-8 text')] };
		}
	} else if (audit && typeof audit === 'object' && !Array.isArray(audit)) {
		doc = audit;
	} else {
		throw new TypeError('audit: expected the audit JSON as text, bytes or an object');
	}
	if (text !== null) {
		if (new TextEncoder().encode(text).length > AUDIT_MAX)
			return { failures: [fail('document', 'too-large', `more than ${AUDIT_MAX} bytes`)] };
		try {
			doc = JSON.parse(text);
		} catch (e) {
			return { failures: [fail('document', 'not-json', `not JSON (${e.message})`)] };
		}
		if (!doc || typeof doc !== 'object' || Array.isArray(doc))
			return { failures: [fail('document', 'not-json', 'not a JSON object')] };
	}
	const failures = [];
	const seen = new Set();
	const raw = text === null ? [] : rawMembers(text);
	for (const { key } of raw) {
		if (seen.has(key) && AUDIT_KEYS.includes(key))
			failures.push(fail(key, 'key-repeated', `"${key}" appears twice`));
		seen.add(key);
	}
	for (const key of Object.keys(doc))
		if (!AUDIT_KEYS.includes(key))
			failures.push(fail(key, 'key-unknown', `unknown key "${key}"`));
	for (const key of AUDIT_KEYS) {
		const v = doc[key];
		if (!(key in doc)) {
			failures.push(fail(key, 'key-missing', `no "${key}"`));
		} else if (key === 'format') {
			if (v !== AUDIT_FORMAT)
				failures.push(fail(key, 'format', `"${String(v)}", expected "${AUDIT_FORMAT}"`));
		} else if (key === 'scrutin') {
			const token = raw.find((m) => m.key === 'scrutin')?.raw;
			if (!Number.isInteger(v) || v < 1 || v > 0xffff || (token !== undefined && !/^[0-9]+$/.test(token)))
				failures.push(fail(key, 'encoding', 'not an integer in 1..65535'));
		} else {
			const [min, max] = AUDIT_HEX[key];
			if (typeof v !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(v))
				failures.push(fail(key, 'encoding', 'not a string of lower-case hex digits'));
			else if (v.length < 2 * min || v.length > 2 * max)
				failures.push(fail(key, 'encoding', `${v.length / 2} bytes, expected ` +
					(min === max ? `${min}` : `${min} to ${max}`)));
		}
	}
	return failures.length ? { failures } : { doc };
}

// M' = B − r·PK read as the box reads a decrypted point (v2 spec §1): the
// plaintext bytes, or null for a nul "unreadable" ballot.
function decodeAsTheBox(M, ptLen) {
	if (M.is0())
		return null;
	const x = pointBytes(M).subarray(1, 33);
	if (x[0] !== 0 || x.subarray(1 + ptLen, 31).some((b) => b !== 0))
		return null;
	return x.slice(1, 1 + ptLen);
}

const equalBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// The checks, in the order of docs/FORMATS.md; every failure found is
// reported with the field it points at. A failure of the election stops
// there: every other check would be made against another election.
function checkAudit(audit, election, electionId, publicKey) {
	const out = { ok: false, status: 'malformed', failures: [], electionIdHex: null,
		scrutinId: null, trackerHex: null, choice: null, words: null };
	const read = readAudit(audit);
	if (read.failures) {
		out.failures = read.failures;
		return out;
	}
	const doc = read.doc;
	const f = out.failures;
	const fail = (field, code, reason) => f.push({ field, code, reason });
	out.status = 'invalid';
	out.electionIdHex = doc.election;
	out.scrutinId = doc.scrutin;
	out.trackerHex = doc.tracker;
	const scrutinIds = new Set(election.scrutinIds);

	// 1. The election: the one of the record and definition given.
	if (doc.election !== bytesToHex(electionId)) {
		fail('election', 'election-mismatch', `the audit is for election ${doc.election}, ` +
			`the record and definition given are election ${bytesToHex(electionId)}`);
		return out;
	}
	// 2. The record, as the box checks it at import.
	const rec = hexToBytes(doc.record, RECORD_LEN);
	const fields = parseRecord(rec);
	let A = null, B = null, recordOk = false;
	if (!scrutinIds.has(fields.scrutinId)) {
		fail('record', 'record-scrutin-unknown', `the record's scrutin ${fields.scrutinId} is not in the election`);
	} else {
		try {
			A = readPoint(fields.A, 'the record\'s A');
			B = readPoint(fields.B, 'the record\'s B');
		} catch (e) {
			A = B = null;
			fail('record', 'record-point', e.message);
		}
		const c = bytesToBigInt(fields.c), z = bytesToBigInt(fields.z);
		if (A && B && (c >= N || z >= N))
			fail('record', 'record-scalar', c >= N ? 'the record\'s c is not < n' : 'the record\'s z is not < n');
		else if (A && B && checkOne(rec, electionId, scrutinIds, true).status !== 'valid')
			fail('record', 'record-proof', 'the record\'s proof of knowledge does not verify');
		else if (A && B)
			recordOk = true;
	}
	// 3. The tracker: the one the page showed is the record's.
	const tracker = ballotTracker(rec);
	if (doc.tracker !== tracker)
		fail('tracker', 'tracker-mismatch', `the tracker given is not the record's (${tracker})`);
	// 4. The scrutin: the record's own.
	if (!scrutinIds.has(doc.scrutin))
		fail('scrutin', 'scrutin-unknown', `scrutin ${doc.scrutin} is not in the election`);
	else if (doc.scrutin !== fields.scrutinId)
		fail('scrutin', 'scrutin-mismatch', `scrutin ${doc.scrutin}, the record's is ${fields.scrutinId}`);
	// 5. r: the record's randomness, A = r·G.
	const r = bytesToBigInt(hexToBytes(doc.r, SCALAR_LEN));
	let rOk = false;
	if (r === 0n || r >= N)
		fail('r', 'r-range', 'r is not in [1, n-1]');
	else if (A && !Point.BASE.multiply(r).equals(A))
		fail('r', 'r-mismatch', 'r·G is not the record\'s A: r is not this ballot\'s randomness');
	else if (A)
		rOk = true;
	// 6. The plaintext: a choice the box counts, and what B holds.
	const pt = hexToBytes(doc.plaintext);
	const sid = scrutinIds.has(fields.scrutinId) ? fields.scrutinId :
		scrutinIds.has(doc.scrutin) ? doc.scrutin : null;
	const layout = sid === null ? null : election.layout(sid);
	let cls = null;
	if (layout && pt.length !== layout.ptLen) {
		fail('plaintext', 'plaintext-length', `${pt.length} bytes, scrutin ${sid} has ${layout.ptLen}`);
	} else if (layout) {
		cls = classifyPlaintext(layout, pt);
		if (cls.kind === 'nul')
			fail('plaintext', 'plaintext-nul', `the box would count this plaintext nul (${cls.reason})`);
	}
	if (recordOk && rOk) {
		const M = B.subtract(publicKey.multiply(r));
		const got = decodeAsTheBox(M, layout.ptLen);
		if (got === null || !equalBytes(got, pt))
			fail('plaintext', 'plaintext-mismatch', 'B − r·PK does not hold this plaintext: the box ' +
				(got === null ? 'would read an unreadable ballot' : `would read ${bytesToHex(got)}`));
		else if (!plaintextToPoint(pt).point.equals(M))
			fail('plaintext', 'plaintext-encoding', 'B − r·PK holds this plaintext, but not as the ' +
				'point of the specification (smallest counter, even y): the ballot carries other bits');
	}
	if (f.length === 0) {
		out.ok = true;
		out.status = 'valid';
		out.choice = { reason: cls.reason, list: cls.list, struck: cls.struck };
		out.words = { fr: wordsOf(layout, cls, 'fr'), en: wordsOf(layout, cls, 'en') };
	}
	return out;
}

// Checks an audited ballot (docs/FORMATS.md, "Audited ballot"), on a device
// the voter trusts: the election is the one of `record` (record.json) and
// `definition` (the definition file's exact bytes or text), as for
// openElection(), or an `election` already opened. Checks that the record is
// well formed and its proof verifies, that the tracker is the record's, that
// A = r·G, that B − r·PK holds the plaintext as the point of the
// specification, and that the plaintext is a choice the box counts.
// Returns { ok, status: 'valid' | 'invalid' | 'malformed', failures: [{ field,
// code, reason }], electionIdHex, scrutinId, trackerHex, choice: { reason,
// list, struck } | null, words: { fr, en } | null }: the choice and its words
// only when the audit holds. field is the audit's key a failure points at
// (or 'document'); code is stable (docs/FORMATS.md lists them); reason is
// English. Throws only for a wrong record or definition (the checker's own
// inputs), never for a bad audit: the audit is data from outside.
export function verifyAudit(audit, { record, definition, election } = {}) {
	const e = election ?? openElection({ record, definition });
	return e.verifyAudit(audit);
}

// The machine-readable report of a verifyAudit() result, "sceau-audit-report/1"
// (docs/VERIFY.md): canonical JSON text, as `sceau-verify --audit --json` writes it.
export function auditReportJson(result) {
	return JSON.stringify({
		format: AUDIT_REPORT_FORMAT,
		verdict: result.ok ? 'pass' : 'fail',
		election: result.electionIdHex,
		scrutin: result.scrutinId,
		tracker: result.trackerHex,
		choice: result.choice,
		failures: result.failures.map(({ field, code }) => ({ field, code })),
	}, null, 2) + '\n';
}
