/**
 * Shared set-up for the bridge tests: a private temp home, a bridge on an ephemeral port with a
 * log collector and recorded callbacks, and quick pairing codes. Everything is torn down when
 * the test finishes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished, vi } from 'vitest';
import { type Bridge, type BridgeOptions, startBridge } from '../../../relay/bridge/bridge-server';
import { PairingOffers } from '../../../relay/bridge/pairing-offers';
import { createPendingPairing } from '../../../relay/bridge/pairing-store';
import { ensureHome } from '../../../relay/home';
import { createLogger } from '../../../relay/logger';
import type { TokenFrame } from '../../../relay/protocol/protocol';
import { type Pairing, pairWithRelay } from '../../support/bridge-test-client';

/** PBKDF2 iterations for test codes: the real count costs ~0.2 s per stretch on this machine. */
export const FAST_ITERATIONS = 1_000;

export async function tempHome(): Promise<string> {
  const home = path.join(await mkdtemp(path.join(tmpdir(), 'hospiai-bridge-')), 'home');
  await ensureHome(home);
  onTestFinished(() => rm(path.dirname(home), { recursive: true, force: true }));
  return home;
}

/** The portal the test bridges say they serve. */
export const TEST_PORTAL = 'http://127.0.0.1:47600';

export interface TestBridge {
  bridge: Bridge;
  home: string;
  offers: PairingOffers;
  logs: string[];
  tokens: TokenFrame[];
  revokes: string[];
  confirmations: string[];
  connectionCounts: number[];
}

export async function startTestBridge(
  overrides: Partial<BridgeOptions> & { home?: string } = {},
): Promise<TestBridge> {
  const home = overrides.home ?? (await tempHome());
  const logs: string[] = [];
  const tokens: TokenFrame[] = [];
  const revokes: string[] = [];
  const confirmations: string[] = [];
  const connectionCounts: number[] = [];
  // A confirmation's quiet time is short here; pairing-without-terminal tests its real use.
  const offers =
    overrides.offers ??
    new PairingOffers({ home, iterations: FAST_ITERATIONS, confirmQuietMs: 200 });
  const bridge = await startBridge({
    offers,
    portal: TEST_PORTAL,
    ports: { first: 0, last: 0 },
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    getStatus: () => ({
      mcpClient: { name: 'Claude Desktop', version: '1.0.0' },
      token: { state: 'none', source: null, tokenId: null },
    }),
    frames: {
      token: (frame) => tokens.push(frame),
      revoke: (frame) => revokes.push(frame.reason),
      confirmation_result: (frame) => confirmations.push(`${frame.id}:${frame.decision}`),
    },
    onConnectionsChanged: (count) => connectionCounts.push(count),
    ...overrides,
  });
  onTestFinished(() => bridge.close());
  return { bridge, home, offers, logs, tokens, revokes, confirmations, connectionCounts };
}

/** A pending code that test clients stretch quickly (they must pass FAST_ITERATIONS too). */
export async function quickCode(
  home: string,
  options: { ttlMs?: number; tries?: number } = {},
): Promise<string> {
  const { code } = await createPendingPairing(home, { iterations: FAST_ITERATIONS, ...options });
  return code;
}

/** A bridge with one paired extension. */
export async function pairedBridge(
  overrides: Partial<BridgeOptions> & { home?: string } = {},
): Promise<TestBridge & { pairing: Pairing }> {
  const test = await startTestBridge(overrides);
  const code = await quickCode(test.home);
  const pairing = await pairWithRelay(test.bridge.port, code, { iterations: FAST_ITERATIONS });
  return { ...test, pairing };
}

/** A code with one character changed: same shape, wrong value. */
export function wrongCode(code: string): string {
  const first = code[0] === 'A' ? 'B' : 'A';
  return `${first}${code.slice(1)}`;
}

/**
 * The relay's deadlines and heartbeat on vitest's clock for the rest of the test: they fire
 * when the test advances it, not after real waits. Sockets stay real (Node's own I/O timers
 * are not the global ones); timers set before this call keep real time.
 */
export function relayTimersOnTestClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  // Registered after the bridge's close, so it runs before it (stack order): a real clock again.
  onTestFinished(() => {
    vi.useRealTimers();
  });
}
