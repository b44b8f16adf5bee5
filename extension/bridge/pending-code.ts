/**
 * The rules of a pairing code made by the extension (pairing with no terminal): 40 bits shown
 * as `XXXX-XXXX`, a lifetime, and a few tries. A try is spent when a program on the port range
 * presents a proof of a code (identified by the salt it was stretched with) that is not ours:
 * each such check is one online guess, so they are counted, and a code whose tries are spent is
 * void. A refused salt is never checked again — a relay the patient gave a wrong code to keeps
 * offering it, and a squatter replaying it guesses nothing — so a typo costs exactly one try.
 * Pure functions over a plain record, kept in `storage.session` (memory, trusted contexts only).
 */
import { z } from 'zod';
import { generatePairingCode } from '../../relay/protocol/handshake-crypto';
import { IsoDateTime } from '../../relay/protocol/protocol';

/**
 * Long enough to switch to the AI client, paste the code and maybe restart it. The relay's proof
 * of a typed code — what an offline search would start from — is offered for 2 minutes only,
 * from when the patient types it (relay/bridge/pairing-store.ts).
 */
export const EXTENSION_CODE_TTL_MS = 10 * 60_000;
export const EXTENSION_CODE_TRIES = 5;

const SaltState = z.enum(['checking', 'refused', 'matched']);

export const PendingCode = z
  .object({
    code: z.string().regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/),
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime,
    triesLeft: z.number().int().min(0),
    /** Salts of codes presented by relays, and what we made of them. */
    salts: z.record(z.string().max(64), SaltState),
  })
  .strict();
export type PendingCode = z.infer<typeof PendingCode>;

export type PendingCodeStatus = 'waiting' | 'expired' | 'locked';

export function newPendingCode(now: number = Date.now()): PendingCode {
  return {
    code: generatePairingCode(),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + EXTENSION_CODE_TTL_MS).toISOString(),
    triesLeft: EXTENSION_CODE_TRIES,
    salts: {},
  };
}

export function pendingCodeStatus(
  pending: PendingCode,
  now: number = Date.now(),
): PendingCodeStatus {
  if (pending.triesLeft <= 0) return 'locked';
  if (Date.parse(pending.expiresAt) <= now) return 'expired';
  return 'waiting';
}

/**
 * May the proof of the code stretched with `salt` be checked? Once per salt, unless it already
 * matched (a handshake cut after our check may be retried); never when the code is void.
 */
export function admitSalt(
  pending: PendingCode,
  salt: string,
  now: number = Date.now(),
): { admitted: boolean; next: PendingCode } {
  if (pendingCodeStatus(pending, now) !== 'waiting') return { admitted: false, next: pending };
  const seen = pending.salts[salt];
  if (seen === 'matched') return { admitted: true, next: pending };
  if (seen !== undefined) return { admitted: false, next: pending };
  return { admitted: true, next: { ...pending, salts: { ...pending.salts, [salt]: 'checking' } } };
}

/** The proof for `salt` did not verify: one try spent. */
export function refuseSalt(pending: PendingCode, salt: string): PendingCode {
  if (pending.salts[salt] === 'refused') return pending;
  return {
    ...pending,
    triesLeft: Math.max(0, pending.triesLeft - 1),
    salts: { ...pending.salts, [salt]: 'refused' },
  };
}

export function matchSalt(pending: PendingCode, salt: string): PendingCode {
  return { ...pending, salts: { ...pending.salts, [salt]: 'matched' } };
}
