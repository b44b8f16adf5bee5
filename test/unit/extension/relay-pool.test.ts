/**
 * The pool of bridge connections: one pairing for every relay of the user, a connection to
 * each relay in the port range, reconnection after a relay restart, squatters kept out.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Pairing } from '../../../extension/bridge/pairing-store';
import { RelayPool } from '../../../extension/bridge/relay-pool';
import type { RelaySessionFrame, TokenFrame } from '../../../relay/protocol/protocol';
import {
  EXTENSION_ORIGIN,
  stallableSockets,
  startFakeRelay,
} from '../../support/bridge-test-client';
import { freePortRange } from '../../support/free-ports';
import {
  FAST_ITERATIONS,
  quickCode,
  startTestBridge,
  TEST_PORTAL,
  tempHome,
} from '../bridge/bridge-fixture';

const token: TokenFrame = {
  type: 'token',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.c2lnbmF0dXJl',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2099-01-01T00:00:00.000Z',
};

function startPool(
  ports: number[],
  initial: Pairing | null = null,
  keepaliveMs?: number,
  handshakeTimeoutMs?: number,
  openSocket = (url: string) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
) {
  let stored = initial;
  const ready: number[] = [];
  const frames: Array<{ port: number; frame: RelaySessionFrame }> = [];
  const sockets: string[] = [];
  const pool = new RelayPool({
    ports,
    createSocket: (url) => {
      sockets.push(url);
      return openSocket(url);
    },
    portal: TEST_PORTAL,
    loadPairing: async () => stored,
    savePairing: async (pairing) => {
      stored = pairing;
    },
    stretchIterations: FAST_ITERATIONS,
    random: () => 0,
    keepaliveMs,
    handshakeTimeoutMs,
    events: {
      onReady: (port) => ready.push(port),
      onFrame: (port, frame) => frames.push({ port, frame }),
      onChange: () => {},
    },
  });
  onTestFinished(() => pool.stop());
  return { pool, ready, frames, sockets, pairing: () => stored };
}

describe('relay pool (every relay in the port range)', () => {
  it('opens no connection at all before the extension is paired', async () => {
    const fake = await startFakeRelay();
    onTestFinished(() => fake.close());
    const { pool, sockets } = startPool([fake.port]);
    // start() opens a socket to every port before it returns, when there is a pairing.
    await pool.start();
    expect(sockets).toEqual([]);
    expect(fake.received).toEqual([]);
    expect(pool.views()[0]?.state).toBe('absent');
  });

  it('pairs once and then reaches every relay of the same home, each named by its AI client', async () => {
    const range = await freePortRange(3);
    const home = await tempHome();
    const first = await startTestBridge({ home, ports: range });
    const second = await startTestBridge({
      home,
      ports: range,
      getStatus: () => ({
        mcpClient: { name: 'Cursor', version: '2.0.0' },
        token: { state: 'none', source: null, tokenId: null },
      }),
    });
    const { pool, ready } = startPool([range.first, range.first + 1, range.last]);
    await pool.start();

    const outcome = await pool.pair(await quickCode(home));
    expect(outcome).toEqual({ ok: true, port: first.bridge.port });
    await expect
      .poll(() => [...ready].sort())
      .toEqual([first.bridge.port, second.bridge.port].sort());
    expect(
      pool
        .views()
        .filter((view) => view.state === 'connected')
        .map((view) => view.client?.name)
        .sort(),
    ).toEqual(['Claude Desktop', 'Cursor']);

    expect(pool.broadcast(token)).toBe(2);
    await expect.poll(() => [first.tokens.length, second.tokens.length]).toEqual([1, 1]);
  });

  it('reconnects to a relay restarted on its port, without being asked', async () => {
    const range = await freePortRange(1);
    const home = await tempHome();
    const relay = await startTestBridge({ home, ports: range });
    const { pool, ready } = startPool([range.first]);
    await pool.start();
    expect((await pool.pair(await quickCode(home))).ok).toBe(true);
    await expect.poll(() => ready.length).toBe(1);

    await relay.bridge.close();
    await expect.poll(() => pool.views()[0]?.state).toBe('absent');
    const restarted = await startTestBridge({ home, ports: range });
    await expect.poll(() => ready.length, { timeout: 5_000 }).toBe(2);
    expect(pool.send(range.first, token)).toBe(true);
    await expect.poll(() => restarted.tokens.length).toBe(1);
  });

  it('marks a squatter as untrusted and keeps the token for the real relay', async () => {
    const home = await tempHome();
    const real = await startTestBridge({ home });
    const fake = await startFakeRelay();
    onTestFinished(() => fake.close());
    const { pool, ready } = startPool([fake.port, real.bridge.port]);
    await pool.start();

    const outcome = await pool.pair(await quickCode(home));
    expect(outcome).toEqual({ ok: true, port: real.bridge.port });
    await expect.poll(() => ready).toEqual([real.bridge.port]);
    await expect
      .poll(() => pool.views().find((view) => view.port === fake.port)?.state)
      .toBe('untrusted');

    expect(pool.broadcast(token)).toBe(1);
    await expect.poll(() => real.tokens.length).toBe(1);
    const types = fake.received.map((frame) => (frame as { type: string }).type);
    expect(types.every((type) => type === 'hello')).toBe(true);
  });

  it('explains a failed pairing: no relay running, or a code that matches no relay', async () => {
    const range = await freePortRange(2);
    const nobody = startPool([range.first, range.last]);
    expect(await nobody.pool.pair('K7QM-3XPA')).toEqual({
      ok: false,
      reason: 'no_relay',
      port: null,
    });
    expect(await nobody.pool.pair('12-34')).toEqual({
      ok: false,
      reason: 'invalid_code',
      port: null,
    });

    const relay = await startTestBridge();
    const code = await quickCode(relay.home);
    const typo = startPool([relay.bridge.port]);
    expect(await typo.pool.pair('K7QM-3XPA')).toEqual({
      ok: false,
      reason: 'code_mismatch',
      port: relay.bridge.port,
      triesLeft: 4,
    });
    // The same typo again spends no second try.
    expect(await typo.pool.pair('K7QM-3XPA')).toMatchObject({ triesLeft: 4 });
    expect(typo.pairing()).toBeNull();
    // A wrong typed code never reaches the relay: its code still pairs.
    expect(await typo.pool.pair(code)).toMatchObject({ ok: true });
  });

  it('says a relay that did not answer in time did not answer, not that the code is wrong', async () => {
    // A program that accepts the connection and never finishes the exchange (a relay stuck on
    // a busy machine): the patient's code may well be right, and no try is spent.
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => silent.once('listening', () => resolve()));
    onTestFinished(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const { port } = silent.address() as { port: number };
    const stuck = startPool([port], null, undefined, 300);
    expect(await stuck.pool.pair('K7QM-3XPA')).toEqual({
      ok: false,
      reason: 'relay_timeout',
      port,
    });
    expect(stuck.pairing()).toBeNull();
  });

  it('settles once every port has answered: a running relay ready, an empty port given up', async () => {
    const range = await freePortRange(2);
    const home = await tempHome();
    const relay = await startTestBridge({ home, ports: range });
    const paired = startPool([range.first, range.last]);
    await paired.pool.start();
    await paired.pool.pair(await quickCode(home));
    // The worker stops (its pool with it): otherwise the two pools would take the relay's one
    // extension session from each other, and a new pool kicked out between retries looks absent.
    paired.pool.stop();
    // A new pool (the background's after a restart) with that pairing, not yet connected.
    const { pool } = startPool([range.first, range.last], paired.pairing());
    await pool.start();
    expect(pool.views().some((view) => view.state === 'connected')).toBe(false);
    await pool.settled(5_000);
    expect(pool.views().map((view) => view.state)).toEqual(['connected', 'absent']);
    expect(relay.bridge.port).toBe(range.first);
  });

  it('stops checking a relay’s code after five distinct wrong typed codes', async () => {
    const relay = await startTestBridge();
    const code = await quickCode(relay.home);
    const { pool } = startPool([relay.bridge.port]);
    const left: Array<number | undefined> = [];
    for (const wrong of ['AAAA-AAAA', 'BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'EEEE-EEEE']) {
      const outcome = await pool.pair(wrong);
      left.push(outcome.ok ? undefined : outcome.triesLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect(await pool.pair(code)).toMatchObject({ ok: false, reason: 'pairing_locked' });
  });

  it('passes on the relays’ session frames (audit, renew requests) with their port', async () => {
    const home = await tempHome();
    const relay = await startTestBridge({ home });
    const { pool, frames, ready } = startPool([relay.bridge.port]);
    await pool.start();
    await pool.pair(await quickCode(home));
    await expect.poll(() => ready.length).toBe(1);
    relay.bridge.broadcast({ type: 'renew_request', reason: 'token_expired', tokenId: 'tok_1' });
    await expect
      .poll(() => frames.find((entry) => entry.frame.type === 'renew_request'))
      .toEqual({
        port: relay.bridge.port,
        frame: { type: 'renew_request', reason: 'token_expired', tokenId: 'tok_1' },
      });
  });

  it('says when every relay has handled a frame, and which did not in time or went away', async () => {
    const range = await freePortRange(2);
    const home = await tempHome();
    const first = await startTestBridge({ home, ports: range });
    const second = await startTestBridge({ home, ports: range });
    const sockets = stallableSockets();
    const { pool, ready } = startPool(
      [range.first, range.last],
      null,
      undefined,
      undefined,
      (url) => sockets.createSocket(url),
    );
    await pool.start();
    await pool.pair(await quickCode(home));
    await expect.poll(() => ready.length).toBe(2);

    // Handled means applied: each relay's handler has run when the answer comes.
    expect(await pool.broadcastHandled({ type: 'revoke', reason: 'paused' }, 2_000)).toEqual({
      sent: 2,
      handled: 2,
    });
    expect([first.revokes, second.revokes]).toEqual([['paused'], ['paused']]);

    // A relay that stops hearing us does not count, and the wait ends at the timeout.
    sockets.stall();
    const started = Date.now();
    expect(await pool.broadcastHandled({ type: 'revoke', reason: 'user' }, 300)).toEqual({
      sent: 2,
      handled: 0,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect([first.revokes, second.revokes]).toEqual([['paused'], ['paused']]);

    // A relay whose connection closes while we wait has not handled it: the wait ends then.
    const waiting = pool.broadcastHandled({ type: 'revoke', reason: 'user' }, 30_000);
    await Promise.all([first.bridge.close(), second.bridge.close()]);
    expect(await waiting).toEqual({ sent: 2, handled: 0 });
  });

  it('keeps each session alive with pings the relay answers', async () => {
    const home = await tempHome();
    const relay = await startTestBridge({ home });
    const { pool, frames, ready } = startPool([relay.bridge.port], null, 50);
    await pool.start();
    await pool.pair(await quickCode(home));
    await expect.poll(() => ready.length).toBe(1);
    await expect
      .poll(() => frames.filter((entry) => entry.frame.type === 'pong').length)
      .toBeGreaterThanOrEqual(3);
    expect(pool.views()[0]?.state).toBe('connected');
  });

  it('gives nothing to a relay of this home set up for another portal, and says so', async () => {
    const home = await tempHome();
    // The patient's own relay, started from a workspace config that points it elsewhere.
    const elsewhere = await startTestBridge({ home, portal: 'https://portal.example.net' });
    const { pool, ready } = startPool([elsewhere.bridge.port]);
    await pool.start();
    expect((await pool.pair(await quickCode(home))).ok).toBe(true);
    await expect.poll(() => pool.views()[0]?.state).toBe('wrong_portal');
    expect(pool.views()[0]?.relayPortal).toBe('https://portal.example.net');
    expect(ready).toEqual([]);
    // Told why it gets nothing, and nothing else reaches it.
    await expect.poll(() => elsewhere.revokes).toEqual(['wrong_portal']);
    expect(pool.broadcast(token)).toBe(0);
    expect(pool.send(elsewhere.bridge.port, token)).toBe(false);
    expect(elsewhere.tokens).toEqual([]);
  });
});
