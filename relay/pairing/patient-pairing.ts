/**
 * Pairing with no terminal, as the patient meets it in their AI client. Two ways, by what the
 * client offers:
 * - a form (MCP elicitation; the model never sees it): the relay shows a code of its own there
 *   and the patient types it into the extension's window — the same direction and the same
 *   proof as `hospiai-mcp pair`, so the code pairs by itself;
 * - the chat, or the `.mcpb` install settings: the patient gives the relay the code the
 *   extension shows. That code may have passed through the model, so it pairs nothing by
 *   itself: once both sides proved it, each shows a check value derived from the new key, and
 *   the pairing is kept only when the patient confirms in the extension's window that they
 *   match (pairing-offers.ts). A program that learnt the code (from the model, say) and answers
 *   the extension gets its own, different value, and the extension refuses to pair at all when
 *   two programs answer one code.
 */
import type { PairingEvent, PairingOffers } from '../bridge/pairing-offers';
import { listPairings } from '../bridge/pairing-store';
import { normalizePairingCode } from '../protocol/handshake-crypto';

/** How long the relay waits for the extension to answer a code it was told. */
export const PAIRING_WAIT_MS = 30_000;

export type PatientPairingOutcome =
  /** Both proofs verified: the patient now compares `checkValue` and confirms in the extension. */
  | { outcome: 'check'; checkValue: string; expiresAt: string }
  /** Not a code at all (wrong length or letters): nothing was held. */
  | { outcome: 'invalid_code' }
  /**
   * A peer claiming to be the extension said the code is not its own. Only a hint: the code
   * stays offered until it expires, and no number comes from that peer.
   */
  | { outcome: 'not_recognised' }
  /** The extension did not come: browser closed, its code expired or was replaced. */
  | { outcome: 'no_answer' };

/** What tools and the pairing gate need: the home's pairing state and the two code paths. */
export interface PairingChannel {
  /** Whether an extension is paired with this relay's home (read fresh: another relay may pair). */
  isPaired(): Promise<boolean>;
  /** The code the extension shows, told by the patient: waits for the extension's proofs. */
  tellCode(typed: string, options?: { waitMs?: number }): Promise<PatientPairingOutcome>;
  /** A code of this relay's for the patient to type into the extension's window. */
  showCode(): Promise<{ code: string; expiresAt: string }>;
  /** Resolves true once this relay's home gains a pairing, false after `waitMs` or on abort. */
  waitForPairing(waitMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Whether an extension is pairing with the code shown (it asked for it in the last `ms`). */
  pairingUnderWay(ms: number): boolean;
  /** The pairing waiting for the patient to compare the check values, if any. */
  awaitingCheck(): { checkValue: string; expiresAt: string } | null;
}

export interface PatientPairingOptions {
  offers: PairingOffers;
  waitMs?: number;
  /** Called once the extension paired through this relay. */
  onPaired?: () => void;
}

export function createPatientPairing(options: PatientPairingOptions): PairingChannel {
  const { offers } = options;
  const waitMs = options.waitMs ?? PAIRING_WAIT_MS;
  offers.onEvent((event) => {
    if (event.type === 'paired') options.onPaired?.();
  });

  const awaitingCheck = () => {
    const candidate = offers.candidate();
    return candidate
      ? { checkValue: candidate.checkValue, expiresAt: new Date(candidate.expiresAt).toISOString() }
      : null;
  };

  return {
    isPaired: async () => (await listPairings(offers.home).catch(() => [])).length > 0,
    awaitingCheck,
    showCode: () => offers.showCode(),
    pairingUnderWay: (ms) => offers.shownCodeOfferedWithin(ms),
    async tellCode(typed, call = {}) {
      const code = normalizePairingCode(typed);
      if (!code) return { outcome: 'invalid_code' };
      const heard = nextEvent(offers, call.waitMs ?? waitMs, (event) => event.type !== 'paired');
      await offers.tellCode(code);
      // The same code told again while its pairing waits for the patient: its value, at once.
      const waiting = awaitingCheck();
      if (waiting) {
        heard.cancel();
        return { outcome: 'check', ...waiting };
      }
      const event = await heard.promise;
      if (event?.type === 'awaiting') {
        return { outcome: 'check', checkValue: event.checkValue, expiresAt: event.expiresAt };
      }
      return event?.type === 'refused' ? { outcome: 'not_recognised' } : { outcome: 'no_answer' };
    },
    waitForPairing: async (ms, signal) =>
      (await nextEvent(offers, ms, (event) => event.type === 'paired', signal).promise) !== null,
  };
}

/** The next event of `offers` that `wanted` accepts, or null after `ms` or an abort. */
function nextEvent(
  offers: PairingOffers,
  ms: number,
  wanted: (event: PairingEvent) => boolean,
  signal?: AbortSignal,
): { promise: Promise<PairingEvent | null>; cancel(): void } {
  let cancel = () => {};
  const promise = new Promise<PairingEvent | null>((resolve) => {
    const done = (event: PairingEvent | null) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(event);
    };
    const onAbort = () => done(null);
    const timer = setTimeout(() => done(null), ms);
    const unsubscribe = offers.onEvent((event) => {
      if (wanted(event)) done(event);
    });
    signal?.addEventListener('abort', onAbort);
    cancel = onAbort;
    if (signal?.aborted) onAbort();
  });
  return { promise, cancel };
}
