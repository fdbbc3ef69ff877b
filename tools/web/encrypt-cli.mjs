#!/usr/bin/env node
// Command-line driver of the v1 reference encryptor (sceau-ballot-v1.js), for the
// interoperability test (tests/interop/test_webcrypto.c) and for integrators
// who want to compare their own page's output with the reference.
//
// Encrypt: seals a list of ballots exactly as the page does.
//   node tools/web/encrypt-cli.mjs --pk HEX --election-id HEX \
//        --definition FILE --ballots SPEC.json --out OUT.json
//   SPEC.json: [ {"scrutin": 1, "choice": 2, "struck": [1, 3]}, ... ]
//   OUT.json:  [ {"scrutin", "recordHex", "trackerHex", "plaintextHex"}, ... ]
//
// Decrypt (tests only: the other direction, ballots sealed by the box's C code
// opened with WebCrypto): needs the election's secret scalar, which exists
// only inside the box or in a test. Never give it a real election's key.
//   node tools/web/encrypt-cli.mjs --decrypt --secret HEX --pk HEX \
//        --election-id HEX [--definition FILE] --records IN.json --out OUT.json
//   IN.json:  [ {"recordHex": "..."}, ... ]
//   OUT.json: [ {"scrutin", "trackerHex", "plaintextHex"} or {"error": "..."}, ... ]
//   A ballot that does not open gives an "error" entry, not a failure of the
//   program, so that a test can check that tampered ballots are refused.
//
// Test key: a throwaway election key pair made with WebCrypto, to try a
// page's own encryptor against --decrypt. Never for a real election: its
// key comes only from the box's key ceremony.
//   node tools/web/encrypt-cli.mjs --new-test-key
//   stdout: {"secretHex": "...", "publicKeyHex": "..."}
//
// Exit status: 0 done, 1 an input is wrong or an operation failed, 2 usage.
import { readFile, writeFile } from 'node:fs/promises';

import {
	POINT_LEN, ballotAad, ballotTracker, bytesToHex, computeElectionIdHex,
	deriveBallotCipher, encodePlaintext, encryptBallot, getSubtle, hexToBytes,
	parseRecord, scrutinLayout,
} from './sceau-ballot-v1.js';

const USAGE = `usage:
  encrypt-cli.mjs --pk HEX --election-id HEX --definition FILE --ballots SPEC.json --out OUT.json
  encrypt-cli.mjs --decrypt --secret HEX --pk HEX --election-id HEX [--definition FILE]
                  --records IN.json --out OUT.json
  encrypt-cli.mjs --new-test-key`;

class UsageError extends Error {}

function parseArgs(argv) {
	const valued = new Set(['--pk', '--election-id', '--definition', '--ballots', '--out',
		'--secret', '--records']);
	const opts = { decrypt: false, newTestKey: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--decrypt' || a === '--new-test-key') {
			opts[a === '--decrypt' ? 'decrypt' : 'newTestKey'] = true;
		} else if (valued.has(a)) {
			if (i + 1 >= argv.length)
				throw new UsageError(`${a} needs a value`);
			const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
			if (key in opts)
				throw new UsageError(`${a} given twice`);
			opts[key] = argv[++i];
		} else {
			throw new UsageError(`unknown argument ${a}`);
		}
	}
	if (opts.newTestKey) {
		if (argv.length !== 1)
			throw new UsageError('--new-test-key takes no other argument');
		return opts;
	}
	const need = opts.decrypt ? ['secret', 'pk', 'electionId', 'records', 'out']
		: ['pk', 'electionId', 'definition', 'ballots', 'out'];
	for (const k of need)
		if (!(k in opts))
			throw new UsageError(`missing --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`);
	const forbidden = opts.decrypt ? ['ballots'] : ['secret', 'records'];
	for (const k of forbidden)
		if (k in opts)
			throw new UsageError(`--${k} does not go with ${opts.decrypt ? '--decrypt' : 'encryption'}`);
	return opts;
}

async function readJson(path) {
	return JSON.parse(await readFile(path, 'utf8'));
}

// The definition, checked against the election id given on the command line:
// sealing for one definition's layout under another election's id would
// make ballots the box cannot count.
async function loadDefinition(path, electionIdHex) {
	const bytes = await readFile(path);
	const id = await computeElectionIdHex(bytes);
	if (id !== electionIdHex.toLowerCase())
		throw new Error(`${path}: SHA-256 is ${id}, not the election id ${electionIdHex}`);
	return JSON.parse(bytes.toString('utf8'));
}

