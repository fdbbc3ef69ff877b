// The v2 reference encryptor in a real browser: Debian's chromium, headless,
// opens tests/web/browser/index.html served from 127.0.0.1 by a small HTTP
// server started here; the page loads tools/web/sceau-ballot.js and
// @noble/* from tools/web/node_modules through an import map (no bundler),
// reproduces the known-answer vectors, seals ballots for every scrutin and
// list of the two test elections with the browser's crypto.getRandomValues,
// checks them itself, and posts them back. Node.js then checks each record
// (proof, tracker, decryption and decoding with the test key), and so does
// the independent Python recomputation.
// Run: node --test tests/web/browser-test.mjs (tests/web/test_browser.sh).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, test } from 'node:test';

import * as sb from '../../tools/web/sceau-ballot.js';
import {
	DEMO_DEF, HERE, TOP, ballotSpecs, cleanupFixture, decodePoint, decryptRecord,
	expectedPlaintext, fixtureDir, loadElectionFiles, pythonCheck, secretOf,
} from './fixture.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 60000; // the page needs about 5 s; this is for a loaded machine
// As this machine's notes say Chromium runs headless here: no sandbox (root),
// no GPU, and none of its background connections (the network is closed).
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--no-default-browser-check', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-extensions',
	'--disable-dev-shm-usage'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript',
	'.mjs': 'text/javascript', '.json': 'application/json' };

let dir, server, browser, profile, result, elections, specs;
const browserLog = [];

// Only what the page may load: the module, @noble/*, the page, the test election.
function route(url) {
	const path = decodeURIComponent(new URL(url, 'http://x').pathname);
	const under = (root, rel) => {
		const p = normalize(join(root, rel));
		return p.startsWith(root + sep) ? p : null;
	};
	if (path === '/web/sceau-ballot.js')
		return join(TOP, 'tools', 'web', 'sceau-ballot.js');
	if (path.startsWith('/web/node_modules/@noble/'))
		return under(join(TOP, 'tools', 'web', 'node_modules', '@noble'), path.slice(25));
	if (path.startsWith('/test/'))
		return under(join(HERE, 'browser'), path.slice(6));
	if (path === '/data/demo-election.json')
		return DEMO_DEF;
	if (path.startsWith('/data/'))
		return under(dir, path.slice(6));
	return null;
}

function serve(onResult) {
	return createServer((req, res) => {
		if (req.method === 'POST' && req.url === '/result') {
			const parts = [];
			req.on('data', (d) => parts.push(d));
			req.on('end', () => {
				res.end('ok');
				onResult(Buffer.concat(parts).toString('utf8'));
			});
			return;
		}
		const file = req.method === 'GET' ? route(req.url) : null;
		if (!file || !existsSync(file) || !statSync(file).isFile()) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
			'cache-control': 'no-store' });
		createReadStream(file).pipe(res);
	});
}

// Ends the browser this test started: its whole process group (it was
// spawned detached, so the group is its own), politely then by force.
async function stopBrowser() {
	if (!browser || browser.exitCode !== null || browser.signalCode !== null)
		return;
	const gone = new Promise((resolve) => browser.once('exit', resolve));
	try { process.kill(-browser.pid, 'SIGTERM'); } catch { return; }
	const timer = setTimeout(() => { try { process.kill(-browser.pid, 'SIGKILL'); } catch {} }, 5000);
	await gone;
	clearTimeout(timer);
	// Its helper processes (zygote, renderer) leave on their own, just after.
	const groupAlive = () => { try { process.kill(-browser.pid, 0); return true; } catch { return false; } };
	for (let i = 0; i < 40 && groupAlive(); i++)
		await new Promise((resolve) => setTimeout(resolve, 50));
	if (groupAlive())
		try { process.kill(-browser.pid, 'SIGKILL'); } catch {}
}

