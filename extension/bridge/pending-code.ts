/**
 * The rules of a pairing code made by the extension (pairing with no terminal): 40 bits shown
 * as `XXXX-XXXX`, a lifetime, and a few tries per port. A try is spent when the program on a port
 * presents a proof of a code (identified by the salt it was stretched with) that is not ours:
 * each such check is one online guess, so they are counted, and a port whose tries are spent is
 * not listened to again for this code. Counting per port keeps a squatter on one port from using
 * up the tries of the patient's relay on another, and the guesses stay bounded (5 per port of a
 * 10-port range: 50 against 2^40). A refused salt is never checked again — a relay the patient
 * gave a wrong code to keeps offering it, and a squatter replaying it guesses nothing — so a
 * typo costs exactly one try. Pure functions over a plain record, kept in `storage.session`
 * (memory, trusted contexts only).
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
    /** Tries left per port that presented a wrong code (absent: all of them). */
    tries: z.record(z.string().regex(/^\d{1,5}$/), z.number().int().min(0)),
    /** The port that last presented a wrong code: the one the patient is told about. */
    lastRefusedPort: z.number().int().nullable(),
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
    tries: {},
    lastRefusedPort: null,
    salts: {},
  };
}

export function triesLeftOn(pending: PendingCode, port: number): number {
  return pending.tries[String(port)] ?? EXTENSION_CODE_TRIES;
}

/** The tries the patient is told about: those of the port that last presented a wrong code. */
export function triesLeft(pending: PendingCode): number {
  return pending.lastRefusedPort === null
    ? EXTENSION_CODE_TRIES
    : triesLeftOn(pending, pending.lastRefusedPort);
}

/** `locked`: the relay last given a wrong code has spent its tries (a new code helps). */
export function pendingCodeStatus(
  pending: PendingCode,
  now: number = Date.now(),
): PendingCodeStatus {
  if (Date.parse(pending.expiresAt) <= now) return 'expired';
  if (triesLeft(pending) <= 0) return 'locked';
  return 'waiting';
}

/**
 * May the proof of the code stretched with `salt`, presented on `port`, be checked? Once per
 * salt, unless it already matched (a handshake cut after our check may be retried); never once
 * the code expired or that port's tries are spent.
 */
export function admitSalt(
  pending: PendingCode,
  salt: string,
  port: number,
  now: number = Date.now(),
): { admitted: boolean; next: PendingCode } {
  if (pendingCodeStatus(pending, now) === 'expired' || triesLeftOn(pending, port) <= 0) {
    return { admitted: false, next: pending };
  }
  const seen = pending.salts[salt];
  if (seen === 'matched') return { admitted: true, next: pending };
  if (seen !== undefined) return { admitted: false, next: pending };
  return { admitted: true, next: { ...pending, salts: { ...pending.salts, [salt]: 'checking' } } };
}

/** The proof for `salt`, presented on `port`, did not verify: one try of that port spent. */
export function refuseSalt(pending: PendingCode, salt: string, port: number): PendingCode {
  if (pending.salts[salt] === 'refused') return pending;
  return {
    ...pending,
    tries: { ...pending.tries, [String(port)]: Math.max(0, triesLeftOn(pending, port) - 1) },
    lastRefusedPort: port,
    salts: { ...pending.salts, [salt]: 'refused' },
  };
}

export function matchSalt(pending: PendingCode, salt: string): PendingCode {
  return { ...pending, salts: { ...pending.salts, [salt]: 'matched' } };
}
