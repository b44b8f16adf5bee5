import type { AddressInfo } from 'node:net';
/**
 * The extension's bridge client in Node: its own handshake code (protocol/relay-connection.ts)
 * on `ws` sockets, so tests can pair with a relay, authenticate, deliver tokens, and misbehave
 * on purpose (any Origin/Host, raw frames, a code guesser). `startFakeRelay` is a port squatter
 * that speaks the protocol but cannot prove itself.
 */
import { connect } from 'node:net';
import WebSocket, { type RawData, WebSocketServer } from 'ws';
import { CHROME_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import {
  derivePairingKey,
  fromBase64Url,
  type HandshakeContext,
  normalizePairingCode,
  randomBytes,
  randomNonce,
  signProof,
  stretchPairingCode,
} from '../../relay/protocol/handshake-crypto';
import {
  CloseCode,
  HelloFrame,
  PairChallengeFrame,
  PROTOCOL_VERSION,
  ReadyFrame,
  type RelaySessionFrame,
} from '../../relay/protocol/protocol';
import {
  type Pairing,
  RelayConnection,
  type RelayCredentials,
  type SocketLike,
} from '../../relay/protocol/relay-connection';

export const EXTENSION_ORIGIN = `chrome-extension://${CHROME_EXTENSION_ID}`;

export interface ConnectOptions {
  /** Default: the pinned Chrome extension's origin. */
  origin?: string;
  /** Sent as the Host header instead of 127.0.0.1:PORT. */
  host?: string;
  /** PBKDF2 iterations; must match the pending code's (tests lower it for speed). */
  iterations?: number;
  timeoutMs?: number;
  /**
   * Send our proof even when the relay's is wrong, as a brute-forcer would (the real extension
   * never does: a mistyped code makes it stop at the relay's proof).
   */
  ignoreRelayProof?: boolean;
}

export interface Closed {
  code: number;
  reason: string;
}

/** The relay closed the connection while the client waited for a frame. */
export class RelayClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`relay closed the connection: ${code} ${reason}`);
    this.name = 'RelayClosedError';
  }
}

/** The peer's challenge proof was wrong: it is not the relay we paired with. */
export class RelayNotProvenError extends Error {
  constructor(readonly port: number) {
    super(`a program on port ${port} is not your relay`);
    this.name = 'RelayNotProvenError';
  }
}

/** The HTTP upgrade was answered with something other than 101. */
export class UpgradeRefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
    this.name = 'UpgradeRefusedError';
  }
}

/** A WebSocket to the bridge with a queue of received messages: no protocol logic. */
export interface RawConnection {
  readonly ws: WebSocket;
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** Next message as parsed JSON; rejects with RelayClosedError when the relay closed. */
  nextMessage(timeoutMs?: number): Promise<unknown>;
  /**
   * Resolves when the relay answers a WebSocket ping (no frame of the protocol): the event that
   * proves the connection was still open then. Rejects with RelayClosedError once it is closed.
   */
  stillOpen(): Promise<void>;
  readonly closed: Promise<Closed>;
  close(): Promise<Closed>;
}

function socketOptions(opts: ConnectOptions): WebSocket.ClientOptions {
  return {
    origin: opts.origin ?? EXTENSION_ORIGIN,
    headers: opts.host === undefined ? {} : { Host: opts.host },
    // The relay's limit is under test, not the client's.
    maxPayload: 0,
  };
}

