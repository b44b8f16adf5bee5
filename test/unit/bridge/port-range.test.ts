import { createServer, type Server } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PortRangeFullError } from '../../../relay/bridge/bridge-server';
import {
  InvalidPortRangeError,
  parsePortRange,
  portRangeFromEnv,
} from '../../../relay/bridge/port-range';
import { DEFAULT_PORT_RANGE, portsOf } from '../../../relay/protocol/protocol';
import { startTestBridge } from './bridge-fixture';

describe('parsePortRange', () => {
  it('defaults to the range the extension scans', () => {
    expect(parsePortRange(undefined)).toEqual(DEFAULT_PORT_RANGE);
    expect(portRangeFromEnv({})).toEqual(DEFAULT_PORT_RANGE);
    expect(parsePortRange('  ')).toEqual(DEFAULT_PORT_RANGE);
  });

  it('reads a range, a single port, and 0 for an ephemeral port', () => {
    expect(parsePortRange('47700-47709')).toEqual({ first: 47_700, last: 47_709 });
    expect(parsePortRange(' 47700 - 47701 ')).toEqual({ first: 47_700, last: 47_701 });
    expect(portRangeFromEnv({ HOSPIAI_MCP_PORTS: '47800' })).toEqual({
      first: 47_800,
      last: 47_800,
    });
    expect(parsePortRange('0')).toEqual({ first: 0, last: 0 });
  });

  it.each([
    ['text', 'abc'],
    ['a negative port', '-5'],
    ['a port above 65535', '70000'],
    ['a reversed range', '47619-47610'],
    ['a range starting at 0', '0-10'],
    ['a list', '47610,47611'],
    ['a fractional port', '47610.5'],
    ['a range wider than the extension scans', '40000-40200'],
  ])('refuses %s with a message naming the variable and a valid example', (_label, value) => {
    expect(() => parsePortRange(value)).toThrow(InvalidPortRangeError);
    expect(() => parsePortRange(value)).toThrow(/HOSPIAI_MCP_PORTS=.*47610-47619/);
  });
});

describe('portsOf', () => {
  it('lists every port of the range in order, both ends included', () => {
    expect(portsOf({ first: 47_610, last: 47_613 })).toEqual([47_610, 47_611, 47_612, 47_613]);
    expect(portsOf({ first: 47_800, last: 47_800 })).toEqual([47_800]);
    expect(portsOf(DEFAULT_PORT_RANGE)).toHaveLength(10);
  });
});

/** Holds a port like another program would; the bridge must skip it, not disturb it. */
async function occupyPort(port = 0): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve());
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server };
}

describe('taking a port of the range', () => {
  it('skips a taken port and gives two bridges two different ports of the range', async () => {
    const taken = await occupyPort();
    const ports = { first: taken.port, last: taken.port + 4 };

    const a = await startTestBridge({ ports });
    const b = await startTestBridge({ ports, home: a.home });

    expect(a.bridge.port).toBeGreaterThan(taken.port);
    expect(b.bridge.port).toBeGreaterThan(taken.port);
    expect(a.bridge.port).not.toBe(b.bridge.port);
    expect(Math.max(a.bridge.port, b.bridge.port)).toBeLessThanOrEqual(ports.last);
    // The squatter's socket is untouched.
    expect(taken.server.listening).toBe(true);
  });

  it('throws PortRangeFullError, naming the range and HOSPIAI_MCP_PORTS, when all are taken', async () => {
    const taken = await occupyPort();
    const ports = { first: taken.port, last: taken.port };

    const error = await startTestBridge({ ports }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PortRangeFullError);
    expect((error as PortRangeFullError).message).toContain(`${taken.port} to ${taken.port}`);
    expect((error as PortRangeFullError).message).toContain('HOSPIAI_MCP_PORTS');
    expect(taken.server.listening).toBe(true);
  });
});
