// tools/web/ballot-cli.mjs, the command-line driver the interoperability
// tests with the box and integrators use: encrypt (random and fixed r, k),
// check (exit 3 and the reason for what the box would not count), open
// with the test key, test-election, and verify-audit (an audited ballot).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_DEF, TOP, cleanupFixture, fixtureDir, pythonCheck } from './fixture.mjs';

const CLI = join(TOP, 'tools', 'web', 'ballot-cli.mjs');
let dir, rec, vectors;

function cliOut(...args) {
	const r = spawnSync(process.execPath, [...process.execArgv, CLI, ...args], { encoding: 'utf8' });
	return { status: r.status, err: r.stderr, out: r.stdout };
}
function cli(...args) {
	const { status, err } = cliOut(...args);
	return { status, err };
}
const json = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

before(() => {
	dir = fixtureDir();
	rec = join(dir, 'demo-record.json');
	vectors = json('vectors.json').vectors.filter((v) => v.election === 'demo');
});
after(cleanupFixture);

test('encrypt, then check and open: the choices come back', () => {
	const spec = [
		{ scrutin: 1, choice: 2, struck: [1, 3] }, { scrutin: 4, choice: 0, struck: [] },
		{ scrutin: 3, choice: 1, struck: [3] },
		...vectors.map(({ scrutin, choice, struck, rHex, kHex }) => ({ scrutin, choice, struck, rHex, kHex })),
	];
	writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
	const enc = cli('encrypt', '--record', rec, '--definition', DEMO_DEF, '--ballots',
		join(dir, 'spec.json'), '--out', join(dir, 'enc.json'), '--urn', join(dir, 'urn.bin'));
	assert.equal(enc.status, 0, enc.err);
	const out = json('enc.json');
	assert.equal(readFileSync(join(dir, 'urn.bin')).length, 196 * spec.length);
	vectors.forEach((v, i) => {
		assert.equal(out[3 + i].recordHex, v.recordHex, 'fixed r and k: the Python vector');
		assert.equal(out[3 + i].trackerHex, v.trackerHex);
	});
	const file = join(dir, 'cli-ballots.json');
	writeFileSync(file, JSON.stringify({ election: 'demo', ballots: spec.map((b, i) => ({ ...b, ...out[i] })) }));
	const py = pythonCheck(dir, file);
	assert.equal(py.status, 0, py.stdout + py.stderr);

	const chk = cli('check', '--record', rec, '--definition', DEMO_DEF, '--records-bin',
		join(dir, 'urn.bin'), '--out', join(dir, 'chk.json'));
	assert.equal(chk.status, 0, chk.err);
	assert.ok(json('chk.json').every((r) => r.status === 'valid'));

	const opened = cli('open', '--secret', join(dir, 'secret.hex'), '--record', rec,
		'--definition', DEMO_DEF, '--records', join(dir, 'enc.json'), '--out', join(dir, 'open.json'));
	assert.equal(opened.status, 0, opened.err);
	assert.deepEqual(json('open.json').map((o) => o.plaintextHex), out.map((o) => o.plaintextHex));
});

test('check: exit 3, and why, for a record the box would not count', () => {
	const [good, other] = json('vectors.json').vectors.map((v) => v.recordHex);
	const badZ = other.slice(0, -2) + (other.endsWith('00') ? '01' : '00');
	const badLen = good.slice(0, -2);
	writeFileSync(join(dir, 'mixed.json'), JSON.stringify(
		[good, badZ, good, badLen].map((recordHex) => ({ recordHex }))));
	const chk = cli('check', '--record', rec, '--definition', DEMO_DEF, '--records',
		join(dir, 'mixed.json'), '--out', join(dir, 'mixed-out.json'));
	assert.equal(chk.status, 3, chk.err);
	assert.deepEqual(json('mixed-out.json').map((r) => r.status),
		['valid', 'proof-failed', 'duplicate', 'malformed']);
	assert.match(json('mixed-out.json')[3].reason, /195 bytes/);
});

