// The test page of tests/web/browser-test.mjs: runs tools/web/sceau-ballot.js
// in the browser as a platform's page would, on the test election served
// under /data/, and posts what it made to /result for Node.js and Python to
// check. Known answers too: the fixed-r-and-k vectors of the Python
// recomputation, sealed again here with the browser's BigInt arithmetic.
const out = document.getElementById('out');

async function report(obj) {
	out.textContent = obj.error ? `erreur : ${obj.error}` :
		`${Object.values(obj.elections).flat().length} bulletins chiffrés, résultat envoyé`;
	await fetch('/result', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify(obj) });
}

window.addEventListener('error', (e) => report({ error: `${e.message} (${e.filename}:${e.lineno})` }));
window.addEventListener('unhandledrejection', (e) => report({ error: String(e.reason?.stack ?? e.reason) }));

async function get(path, asBytes) {
	const r = await fetch(path);
	if (!r.ok)
		throw new Error(`GET ${path}: ${r.status}`);
	return asBytes ? new Uint8Array(await r.arrayBuffer()) : r.text();
}

async function main() {
	const sb = await import('/web/sceau-ballot.js');
	const vectors = JSON.parse(await get('/data/vectors.json'));
	const specs = JSON.parse(await get('/data/specs.json'));
	const res = { userAgent: navigator.userAgent, secureContext: window.isSecureContext,
		kat: [], elections: {}, msPerBallot: 0 };
	const elections = {};
	for (const name of ['demo', 'wide']) {
		elections[name] = sb.openElection({
			record: await get(`/data/${name}-record.json`),
			definition: await get(`/data/${name}-election.json`, true), // exact bytes
		});
	}
	for (const v of vectors.vectors) {
		const e = elections[v.election];
		const { record, trackerHex } = sb.testOnlySealWithNonces({
			publicKeyHex: e.publicKeyHex, electionIdHex: e.electionIdHex, scrutinId: v.scrutin,
			plaintext: e.plaintext(v.scrutin, v.choice, v.struck), rHex: v.rHex, kHex: v.kHex });
		res.kat.push({ recordHex: sb.bytesToHex(record), trackerHex });
	}
	let n = 0;
	const t0 = performance.now();
	for (const name of ['demo', 'wide']) {
		const e = elections[name];
		res.elections[name] = specs[name].map((spec) => {
			const ballot = e.encrypt(spec.scrutin, spec.choice, spec.struck);
			const trackerHex = ballot.trackerHex;
			const record = ballot.cast();
			n++;
			// The page's own check, and one of a copy with c changed.
			const bad = record.slice();
			bad[140] ^= 1;
			return { ...spec, recordHex: sb.bytesToHex(record), trackerHex,
				inPage: e.checkRecord(record).status, inPageTampered: e.checkRecord(bad).status };
		});
	}
	res.msPerBallot = (performance.now() - t0) / n;
	await report(res);
}

main().catch((e) => report({ error: String(e?.stack ?? e) }));
