// The example voter page (tools/web/example/) in a real browser: Debian's
// Chromium, headless, driven through the DevTools protocol (tests/web/cdp.mjs),
// the page served from 127.0.0.1 as a platform would serve it (the module and
// @noble/* from tools/web, the demo election's definition and a test record
// beside the page). A voter, with real key presses and mouse clicks:
//  - the cast path, by keyboard alone: a list chosen, two candidates struck,
//    "Chiffrer", "Déposer"; the record the page deposits verifies in Node.js
//    and in the independent Python code, which decrypts it (test key) to
//    exactly the choice made; the receipt shows the tracker and the time;
//  - the audit path, by mouse: "Vérifier ce bulletin" shows the choice in
//    words; the audit JSON downloaded is the one shown, holds in Node.js
//    (verifyAudit) and in Python, and a copy with one byte changed is
//    refused by both; then "Chiffrer à nouveau" seals a fresh ballot (another
//    tracker), which is cast: never the audited one;
//  - the page loads nothing from elsewhere, raises no error, breaks no
//    content policy; its fields have labels, its texts enough contrast.
// Screenshots of every step go to $SCEAU_WEB_SHOTS, or
// $SCEAU_BUILD/test-logs/web-example, or a temporary directory (printed),
// with what the page made: cast-records.json (each cast record and its
// choice, for the box's own test once it opens v2 ballots; sealed for the
// demo election and the fixed test key of sceau_v2_ref.py fixture) and the
// audit file downloaded.
// Run: node --test tests/web/example-page.test.mjs (tests/web/test_example_page.sh).
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, test } from 'node:test';

import * as sb from '../../tools/web/sceau-ballot.js';
import { Browser, CHROMIUM } from './cdp.mjs';
import {
	DEMO_DEF, TOP, cleanupFixture, expectedPlaintext, fixtureDir, loadElectionFiles, pythonAudit,
	pythonCheck,
} from './fixture.mjs';

const WEB = join(TOP, 'tools', 'web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8', '.json': 'application/json' };

let dir, shots, downloads, server, origin, browser, page, election, demo;
const events = { requests: [], errors: [] };
let shotNo = 0;
const castRecords = [];

// Only what a platform would serve: the page's directory, the module, the
// two packages, and the election's two public files beside the page.
function route(url) {
	const path = decodeURIComponent(new URL(url, 'http://x').pathname);
	const under = (root, rel) => {
		const p = normalize(join(root, rel));
		return p.startsWith(root + sep) ? p : null;
	};
	if (path === '/example/election.json')
		return DEMO_DEF;
	if (path === '/example/record.json')
		return join(dir, 'demo-record.json');
	if (path === '/example/')
		return join(WEB, 'example', 'index.html');
	if (path.startsWith('/example/'))
		return under(join(WEB, 'example'), path.slice(9));
	if (path === '/sceau-ballot.js')
		return join(WEB, 'sceau-ballot.js');
	if (path.startsWith('/node_modules/@noble/'))
		return under(join(WEB, 'node_modules', '@noble'), path.slice(21));
	return null;
}

