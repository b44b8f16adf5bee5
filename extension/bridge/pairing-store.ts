/**
 * The pairing secret shared with the relays of this user. It lives in the extension's
 * IndexedDB as a non-extractable key (pairing-key-store.ts), out of content scripts' reach; a
 * secret an older version left in `storage.local` is moved there and erased on first read.
 */

import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { fromBase64Url } from '../../relay/protocol/handshake-crypto';
import { IsoDateTime, PairingId } from '../../relay/protocol/protocol';
import type { Pairing } from '../../relay/protocol/relay-connection';
import { type PairingVerification, pairingKeyStore } from './pairing-key-store';

/** What versions before the key store kept in `storage.local` (K as base64url). */
const LegacyPairing = z
  .object({
    pairingId: PairingId,
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    pairedAt: IsoDateTime,
  })
  .strict();

export type { Pairing, PairingVerification };

/** What the popup shows of the pairing: when it was made and what the patient checked. */
export interface PairingInfo {
  pairedAt: string;
  verified: PairingVerification | null;
}

const LEGACY_KEY = 'local:pairing';

/** Moves a `storage.local` secret into the key store, then erases it, whatever it held. */
async function migrateLegacy(): Promise<void> {
  const raw: unknown = await storage.getItem(LEGACY_KEY);
  if (raw === null) return;
  const legacy = LegacyPairing.safeParse(raw);
  if (legacy.success && !(await pairingKeyStore.get())) {
    await pairingKeyStore.set(
      { pairingId: legacy.data.pairingId, key: fromBase64Url(legacy.data.key) },
      new Date(legacy.data.pairedAt),
    );
  }
  await storage.removeItem(LEGACY_KEY);
}

export const pairingStore = {
  async get(): Promise<Pairing | null> {
    await migrateLegacy();
    const stored = await pairingKeyStore.get();
    return stored ? { pairingId: stored.pairingId, key: stored.key } : null;
  },
  set(pairing: Pairing, verified?: PairingVerification, now: Date = new Date()): Promise<void> {
    return pairingKeyStore.set(pairing, now, verified);
  },
  async info(): Promise<PairingInfo | null> {
    const stored = await pairingKeyStore.get();
    return stored ? { pairedAt: stored.pairedAt, verified: stored.verified ?? null } : null;
  },
  async remove(): Promise<void> {
    await storage.removeItem(LEGACY_KEY);
    await pairingKeyStore.remove();
  },
};
