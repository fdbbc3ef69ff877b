// Cast or audit (the Benaloh challenge) in tools/web/sceau-ballot.js, under
// Node.js:
//  - SealedBallot: a ballot is cast or audited, never both, and only once
//    audited;
//  - verifyAudit(): every audit of a fresh ballot holds and gives the choice
//    back, in words; each field of an audit changed (one byte of the record,
//    of r, of the plaintext, of the tracker, the election, the scrutin) is
//    reported as that field, with its code; malformed files are refused as
//    such; a plaintext the box counts nul, or one encoded with another
//    counter or y, is caught;
//  - the independent Python check (sceau_v2_ref.py audit, written from
//    docs/FORMATS.md) gives the same verdict, failure by failure;
//  - the worked example of docs/FORMATS.md is, byte for byte, the audit of
//    the fixed vector of docs/ENCRYPTOR.md, and holds.
// Run: node --test tests/web/ (tests/web/test_ballot_v2.sh does, in the suite).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as sb from '../../tools/web/sceau-ballot.js';
import {
	N, Point, TOP, ballotSpecs, cleanupFixture, fixtureDir, loadElectionFiles, pythonAudit,
} from './fixture.mjs';

const hex = sb.bytesToHex;
let dir, elections, n = 0;

before(() => {
	dir = fixtureDir();
	elections = {};
	for (const name of ['demo', 'wide']) {
		const f = loadElectionFiles(dir, name);
		elections[name] = { ...f, recordPath: join(dir, `${name}-record.json`),
			election: sb.openElection({ record: f.record, definition: f.definition }) };
	}
});
after(cleanupFixture);

// The Python check of an audit text, for the demo election unless told.
function python(text, name = 'demo') {
	const file = join(dir, `audit-${n++}.json`);
	writeFileSync(file, text);
	return pythonAudit(elections[name].recordPath, elections[name].defPath, file);
}

const codes = (res) => res.failures.map(({ field, code }) => ({ field, code }));

// An audit text with some fields replaced (canonical form kept).
function edit(text, patch) {
	return JSON.stringify({ ...JSON.parse(text), ...patch }, null, 2) + '\n';
}

// The hex string with byte i xor-ed with x.
function flipHex(h, i, x = 1) {
	const b = sb.hexToBytes(h);
	b[i] ^= x;
	return hex(b);
}

// Seals bytes of our choosing with a given r and k and a given point M
// (default: the point of the specification), and returns the audit text:
// the ballots a dishonest or careless page would make.
function auditOf({ election, scrutinId, plaintext, M, r = 0x1234567n, k = 0x7654321n }) {
	const PK = Point.fromHex(election.publicKeyHex);
	const point = M ?? sb.plaintextToPoint(plaintext).point;
	const A = Point.BASE.multiply(r), B = point.add(PK.multiply(r)), T = Point.BASE.multiply(k);
	const sid = new Uint8Array([scrutinId >> 8, scrutinId & 0xff]);
	const c = BigInt('0x' + hex(sb.taggedHash(sb.POK_TAG, election.electionId, sid, A.toBytes(false),
		B.toBytes(false), T.toBytes(false)))) % N;
	const z = (k + c * r) % N;
	const scalar = (v) => v.toString(16).padStart(64, '0');
	const recordHex = hex(sid) + A.toHex(false) + B.toHex(false) + scalar(c) + scalar(z);
	return JSON.stringify({ format: sb.AUDIT_FORMAT, election: election.electionIdHex,
		scrutin: scrutinId, record: recordHex, r: scalar(r), plaintext: hex(plaintext),
		tracker: sb.ballotTracker(sb.hexToBytes(recordHex)) }, null, 2) + '\n';
}

