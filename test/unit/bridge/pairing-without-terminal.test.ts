/**
 * Pairing with no terminal through the chat: the extension makes the code, the patient tells
 * it to the relay (connect_extension, or the bundle's settings), and the extension, watching
 * the port range, runs the pair handshake with whichever relay proves it knows the code. The
 * code may have passed through the model, so that relay is only a candidate: both sides show a
 * check value, and only the patient's "it matches" in the extension pairs. A program that learnt
 * the code gets no pairing and no token.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Pairing, PairingVerification } from '../../../extension/bridge/pairing-store';
import {
  addCandidate,
  admitSalt,
  EXTENSION_CODE_TRIES,
  EXTENSION_CODE_TTL_MS,
  matchSalt,
  newPendingCode,
  type PairingCandidate,
  type PendingCode,
  pendingCodeStatus,
  refuseSalt,
  triesLeftOn,
} from '../../../extension/bridge/pending-code';
import { PairingOffers } from '../../../relay/bridge/pairing-offers';
import {
  createPendingPairing,
  listPairings,
  lookupPendingPairing,
} from '../../../relay/bridge/pairing-store';
import { createPatientPairing } from '../../../relay/pairing/patient-pairing';
import {
  deriveCheckValue,
  fromBase64Url,
  normalizePairingCode,
  randomNonce,
  signProof,
  verifyProof,
} from '../../../relay/protocol/handshake-crypto';
import { CloseCode, PROTOCOL_VERSION } from '../../../relay/protocol/protocol';
import { openRawConnection, startFakeRelay } from '../../support/bridge-test-client';
import { pairingWatcher } from '../../support/extension-in-node';
import {
  FAST_ITERATIONS,
  startTestBridge,
  TEST_PORTAL,
  tempHome,
  wrongCode,
} from './bridge-fixture';

describe('a code made by the extension (rules)', () => {
  const t0 = Date.parse('2026-11-30T10:00:00Z');
  const PORT = 47_610;
  const candidate = (port: number, pairingId: string): PairingCandidate => ({
    port,
    pairingId,
    checkValue: '482 913',
    client: 'Claude',
    expiresAt: new Date(t0 + 60_000).toISOString(),
  });

  it('is 40 bits in two readable groups and lasts 10 minutes', () => {
    const pending = newPendingCode(t0);
    expect(pending.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizePairingCode(pending.code)).toBe(pending.code.replace('-', ''));
    expect(Date.parse(pending.expiresAt) - t0).toBe(EXTENSION_CODE_TTL_MS);
    expect(pendingCodeStatus(pending, t0)).toBe('waiting');
    expect(pendingCodeStatus(pending, t0 + EXTENSION_CODE_TTL_MS)).toBe('expired');
    expect(newPendingCode(t0).code).not.toBe(pending.code);
  });

  it('checks each code a relay presents once: a refused one costs one try of its port', () => {
    let pending: PendingCode = newPendingCode(t0);
    const first = admitSalt(pending, 'salt-a', PORT, t0);
    expect(first.admitted).toBe(true);
    pending = refuseSalt(first.next, 'salt-a', PORT);
    expect(triesLeftOn(pending, PORT)).toBe(EXTENSION_CODE_TRIES - 1);
    // The same relay offering the same wrong code again: not checked, no try spent.
    expect(admitSalt(pending, 'salt-a', PORT, t0).admitted).toBe(false);
    expect(triesLeftOn(refuseSalt(pending, 'salt-a', PORT), PORT)).toBe(EXTENSION_CODE_TRIES - 1);
    // Two connections presenting one code at once: only the first is checked.
    const b = admitSalt(pending, 'salt-b', PORT, t0);
    expect(admitSalt(b.next, 'salt-b', PORT + 1, t0).admitted).toBe(false);
    // A code that matched may be checked again (a handshake cut after our check).
    expect(admitSalt(matchSalt(b.next, 'salt-b'), 'salt-b', PORT, t0).admitted).toBe(true);
  });

  it('a squatter spending every try of its port never locks the code: other ports still count', () => {
    let pending: PendingCode = newPendingCode(t0);
    for (let i = 0; i < EXTENSION_CODE_TRIES + 3; i++) {
      const { next } = admitSalt(pending, `salt-${i}`, PORT, t0);
      pending = refuseSalt(next, `salt-${i}`, PORT);
    }
    expect(triesLeftOn(pending, PORT)).toBe(0);
    expect(admitSalt(pending, 'salt-new', PORT, t0).admitted).toBe(false);
    // The patient's code is still waiting, and the patient's relay on another port is heard.
    expect(pendingCodeStatus(pending, t0)).toBe('waiting');
    expect(admitSalt(pending, 'salt-other', PORT + 1, t0).admitted).toBe(true);
  });

  it('one relay that proved the code is compared by the patient; two void the code', () => {
    const one = addCandidate(newPendingCode(t0), candidate(PORT, 'aaaaaaaaaaaaaaaa'));
    expect(pendingCodeStatus(one, t0)).toBe('check');
    // The same handshake reported twice is one candidate.
    expect(addCandidate(one, candidate(PORT, 'aaaaaaaaaaaaaaaa')).candidates).toHaveLength(1);
    const two = addCandidate(one, candidate(PORT + 1, 'bbbbbbbbbbbbbbbb'));
    expect(pendingCodeStatus(two, t0)).toBe('conflict');
    expect(admitSalt(two, 'salt-late', PORT + 2, t0).admitted).toBe(false);
    // A candidate waits no longer than the relay keeps it.
    expect(pendingCodeStatus(one, t0 + 60_000)).toBe('expired');
  });
});

describe('the check value', () => {
  it('depends on the extension’s late nonce, so the relay, which chose its own first, cannot steer it', async () => {
    const key = new Uint8Array(32).fill(9);
    const nonces = { extensionNonce: randomNonce(), relayNonce: randomNonce() };
    const values = new Set<string>();
    for (let i = 0; i < 20; i++) {
      values.add(await deriveCheckValue(key, { ...nonces, checkNonce: randomNonce() }));
    }
    for (const value of values) expect(value).toMatch(/^\d{3} \d{3}$/);
    // 20 draws of a million values: all different but with odds of 1 in 5 000.
    expect(values.size).toBeGreaterThanOrEqual(19);
    const fixed = { ...nonces, checkNonce: randomNonce() };
    expect(await deriveCheckValue(key, fixed)).toBe(await deriveCheckValue(key, fixed));
  });
});

interface Paired {
  pairing: Pairing;
  port: number;
  verified: PairingVerification;
}

function startWatcher(ports: number[], initial: PendingCode | null = null) {
  const paired: Paired[] = [];
  const changes: string[] = [];
  const started = pairingWatcher({
    ports,
    initial,
    onPaired: async (pairing, port, verified) => {
      paired.push({ pairing, port, verified });
    },
    onChange: () => changes.push(started.watcher.view()?.status ?? 'none'),
    stretchIterations: FAST_ITERATIONS,
  });
  onTestFinished(() => started.watcher.stopWatching());
  return { ...started, paired, changes };
}

/** A relay with its own home, as the patient's assistant (or another program) starts one. */
async function relayOnItsOwnHome() {
  const test = await startTestBridge();
  const relay = createPatientPairing({ offers: test.offers, waitMs: 10_000 });
  return { ...test, relay };
}