before(async () => {
	assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium ` +
		'(scripts/deps.sh does), or point CHROMIUM at a Chromium binary');
	dir = fixtureDir();
	elections = {};
	specs = {};
	for (const name of ['demo', 'wide']) {
		elections[name] = loadElectionFiles(dir, name);
		specs[name] = ballotSpecs(elections[name].def);
	}
	writeFileSync(join(dir, 'specs.json'), JSON.stringify(specs));

	let gotResult;
	const resultPosted = new Promise((resolve) => { gotResult = resolve; });
	server = serve(gotResult);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}/test/index.html`;

	profile = mkdtempSync(join(tmpdir(), 'sceau-chromium-'));
	browser = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, url],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
	browser.stderr.on('data', (d) => browserLog.push(d.toString()));
	const exited = new Promise((resolve) => browser.once('exit', (code, sig) =>
		resolve(`chromium exited (${code ?? sig}) before the page posted its result`)));
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(() => resolve(`no result from the page within ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
	});
	const first = await Promise.race([resultPosted.then((r) => ({ r })), exited, timeout]);
	clearTimeout(timer);
	await stopBrowser();
	if (typeof first === 'string')
		assert.fail(`${first}; chromium said:\n${browserLog.join('').slice(-3000)}`);
	result = JSON.parse(first.r);
});

after(async () => {
	await stopBrowser();
	server?.close();
	if (profile)
		rmSync(profile, { recursive: true, force: true });
	cleanupFixture();
});

test('the page ran in a real browser, in a secure context', () => {
	assert.equal(result.error, undefined, `the page failed: ${result.error}`);
	assert.match(result.userAgent, /Chrome\//);
	assert.equal(result.secureContext, true);
	console.log(`# ${result.userAgent}: ${result.msPerBallot.toFixed(1)} ms per ballot ` +
		'(seal, then check)');
});

test('the browser reproduces the known-answer vectors', () => {
	const vectors = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8')).vectors;
	assert.equal(result.kat.length, vectors.length);
	vectors.forEach((v, i) => {
		assert.equal(result.kat[i].recordHex, v.recordHex, `vector ${i}`);
		assert.equal(result.kat[i].trackerHex, v.trackerHex, `vector ${i}`);
	});
});

test('the browser\'s ballots verify and decrypt to the choice, in Node.js', () => {
	const s = secretOf(dir);
	for (const name of ['demo', 'wide']) {
		const { record, definition, def } = elections[name];
		const election = sb.openElection({ record, definition });
		const got = result.elections[name];
		assert.equal(got.length, specs[name].length);
		const seenA = new Set();
		got.forEach((b, i) => {
			assert.deepEqual({ scrutin: b.scrutin, choice: b.choice, struck: b.struck }, specs[name][i]);
			assert.equal(b.inPage, 'valid', `${name} ${i}: the page's own check`);
			assert.equal(b.inPageTampered, 'proof-failed', `${name} ${i}: the page's check of a changed c`);
			const rec = sb.hexToBytes(b.recordHex, sb.RECORD_LEN, 'recordHex');
			const res = election.checkRecord(rec);
			assert.equal(res.status, 'valid', `${name} ${i}: ${res.reason}`);
			assert.equal(res.trackerHex, b.trackerHex);
			const want = expectedPlaintext(def, b);
			assert.deepEqual(decodePoint(decryptRecord(rec, s), want.length), want, `${name} ${i}`);
			assert.ok(!seenA.has(res.aHex), `${name} ${i}: A repeated`);
			seenA.add(res.aHex);
		});
	}
});

test('the browser\'s ballots check in the independent Python code', () => {
	for (const name of ['demo', 'wide']) {
		const file = join(dir, `browser-${name}.json`);
		writeFileSync(file, JSON.stringify({ election: name, ballots: result.elections[name] }));
		const py = pythonCheck(dir, file);
		assert.equal(py.status, 0, `Python check:\n${py.stdout}${py.stderr}`);
	}
});
