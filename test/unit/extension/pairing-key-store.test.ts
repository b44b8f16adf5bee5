/**
 * The pairing secret is kept as a non-extractable key in the extension's IndexedDB (here
 * fake-indexeddb, the same API): usable for proofs, never readable as bytes, never in
 * `storage.local` (which content scripts can read), and moved out of it by the upgrade.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { pairingKeyStore } from '../../../extension/bridge/pairing-key-store';
import { pairingStore } from '../../../extension/bridge/pairing-store';
import {
  type HandshakeContext,
  randomBytes,
  randomNonce,
  signProof,
  toBase64Url,
} from '../../../relay/protocol/handshake-crypto';

const ctx: HandshakeContext = {
  mode: 'auth',
  port: 47_610,
  portal: 'http://127.0.0.1:47600',
  extensionNonce: randomNonce(),
  relayNonce: randomNonce(),
  pairingId: 'abcdefgh12345678',
};

async function everythingInStorageLocal(): Promise<string> {
  return JSON.stringify(await fakeBrowser.storage.local.get(null));
}

describe('the pairing key store', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await pairingStore.remove();
  });

  it('keeps K as a non-extractable key that still makes the same proofs', async () => {
    const raw = randomBytes(32);
    await pairingStore.set({ pairingId: ctx.pairingId!, key: raw });
    const stored = await pairingStore.get();
    expect(stored?.pairingId).toBe(ctx.pairingId);
    const key = stored?.key as CryptoKey;
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    expect(await signProof('ext', key, ctx)).toBe(await signProof('ext', raw, ctx));
  });

  it('never writes K, or anything, to storage.local', async () => {
    const raw = randomBytes(32);
    await pairingStore.set({ pairingId: ctx.pairingId!, key: raw });
    expect(await everythingInStorageLocal()).not.toContain(toBase64Url(raw));
    expect(await fakeBrowser.storage.local.get('pairing')).toEqual({});
  });

  it('refuses to store an extractable key', async () => {
    const extractable = await crypto.subtle.importKey(
      'raw',
      randomBytes(32) as BufferSource,
      { name: 'HMAC', hash: 'SHA-256' },
      true,
      ['sign'],
    );
    await expect(
      pairingKeyStore.set({ pairingId: ctx.pairingId!, key: extractable }),
    ).rejects.toThrow(/non-extractable/);
  });

  it('moves a secret an older version left in storage.local, and erases it there', async () => {
    const raw = randomBytes(32);
    await fakeBrowser.storage.local.set({
      pairing: {
        pairingId: ctx.pairingId,
        key: toBase64Url(raw),
        pairedAt: '2025-03-01T10:00:00.000Z',
      },
    });
    const migrated = await pairingStore.get();
    if (!migrated) throw new Error('the legacy pairing was lost');
    expect(migrated.pairingId).toBe(ctx.pairingId);
    expect((migrated.key as CryptoKey).extractable).toBe(false);
    expect(await signProof('ext', migrated.key, ctx)).toBe(await signProof('ext', raw, ctx));
    expect(await everythingInStorageLocal()).not.toContain(toBase64Url(raw));
    expect((await pairingKeyStore.get())?.pairedAt).toBe('2025-03-01T10:00:00.000Z');
  });

  it('erases even an unreadable leftover in storage.local', async () => {
    await fakeBrowser.storage.local.set({ pairing: { key: 'x'.repeat(43), junk: true } });
    expect(await pairingStore.get()).toBeNull();
    expect(await fakeBrowser.storage.local.get('pairing')).toEqual({});
  });

  it('forgets the pairing everywhere', async () => {
    await pairingStore.set({ pairingId: ctx.pairingId!, key: randomBytes(32) });
    await pairingStore.remove();
    expect(await pairingStore.get()).toBeNull();
  });
});
