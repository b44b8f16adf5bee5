/**
 * The relay home's pairing state, shared by every relay of the same user:
 * - the pending code written by `hospiai-mcp pair`: only its PBKDF2 stretch and salt are stored,
 *   never the code, with an expiry and a try counter spent before each proof is checked (the
 *   codes a relay shows in the AI client's form, or is told, stay in that relay's memory:
 *   pairing-offers.ts — no tool call ever replaces this one);
 * - the pairings, `{pairingId, key, origin}` per paired extension, each key agreed during
 *   pairing, and the extension origin that paired pinned with it: Firefox gives each install its
 *   own `moz-extension://<uuid>`, and only that origin may use the pairing afterwards.
 * All changes happen under one lock file so that relays of the same home never lose an update.
 * (Over 250 lines: every read-modify-write of the home's pairing files is here, under its one
 * lock, so that none can bypass it.)
 */

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { withFileLock } from '../file-lock';
import { createSecretFile, readFileIfExists, writeSecretFile } from '../home';
import {
  fromBase64Url,
  generatePairingCode,
  normalizePairingCode,
  randomBytes,
  randomId,
  stretchPairingCode,
  toBase64Url,
} from '../protocol/handshake-crypto';
import { PairingId, parseFrame } from '../protocol/protocol';

/** How long a code printed by `hospiai-mcp pair` can be typed. */
export const PAIRING_CODE_TTL_MS = 2 * 60_000;
/** Wrong proofs allowed per code, across every relay of the home. */
export const PAIRING_TRIES = 5;

const PENDING_FILE = 'pending-pairing.json';
const PAIRINGS_FILE = 'pairings.json';
const LOCK_FILE = 'pairing.lock';

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');

const PendingPairingRecord = z
  .object({
    salt: Base64Url,
    stretched: Base64Url,
    expiresAt: z.iso.datetime(),
    triesLeft: z.number().int().min(0),
  })
  .strict();
type PendingPairingRecord = z.infer<typeof PendingPairingRecord>;

export const PairingRecord = z
  .object({
    pairingId: PairingId,
    key: Base64Url,
    createdAt: z.iso.datetime(),
    /** The extension origin that paired. Records written before it was kept serve Chrome only. */
    origin: z.string().max(200).optional(),
  })
  .strict();
export type PairingRecord = z.infer<typeof PairingRecord>;

const PairingsFile = z.object({ pairings: z.array(PairingRecord) }).strict();

export class CorruptPairingsError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is not a valid pairings file. Delete it, then run \`hospiai-mcp pair\` and ` +
        `type the new code in the HospiAI extension.`,
    );
    this.name = 'CorruptPairingsError';
  }
}

const filesOf = (home: string) => ({
  pending: path.join(home, PENDING_FILE),
  pairings: path.join(home, PAIRINGS_FILE),
  lock: path.join(home, LOCK_FILE),
});

const locked = <T>(home: string, fn: () => Promise<T>) => withFileLock(filesOf(home).lock, fn);

// ── pending code ─────────────────────────────────────────────────────────────

export interface CreatePendingOptions {
  ttlMs?: number;
  tries?: number;
  /** PBKDF2 iterations; lowered only by tests (the extension must use the same). */
  iterations?: number;
  now?: number;
}

export interface PendingPairingCreated {
  code: string;
  expiresAt: string;
  triesLeft: number;
  /** Which pending code this is (its stretch's salt), to follow what becomes of it. */
  salt: string;
}

/**
 * `hospiai-mcp pair`: replaces the home's pending code by a new one and returns it — the only
 * time the code exists.
 */
export async function createPendingPairing(
  home: string,
  options: CreatePendingOptions = {},
): Promise<PendingPairingCreated> {
  const code = generatePairingCode();
  const { salt, stretched } = await stretchNewCode(code, options.iterations);
  const record: PendingPairingRecord = {
    salt: toBase64Url(salt),
    stretched: toBase64Url(stretched),
    expiresAt: new Date(
      (options.now ?? Date.now()) + (options.ttlMs ?? PAIRING_CODE_TTL_MS),
    ).toISOString(),
    triesLeft: options.tries ?? PAIRING_TRIES,
  };
  await locked(home, () => writeSecretFile(filesOf(home).pending, JSON.stringify(record)));
  return { code, expiresAt: record.expiresAt, triesLeft: record.triesLeft, salt: record.salt };
}

