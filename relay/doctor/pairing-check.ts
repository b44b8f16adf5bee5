/** Link 3, pairing: an extension is paired with this home; its key lets link 4 probe relays. */
import { listPairings } from '../bridge/pairing-store';
import { fromBase64Url } from '../protocol/handshake-crypto';
import type { Pairing } from '../protocol/relay-connection';
import type { Finding } from './checks';
import type { Tell } from './doctor-text';

export interface PairingResult {
  findings: Finding[];
  /** The first pairing, to probe the bridge ports with; null when there is none. */
  pairing: Pairing | null;
}

export async function checkPairing(home: string, tell: Tell): Promise<PairingResult> {
  const check = tell.check('pairing');
  try {
    const pairings = await listPairings(home);
    const first = pairings[0];
    if (!first) {
      return {
        pairing: null,
        findings: [{ check, status: 'broken', detail: tell('pairingNone'), fix: tell('pairFix') }],
      };
    }
    return {
      pairing: { pairingId: first.pairingId, key: fromBase64Url(first.key) },
      findings: [{ check, status: 'ok', detail: tell('pairingOk', { count: pairings.length }) }],
    };
  } catch (error) {
    const detail = (error as Error).message;
    return {
      pairing: null,
      findings: [{ check, status: 'broken', detail, fix: tell('pairingUnreadableFix') }],
    };
  }
}
