/**
 * ExtensionSession on its own (relay/bridge/extension-session.ts): a recording transport in
 * place of the socket, so its rules — deadlines, frames one at a time in order, what a failing
 * step does, what it sends when — are checked frame by frame and, for the deadlines, on vitest's
 * clock instead of real waits. session.test.ts checks the same connection through the bridge.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExtensionSession, type SessionOptions } from '../../../relay/bridge/extension-session';
import { PairingOffers } from '../../../relay/bridge/pairing-offers';
import { addPairing, newPairingRecord } from '../../../relay/bridge/pairing-store';
import { createLogger } from '../../../relay/logger';
import {
  type HandshakeContext,
  randomBytes,
  randomNonce,
  signProof,
} from '../../../relay/protocol/handshake-crypto';
import {
  CloseCode,
  fitCloseReason,
  HANDSHAKE_TIMEOUT_MS,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  PROTOCOL_VERSION,
  type TokenFrame,
} from '../../../relay/protocol/protocol';
import { EXTENSION_ORIGIN } from '../../support/bridge-test-client';
import { FAST_ITERATIONS, quickCode, TEST_PORTAL, tempHome } from './bridge-fixture';

const PORT = 47_610;

interface Recorded {
  session: ExtensionSession;
  /** Every frame the session sent, parsed. */
  sent: Record<string, unknown>[];
  closes: { code: number; reason: string }[];
  logs: string[];
  tokens: { frame: TokenFrame; pairingId: string }[];
  readied: ExtensionSession[];
  pairingDeadlines: number[];
  /** Resolves with the n-th frame the session sends (1-based). */
  nthSent(n: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

function openSession(offers: PairingOffers, overrides: Partial<SessionOptions> = {}): Recorded {
  const sent: Record<string, unknown>[] = [];
  const closes: { code: number; reason: string }[] = [];
  const logs: string[] = [];
  const tokens: Recorded['tokens'] = [];
  const readied: ExtensionSession[] = [];
  const pairingDeadlines: number[] = [];
  const waiters: { n: number; resolve: (frame: Record<string, unknown>) => void }[] = [];
  let resolveClosed: (closed: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });
  const session = new ExtensionSession({
    transport: {
      send: (text) => {
        sent.push(JSON.parse(text) as Record<string, unknown>);
        for (const waiter of waiters.filter((w) => w.n === sent.length))
          waiter.resolve(sent.at(-1)!);
      },
      close: (code, reason) => {
        closes.push({ code, reason });
        resolveClosed({ code, reason });
      },
    },
    offers,
    portal: TEST_PORTAL,
    origin: EXTENSION_ORIGIN,
    relayId: 'relay-under-test',
    port: PORT,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    getStatus: () => ({
      mcpClient: { name: 'Claude Desktop', version: '1.0.0' },
      token: { state: 'none', source: null, tokenId: null },
    }),
    onReady: (ready) => readied.push(ready),
    onPairingDeadline: (timeoutMs) => pairingDeadlines.push(timeoutMs),
    frames: { token: (frame, from) => tokens.push({ frame, pairingId: from.pairingId }) },
    ...overrides,
  });
  const nthSent = (n: number) =>
    sent[n - 1]
      ? Promise.resolve(sent[n - 1]!)
      : new Promise<Record<string, unknown>>((resolve) => waiters.push({ n, resolve }));
  return { session, sent, closes, logs, tokens, readied, pairingDeadlines, nthSent, closed };
}

async function homeWithPairing() {
  const home = await tempHome();
  const key = randomBytes(32);
  const record = newPairingRecord(key, EXTENSION_ORIGIN);
  await addPairing(home, record);
  return {
    home,
    key,
    pairingId: record.pairingId,
    offers: new PairingOffers({ home, iterations: FAST_ITERATIONS }),
  };
}

type PairedSession = Recorded & { key: Uint8Array; pairingId: string };

/** A session on a home with one pairing, whose key the test holds; its deadline starts now. */
async function pairedSession(): Promise<PairedSession> {
  const { offers, key, pairingId } = await homeWithPairing();
  return { ...openSession(offers), key, pairingId };
}

