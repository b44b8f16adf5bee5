/**
 * The extension's bridge client against the relay's real bridge server (in-process) and
 * against a squatter that cannot prove itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Pairing } from '../../../extension/bridge/pairing-store';
import type { RelaySessionFrame, TokenFrame } from '../../../relay/protocol/protocol';
import {
  type RelayCloseOutcome,
  RelayConnection,
  type RelayCredentials,
  type RelayReady,
  type SocketFactory,
} from '../../../relay/protocol/relay-connection';
import { EXTENSION_ORIGIN, type FakeRelay, startFakeRelay } from '../../support/bridge-test-client';
import { FAST_ITERATIONS, quickCode, startTestBridge, wrongCode } from '../bridge/bridge-fixture';

const createSocket: SocketFactory = (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN });

interface Outcome {
  ready: RelayReady | null;
  frames: RelaySessionFrame[];
  closed: Promise<{ outcome: RelayCloseOutcome; detail: string }>;
  connection: RelayConnection;
}

function connect(port: number, credentials: RelayCredentials): Promise<Outcome> {
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
    const session = await connect(fake.port, { mode: 'pair', code: 'K7QM3XPA' });
    expect((await session.closed).outcome).toBe('untrusted');
    await fake.allClosed();
    expect(fake.received.map((frame) => (frame as { type: string }).type)).toEqual(['hello']);
  });

  it('reports a mistyped code as a mismatch without spending one of the relay’s tries', async () => {
    const { bridge, home, logs } = await startTestBridge();
    const code = await quickCode(home);
    const session = await connect(bridge.port, {
      mode: 'pair',
      code: wrongCode(code).replace('-', ''),
    });
    expect((await session.closed).outcome).toBe('untrusted');
    // The real code still works afterwards: nothing was counted against it.
    const retry = await connect(bridge.port, { mode: 'pair', code: code.replace('-', '') });
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
    const session = await connect(port, { mode: 'pair', code: 'K7QM3XPA' });
    expect((await session.closed).outcome).toBe('absent');
  });
});
