/**
 * `hospiai-mcp serve --http`: the Streamable HTTP MCP endpoint many patients' assistants reach.
 * Every request, in this order: Host/Origin checked (403), bearer verified (401 with the
 * metadata pointer), per-patient rate limit (429 + Retry-After), body size (413), the tool's
 * scope (403 insufficient_scope), then the SDK transport of the caller's own session — or, for a
 * session another replica held, a one-request server. Nothing is shared between patients but
 * the portal's keys, the revocation verdicts (by token id) and the portal connection pool.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Lang, Translate } from '../i18n/messages';
import { translator } from '../i18n/messages';
import type { Logger } from '../logger';
import { PortalClient } from '../portal/portal-client';
import { BearerRefused, type VerifiedBearer } from './bearer';
import { createBearerVerifier } from './bearer-verifier';
import type { ConfirmOnPage } from './elicitation-confirmer';
import { enforceHeaderDeadline } from './header-deadline';
import { header, readBody, sendJson, sendRaw } from './http-io';
import { type AuthorizationServer, createAuthorizationServer } from './oauth/authorization-server';
import { createPatientRateLimiter, type RateLimit } from './patient-rate-limiter';
import {
  insufficientScopeChallenge,
  metadataPaths,
  protectedResourceMetadata,
  unauthorizedChallenge,
} from './protected-resource';
import { remoteTranslator } from './remote-messages';
import { createRequestGuard, hostsOf } from './request-guard';
import { requestScope } from './request-scope';
import { createRevocationCheck } from './revocation-check';
import { createSessionRegistry } from './session-registry';

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
    confirmOnPage?: ConfirmOnPage;
  }) => McpServer;
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
  const t = remoteTranslator(options.lang, translator(options.lang));
  const portal = new PortalClient({
    baseUrl: options.portalUrl,
    t,
    logger: logger.child('portal'),
    timeoutMs: options.portalTimeoutMs,
  });
  const revocation = createRevocationCheck({ portal, ttlMs: options.revocationTtlMs });
  const verifier = createBearerVerifier({ portalUrl: options.portalUrl, revocation });
  const limiter = createPatientRateLimiter(options.rateLimit);
  const sessions = createSessionRegistry({
    replicaId: options.replicaId,
    idleMs: options.sessionIdleMs,
    maxPerPatient: 20,
  });
  const newServer = () =>
    options.sessionServer({
      portal,
      t,
      logger,
      confirmOnPage: (bearer, question, run) => oauth?.confirmOnPage(bearer, question, run) ?? null,
    });

  let publicUrl: URL = options.publicUrl ?? new URL('http://127.0.0.1/mcp');
  let guard = createRequestGuard({ allowedHosts: [], allowedOrigins: [] });
  let metadataBody = '';
  let metadataRoutes = new Set<string>();
  let oauth: AuthorizationServer | null = null;
  let inFlight = 0;
  let stopping = false;
  let readyUntil = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (oauth?.handles(path)) {
      // Any client's origin may sign in (the consent form checks its own); the Host still counts.
      const served = guard({ host: req.headers.host });
      if (!served.ok)
        return sendJson(res, 403, { error: 'forbidden', error_description: served.reason });
      return oauth.handle(req, res, path);
    }
    const verdict = guard({ host: req.headers.host, origin: req.headers.origin });
    if (!verdict.ok)
      return sendJson(res, 403, { error: 'forbidden', error_description: verdict.reason });
    const origin = req.headers.origin;
    if (origin) corsHeaders(res, origin);

    if (metadataRoutes.has(path)) {
      if (req.method === 'OPTIONS') return preflight(res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cache-Control', 'public, max-age=300');
      return sendRaw(res, 200, metadataBody);
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') return readiness(res);
    if (path !== publicUrl.pathname) return sendJson(res, 404, { error: 'not_found' });
    if (req.method === 'OPTIONS') return preflight(res);
    if (stopping) {
      res.setHeader('Retry-After', '1');
      res.setHeader('Connection', 'close');
      return sendJson(res, 503, { error: 'shutting_down' });
    }

    let bearer: VerifiedBearer;
    try {
      bearer = await authenticate(req.headers.authorization);
    } catch (error) {
      const refused =
        error instanceof BearerRefused
          ? error
          : new BearerRefused('temporarily_unavailable', 'the token could not be checked');
      if (refused.error === 'temporarily_unavailable') {
        res.setHeader('Retry-After', '5');
        return sendJson(res, 503, { error: refused.error, error_description: refused.reason });
      }
      const hasToken = Boolean(req.headers.authorization);
      res.setHeader(
        'WWW-Authenticate',
        unauthorizedChallenge(
          publicUrl,
          hasToken ? { code: refused.error, description: refused.reason } : undefined,
        ),
      );
      return sendJson(res, 401, { error: refused.error, error_description: refused.reason });
    }

    const wait = limiter.take(bearer.patientId);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return sendJson(res, 429, {
        error: 'rate_limited',
        error_description: `too many requests; retry in ${wait} s`,
      });
    }

    const sessionId = header(req, 'mcp-session-id');
    if (req.method === 'GET') {
      // No server-initiated stream: everything this server sends answers a request, on that
      // request's own response stream (elicitation included).
      return methodNotAllowed(res, 'POST, DELETE');
    }
    if (req.method === 'DELETE') {
      const session = sessionId ? sessions.find(sessionId, bearer.patientId) : undefined;
      if (!session) return sendJson(res, 404, rpcError(-32001, 'Session not found'));
      return requestScope.run({ bearer, rpcId: null }, () =>
        session.transport.handleRequest(req, res),
      );
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST, DELETE');

    const body = await readBody(req, options.maxBodyBytes);
    if (body === 'too_large')
      return sendJson(
        res,
        413,
        rpcError(-32600, `request body larger than ${options.maxBodyBytes} bytes`),
      );
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return sendJson(res, 400, rpcError(-32700, 'Parse error: invalid JSON'));
    }
    const messages: unknown[] = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      const scope = requiredScope(m, options.toolScopes);
      if (scope && !bearer.scopes.includes(scope)) {
        res.setHeader('WWW-Authenticate', insufficientScopeChallenge(publicUrl, scope));
        return sendJson(res, 403, {
          error: 'insufficient_scope',
          scope,
          error_description: `this needs the ${scope} permission`,
        });
      }
    }
    const rpcId = !Array.isArray(message) ? rpcIdOf(message) : null;
    const scope = { bearer, rpcId };

    if (!sessionId && isInitializeRequest(message)) {
      const server = newServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: sessions.newId,
        // A client that cannot answer a question (no form elicitation) never needs a stream:
        // its answers go as plain JSON, cheaper to make (see answersAsJson).
        enableJsonResponse: answersAsJson(message),
        onsessioninitialized: (id) => {
          sessions.add({
            id,
            patientId: bearer.patientId,
            server,
            transport,
            lastSeen: Date.now(),
          });
        },
        onsessionclosed: (id) => sessions.remove(id),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.remove(transport.sessionId);
      };
      await server.connect(transport);
      return requestScope.run(scope, () => transport.handleRequest(req, res, message));
    }
    const held = sessionId ? sessions.find(sessionId, bearer.patientId) : undefined;
    if (held) return requestScope.run(scope, () => held.transport.handleRequest(req, res, message));
    if (sessionId?.startsWith(`${options.replicaId}.`)) {
      // Ours but gone (closed, idle, or another patient's id): the client starts a new session.
      return sendJson(res, 404, rpcError(-32001, 'Session not found'));
    }
    // No session, or one that another replica held (it stopped): reads keep no state, so this
    // replica answers this request alone.
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close().catch(() => {});
      void server.close().catch(() => {});
    });
    await server.connect(transport);
    return requestScope.run(scope, () => transport.handleRequest(req, res, message));
  };

  /** This server's own access tokens (a sign-in), or a HospiAI token itself (pasted). */
  function authenticate(authorization: string | undefined): Promise<VerifiedBearer> {
    const presented = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (oauth && presented && oauth.issued(presented)) return oauth.authenticate(presented);
    return verifier.verify(authorization);
  }

  async function readiness(res: ServerResponse) {
    if (stopping) return sendJson(res, 503, { ready: false, reason: 'shutting down' });
    if (Date.now() > readyUntil) {
      try {
        await verifier.loadKeys();
        readyUntil = Date.now() + 5_000;
      } catch (error) {
        return sendJson(res, 503, {
          ready: false,
          reason: `portal keys unavailable: ${(error as Error).message}`,
        });
      }
    }
    return sendJson(res, 200, { ready: true, sessions: sessions.size });
  }

  // Deadlines are enforced every second, not Node's default 30 s: a flood of half-sent
  // requests must not outlive its header timeout by half a minute.
  const http = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
    });
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });
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
  const { port } = http.address() as AddressInfo;
  const bound = options.host.includes(':') ? `[${options.host}]` : options.host;
  const localUrl = `http://${bound}:${port}`;
  publicUrl = options.publicUrl ?? new URL(`${localUrl}/mcp`);
  guard = createRequestGuard({
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
  oauth = options.authorizationServer
    ? null
    : createAuthorizationServer({
        resource: publicUrl,
        portalUrl: options.portalUrl,
        verifier,
        lang: options.lang,
        toolScopes: [...new Set(options.toolScopes.values())].filter((scope) => scope !== null),
        metadataFetch: { allowInternalHosts: options.clientMetadataInternalHosts },
      });
  metadataBody = JSON.stringify(
    protectedResourceMetadata({
      resource: publicUrl,
      authorizationServer: options.authorizationServer ?? (oauth?.issuer as string),
      portalUrl: options.portalUrl,
    }),
  );
  metadataRoutes = new Set(metadataPaths(publicUrl));
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
        stopping = true;
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        const deadline = Date.now() + options.shutdownGraceMs;
        while (inFlight > 0 && Date.now() < deadline) await sleep(50);
        sessions.closeAll();
        http.closeAllConnections();
        await closed;
        portal.close();
        oauth?.close();
      })();
      return closing;
    },
  };
}

/**
 * Whether a session's answers go as plain JSON rather than an SSE stream: when its client
 * declared no form elicitation, nothing in a call can ever ask it a question (a booking then
 * ends NOT_CONFIRMED with what to do), so no stream is needed. Such a session runs no write, so
 * nginx's re-sending a POST whose answer's headers had not come back repeats a read at most.
 */
function answersAsJson(initialize: unknown): boolean {
  const capabilities = (initialize as { params?: { capabilities?: { elicitation?: unknown } } })
    .params?.capabilities;
  return capabilities?.elicitation === undefined;
}

function requiredScope(
  message: unknown,
  toolScopes: ReadonlyMap<string, string | null>,
): string | null {
  if (!message || typeof message !== 'object') return null;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (method !== 'tools/call' || typeof params?.name !== 'string') return null;
  return toolScopes.get(params.name) ?? null;
}

function rpcIdOf(message: unknown): string | number | null {
  if (!message || typeof message !== 'object') return null;
  const { id, method } = message as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')
    ? id
    : null;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, rpcError(-32000, 'Method not allowed.'));
}

function corsHeaders(res: ServerResponse, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'Mcp-Session-Id, WWW-Authenticate, Retry-After');
}

function preflight(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
  );
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204);
  res.end();
}
