/**
 * The rules of a pairing code made by the extension (pairing with no terminal): 40 bits shown
 * as `XXXX-XXXX`, a lifetime, a few tries per port — and a code that never pairs by itself.
 *
 * The patient gives the code to their assistant, so the model may see it: a program that learnt
 * it can prove it too. So a relay that proves it becomes a *candidate*, whose check value the
 * patient compares with what their assistant shows; only their yes in the extension's window
 * pairs (pending-pairing.ts). Two candidates for one code mean that two programs answered: the
 * code is void and nothing pairs.
 *
 * A try is spent when the program on a port presents a proof of a code (identified by the salt
 * it was stretched with) that is not ours: each such check is one online guess, so they are
 * counted per port, and a port whose tries are spent is not listened to again for this code —
 * while every other port still is: a squatter never locks the patient's code. A refused salt is
 * never checked again. Pure functions over a plain record, kept in `storage.session` (memory,
 * trusted contexts only).
 */
import { z } from 'zod';
import { generatePairingCode } from '../../relay/protocol/handshake-crypto';
import { IsoDateTime, PairingId } from '../../relay/protocol/protocol';

/**
 * Long enough to switch to the AI client, tell it the code and compare the check values. The
 * relay's proof of a told code — what an offline search would start from — is offered for 2
 * minutes only, from when the patient tells it (relay/bridge/pairing-offers.ts).
 */
export const EXTENSION_CODE_TTL_MS = 10 * 60_000;
export const EXTENSION_CODE_TRIES = 5;

const SaltState = z.enum(['checking', 'refused', 'matched']);

/** A relay that proved the code: what the patient compares (its key waits in the key store). */
export const PairingCandidate = z
  .object({
    port: z.number().int().min(1).max(65_535),
    pairingId: PairingId,
    checkValue: z.string().regex(/^\d{3} \d{3}$/),
    /** What the AI client calls itself (shown as its own word, never as an identity). */
    client: z.string().max(200).nullable(),
    expiresAt: IsoDateTime,
  })
  .strict();
export type PairingCandidate = z.infer<typeof PairingCandidate>;

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
    /** Relays that proved the code, in the order they did. */
    candidates: z.array(PairingCandidate).max(4),
    /**
     * The patient said the values differ, the confirmation failed, or a relay heard another
     * program prove the code too (`conflict`): the code is void.
     */
    ended: z.enum(['declined', 'confirm_failed', 'conflict']).nullable(),
  })
  .strict();
export type PendingCode = z.infer<typeof PendingCode>;

/**
 * `waiting`: no relay proved it yet; `check`: one did, the patient compares; `conflict`: two
 * did, nothing pairs; `declined`/`confirm_failed`: over, a new code is needed; `expired`.
 */
export type PendingCodeStatus =
  | 'waiting'
  | 'check'
  | 'conflict'
  | 'declined'
  | 'confirm_failed'
  | 'expired';

export function newPendingCode(now: number = Date.now()): PendingCode {
  return {
    code: generatePairingCode(),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + EXTENSION_CODE_TTL_MS).toISOString(),
    tries: {},
    lastRefusedPort: null,
    salts: {},
    candidates: [],
    ended: null,
  };
}

export function triesLeftOn(pending: PendingCode, port: number): number {
  return pending.tries[String(port)] ?? EXTENSION_CODE_TRIES;
}

export function pendingCodeStatus(
  pending: PendingCode,
  now: number = Date.now(),
): PendingCodeStatus {
  if (pending.ended) return pending.ended;
  if (pending.candidates.length > 1) return 'conflict';
  const [candidate] = pending.candidates;
  const expiry = candidate
    ? Math.min(Date.parse(candidate.expiresAt), Date.parse(pending.expiresAt))
    : Date.parse(pending.expiresAt);
  if (expiry <= now) return 'expired';
  return candidate ? 'check' : 'waiting';
}

/** Whether relays are still listened to: while waiting, and while one candidate is compared. */
export function isListening(pending: PendingCode, now: number = Date.now()): boolean {
  const status = pendingCodeStatus(pending, now);
  return status === 'waiting' || status === 'check';
}

/**
 * May the proof of the code stretched with `salt`, presented on `port`, be checked? Once per
 * salt, unless it already matched (a handshake cut after our check may be retried); never once
 * the code is over or that port's tries are spent.
 */
export function admitSalt(
  pending: PendingCode,
  salt: string,
  port: number,
  now: number = Date.now(),
): { admitted: boolean; next: PendingCode } {
  if (!isListening(pending, now) || triesLeftOn(pending, port) <= 0) {
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

/** A relay proved the code; a second one (any port, any pairing) makes it a conflict. */
export function addCandidate(pending: PendingCode, candidate: PairingCandidate): PendingCode {
  if (pending.candidates.some((known) => known.pairingId === candidate.pairingId)) return pending;
  return { ...pending, candidates: [...pending.candidates, candidate].slice(0, 4) };
}

export function endCode(
  pending: PendingCode,
  ended: 'declined' | 'confirm_failed' | 'conflict',
): PendingCode {
  return { ...pending, ended };
}
