// Independent known answers for tests/crypto, computed without mbedTLS:
// WebCrypto (crypto.subtle: ECDH P-256 deriveBits 256, HKDF-SHA256,
// AES-256-GCM), exactly as the voting platform seals a ballot; Node's
// OpenSSL-backed crypto for HMAC, SHA-256 and k*G; BigInt for the scalar
// arithmetic and for the points of the DLEQ proof (textbook affine formulas).
// The C tests paste its output. Run: node tests/crypto/gen-vectors.mjs
import crypto from 'node:crypto';

const subtle = crypto.webcrypto.subtle;
const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const a = p - 3n;
const G = [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
	0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n];

const mod = (x, m) => ((x % m) + m) % m;
const pow = (b, e, m) => { let r = 1n; b = mod(b, m); for (; e > 0n; e >>= 1n, b = b * b % m) if (e & 1n) r = r * b % m; return r; };
const inv = (x, m) => pow(x, m - 2n, m);
const hex = (x, len = 32) => x.toString(16).padStart(2 * len, '0');
const big = (buf) => BigInt('0x' + Buffer.from(buf).toString('hex'));
const buf = (x, len = 32) => Buffer.from(hex(x, len), 'hex');

function add(P, Q) {
	if (P === null) return Q;
	if (Q === null) return P;
	let l;
	if (P[0] === Q[0]) {
		if (mod(P[1] + Q[1], p) === 0n) return null;
		l = (3n * P[0] * P[0] + a) * inv(2n * P[1], p);
	} else {
		l = (Q[1] - P[1]) * inv(Q[0] - P[0], p);
	}
	l = mod(l, p);
	const x = mod(l * l - P[0] - Q[0], p);
	return [x, mod(l * (P[0] - x) - P[1], p)];
}
function mul(k, P) {
	let R = null;
	for (let i = 255; i >= 0; i--) {
		R = add(R, R);
		if ((k >> BigInt(i)) & 1n) R = add(R, P);
	}
	return R;
}
const enc = (P) => Buffer.concat([Buffer.from([4]), buf(P[0]), buf(P[1])]);
const dec = (b) => [big(b.subarray(1, 33)), big(b.subarray(33, 65))];
const u32 = (x) => { const b = Buffer.alloc(4); b.writeUInt32BE(x); return b; };
function tagged(tag, parts) {
	const h = crypto.createHash('sha256');
	h.update(u32(tag.length)); h.update(tag);
	for (const x of parts) { h.update(u32(x.length)); h.update(x); }
	return h.digest();
}
function nodeMulBase(k) { // OpenSSL's k*G, to cross-check the BigInt formulas
	const e = crypto.createECDH('prime256v1');
	e.setPrivateKey(buf(k));
	return e.getPublicKey();
}
const out = (name, b) => console.log(`${name.padEnd(10)} ${Buffer.from(b).toString('hex')}`);

// Fixed inputs (arbitrary constants, "nothing up the sleeve": SHA-256 of labels)
const sha = (s) => crypto.createHash('sha256').update(s).digest();
const s = mod(big(sha('sceau test secret')), n);
const r = mod(big(sha('sceau test ephemeral')), n);
const eid = sha('sceau test election');
const sid = 0x0102;
const pt = Buffer.concat([Buffer.from([1, 3, 0x05]), Buffer.alloc(29)]); // 32 bytes
const PK = nodeMulBase(s), R = nodeMulBase(r);
if (!enc(mul(s, G)).equals(PK) || !enc(mul(r, G)).equals(R)) throw new Error('k*G mismatch');

// Ballot, sealed with WebCrypto as the platform does.
const jwk = (k, P) => ({ kty: 'EC', crv: 'P-256', d: buf(k).toString('base64url'),
	x: P.subarray(1, 33).toString('base64url'), y: P.subarray(33).toString('base64url') });
const rKey = await subtle.importKey('jwk', jwk(r, R), { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
const pkKey = await subtle.importKey('raw', PK, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
const z = Buffer.from(await subtle.deriveBits({ name: 'ECDH', public: pkKey }, rKey, 256));
const domain = Buffer.from('sceau/ballot/v1');
const sidb = Buffer.from([sid >> 8, sid & 0xff]);
const hk = await subtle.importKey('raw', z, 'HKDF', false, ['deriveBits']);
const okm = Buffer.from(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: eid,
	info: Buffer.concat([domain, sidb, R]) }, hk, 44 * 8));
const aesKey = await subtle.importKey('raw', okm.subarray(0, 32), 'AES-GCM', false, ['encrypt']);
const ct = Buffer.from(await subtle.encrypt({ name: 'AES-GCM', iv: okm.subarray(32, 44),
	additionalData: Buffer.concat([domain, eid, sidb]), tagLength: 128 }, aesKey, pt));
const S = enc(mul(s, dec(R)));
if (!S.subarray(1, 33).equals(z)) throw new Error('x(sR) != x(rPK)');

console.log('# ballot (WebCrypto)');
out('secret', buf(s)); out('pk', PK); out('eid', eid); out('sid', sidb);
out('pt', pt); out('R', R); out('S', S); out('ct', ct);

// DLEQ proof (dleq.h), bind = an arbitrary tracker.
const bind = sha('sceau test tracker');
let k, ctr = 0;
for (;; ctr++) {
	k = big(crypto.createHmac('sha256', buf(s)).update(Buffer.concat([
		Buffer.from('sceau/dleq-nonce/v1'), bind, Buffer.from([ctr])])).digest());
	if (k > 0n && k < n) break;
}
const A1 = enc(mul(k, G)), A2 = enc(mul(k, dec(R)));
if (!A1.equals(nodeMulBase(k))) throw new Error('A1 mismatch');
const c = mod(big(tagged(Buffer.from('sceau/dleq/v1'), [PK, R, S, A1, A2])), n);
const zz = mod(k + c * s, n);
console.log('# dleq');
out('bind', bind); out('proof', Buffer.concat([buf(c), buf(zz)]));

// Scalar arithmetic mod n.
const x = mod(big(sha('sceau test x')), n), y = mod(big(sha('sceau test y')), n);
console.log('# scalars');
out('x', buf(x)); out('y', buf(y));
out('x+y', buf(mod(x + y, n))); out('x-y', buf(mod(x - y, n))); out('y-x', buf(mod(y - x, n)));
out('x*y', buf(mod(x * y, n))); out('1/x', buf(inv(x, n)));
const wide = Buffer.concat([sha('w1'), sha('w2')]);
out('wide', wide); out('wide%n', buf(mod(big(wide), n)));
out('(n-1)+2', buf(mod(n - 1n + 2n, n)));

// Shamir 2-of-3 and 3-of-5 with fixed coefficients.
const a1 = mod(big(sha('sceau test a1')), n), a2 = mod(big(sha('sceau test a2')), n);
console.log('# shamir (f(x) = s + a1 x [+ a2 x^2])');
out('a1', buf(a1)); out('a2', buf(a2));
for (let i = 1n; i <= 3n; i++) out(`f2(${i})`, buf(mod(s + a1 * i, n)));
for (let i = 1n; i <= 5n; i++) out(`f3(${i})`, buf(mod(s + a1 * i + a2 * i * i, n)));

// hash_tagged of ("sceau/test", "ab", "c").
console.log('# hash_tagged');
out('tagged', tagged(Buffer.from('sceau/test'), [Buffer.from('ab'), Buffer.from('c')]));