export function openRawConnection(port: number, opts: ConnectOptions = {}): Promise<RawConnection> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, socketOptions(opts));
  const connection = rawConnection(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(connection));
    ws.once('unexpected-response', (_req, res) => {
      reject(new UpgradeRefusedError(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The socket's messages in a queue, its close as a promise: no protocol logic. */
function rawConnection(ws: WebSocket): RawConnection {
  const messages: unknown[] = [];
  const waiters: Array<() => void> = [];
  let closedWith: Closed | null = null;
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };

  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString('utf8') };
      resolve(closedWith);
      wake();
    });
  });
  ws.on('message', (data: RawData) => {
    messages.push(JSON.parse(rawText(data)));
    wake();
  });

  return {
    ws,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    nextMessage: async (timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (messages.length > 0) return messages.shift();
        if (closedWith) throw new RelayClosedError(closedWith.code, closedWith.reason);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message from the relay within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stillOpen: () =>
      new Promise<void>((resolve, reject) => {
        ws.once('pong', () => resolve());
        void closed.then(({ code, reason }) => reject(new RelayClosedError(code, reason)));
        if (ws.readyState === WebSocket.OPEN) ws.ping();
      }),
    closed,
    close: () => {
      if (ws.readyState !== WebSocket.CLOSED) ws.close(CloseCode.normal);
      return closed;
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

// ── the handshake, with the extension's own client ──────────────────────────

export type { Pairing };

/**
 * Runs the extension's handshake client (protocol/relay-connection.ts) on a `ws` socket with
 * these options' Origin and Host. Resolves once `ready` arrived; rejects with
 * RelayNotProvenError when the relay could not prove itself, RelayClosedError when it closed.
 */
function handshake(
  port: number,
  credentials: RelayCredentials,
  opts: ConnectOptions,
  onFrame: (frame: RelaySessionFrame) => void = () => {},
): Promise<{ ready: ReadyFrame; connection: RelayConnection; raw: RawConnection }> {
  return new Promise((resolve, reject) => {
    let raw: RawConnection | null = null;
    const createSocket = (url: string): SocketLike => {
      const ws = new WebSocket(url, socketOptions(opts));
      raw = rawConnection(ws);
      return ws;
    };
    const connection = new RelayConnection({
      port,
      credentials,
      createSocket,
      handshakeTimeoutMs: opts.timeoutMs,
      stretchIterations: opts.iterations,
      // The tests look for K's bytes in logs and files: they keep them.
      holdKey: async (key) => key,
      events: {
        onReady: (ready) => {
          if (!raw) return;
          const frame: ReadyFrame = {
            type: 'ready',
            relayId: ready.relayId,
            pairingId: ready.pairing.pairingId,
            mcpClient: ready.mcpClient,
          };
          resolve({ ready: frame, connection, raw });
          pairings.set(frame, ready.pairing);
        },
        onFrame,
        onClosed: (outcome, detail) => {
          if (outcome === 'untrusted') return reject(new RelayNotProvenError(port));
          void raw?.closed.then(({ code, reason }) =>
            reject(new RelayClosedError(code, reason || detail)),
          );
        },
      },
    });
  });
}

/** The pairing each handshake proved, by its ready frame. */
const pairings = new WeakMap<ReadyFrame, Pairing>();

/** Pairs with the code printed by `hospiai-mcp pair`, as the popup does, then disconnects. */
export async function pairWithRelay(
  port: number,
  code: string,
  opts: ConnectOptions = {},
): Promise<RawPairing> {
  const normalized = normalizePairingCode(code);
  if (!normalized) throw new Error(`"${code}" is not a pairing code`);
  if (opts.ignoreRelayProof) return guessPairingCode(port, normalized, opts);
  const { ready, raw } = await handshake(
    port,
    { mode: 'pair', codeMadeBy: 'relay', code: normalized },
    opts,
  );
  await raw.close();
  const pairing = pairings.get(ready);
  if (!pairing) throw new Error('the handshake gave no pairing');
  if (!(pairing.key instanceof Uint8Array)) throw new Error('the handshake kept no key bytes');
  return { pairingId: pairing.pairingId, key: pairing.key };
}

/** A pairing as a test holds it: with the key's bytes, to look for them where they must not be. */
export interface RawPairing {
  pairingId: string;
  key: Uint8Array;
}

export interface TestExtensionConnection {
  readonly ready: ReadyFrame;
  readonly raw: RawConnection;
  /** Sends any frame, valid or not. */
  send(frame: unknown): void;
  /** The next relay frame of that type (others stay queued); every frame is schema-checked. */
  nextFrame<T extends RelaySessionFrame['type']>(
    type?: T,
    timeoutMs?: number,
  ): Promise<Extract<RelaySessionFrame, { type: T }>>;
  /** Frames received and not taken by nextFrame yet, in order. */
  queued(): RelaySessionFrame[];
  readonly closed: Promise<Closed>;
  close(): Promise<Closed>;
}

/** Authenticates with an existing pairing; resolves once `ready` arrived. */
export async function connectToRelay(
  port: number,
  pairing: Pairing,
  opts: ConnectOptions = {},
): Promise<TestExtensionConnection> {
  const pending: RelaySessionFrame[] = [];
  let arrived = () => {};
  const { ready, raw } = await handshake(port, { mode: 'auth', pairing }, opts, (frame) => {
    pending.push(frame);
    arrived();
  });

  // 15 s by default: a relay's frame takes seconds on a loaded machine (5 s ran out in a
  // Node 24 CI run), and no test waits for a frame that should not come.
  const nextFrame = async <T extends RelaySessionFrame['type']>(
    type?: T,
    timeoutMs = 15_000,
  ): Promise<Extract<RelaySessionFrame, { type: T }>> => {
    const matches = (f: RelaySessionFrame): f is Extract<RelaySessionFrame, { type: T }> =>
      type === undefined || f.type === type;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = pending.findIndex(matches);
      const found = pending[index];
      if (found && matches(found)) {
        pending.splice(index, 1);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type ?? 'session'} frame within ${timeoutMs} ms`);
      await Promise.race([
        new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, left);
        }),
        raw.closed.then(({ code, reason }) => {
          throw new RelayClosedError(code, reason);
        }),
      ]);
    }
  };

  return {
    ready,
    raw,
    send: raw.send,
    nextFrame,
    queued: () => [...pending],
    closed: raw.closed,
    close: raw.close,
  };
}

// ── hostile peers ────────────────────────────────────────────────────────────

/**
 * A code guesser: sends its proof for `code` whatever the relay proved, which the extension
 * never does (a mistyped code makes it stop at the relay's proof). Resolves with the pairing
 * when the guess was right; rejects with RelayClosedError when the relay refused it.
 */
async function guessPairingCode(
  port: number,
  code: string,
  opts: ConnectOptions,
): Promise<RawPairing> {
  const connection = await openRawConnection(port, opts);
  try {
    const hello: HelloFrame = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      mode: 'pair',
      nonce: randomNonce(),
      codeMadeBy: 'relay',
    };
    connection.send(hello);
    const challenge = PairChallengeFrame.parse(await connection.nextMessage(opts.timeoutMs));
    const [offer] = challenge.offers;
    if (!offer) throw new Error('no offer');
    const ctx: HandshakeContext = {
      mode: 'pair',
      port,
      portal: challenge.portal,
      extensionNonce: hello.nonce,
      relayNonce: challenge.nonce,
      codeMadeBy: 'relay',
      salt: offer.salt,
    };
    const stretched = await stretchPairingCode(code, fromBase64Url(offer.salt), opts.iterations);
    connection.send({
      type: 'proof',
      salt: offer.salt,
      proof: await signProof('ext', stretched, ctx),
    });
    const ready = ReadyFrame.parse(await connection.nextMessage(opts.timeoutMs));
    const key = await derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce);
    return { pairingId: ready.pairingId, key };
  } finally {
    await connection.close();
  }
}

/**
 * What a program that knows neither the code nor a pairing key answers a hello with: a
 * well-formed challenge whose proofs are made with keys it made up (a portal it made up too).
 */
export async function forgedChallenge(frame: unknown, port: number): Promise<object | null> {
  const hello = HelloFrame.safeParse(frame);
  if (!hello.success) return null;
  const ctx: HandshakeContext = {
    mode: hello.data.mode,
    port,
    portal: 'http://127.0.0.1:47600',
    extensionNonce: hello.data.nonce,
    relayNonce: randomNonce(),
    ...(hello.data.mode === 'pair'
      ? { codeMadeBy: hello.data.codeMadeBy }
      : { pairingId: hello.data.pairingId }),
  };
  const base = {
    type: 'challenge',
    v: PROTOCOL_VERSION,
    nonce: ctx.relayNonce,
    portal: ctx.portal,
  };
  if (hello.data.mode !== 'pair') {
    return { ...base, proof: await signProof('relay', randomBytes(32), ctx) };
  }
  const salt = randomNonce().slice(0, 22);
  return {
    ...base,
    offers: [{ salt, proof: await signProof('relay', randomBytes(32), { ...ctx, salt }) }],
  };
}

/**
 * Sends a hand-written upgrade request and returns the HTTP status line's code, so tests see
 * exactly what the bridge answers before any WebSocket exists. `undefined` omits a header.
 */
export function rawUpgradeRequest(
  port: number,
  headers: { host?: string; origin?: string; extra?: string[] },
): Promise<{ status: number; response: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      response += chunk;
      // The status line and headers are all a test needs; an accepted socket would stay open.
      if (response.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ status, response });
    });
    const lines = [
      'GET / HTTP/1.1',
      ...(headers.host === undefined ? [] : [`Host: ${headers.host}`]),
      ...(headers.origin === undefined ? [] : [`Origin: ${headers.origin}`]),
      ...(headers.extra ?? []),
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Key: ${Buffer.from(randomBytes(16)).toString('base64')}`,
      '',
      '',
    ];
    socket.write(lines.join('\r\n'));
    setTimeout(() => socket.destroy(), 2_000).unref();
  });
}

export interface FakeRelay {
  readonly port: number;
  /** Every frame the fake received, parsed, in order, across connections. */
  readonly received: unknown[];
  /** Resolves once every connection opened so far has closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A squatter on a relay port: answers hello with a well-formed challenge whose proof is made
 * with a key it made up (it knows neither the code nor a pairing key), and records what it got.
 */
export async function startFakeRelay(): Promise<FakeRelay> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: unknown[] = [];
  const closings: Promise<void>[] = [];
  const relayPort = () => (wss.address() as AddressInfo).port;

  wss.on('connection', (ws) => {
    closings.push(new Promise((resolve) => ws.once('close', () => resolve())));
    ws.on('message', async (data: RawData) => {
      const frame: unknown = JSON.parse(rawText(data));
      received.push(frame);
      const challenge = await forgedChallenge(frame, relayPort());
      if (challenge) ws.send(JSON.stringify(challenge));
    });
  });

  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('fake relay has no port');
  return {
    port: address.port,
    received,
    allClosed: async () => {
      await Promise.all(closings);
    },
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

export interface ForwardingRelay {
  readonly port: number;
  /** Every frame that went through, in either direction. */
  readonly seen: Array<{ from: 'extension' | 'relay'; frame: unknown }>;
  /**
   * Resolves when an extension's connection to the forwarder closes: every frame it sent came
   * before (one socket keeps its order), so what `seen` lacks then was never sent.
   */
  readonly extensionClosed: Promise<void>;
  close(): Promise<void>;
}

/**
 * A squatter on another port of the range that relays every frame to the real relay (as any
 * local process can, forging the extension's Origin) and records what passes through.
 */
export async function startForwardingRelay(targetPort: number): Promise<ForwardingRelay> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const seen: ForwardingRelay['seen'] = [];
  const upstreams: WebSocket[] = [];
  let extensionHungUp = () => {};
  const extensionClosed = new Promise<void>((resolve) => {
    extensionHungUp = resolve;
  });

  wss.on('connection', (downstream) => {
    const upstream = new WebSocket(`ws://127.0.0.1:${targetPort}/`, { origin: EXTENSION_ORIGIN });
    upstreams.push(upstream);
    const early: string[] = [];
    upstream.on('open', () => {
      for (const text of early.splice(0)) upstream.send(text);
    });
    downstream.on('message', (data: RawData) => {
      const text = rawText(data);
      seen.push({ from: 'extension', frame: JSON.parse(text) });
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else early.push(text);
    });
    upstream.on('message', (data: RawData) => {
      const text = rawText(data);
      seen.push({ from: 'relay', frame: JSON.parse(text) });
      downstream.send(text);
    });
    upstream.on('close', (code, reason) => downstream.close(code, reason.toString('utf8')));
    downstream.on('close', () => {
      upstream.close();
      extensionHungUp();
    });
  });

  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('forwarder has no port');
  return {
    port: address.port,
    seen,
    extensionClosed,
    close: () =>
      new Promise((resolve) => {
        for (const ws of [...wss.clients, ...upstreams]) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * The extension's sockets to relays, as the browser opens them, with a switch that makes every
 * relay reached this way stop hearing the extension (a relay stuck, or a connection dying
 * without closing): what is sent after `stall()` never arrives.
 */
export function stallableSockets(): { createSocket: (url: string) => WebSocket; stall(): void } {
  let stalled = false;
  return {
    createSocket: (url) => {
      const ws = new WebSocket(url, { origin: EXTENSION_ORIGIN });
      const send = ws.send.bind(ws);
      ws.send = ((data: string) => {
        if (!stalled) send(data);
      }) as WebSocket['send'];
      return ws;
    },
    stall: () => {
      stalled = true;
    },
  };
}
