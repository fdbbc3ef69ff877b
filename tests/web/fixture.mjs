// Shared by the tests of the v2 reference encryptor (tests/web): the test
// election made by the independent Python recomputation (sceau_v2_ref.py
// fixture), the ballots to seal, and the box's side of a ballot written
// here for the tests (decryption with the test key, and decoding of the
// point as the box does).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same @noble/curves the module uses, for the test's own decryption.
import { p256 } from '../../tools/web/node_modules/@noble/curves/nist.js';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const TOP = resolve(HERE, '..', '..');
export const DEMO_DEF = join(TOP, 'tests', 'data', 'demo-election.json');
export const REF = join(HERE, 'sceau_v2_ref.py');
export const PYTHON = '/usr/bin/python3';

// The fixture directory: $SCEAU_WEB_FIXTURE if the caller made it, else a
// new one made here, which cleanupFixture() removes.
let madeHere = null;
export function fixtureDir() {
	if (process.env.SCEAU_WEB_FIXTURE)
		return process.env.SCEAU_WEB_FIXTURE;
	const dir = mkdtempSync(join(tmpdir(), 'sceau-web-'));
	madeHere = dir;
	const r = spawnSync(PYTHON, [REF, 'fixture', dir], { encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`${REF} fixture failed: ${r.stderr}${r.stdout}`);
	return dir;
}

export function cleanupFixture() {
	if (madeHere)
		rmSync(madeHere, { recursive: true, force: true });
	madeHere = null;
}

export function loadElectionFiles(dir, name) {
	const defPath = name === 'demo' ? DEMO_DEF : join(dir, 'wide-election.json');
	const definition = readFileSync(defPath);
	return {
		name, defPath, definition,
		def: JSON.parse(definition.toString('utf8')),
		record: readFileSync(join(dir, `${name}-record.json`), 'utf8'),
	};
}

export function secretOf(dir) {
	return BigInt('0x' + readFileSync(join(dir, 'secret.hex'), 'utf8').trim());
}

// Per scrutin: blank; per list: nothing struck, the first, the last, all,
// every other, and the first and last of every bitmap byte. Lists past the
// third of a scrutin get only "nothing struck" and "the first", to keep the
// 64-list scrutin short.
export function ballotSpecs(def) {
	const out = [];
	for (const s of def.scrutins) {
		out.push({ scrutin: s.id, choice: 0, struck: [] });
		s.lists.forEach((l, i) => {
			const n = l.candidates.length, choice = i + 1;
			const all = Array.from({ length: n }, (_, c) => c + 1);
			out.push({ scrutin: s.id, choice, struck: [] });
			out.push({ scrutin: s.id, choice, struck: [1] });
			if (i >= 3 || n < 2)
				return;
			out.push({ scrutin: s.id, choice, struck: [n] });
			out.push({ scrutin: s.id, choice, struck: all });
			out.push({ scrutin: s.id, choice, struck: all.filter((c) => c % 2) });
			if (n >= 9)
				out.push({ scrutin: s.id, choice, struck: all.filter((c) => c % 8 === 1 || c % 8 === 0) });
		});
	}
	return out;
}

// The plaintext layout (count/classify.h), written again here.
export function expectedPlaintext(def, { scrutin, choice, struck }) {
	const s = def.scrutins[scrutin - 1];
	const maxc = Math.max(...s.lists.map((l) => l.candidates.length));
	const pt = new Uint8Array(3 + Math.ceil(maxc / 8));
	pt[0] = 1;
	pt[1] = choice >> 8;
	pt[2] = choice & 0xff;
	for (const c of struck)
		pt[3 + Math.floor((c - 1) / 8)] |= 1 << ((c - 1) % 8);
	return pt;
}

const Point = p256.Point;

// The box's side: M = B - s·A.
export function decryptRecord(record, s) {
	const A = Point.fromBytes(record.subarray(2, 67));
	const B = Point.fromBytes(record.subarray(67, 132));
	return B.subtract(A.multiply(s));
}

// Decoding as the box does (the v2 specification): infinity, a non-zero first byte of x or
// non-zero padding after the plaintext is nul "unreadable" (null here);
// otherwise bytes 1..ptLen of x. The counter and y's parity are not checked.
export function decodePoint(M, ptLen) {
	if (M.is0())
		return null;
	const x = M.toBytes(false).subarray(1, 33);
	if (x[0] !== 0 || x.subarray(1 + ptLen, 31).some((b) => b !== 0))
		return null;
	return x.slice(1, 1 + ptLen);
}

// Re-randomises a record's ciphertext as anyone could without r, keeping its
// proof: A + r'·G, B + r'·PK. Still the same vote; its proof must fail.
export function rerandomise(record, publicKeyHex, rPrime) {
	const PK = Point.fromHex(publicKeyHex);
	const A = Point.fromBytes(record.subarray(2, 67)).add(Point.BASE.multiply(rPrime));
	const B = Point.fromBytes(record.subarray(67, 132)).add(PK.multiply(rPrime));
	const out = record.slice();
	out.set(A.toBytes(false), 2);
	out.set(B.toBytes(false), 67);
	return out;
}

// Runs the Python check (sceau_v2_ref.py check) on ballots made in JavaScript.
export function pythonCheck(dir, file) {
	return spawnSync(PYTHON, [REF, 'check', dir, file], { encoding: 'utf8' });
}

// Runs the Python check of an audited ballot (sceau_v2_ref.py audit):
// { status, ok, words, failures: [{ field, code }] } from its output.
export function pythonAudit(recordPath, definitionPath, auditPath) {
	const r = spawnSync(PYTHON, [REF, 'audit', recordPath, definitionPath, auditPath], { encoding: 'utf8' });
	const lines = r.stdout.split('\n').filter(Boolean);
	const failures = lines.filter((l) => l.startsWith('fail ')).map((l) => {
		const [, field, code] = l.match(/^fail (\S+) (\S+):/);
		return { field, code };
	});
	const ok = lines.find((l) => l.startsWith('ok: '));
	return { status: r.status, ok: r.status === 0, words: ok ? ok.slice(4) : null, failures,
		output: r.stdout + r.stderr };
}

export const N = Point.Fn.ORDER;
export { Point };
