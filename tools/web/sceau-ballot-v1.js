// Sceau reference ballot encryptor, ballot format v1 (being retired).
//
// Kept only while the box still opens v1 ballots: tests/interop/test_webcrypto.c
// runs it through encrypt-cli.mjs. Version 2 (ElGamal with a proof of
// knowledge, which the box shuffles verifiably before decrypting) is
// sceau-ballot.js; this file goes away when the box switches to v2.
//
// This is what a voting platform's web page runs to seal a ballot for a Sceau
// counting box: plain JavaScript and the browser's own WebCrypto
// (crypto.subtle: ECDH P-256, HKDF-SHA256, AES-256-GCM, SHA-256), no library.
// The same file runs unchanged in a browser (as an ES module) and in
// Node.js >= 18. docs/ENCRYPTOR.md explains the steps and the byte layouts;
// tests/interop/test_webcrypto.c proves that the box's C code opens what this
// file produces, and that this file opens what the C code produces.
//
// Usage on a page:
//   import { scrutinLayout, encodePlaintext, encryptBallot } from './sceau-ballot-v1.js';
//   const layout = scrutinLayout(definitionText, 1);
//   const plaintext = encodePlaintext(layout, 2, [3]);   // list 2, 3rd candidate struck
//   const { record, trackerHex } = await encryptBallot({
//     publicKeyHex, electionIdHex, scrutinId: 1, plaintext });
//   // store `record` in the urn, show `trackerHex` to the voter as a receipt.

// Domain tags. They are ASCII, used without a terminating NUL. Each one
// names the protocol and its version, so that a key, a ciphertext or a hash
// made for one purpose can never be mistaken for another.
export const BALLOT_DOMAIN = 'sceau/ballot/v1';
export const TRACKER_TAG = 'sceau/tracker/v1';

export const PLAINTEXT_VERSION = 1;
export const POINT_LEN = 65;        // SEC1 uncompressed P-256 point: 0x04 || X || Y
export const TAG_LEN = 16;          // AES-GCM tag, appended to the ciphertext
export const PLAINTEXT_MAX = 256;   // BALLOT_PT_MAX of the box
const MAX_LISTS = 64;               // ELECTION_MAX_LISTS
const MAX_CANDIDATES = 128;         // ELECTION_MAX_CANDIDATES
const ELECTION_FORMAT = 'sceau-election/1';

const EC = { name: 'ECDH', namedCurve: 'P-256' };
const ascii = (s) => new TextEncoder().encode(s);

// --- WebCrypto -----------------------------------------------------------------

// Browsers and Node.js >= 19 have globalThis.crypto.subtle. Node.js 18 has the
// very same implementation, but only as an export of 'node:crypto'. The import
// is dynamic so that a browser never evaluates it unless WebCrypto is missing.
let subtlePromise = null;
export function getSubtle() {
	if (!subtlePromise)
		subtlePromise = findSubtle();
	return subtlePromise;
}

async function findSubtle() {
	if (globalThis.crypto?.subtle)
		return globalThis.crypto.subtle;
	try {
		return (await import('node:crypto')).webcrypto.subtle;
	} catch {
		// In a browser crypto.subtle exists only in a secure context.
		throw new Error('WebCrypto (crypto.subtle) is not available: a page must be ' +
			'served over HTTPS (or from localhost); Node.js must be >= 18');
	}
}

// --- small byte helpers --------------------------------------------------------

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
// given, nothing else accepted, so that a truncated or padded key or id is an
// error here rather than a ballot the box cannot open.
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

function checkScrutinId(id) {
	// Scrutin ids are 1-based (the position in the definition) and travel as
	// two big-endian bytes.
	if (!Number.isInteger(id) || id < 1 || id > 0xffff)
		throw new RangeError(`scrutin id ${id}: not an integer in 1..65535`);
}

// --- the election definition ---------------------------------------------------

// election_id = SHA-256 of the exact bytes of the definition file, the way the
// box computes it. A page can use it to check that the definition it shows
// is the one the key was made for (compare with the published election id).
export async function computeElectionIdHex(definitionBytes) {
	const subtle = await getSubtle();
	return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', definitionBytes)));
}

