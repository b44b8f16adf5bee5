/**
 * Pairing with no terminal: the extension makes and shows the code, the patient gives it to the
 * relay through their AI client (its elicitation form, the bundle's settings, or the
 * `connect_extension` tool), and the extension — which watches the port range while its code
 * is pending — finishes the usual pair handshake. The relay still proves itself first: the code
 * is written to the home stretched, exactly as `hospiai-mcp pair` writes its own, and the
 * extension checks the relay's proof against the code it made. The handshake is the proof that
 * the code is this extension's: no other code ever pairs.
 */
import {
  createPendingPairing,
  listPairings,
  pendingPairingOutcome,
  withdrawPendingPairing,
} from '../bridge/pairing-store';
import { normalizePairingCode } from '../protocol/handshake-crypto';

/** How long the relay waits for the extension to finish pairing with a code it was given. */
export const PAIRING_WAIT_MS = 30_000;
const POLL_MS = 150;

export type PatientPairingOutcome =
  | { outcome: 'paired'; pairingId: string }
  /** Not a code at all (wrong length or letters): nothing was written. */
  | { outcome: 'invalid_code' }
  /** The extension's code differs; `triesLeft` before the extension voids its code. */
  | { outcome: 'code_mismatch'; triesLeft: number }
  /** The extension did not come: browser closed, its code expired or was replaced. */
  | { outcome: 'no_answer' }
  /** Another code was given meanwhile (another AI client, `hospiai-mcp pair`). */
  | { outcome: 'superseded' };

/** What tools and the elicitation gate need: the home's pairing state and the code path. */
export interface PairingChannel {
  /** Whether an extension is paired with this relay's home (read fresh: another relay may pair). */
  isPaired(): Promise<boolean>;
  /** Hands the patient's code to the relays of this home and waits for the extension. */
  pairWithCode(typed: string, options?: { waitMs?: number }): Promise<PatientPairingOutcome>;
}

export interface PatientPairingOptions {
  home: string;
  waitMs?: number;
  /** PBKDF2 iterations; lowered only by tests (the extension must use the same). */
  iterations?: number;
  /** Called once the extension paired through this relay's code. */
  onPaired?: () => void;
}

export function createPatientPairing(options: PatientPairingOptions): PairingChannel {
  const waitMs = options.waitMs ?? PAIRING_WAIT_MS;
  return {
    isPaired: async () => (await listPairings(options.home).catch(() => [])).length > 0,
    async pairWithCode(typed, call = {}) {
      const code = normalizePairingCode(typed);
      if (!code) return { outcome: 'invalid_code' };
      const before = new Set((await listPairings(options.home)).map((p) => p.pairingId));
      const { salt } = await createPendingPairing(options.home, {
        code,
        iterations: options.iterations,
      });
      const outcome = await waitForExtension(options.home, salt, before, call.waitMs ?? waitMs);
      if (outcome.outcome === 'paired') options.onPaired?.();
      return outcome;
    },
  };
}

async function waitForExtension(
  home: string,
  salt: string,
  before: Set<string>,
  waitMs: number,
): Promise<PatientPairingOutcome> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pending = await pendingPairingOutcome(home, salt);
    if (pending.status === 'refused') {
      return { outcome: 'code_mismatch', triesLeft: pending.triesLeft };
    }
    if (pending.status === 'gone') {
      const added = (await listPairings(home)).find((p) => !before.has(p.pairingId));
      return added ? { outcome: 'paired', pairingId: added.pairingId } : { outcome: 'superseded' };
    }
    if (Date.now() >= deadline) {
      // No one came for it: void it, so no relay keeps offering a proof of it.
      await withdrawPendingPairing(home, salt).catch(() => {});
      return { outcome: 'no_answer' };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