/** A code stretched with a fresh salt: what is kept of it, never the code itself. */
export async function stretchNewCode(
  code: string,
  iterations?: number,
): Promise<{ salt: Uint8Array; stretched: Uint8Array }> {
  const normalized = normalizePairingCode(code);
  if (!normalized) throw new Error('the pairing code does not normalise');
  const salt = randomBytes(16);
  return { salt, stretched: await stretchPairingCode(normalized, salt, iterations) };
}

/** Deletes the pending code `salt`, if it is still the pending one. */
export function withdrawPendingPairing(home: string, salt: string): Promise<void> {
  return locked(home, async () => {
    const record = await readPending(home);
    if (record?.salt === salt) await rm(filesOf(home).pending, { force: true });
  });
}

export type PendingOutcome =
  | { status: 'waiting' }
  /** Paired, replaced by another code, expired or locked: the pending code `salt` is gone. */
  | { status: 'gone' };

/** What became of the pending code `salt`. */
export async function pendingPairingOutcome(
  home: string,
  salt: string,
  now: number = Date.now(),
): Promise<PendingOutcome> {
  const record = await readPending(home);
  if (!record || record.salt !== salt || isExpired(record, now)) return { status: 'gone' };
  return { status: 'waiting' };
}

async function readPending(home: string): Promise<PendingPairingRecord | null> {
  return parsePending(await readFileIfExists(filesOf(home).pending));
}

function parsePending(text: string | null): PendingPairingRecord | null {
  if (text === null) return null;
  const parsed = parseFrame(PendingPairingRecord, text);
  return parsed.ok ? parsed.frame : null;
}

const isExpired = (record: PendingPairingRecord, now: number) =>
  Date.parse(record.expiresAt) <= now;

/** Read-only: whether a usable code is waiting (the bridge's upgrade check; deletes nothing). */
export async function hasPendingPairing(home: string, now: number = Date.now()): Promise<boolean> {
  const record = await readPending(home);
  return record !== null && !isExpired(record, now) && record.triesLeft > 0;
}

export type PendingLookup =
  | { status: 'pending'; salt: string; stretched: Uint8Array }
  | { status: 'none' }
  | { status: 'locked' };

/**
 * What a pair-mode hello can use. An expired, unreadable or exhausted code is deleted here,
 * so that a locked-out code cannot be retried.
 */
export async function lookupPendingPairing(
  home: string,
  now: number = Date.now(),
): Promise<PendingLookup> {
  // One read, judged and (if unusable) deleted as read: reading twice let a code written in
  // between be taken for the unusable one and deleted — the patient's fresh code, lost.
  const text = await readFileIfExists(filesOf(home).pending);
  if (text === null) return { status: 'none' };
  const record = parsePending(text);
  if (record && !isExpired(record, now) && record.triesLeft > 0) {
    return { status: 'pending', salt: record.salt, stretched: fromBase64Url(record.stretched) };
  }
  await locked(home, async () => {
    // Another relay or `pair` may have replaced it meanwhile: delete only what we judged.
    if ((await readFileIfExists(filesOf(home).pending)) === text) {
      await rm(filesOf(home).pending, { force: true });
    }
  });
  return record && !isExpired(record, now) ? { status: 'locked' } : { status: 'none' };
}

export type PairingAttempt =
  | { outcome: 'paired'; pairing: PairingRecord }
  | { outcome: 'wrongProof'; triesLeft: number }
  | { outcome: 'noPendingCode' }
  | { outcome: 'locked' };

export interface PairingAttemptInput {
  /** The salt sent in this connection's challenge: the code it was issued for. */
  salt: string;
  /** The connection's extension origin, pinned into the new pairing. */
  origin: string;
  verify: (stretched: Uint8Array) => Promise<boolean>;
  deriveKey: (stretched: Uint8Array) => Promise<Uint8Array>;
  now?: number;
}

/**
 * Spends one try, then checks the proof; on success stores the new pairing and deletes the code.
 * The whole step runs under the lock, so relays of one home share the five tries and a code
 * pairs at most once.
 */
