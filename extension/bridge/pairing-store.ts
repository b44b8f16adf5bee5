/**
 * The pairing secret shared with the relays of this user: `{pairingId, K}` in `storage.local`
 * (it must survive browser restarts; it is worthless without the relay's own copy).
 */
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../relay/protocol/handshake-crypto';
import { IsoDateTime, PairingId } from '../../relay/protocol/protocol';
import type { Pairing } from '../../relay/protocol/relay-connection';
import { storedValue } from '../storage/stored-value';

const StoredPairing = z
  .object({
    pairingId: PairingId,
    /** K, 32 bytes, base64url. */
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    pairedAt: IsoDateTime,
  })
  .strict();

export type { Pairing };

const pairingValue = storedValue('local:pairing', StoredPairing.nullable(), null);

export const pairingStore = {
  async get(): Promise<Pairing | null> {
    const stored = await pairingValue.get();
    return stored ? { pairingId: stored.pairingId, key: fromBase64Url(stored.key) } : null;
  },
  set(pairing: Pairing, now: Date = new Date()): Promise<void> {
    return pairingValue.set({
      pairingId: pairing.pairingId,
      key: toBase64Url(pairing.key),
      pairedAt: now.toISOString(),
    });
  },
  remove: () => pairingValue.remove(),
};