// What a ballot of one scrutin looks like: the lists (number, candidate count)
// and the fixed plaintext length
//   ptLen = 3 + ceil(max_candidates / 8)
// where max_candidates is the largest list of the scrutin. Every ballot of
// the scrutin has that length, whatever the choice, so that the ciphertext's
// size reveals nothing about the vote.
//
// definition: the definition file as text, bytes, or an already parsed object
// ("sceau-election/1", docs/FORMATS.md). Only what the layout needs is checked
// here; the box parses the file strictly and is the authority on it.
export function scrutinLayout(definition, scrutinId) {
	let def = definition;
	if (def instanceof ArrayBuffer || ArrayBuffer.isView(def))
		def = new TextDecoder('utf-8', { fatal: true }).decode(def);
	if (typeof def === 'string')
		def = JSON.parse(def);
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
		const n = Array.isArray(l.candidates) ? l.candidates.length : 0;
		if (n < 1 || n > MAX_CANDIDATES)
			throw new RangeError(`scrutin ${scrutinId}, list ${i + 1}: ` +
				`1 to ${MAX_CANDIDATES} candidates expected`);
		return { number: l.number, nCandidates: n };
	});
	const maxCandidates = Math.max(...lists.map((l) => l.nCandidates));
	return { scrutinId, ptLen: 3 + Math.ceil(maxCandidates / 8), lists };
}

// --- the plaintext (v1) --------------------------------------------------------

