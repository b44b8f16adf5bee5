/**
 * The extension's bridge client against the relay's real bridge server (in-process) and
 * against a squatter that cannot prove itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Pairing } from '../../../extension/bridge/pairing-store';
import { listPairings } from '../../../relay/bridge/pairing-store';
import type { RelaySessionFrame, TokenFrame } from '../../../relay/protocol/protocol';
import {
  type PairingCandidate,
  type RelayCloseOutcome,
  RelayConnection,
  type RelayCredentials,
  type RelayReady,
  type SocketFactory,
} from '../../../relay/protocol/relay-connection';
import { EXTENSION_ORIGIN, type FakeRelay, startFakeRelay } from '../../support/bridge-test-client';
import {
  FAST_ITERATIONS,
  quickCode,
  startTestBridge,
  TEST_PORTAL,
  wrongCode,
} from '../bridge/bridge-fixture';

const createSocket: SocketFactory = (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN });

interface Outcome {
  ready: RelayReady | null;
  frames: RelaySessionFrame[];
  closed: Promise<{ outcome: RelayCloseOutcome; detail: string }>;
  connection: RelayConnection;
}

function connect(
  port: number,
  credentials: RelayCredentials,
  onAwaiting?: (candidate: PairingCandidate) => void,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const frames: RelaySessionFrame[] = [];
    let resolveClosed: (value: { outcome: RelayCloseOutcome; detail: string }) => void = () => {};
    const closed = new Promise<{ outcome: RelayCloseOutcome; detail: string }>((r) => {
      resolveClosed = r;
    });
    const connection: RelayConnection = new RelayConnection({
      port,
      credentials,
      createSocket,
      stretchIterations: FAST_ITERATIONS,
      events: {
        onReady: (ready) => resolve({ ready, frames, closed, connection }),
        onAwaitingConfirmation: onAwaiting,
        onFrame: (frame) => frames.push(frame),
        onClosed: (outcome, detail) => {
          resolveClosed({ outcome, detail });
          resolve({ ready: null, frames, closed, connection });
        },
      },
    });
  });
}

async function pairedWith(port: number, home: string): Promise<Pairing> {
  const paired = await connect(port, {
    mode: 'pair',
    codeMadeBy: 'relay',
    code: (await quickCode(home)).replace('-', ''),
  });
  if (!paired.ready) throw new Error('pairing failed');
  paired.connection.close();
  return paired.ready.pairing;
}

const sampleToken: TokenFrame = {
  type: 'token',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.c2lnbmF0dXJl',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2099-01-01T00:00:00.000Z',
};

describe('relay connection (extension side of the bridge)', () => {
  let fake: FakeRelay | null = null;
  beforeEach(() => {
    fake = null;
  });
  afterEach(async () => {
    await fake?.close();
  });

  it('pairs with the code the relay printed, then authenticates with the derived secret', async () => {
    const { bridge, home, tokens } = await startTestBridge();
    const pairing = await pairedWith(bridge.port, home);
    expect(pairing.pairingId).toMatch(/^[a-z0-9]{16}$/);
    // K (32 bytes) is held only as a non-extractable HMAC key from the moment it is derived.
    expect(pairing.key).toBeInstanceOf(CryptoKey);
    expect((pairing.key as CryptoKey).extractable).toBe(false);
    expect((pairing.key as CryptoKey).algorithm).toMatchObject({ name: 'HMAC', length: 256 });

    const session = await connect(bridge.port, { mode: 'auth', pairing });
    expect(session.ready?.relayId).toBe(bridge.relayId);
    expect(session.ready?.mcpClient?.name).toBe('Claude Desktop');
    expect(session.connection.send(sampleToken)).toBe(true);
    await expect.poll(() => tokens.length).toBe(1);
    expect(tokens[0]?.tokenId).toBe('tok_1');
    session.connection.close();
  });

  it('receives the status the relay sends right after ready', async () => {
    const { bridge, home } = await startTestBridge();
    const session = await connect(bridge.port, {
      mode: 'auth',
      pairing: await pairedWith(bridge.port, home),
    });
    await expect.poll(() => session.frames.map((frame) => frame.type)).toContain('status');
    session.connection.close();
  });

  it('stops at the challenge of a program that cannot prove itself and sends it nothing more', async () => {
    fake = await startFakeRelay();
    const pairing: Pairing = { pairingId: 'abcdefgh12345678', key: new Uint8Array(32).fill(7) };
    const session = await connect(fake.port, { mode: 'auth', pairing });
    expect(session.ready).toBeNull();
    expect((await session.closed).outcome).toBe('untrusted');
    expect(session.connection.send(sampleToken)).toBe(false);
    await fake.allClosed();
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]).toMatchObject({ type: 'hello', mode: 'auth' });
  });

  it('never sends its pairing proof to a squatter, even with the right-looking code', async () => {
    fake = await startFakeRelay();
    const session = await connect(fake.port, {
      mode: 'pair',
      codeMadeBy: 'relay',
      code: 'K7QM3XPA',
    });
    expect((await session.closed).outcome).toBe('untrusted');
    await fake.allClosed();
    expect(fake.received.map((frame) => (frame as { type: string }).type)).toEqual(['hello']);
  });

  it('reports a mistyped code as a mismatch without spending one of the relay’s tries', async () => {
    const { bridge, home, logs } = await startTestBridge();
    const code = await quickCode(home);
    const session = await connect(bridge.port, {
      mode: 'pair',
      codeMadeBy: 'relay',
      code: wrongCode(code).replace('-', ''),
    });
    expect((await session.closed).outcome).toBe('untrusted');
    // The real code still works afterwards: nothing was counted against it.
    const retry = await connect(bridge.port, {
      mode: 'pair',
      codeMadeBy: 'relay',
      code: code.replace('-', ''),
    });
    expect(retry.ready).not.toBeNull();
    expect(logs.join('\n')).not.toMatch(/wrong code/);
    retry.connection.close();
  });

  it('is told when the relay does not know its pairing', async () => {
    const { bridge } = await startTestBridge();
    const pairing: Pairing = { pairingId: 'abcdefgh12345678', key: new Uint8Array(32).fill(7) };
    const session = await connect(bridge.port, { mode: 'auth', pairing });
    expect((await session.closed).outcome).toBe('not_paired');
  });

  it('reports a port with nothing on it as absent', async () => {
    fake = await startFakeRelay();
    const port = fake.port;
    await fake.close();
    fake = null;
    const session = await connect(port, { mode: 'pair', codeMadeBy: 'relay', code: 'K7QM3XPA' });
    expect((await session.closed).outcome).toBe('absent');
  });

  it('learns the portal the relay serves from its proof', async () => {
    const { bridge, home } = await startTestBridge();
    const session = await connect(bridge.port, {
      mode: 'auth',
      pairing: await pairedWith(bridge.port, home),
    });
    expect(session.ready?.portal).toBe(TEST_PORTAL);
    session.connection.close();
  });

  it('types either code a relay holds: the one its AI client’s form showed, or `pair`’s', async () => {
    const { bridge, home, offers } = await startTestBridge();
    const { code: shown } = await offers.showCode();
    const printed = await quickCode(home);
    const first = await connect(bridge.port, {
      mode: 'pair',
      codeMadeBy: 'relay',
      code: printed.replace('-', ''),
    });
    expect(first.ready).not.toBeNull();
    first.connection.close();
    const second = await connect(bridge.port, {
      mode: 'pair',
      codeMadeBy: 'relay',
      code: shown.replace('-', ''),
    });
    expect(second.ready).not.toBeNull();
    second.connection.close();
    expect(await listPairings(home)).toHaveLength(2);
  });

  it('with a code it made, stops at the check: nothing is paired until `confirm`', async () => {
    const { bridge, home, offers } = await startTestBridge();
    const code = 'K7QM3XPA';
    await offers.tellCode(code);
    const candidates: PairingCandidate[] = [];
    const session = await connect(
      bridge.port,
      { mode: 'pair', codeMadeBy: 'extension', code },
      (candidate) => candidates.push(candidate),
    );
    expect(session.ready).toBeNull();
    expect((await session.closed).outcome).toBe('awaiting_confirmation');
    const [candidate] = candidates;
    if (!candidate) throw new Error('no candidate');
    // Both sides derived the same value, which the patient compares; neither kept the key yet.
    expect(candidate.checkValue).toMatch(/^\d{3} \d{3}$/);
    expect(candidate.checkValue).toBe(offers.candidate()?.checkValue);
    expect(candidate.mcpClient?.name).toBe('Claude Desktop');
    expect(await listPairings(home)).toEqual([]);

    // A confirm by anyone without that key is refused; with it, the relay keeps the pairing.
    const stranger: Pairing = { pairingId: candidate.pairing.pairingId, key: new Uint8Array(32) };
    const forged = await connect(bridge.port, { mode: 'confirm', pairing: stranger });
    expect((await forged.closed).outcome).toBe('untrusted');
    expect(await listPairings(home)).toEqual([]);
    const confirmed = await connect(bridge.port, { mode: 'confirm', pairing: candidate.pairing });
    expect(confirmed.ready?.pairing.pairingId).toBe(candidate.pairing.pairingId);
    expect((await listPairings(home)).map((p) => p.pairingId)).toEqual([
      candidate.pairing.pairingId,
    ]);
    confirmed.connection.close();
    const again = await connect(bridge.port, { mode: 'auth', pairing: candidate.pairing });
    expect(again.ready).not.toBeNull();
    again.connection.close();
  });

  it('a confirm for no waiting pairing is told not_paired', async () => {
    const { bridge } = await startTestBridge();
    const pairing: Pairing = { pairingId: 'abcdefgh12345678', key: new Uint8Array(32).fill(7) };
    const session = await connect(bridge.port, { mode: 'confirm', pairing });
    expect((await session.closed).outcome).toBe('not_paired');
  });
});