const hello = (mode: 'auth' | 'probe', pairingId: string, nonce = randomNonce()) =>
  JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, mode, nonce, pairingId });

/** The extension's side of an auth/probe handshake: hello, then the proof of the challenge. */
async function authenticate(recorded: PairedSession, mode: 'auth' | 'probe') {
  const { key, pairingId } = recorded;
  const nonce = randomNonce();
  recorded.session.receive(hello(mode, pairingId, nonce));
  const challenge = await recorded.nthSent(1);
  expect(challenge).toMatchObject({ type: 'challenge', portal: TEST_PORTAL });
  const ctx: HandshakeContext = {
    mode,
    port: PORT,
    portal: TEST_PORTAL,
    extensionNonce: nonce,
    relayNonce: String(challenge.nonce),
    pairingId,
  };
  recorded.session.receive(
    JSON.stringify({ type: 'proof', proof: await signProof('ext', key, ctx) }),
  );
}

const token: TokenFrame = {
  type: 'token',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRpZW50LTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2030-01-01T00:00:00.000Z',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('ExtensionSession: deadlines, on an injected clock', () => {
  it('closes a silent connection with handshakeTimeout at HANDSHAKE_TIMEOUT_MS, not before', async () => {
    vi.useFakeTimers();
    const recorded = await pairedSession();
    vi.advanceTimersByTime(HANDSHAKE_TIMEOUT_MS - 1);
    expect(recorded.closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(recorded.closes).toEqual([
      { code: CloseCode.handshakeTimeout, reason: 'handshake not completed in time' },
    ]);
    expect(recorded.session.state).toBe('closed');
  });

  it('gives a connection that asks to pair the pairing deadline instead, and says so', async () => {
    const { home, offers } = await homeWithPairing();
    await quickCode(home);
    vi.useFakeTimers();
    const recorded = openSession(offers);
    recorded.session.receive(
      JSON.stringify({
        type: 'hello',
        v: PROTOCOL_VERSION,
        mode: 'pair',
        nonce: randomNonce(),
        codeMadeBy: 'relay',
      }),
    );
    // The challenge is the event that proves the new deadline is set.
    expect(await recorded.nthSent(1)).toMatchObject({ type: 'challenge' });
    expect(recorded.pairingDeadlines).toEqual([PAIRING_HANDSHAKE_TIMEOUT_MS]);
    vi.advanceTimersByTime(PAIRING_HANDSHAKE_TIMEOUT_MS - 1);
    expect(recorded.closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(recorded.closes.map((c) => c.code)).toEqual([CloseCode.handshakeTimeout]);
  });

  it('never closes a connection that already went away when its deadline passes', async () => {
    vi.useFakeTimers();
    const recorded = await pairedSession();
    recorded.session.transportClosed();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(HANDSHAKE_TIMEOUT_MS * 2);
    expect(recorded.closes).toEqual([]);
  });
});

describe('ExtensionSession: frames in order, against the state they arrive in', () => {
  it('judges a second hello sent at once as the answer to the challenge: protocolError', async () => {
    const recorded = await pairedSession();
    const { pairingId } = recorded;
    // Both arrive before the first is handled (its pairing lookup reads the home).
    recorded.session.receive(hello('auth', pairingId));
    recorded.session.receive(hello('auth', pairingId));
    const closed = await recorded.closed;
    expect(recorded.sent.map((frame) => frame.type)).toEqual(['challenge']);
    expect(closed.code).toBe(CloseCode.protocolError);
    expect(closed.reason).toMatch(/^expected a proof frame/);
  });

  it('closes with internalError when a handshake step fails, without the failure’s text', async () => {
    const failing = {
      home: '/nonexistent',
      offers: () => Promise.reject(new Error('disk on fire at /secret/path')),
    } as unknown as PairingOffers;
    const recorded = openSession(failing);
    recorded.session.receive(
      JSON.stringify({
        type: 'hello',
        v: PROTOCOL_VERSION,
        mode: 'pair',
        nonce: randomNonce(),
        codeMadeBy: 'relay',
      }),
    );
    expect(await recorded.closed).toEqual({ code: CloseCode.internalError, reason: 'relay error' });
    expect(recorded.sent).toEqual([]);
    expect(recorded.logs.join('\n')).toContain('relay error during the handshake');
  });

  it('keeps every close reason within a WebSocket control frame (123 bytes), in any script', async () => {
    const recorded = await pairedSession();
    // A strict schema names the unknown keys in its error; these are three bytes a character.
    const extra = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`字段${'键'.repeat(8)}${i}`, 1]),
    );
    recorded.session.receive(
      JSON.stringify({
        type: 'hello',
        v: PROTOCOL_VERSION,
        mode: 'pair',
        nonce: randomNonce(),
        codeMadeBy: 'relay',
        ...extra,
      }),
    );
    const closed = await recorded.closed;
    expect(closed.code).toBe(CloseCode.protocolError);
    expect(closed.reason).toMatch(/^expected a hello frame/);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
  });
});

