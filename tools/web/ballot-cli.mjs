#!/usr/bin/env node
// Command-line driver of the v2 reference encryptor (sceau-ballot.js), for
// the interoperability tests with the box's C code and for integrators who
// compare their own page's ballots with the reference (docs/ENCRYPTOR.md).
//
// Encrypt: seals ballots exactly as a page does.
//   node tools/web/ballot-cli.mjs encrypt --record record.json --definition election.json \
//        --ballots SPEC.json --out OUT.json [--urn URN.bin]
//   SPEC.json: [ {"scrutin": 1, "choice": 2, "struck": [1, 3]}, ... ]
//     An entry with "rHex" and "kHex" is sealed with that r and k (known-answer
//     tests only: a ballot whose r is known is not secret).
//   OUT.json:  [ {"scrutin", "recordHex", "trackerHex", "plaintextHex"}, ... ]
//   URN.bin:   the 196-byte records one after the other, in order.
//
// Check: every record as the box checks it at import (checkRecords: malformed,
// proof-failed, duplicate A, valid).
//   node tools/web/ballot-cli.mjs check --record record.json --definition election.json \
//        (--records IN.json | --records-bin RECORDS.bin) --out OUT.json
//   IN.json: [ {"recordHex": "..."}, ... ]; RECORDS.bin: 196-byte records back to back.
//   OUT.json: [ {"status", "reason", "scrutinId", "trackerHex"}, ... ]
//   Exit status 0 if every record is valid, 3 if any is not (OUT.json says which).
//
// Test election (never for a real one: its key comes only from the key
// ceremony, in shares on the bureau's cards): a throwaway key and the public
// record for a definition, to try a page's own encryptor; then open its
// ballots with that key.
//   node tools/web/ballot-cli.mjs test-election --definition election.json \
//        --out-record record.json --out-secret secret.hex
//   node tools/web/ballot-cli.mjs open --secret secret.hex --record record.json \
//        --definition election.json --records IN.json --out OUT.json
//   OUT.json: [ {"status", "scrutinId", "trackerHex", "plaintextHex"}, ... ];
//   plaintextHex is null for a point the box reads as nul "unreadable", and
//   absent for a record that is not valid.
//
// Verify an audited ballot (cast-or-audit: docs/FORMATS.md "Audited ballot"),
// as `sceau-verify --audit` will (docs/VERIFY.md), on a computer the voter
// trusts: prints the choice the ballot encrypts, in words, or each failure.
//   node tools/web/ballot-cli.mjs verify-audit --record record.json \
//        --definition election.json --audit AUDIT.json [--out REPORT.json]
//   REPORT.json: sceau-audit-report/1 (docs/VERIFY.md).
//   Exit status 0 if the audit holds, 3 if it does not.
//
// Exit status: 0 done, 1 an input is wrong or an operation failed, 2 usage,
// 3 (check) some record is not valid, (verify-audit) the audit does not hold.
import { readFile, writeFile } from 'node:fs/promises';

import { p256 } from '@noble/curves/nist.js';

import {
	RECORD_LEN, auditReportJson, bytesToHex, checkRecords, computeElectionIdHex, hexToBytes,
	openElection, parseRecord, testOnlySealWithNonces,
} from './sceau-ballot.js';

const USAGE = `usage:
  ballot-cli.mjs encrypt --record FILE --definition FILE --ballots SPEC.json --out OUT.json [--urn URN.bin]
  ballot-cli.mjs check --record FILE --definition FILE (--records IN.json | --records-bin FILE) --out OUT.json
  ballot-cli.mjs test-election --definition FILE --out-record FILE --out-secret FILE
  ballot-cli.mjs open --secret FILE --record FILE --definition FILE --records IN.json --out OUT.json
  ballot-cli.mjs verify-audit --record FILE --definition FILE --audit FILE [--out REPORT.json]`;

const COMMANDS = {
	encrypt: { need: ['record', 'definition', 'ballots', 'out'], may: ['urn'] },
	check: { need: ['record', 'definition', 'out'], may: ['records', 'recordsBin'] },
	'test-election': { need: ['definition', 'outRecord', 'outSecret'], may: [] },
	open: { need: ['secret', 'record', 'definition', 'records', 'out'], may: [] },
	'verify-audit': { need: ['record', 'definition', 'audit'], may: ['out'] },
};

