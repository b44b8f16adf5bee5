/**
 * `hospiai-mcp serve --http`: the Streamable HTTP MCP endpoint many patients' assistants reach.
 * Every request, in this order: Host/Origin checked (403), bearer verified (401 with the
 * metadata pointer), per-patient rate limit (429 + Retry-After), body size (413), the tool's
 * scope (403 insufficient_scope), then the SDK transport of the caller's own session — or, for a
 * session another replica held, a one-request server (mcp-dispatch.ts); a request of the
 * 2026-07-28 protocol (no session) goes to the SDK v2 handler instead (modern-dispatch.ts).
 * Nothing is shared between patients but the portal's keys, the revocation verdicts (by token
 * id) and the portal connection pool. Longer than most modules (~400 lines): its options, the
 * server's set-up once bound (both protocol eras), and the request stages, which read best as
 * one list in the order they run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServer as ModernMcpServer } from '@modelcontextprotocol/server';
import type { Lang, Translate } from '../i18n/messages';
import { translator } from '../i18n/messages';
import type { Logger } from '../logger';
import { PortalClient } from '../portal/portal-client';
import type { VerifiedBearer } from './bearer';
import { createBearerVerifier } from './bearer-verifier';
import type { DirectReads } from './direct-read';
import type { ConfirmationPage } from './elicitation-confirmer';
import { enforceHeaderDeadline } from './header-deadline';
import { corsHeaders, header, methodNotAllowed, preflight, sendJson, sendRaw } from './http-io';
import { createQuestionStates, type QuestionStates } from './input-required-confirmer';
import { createMcpDispatch } from './mcp-dispatch';
import { allowedScopes, NOT_READ, readMessage, refuseBearer } from './mcp-request-checks';
import { createModernDispatch } from './modern-dispatch';
import { createAuthorizationServer } from './oauth/authorization-server';
import { sealerFor } from './oauth/sealed-secret';
import { createPatientRateLimiter, type RateLimit } from './patient-rate-limiter';
import { metadataPaths, protectedResourceMetadata } from './protected-resource';
import { remoteTranslator } from './remote-messages';
import { createRequestGuard, hostsOf } from './request-guard';
import { createRevocationCheck } from './revocation-check';
import { createSessionRegistry } from './session-registry';
import { createMemoryStateStore, type StateStore } from './state/state-store';

export interface RemoteServerOptions {
  host: string;
  port: number;
  /** The MCP endpoint as clients reach it; default http://HOST:PORT/mcp. */
  publicUrl: URL | null;
  /** Extra `host:port` values accepted besides the public URL's and the bound address's. */
  allowedHosts: string[];
  /** Browser origins allowed; default the public URL's origin. */
  allowedOrigins: string[];
  portalUrl: string;
  /** Names this replica in session ids (nginx routes sessions by it). */
  replicaId: string;
  revocationTtlMs: number;
  rateLimit: RateLimit;
  maxBodyBytes: number;
  /** Open connections held at once (idle ones included); more are refused at accept. */
  maxConnections: number;
  portalTimeoutMs: number;
  sessionIdleMs: number;
  shutdownGraceMs: number;
  /** An external OAuth authorization server; null: this server's own (relay/remote/oauth). */
  authorizationServer: string | null;
  /** Client metadata documents may be fetched from internal addresses. */
  clientMetadataInternalHosts: boolean;
  lang: Lang;
  logger: Logger;
  /** Makes the MCP server of a session: the tools, handed in by the wiring (commands/serve.ts). */
  sessionServer: (dependencies: {
    portal: PortalClient;
    t: Translate;
    logger: Logger;
    confirmationPage?: ConfirmationPage;
  }) => McpServer;
  /** Makes the MCP server of one 2026-07-28 request (SDK v2), likewise handed in. */
  modernServer: (dependencies: {
    portal: PortalClient;
    t: Translate;
    logger: Logger;
    confirmationPage?: ConfirmationPage;
    questionStates: QuestionStates;
  }) => ModernMcpServer;
  /** The read tools a plainly valid 2026-07-28 read is answered by, made once (direct-read.ts). */
  directReads: (dependencies: {
    portal: PortalClient;
    t: Translate;
    logger: Logger;
    confirmationPage?: ConfirmationPage;
    questionStates: QuestionStates;
  }) => DirectReads;
  /**
   * Signs the state of questions asked through input-required results; every replica a client's
   * calls may reach must share it (null: a key of this process only).
   */
  requestStateKey: string | null;
  /** A Redis URL every replica shares (sign-ins, spent states); null: this process's memory. */
  stateStoreUrl: string | null;
  /** Seals the portal tokens of sign-ins (required with a shared store); null: a key of this process. */
  sealKey: string | null;
  /** The scope each tool needs, checked before a call reaches a session (403 insufficient_scope). */
  toolScopes: ReadonlyMap<string, string | null>;
}