describe('a sealed ballot is cast or audited, never both', () => {
	test('audit(): canonical JSON of the ballot, then no cast and no second audit', () => {
		const { election } = elections.demo;
		const ballot = election.encrypt(1, 2, [1, 3]);
		const tracker = ballot.trackerHex;
		const text = ballot.audit();
		assert.equal(ballot.state, 'audited');
		assert.equal(ballot.trackerHex, tracker, 'the tracker stays readable');
		const doc = JSON.parse(text);
		assert.deepEqual(Object.keys(doc), ['format', 'election', 'scrutin', 'record', 'r', 'plaintext', 'tracker']);
		assert.equal(text, JSON.stringify(doc, null, 2) + '\n', 'canonical JSON, final line feed');
		assert.equal(doc.format, 'sceau-ballot-audit/2');
		assert.equal(doc.election, election.electionIdHex);
		assert.equal(doc.scrutin, 1);
		assert.equal(doc.plaintext, '01000205');
		assert.equal(doc.tracker, tracker);
		assert.equal(sb.ballotTracker(sb.hexToBytes(doc.record)), tracker);
		assert.match(doc.r, /^[0-9a-f]{64}$/);
		assert.equal(Point.BASE.multiply(BigInt('0x' + doc.r)).toHex(false), doc.record.slice(4, 134));
		assert.throws(() => ballot.cast(), /audited: it can never be cast/);
		assert.throws(() => ballot.audit(), /already audited/);
		assert.equal(ballot.state, 'audited');
		assert.equal(JSON.stringify(ballot), '{}');
	});

	test('a cast ballot cannot be audited', () => {
		const { election } = elections.demo;
		const ballot = election.encrypt(3, 1, []);
		const record = ballot.cast();
		assert.throws(() => ballot.audit(), /was cast: it cannot be audited/);
		assert.equal(ballot.state, 'cast');
		assert.deepEqual(ballot.cast(), record, 'still castable again (resend)');
	});

	test('each encryption is a new ballot: the same choice, another tracker', () => {
		const { election } = elections.demo;
		const a = election.encrypt(2, 1, [2]), b = election.encrypt(2, 1, [2]);
		assert.notEqual(a.trackerHex, b.trackerHex);
		const audited = JSON.parse(a.audit());
		assert.equal(election.checkRecord(b.cast()).status, 'valid');
		assert.equal(election.verifyAudit(JSON.stringify(audited)).ok, true);
	});
});

describe('an honest audit holds, and gives the choice back', () => {
	for (const name of ['demo', 'wide']) {
		test(`${name}: every scrutin and list, in words`, () => {
			const { election, record, definition } = elections[name];
			const specs = ballotSpecs(elections[name].def);
			specs.forEach((spec, i) => {
				const text = election.encrypt(spec.scrutin, spec.choice, spec.struck).audit();
				// Both ways in: the election opened, or record and definition.
				const res = i % 2 ? election.verifyAudit(text) :
					sb.verifyAudit(new TextEncoder().encode(text), { record, definition });
				assert.equal(res.ok, true, `${JSON.stringify(spec)}: ${JSON.stringify(res.failures)}`);
				assert.equal(res.status, 'valid');
				assert.deepEqual(res.failures, []);
				const layout = election.layout(spec.scrutin);
				const all = spec.choice > 0 && spec.struck.length === layout.lists[spec.choice - 1].nCandidates;
				assert.deepEqual(res.choice, { reason: spec.choice === 0 ? 'blank' : all ? 'all-struck' : 'valid',
					list: spec.choice, struck: spec.choice === 0 ? [] : [...spec.struck].sort((x, y) => x - y) });
				assert.equal(res.words.fr, sb.describeChoice(layout, spec.choice, spec.struck, 'fr'));
				assert.equal(res.words.en, sb.describeChoice(layout, spec.choice, spec.struck, 'en'));
				assert.equal(res.scrutinId, spec.scrutin);
				assert.equal(res.trackerHex, JSON.parse(text).tracker);
				// The independent Python check, on some of them (pure Python is slow).
				if (i % 9 === 0) {
					const py = python(text, name);
					assert.equal(py.status, 0, py.output);
					assert.equal(py.words, res.words.fr);
				}
			});
		});
	}

	test('the words of each kind of choice', () => {
		const layout = elections.demo.election.layout(1);
		const d = (c, s, l) => sb.describeChoice(layout, c, s, l);
		assert.equal(d(0, [], 'fr'), 'Vote blanc');
		assert.equal(d(0, [], 'en'), 'Blank vote');
		assert.equal(d(2, [], 'fr'), 'Liste 2 (Liste CFDT), aucun candidat rayé');
		assert.equal(d(2, [3], 'fr'), 'Liste 2 (Liste CFDT), 1 candidat rayé : João Da Silva');
		assert.equal(d(2, [3, 1], 'fr'), 'Liste 2 (Liste CFDT), 2 candidats rayés : Kévin Martin, João Da Silva');
		assert.equal(d(2, [3, 1], 'en'), 'List 2 (Liste CFDT), 2 candidates struck: Kévin Martin, João Da Silva');
		assert.equal(d(3, [1, 2, 3], 'fr'),
			'Liste 3 (Liste commune CGT - Solidaires), tous les candidats rayés (compté comme vote blanc)');
		assert.equal(d(3, [1, 2, 3], 'en'),
			'List 3 (Liste commune CGT - Solidaires), every candidate struck (counted as blank)');
		assert.equal(d(1, [], 'en'), 'List 1 (Liste CGT-FO), no candidate struck');
		assert.throws(() => d(4, [], 'fr'), /choice 4/);
	});
});

