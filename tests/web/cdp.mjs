// A small driver of Debian's Chromium for the tests of tests/web: the
// browser runs headless and is driven through the Chrome DevTools Protocol
// over --remote-debugging-pipe (file descriptors 3 and 4, one JSON message
// per NUL-terminated chunk), so that no port is opened and nothing is
// downloaded: no puppeteer, no playwright, no browser but the system's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// As in tests/web/browser-test.mjs: headless, no sandbox (root), no GPU, and
// none of Chromium's background connections (the network is closed).
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--no-default-browser-check', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-extensions',
	'--disable-dev-shm-usage', '--hide-scrollbars', '--font-render-hinting=none'];

const TIMEOUT_MS = 30000;

export class Browser {
	#proc;
	#nextId = 1;
	#pending = new Map();
	#listeners = [];
	#buf = '';
	profile;
	log = [];

	// Starts Chromium on about:blank.
	static async launch() {
		const b = new Browser();
		b.profile = mkdtempSync(join(tmpdir(), 'sceau-chromium-'));
		b.#proc = spawn(CHROMIUM, [...CHROMIUM_FLAGS, '--remote-debugging-pipe',
			`--user-data-dir=${b.profile}`, 'about:blank'],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
		b.#proc.stderr.on('data', (d) => b.log.push(d.toString()));
		b.#proc.stdio[4].on('data', (d) => b.#receive(d));
		// A browser that died answers nothing: the pending commands fail
		// below, not on an unhandled EPIPE.
		b.#proc.stdio[3].on('error', (e) => b.log.push(`pipe: ${e.message}\n`));
		b.#proc.stdio[4].on('error', (e) => b.log.push(`pipe: ${e.message}\n`));
		b.#proc.once('exit', (code, sig) => {
			for (const { reject } of b.#pending.values())
				reject(new Error(`chromium exited (${code ?? sig}):\n${b.log.join('').slice(-2000)}`));
			b.#pending.clear();
		});
		await b.send('Browser.getVersion');
		return b;
	}

	#receive(chunk) {
		this.#buf += chunk.toString('utf8');
		let end;
		while ((end = this.#buf.indexOf('\0')) >= 0) {
			const msg = JSON.parse(this.#buf.slice(0, end));
			this.#buf = this.#buf.slice(end + 1);
			if (msg.id !== undefined && this.#pending.has(msg.id)) {
				const { resolve, reject, method } = this.#pending.get(msg.id);
				this.#pending.delete(msg.id);
				if (msg.error)
					reject(new Error(`${method}: ${msg.error.message}`));
				else
					resolve(msg.result);
			} else if (msg.method) {
				for (const fn of this.#listeners)
					fn(msg);
			}
		}
	}

	// One command; sessionId for a page's session (Target.attachToTarget).
	send(method, params = {}, sessionId) {
		const id = this.#nextId++;
		const msg = { id, method, params };
		if (sessionId)
			msg.sessionId = sessionId;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(id);
				reject(new Error(`${method}: no answer within ${TIMEOUT_MS / 1000} s`));
			}, TIMEOUT_MS);
			this.#pending.set(id, {
				method,
				resolve: (v) => { clearTimeout(timer); resolve(v); },
				reject: (e) => { clearTimeout(timer); reject(e); },
			});
			this.#proc.stdio[3].write(JSON.stringify(msg) + '\0');
		});
	}

	// Every event: fn({ method, params, sessionId }).
	onEvent(fn) {
		this.#listeners.push(fn);
	}

	// The first event `method` for which pred(params) holds, from now on.
	waitEvent(method, pred = () => true, ms = TIMEOUT_MS) {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no ${method} within ${ms / 1000} s`)), ms);
			const fn = (msg) => {
				if (msg.method === method && pred(msg.params)) {
					clearTimeout(timer);
					this.#listeners.splice(this.#listeners.indexOf(fn), 1);
					resolve(msg.params);
				}
			};
			this.#listeners.push(fn);
		});
	}

	// The page Chromium opened, attached: a Page.
	async firstPage() {
		const { targetInfos } = await this.send('Target.getTargets');
		const target = targetInfos.find((t) => t.type === 'page');
		const { sessionId } = await this.send('Target.attachToTarget',
			{ targetId: target.targetId, flatten: true });
		return new Page(this, sessionId);
	}

	// Ends the browser this test started: its process group (it was spawned
	// detached, so the group is its own), politely then by force; removes
	// its profile.
	async close() {
		const p = this.#proc;
		if (p && p.exitCode === null && p.signalCode === null) {
			const gone = new Promise((resolve) => p.once('exit', resolve));
			try { process.kill(-p.pid, 'SIGTERM'); } catch { /* already gone */ }
			const timer = setTimeout(() => { try { process.kill(-p.pid, 'SIGKILL'); } catch {} }, 5000);
			await gone;
			clearTimeout(timer);
			const alive = () => { try { process.kill(-p.pid, 0); return true; } catch { return false; } };
			for (let i = 0; i < 40 && alive(); i++)
				await new Promise((resolve) => setTimeout(resolve, 50));
			if (alive())
				try { process.kill(-p.pid, 'SIGKILL'); } catch {}
		}
		if (this.profile)
			rmSync(this.profile, { recursive: true, force: true });
	}
}

const KEYS = {
	Tab: { code: 'Tab', keyCode: 9 },
	Enter: { code: 'Enter', keyCode: 13, text: '\r' },
	' ': { code: 'Space', keyCode: 32, text: ' ' },
	ArrowDown: { code: 'ArrowDown', keyCode: 40 },
	ArrowUp: { code: 'ArrowUp', keyCode: 38 },
};

export class Page {
	constructor(browser, sessionId) {
		this.browser = browser;
		this.sessionId = sessionId;
	}

	send(method, params) {
		return this.browser.send(method, params, this.sessionId);
	}

	// The value of a JavaScript expression in the page (awaited).
	async eval(expression) {
		const r = await this.send('Runtime.evaluate', { expression, returnByValue: true,
			awaitPromise: true });
		if (r.exceptionDetails)
			throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
		return r.result.value;
	}

	// Polls until the expression is truthy.
	async until(expression, what = expression, ms = TIMEOUT_MS) {
		const t0 = Date.now();
		for (;;) {
			const v = await this.eval(expression);
			if (v)
				return v;
			if (Date.now() - t0 > ms)
				throw new Error(`waited ${ms / 1000} s for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	async goto(url) {
		const loaded = this.browser.waitEvent('Page.loadEventFired');
		await this.send('Page.navigate', { url });
		await loaded;
	}

	// A real mouse click at the middle of the element.
	async click(selector) {
		const box = await this.eval(`(() => {
			const el = document.querySelector(${JSON.stringify(selector)});
			if (!el) return null;
			el.scrollIntoView({ block: 'center' });
			const r = el.getBoundingClientRect();
			return { x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height };
		})()`);
		if (!box || !box.w || !box.h)
			throw new Error(`${selector}: not on the screen`);
		for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased'])
			await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left',
				clickCount: type === 'mouseMoved' ? 0 : 1 });
	}

	// A real key press (keyDown, then keyUp).
	async press(key, times = 1) {
		const k = KEYS[key];
		for (let i = 0; i < times; i++) {
			await this.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code: k.code,
				windowsVirtualKeyCode: k.keyCode, text: k.text });
			await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: k.code,
				windowsVirtualKeyCode: k.keyCode });
		}
	}

	// The id (or tag) of the focused element.
	focused() {
		return this.eval('document.activeElement?.id || document.activeElement?.tagName');
	}

	// A PNG of the whole page.
	async screenshot() {
		const { data } = await this.send('Page.captureScreenshot', { format: 'png',
			captureBeyondViewport: true });
		return Buffer.from(data, 'base64');
	}
}