export interface RunningRemoteServer {
  /** The address the server is bound to, e.g. http://127.0.0.1:54321. */
  localUrl: string;
  publicUrl: URL;
  /** Stops taking requests, lets in-flight calls finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

export async function startRemoteServer(
  options: RemoteServerOptions,
): Promise<RunningRemoteServer> {
  const { logger } = options;
  const t = remoteTranslator(translator(options.lang));
  const portal = new PortalClient({
    baseUrl: options.portalUrl,
    t,
    logger: logger.child('portal'),
    timeoutMs: options.portalTimeoutMs,
  });
  const revocation = createRevocationCheck({ portal, ttlMs: options.revocationTtlMs });
  const verifier = createBearerVerifier({ portalUrl: options.portalUrl, revocation });
  const limiter = createPatientRateLimiter(options.rateLimit);
  // Sign-ins and spent states: shared by the replicas through Redis, or this process's own.
  const store: StateStore = options.stateStoreUrl
    ? await openSharedStore(options.stateStoreUrl, logger)
    : createMemoryStateStore();
  const sessions = createSessionRegistry({
    replicaId: options.replicaId,
    idleMs: options.sessionIdleMs,
    maxPerPatient: 20,
  });
  const state = { inFlight: 0, stopping: false, readyUntil: 0 };

  // Deadlines are enforced every second, not Node's default 30 s: a flood of half-sent
  // requests must not outlive its header timeout by half a minute.
  const http = createServer({ connectionsCheckingInterval: 1_000 });
  // A client has 5 s to send its headers and 30 s to send its whole request (not to be
  // answered: a tool call may wait for the patient); an idle kept-alive connection goes after
  // 65 s, longer than nginx's upstream keep-alive, so nginx is the one that closes it.
  http.headersTimeout = 5_000;
  http.requestTimeout = 30_000;
  http.keepAliveTimeout = 65_000;
  http.maxConnections = options.maxConnections;
  enforceHeaderDeadline(http, http.headersTimeout);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });

  // Bound: now the address is known, everything that names it is made once.
  const { port } = http.address() as AddressInfo;
  const bound = options.host.includes(':') ? `[${options.host}]` : options.host;
  const localUrl = `http://${bound}:${port}`;
  const publicUrl = options.publicUrl ?? new URL(`${localUrl}/mcp`);
  const guard = createRequestGuard({
    allowedHosts: [
      ...hostsOf(publicUrl),
      `${bound}:${port}`,
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      ...options.allowedHosts,
    ],
    allowedOrigins: [publicUrl.origin, ...options.allowedOrigins],
  });
  const oauth = options.authorizationServer
    ? null
    : createAuthorizationServer({
        store,
        replicaId: options.replicaId,
        sealer: sealerFor(options.sealKey),
        resource: publicUrl,
        portalUrl: options.portalUrl,
        verifier,
        lang: options.lang,
        toolScopes: [...new Set(options.toolScopes.values())].filter((scope) => scope !== null),
        metadataFetch: { allowInternalHosts: options.clientMetadataInternalHosts },
      });
  const metadata = {
    routes: new Set(metadataPaths(publicUrl)),
    body: JSON.stringify(
      protectedResourceMetadata({
        resource: publicUrl,
        authorizationServer: options.authorizationServer ?? (oauth?.issuer as string),
        portalUrl: options.portalUrl,
      }),
    ),
  };
  const questionStates = createQuestionStates(store, options.requestStateKey ?? undefined);
  const modernDependencies = {
    portal,
    t,
    logger,
    confirmationPage: oauth?.confirmationPage,
    questionStates,
  };
  const directReads = options.directReads(modernDependencies);
  const dispatch = createMcpDispatch({
    sessions,
    replicaId: options.replicaId,
    directReads,
    newServer: () =>
      options.sessionServer({
        portal,
        t,
        logger,
        confirmationPage: oauth?.confirmationPage,
      }),
  });

  const modern = createModernDispatch({
    maxBodyBytes: options.maxBodyBytes,
    newServer: () => options.modernServer(modernDependencies),
    directReads,
    onError: (error) => logger.debug('2026-07-28 request refused', { error: error.message }),
  });

  /** This server's own access tokens (a sign-in), or a HospiAI token itself (pasted). */
  const authenticate = (authorization: string | undefined): Promise<VerifiedBearer> => {
    const presented = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (oauth && presented && oauth.issued(presented)) return oauth.authenticate(presented);
    return verifier.verify(authorization);
  };

