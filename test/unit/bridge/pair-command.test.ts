import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPairings } from '../../../relay/bridge/pairing-store';
import type { CommandContext } from '../../../relay/commands/command';
import { pair } from '../../../relay/commands/pair';
import { unpair } from '../../../relay/commands/unpair';
import { silentLogger } from '../../../relay/logger';
import { normalizePairingCode } from '../../../relay/protocol/handshake-crypto';
import { pairWithRelay, RelayNotProvenError } from '../../support/bridge-test-client';
import { FAST_ITERATIONS, quickCode, startTestBridge, tempHome } from './bridge-fixture';

function context(home: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    args,
    env: {},
    home,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    logger: silentLogger,
  };
  return { ctx, out, err };
}

describe('hospiai-mcp pair', () => {
  it('shows a readable code, how long it lasts, and where to type it', async () => {
    const home = path.join(await tempHome(), 'fresh');
    const { ctx, out } = context(home, []);

    expect(await pair(ctx)).toBe(0);

    const text = out.join('');
    expect(text).toMatch(/Pairing code: {2}[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\n/);
    expect(text).toContain(
      'Open the HospiAI extension’s window in your browser and type this code.',
    );
    expect(text).toContain('valid for 2 minutes');
    expect(text).toContain('5 tries');
    expect(text).toMatch(/until \d{2}:\d{2}\)/);
    // It created the home (0700) and a 0600 pending file that holds no code.
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const pending = path.join(home, 'pending-pairing.json');
    expect((await stat(pending)).mode & 0o777).toBe(0o600);
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)?.[1] ?? '';
    expect(await readFile(pending, 'utf8')).not.toContain(normalizePairingCode(code));
  });

  it('prints JSON with --json', async () => {
    const home = await tempHome();
    const { ctx, out } = context(home, ['--json']);

    expect(await pair(ctx)).toBe(0);

    const printed = JSON.parse(out.join(''));
    expect(printed).toEqual({
      code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      expiresAt: expect.any(String),
      triesLeft: 5,
    });
    const lifetime = Date.parse(printed.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(100_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
  });

  it('replaces the previous code', async () => {
    const { bridge, home } = await startTestBridge();
    const first = await quickCode(home);
    await quickCode(home);

    const stale = await pairWithRelay(bridge.port, first, {
      iterations: FAST_ITERATIONS,
    }).catch((e: unknown) => e);
    // The relay now proves the new code, so the extension stops: "not your relay / wrong code".
    expect(stale).toBeInstanceOf(RelayNotProvenError);
    expect(await listPairings(home)).toEqual([]);
  });

  it('refuses unknown arguments with its usage and exit code 2', async () => {
    const home = await tempHome();
    const { ctx, out, err } = context(home, ['--code', '1234']);

    expect(await pair(ctx)).toBe(2);
    expect(err.join('')).toContain('Usage: hospiai-mcp pair');
    expect(out).toEqual([]);
  });
});

describe('hospiai-mcp unpair', () => {
  async function twoPairings() {
    const { bridge, home } = await startTestBridge();
    const fast = { iterations: FAST_ITERATIONS };
    const a = await pairWithRelay(bridge.port, await quickCode(home), fast);
    const b = await pairWithRelay(bridge.port, await quickCode(home), fast);
    return { home, a, b };
  }

  it('removes one pairing by id', async () => {
    const { home, a, b } = await twoPairings();
    const { ctx, out } = context(home, [a.pairingId]);

    expect(await unpair(ctx)).toBe(0);
    expect(out.join('')).toContain(`Removed pairing ${a.pairingId}`);
    expect((await listPairings(home)).map((p) => p.pairingId)).toEqual([b.pairingId]);
  });

  it('removes all pairings with --all', async () => {
    const { home } = await twoPairings();
    const { ctx, out } = context(home, ['--all']);

    expect(await unpair(ctx)).toBe(0);
    expect(out.join('')).toBe('Removed 2 pairings.\n');
    expect(await listPairings(home)).toEqual([]);
  });

  it('lists the pairings when given no id', async () => {
    const { home, a, b } = await twoPairings();
    const { ctx, err } = context(home, []);

    expect(await unpair(ctx)).toBe(2);
    expect(err.join('')).toContain(a.pairingId);
    expect(err.join('')).toContain(b.pairingId);
  });

  it('says so when the pairing does not exist', async () => {
    const { home } = await twoPairings();
    const { ctx, err } = context(home, ['zzzzzzzzzzzzzzzz']);

    expect(await unpair(ctx)).toBe(1);
    expect(err.join('')).toContain('No pairing zzzzzzzzzzzzzzzz');
    expect(await listPairings(home)).toHaveLength(2);
  });
});
