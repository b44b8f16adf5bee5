import { describe, expect, it } from 'vitest';
import { listPairings } from '../../../relay/bridge/pairing-store';
import { CHROME_EXTENSION_ID } from '../../../relay/protocol/extension-identity';
import { CloseCode } from '../../../relay/protocol/protocol';
import {
  connectToRelay,
  EXTENSION_ORIGIN,
  openRawConnection,
  pairWithRelay,
  rawUpgradeRequest,
  UpgradeRefusedError,
} from '../../support/bridge-test-client';
import { FAST_ITERATIONS, quickCode, startTestBridge } from './bridge-fixture';

const accepted = (logs: string[]) => logs.filter((line) => line.includes('connection accepted'));

describe('the bridge upgrade', () => {
  it('switches protocols for the extension on 127.0.0.1 and on localhost', async () => {
    const { bridge, logs } = await startTestBridge();
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`]) {
      const { status } = await rawUpgradeRequest(bridge.port, { host, origin: EXTENSION_ORIGIN });
      expect(status).toBe(101);
    }
    expect(accepted(logs)).toHaveLength(2);
  });

  it('lets a Firefox install in to pair only while a code waits, then only the origin that paired', async () => {
    const { bridge, home, logs } = await startTestBridge();
    const firefox = 'moz-extension://3f1c2b7e-9a4d-4c1e-8b2a-0d5e6f7a8b9c';
    const otherAddOn = 'moz-extension://0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
    const upgrade = (origin: string) =>
      rawUpgradeRequest(bridge.port, { host: `127.0.0.1:${bridge.port}`, origin });

    // No code waiting, no Firefox pairing: a moz-extension origin gets no WebSocket at all.
    expect((await upgrade(firefox)).status).toBe(403);
    expect(logs.join('')).toContain('Firefox add-on not paired');

    const code = await quickCode(home);
    expect((await upgrade(otherAddOn)).status).toBe(101);
    const pairing = await pairWithRelay(bridge.port, code, {
      origin: firefox,
      iterations: FAST_ITERATIONS,
    });
    const [stored] = await listPairings(home);
    expect(stored?.origin).toBe(firefox);

    // The code is spent: the paired install still gets in, another add-on no longer does.
    expect((await upgrade(firefox)).status).toBe(101);
    expect((await upgrade(otherAddOn)).status).toBe(403);
    const connection = await connectToRelay(bridge.port, pairing, { origin: firefox });
    expect(connection.ready.pairingId).toBe(pairing.pairingId);
    await connection.close();
  });

  it('refuses a pairing to any origin but the one that made it, even with the right key', async () => {
    const { bridge, home } = await startTestBridge();
    const firefox = 'moz-extension://3f1c2b7e-9a4d-4c1e-8b2a-0d5e6f7a8b9c';
    const otherAddOn = 'moz-extension://0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
    const pairing = await pairWithRelay(bridge.port, await quickCode(home), {
      origin: firefox,
      iterations: FAST_ITERATIONS,
    });
    // Another install pairs too: both origins are now pinned, each to its own pairing.
    await pairWithRelay(bridge.port, await quickCode(home), {
      origin: otherAddOn,
      iterations: FAST_ITERATIONS,
    });
    for (const origin of [otherAddOn, EXTENSION_ORIGIN]) {
      await expect(connectToRelay(bridge.port, pairing, { origin })).rejects.toMatchObject({
        code: CloseCode.notPaired,
      });
    }
    const connection = await connectToRelay(bridge.port, pairing, { origin: firefox });
    await connection.close();
  });

  const hostileOrigins: Array<[string, string | undefined]> = [
    ['a web page', 'http://evil.test'],
    ['another extension', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['no Origin', undefined],
    ['Origin null', 'null'],
    ['a look-alike', `chrome-extension://${CHROME_EXTENSION_ID}.evil`],
    ['a trailing slash', `${EXTENSION_ORIGIN}/`],
  ];
  it.each(hostileOrigins)('answers 403 to %s before any WebSocket exists', async (_l, origin) => {
    const { bridge, logs } = await startTestBridge();
    const { status, response } = await rawUpgradeRequest(bridge.port, {
      host: `127.0.0.1:${bridge.port}`,
      origin,
    });

    expect(status).toBe(403);
    expect(response).toBe(
      'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    );
    expect(accepted(logs)).toEqual([]);
    expect(logs.join('')).toContain('connection refused');
  });

  const hostileHosts = (port: number): Array<[string, string | undefined]> => [
    ['a rebinding DNS name', `evil.test:${port}`],
    ['a look-alike of localhost', `localhost.evil:${port}`],
    ['the wrong port', `127.0.0.1:${port + 1}`],
    ['no Host', undefined],
  ];
  it('answers 403 to every hostile Host, even with the right Origin', async () => {
    const { bridge, logs } = await startTestBridge();
    for (const [label, host] of hostileHosts(bridge.port)) {
      const { status } = await rawUpgradeRequest(bridge.port, { host, origin: EXTENSION_ORIGIN });
      expect(status, label).toBe(403);
    }
    expect(accepted(logs)).toEqual([]);
  });

  it('answers 403 to a second Host or Origin header', async () => {
    const { bridge } = await startTestBridge();
    const host = `127.0.0.1:${bridge.port}`;
    const twoOrigins = await rawUpgradeRequest(bridge.port, {
      host,
      origin: EXTENSION_ORIGIN,
      extra: ['Origin: http://evil.test'],
    });
    const twoHosts = await rawUpgradeRequest(bridge.port, {
      host,
      origin: EXTENSION_ORIGIN,
      extra: ['Host: evil.test'],
    });
    expect([twoOrigins.status, twoHosts.status]).toEqual([403, 403]);
  });

  it('refuses a ws client with a hostile Origin (what a web page gets)', async () => {
    const { bridge } = await startTestBridge();
    const refused = await openRawConnection(bridge.port, { origin: 'http://evil.test' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UpgradeRefusedError);
    expect((refused as UpgradeRefusedError).status).toBe(403);
  });

  it('tells plain HTTP requests nothing', async () => {
    const { bridge } = await startTestBridge();
    const root = await fetch(`http://127.0.0.1:${bridge.port}/`);
    const other = await fetch(`http://127.0.0.1:${bridge.port}/pairings.json`);

    expect(root.status).toBe(426);
    expect(other.status).toBe(404);
    expect(await root.text()).toBe('');
    expect(await other.text()).toBe('');
    expect(root.headers.get('server')).toBeNull();
  });
});
