/**
 * What this relay offers an extension that asks to pair, and the pairing that waits for the
 * patient's check. Three codes can be in play, each kept stretched (PBKDF2), never in clear:
 * - `hospiai-mcp pair`'s code, in the relay home (pairing-store.ts): every relay of the home
 *   offers it, to an extension whose patient typed a code;
 * - the code this relay showed the patient in the AI client's form (its own memory), offered to
 *   the same: the patient types it into the extension's window. The model never sees it;
 * - the code the patient told this relay (`connect_extension`, HOSPIAI_PAIRING_CODE): the
 *   extension made it, and it may have passed through the model, so it is never enough to pair.
 *   Once both sides proved it, the new key waits here (memory only) as a candidate, with the
 *   check value the patient compares, until the extension comes back in `confirm` mode because
 *   the patient confirmed in its window — or the candidate expires.
 * A tool call only ever replaces this relay's own codes; nothing an unauthenticated peer says
 * (a refusal) changes any of them.
 * (Over 250 lines: the three codes and the candidate obey one rule — what a tool call or an
 * unauthenticated peer may change — written once, here.)
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generatePairingCode, toBase64Url } from '../protocol/handshake-crypto';
import type { CodeMadeBy } from '../protocol/protocol';
import {
  addPairing,
  attemptPairing,
  hasPendingPairing,
  lookupPendingPairing,
  newPairingRecord,
  PAIRING_TRIES,
  stretchNewCode,
} from './pairing-store';

/** How long a code shown in the AI client's form can be typed into the extension's window. */
export const SHOWN_CODE_TTL_MS = 5 * 60_000;
/** How long a code the patient told the relay is offered (the extension looks every second). */
export const TOLD_CODE_TTL_MS = 2 * 60_000;
/** How long the patient has to compare the check values and confirm in the extension. */
export const CANDIDATE_TTL_MS = 5 * 60_000;
/**
 * How long a candidate must stand before a confirmation counts. The told code may have passed
 * through the model: a program that learnt it can pose as the extension, prove it and confirm
 * at once, with no patient. Meanwhile the code stays offered, and the patient's extension, which
 * knocks every second on each port that gave it no candidate, proves it too — and two programs
 * answering one code void it. A person reading six digits takes longer than this.
 */
export const CONFIRM_QUIET_MS = 5_000;

interface HeldCode {
  salt: string;
  stretched: Uint8Array;
  expiresAt: number;
  triesLeft: number;
  /** SHA-256 of the told code, to tell the same code told again from a new one (memory only). */
  digest?: string;
}

interface Candidate {
  pairingId: string;
  key: Uint8Array;
  origin: string;
  checkValue: string;
  /** When both proofs verified: a confirmation counts from `provedAt + confirmQuietMs` on. */
  provedAt: number;
  expiresAt: number;
  digest: string;
}

export interface OfferedCode {
  salt: string;
  stretched: Uint8Array;
}

export type PairAttempt =
  | { outcome: 'paired'; pairingId: string }
  | { outcome: 'awaiting'; pairingId: string; expiresAt: string }
  | { outcome: 'wrongProof'; triesLeft: number }
  | { outcome: 'noPendingCode' }
  | { outcome: 'locked' }
  /** A second program proved the told code while its candidate waited: the code is void. */
  | { outcome: 'answeredTwice' };

export interface PairAttemptInput {
  codeMadeBy: CodeMadeBy;
  /** The offer the extension's proof is for. */
  salt: string;
  /** The connection's extension origin, pinned into the pairing. */
  origin: string;
  verify(stretched: Uint8Array): Promise<boolean>;
  deriveKey(stretched: Uint8Array): Promise<Uint8Array>;
  /** A code the extension made: the check value of the new key, for the patient to compare. */
  checkValue?(key: Uint8Array): Promise<string>;
}

export type PairingEvent =
  | { type: 'awaiting'; checkValue: string; expiresAt: string }
  | { type: 'paired'; pairingId: string }
  /** A peer claiming to be the extension said the told code is not its own: a hint, no more. */
  | { type: 'refused' };

export interface PairingOffersOptions {
  home: string;
  /** PBKDF2 iterations; lowered only by tests (the extension must use the same). */
  iterations?: number;
  now?: () => number;
  /** CONFIRM_QUIET_MS; tests of other things shorten it. */
  confirmQuietMs?: number;
}

const digestOf = (code: string) => createHash('sha256').update(code).digest('hex');

