// Sceau: an example voter page, for integrators to copy (README.md beside
// it). Plain JavaScript, no framework; the cryptography is entirely in
// ../sceau-ballot.js. The page's texts are French, its comments English.
//
// The order of the steps is the point of the page; keep it
// (docs/ENCRYPTOR.md, "Cast or audit"):
//   1. the voter chooses (a list, struck candidates, or blank) and reads the
//      choice in words;
//   2. "Chiffrer": the page seals the ballot and shows its tracker and the
//      time, and only THEN asks: cast ("Déposer") or audit ("Vérifier ce
//      bulletin");
//   3a. cast: the record goes to the platform (depositRecord below, the hook
//      to write); the receipt shows the tracker and the date and time of
//      recording, nothing about the vote;
//   3b. audit: the ballot's r and plaintext are revealed (never cast), the
//      audit is checked and its choice shown in words, offered for download
//      and copy; then a fresh ballot is sealed for the same choice (back to 2).
// Because the page must commit to a ballot (its tracker is on the screen)
// before it knows whether the voter will cast or audit it, a page that
// sealed another choice than the one shown would be caught by the first
// audit of such a ballot.
import { ballotTracker, bytesToHex, describeChoice, openElection } from '../sceau-ballot.js';

// Where the election's public files are: the definition (the file's exact
// bytes: its SHA-256 is the election id) and the public election record made
// by the key ceremony. A platform serves both from its own origin.
const DEFINITION_URL = 'election.json';
const RECORD_URL = 'record.json';

const $ = (id) => document.getElementById(id);
const STEPS = ['etape-choix', 'etape-bulletin', 'etape-verification', 'etape-recu'];

let election = null; // from openElection()
let ballot = null;   // the SealedBallot on the screen, not yet cast nor audited
let lastAudit = null; // { text, trackerHex }: the last audit, for download and copy
let lastReceipt = null;

// --- the platform: the one hook to write --------------------------------------------

// INTEGRATION HOOK. Sends the 196-byte record of a cast ballot to the
// platform and returns what the platform recorded: { trackerHex, recordedAt }.
// A platform's version, over the voter's authenticated session:
//
//   const res = await fetch('/api/ballots', { method: 'POST', credentials: 'same-origin',
//     headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': csrfToken },
//     body: record });
//   if (!res.ok)
//     throw new Error(await res.text());
//   const { tracker, recorded_at } = await res.json();
//   return { trackerHex: tracker, recordedAt: new Date(recorded_at) };
//
// The server, in one transaction (docs/ENCRYPTOR.md, "What the box checks"):
// checks the record as the box will (checkRecord: refuse anything not
// valid), refuses an A already in the urn, refuses a voter who already voted
// in this scrutin, stores the record and the émargement, and answers the
// tracker it computed itself from the bytes it received (H("sceau/tracker/v2";
// record)) and the time it recorded the ballot, by its own clock. It keeps,
// for the voter, only that: the tracker and the time, never the choice
// (which it never sees). The page compares the tracker with the one it
// showed (below): a platform that stored other bytes is caught at once.
//
// This example keeps the records in memory and shows them on the receipt.
const exampleUrn = [];
async function depositRecord(record) {
	const entry = { recordHex: bytesToHex(record), trackerHex: ballotTracker(record),
		recordedAt: new Date() };
	exampleUrn.push(entry);
	return { trackerHex: entry.trackerHex, recordedAt: entry.recordedAt };
}

// --- showing things ------------------------------------------------------------------

// The tracker as the voter reads and copies it: groups of four digits.
const groupTracker = (hex) => hex.match(/.{1,4}/g).join(' ');

const DATE_FORMAT = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric',
	month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
	timeZoneName: 'short' });

function showTime(el, date) {
	el.dateTime = date.toISOString();
	el.textContent = DATE_FORMAT.format(date);
}

// One step on the screen at a time; the keyboard focus goes to its title,
// so that a screen reader reads where the voter is.
function showStep(id) {
	for (const step of STEPS)
		$(step).hidden = step !== id;
	$(id).querySelector('h2').focus();
}

function showError(text) {
	$('erreur').textContent = text;
	$('erreur').hidden = !text;
}