describe('pairing with a code the extension shows', () => {
  it('the patient’s relay becomes a candidate with the same check value on both sides; only “it matches” pairs', async () => {
    const { bridge, home, relay } = await relayOnItsOwnHome();
    const { watcher, store, keys, paired } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    expect(await relay.isPaired()).toBe(false);

    const told = await relay.tellCode(code.toLowerCase().replace('-', ' '));
    if (told.outcome !== 'check') throw new Error(`told: ${told.outcome}`);
    await expect.poll(() => watcher.view()?.status).toBe('check');
    expect(watcher.view()?.candidate).toEqual({
      checkValue: told.checkValue,
      client: 'Claude Desktop',
      port: bridge.port,
    });
    // Nothing is kept on either side before the patient's yes, and the code is not reusable.
    expect(await listPairings(home)).toEqual([]);
    expect(paired).toEqual([]);
    expect(relay.awaitingCheck()?.checkValue).toBe(told.checkValue);

    expect(await watcher.confirm()).toBe('paired');
    expect(paired).toHaveLength(1);
    expect(paired[0]?.verified).toEqual({ by: 'check_value', checkValue: told.checkValue });
    const [stored] = await listPairings(home);
    expect(stored?.pairingId).toBe(paired[0]?.pairing.pairingId);
    // The extension holds K only as a non-extractable key, the same K the relay stored.
    const key = paired[0]?.pairing.key;
    expect(key).toBeInstanceOf(CryptoKey);
    const ctx = {
      mode: 'auth',
      port: 1,
      portal: TEST_PORTAL,
      extensionNonce: 'e',
      relayNonce: 'r',
      pairingId: stored?.pairingId,
    } as const;
    const proof = await signProof('ext', key as CryptoKey, ctx);
    expect(await verifyProof('ext', fromBase64Url(stored?.key ?? ''), ctx, proof)).toBe(true);
    expect(await relay.isPaired()).toBe(true);
    expect(relay.awaitingCheck()).toBeNull();
    // Spent: the extension forgot the code and the candidate's key.
    expect(store.peek()).toBeNull();
    expect(watcher.view()).toBeNull();
    expect(keys.size()).toBe(0);
  });

  it('“it does not match” pairs nothing anywhere, and the code is void', async () => {
    const { bridge, home, relay } = await relayOnItsOwnHome();
    const { watcher, paired, keys } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    expect((await relay.tellCode(code)).outcome).toBe('check');
    await expect.poll(() => watcher.view()?.status).toBe('check');
    await watcher.decline();
    expect(watcher.view()?.status).toBe('declined');
    expect(await watcher.confirm()).toBe('not_waiting');
    expect(paired).toEqual([]);
    expect(keys.size()).toBe(0);
    expect(await listPairings(home)).toEqual([]);
  });

  it('a second relay in another home, given the same code, gets no pairing and no key: the code is void', async () => {
    const patient = await relayOnItsOwnHome();
    const impostor = await relayOnItsOwnHome();
    const { watcher, paired, keys } = startWatcher([impostor.bridge.port, patient.bridge.port]);
    const { code } = await watcher.start();

    // The model leaked the code: both relays prove it, in either order.
    const [mine, theirs] = await Promise.all([
      patient.relay.tellCode(code),
      impostor.relay.tellCode(code),
    ]);
    expect(mine.outcome).toBe('check');
    expect(theirs.outcome).toBe('check');
    await expect.poll(() => watcher.view()?.status).toBe('conflict');
    if (mine.outcome === 'check' && theirs.outcome === 'check') {
      // Each handshake has its own value: the impostor could not have shown the patient's.
      expect(mine.checkValue).not.toBe(theirs.checkValue);
    }
    expect(await watcher.confirm()).toBe('not_waiting');
    expect(paired).toEqual([]);
    expect(keys.size()).toBe(0);
    expect(await listPairings(impostor.home)).toEqual([]);
    expect(await listPairings(patient.home)).toEqual([]);
  });

  it('an impostor that answers alone shows a value the patient’s assistant never showed', async () => {
    const patient = await relayOnItsOwnHome();
    const impostor = await relayOnItsOwnHome();
    const { watcher, paired } = startWatcher([impostor.bridge.port, patient.bridge.port]);
    const { code } = await watcher.start();
    // A prompt-injected model passes the code on instead of giving it to the patient's relay.
    const theirs = await impostor.relay.tellCode(code);
    await expect.poll(() => watcher.view()?.status).toBe('check');
    expect(watcher.view()?.candidate?.port).toBe(impostor.bridge.port);
    expect(theirs.outcome === 'check' && theirs.checkValue).toBe(
      watcher.view()?.candidate?.checkValue,
    );
    // The patient's assistant shows nothing of the kind: they choose "it does not match".
    expect(patient.relay.awaitingCheck()).toBeNull();
    await watcher.decline();
    expect(paired).toEqual([]);
    expect(await listPairings(impostor.home)).toEqual([]);
  });

  it('a program posing as the extension that learnt the code cannot pair by confirming at once: the patient’s extension answers too, and the code is void', async () => {
    const home = await tempHome();
    const offers = new PairingOffers({ home, iterations: FAST_ITERATIONS, confirmQuietMs: 2_000 });
    const { bridge } = await startTestBridge({ home, offers });
    const relay = createPatientPairing({ offers, waitMs: 10_000 });
    const pending = newPendingCode();
    // The model passed the code on: a program knocks with it as the extension does (our own
    // code, an Origin it sets itself), and is first.
    const impostor = startWatcher([bridge.port], pending);
    await impostor.watcher.resume();
    expect((await relay.tellCode(pending.code)).outcome).toBe('check');
    await expect.poll(() => impostor.watcher.view()?.status).toBe('check');
    // It confirms at once, with no patient; the relay makes that wait for the quiet time, while
    // the patient's extension, which made the code and has no candidate there, knocks as ever.
    const confirming = impostor.watcher.confirm();
    const patient = startWatcher([bridge.port], pending);
    await patient.watcher.resume();
    expect(await confirming).toBe('failed');
    await expect.poll(() => patient.watcher.view()?.status).toBe('conflict');
    expect(impostor.paired).toEqual([]);
    expect(patient.paired).toEqual([]);
    expect(await listPairings(home)).toEqual([]);
    expect(relay.awaitingCheck()).toBeNull();
    expect(await offers.offers('extension')).toEqual([]);
  });

  it('a confirmation sooner than the quiet time waits for it, then pairs when no one else answered', async () => {
    const home = await tempHome();
    const offers = new PairingOffers({ home, iterations: FAST_ITERATIONS, confirmQuietMs: 800 });
    const { bridge } = await startTestBridge({ home, offers });
    const relay = createPatientPairing({ offers, waitMs: 10_000 });
    const { watcher, paired } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    expect((await relay.tellCode(code)).outcome).toBe('check');
    await expect.poll(() => watcher.view()?.status).toBe('check');
    const provedAt = offers.candidate()?.provedAt ?? 0;
    expect(await watcher.confirm()).toBe('paired');
    expect(Date.now() - provedAt).toBeGreaterThanOrEqual(800);
    expect(paired).toHaveLength(1);
    expect((await listPairings(home)).map((p) => p.pairingId)).toEqual([
      paired[0]?.pairing.pairingId,
    ]);
  });

  it('a program posing as the extension cannot void the told code with a refusal, nor set a number', async () => {
    const { bridge, home, offers, relay } = await relayOnItsOwnHome();
    const pending = newPendingCode();
    const told = relay.tellCode(pending.code);
    await expect.poll(async () => offers.offers('extension')).toHaveLength(1);
    const hello = () => ({
      type: 'hello',
      v: PROTOCOL_VERSION,
      mode: 'pair',
      nonce: randomNonce(),
      codeMadeBy: 'extension',
    });
    // A refusal that carries a number is not even a frame of the protocol.
    const first = await openRawConnection(bridge.port);
    first.send(hello());
    await first.nextMessage();
    first.send({ type: 'pair_refused', reason: 'code_mismatch', triesLeft: 0 });
    expect((await first.closed).code).toBe(CloseCode.protocolError);
    // A plain one ends that connection and tells the waiting tool a hint, no more.
    const second = await openRawConnection(bridge.port);
    second.send(hello());
    await second.nextMessage();
    second.send({ type: 'pair_refused', reason: 'code_mismatch' });
    expect(await told).toEqual({ outcome: 'not_recognised' });
    expect(await offers.offers('extension')).toHaveLength(1);
    // The patient's extension, which made that code, is still heard with it.
    const { watcher } = startWatcher([bridge.port], pending);
    await watcher.resume();
    await expect.poll(() => watcher.view()?.status).toBe('check');
    expect(await listPairings(home)).toEqual([]);
  });

  it('a told code never replaces the code `hospiai-mcp pair` left in the home', async () => {
    const { home, relay } = await relayOnItsOwnHome();
    const printed = await createPendingPairing(home, { iterations: FAST_ITERATIONS });
    expect((await relay.tellCode(newPendingCode().code, { waitMs: 200 })).outcome).toBe(
      'no_answer',
    );
    const after = await lookupPendingPairing(home);
    expect(after.status === 'pending' && after.salt).toBe(printed.salt);
  });

  it('keeps a told code in memory only: the relay home holds nothing of it', async () => {
    const home = await tempHome();
    const offers = new PairingOffers({ home, iterations: FAST_ITERATIONS });
    await offers.tellCode('K7QM2XD9');
    expect(await offers.offers('extension')).toHaveLength(1);
    expect((await lookupPendingPairing(home)).status).toBe('none');
    expect(await offers.offers('relay')).toEqual([]);
  });

  it('refuses what is not a code without holding anything', async () => {
    const { offers, relay } = await relayOnItsOwnHome();
    expect(await relay.tellCode('K7QM-2XD')).toEqual({ outcome: 'invalid_code' });
    expect(await relay.tellCode('hello world')).toEqual({ outcome: 'invalid_code' });
    expect(await offers.offers('extension')).toEqual([]);
  });

  it('tells a squatter on the range nothing but “not our code” — and the real relay is still heard', async () => {
    const fake = await startFakeRelay();
    onTestFinished(() => fake.close());
    const { bridge, relay } = await relayOnItsOwnHome();
    const { watcher, changes } = startWatcher([fake.port, bridge.port]);
    const { code } = await watcher.start();
    // The squatter presents one wrong code per knock until its port's tries are spent.
    await expect
      .poll(
        () => fake.received.filter((f) => (f as { type: string }).type === 'pair_refused').length,
      )
      .toBe(EXTENSION_CODE_TRIES);
    expect(watcher.view()).toMatchObject({ status: 'waiting', refusedPort: fake.port });
    expect(changes).not.toContain('locked');
    expect((await relay.tellCode(code)).outcome).toBe('check');
    await expect.poll(() => watcher.view()?.candidate?.port).toBe(bridge.port);

    for (const frame of fake.received) {
      const keys = Object.keys(frame as object).sort();
      if ((frame as { type: string }).type === 'pair_refused') {
        expect(keys).toEqual(['reason', 'type']);
      } else {
        expect(keys).toEqual(['codeMadeBy', 'mode', 'nonce', 'type', 'v']);
      }
    }
    expect(JSON.stringify(fake.received)).not.toContain(code.replace('-', ''));
  });

  it('resumes watching with the code a sleeping service worker left in session storage', async () => {
    const { bridge, relay } = await relayOnItsOwnHome();
    const first = startWatcher([bridge.port]);
    const { code } = await first.watcher.start();
    first.watcher.stopWatching();
    const saved = first.store.peek();

    const { watcher: woken } = startWatcher([bridge.port], saved);
    await woken.resume();
    expect(woken.view()?.code).toBe(code);
    expect((await relay.tellCode(code)).outcome).toBe('check');
    await expect.poll(() => woken.view()?.status).toBe('check');
  });

  it('a wrong code told to the relay is refused by the extension, which names the port', async () => {
    const { bridge, relay } = await relayOnItsOwnHome();
    const { watcher } = startWatcher([bridge.port]);
    const { code } = await watcher.start();
    expect(await relay.tellCode(wrongCode(code))).toEqual({ outcome: 'not_recognised' });
    expect(watcher.view()).toMatchObject({ status: 'waiting', refusedPort: bridge.port });
    expect((await relay.tellCode(code)).outcome).toBe('check');
  });
});