export class PairingOffers {
  #shown: HeldCode | null = null;
  #told: HeldCode | null = null;
  #candidate: Candidate | null = null;
  /** When an extension was last offered the code this relay showed (it is pairing with it). */
  #shownOfferedAt = 0;
  readonly #listeners = new Set<(event: PairingEvent) => void>();
  readonly #now: () => number;
  readonly #confirmQuietMs: number;

  constructor(private readonly options: PairingOffersOptions) {
    this.#now = options.now ?? Date.now;
    this.#confirmQuietMs = options.confirmQuietMs ?? CONFIRM_QUIET_MS;
  }

  get home(): string {
    return this.options.home;
  }

  /** A new code for the patient to type into the extension's window; replaces our last one. */
  async showCode(): Promise<{ code: string; expiresAt: string }> {
    const code = generatePairingCode();
    this.#shown = await this.#hold(code, SHOWN_CODE_TTL_MS);
    return { code, expiresAt: new Date(this.#shown.expiresAt).toISOString() };
  }

  /**
   * The code the patient told this relay (normalised). The same code told again while its
   * candidate waits changes nothing; another code replaces our told code and its candidate.
   */
  async tellCode(code: string, ttlMs: number = TOLD_CODE_TTL_MS): Promise<void> {
    const digest = digestOf(code);
    if (this.candidate()?.digest === digest) return;
    // The code it replaces goes at once, not once this one is stretched: a refusal of that one
    // heard meanwhile would be taken for a refusal of this one.
    this.#candidate = null;
    this.#told = null;
    this.#told = { ...(await this.#hold(code, ttlMs)), digest };
  }

  /** Whether an extension was offered our shown code in the last `ms` (it may be pairing). */
  shownCodeOfferedWithin(ms: number): boolean {
    return this.#live('shown') !== null && this.#now() - this.#shownOfferedAt < ms;
  }

  /** The pairing waiting for the patient's check, if any (and not expired). */
  candidate(): Readonly<Candidate> | null {
    if (this.#candidate && this.#candidate.expiresAt <= this.#now()) this.#candidate = null;
    return this.#candidate;
  }

  /** The codes a pair-mode hello can be offered, for the kind of code the extension holds. */
  async offers(codeMadeBy: CodeMadeBy): Promise<OfferedCode[] | 'locked'> {
    if (codeMadeBy === 'extension') {
      const told = this.#live('told');
      return told ? [told] : [];
    }
    const offers: OfferedCode[] = [];
    const shown = this.#live('shown');
    if (shown) {
      offers.push(shown);
      this.#shownOfferedAt = this.#now();
    }
    const home = await lookupPendingPairing(this.options.home, this.#now());
    if (home.status === 'pending') offers.push({ salt: home.salt, stretched: home.stretched });
    if (offers.length === 0 && home.status === 'locked') return 'locked';
    return offers;
  }

  /**
   * Spends one try of the code `salt`, then checks the extension's proof. A code the relay made
   * pairs at once; a code the extension made becomes the candidate, and stays offered while it
   * waits: a second proof of it, or its tries running out, voids both. Each pairs at most once.
   */
  async attempt(input: PairAttemptInput): Promise<PairAttempt> {
    const slot = this.#told?.salt === input.salt ? 'told' : 'shown';
    const held = this.#live(slot);
    const ours =
      held?.salt === input.salt && (slot === 'told') === (input.codeMadeBy === 'extension');
    if (!ours) {
      if (input.codeMadeBy === 'extension') return { outcome: 'noPendingCode' };
      const attempt = await attemptPairing(this.options.home, input);
      if (attempt.outcome === 'paired') {
        this.#emit({ type: 'paired', pairingId: attempt.pairing.pairingId });
        return { outcome: 'paired', pairingId: attempt.pairing.pairingId };
      }
      return attempt;
    }
    if (!held) return { outcome: 'noPendingCode' };
    if (held.triesLeft <= 0) {
      this.#spent(slot);
      return { outcome: 'locked' };
    }
    held.triesLeft -= 1;
    if (!(await input.verify(held.stretched))) {
      if (held.triesLeft <= 0) this.#spent(slot);
      return { outcome: 'wrongProof', triesLeft: held.triesLeft };
    }
    if (slot === 'told' && this.candidate()) {
      // Whichever of the two is the patient's extension, neither may pair.
      this.#voidTold();
      return { outcome: 'answeredTwice' };
    }
    // Spent before the await below: no other attempt may use the shown code meanwhile. (A told
    // code stays offered while its candidate waits, so that a second proof of it is heard.)
    if (slot === 'shown') this.#drop(slot);
    const key = await input.deriveKey(held.stretched);
    if (slot === 'shown') {
      const pairing = newPairingRecord(key, input.origin);
      await addPairing(this.options.home, pairing);
      this.#emit({ type: 'paired', pairingId: pairing.pairingId });
      return { outcome: 'paired', pairingId: pairing.pairingId };
    }
    if (!input.checkValue) throw new Error('a told code needs a check value');
    const candidate: Candidate = {
      pairingId: newPairingRecord(key, input.origin).pairingId,
      key,
      origin: input.origin,
      checkValue: await input.checkValue(key),
      provedAt: this.#now(),
      expiresAt: this.#now() + CANDIDATE_TTL_MS,
      digest: held.digest ?? '',
    };
    this.#candidate = candidate;
    const expiresAt = new Date(candidate.expiresAt).toISOString();
    this.#emit({ type: 'awaiting', checkValue: candidate.checkValue, expiresAt });
    return { outcome: 'awaiting', pairingId: candidate.pairingId, expiresAt };
  }

  /** The candidate's key, for the `confirm` handshake of the origin that made it. */
  candidateKey(pairingId: string, origin: string): Uint8Array | null {
    const candidate = this.candidate();
    return candidate?.pairingId === pairingId && candidate.origin === origin ? candidate.key : null;
  }

  /**
   * The patient confirmed the check value in the extension: the candidate becomes a pairing —
   * once it has stood for the quiet time with no second program answering its code (a
   * confirmation sooner waits for it). False if it was voided, replaced or expired meanwhile.
   */
  async confirm(pairingId: string): Promise<boolean> {
    const candidate = this.candidate();
    if (candidate?.pairingId !== pairingId) return false;
    const early = candidate.provedAt + this.#confirmQuietMs - this.#now();
    if (early > 0) await sleep(early);
    if (this.candidate() !== candidate) return false;
    await addPairing(
      this.options.home,
      newPairingRecord(candidate.key, candidate.origin, candidate.pairingId),
    );
    this.#candidate = null;
    this.#drop('told');
    this.#emit({ type: 'paired', pairingId });
    return true;
  }

  /**
   * An unauthenticated peer refused the code(s) `salts` it was offered: passed on as a hint,
   * nothing changes — and only when that was the code told now, not one it replaced (still
   * offered while its candidate waited) whose refusal arrives late.
   */
  noteRefused(salts: readonly string[]): void {
    const told = this.#live('told');
    if (told && salts.includes(told.salt)) this.#emit({ type: 'refused' });
  }

  /**
   * Whether a pairing may be under way: a code offered or a candidate waiting (a Firefox install
   * that has not paired yet is let in only then).
   */
  async isOpen(): Promise<boolean> {
    return (
      this.#live('shown') !== null ||
      this.#live('told') !== null ||
      this.candidate() !== null ||
      (await hasPendingPairing(this.options.home, this.#now()))
    );
  }

  /** Hears what becomes of this relay's codes; returns the unsubscribe function. */
  onEvent(listener: (event: PairingEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #hold(code: string, ttlMs: number): Promise<HeldCode> {
    const { salt, stretched } = await stretchNewCode(code, this.options.iterations);
    return {
      salt: toBase64Url(salt),
      stretched,
      expiresAt: this.#now() + ttlMs,
      triesLeft: PAIRING_TRIES,
    };
  }

  #live(slot: 'shown' | 'told'): HeldCode | null {
    const held = slot === 'shown' ? this.#shown : this.#told;
    if (!held) return null;
    if (held.expiresAt > this.#now() && held.triesLeft > 0) return held;
    this.#drop(slot);
    return null;
  }

  /** A code's tries ran out: the told code's candidate, if one waits, goes with it. */
  #spent(slot: 'shown' | 'told'): void {
    if (slot === 'told' && this.candidate()) this.#voidTold();
    else this.#drop(slot);
  }

  /** Two programs proved the told code, or its tries ran out while one waited: nothing pairs. */
  #voidTold(): void {
    this.#candidate = null;
    this.#drop('told');
  }

  #drop(slot: 'shown' | 'told'): void {
    if (slot === 'shown') this.#shown = null;
    else this.#told = null;
  }

  #emit(event: PairingEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
