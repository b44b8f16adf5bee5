/**
 * The relay's side of the extension bridge: a WebSocket server on 127.0.0.1, on the first free
 * port of a small range, that only the HospiAI extension may open (checked in the HTTP upgrade,
 * before any WebSocket exists) and that only a paired extension gets past (see
 * extension-session.ts). Several relays, one per AI client, run side by side.
 * (Over 250 lines: the upgrade's checks, the port search and the table of sessions belong to one
 * server; a session itself is extension-session.ts.)
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type Translate, translator } from '../i18n/messages';
import type { Logger } from '../logger';
import { CHROME_EXTENSION_ID } from '../protocol/extension-identity';
import { randomId } from '../protocol/handshake-crypto';
import {
  CloseCode,
  HANDSHAKE_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  portsOf,
  RelaySessionFrame,
  type StatusFrame,
} from '../protocol/protocol';
import { GUARD_DEFAULTS, guardConnections } from './connection-guard';
import {
  type ExtensionFrameHandlers,
  ExtensionSession,
  type FrameSender,
} from './extension-session';
import type { PairingOffers } from './pairing-offers';
import { pinnedFirefoxOrigins } from './pairing-store';
import type { PortRange } from './port-range';
import { checkUpgrade, isFirefoxExtensionOrigin, type UpgradeDecision } from './upgrade-policy';

export interface BridgeOptions {
  /** The relay home's pairings and the codes this relay offers for pairing. */
  offers: PairingOffers;
  /** The portal this relay serves (an origin), stated in every handshake. */
  portal: string;
  /** {first: 0, last: 0} = an ephemeral port (tests). */
  ports: PortRange;
  /** Default [CHROME_EXTENSION_ID]. */
  allowedChromeIds?: string[];
  logger: Logger;
  handshakeTimeoutMs?: number;
  /** A pairing handshake's deadline (default PAIRING_HANDSHAKE_TIMEOUT_MS). */
  pairingTimeoutMs?: number;
  /** Unauthenticated connections held at once (default 16); more are dropped on arrival. */
  maxUnauthenticated?: number;
  /** Time from TCP accept to a complete upgrade request (default 2 s). */
  upgradeTimeoutMs?: number;
  /** Interval of the ws ping; a peer that missed the previous one is terminated. */
  heartbeatIntervalMs?: number;
  maxFramesPerSecond?: number;
  /** The clock that refills each connection's frame rate, in ms (default performance.now). */
  now?: () => number;
  /** Current status, sent right after `ready` and by pushStatus(). */
  getStatus: () => Omit<StatusFrame, 'type'>;
  /** What to do with each session frame of an authenticated extension. */
  frames: ExtensionFrameHandlers;
  onConnectionsChanged?: (authenticated: number) => void;
  /** Once per authenticated connection, after `ready` and `status`: what to send it first. */
  greet?: () => Promise<RelaySessionFrame | null>;
  /** The patient's language, for what a person reads (a full port range). English by default. */
  t?: Translate;
}

export interface Bridge {
  readonly port: number;
  /** randomId(12), per process. */
  readonly relayId: string;
  authenticatedCount(): number;
  /** Sends to every authenticated connection (or those of one pairing); returns how many got it. */
  broadcast(frame: RelaySessionFrame, to?: FrameSender): number;
  /** Sends `status` (from getStatus) to every authenticated connection. */
  pushStatus(): void;
  close(): Promise<void>;
}

export class PortRangeFullError extends Error {
  constructor(
    readonly first: number,
    readonly last: number,
    t: Translate = translator('en'),
  ) {
    super(t('PORT_RANGE_FULL', { first, last }));
    this.name = 'PortRangeFullError';
  }
}