export function attemptPairing(home: string, input: PairingAttemptInput): Promise<PairingAttempt> {
  const files = filesOf(home);
  return locked(home, async (): Promise<PairingAttempt> => {
    const record = await readPending(home);
    if (!record || record.salt !== input.salt || isExpired(record, input.now ?? Date.now())) {
      return { outcome: 'noPendingCode' };
    }
    if (record.triesLeft <= 0) {
      await rm(files.pending, { force: true });
      return { outcome: 'locked' };
    }
    const triesLeft = record.triesLeft - 1;
    await writeSecretFile(files.pending, JSON.stringify({ ...record, triesLeft }));

    const stretched = fromBase64Url(record.stretched);
    if (!(await input.verify(stretched))) return { outcome: 'wrongProof', triesLeft };

    const pairing = newPairingRecord(await input.deriveKey(stretched), input.origin);
    await writePairings(home, [...(await readPairings(home)), pairing]);
    await rm(files.pending, { force: true });
    return { outcome: 'paired', pairing };
  });
}

/** A new pairing: its id, the key agreed in the handshake, the origin that paired. */
export function newPairingRecord(key: Uint8Array, origin: string, pairingId = randomId(16)) {
  return {
    pairingId,
    key: toBase64Url(key),
    createdAt: new Date().toISOString(),
    origin,
  } satisfies PairingRecord;
}

/** Keeps a pairing agreed outside the home's pending code (a code of one relay's own). */
export function addPairing(home: string, pairing: PairingRecord): Promise<void> {
  return locked(home, async () => {
    const pairings = await readPairings(home);
    if (pairings.some((p) => p.pairingId === pairing.pairingId)) return;
    await writePairings(home, [...pairings, pairing]);
  });
}

// ── pairings ─────────────────────────────────────────────────────────────────

async function readPairings(home: string): Promise<PairingRecord[]> {
  const file = filesOf(home).pairings;
  const text = await readFileIfExists(file);
  if (text === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptPairingsError(file);
  }
  const parsed = PairingsFile.safeParse(json);
  if (!parsed.success) throw new CorruptPairingsError(file);
  return parsed.data.pairings;
}

async function writePairings(home: string, pairings: PairingRecord[]): Promise<void> {
  const file = filesOf(home).pairings;
  const text = `${JSON.stringify({ pairings }, null, 2)}\n`;
  if ((await readFileIfExists(file)) === null) await createSecretFile(file, text);
  else await writeSecretFile(file, text);
}

/** Every pairing of this home (read fresh: another relay may have added one). */
export function listPairings(home: string): Promise<PairingRecord[]> {
  return readPairings(home);
}

/**
 * Whether a connection from `origin` may use this pairing: the very origin that paired. A record
 * from before origins were pinned serves Chrome's origin only (pinned by the manifest key and
 * checked exactly at the upgrade), never a Firefox one.
 */
export function pairingAcceptsOrigin(pairing: PairingRecord, origin: string): boolean {
  if (pairing.origin !== undefined) return pairing.origin === origin;
  return origin.startsWith('chrome-extension://');
}

/**
 * The key of a pairing made from this origin, read fresh from disk so that pairings made by
 * other relays count. Another origin presenting the pairingId gets nothing.
 */
export async function findPairingKey(
  home: string,
  pairingId: string,
  origin: string,
): Promise<Uint8Array | null> {
  const pairing = (await readPairings(home)).find((p) => p.pairingId === pairingId);
  return pairing && pairingAcceptsOrigin(pairing, origin) ? fromBase64Url(pairing.key) : null;
}

/** The `moz-extension://` origins pinned by this home's pairings (read fresh). */
export async function pinnedFirefoxOrigins(home: string): Promise<string[]> {
  return (await readPairings(home))
    .map((pairing) => pairing.origin)
    .filter((origin): origin is string => origin?.startsWith('moz-extension://') ?? false);
}

export function removePairing(home: string, pairingId: string): Promise<boolean> {
  return locked(home, async () => {
    const pairings = await readPairings(home);
    const kept = pairings.filter((p) => p.pairingId !== pairingId);
    if (kept.length === pairings.length) return false;
    await writePairings(home, kept);
    return true;
  });
}

/** Returns how many were removed. */
export function removeAllPairings(home: string): Promise<number> {
  return locked(home, async () => {
    const pairings = await readPairings(home);
    if (pairings.length > 0) await writePairings(home, []);
    return pairings.length;
  });
}