// Plaintext of one ballot, scrutin.ptLen bytes:
//   byte 0       version (1)
//   bytes 1..2   choice, big-endian: 0 = blank, L = list number L
//   bytes 3..    bitmap of struck candidates (ratures) of the chosen list:
//                candidate c (1-based, order of presentation) struck <=>
//                bit (c-1) % 8, least significant first, of byte 3 + floor((c-1)/8)
// Every other bit is zero. A plaintext that breaks these rules is malformed,
// and the box counts a malformed ballot nul (docs/DESIGN.md).
//
// scrutin: a layout from scrutinLayout(). choice: 0..lists.length.
// struck: candidate positions (1-based) the voter struck out of the chosen
// list. Anything the box would count as nul is refused here instead, so that
// a page bug shows up before the voter's ballot is sealed.
export function encodePlaintext(scrutin, choice, struck = []) {
	if (!scrutin || !Number.isInteger(scrutin.ptLen) || !Array.isArray(scrutin.lists))
		throw new TypeError('scrutin: expected a layout from scrutinLayout()');
	if (!Array.isArray(struck))
		throw new TypeError('struck: expected an array of candidate positions');
	if (!Number.isInteger(choice) || choice < 0 || choice > scrutin.lists.length)
		throw new RangeError(`choice ${choice}: expected 0 (blank) to ${scrutin.lists.length}`);
	if (choice === 0 && struck.length > 0)
		throw new RangeError('a blank ballot cannot strike candidates');

	const pt = new Uint8Array(scrutin.ptLen); // zero-filled: the padding
	pt[0] = PLAINTEXT_VERSION;
	pt.set(u16be(choice), 1);
	if (choice === 0)
		return pt;

	const n = scrutin.lists[choice - 1].nCandidates;
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

// --- encryption ----------------------------------------------------------------

// key (32 bytes) || nonce (12 bytes) = HKDF-SHA256(ikm = z, salt = election_id,
//     info = "sceau/ballot/v1" || scrutin_id (2, BE) || R (65))
// Binding R and the scrutin into the derivation gives every ballot its own
// key and nonce (R is fresh each time), so a nonce is never reused under a
// key. Exported for tests/interop's --decrypt mode; a page only needs
// encryptBallot().
export async function deriveBallotCipher(subtle, z, electionId, scrutinId, R, usage) {
	const info = concat(ascii(BALLOT_DOMAIN), u16be(scrutinId), R);
	const ikm = await subtle.importKey('raw', z, 'HKDF', false, ['deriveBits']);
	const okm = new Uint8Array(await subtle.deriveBits(
		{ name: 'HKDF', hash: 'SHA-256', salt: electionId, info }, ikm, 44 * 8));
	const key = await subtle.importKey('raw', okm.subarray(0, 32), 'AES-GCM', false, [usage]);
	const nonce = okm.slice(32, 44);
	okm.fill(0); // best effort: JavaScript gives no guarantee that no copy remains
	return { key, nonce };
}

// Associated data of AES-GCM: "sceau/ballot/v1" || election_id || scrutin_id (2, BE).
// A ballot therefore opens only for its election and its scrutin; one moved
// to another scrutin fails authentication and is counted nul.
export function ballotAad(electionId, scrutinId) {
	return concat(ascii(BALLOT_DOMAIN), electionId, u16be(scrutinId));
}

// Seals a plaintext from encodePlaintext() for the election key.
//   publicKeyHex   the election public key PK, 65-byte SEC1 uncompressed
//                  (04 || X || Y), as published after the key ceremony
//   electionIdHex  SHA-256 of the definition file, 32 bytes
//   scrutinId      1-based scrutin number
// Returns the ballot record
//   scrutin_id (2, BE) || R (65) || ct (plaintext length + 16-byte tag)
// and its tracker (lower-case hex), the voter's receipt.
export async function encryptBallot({ publicKeyHex, electionIdHex, scrutinId, plaintext }) {
	const subtle = await getSubtle();
	const pkRaw = hexToBytes(publicKeyHex, POINT_LEN, 'publicKeyHex');
	if (pkRaw[0] !== 0x04)
		throw new RangeError('publicKeyHex: not an uncompressed point (must start with 04)');
	const electionId = hexToBytes(electionIdHex, 32, 'electionIdHex');
	checkScrutinId(scrutinId);
	if (!(plaintext instanceof Uint8Array) || plaintext.length < 4 ||
	    plaintext.length > PLAINTEXT_MAX || plaintext[0] !== PLAINTEXT_VERSION)
		throw new TypeError('plaintext: expected the Uint8Array of encodePlaintext()');

	// importKey validates the point (on the curve, not infinity): a corrupted
	// key is refused here, not discovered at the count.
	let pk;
	try {
		pk = await subtle.importKey('raw', pkRaw, EC, false, []);
	} catch (e) {
		throw new RangeError(`publicKeyHex: not a valid P-256 point (${e.message})`);
	}

	// A fresh ephemeral key r for every ballot; its private half cannot leave
	// WebCrypto (not extractable) and is dropped when this function returns.
	// The public half R = r·G is always exportable.
	const eph = await subtle.generateKey(EC, false, ['deriveBits']);
	const R = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));

	// z = x-coordinate of r·PK. The box computes the same x from s·R.
	const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: pk },
		eph.privateKey, 256));
	const { key, nonce } = await deriveBallotCipher(subtle, z, electionId, scrutinId, R, 'encrypt');
	z.fill(0);

	// WebCrypto returns ciphertext || 16-byte tag, the layout the box reads.
	const ct = new Uint8Array(await subtle.encrypt(
		{ name: 'AES-GCM', iv: nonce, additionalData: ballotAad(electionId, scrutinId),
		  tagLength: 128 }, key, plaintext));

	const record = concat(u16be(scrutinId), R, ct);
	return { record, trackerHex: await ballotTracker(record) };
}

// --- records and trackers ------------------------------------------------------

// Splits a ballot record into its fields (no cryptographic check).
export function parseRecord(record) {
	if (!(record instanceof Uint8Array) || record.length < 2 + POINT_LEN + TAG_LEN)
		throw new RangeError('ballot record too short');
	return {
		scrutinId: (record[0] << 8) | record[1],
		R: record.subarray(2, 2 + POINT_LEN),
		ct: record.subarray(2 + POINT_LEN),
	};
}

// tracker = SHA-256( u32be(16) || "sceau/tracker/v1" || u32be(len) || record )
// (the box's hash_tagged with one part). Anyone can recompute it from the
// published urn, so the voter can check that the ballot is there; it carries
// no information about the vote. Shown in full, lower-case hex.
export async function ballotTracker(record) {
	const subtle = await getSubtle();
	const tag = ascii(TRACKER_TAG);
	const msg = concat(u32be(tag.length), tag, u32be(record.length), record);
	return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', msg)));
}
