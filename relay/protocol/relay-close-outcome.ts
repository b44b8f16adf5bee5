/** How a connection to a relay ended, from the relay's close code, in terms the popup explains. */
import { CloseCode } from './protocol';

/** How a connection ended, in terms the popup can explain. */
export type RelayCloseOutcome =
  /** Nothing answered on the port, or the upgrade was refused: no relay there. */
  | 'absent'
  /** The program on the port could not prove it knows our secret (or the typed code). */
  | 'untrusted'
  /** The relay does not know our pairing (another relay home): pair again. */
  | 'not_paired'
  /** The relay refused our proof. */
  | 'auth_failed'
  /** Pair mode with a code we made: the relay was given another code (or is not a relay). */
  | 'code_mismatch'
  | 'version_mismatch'
  | 'no_pending_code'
  | 'pairing_locked'
  | 'handshake_timeout'
  | 'protocol_error'
  /** The relay replaced this connection with a newer one of ours. */
  | 'replaced'
  /** Pair mode with a code we made: both proved it; the patient now compares the check values. */
  | 'awaiting_confirmation'
  /** Pair mode with a code we made: another program proved it to that relay too; it is void. */
  | 'code_answered_twice'
  /** An established session ended (relay exited, network, or we closed it). */
  | 'closed';

const CLOSE_OUTCOMES: Partial<Record<number, RelayCloseOutcome>> = {
  [CloseCode.authFailed]: 'auth_failed',
  [CloseCode.notPaired]: 'not_paired',
  [CloseCode.codeMismatch]: 'code_mismatch',
  [CloseCode.versionMismatch]: 'version_mismatch',
  [CloseCode.noPendingCode]: 'no_pending_code',
  [CloseCode.pairingLocked]: 'pairing_locked',
  [CloseCode.handshakeTimeout]: 'handshake_timeout',
  [CloseCode.protocolError]: 'protocol_error',
  [CloseCode.replaced]: 'replaced',
  [CloseCode.codeAnsweredTwice]: 'code_answered_twice',
};

/** The outcome of a close the relay (or the network) made. */
export function closeOutcomeOf(
  code: number,
  connection: { opened: boolean; ready: boolean },
): RelayCloseOutcome {
  const known = CLOSE_OUTCOMES[code];
  if (!connection.opened) return 'absent';
  if (known === 'replaced') return 'replaced';
  if (connection.ready) return 'closed';
  return known ?? 'closed';
}