async function encryptAll(opts) {
	const def = await loadDefinition(opts.definition, opts.electionId);
	const spec = await readJson(opts.ballots);
	if (!Array.isArray(spec))
		throw new Error(`${opts.ballots}: expected a JSON array of ballots`);
	const layouts = new Map();
	const out = [];
	for (const [i, b] of spec.entries()) {
		try {
			if (!layouts.has(b.scrutin))
				layouts.set(b.scrutin, scrutinLayout(def, b.scrutin));
			const plaintext = encodePlaintext(layouts.get(b.scrutin), b.choice, b.struck ?? []);
			const { record, trackerHex } = await encryptBallot({
				publicKeyHex: opts.pk, electionIdHex: opts.electionId,
				scrutinId: b.scrutin, plaintext,
			});
			out.push({ scrutin: b.scrutin, recordHex: bytesToHex(record), trackerHex,
				plaintextHex: bytesToHex(plaintext) });
		} catch (e) {
			throw new Error(`${opts.ballots}[${i}]: ${e.message}`);
		}
	}
	return out;
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// P-256 generator, SEC1 uncompressed.
const G = hexToBytes('046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' +
	'4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5');

// The election's private key in WebCrypto: a JWK needs the public point too.
// WebCrypto has no "multiply by G", so the key's consistency is checked with
// ECDH against G itself: x(s·G) must be the x of the given public key.
async function importSecret(subtle, secretHex, pkHex) {
	const d = hexToBytes(secretHex, 32, '--secret');
	const pk = hexToBytes(pkHex, POINT_LEN, '--pk');
	const jwk = { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(pk.subarray(1, 33)),
		y: b64url(pk.subarray(33)), ext: false };
	const ec = { name: 'ECDH', namedCurve: 'P-256' };
	let priv;
	try {
		priv = await subtle.importKey('jwk', jwk, ec, false, ['deriveBits']);
	} catch (e) {
		throw new Error(`--secret and --pk are not a P-256 key pair (${e.message})`);
	}
	const g = await subtle.importKey('raw', G, ec, false, []);
	const x = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: g }, priv, 256));
	if (bytesToHex(x) !== bytesToHex(pk.subarray(1, 33)))
		throw new Error('--secret does not match --pk');
	return priv;
}

// What the box does per ballot, with WebCrypto: z = x(s·R), same HKDF, AES-GCM open.
async function openRecord(subtle, priv, electionId, record, def) {
	const { scrutinId, R, ct } = parseRecord(record);
	if (def) {
		const { ptLen } = scrutinLayout(def, scrutinId);
		if (ct.length !== ptLen + 16)
			throw new Error(`ciphertext of ${ct.length} bytes, scrutin ${scrutinId} wants ${ptLen + 16}`);
	}
	let pub;
	try {
		pub = await subtle.importKey('raw', R, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
	} catch (e) {
		throw new Error(`R is not a valid P-256 point (${e.message})`);
	}
	const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 256));
	const { key, nonce } = await deriveBallotCipher(subtle, z, electionId, scrutinId, R, 'decrypt');
	z.fill(0);
	let pt;
	try {
		pt = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: nonce,
			additionalData: ballotAad(electionId, scrutinId), tagLength: 128 }, key, ct));
	} catch (e) {
		// WebCrypto says only "OperationError": for AES-GCM that is a bad tag.
		throw new Error(`does not open: the AES-GCM tag does not verify (${e.name})`);
	}
	return { scrutin: scrutinId, trackerHex: await ballotTracker(record), plaintextHex: bytesToHex(pt) };
}

async function decryptAll(opts) {
	const subtle = await getSubtle();
	const electionId = hexToBytes(opts.electionId, 32, '--election-id');
	const def = opts.definition ? await loadDefinition(opts.definition, opts.electionId) : null;
	const priv = await importSecret(subtle, opts.secret, opts.pk);
	const recs = await readJson(opts.records);
	if (!Array.isArray(recs))
		throw new Error(`${opts.records}: expected a JSON array of {"recordHex"}`);
	const out = [];
	for (const [i, r] of recs.entries()) {
		const record = hexToBytes(r?.recordHex, undefined, `${opts.records}[${i}].recordHex`);
		try {
			out.push(await openRecord(subtle, priv, electionId, record, def));
		} catch (e) {
			out.push({ error: e.message });
		}
	}
	return out;
}

async function newTestKey() {
	const subtle = await getSubtle();
	const pair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true,
		['deriveBits']);
	const jwk = await subtle.exportKey('jwk', pair.privateKey);
	const pk = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
	return { secretHex: Buffer.from(jwk.d, 'base64url').toString('hex'),
		publicKeyHex: bytesToHex(pk) };
}

async function main() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 18) {
		process.stderr.write(`encrypt-cli: Node.js ${process.versions.node} is too old (>= 18)\n`);
		return 1;
	}
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (e) {
		if (!(e instanceof UsageError))
			throw e;
		process.stderr.write(`encrypt-cli: ${e.message}\n${USAGE}\n`);
		return 2;
	}
	try {
		if (opts.newTestKey) {
			process.stdout.write(JSON.stringify(await newTestKey(), null, 2) + '\n');
			return 0;
		}
		const out = opts.decrypt ? await decryptAll(opts) : await encryptAll(opts);
		await writeFile(opts.out, JSON.stringify(out, null, 2) + '\n');
	} catch (e) {
		process.stderr.write(`encrypt-cli: ${e.message}\n`);
		return 1;
	}
	return 0;
}

process.exitCode = await main();