test('test-election: a throwaway key the encryptor accepts', () => {
	const r = join(dir, 'throwaway-record.json'), s = join(dir, 'throwaway.hex');
	const made = cli('test-election', '--definition', DEMO_DEF, '--out-record', r, '--out-secret', s);
	assert.equal(made.status, 0, made.err);
	writeFileSync(join(dir, 'spec1.json'), '[{"scrutin": 2, "choice": 3, "struck": [2]}]');
	assert.equal(cli('encrypt', '--record', r, '--definition', DEMO_DEF, '--ballots',
		join(dir, 'spec1.json'), '--out', join(dir, 'enc1.json')).status, 0);
	assert.equal(cli('open', '--secret', s, '--record', r, '--definition', DEMO_DEF, '--records',
		join(dir, 'enc1.json'), '--out', join(dir, 'open1.json')).status, 0);
	assert.equal(json('open1.json')[0].plaintextHex, '01000302');
	// Another key's secret is refused rather than "opening" to garbage.
	const wrong = cli('open', '--secret', join(dir, 'secret.hex'), '--record', r, '--definition',
		DEMO_DEF, '--records', join(dir, 'enc1.json'), '--out', join(dir, 'open2.json'));
	assert.equal(wrong.status, 1);
	assert.match(wrong.err, /not the secret/);
});

test('verify-audit: the choice in words, or exit 3 and the failure', () => {
	const spec = [{ scrutin: 1, choice: 2, struck: [1, 3] }];
	writeFileSync(join(dir, 'spec-a.json'), JSON.stringify(spec));
	// An audit made by the module, as a page would.
	const script = `import { openElection } from ${JSON.stringify(join(TOP, 'tools', 'web', 'sceau-ballot.js'))};
		import { readFileSync, writeFileSync } from 'node:fs';
		const e = openElection({ record: readFileSync(process.argv[1], 'utf8'), definition: readFileSync(process.argv[2]) });
		writeFileSync(process.argv[3], e.encrypt(1, 2, [1, 3]).audit());`;
	const made = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', script,
		rec, DEMO_DEF, join(dir, 'audit.json')], { encoding: 'utf8' });
	assert.equal(made.status, 0, made.stderr);
	const ok = cliOut('verify-audit', '--record', rec, '--definition', DEMO_DEF, '--audit',
		join(dir, 'audit.json'), '--out', join(dir, 'audit-report.json'));
	assert.equal(ok.status, 0, ok.err);
	assert.match(ok.out, /scrutin 1: List 2 \(Liste CFDT\), 2 candidates struck: Kévin Martin, João Da Silva\n/);
	assert.match(ok.out, /RESULT: the audited ballot holds/);
	assert.equal(json('audit-report.json').verdict, 'pass');
	const doc = json('audit.json');
	doc.tracker = doc.tracker.slice(0, 63) + (doc.tracker.endsWith('0') ? '1' : '0');
	writeFileSync(join(dir, 'audit-bad.json'), JSON.stringify(doc, null, 2) + '\n');
	const bad = cliOut('verify-audit', '--record', rec, '--definition', DEMO_DEF, '--audit',
		join(dir, 'audit-bad.json'), '--out', join(dir, 'audit-report-bad.json'));
	assert.equal(bad.status, 3, bad.err);
	assert.match(bad.out, /FAIL tracker \(tracker-mismatch\)/);
	assert.deepEqual(json('audit-report-bad.json').failures, [{ field: 'tracker', code: 'tracker-mismatch' }]);
});

test('usage errors exit 2', () => {
	assert.equal(cli().status, 2);
	assert.equal(cli('encrypt', '--record', rec).status, 2);
	assert.equal(cli('check', '--record', rec, '--definition', DEMO_DEF, '--out', 'x').status, 2);
	assert.equal(cli('open', '--urn', 'x').status, 2);
	assert.equal(cli('verify-audit', '--record', rec, '--definition', DEMO_DEF).status, 2);
});
