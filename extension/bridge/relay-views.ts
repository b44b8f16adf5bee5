/**
 * What the patient sees of the relays: each port's state and AI client, and how a pairing
 * attempt ended — the popup's terms for what protocol/relay-connection.ts reports.
 */
import type { McpClientInfo, StatusFrame } from '../../relay/protocol/protocol';
import type { RelayCloseOutcome } from '../../relay/protocol/relay-connection';

export type RelaySlotState =
  | 'absent'
  | 'connecting'
  | 'connected'
  | 'untrusted'
  | 'not_paired'
  | 'version_mismatch'
  | 'auth_failed'
  /** Our relay, proven, but set up for another portal: it gets nothing. */
  | 'wrong_portal';

export interface RelayView {
  port: number;
  state: RelaySlotState;
  relayId: string | null;
  client: McpClientInfo | null;
  /** What the relay last said about the token it holds. */
  relayToken: StatusFrame['token']['state'] | null;
  /** How the relay says it is started (for the popup's "connect an AI assistant" view). */
  relaySource?: StatusFrame['relaySource'];
  /** `wrong_portal`: the portal the relay serves, as its proof stated it. */
  relayPortal?: string;
}

export type PairOutcome =
  | { ok: true; port: number }
  | {
      ok: false;
      reason:
        | 'invalid_code'
        | 'no_relay'
        | 'code_mismatch'
        /** The relay did not finish the exchange in time, or dropped it: not the code's fault. */
        | 'relay_timeout'
        | 'no_pending_code'
        | 'pairing_locked'
        | 'version_mismatch';
      /** The port the reason is about, when there is one. */
      port: number | null;
      /** A wrong typed code: how many more the patient may type for this relay code. */
      triesLeft?: number;
    };

export function pairFailureReason(
  outcome: RelayCloseOutcome,
): Exclude<PairOutcome, { ok: true }>['reason'] {
  switch (outcome) {
    case 'no_pending_code':
      return 'no_pending_code';
    case 'pairing_locked':
      return 'pairing_locked';
    case 'version_mismatch':
      return 'version_mismatch';
    case 'handshake_timeout':
    case 'closed':
      return 'relay_timeout';
    default:
      // The relay's proof did not verify with the typed code: a typo, or not our relay.
      return 'code_mismatch';
  }
}