// A file offered for download, made in the page (nothing is fetched).
function download(name, text, type) {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// --- step 1: the choice ---------------------------------------------------------------

const currentScrutin = () => Number($('scrutin').value);

// The choice as on the screen: { list: 0 (blank) or L, struck: [positions] },
// or null when nothing is chosen yet.
function currentChoice() {
	const checked = document.querySelector('input[name="liste"]:checked');
	if (!checked)
		return null;
	const list = Number(checked.value);
	const struck = [...document.querySelectorAll('#candidats-choix input:checked')]
		.map((box) => Number(box.value));
	return { list, struck: list === 0 ? [] : struck };
}

function choiceInWords(choice) {
	return describeChoice(election.layout(currentScrutin()), choice.list, choice.struck, 'fr');
}

function updateSummary() {
	const choice = currentChoice();
	$('resume').textContent = choice ? choiceInWords(choice) : 'aucun pour l\'instant';
}

// The radio buttons of the scrutin's lists, and "Vote blanc" last.
function showLists() {
	const layout = election.layout(currentScrutin());
	const box = $('listes-choix');
	box.replaceChildren();
	const option = (value, text) => {
		const id = `liste-${value}`;
		const div = document.createElement('div');
		div.className = 'option';
		const input = Object.assign(document.createElement('input'),
			{ type: 'radio', name: 'liste', id, value: String(value) });
		const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: text });
		input.addEventListener('change', showCandidates);
		div.append(input, label);
		box.append(div);
	};
	for (const list of layout.lists)
		option(list.number, `Liste ${list.number} : ${list.name}`);
	option(0, 'Vote blanc');
	showCandidates();
}

// The candidates of the chosen list, each with its box to strike it.
function showCandidates() {
	const choice = currentChoice();
	const field = $('candidats');
	const box = $('candidats-choix');
	box.replaceChildren();
	field.hidden = !choice || choice.list === 0;
	if (!field.hidden) {
		const list = election.layout(currentScrutin()).lists[choice.list - 1];
		$('candidats-legende').textContent = `Candidats de la liste ${list.number} : ${list.name}`;
		list.candidates.forEach((c, i) => {
			const id = `candidat-${i + 1}`;
			const div = document.createElement('div');
			div.className = 'option';
			const input = Object.assign(document.createElement('input'),
				{ type: 'checkbox', id, value: String(i + 1) });
			input.setAttribute('aria-describedby', 'candidats-aide');
			const label = Object.assign(document.createElement('label'), { htmlFor: id });
			const name = Object.assign(document.createElement('span'),
				{ className: 'nom', textContent: `${c.firstName} ${c.lastName}` });
			// "rayé" in words, not only a line through the name.
			const mark = Object.assign(document.createElement('span'),
				{ className: 'raye', textContent: ' (rayé)', hidden: true });
			input.addEventListener('change', () => {
				mark.hidden = !input.checked;
				updateSummary();
			});
			label.append(name, mark);
			div.append(input, label);
			box.append(div);
		});
	}
	updateSummary();
}

// --- step 2: encrypt, show the tracker, then ask -----------------------------------------

function encrypt() {
	const choice = currentChoice();
	if (!choice) {
		showError('Choisissez une liste, ou le vote blanc, avant de chiffrer.');
		$('listes-choix').querySelector('input').focus();
		return;
	}
	showError('');
	// A new ballot every time, with fresh randomness: never reuse one.
	ballot = election.encrypt(currentScrutin(), choice.list, choice.struck);
	$('bulletin-choix').textContent = choiceInWords(choice);
	$('bulletin-recu').textContent = groupTracker(ballot.trackerHex);
	showTime($('bulletin-heure'), new Date());
	showStep('etape-bulletin');
}

// "Modifier mon choix": the ballot on the screen is dropped, neither cast
// nor audited.
function backToChoice() {
	ballot = null;
	showError('');
	showStep('etape-choix');
}

// --- step 3a: cast -----------------------------------------------------------------------

async function cast() {
	const shown = ballot.trackerHex;
	const record = ballot.cast(); // the same bytes again if the deposit is retried
	$('deposer').disabled = true;
	try {
		const got = await depositRecord(record);
		if (got.trackerHex !== shown)
			throw new Error('la plateforme n\'a pas enregistré le bulletin affiché (reçu différent)');
		ballot = null;
		lastReceipt = { trackerHex: shown, recordedAt: got.recordedAt };
		$('recu-final').textContent = groupTracker(shown);
		showTime($('recu-heure'), got.recordedAt);
		$('depot-enregistrement').textContent = exampleUrn.at(-1)?.recordHex ?? '';
		showError('');
		showStep('etape-recu');
	} catch (e) {
		showError(`Le bulletin n'a pas pu être déposé : ${e.message}. Réessayez.`);
	} finally {
		$('deposer').disabled = false;
	}
}

function downloadReceipt() {
	const s = election.layout(currentScrutin());
	const text = [
		`Reçu de vote : ${election.title}`,
		`Scrutin : ${s.college}, ${s.body}`,
		`Reçu : ${groupTracker(lastReceipt.trackerHex)}`,
		`Enregistré dans l'urne le : ${DATE_FORMAT.format(lastReceipt.recordedAt)}`,
		'',
		'Ce reçu ne dit rien de votre vote. Après le dépouillement, vérifiez qu\'il figure',
		'dans l\'urne avec la page verifier-mon-bulletin.html de l\'archive scellée.',
		'',
	].join('\n');
	download(`recu-${lastReceipt.trackerHex.slice(0, 8)}.txt`, text, 'text/plain;charset=utf-8');
}

