/**
 * Pairing with no terminal: the extension makes the code, the patient gives it to the relay (its
 * AI client's form, the bundle's settings or the connect_extension tool), and the extension,
 * watching the port range, finishes the pair handshake with the relay that proves it knows it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { Pairing } from '../../../extension/bridge/pairing-store';
import {
  admitSalt,
  EXTENSION_CODE_TRIES,
  EXTENSION_CODE_TTL_MS,
  matchSalt,
  newPendingCode,
  type PendingCode,
  pendingCodeStatus,
  refuseSalt,
  triesLeft,
  triesLeftOn,
} from '../../../extension/bridge/pending-code';
import { PendingPairing } from '../../../extension/bridge/pending-pairing';
import { listPairings, lookupPendingPairing } from '../../../relay/bridge/pairing-store';
import { createPatientPairing } from '../../../relay/pairing/patient-pairing';
import {
  fromBase64Url,
  normalizePairingCode,
  signProof,
  verifyProof,
} from '../../../relay/protocol/handshake-crypto';
import { EXTENSION_ORIGIN, startFakeRelay } from '../../support/bridge-test-client';
import { FAST_ITERATIONS, sleep, startTestBridge, wrongCode } from './bridge-fixture';

describe('a code made by the extension (rules)', () => {
  const t0 = Date.parse('2026-11-30T10:00:00Z');
  const PORT = 47_610;

  it('is 40 bits in two readable groups, lasts 10 minutes and allows 5 tries', () => {
    const pending = newPendingCode(t0);
    expect(pending.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizePairingCode(pending.code)).toBe(pending.code.replace('-', ''));
    expect(Date.parse(pending.expiresAt) - t0).toBe(EXTENSION_CODE_TTL_MS);
    expect(triesLeft(pending)).toBe(EXTENSION_CODE_TRIES);
    expect(pendingCodeStatus(pending, t0)).toBe('waiting');
    expect(pendingCodeStatus(pending, t0 + EXTENSION_CODE_TTL_MS)).toBe('expired');
    expect(newPendingCode(t0).code).not.toBe(pending.code);
  });

  it('checks each code a relay presents once: a refused one costs one try and is never checked again', () => {
    let pending: PendingCode = newPendingCode(t0);
    const first = admitSalt(pending, 'salt-a', PORT, t0);
    expect(first.admitted).toBe(true);
    pending = refuseSalt(first.next, 'salt-a', PORT);
    expect(triesLeft(pending)).toBe(EXTENSION_CODE_TRIES - 1);
    // The same relay offering the same wrong code again: not checked, no try spent.
    expect(admitSalt(pending, 'salt-a', PORT, t0).admitted).toBe(false);
    expect(triesLeft(refuseSalt(pending, 'salt-a', PORT))).toBe(EXTENSION_CODE_TRIES - 1);
    // Two connections presenting one code at once: only the first is checked.
    const b = admitSalt(pending, 'salt-b', PORT, t0);
    expect(admitSalt(b.next, 'salt-b', PORT + 1, t0).admitted).toBe(false);
    // A code that matched may be checked again (a handshake cut after our check).
    const matched = matchSalt(b.next, 'salt-b');
    expect(admitSalt(matched, 'salt-b', PORT, t0).admitted).toBe(true);
  });

  it('stops listening to a port once its tries are spent, but not to the other ports', () => {
    let pending: PendingCode = newPendingCode(t0);
    for (let i = 0; i < EXTENSION_CODE_TRIES; i++) {
      const { next } = admitSalt(pending, `salt-${i}`, PORT, t0);
      pending = refuseSalt(next, `salt-${i}`, PORT);
    }
    expect(triesLeftOn(pending, PORT)).toBe(0);
    expect(pendingCodeStatus(pending, t0)).toBe('locked');
    expect(admitSalt(pending, 'salt-new', PORT, t0).admitted).toBe(false);
    // A squatter on one port does not use up the tries of the patient's relay on another.
    expect(triesLeftOn(pending, PORT + 1)).toBe(EXTENSION_CODE_TRIES);
    expect(admitSalt(pending, 'salt-other', PORT + 1, t0).admitted).toBe(true);
    const fresh = newPendingCode(t0);
    expect(admitSalt(fresh, 'salt-late', PORT, t0 + EXTENSION_CODE_TTL_MS).admitted).toBe(false);
  });
});

function memoryStore() {
  let value: PendingCode | null = null;
  return {
    get: async () => value,
    set: async (next: PendingCode) => {
      value = next;
    },
    remove: async () => {
      value = null;
    },
    peek: () => value,
  };
}

function startWatcher(ports: number[]) {
  const store = memoryStore();
  const paired: Array<{ pairing: Pairing; port: number }> = [];
  const watcher = new PendingPairing({
    ports,
    createSocket: (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
    store,
    onPaired: async (pairing, port) => {
      paired.push({ pairing, port });
    },
    onChange: () => {},
    intervalMs: 100,
    stretchIterations: FAST_ITERATIONS,
  });
  onTestFinished(() => watcher.stopWatching());
  return { watcher, store, paired };
}

/**
 * The relay's side may finish first: the extension records its pairing once it has read the
 * relay's last frame, which a loaded machine may deliver a moment after pairWithCode returned.
 */