class UsageError extends Error {}

const camel = (flag) => flag.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const flag = (key) => '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

function parseArgs(argv) {
	const cmd = COMMANDS[argv[0]];
	if (!cmd)
		throw new UsageError(argv[0] ? `unknown command ${argv[0]}` : 'no command');
	const opts = { command: argv[0] };
	for (let i = 1; i < argv.length; i++) {
		const key = argv[i].startsWith('--') ? camel(argv[i]) : null;
		if (!key || !(cmd.need.includes(key) || cmd.may.includes(key)))
			throw new UsageError(`${argv[i]} does not go with ${argv[0]}`);
		if (key in opts)
			throw new UsageError(`${argv[i]} given twice`);
		if (i + 1 >= argv.length)
			throw new UsageError(`${argv[i]} needs a value`);
		opts[key] = argv[++i];
	}
	for (const k of cmd.need)
		if (!(k in opts))
			throw new UsageError(`missing ${flag(k)}`);
	if (opts.command === 'check' && ('records' in opts) === ('recordsBin' in opts))
		throw new UsageError('give one of --records and --records-bin');
	return opts;
}

async function readJson(path) {
	return JSON.parse(await readFile(path, 'utf8'));
}

async function loadElection(opts) {
	return openElection({ record: await readFile(opts.record, 'utf8'),
		definition: await readFile(opts.definition) });
}

async function readRecords(opts) {
	if (opts.recordsBin) {
		const bin = await readFile(opts.recordsBin);
		if (bin.length % RECORD_LEN)
			throw new Error(`${opts.recordsBin}: ${bin.length} bytes, not a multiple of ${RECORD_LEN}`);
		const out = [];
		for (let off = 0; off < bin.length; off += RECORD_LEN)
			out.push(new Uint8Array(bin.subarray(off, off + RECORD_LEN)));
		return out;
	}
	const list = await readJson(opts.records);
	if (!Array.isArray(list))
		throw new Error(`${opts.records}: expected a JSON array of {"recordHex"}`);
	return list.map((r, i) => hexToBytes(r?.recordHex, undefined, `${opts.records}[${i}].recordHex`));
}

async function encrypt(opts) {
	const election = await loadElection(opts);
	const spec = await readJson(opts.ballots);
	if (!Array.isArray(spec))
		throw new Error(`${opts.ballots}: expected a JSON array of ballots`);
	const out = [], records = [];
	for (const [i, b] of spec.entries()) {
		try {
			const plaintext = election.plaintext(b.scrutin, b.choice, b.struck ?? []);
			let record, trackerHex;
			if (b.rHex !== undefined || b.kHex !== undefined) {
				({ record, trackerHex } = testOnlySealWithNonces({ publicKeyHex: election.publicKeyHex,
					electionIdHex: election.electionIdHex, scrutinId: b.scrutin, plaintext,
					rHex: b.rHex, kHex: b.kHex }));
			} else {
				const ballot = election.encrypt(b.scrutin, b.choice, b.struck ?? []);
				trackerHex = ballot.trackerHex;
				record = ballot.cast();
			}
			records.push(record);
			out.push({ scrutin: b.scrutin, recordHex: bytesToHex(record), trackerHex,
				plaintextHex: bytesToHex(plaintext) });
		} catch (e) {
			throw new Error(`${opts.ballots}[${i}]: ${e.message}`);
		}
	}
	await writeFile(opts.out, JSON.stringify(out, null, 2) + '\n');
	if (opts.urn)
		await writeFile(opts.urn, Buffer.concat(records));
	return 0;
}

async function check(opts) {
	const election = await loadElection(opts);
	const res = checkRecords(await readRecords(opts), election);
	await writeFile(opts.out, JSON.stringify(res.map(({ status, reason, scrutinId, trackerHex }) =>
		({ status, reason, scrutinId, trackerHex })), null, 2) + '\n');
	return res.every((r) => r.status === 'valid') ? 0 : 3;
}

