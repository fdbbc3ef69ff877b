// The v2 reference encryptor (tools/web/sceau-ballot.js) under Node.js:
//  - known answers: ballots sealed with fixed r and k equal, byte for byte,
//    those of an independent Python recomputation (sceau_v2_ref.py), and
//    (once they exist) the C vectors of tests/data/v2-vectors.json;
//  - properties: every ballot's proof verifies and it decrypts, decoded as the
//    box does, to the voter's choice; a re-randomised copy, or any changed
//    field, fails; malformed records are told apart from failed proofs;
//    repeated A's are duplicates; the record leaves only through cast();
//  - ballots made here are checked again by the Python recomputation.
// Run: node --test tests/web/ (tests/web/test_ballot_v2.sh does, in the suite).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as sb from '../../tools/web/sceau-ballot.js';
import {
	N, Point, TOP, ballotSpecs, cleanupFixture, decodePoint, decryptRecord, expectedPlaintext,
	fixtureDir, loadElectionFiles, pythonCheck, rerandomise, secretOf,
} from './fixture.mjs';

const hex = sb.bytesToHex;
let dir, s, elections, vectors;

before(() => {
	dir = fixtureDir();
	s = secretOf(dir);
	elections = {};
	for (const name of ['demo', 'wide']) {
		const f = loadElectionFiles(dir, name);
		elections[name] = { ...f, election: sb.openElection({ record: f.record, definition: f.definition }) };
	}
	vectors = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8'));
});
after(cleanupFixture);

describe('known answers', () => {
	test('the Python recomputation\'s ballots, byte for byte', () => {
		assert.ok(vectors.vectors.length >= 10);
		for (const [i, v] of vectors.vectors.entries()) {
			const { election } = elections[v.election];
			assert.equal(election.publicKeyHex, vectors.publicKeyHex);
			const pt = election.plaintext(v.scrutin, v.choice, v.struck);
			assert.equal(hex(pt), v.plaintextHex, `vector ${i}: plaintext`);
			const { point, counter } = sb.plaintextToPoint(pt);
			assert.equal(counter, v.counter, `vector ${i}: counter j`);
			assert.equal(point.toHex(false), v.MHex, `vector ${i}: M`);
			const { record, trackerHex } = sb.testOnlySealWithNonces({
				publicKeyHex: election.publicKeyHex, electionIdHex: election.electionIdHex,
				scrutinId: v.scrutin, plaintext: pt, rHex: v.rHex, kHex: v.kHex });
			assert.equal(hex(record), v.recordHex, `vector ${i}: record`);
			assert.equal(trackerHex, v.trackerHex, `vector ${i}: tracker`);
			assert.equal(election.checkRecord(record).status, 'valid');
		}
	});

	// The table of docs/ENCRYPTOR.md, read from the document itself so that
	// the two cannot drift apart; its inputs are the Python vector's.
	test('the fixed vector of docs/ENCRYPTOR.md', () => {
		const doc = readFileSync(join(TOP, 'docs', 'ENCRYPTOR.md'), 'utf8');
		const start = doc.indexOf('**Fixed vector (v2)**');
		assert.ok(start >= 0, 'no "Fixed vector (v2)" in docs/ENCRYPTOR.md');
		const row = (label) => {
			const m = doc.slice(start).match(new RegExp(`^\\| ${label.replace(/[()·+]/g, '\\$&')}[^|]* \\| \`([0-9a-f]+)\``, 'm'));
			assert.ok(m, `no row "${label}"`);
			return m[1];
		};
		const sDoc = BigInt('0x' + row('secret s'));
		const pk = Point.BASE.multiply(sDoc).toHex(false);
		assert.equal(row('PK = s·G'), pk);
		const plaintext = sb.hexToBytes(row('plaintext'));
		assert.equal(hex(elections.demo.election.plaintext(1, 2, [1, 3])), row('plaintext'));
		const { point, x, counter } = sb.plaintextToPoint(plaintext);
		assert.equal(hex(x), row('x of M'));
		assert.equal(counter, 2);
		assert.equal(point.toHex(false), row('M'));
		const { record, trackerHex } = sb.testOnlySealWithNonces({ publicKeyHex: pk,
			electionIdHex: row('election_id'), scrutinId: 1, plaintext, rHex: row('r'), kHex: row('k') });
		const f = sb.parseRecord(record);
		assert.equal(hex(record.subarray(0, 2)), row('scrutin_id'));
		assert.equal(hex(f.A), row('A = r·G'));
		assert.equal(hex(f.B), row('B = M + r·PK'));
		assert.equal(Point.BASE.multiply(BigInt('0x' + row('k'))).toHex(false), row('T = k·G'));
		assert.equal(hex(f.c), row('c'));
		assert.equal(hex(f.z), row('z'));
		assert.equal(trackerHex, row('tracker'));
		// The same ballot is among the Python recomputation's vectors.
		assert.ok(vectors.vectors.some((v) => v.recordHex === hex(record) && v.rHex === row('r')));
		assert.equal(vectors.publicKeyHex, pk);
	});

	// HOOK for the C side's vectors (tests/data/v2-vectors.json, made by the
	// box's crypto on another branch). When the file lands, map its ballot
	// entries here to { publicKeyHex, electionIdHex, scrutinId, plaintextHex,
	// rHex, kHex, recordHex, trackerHex } and compare exactly as the test
	// above does; until then the test says it is waiting, without failing.
	test('the C vectors (tests/data/v2-vectors.json)', (t) => {
		const path = join(TOP, 'tests', 'data', 'v2-vectors.json');
		if (!existsSync(path)) {
			t.skip('tests/data/v2-vectors.json is not there yet');
			return;
		}
		t.todo('tests/data/v2-vectors.json exists: wire its ballot vectors into this test');
	});
});