describe('a changed audit is refused, and says which field', () => {
	let text, doc;
	before(() => {
		text = elections.demo.election.encrypt(1, 2, [1, 3]).audit();
		doc = JSON.parse(text);
	});

	// Checks one changed audit in JavaScript and in Python: the first failure
	// is the field changed; unless it is the record, every failure is.
	function refused(changed, field, code, { only = field !== 'record', reason } = {}) {
		const res = elections.demo.election.verifyAudit(changed);
		assert.equal(res.ok, false);
		assert.equal(res.status, 'invalid');
		assert.equal(res.choice, null);
		assert.equal(res.words, null);
		assert.ok(res.failures.length > 0);
		assert.deepEqual(codes(res)[0], { field, code }, JSON.stringify(res.failures));
		if (only)
			assert.ok(res.failures.every((f) => f.field === field), JSON.stringify(res.failures));
		if (reason)
			assert.match(res.failures[0].reason, reason);
		const py = python(changed);
		assert.equal(py.status, 1, py.output);
		assert.deepEqual(py.failures, codes(res), `Python:\n${py.output}`);
		return res;
	}

	test('one byte of the record, wherever it is', () => {
		// Scrutin bytes, A, B, c, z: the record fails as the box would check it.
		refused(edit(text, { record: flipHex(doc.record, 1, 2) }), 'record', 'record-proof'); // scrutin 1 -> 3
		refused(edit(text, { record: flipHex(doc.record, 1, 0x40) }), 'record', 'record-scrutin-unknown');
		refused(edit(text, { record: flipHex(doc.record, 40) }), 'record', 'record-point', { reason: /A/ });
		refused(edit(text, { record: flipHex(doc.record, 100) }), 'record', 'record-point', { reason: /B/ });
		refused(edit(text, { record: flipHex(doc.record, 150) }), 'record', 'record-proof');
		refused(edit(text, { record: flipHex(doc.record, 195) }), 'record', 'record-proof');
		const res = refused(edit(text, { record: flipHex(doc.record, 170) }), 'record', 'record-proof');
		assert.ok(codes(res).some((f) => f.code === 'tracker-mismatch'), 'the tracker no longer matches either');
		const bigZ = doc.record.slice(0, 328) + 'f'.repeat(64);
		refused(edit(text, { record: bigZ }), 'record', 'record-scalar');
	});

	test('one byte of r', () => {
		refused(edit(text, { r: flipHex(doc.r, 31) }), 'r', 'r-mismatch', { reason: /not the record's A/ });
		refused(edit(text, { r: flipHex(doc.r, 10, 0x80) }), 'r', 'r-mismatch');
		refused(edit(text, { r: '0'.repeat(64) }), 'r', 'r-range');
		refused(edit(text, { r: N.toString(16) }), 'r', 'r-range');
	});

	test('one byte of the plaintext', () => {
		// Another valid choice: B does not hold it.
		refused(edit(text, { plaintext: '01000105' }), 'plaintext', 'plaintext-mismatch',
			{ reason: /would read 01000205/ });
		refused(edit(text, { plaintext: '01000204' }), 'plaintext', 'plaintext-mismatch');
		// Something the box would count nul: said first, then the mismatch.
		const res = refused(edit(text, { plaintext: '02000205' }), 'plaintext', 'plaintext-nul',
			{ reason: /bad-version/ });
		assert.deepEqual(codes(res).map((f) => f.code), ['plaintext-nul', 'plaintext-mismatch']);
		refused(edit(text, { plaintext: '01000405' }), 'plaintext', 'plaintext-nul', { reason: /list-out-of-range/ });
		refused(edit(text, { plaintext: '0100020500' }), 'plaintext', 'plaintext-length');
	});

	test('one byte of the tracker', () => {
		refused(edit(text, { tracker: flipHex(doc.tracker, 0) }), 'tracker', 'tracker-mismatch');
		refused(edit(text, { tracker: flipHex(doc.tracker, 31, 0x80) }), 'tracker', 'tracker-mismatch');
	});

	test('the election, and the scrutin', () => {
		const res = refused(edit(text, { election: flipHex(doc.election, 5) }), 'election', 'election-mismatch');
		assert.equal(res.failures.length, 1, 'nothing else is checked against another election');
		refused(edit(text, { scrutin: 3 }), 'scrutin', 'scrutin-mismatch');
		refused(edit(text, { scrutin: 9 }), 'scrutin', 'scrutin-unknown');
	});

	test('an audit checked with another election\'s definition', () => {
		const { record, definition } = elections.wide;
		const res = sb.verifyAudit(text, { record, definition });
		assert.deepEqual(codes(res), [{ field: 'election', code: 'election-mismatch' }]);
		const file = join(dir, 'audit-other-election.json');
		writeFileSync(file, text);
		const py = pythonAudit(elections.wide.recordPath, elections.wide.defPath, file);
		assert.deepEqual(py.failures, [{ field: 'election', code: 'election-mismatch' }]);
	});
});

describe('what a dishonest or careless page would make', () => {
	test('a plaintext the box counts nul is caught, though B holds it', () => {
		const { election } = elections.demo;
		// Scrutin 1, list 2 has 4 candidates: bit 4 would strike a 5th.
		const text = auditOf({ election, scrutinId: 1, plaintext: sb.hexToBytes('01000210') });
		const res = election.verifyAudit(text);
		assert.deepEqual(codes(res), [{ field: 'plaintext', code: 'plaintext-nul' }]);
		assert.match(res.failures[0].reason, /bits-beyond-list/);
		assert.deepEqual(python(text).failures, codes(res));
		// Its twin with an honest plaintext holds: the test's sealing is right.
		assert.equal(election.verifyAudit(auditOf({ election, scrutinId: 1,
			plaintext: sb.hexToBytes('01000208') })).ok, true);
	});

	test('the same plaintext as another point (the odd y, another counter) is caught', () => {
		const { election } = elections.demo;
		const plaintext = election.plaintext(1, 1, [2]);
		const M = sb.plaintextToPoint(plaintext).point;
		const odd = auditOf({ election, scrutinId: 1, plaintext, M: M.negate() });
		let res = election.verifyAudit(odd);
		assert.deepEqual(codes(res), [{ field: 'plaintext', code: 'plaintext-encoding' }]);
		assert.deepEqual(python(odd).failures, codes(res));
		// A larger counter that also gives a point.
		const { x, counter } = sb.plaintextToPoint(plaintext);
		let other = null;
		for (let j = counter + 1; j < 256 && !other; j++) {
			const xb = x.slice();
			xb[31] = j;
			try {
				other = Point.fromHex('02' + hex(xb));
			} catch { /* not on the curve: try the next counter */ }
		}
		assert.ok(other, 'no other counter works');
		const moved = auditOf({ election, scrutinId: 1, plaintext, M: other });
		res = election.verifyAudit(moved);
		assert.deepEqual(codes(res), [{ field: 'plaintext', code: 'plaintext-encoding' }]);
		assert.deepEqual(python(moved).failures, codes(res));
	});

	test('a ballot of another choice than the audit says', () => {
		const { election } = elections.demo;
		const shown = election.plaintext(1, 1, []);
		const sealed = sb.plaintextToPoint(election.plaintext(1, 2, [])).point;
		const text = auditOf({ election, scrutinId: 1, plaintext: shown, M: sealed });
		const res = election.verifyAudit(text);
		assert.deepEqual(codes(res), [{ field: 'plaintext', code: 'plaintext-mismatch' }]);
		assert.match(res.failures[0].reason, /would read 01000200/);
		assert.deepEqual(python(text).failures, codes(res));
	});
});

describe('a malformed audit is refused as such', () => {
	let text;
	before(() => { text = elections.demo.election.encrypt(4, 1, [1]).audit(); });

	function malformed(input, field, code) {
		const res = elections.demo.election.verifyAudit(input);
		assert.equal(res.ok, false);
		assert.equal(res.status, 'malformed');
		assert.deepEqual(codes(res)[0], { field, code }, JSON.stringify(res.failures));
		if (typeof input === 'string') {
			const py = python(input);
			assert.equal(py.status, 1, py.output);
			assert.deepEqual(py.failures[0], { field, code }, py.output);
		}
	}

	test('syntax, size, encoding', () => {
		malformed('', 'document', 'not-json');
		malformed(text.slice(0, -3), 'document', 'not-json');
		malformed('[1]', 'document', 'not-json');
		malformed('"sceau"', 'document', 'not-json');
		malformed('\ufeff' + text, 'document', 'not-json');
		malformed(new Uint8Array([0x7b, 0xff, 0x7d]), 'document', 'not-json');
		malformed(text.replace('}', `, "pad": "${'0'.repeat(5000)}"}`), 'document', 'too-large');
	});

	test('keys: missing, unknown, repeated; the format', () => {
		const doc = JSON.parse(text);
		const { tracker, ...noTracker } = doc;
		assert.ok(tracker);
		malformed(JSON.stringify(noTracker), 'tracker', 'key-missing');
		malformed(JSON.stringify({ ...doc, choice: 'Liste 1' }), 'choice', 'key-unknown');
		malformed(text.replace('"scrutin": 4,', '"scrutin": 4,\n  "scrutin": 4,'), 'scrutin', 'key-repeated');
		malformed(JSON.stringify({ ...doc, format: 'sceau-ballot-audit/1' }), 'format', 'format');
	});

	test('values: types, hex case and lengths', () => {
		const doc = JSON.parse(text);
		malformed(text.replace('"scrutin": 4', '"scrutin": 4.0'), 'scrutin', 'encoding');
		malformed(text.replace('"scrutin": 4', '"scrutin": "4"'), 'scrutin', 'encoding');
		malformed(text.replace('"scrutin": 4', '"scrutin": 0'), 'scrutin', 'encoding');
		malformed(text.replace('"scrutin": 4', '"scrutin": 65536'), 'scrutin', 'encoding');
		malformed(edit(text, { tracker: doc.tracker.toUpperCase() }), 'tracker', 'encoding');
		malformed(edit(text, { r: doc.r.slice(2) }), 'r', 'encoding');
		malformed(edit(text, { record: doc.record + '00' }), 'record', 'encoding');
		malformed(edit(text, { plaintext: '0100' }), 'plaintext', 'encoding');
		malformed(edit(text, { plaintext: '01' + '00'.repeat(29) }), 'plaintext', 'encoding');
		malformed(edit(text, { election: null }), 'election', 'encoding');
		malformed(edit(text, { election: doc.election + '0' }), 'election', 'encoding');
	});

	test('an object already parsed is read the same way', () => {
		const doc = JSON.parse(text);
		assert.equal(elections.demo.election.verifyAudit(doc).ok, true);
		const res = elections.demo.election.verifyAudit({ ...doc, extra: 1 });
		assert.deepEqual(codes(res), [{ field: 'extra', code: 'key-unknown' }]);
		assert.throws(() => elections.demo.election.verifyAudit(42), /audit: expected/);
	});
});

describe('the report, and the worked example of docs/FORMATS.md', () => {
	test('auditReportJson: sceau-audit-report/1', () => {
		const { election } = elections.demo;
		const text = election.encrypt(1, 2, [3]).audit();
		const res = election.verifyAudit(text);
		const report = sb.auditReportJson(res);
		const doc = JSON.parse(report);
		assert.equal(report, JSON.stringify(doc, null, 2) + '\n');
		assert.deepEqual(Object.keys(doc), ['format', 'verdict', 'election', 'scrutin', 'tracker',
			'choice', 'failures']);
		assert.deepEqual(doc.choice, { reason: 'valid', list: 2, struck: [3] });
		assert.equal(doc.verdict, 'pass');
		const bad = JSON.parse(sb.auditReportJson(election.verifyAudit(edit(text, { r: flipHex(JSON.parse(text).r, 3) }))));
		assert.equal(bad.verdict, 'fail');
		assert.equal(bad.choice, null);
		assert.deepEqual(bad.failures, [{ field: 'r', code: 'r-mismatch' }]);
		const junk = JSON.parse(sb.auditReportJson(election.verifyAudit('nope')));
		assert.deepEqual([junk.election, junk.scrutin, junk.tracker], [null, null, null]);
	});

	test('the example is the audit of the fixed vector of docs/ENCRYPTOR.md, and holds', () => {
		const doc = readFileSync(join(TOP, 'docs', 'FORMATS.md'), 'utf8');
		const at = doc.indexOf('## Audited ballot (sceau-ballot-audit/2)');
		assert.ok(at >= 0);
		const m = doc.slice(at).match(/```\n(\{\n[^`]*\}\n)```/);
		assert.ok(m, 'no example in the section');
		const example = m[1];
		const enc = readFileSync(join(TOP, 'docs', 'ENCRYPTOR.md'), 'utf8');
		const row = (label) => enc.slice(enc.indexOf('**Fixed vector (v2)**'))
			.match(new RegExp(`^\\| ${label} \\| \`([0-9a-f]+)\``, 'm'))[1];
		const { election } = elections.demo;
		const { record, trackerHex } = sb.testOnlySealWithNonces({ publicKeyHex: election.publicKeyHex,
			electionIdHex: election.electionIdHex, scrutinId: 1, plaintext: sb.hexToBytes(row('plaintext')),
			rHex: row('r'), kHex: row('k') });
		assert.equal(example, JSON.stringify({ format: 'sceau-ballot-audit/2', election: row('election_id'),
			scrutin: 1, record: hex(record), r: row('r'), plaintext: row('plaintext'),
			tracker: trackerHex }, null, 2) + '\n');
		const res = election.verifyAudit(example);
		assert.equal(res.ok, true, JSON.stringify(res.failures));
		const words = 'Liste 2 (Liste CFDT), 2 candidats rayés : Kévin Martin, João Da Silva';
		assert.equal(res.words.fr, words);
		assert.ok(doc.slice(at, doc.indexOf('\n## ', at + 1)).replace(/\s+/g, ' ').includes(`"${words}"`),
			'the words, as the section gives them');
		const py = python(example);
		assert.equal(py.status, 0, py.output);
		assert.equal(py.words, words);
	});
});