// --- step 3b: audit ----------------------------------------------------------------------

// Short French texts for the failures verifyAudit() reports (its `code`;
// docs/FORMATS.md "Audited ballot" lists them). The English `reason` it
// gives says more, for a technician.
const AUDIT_FAILURES = {
	'election-mismatch': 'le fichier est celui d\'une autre élection',
	'record-scrutin-unknown': 'le bulletin chiffré est abîmé',
	'record-point': 'le bulletin chiffré est abîmé',
	'record-scalar': 'le bulletin chiffré est abîmé',
	'record-proof': 'le bulletin chiffré est abîmé',
	'tracker-mismatch': 'le reçu n\'est pas celui de ce bulletin',
	'scrutin-unknown': 'le scrutin indiqué n\'existe pas',
	'scrutin-mismatch': 'le scrutin indiqué n\'est pas celui du bulletin',
	'r-range': 'le secret révélé n\'est pas celui de ce bulletin',
	'r-mismatch': 'le secret révélé n\'est pas celui de ce bulletin',
	'plaintext-length': 'le contenu révélé n\'a pas la bonne taille',
	'plaintext-nul': 'le contenu révélé serait compté nul',
	'plaintext-mismatch': 'le bulletin ne contient pas le choix révélé',
	'plaintext-encoding': 'le bulletin contient le choix révélé, mais codé autrement que prévu',
};

function audit() {
	const trackerHex = ballot.trackerHex;
	const text = ballot.audit(); // r and the plaintext, revealed: this ballot is never cast
	ballot = null;
	lastAudit = { text, trackerHex };
	const res = election.verifyAudit(text);
	const out = $('verif-resultat');
	out.replaceChildren();
	out.classList.toggle('echec', !res.ok);
	const strong = document.createElement('strong');
	if (res.ok) {
		strong.textContent = 'Bulletin conforme.';
		out.append(strong, ` Ce bulletin contenait : ${res.words.fr}.`);
	} else {
		strong.textContent = 'Bulletin NON conforme :';
		const why = [...new Set(res.failures.map((f) => AUDIT_FAILURES[f.code] ?? f.code))];
		out.append(strong, ` ${why.join(' ; ')}. Ne votez pas avec cette page et signalez-le.`);
	}
	$('verif-recu').textContent = groupTracker(trackerHex);
	$('verif-json').value = text;
	$('copie-etat').textContent = '';
	showStep('etape-verification');
}

const auditFileName = () => `bulletin-verifie-${lastAudit.trackerHex.slice(0, 8)}.json`;

async function copyAudit() {
	try {
		await navigator.clipboard.writeText(lastAudit.text);
		$('copie-etat').textContent = 'Copié.';
	} catch {
		// No clipboard access (permissions, older browser): select the text
		// for the voter to copy by hand.
		const details = $('verif-json').closest('details');
		details.open = true;
		$('verif-json').select();
		$('copie-etat').textContent = 'Le texte est sélectionné : copiez-le (Ctrl+C).';
	}
}

// --- start -------------------------------------------------------------------------------

async function fetchOk(url, asBytes) {
	const res = await fetch(url, { cache: 'no-store' });
	if (!res.ok)
		throw new Error(`${url} : ${res.status}`);
	return asBytes ? new Uint8Array(await res.arrayBuffer()) : res.text();
}

async function main() {
	try {
		// openElection checks that the definition is the record's election
		// (its SHA-256 is the record's election_id): a page never shows lists
		// that the key was not made for.
		election = openElection({ record: await fetchOk(RECORD_URL, false),
			definition: await fetchOk(DEFINITION_URL, true) });
	} catch (e) {
		$('election-titre').textContent = '';
		showError(`L'élection n'a pas pu être chargée (${e.message}).`);
		return;
	}
	$('election-titre').textContent = election.title;
	// A platform shows only the scrutins of the voter (their collège, one
	// ballot per scrutin); this example lets one choose.
	for (const id of election.scrutinIds) {
		const s = election.layout(id);
		$('scrutin').append(new Option(`Collège ${s.college}, ${s.body}`, String(id)));
	}
	$('scrutin').addEventListener('change', showLists);
	$('chiffrer').addEventListener('click', encrypt);
	$('deposer').addEventListener('click', cast);
	$('verifier').addEventListener('click', audit);
	$('modifier').addEventListener('click', backToChoice);
	$('modifier-apres-verif').addEventListener('click', backToChoice);
	$('rechiffrer').addEventListener('click', encrypt);
	$('telecharger-verif').addEventListener('click',
		() => download(auditFileName(), lastAudit.text, 'application/json'));
	$('copier-verif').addEventListener('click', copyAudit);
	$('telecharger-recu').addEventListener('click', downloadReceipt);
	showLists();
	$('etape-choix').hidden = false;
	document.documentElement.dataset.pret = 'oui'; // for the tests: the page is ready
}

main();
