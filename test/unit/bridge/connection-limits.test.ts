/**
 * A hostile local process (another user of the machine) ties up the bridge with raw sockets:
 * idle connections, half-sent headers, a WebSocket that ignores close frames, and a flood.
 */
import { describe, expect, it } from 'vitest';
import { connectToRelay } from '../../support/bridge-test-client';
import { openRawSocket, type RawSocket, upgradeRequest, waitMs } from '../../support/raw-socket';
import { pairedBridge, startTestBridge } from './bridge-fixture';

const QUICK = { upgradeTimeoutMs: 300, handshakeTimeoutMs: 300 };

describe('the bridge drops what it should not keep', () => {
  it('an idle TCP connection, soon after the upgrade deadline', async () => {
    const { bridge } = await startTestBridge(QUICK);
    const raw = await openRawSocket(bridge.port);
    expect(await raw.closed).toBeLessThan(1_500);
  });

  it('half-sent HTTP headers (slowloris), even while bytes keep trickling in', async () => {
    const { bridge } = await startTestBridge(QUICK);
    const raw = await openRawSocket(bridge.port);
    raw.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n`);
    const trickle = setInterval(() => raw.socket.write('X-A: b\r\n'), 100);
    try {
      expect(await raw.closed).toBeLessThan(1_500);
    } finally {
      clearInterval(trickle);
    }
  });

  it('an upgraded WebSocket that never authenticates and ignores the close frame', async () => {
    const { bridge } = await startTestBridge(QUICK);
    const raw = await openRawSocket(bridge.port);
    raw.socket.write(upgradeRequest(bridge.port));
    // The raw peer never answers the close frame; ws alone would wait 30 s for it.
    const closedAfter = await raw.closed;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 101/);
    expect(closedAfter).toBeLessThan(QUICK.handshakeTimeoutMs + 1_000 + 1_000);
  });

  it('a plain HTTP client gets its answer and the socket goes', async () => {
    const { bridge } = await startTestBridge(QUICK);
    const raw = await openRawSocket(bridge.port);
    raw.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n\r\n`);
    expect(await raw.closed).toBeLessThan(1_500);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 426/);
  });
});

describe('a flood of unauthenticated connections', () => {
  // The flood's held sockets must outlive the checks, and the extension's own handshakes must
  // fit their deadline, on a loaded machine too (300 ms did not, once, at a load of 15–24):
  // the production deadlines, and checks that wait on what they look at.
  const FLOOD = { upgradeTimeoutMs: 2_000, maxUnauthenticated: 4 };
  const droppedOf = (flood: RawSocket[]) => flood.filter((raw) => raw.isClosed()).length;
  async function untilDropped(flood: RawSocket[], count: number) {
    for (let i = 0; i < 250 && droppedOf(flood) < count; i++) await waitMs(20);
  }

  it('is capped: the extras are dropped on arrival', async () => {
    const { bridge } = await startTestBridge(FLOOD);
    const flood = await Promise.all(Array.from({ length: 12 }, () => openRawSocket(bridge.port)));
    await untilDropped(flood, 8);
    expect(droppedOf(flood)).toBe(8);
  });

  it('does not cut the extension that is already connected, and lets it back in once it passes', async () => {
    const { bridge, pairing } = await pairedBridge(FLOOD);
    const live = await connectToRelay(bridge.port, pairing);
    const flood = await Promise.all(Array.from({ length: 8 }, () => openRawSocket(bridge.port)));
    await untilDropped(flood, 4);
    expect(droppedOf(flood)).toBe(4);
    // While the flood holds every unauthenticated slot, a new connection is dropped...
    await expect(connectToRelay(bridge.port, pairing)).rejects.toThrow();
    // ...but the authenticated one still works.
    live.send({ type: 'ping', t: 1 });
    expect(await live.nextFrame('pong')).toEqual({ type: 'pong', t: 1 });
    // The flood's sockets time out, and the slots are free again.
    await Promise.all(flood.map((raw) => raw.closed));
    const again = await connectToRelay(bridge.port, pairing);
    expect(again.ready.pairingId).toBe(pairing.pairingId);
    await again.close();
    await live.close();
  });
});