function serve() {
	return createServer((req, res) => {
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

async function shot(name) {
	const file = join(shots, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
	writeFileSync(file, await page.screenshot());
}

const text = (id) => page.eval(`document.getElementById(${JSON.stringify(id)}).textContent`);
const visibleStep = () => page.eval(
	'[...document.querySelectorAll("main > section")].filter((s) => !s.hidden).map((s) => s.id).join()');
const ungroup = (s) => s.replace(/ /g, '');

before(async () => {
	assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium ` +
		'(scripts/deps.sh does), or point CHROMIUM at a Chromium binary');
	dir = fixtureDir();
	demo = loadElectionFiles(dir, 'demo');
	election = sb.openElection({ record: demo.record, definition: demo.definition });
	shots = process.env.SCEAU_WEB_SHOTS ||
		(process.env.SCEAU_BUILD ? join(process.env.SCEAU_BUILD, 'test-logs', 'web-example') :
			mkdtempSync(join(tmpdir(), 'sceau-web-shots-')));
	rmSync(shots, { recursive: true, force: true });
	mkdirSync(shots, { recursive: true });
	console.log(`screenshots in ${shots}`);
	downloads = mkdtempSync(join(tmpdir(), 'sceau-web-downloads-'));

	server = serve();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${server.address().port}`;

	browser = await Browser.launch();
	browser.onEvent(({ method, params }) => {
		if (method === 'Network.requestWillBeSent')
			events.requests.push(params.request.url);
		else if (method === 'Runtime.exceptionThrown')
			events.errors.push(`exception: ${params.exceptionDetails.exception?.description ?? params.exceptionDetails.text}`);
		else if (method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(params.type))
			events.errors.push(`console.${params.type}: ${params.args.map((a) => a.value ?? a.description).join(' ')}`);
		else if (method === 'Log.entryAdded' && params.entry.level === 'error')
			events.errors.push(`log: ${params.entry.text} (${params.entry.url ?? ''})`);
	});
	await browser.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads,
		eventsEnabled: true });
	page = await browser.firstPage();
	for (const domain of ['Page', 'Runtime', 'Network', 'Log'])
		await page.send(`${domain}.enable`);
	await page.send('Emulation.setDeviceMetricsOverride', { width: 900, height: 1000,
		deviceScaleFactor: 1, mobile: false });
});

after(async () => {
	await browser?.close();
	server?.close();
	if (downloads)
		rmSync(downloads, { recursive: true, force: true });
	cleanupFixture();
});

async function openPage() {
	await page.goto(`${origin}/example/`);
	await page.until('document.documentElement.dataset.pret === "oui" || !document.getElementById("erreur").hidden',
		'the page to load the election');
	assert.equal(await page.eval('document.getElementById("erreur").hidden'), true,
		`the page says: ${await text('erreur')}`);
	assert.equal(await visibleStep(), 'etape-choix');
}

// The record the page deposited: checked as the box will, and decrypted by
// the Python code (test key) to the plaintext of `choice`.
function checkCast(recordHex, trackerHex, choice) {
	const record = sb.hexToBytes(recordHex, sb.RECORD_LEN);
	const res = election.checkRecord(record);
	assert.equal(res.status, 'valid', res.reason);
	assert.equal(res.trackerHex, trackerHex);
	const file = join(dir, `cast-${trackerHex.slice(0, 8)}.json`);
	writeFileSync(file, JSON.stringify({ election: 'demo',
		ballots: [{ ...choice, recordHex, trackerHex }] }));
	const py = pythonCheck(dir, file);
	assert.equal(py.status, 0, `Python check:\n${py.stdout}${py.stderr}`);
	castRecords.push({ ...choice, recordHex, trackerHex });
	writeFileSync(join(shots, 'cast-records.json'), JSON.stringify({ election: 'demo',
		ballots: castRecords }, null, 2) + '\n');
	assert.deepEqual(election.plaintext(choice.scrutin, choice.choice, choice.struck),
		expectedPlaintext(demo.def, choice));
}

test('the cast path, by keyboard alone', async () => {
	await openPage();
	await shot('choix-vide');
	// Tab from the top of the page: the scrutin first.
	const order = [];
	for (let i = 0; i < 6 && (await page.focused()) !== 'scrutin'; i++) {
		await page.press('Tab');
		order.push(await page.focused());
	}
	assert.equal(await page.focused(), 'scrutin', `Tab went through ${order.join(', ')}`);
	await page.press('ArrowDown'); // scrutin 2: collège 1, suppléants
	assert.equal(await page.eval('document.getElementById("scrutin").value'), '2');
	await page.press('Tab');
	assert.equal(await page.focused(), 'liste-1');
	await page.press('ArrowDown'); // list 2 chosen
	assert.equal(await page.eval('document.querySelector("input[name=liste]:checked")?.value'), '2');
	await page.press('Tab');
	assert.equal(await page.focused(), 'candidat-1');
	await page.press(' ');        // strike candidate 1
	await page.press('Tab');
	assert.equal(await page.focused(), 'candidat-2');
	const choice = { scrutin: 2, choice: 2, struck: [1] };
	const words = sb.describeChoice(election.layout(2), 2, [1]);
	assert.equal(await text('resume'), words);
	await shot('choix-clavier');
	await page.press('Tab');
	assert.equal(await page.focused(), 'chiffrer');
	await page.press('Enter');
	await page.until('!document.getElementById("etape-bulletin").hidden', 'step 2');
	assert.equal(await page.focused(), 'titre-bulletin', 'the focus moves to the new step');
	assert.equal(await text('bulletin-choix'), words);
	const shown = ungroup(await text('bulletin-recu'));
	assert.match(shown, /^[0-9a-f]{64}$/);
	assert.match(await text('bulletin-heure'), /\d{4} .*\d{2}:\d{2}:\d{2}/);
	await shot('bulletin-chiffre');
	await page.press('Tab');
	assert.equal(await page.focused(), 'deposer');
	await page.press('Enter');
	await page.until('!document.getElementById("etape-recu").hidden', 'the receipt');
	await shot('recu');
	assert.equal(ungroup(await text('recu-final')), shown, 'the receipt is the tracker shown before');
	assert.match(await page.eval('document.getElementById("recu-heure").dateTime'),
		/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	// Nothing about the vote on the receipt.
	const receipt = await page.eval('document.getElementById("etape-recu").innerText');
	for (const word of ['Liste', 'CFDT', 'blanc', 'rayé', ...election.layout(2).lists[1].candidates
		.map((c) => c.lastName)])
		assert.ok(!receipt.includes(word), `the receipt says "${word}":\n${receipt}`);
	checkCast(await text('depot-enregistrement'), shown, choice);
});

test('the audit path, by mouse: the audit JSON downloaded holds; then a fresh ballot is cast', async () => {
	await openPage();
	// Scrutin 1, list 1, candidate 6 struck: clicks on the labels.
	await page.click('label[for="liste-1"]');
	await page.click('label[for="candidat-6"]');
	const choice = { scrutin: 1, choice: 1, struck: [6] };
	const words = sb.describeChoice(election.layout(1), 1, [6]);
	assert.equal(words, 'Liste 1 (Liste CGT-FO), 1 candidat rayé : François Œuvray');
	assert.equal(await text('resume'), words);
	await shot('choix-souris');
	await page.click('#chiffrer');
	await page.until('!document.getElementById("etape-bulletin").hidden', 'step 2');
	const audited = ungroup(await text('bulletin-recu'));
	await page.click('#verifier');
	await page.until('!document.getElementById("etape-verification").hidden', 'the audit');
	await shot('verification');
	assert.equal(await text('verif-resultat'), `Bulletin conforme. Ce bulletin contenait : ${words}.`);
	assert.equal(ungroup(await text('verif-recu')), audited);

	// The download: the file the page offers, as the voter gets it.
	const done = browser.waitEvent('Browser.downloadProgress', (p) => p.state === 'completed');
	await page.click('#telecharger-verif');
	await done;
	const name = `bulletin-verifie-${audited.slice(0, 8)}.json`;
	assert.deepEqual(readdirSync(downloads), [name]);
	const auditText = readFileSync(join(downloads, name), 'utf8');
	writeFileSync(join(shots, name), auditText);
	assert.equal(auditText, await page.eval('document.getElementById("verif-json").value'));
	const doc = JSON.parse(auditText);
	assert.equal(auditText, JSON.stringify(doc, null, 2) + '\n', 'canonical JSON');
	assert.equal(doc.tracker, audited);
	// Checked in Node.js and by the Python code, from the public files only.
	const res = sb.verifyAudit(auditText, { record: demo.record, definition: demo.definition });
	assert.equal(res.ok, true, JSON.stringify(res.failures));
	assert.equal(res.words.fr, words);
	assert.deepEqual(res.choice, { reason: 'valid', list: 1, struck: [6] });
	const recordPath = join(dir, 'demo-record.json');
	const py = pythonAudit(recordPath, DEMO_DEF, join(downloads, name));
	assert.equal(py.status, 0, py.output);
	assert.equal(py.words, words);
	// One byte of r changed: refused by both, and said so.
	const bad = { ...doc, r: (doc.r.slice(0, 62) + (doc.r.endsWith('00') ? '01' : '00')) };
	const badText = JSON.stringify(bad, null, 2) + '\n';
	writeFileSync(join(dir, 'audit-tampered.json'), badText);
	const refused = election.verifyAudit(badText);
	assert.equal(refused.ok, false);
	assert.deepEqual(refused.failures.map((f) => f.code), ['r-mismatch']);
	const pyBad = pythonAudit(recordPath, DEMO_DEF, join(dir, 'audit-tampered.json'));
	assert.equal(pyBad.status, 1, pyBad.output);
	assert.deepEqual(pyBad.failures, [{ field: 'r', code: 'r-mismatch' }]);

	// "Copier": the clipboard, or the text selected for the voter.
	await page.click('#copier-verif');
	await page.until('document.getElementById("copie-etat").textContent !== ""', 'the copy status');

	// Start again: a fresh ballot for the same choice, another tracker.
	await page.click('#rechiffrer');
	await page.until('!document.getElementById("etape-bulletin").hidden', 'step 2 again');
	const fresh = ungroup(await text('bulletin-recu'));
	assert.notEqual(fresh, audited);
	assert.equal(await text('bulletin-choix'), words);
	await shot('bulletin-rechiffre');
	await page.click('#deposer');
	await page.until('!document.getElementById("etape-recu").hidden', 'the receipt');
	assert.equal(ungroup(await text('recu-final')), fresh);
	const recordHex = await text('depot-enregistrement');
	assert.notEqual(sb.ballotTracker(sb.hexToBytes(recordHex)), audited, 'the audited ballot is never cast');
	checkCast(recordHex, fresh, choice);
	await page.eval('document.getElementById("exemple-depot").open = true');
	await shot('recu-depot');
});

test('"Modifier mon choix" drops the ballot; no choice, no encryption', async () => {
	await openPage();
	await page.click('#chiffrer');
	assert.match(await text('erreur'), /Choisissez une liste/);
	assert.equal(await visibleStep(), 'etape-choix');
	await shot('erreur-sans-choix');
	await page.click('label[for="liste-0"]');
	assert.equal(await text('resume'), 'Vote blanc');
	assert.equal(await page.eval('document.getElementById("candidats").hidden'), true);
	await page.click('#chiffrer');
	await page.until('!document.getElementById("etape-bulletin").hidden', 'step 2');
	assert.equal(await page.eval('document.getElementById("erreur").hidden'), true);
	await page.click('#modifier');
	await page.until('!document.getElementById("etape-choix").hidden', 'step 1');
	assert.equal(await text('resume'), 'Vote blanc', 'the choice is kept');
});

test('accessibility: labels, names, language, contrast', async () => {
	await openPage();
	await page.click('label[for="liste-2"]');
	await page.eval('document.getElementById("erreur").textContent = "Exemple"');
	const report = await page.eval(`(() => {
		const out = { unlabelled: [], unnamed: [], lowContrast: [], lang: document.documentElement.lang };
		for (const el of document.querySelectorAll('input, select, textarea'))
			if (!el.labels || el.labels.length === 0 || !el.labels[0].textContent.trim())
				out.unlabelled.push(el.id || el.outerHTML.slice(0, 60));
		for (const el of document.querySelectorAll('button'))
			if (!el.textContent.trim())
				out.unnamed.push(el.id);
		// WCAG 2 relative luminance and contrast ratio.
		const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
		const lum = ([r, g, b]) => [r, g, b].map((v) => {
			v /= 255;
			return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
		}).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
		const bg = (el) => {
			for (; el; el = el.parentElement) {
				const c = getComputedStyle(el).backgroundColor;
				if (rgb(c).length < 4 || rgb(c)[3] > 0)
					return rgb(c).slice(0, 3);
			}
			return [255, 255, 255];
		};
		const sections = [...document.querySelectorAll('main > section, header, #erreur')];
		for (const s of sections) {
			const was = s.hidden;
			s.hidden = false;
			for (const el of s.querySelectorAll('*')) {
				const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
				if (!own || el.getClientRects().length === 0)
					continue;
				const fg = rgb(getComputedStyle(el).color).slice(0, 3);
				const [a, b] = [lum(fg), lum(bg(el))].sort((x, y) => y - x);
				const ratio = (a + 0.05) / (b + 0.05);
				if (ratio < 4.5)
					out.lowContrast.push(el.tagName + '#' + el.id + ' ' + ratio.toFixed(2));
			}
			s.hidden = was;
		}
		return out;
	})()`);
	assert.equal(report.lang, 'fr');
	assert.deepEqual(report.unlabelled, []);
	assert.deepEqual(report.unnamed, []);
	assert.deepEqual(report.lowContrast, []);
});

test('nothing loaded from elsewhere, no error, no broken policy', () => {
	assert.ok(events.requests.length > 5);
	const foreign = events.requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('blob:' + origin)
		&& !u.startsWith('data:'));
	assert.deepEqual(foreign, []);
	assert.deepEqual(events.errors, []);
});