describe('ExtensionSession: what it sends, and when', () => {
  it('sends nothing for the relay before ready', async () => {
    const recorded = await pairedSession();
    expect(recorded.session.send({ type: 'pong', t: 1 })).toBe(false);
    expect(recorded.sent).toEqual([]);
    recorded.session.close(CloseCode.normal, 'bye');
  });

  it('once the extension proves its pairing: ready, then status, then pong and frames to handlers', async () => {
    const recorded = await pairedSession();
    await authenticate(recorded, 'auth');
    expect(await recorded.nthSent(3)).toMatchObject({ type: 'status' });
    expect(recorded.sent[1]).toEqual({
      type: 'ready',
      relayId: 'relay-under-test',
      pairingId: recorded.pairingId,
      mcpClient: { name: 'Claude Desktop', version: '1.0.0' },
    });
    expect(recorded.readied).toEqual([recorded.session]);
    expect(recorded.session.pairingId).toBe(recorded.pairingId);

    recorded.session.receive(JSON.stringify({ type: 'ping', t: 42 }));
    recorded.session.receive(JSON.stringify(token));
    expect(await recorded.nthSent(4)).toEqual({ type: 'pong', t: 42 });
    await vi.waitFor(() =>
      expect(recorded.tokens).toEqual([{ frame: token, pairingId: recorded.pairingId }]),
    );
    expect(recorded.closes).toEqual([]);
  });

  it('ignores every frame once closed: no answer, no handler', async () => {
    const recorded = await pairedSession();
    await authenticate(recorded, 'auth');
    await recorded.nthSent(3);
    recorded.session.close(CloseCode.normal, 'bye');
    recorded.session.receive(JSON.stringify({ type: 'ping', t: 1 }));
    recorded.session.receive(JSON.stringify(token));
    expect(recorded.session.send({ type: 'pong', t: 2 })).toBe(false);
    // Session frames are handled in microtasks; by the next macrotask any queued one would have been.
    await new Promise(setImmediate);
    expect(recorded.sent.map((frame) => frame.type)).toEqual(['challenge', 'ready', 'status']);
    expect(recorded.tokens).toEqual([]);
    expect(recorded.closes).toEqual([{ code: CloseCode.normal, reason: 'bye' }]);
  });

  it('answers doctor’s probe with ready and status, then closes it; a probe is never a session', async () => {
    const recorded = await pairedSession();
    await authenticate(recorded, 'probe');
    expect(await recorded.closed).toEqual({ code: CloseCode.normal, reason: 'probe answered' });
    expect(recorded.sent.map((frame) => frame.type)).toEqual(['challenge', 'ready', 'status']);
    expect(recorded.readied).toEqual([]);
    expect(recorded.session.pairingId).toBeNull();
  });
});

describe('fitCloseReason (both ends of the bridge)', () => {
  it('keeps a short reason, and cuts a long one to 123 bytes without splitting a character', () => {
    expect(fitCloseReason('probe answered')).toBe('probe answered');
    expect(fitCloseReason('a'.repeat(200))).toBe('a'.repeat(123));
    const cut = fitCloseReason(`x${'é'.repeat(100)}`); // 1 + 2 bytes each
    expect(cut).toBe(`x${'é'.repeat(61)}`);
    expect(Buffer.byteLength(cut)).toBe(123);
    expect(fitCloseReason('😀'.repeat(40))).toBe('😀'.repeat(30)); // 4 bytes each, no lone half
  });
});