async function untilPaired(paired: unknown[]) {
  for (let i = 0; i < 500 && paired.length === 0; i++) await sleep(20);
}

describe('pairing with a code the extension shows', () => {
  it('pairs as soon as the patient gives the code to the relay; the code is spent on both sides', async () => {
    const { bridge, home } = await startTestBridge();
    const { watcher, store, paired } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 10_000 });
    expect(await relay.isPaired()).toBe(false);

    const result = await relay.pairWithCode(code.toLowerCase().replace('-', ' '));
    expect(result.outcome).toBe('paired');
    await untilPaired(paired);
    expect(paired).toHaveLength(1);
    const [stored] = await listPairings(home);
    expect(paired[0]?.pairing.pairingId).toBe(stored?.pairingId);
    // The watcher holds K only as a non-extractable key, and it is the K the relay stored.
    const key = paired[0]?.pairing.key;
    expect(key).toBeInstanceOf(CryptoKey);
    const ctx = { mode: 'auth', port: 1, extensionNonce: 'e', relayNonce: 'r' } as const;
    const proof = await signProof('ext', key!, { ...ctx, pairingId: stored!.pairingId });
    expect(
      await verifyProof(
        'ext',
        fromBase64Url(stored!.key),
        { ...ctx, pairingId: stored!.pairingId },
        proof,
      ),
    ).toBe(true);
    expect(await relay.isPaired()).toBe(true);
    // Spent: the extension forgot it, the relay home holds no pending code.
    expect(store.peek()).toBeNull();
    expect(watcher.view()).toBeNull();
    expect((await lookupPendingPairing(home)).status).toBe('none');
  });

  it('keeps the code stretched, never in clear, in the relay home while it waits', async () => {
    const { home } = await startTestBridge();
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 1_000 });
    const code = newPendingCode().code;
    const waiting = relay.pairWithCode(code);
    // As soon as it is written (the wait lasts long enough for a loaded machine to get there).
    const pendingFile = path.join(home, 'pending-pairing.json');
    let file: string | null = null;
    while (file === null) {
      file = await readFile(pendingFile, 'utf8').catch(() => null);
      if (file === null) await sleep(10);
    }
    expect(file).not.toContain(code);
    expect(file).not.toContain(code.replace('-', ''));
    expect(Object.keys(JSON.parse(file)).sort()).toEqual([
      'expiresAt',
      'salt',
      'stretched',
      'triesLeft',
    ]);
    // Nobody came for it: it is withdrawn, so no relay offers a proof of it any longer.
    expect((await waiting).outcome).toBe('no_answer');
    expect((await lookupPendingPairing(home)).status).toBe('none');
  });

  it('tells the relay a mistyped code does not match, with the tries left; the right one then pairs', async () => {
    const { bridge, home } = await startTestBridge();
    const { watcher, paired } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 10_000 });

    expect(await relay.pairWithCode(wrongCode(code))).toEqual({
      outcome: 'code_mismatch',
      triesLeft: EXTENSION_CODE_TRIES - 1,
    });
    expect(watcher.view()?.triesLeft).toBe(EXTENSION_CODE_TRIES - 1);
    // The refused code is not offered again: the extension checked it once, no more tries spent.
    await sleep(350);
    expect(watcher.view()?.triesLeft).toBe(EXTENSION_CODE_TRIES - 1);
    expect(paired).toHaveLength(0);
    expect(await listPairings(home)).toHaveLength(0);

    expect((await relay.pairWithCode(code)).outcome).toBe('paired');
    await untilPaired(paired);
    expect(paired).toHaveLength(1);
  });

  it('stops listening to a relay after five wrong codes: even the right one then fails there', async () => {
    const { bridge, home } = await startTestBridge();
    const { watcher } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 1_500 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < EXTENSION_CODE_TRIES; i++) {
      outcomes.push(await relay.pairWithCode(wrongCode(code)));
    }
    expect(outcomes.at(-1)).toEqual({ outcome: 'code_mismatch', triesLeft: 0 });
    expect(watcher.view()?.status).toBe('locked');
    expect((await relay.pairWithCode(code)).outcome).toBe('no_answer');
    expect(await listPairings(home)).toHaveLength(0);
  });

  it('refuses what is not a code without writing anything', async () => {
    const { home } = await startTestBridge();
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 500 });
    expect(await relay.pairWithCode('K7QM-2XD')).toEqual({ outcome: 'invalid_code' });
    expect(await relay.pairWithCode('hello world')).toEqual({ outcome: 'invalid_code' });
    expect((await lookupPendingPairing(home)).status).toBe('none');
  });

  it('tells a squatter on the range nothing but “not our code” — and the real relay still pairs', async () => {
    const fake = await startFakeRelay();
    onTestFinished(() => fake.close());
    const { bridge, home } = await startTestBridge();
    const { watcher, paired } = startWatcher([fake.port, bridge.port]);
    const { code } = await watcher.start();
    // Long enough for the squatter to spend every try of its own port.
    await sleep(1_000);
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 10_000 });
    expect((await relay.pairWithCode(code)).outcome).toBe('paired');
    await untilPaired(paired);
    expect(paired[0]?.port).toBe(bridge.port);

    const types = fake.received.map((frame) => (frame as { type: string }).type);
    expect(types).toContain('hello');
    expect(new Set(types)).toEqual(new Set(['hello', 'pair_refused']));
    for (const frame of fake.received) {
      const keys = Object.keys(frame as object).sort();
      if ((frame as { type: string }).type === 'pair_refused') {
        expect(keys).toEqual(['reason', 'triesLeft', 'type']);
      } else {
        expect(keys).toEqual(['mode', 'nonce', 'type', 'v']);
      }
    }
    expect(JSON.stringify(fake.received)).not.toContain(code.replace('-', ''));
  });

  it('resumes watching with the code a sleeping service worker left in session storage', async () => {
    const { bridge, home } = await startTestBridge();
    const first = startWatcher([bridge.port]);
    const { code } = await first.watcher.start();
    first.watcher.stopWatching();
    const saved = first.store.peek();

    const paired: Pairing[] = [];
    const woken = new PendingPairing({
      ports: [bridge.port],
      createSocket: (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
      store: { get: async () => saved, set: async () => {}, remove: async () => {} },
      onPaired: async (pairing) => {
        paired.push(pairing);
      },
      onChange: () => {},
      intervalMs: 100,
      stretchIterations: FAST_ITERATIONS,
    });
    onTestFinished(() => woken.stopWatching());
    await woken.resume();
    expect(woken.view()?.code).toBe(code);
    const relay = createPatientPairing({ home, iterations: FAST_ITERATIONS, waitMs: 10_000 });
    expect((await relay.pairWithCode(code)).outcome).toBe('paired');
    await untilPaired(paired);
    expect(paired).toHaveLength(1);
  });
});
