/**
 * The cryptography of pairing and of the mutual challenge–response, on WebCrypto so that the
 * relay (Node ≥ 20) and the extension (service worker) run the very same code.
 *
 * Pairing code: 8 Crockford base-32 characters (40 bits), shown as `XXXX-XXXX`. It is never used
 * as a key directly: it is stretched with PBKDF2 (salt chosen by `hospiai-mcp pair`) so that the
 * relay's first proof, which any local process can obtain, does not allow an offline search of
 * the 2^40 codes within the code's 2-minute life.
 */
import { PROTOCOL_VERSION } from './protocol';

const subtle = globalThis.crypto.subtle;
/** Bytes for WebCrypto, named without DOM or Node types: this module builds on both sides. */
type Bytes = Uint8Array<ArrayBuffer>;
const encoder = new TextEncoder();

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_PBKDF2_ITERATIONS = 600_000;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** A fresh 32-byte nonce, base64url. */
export function randomNonce(): string {
  return toBase64Url(randomBytes(32));
}

/** Random lowercase alphanumeric identifier (pairing ids, relay ids, request ids). */
export function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  // 252 is the largest multiple of 36 below 256: rejection sampling keeps it uniform.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += alphabet[byte % 36];
    }
  }
  return out;
}

/** A new pairing code, `XXXX-XXXX` (40 bits of entropy). */
export function generatePairingCode(): string {
  let code = '';
  for (const byte of randomBytes(PAIRING_CODE_LENGTH)) code += CROCKFORD[byte & 31];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the patient typed → the canonical code, or null when it cannot be one.
 * Forgiving as Crockford intends: case, spaces, dashes, O→0, I/L→1.
 */
export function normalizePairingCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== PAIRING_CODE_LENGTH) return null;
  for (const char of cleaned) if (!CROCKFORD.includes(char)) return null;
  return cleaned;
}

/** PBKDF2-SHA256(code, salt) → 32 bytes. ~0.2–0.4 s by design. */
export async function stretchPairingCode(
  normalizedCode: string,
  salt: Uint8Array,
  iterations = PAIRING_PBKDF2_ITERATIONS,
): Promise<Uint8Array> {
  const base = await subtle.importKey('raw', encoder.encode(normalizedCode), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Bytes, iterations },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** K = HKDF-SHA256(stretched code, salt = nonceE|nonceR, "hospiai-pairing"). */
export async function derivePairingKey(
  stretchedCode: Uint8Array,
  extensionNonce: string,
  relayNonce: string,
): Promise<Uint8Array> {
  const ikm = await subtle.importKey('raw', stretchedCode as Bytes, 'HKDF', false, ['deriveBits']);
  const salt = new Uint8Array([...fromBase64Url(extensionNonce), ...fromBase64Url(relayNonce)]);
  const bits = await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: encoder.encode('hospiai-pairing') },
    ikm,
    256,
  );
  return new Uint8Array(bits);
}

export interface HandshakeContext {
  mode: 'pair' | 'auth' | 'probe' | 'confirm';
  /**
   * The bridge port: the relay's listening port on its side, the port dialled on the
   * extension's. Binding it stops a program on another port of the range from passing a whole
   * handshake through to the real relay and reading the token that follows.
   */
  port: number;
  /** The portal origin the relay serves, as its challenge states it. */
  portal: string;
  extensionNonce: string;
  relayNonce: string;
  /** auth, probe and confirm modes: the pairing the extension claims. */
  pairingId?: string;
  /** pair mode: who made the code, and the salt of the offer the proof is for. */
  codeMadeBy?: 'relay' | 'extension';
  salt?: string;
  /** pair mode with a code the extension made: the extension's late nonce (its proof only). */
  checkNonce?: string;
}

type Role = 'relay' | 'ext';

/**
 * Who speaks, which mode, the port, the portal and both nonces are bound: no proof is valid
 * elsewhere. The extension's proof also covers its check nonce.
 */
function transcript(role: Role, ctx: HandshakeContext): Uint8Array {
  const [first, second] =
    role === 'relay' ? [ctx.extensionNonce, ctx.relayNonce] : [ctx.relayNonce, ctx.extensionNonce];
  return encoder.encode(
    [
      'hospiai',
      `v${PROTOCOL_VERSION}`,
      ctx.mode,
      role,
      `port:${ctx.port}`,
      `portal:${ctx.portal}`,
      ctx.pairingId ?? '-',
      ctx.codeMadeBy ?? '-',
      ctx.salt ?? '-',
      first,
      second,
      role === 'ext' ? (ctx.checkNonce ?? '-') : '-',
    ].join('|'),
  );
}

/**
 * A pairing key: raw bytes (the relay, from its 0600 file) or a non-extractable HMAC CryptoKey
 * (the extension, from its IndexedDB: usable for proofs, never readable as bytes).
 */
export type PairingKey = Uint8Array | HmacKey;

/** WebCrypto's CryptoKey, named without the DOM's or Node's globals (this module is shared). */
type HmacKey = Awaited<ReturnType<typeof subtle.importKey>>;

/** K as a non-extractable HMAC-SHA256 key: the bytes cannot be read back out of it. */
export function importPairingKey(key: Uint8Array): Promise<HmacKey> {
  return subtle.importKey('raw', key as Bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

function hmacKey(key: PairingKey): Promise<HmacKey> {
  return key instanceof Uint8Array ? importPairingKey(key) : Promise.resolve(key);
}

export async function signProof(role: Role, key: PairingKey, ctx: HandshakeContext) {
  const signature = await subtle.sign('HMAC', await hmacKey(key), transcript(role, ctx) as Bytes);
  return toBase64Url(new Uint8Array(signature));
}

/** Constant-time check (WebCrypto's HMAC verify). */
export async function verifyProof(
  role: Role,
  key: PairingKey,
  ctx: HandshakeContext,
  proof: string,
): Promise<boolean> {
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(proof);
  } catch {
    return false;
  }
  return subtle.verify(
    'HMAC',
    await hmacKey(key),
    signature as Bytes,
    transcript(role, ctx) as Bytes,
  );
}

/** Digits of the check value the patient compares (1 in a million that two agree by chance). */
export const CHECK_VALUE_DIGITS = 6;

/**
 * The check value of a pairing made with a code the extension made: from the new key K, both
 * nonces and the extension's check nonce, so that neither the code (which the model may have
 * seen) nor a relay's choice of nonce decides it. Shown as `482 913`.
 */
export async function deriveCheckValue(
  key: PairingKey,
  ctx: { extensionNonce: string; relayNonce: string; checkNonce: string },
): Promise<string> {
  const message = encoder.encode(
    [
      'hospiai',
      `v${PROTOCOL_VERSION}`,
      'check',
      ctx.extensionNonce,
      ctx.relayNonce,
      ctx.checkNonce,
    ].join('|'),
  );
  const mac = new Uint8Array(await subtle.sign('HMAC', await hmacKey(key), message as Bytes));
  const number =
    ((mac[0] ?? 0) * 2 ** 24 + (mac[1] ?? 0) * 2 ** 16 + (mac[2] ?? 0) * 2 ** 8 + (mac[3] ?? 0)) %
    10 ** CHECK_VALUE_DIGITS;
  const digits = String(number).padStart(CHECK_VALUE_DIGITS, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