const DEFAULT_HEARTBEAT_MS = 30_000;
/** After a close frame, how long a peer has to answer before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;
const FORBIDDEN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const log = options.logger;
  const relayId = randomId(12);
  const allowed = options.allowedChromeIds ?? [CHROME_EXTENSION_ID];
  const authenticated = new Set<ExtensionSession>();
  const alive = new WeakMap<WebSocket, boolean>();

  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    // Plain HTTP gets nothing to learn from: no body, no server name.
    res.writeHead(req.url === '/' ? 426 : 404, { Connection: 'close', 'Content-Length': '0' });
    res.end();
  });
  // An unfinished request must not hold a socket open for long (slowloris). Node checks these
  // only every few seconds: the guard below enforces the real deadlines per socket.
  server.headersTimeout = 2_000;
  server.requestTimeout = 5_000;
  const upgradeTimeoutMs = options.upgradeTimeoutMs ?? GUARD_DEFAULTS.upgradeTimeoutMs;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
  const guard = guardConnections(server, {
    maxUnauthenticated: options.maxUnauthenticated ?? GUARD_DEFAULTS.maxUnauthenticated,
    upgradeTimeoutMs,
    // The session closes politely at its deadline; this destroys whatever is still there.
    authenticateTimeoutMs: upgradeTimeoutMs + handshakeTimeoutMs + CLOSE_GRACE_MS,
    logger: log,
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const port = await listenInRange(server, options.ports, options.t);

  const notifyConnections = () => options.onConnectionsChanged?.(authenticated.size);

  const sockets = new WeakMap<ExtensionSession, Socket>();

  const onReady = (session: ExtensionSession) => {
    const socket = sockets.get(session);
    if (socket) guard.authenticated(socket);
    // The same extension reconnecting: the older socket is likely dead but not yet noticed.
    for (const other of authenticated) {
      if (other.pairingId === session.pairingId) {
        authenticated.delete(other);
        other.close(CloseCode.replaced, 'replaced by a newer connection');
      }
    }
    authenticated.add(session);
    log.info('extension authenticated', { pairingId: session.pairingId });
    notifyConnections();
    void options.greet?.().then(
      (frame) => {
        if (!frame) return;
        session.send(frame);
        // Said once it is on the wire: the frames this relay sends later come after it.
        log.info('greeted the extension', { frame: frame.type });
      },
      (error: unknown) => log.warn('could not greet the extension', { error }),
    );
  };

  const onConnection = (ws: WebSocket, socket: Socket, origin: string) => {
    const session = new ExtensionSession({
      origin,
      transport: {
        send: (text) => ws.send(text),
        close: (code, reason) => {
          ws.close(code, reason);
          // A peer that ignores the close frame would keep the socket for ws's 30 s.
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        },
      },
      offers: options.offers,
      portal: options.portal,
      relayId,
      port,
      logger: log,
      handshakeTimeoutMs,
      pairingTimeoutMs: options.pairingTimeoutMs,
      // The guard's hard deadline moves with the session's polite one.
      onPairingDeadline: (timeoutMs) => guard.extendDeadline(socket, timeoutMs + CLOSE_GRACE_MS),
      maxFramesPerSecond: options.maxFramesPerSecond,
      now: options.now,
      getStatus: options.getStatus,
      onReady,
      frames: options.frames,
    });
    sockets.set(session, socket);
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => session.receive(textOf(data), isBinary));
    ws.on('error', (error) => {
      // ws has already closed the socket (1009 for an oversized frame, 1002/1007 otherwise).
      log.warn('connection closed: invalid WebSocket traffic', { error: error.message });
    });
    ws.on('close', () => {
      session.transportClosed();
      if (authenticated.delete(session)) notifyConnections();
    });
  };

  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const decision = await decideUpgrade(req, port, allowed, options.offers).catch(
      (error: unknown): UpgradeDecision => {
        log.error('connection refused: could not read the pairings', { error });
        return { ok: false, reason: 'pairings unreadable' };
      },
    );
    if (socket.destroyed) return;
    if (!decision.ok) {
      log.warn('connection refused', {
        reason: decision.reason,
        origin: req.headers.origin?.slice(0, 100) ?? null,
      });
      socket.once('finish', () => socket.destroy());
      socket.end(FORBIDDEN);
      return;
    }
    // The scheme says which browser; the ID itself is redacted by the logger anyway.
    log.info('connection accepted', { browser: req.headers.origin?.split(':')[0] ?? null });
    guard.upgraded(socket as Socket);
    wss.handleUpgrade(req, socket, head, (ws) =>
      onConnection(ws, socket as Socket, req.headers.origin ?? ''),
    );
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        log.info('connection closed: peer stopped answering pings');
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  log.info('bridge listening', { host: '127.0.0.1', port, relayId });

  let closing: Promise<void> | undefined;
  const broadcast = (frame: RelaySessionFrame, to?: FrameSender): number => {
    // Nobody to send to (no extension connected): no frame to check (every tool call broadcasts).
    if (authenticated.size === 0) return 0;
    // Checked here so that a malformed frame fails at its source, not in every extension.
    const checked = RelaySessionFrame.safeParse(frame);
    if (!checked.success) {
      log.error('frame not sent: it does not match the protocol', { type: frame.type });
      return 0;
    }
    let sent = 0;
    for (const session of authenticated)
      if ((!to || session.pairingId === to.pairingId) && session.send(checked.data)) sent++;
    return sent;
  };

  return {
    port,
    relayId,
    authenticatedCount: () => authenticated.size,
    broadcast,
    pushStatus: () => {
      broadcast({ type: 'status', ...options.getStatus() });
    },
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        await closeClients(wss);
        wss.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        log.info('bridge closed', { port });
      })();
      return closing;
    },
  };
}

async function decideUpgrade(
  req: IncomingMessage,
  port: number,
  allowed: string[],
  offers: PairingOffers,
): Promise<UpgradeDecision> {
  // Node keeps the first of two Host headers and joins two Origins: refuse both cases outright.
  const names = req.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
  if (
    names.filter((n) => n === 'host').length > 1 ||
    names.filter((n) => n === 'origin').length > 1
  ) {
    return { ok: false, reason: 'duplicate Host or Origin header' };
  }
  const { host, origin } = req.headers;
  // Which Firefox installs paired, and whether a code waits, is read only for a Firefox origin.
  const firefox = origin !== undefined && isFirefoxExtensionOrigin(origin);
  return checkUpgrade({
    host,
    origin,
    port,
    allowed,
    pinnedFirefoxOrigins: firefox ? await pinnedFirefoxOrigins(offers.home) : [],
    pairingPending: firefox ? await offers.isOpen() : false,
  });
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Takes the first free port of the range; never disturbs whoever holds the others. */
async function listenInRange(server: Server, ports: PortRange, t?: Translate): Promise<number> {
  for (const port of portsOf(ports)) {
    try {
      await listen(server, port);
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      return address.port;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') continue;
      throw error;
    }
  }
  throw new PortRangeFullError(ports.first, ports.last, t);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: '127.0.0.1', port, exclusive: true });
  });
}

/** Tells every extension the relay is going away, then cuts whoever does not answer quickly. */
async function closeClients(wss: WebSocketServer): Promise<void> {
  const closing = [...wss.clients].map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        const timer = setTimeout(() => ws.terminate(), 500);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(CloseCode.goingAway, 'relay shutting down');
      }),
  );
  await Promise.all(closing);
}