describe('ballots made with fresh randomness', () => {
	for (const name of ['demo', 'wide']) {
		test(`${name}: every scrutin and list verifies, decrypts and decodes to the choice`, () => {
			const { election, def } = elections[name];
			const seenA = new Set();
			const out = [];
			for (const spec of ballotSpecs(def)) {
				const ballot = election.encrypt(spec.scrutin, spec.choice, spec.struck);
				assert.equal(ballot.state, 'sealed');
				assert.equal(ballot.scrutinId, spec.scrutin);
				const record = ballot.cast();
				assert.equal(ballot.state, 'cast');
				assert.equal(record.length, sb.RECORD_LEN);
				assert.equal((record[0] << 8) | record[1], spec.scrutin);
				assert.equal(ballot.trackerHex, sb.ballotTracker(record));
				assert.match(ballot.trackerHex, /^[0-9a-f]{64}$/);
				const res = election.checkRecord(record);
				assert.equal(res.status, 'valid', JSON.stringify(res));
				assert.equal(res.trackerHex, ballot.trackerHex);
				const want = expectedPlaintext(def, spec);
				const got = decodePoint(decryptRecord(record, s), want.length);
				assert.deepEqual(got, want, `${JSON.stringify(spec)}: decoded plaintext`);
				const a = hex(record.subarray(2, 67));
				assert.ok(!seenA.has(a), 'two ballots share their A (r repeated)');
				seenA.add(a);
				out.push({ ...spec, recordHex: hex(record), trackerHex: ballot.trackerHex });
			}
			// The same ballots, checked by the independent Python code.
			const file = join(dir, `node-${name}.json`);
			writeFileSync(file, JSON.stringify({ election: name, ballots: out }));
			const py = pythonCheck(dir, file);
			assert.equal(py.status, 0, `Python check:\n${py.stdout}${py.stderr}`);
		});
	}

	test('a re-randomised copy (same vote, no r) fails its proof', () => {
		const { election } = elections.demo;
		for (let i = 0; i < 8; i++) {
			const record = election.encrypt(1 + (i % 4), i % 2, []).cast();
			const copy = rerandomise(record, election.publicKeyHex, BigInt(1000 + i));
			assert.deepEqual(decodePoint(decryptRecord(copy, s), 4),
				decodePoint(decryptRecord(record, s), 4));
			assert.equal(election.checkRecord(copy).status, 'proof-failed');
		}
	});

	test('the plaintext point: smallest counter, even y, x within its layout', () => {
		const { election } = elections.wide;
		const Fp = Point.Fp;
		const { b } = Point.CURVE();
		for (const [sid, choice, struck] of [[1, 0, []], [1, 1, [128]], [4, 64, []], [2, 2, [7]]]) {
			const pt = election.plaintext(sid, choice, struck);
			const { point, x, counter } = sb.plaintextToPoint(pt);
			assert.equal(x[0], 0);
			assert.deepEqual(x.subarray(1, 1 + pt.length), pt);
			assert.ok(x.subarray(1 + pt.length, 31).every((v) => v === 0));
			assert.equal(x[31], counter);
			assert.equal(point.toAffine().y & 1n, 0n);
			for (let j = 0; j < counter; j++) {
				const xb = x.slice();
				xb[31] = j;
				const xv = BigInt('0x' + hex(xb));
				const rhs = Fp.add(Fp.sub(Fp.mul(Fp.sqr(xv), xv), Fp.mul(3n, xv)), b);
				assert.notEqual(Fp.pow(rhs, (Fp.ORDER - 1n) / 2n), 1n, `counter ${j} was a square`);
			}
		}
	});

	test('randomness comes from crypto.getRandomValues, never Math.random', () => {
		const { election } = elections.demo;
		const real = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
		const mathRandom = Math.random;
		let calls = 0;
		const spy = (buf) => { calls++; return real(buf); };
		Object.defineProperty(globalThis.crypto, 'getRandomValues', { value: spy, configurable: true });
		Math.random = () => { throw new Error('Math.random used'); };
		try {
			election.encrypt(1, 1, [2]).cast();
		} finally {
			delete globalThis.crypto.getRandomValues; // back to the prototype's
			Math.random = mathRandom;
		}
		assert.ok(calls >= 2, `getRandomValues called ${calls} times (r and k)`);
		assert.equal(typeof globalThis.crypto.getRandomValues, 'function');
	});
});