const Point = p256.Point;

function randomSecret() {
	for (;;) {
		const b = globalThis.crypto.getRandomValues(new Uint8Array(32));
		const v = BigInt('0x' + bytesToHex(b));
		if (v > 0n && v < Point.Fn.ORDER)
			return v;
	}
}

// A record with the fields sceau-ballot.js reads (a real one, from the key
// ceremony, has more: docs/FORMATS.md).
async function testElection(opts) {
	const definition = await readFile(opts.definition);
	const def = JSON.parse(definition.toString('utf8'));
	const s = randomSecret();
	const pk = Point.BASE.multiply(s).toHex(false);
	const record = { format: 'sceau-record/1', election_id: computeElectionIdHex(definition),
		election_title: def.title, group: 'P-256', public_key: pk, commitments: [pk],
		test_only: 'made by ballot-cli.mjs test-election: never for a real election' };
	openElection({ record, definition }); // the same checks a page makes
	await writeFile(opts.outSecret, s.toString(16).padStart(64, '0') + '\n', { mode: 0o600 });
	await writeFile(opts.outRecord, JSON.stringify(record, null, 2) + '\n');
	return 0;
}

// What the box does with a valid record, minus the shuffle: M = B - s·A,
// then the plaintext read from x (docs/ENCRYPTOR.md, "Byte layouts (v2)").
function openOne(record, s, ptLen) {
	const f = parseRecord(record);
	const M = Point.fromBytes(f.B).subtract(Point.fromBytes(f.A).multiply(s));
	if (M.is0())
		return null;
	const x = M.toBytes(false).subarray(1, 33);
	if (x[0] !== 0 || x.subarray(1 + ptLen, 31).some((b) => b !== 0))
		return null;
	return bytesToHex(x.subarray(1, 1 + ptLen));
}

async function open(opts) {
	const election = await loadElection(opts);
	const s = BigInt('0x' + bytesToHex(hexToBytes((await readFile(opts.secret, 'utf8')).trim(), 32,
		opts.secret)));
	if (Point.BASE.multiply(s).toHex(false) !== election.publicKeyHex)
		throw new Error(`${opts.secret} is not the secret of ${opts.record}'s public key`);
	const records = await readRecords(opts);
	const res = checkRecords(records, election).map((r, i) => {
		const o = { status: r.status, scrutinId: r.scrutinId, trackerHex: r.trackerHex };
		if (r.status === 'valid')
			o.plaintextHex = openOne(records[i], s, election.layout(r.scrutinId).ptLen);
		return o;
	});
	await writeFile(opts.out, JSON.stringify(res, null, 2) + '\n');
	return 0;
}

// The tracker as a voter reads it on the page: groups of four digits.
const grouped = (h) => h.match(/.{1,4}/g).join(' ');

async function verifyAuditCmd(opts) {
	const election = await loadElection(opts);
	const res = election.verifyAudit(await readFile(opts.audit));
	if (opts.out)
		await writeFile(opts.out, auditReportJson(res));
	const lines = [];
	if (res.trackerHex && /^[0-9a-f]{64}$/.test(res.trackerHex))
		lines.push(`tracker: ${grouped(res.trackerHex)}`);
	for (const f of res.failures)
		lines.push(`FAIL ${f.field} (${f.code}): ${f.reason}`);
	if (res.ok)
		lines.push(`scrutin ${res.scrutinId}: ${res.words.en}`, 'RESULT: the audited ballot holds');
	else
		lines.push(`RESULT: the audit does not hold (${res.failures[0].code})`);
	process.stdout.write(lines.join('\n') + '\n');
	return res.ok ? 0 : 3;
}

async function main() {
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (e) {
		if (!(e instanceof UsageError))
			throw e;
		process.stderr.write(`ballot-cli: ${e.message}\n${USAGE}\n`);
		return 2;
	}
	try {
		const run = { encrypt, check, 'test-election': testElection, open,
			'verify-audit': verifyAuditCmd }[opts.command];
		return await run(opts);
	} catch (e) {
		process.stderr.write(`ballot-cli: ${e.message}\n`);
		return 1;
	}
}

process.exitCode = await main();