  /**
   * Every request, in this order; a stage that answers ends it. Host (and Origin) first, before
   * any other work; then what needs no token; then the MCP endpoint's token, budget, method,
   * body and scope; then the session.
   */
  const stages: Stage[] = [
    // The sign-in's routes: any client's origin may sign in (its forms check their own).
    async ({ req, res, path }) => {
      if (!oauth?.handles(path)) return false;
      const served = guard({ host: req.headers.host });
      if (!served.ok) sendJson(res, 403, { error: 'forbidden', error_description: served.reason });
      else await oauth.handle(req, res, path);
      return true;
    },
    ({ req, res }) => {
      const verdict = guard({ host: req.headers.host, origin: req.headers.origin });
      if (verdict.ok) {
        if (req.headers.origin) corsHeaders(res, req.headers.origin);
        return false;
      }
      sendJson(res, 403, { error: 'forbidden', error_description: verdict.reason });
      return true;
    },
    ({ req, res, path }) => {
      if (!metadata.routes.has(path)) return false;
      if (req.method === 'OPTIONS') preflight(res);
      else if (req.method !== 'GET' && req.method !== 'HEAD') methodNotAllowed(res, 'GET');
      else {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Cache-Control', 'public, max-age=300');
        sendRaw(res, 200, metadata.body);
      }
      return true;
    },
    async ({ res, path }) => {
      if (path === '/healthz') sendJson(res, 200, { status: 'ok' });
      else if (path === '/readyz') await readiness(res);
      else if (path !== publicUrl.pathname) sendJson(res, 404, { error: 'not_found' });
      else return false;
      return true;
    },
    ({ req, res }) => {
      if (req.method === 'OPTIONS') preflight(res);
      else if (state.stopping) {
        res.setHeader('Retry-After', '1');
        res.setHeader('Connection', 'close');
        sendJson(res, 503, { error: 'shutting_down' });
      } else return false;
      return true;
    },
    async (exchange) => {
      const { req, res } = exchange;
      try {
        exchange.bearer = await authenticate(req.headers.authorization);
        return false;
      } catch (error) {
        refuseBearer(res, publicUrl, error, Boolean(req.headers.authorization));
        return true;
      }
    },
    ({ res, bearer }) => {
      const wait = limiter.take((bearer as VerifiedBearer).patientId);
      if (wait <= 0) return false;
      res.setHeader('Retry-After', String(wait));
      sendJson(res, 429, {
        error: 'rate_limited',
        error_description: `too many requests; retry in ${wait} s`,
      });
      return true;
    },
    async ({ req, res, bearer }) => {
      const caller = bearer as VerifiedBearer;
      const sessionId = header(req, 'mcp-session-id');
      // No server-initiated stream (GET): everything this server sends answers a request, on
      // that request's own response stream (elicitation included).
      if (req.method === 'DELETE') await dispatch.end(req, res, caller, sessionId);
      else if (req.method !== 'POST') methodNotAllowed(res, 'POST, DELETE');
      else {
        const message = await readMessage(req, res, options.maxBodyBytes);
        if (message === NOT_READ) return true;
        if (!allowedScopes(res, publicUrl, message, caller, options.toolScopes)) return true;
        const served = !sessionId && (await modern.serveIfModern(req, res, caller, message));
        if (!served) await dispatch.post(req, res, caller, message, sessionId);
      }
      return true;
    },
  ];