describe('checking records: malformed, failed proof, duplicate', () => {
	let election, record;
	before(() => {
		election = elections.demo.election;
		record = election.encrypt(2, 1, [2]).cast();
	});

	const scalarField = (rec, off, v) => {
		const out = rec.slice();
		out.set(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'), off);
		return out;
	};
	const status = (rec) => election.checkRecord(rec).status;

	test('each field is bound: scrutin, election, A, B, c, z', () => {
		const other = record.slice();
		other[1] = 3; // another scrutin of the same election
		assert.equal(status(other), 'proof-failed');
		const foreign = { electionIdHex: elections.wide.election.electionIdHex, scrutinIds: [1, 2, 3, 4] };
		assert.equal(sb.checkRecord(record, foreign).status, 'proof-failed');
		const c = BigInt('0x' + hex(record.subarray(132, 164)));
		const z = BigInt('0x' + hex(record.subarray(164, 196)));
		assert.equal(status(scalarField(record, 132, (c + 1n) % N)), 'proof-failed');
		assert.equal(status(scalarField(record, 164, (z + 1n) % N)), 'proof-failed');
		const b2 = election.encrypt(2, 1, [2]).cast();
		const swapB = record.slice();
		swapB.set(b2.subarray(67, 132), 67);
		assert.equal(status(swapB), 'proof-failed');
		const swapA = record.slice();
		swapA.set(b2.subarray(2, 67), 2);
		assert.equal(status(swapA), 'proof-failed');
	});

	test('malformed: length, scrutin, points, scalars >= n', () => {
		assert.equal(status(record.subarray(0, 195)), 'malformed');
		assert.equal(status(new Uint8Array([...record, 0])), 'malformed');
		const noScrutin = record.slice();
		noScrutin[1] = 5; // demo has scrutins 1..4
		assert.equal(status(noScrutin), 'malformed');
		const zero = record.slice();
		zero[0] = 0; zero[1] = 0;
		assert.equal(status(zero), 'malformed');
		for (const off of [2, 67]) {
			const offCurve = record.slice();
			offCurve[off + 64] ^= 1; // last byte of Y
			assert.equal(status(offCurve), 'malformed');
			const compressed = record.slice();
			compressed[off] = 0x02;
			assert.equal(status(compressed), 'malformed');
			const inf = record.slice();
			inf.fill(0, off, off + 65);
			assert.equal(status(inf), 'malformed');
		}
		assert.equal(status(scalarField(record, 132, N)), 'malformed');
		assert.equal(status(scalarField(record, 164, N)), 'malformed');
		assert.equal(status(scalarField(record, 164, (1n << 256n) - 1n)), 'malformed');
		const r = election.checkRecord(record.subarray(0, 10));
		assert.equal(r.status, 'malformed');
		assert.match(r.reason, /10 bytes, expected 196/);
	});

	test('checkRecords: a repeated A is a duplicate whatever the scrutin', () => {
		const b = election.encrypt(1, 0, []).cast();
		const sameA = election.encrypt(3, 1, []).cast();
		sameA.set(b.subarray(2, 67), 2); // A of b, in another scrutin
		const res = election.checkRecords([record, b, record, sameA]);
		assert.deepEqual(res.map((r) => r.status), ['valid', 'valid', 'duplicate', 'duplicate']);
		const bad = record.slice();
		bad[70] ^= 1;
		assert.deepEqual(election.checkRecords([record, bad]).map((r) => r.status),
			['valid', 'malformed']);
	});
});

describe('the page\'s API', () => {
	test('openElection checks the record against the definition', () => {
		const { record, definition, def } = elections.demo;
		const wide = elections.wide;
		assert.throws(() => sb.openElection({ record, definition: wide.definition }),
			/not the record's election_id/);
		const spaced = Buffer.concat([definition, Buffer.from('\n')]);
		assert.throws(() => sb.openElection({ record, definition: spaced }), /election_id/);
		assert.throws(() => sb.openElection({ record, definition: def }), /bytes or text/);
		// Text works as well as bytes (the file is UTF-8).
		const e = sb.openElection({ record, definition: definition.toString('utf8') });
		assert.equal(e.electionIdHex, elections.demo.election.electionIdHex);
		assert.deepEqual(e.scrutinIds, [1, 2, 3, 4]);
		const rec = JSON.parse(record);
		const bad = (patch, re) => assert.throws(
			() => sb.openElection({ record: { ...rec, ...patch }, definition }), re);
		bad({ format: 'sceau-record/9' }, /not a public election record/);
		bad({ group: 'P-384' }, /group/);
		bad({ public_key: rec.public_key.slice(0, -2) + (rec.public_key.endsWith('00') ? '01' : '00') },
			/not a valid P-256 point/);
		bad({ public_key: rec.public_key.slice(2) }, /65/);
		bad({ commitments: [rec.commitments[1]] }, /commitments\[0\]/);
	});

	test('the encoder refuses what the box would count nul', () => {
		const { election } = elections.demo;
		const refuse = (args, re) => assert.throws(() => election.encrypt(...args), re);
		refuse([1, 4, []], /choice 4: expected 0 \(blank\) to 3/);
		refuse([1, -1, []], /choice -1/);
		refuse([1, 1.5, []], /choice 1.5/);
		refuse([1, 0, [1]], /a blank ballot cannot strike candidates/);
		refuse([1, 2, [5]], /struck candidate 5: list 2 has candidates 1 to 4/);
		refuse([1, 1, [0]], /struck candidate 0/);
		refuse([1, 1, [2, 2]], /given twice/);
		refuse([5, 0, []], /no scrutin 5/);
		refuse([0, 0, []], /scrutin id 0/);
		// The layout as the box has it: pt_len = 3 + ceil(max candidates / 8).
		assert.equal(election.layout(1).ptLen, 4);
		assert.equal(elections.wide.election.layout(1).ptLen, 19);
		assert.equal(elections.wide.election.layout(3).ptLen, 6);
		assert.equal(elections.wide.election.layout(4).lists.length, 64);
		assert.equal(election.layout(1).lists[0].candidates[0].lastName, 'Lefèvre');
	});

	test('a sealed ballot: tracker first, record only through cast()', () => {
		const { election } = elections.demo;
		const ballot = election.encrypt(1, 3, [1]);
		assert.equal(Object.keys(ballot).length, 0, 'no public field holds r or the record');
		assert.equal(JSON.stringify(ballot), '{}');
		const rec1 = ballot.cast();
		const rec2 = ballot.cast();
		assert.deepEqual(rec1, rec2);
		rec1[0] ^= 0xff; // the caller's copy: the ballot's own record is unchanged
		assert.deepEqual(ballot.cast(), rec2);
		assert.equal(ballot.state, 'cast');
		assert.throws(() => new sb.SealedBallot({ record: rec2 }), /only by Election.encrypt/);
		assert.throws(() => new sb.Election({}), /only by openElection/);
		assert.deepEqual(sb.BALLOT_STATES, ['sealed', 'cast', 'audited']);
	});

	test('testOnlySealWithNonces refuses r or k outside [1, n-1]', () => {
		const { election } = elections.demo;
		const args = { publicKeyHex: election.publicKeyHex, electionIdHex: election.electionIdHex,
			scrutinId: 1, plaintext: election.plaintext(1, 0), kHex: '01'.padStart(64, '0') };
		assert.throws(() => sb.testOnlySealWithNonces({ ...args, rHex: '0'.repeat(64) }), /\[1, n-1\]/);
		assert.throws(() => sb.testOnlySealWithNonces({ ...args, rHex: N.toString(16) }), /\[1, n-1\]/);
		const ok = sb.testOnlySealWithNonces({ ...args, rHex: '02'.padStart(64, '0') });
		// A = 2·G: the r the test gave is the r used.
		assert.equal(hex(ok.record.subarray(2, 67)), Point.BASE.multiply(2n).toHex(false));
	});
});