  async function readiness(res: ServerResponse) {
    if (state.stopping) return sendJson(res, 503, { ready: false, reason: 'shutting down' });
    if (Date.now() > state.readyUntil) {
      try {
        await verifier.loadKeys();
        state.readyUntil = Date.now() + 5_000;
      } catch (error) {
        return sendJson(res, 503, {
          ready: false,
          reason: `portal keys unavailable: ${(error as Error).message}`,
        });
      }
    }
    // Every grant and every signed-in request reads the shared store: a replica that cannot
    // reach it cannot serve them (its own memory store always answers).
    // The why goes to the log only: /readyz answers anyone, and a client's error names hosts.
    try {
      await store.ping();
    } catch (error) {
      logger.warn('not ready: state store unreachable', { error: (error as Error).message });
      return sendJson(res, 503, { ready: false, reason: 'state store unreachable' });
    }
    return sendJson(res, 200, { ready: true, sessions: sessions.size });
  }

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    state.inFlight++;
    res.once('close', () => {
      state.inFlight--;
    });
    const exchange: Exchange = { req, res, path: (req.url ?? '/').split('?')[0] ?? '/' };
    runStages(stages, exchange).catch((error: unknown) => {
      logger.error('request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });
  // Keys now, so the first request does not pay for them; a failure shows in /readyz.
  verifier
    .loadKeys()
    .catch((error: unknown) =>
      logger.warn('could not fetch the portal keys yet', { error: (error as Error).message }),
    );

  let closing: Promise<void> | null = null;
  return {
    localUrl,
    publicUrl,
    close() {
      closing ??= (async () => {
        state.stopping = true;
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        const deadline = Date.now() + options.shutdownGraceMs;
        while (state.inFlight > 0 && Date.now() < deadline) await sleep(50);
        sessions.closeAll();
        await modern.close();
        http.closeAllConnections();
        await closed;
        portal.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * Redis, reached before the server listens: a store it cannot reach stops the start, said
 * plainly. Its client is loaded only then: a replica without a shared store never parses it.
 */
async function openSharedStore(url: string, logger: Logger): Promise<StateStore> {
  const where = new URL(url).host;
  const { createRedisStateStore } = await import('./state/redis-state-store');
  try {
    return await createRedisStateStore({
      url,
      prefix: 'hospiai-mcp:',
      onError: (error) => logger.warn('state store unreachable', { where, error: error.message }),
    });
  } catch (error) {
    throw new Error(
      `could not reach the state store (Redis at ${where}): ${(error as Error).message}`,
    );
  }
}

/** One request on its way through the stages; `bearer` once the token stage has passed. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  bearer?: VerifiedBearer;
}

/** Answers the request (true) or lets the next stage see it (false). */
type Stage = (exchange: Exchange) => boolean | Promise<boolean>;

async function runStages(stages: Stage[], exchange: Exchange): Promise<void> {
  for (const stage of stages) if (await stage(exchange)) return;
}
