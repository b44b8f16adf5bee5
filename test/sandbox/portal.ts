/**
 * The sandbox HospiAI portal: a faithful, self-contained local stand-in for the real portal
 * (HOSPIAI-API.md), used by the relay's tests, the extension's real-browser tests and the demo.
 *
 * - `node:http` on 127.0.0.1 only; each instance has its own RS256 key pair and fresh French
 *   seed data dated relative to today (two demo patients, see `DEMO_PATIENTS`).
 * - Cookie side: `/login`, `/api/auth/*`, `/api/tokens/*`, `/dashboard`, `/dashboard/tokens`
 *   (DOM contract in pages.ts); cross-site requests to cookie routes get 403 `csrf_rejected`.
 * - Bearer side: `/api/mcp/*` (mcp-api.ts); JWKS at `/.well-known/jwks.json`.
 * - Unknown doctor on `POST /api/mcp/book` answers 404 `not_found`. Malformed JSON answers 400
 *   `validation_error`; a bad field 422 `validation_error` with `details: [{field, message}]`.
 * - Test knobs (`faults`, `issueToken`, `login`, `requests`) exist only in-process and as CLI
 *   flags, never as HTTP routes. `requests` holds method, path (no query), auth kind and status
 *   (0 while no response has been sent): never a token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { redact } from '../../relay/protocol/redact';
import { registerDashboardRoutes } from './dashboard-routes';
import { PortalError } from './errors';
import { Faults } from './faults';
import { redirect, sendError, sendHtml, wantsJson } from './http-io';
import { MCP_BASE, registerMcpApi } from './mcp-api';
import { notFoundPage } from './pages';
import { checkCredentials, createPortalState, patientByEmail, sessionOf } from './portal-state';
import { Router } from './router';
import { DEMO_PATIENTS } from './seed-data';
import { cookieHeader, SESSION_COOKIE } from './session-store';
import { DEFAULT_EXPIRY_DAYS } from './token-generation';

export { DEMO_PATIENTS };

export interface SandboxOptions {
  /** 0 (any free port) by default in-process; the CLI defaults to 47600. */
  port?: number;
  /** Overrides expiresInDays for every generated token (tests of expiry and renewal). */
  tokenLifetimeSeconds?: number;
  /** Added to every /api/mcp response. */
  latencyMs?: number;
  /** Synthetic patients (load tests): `patient0001@load.hospiai.test`…, tokens via issueToken. */
  extraPatients?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  auth: 'bearer' | 'cookie' | 'none';
  status: number;
}

export interface SandboxPortal {
  /** e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  faults: {
    latencyMs: number;
    /** The next `count` requests whose path starts with `pathPrefix` answer `status` (429 with Retry-After). */
    failNext(opts: {
      pathPrefix: string;
      status: 429 | 500 | 502 | 503;
      count?: number;
      retryAfterSeconds?: number;
    }): void;
    /** Requests to pathPrefix hang for ms before answering (timeouts). */
    delayNext(opts: { pathPrefix: string; ms: number; count?: number }): void;
    /** The next requests to pathPrefix are processed, then the connection drops unanswered. */
    loseAnswerNext(opts: { pathPrefix: string; count?: number }): void;
    reset(): void;
  };
  /** Every request received, for asserting counts. Never contains a token. */
  requests: RequestLogEntry[];
  /** Issue a token as if from the dashboard (any scope strings; negative lifetime = already expired). */
  issueToken(opts: {
    email: string;
    scopes: string[];
    expiresInSeconds?: number;
    name?: string;
  }): Promise<{ token: string; id: string; expiresAt: string }>;
  revokeToken(id: string): void;
  /** Signs arbitrary claims with the portal's own key (tests of iss/aud/nbf checks); no record. */
  signToken(
    claims: Record<string, unknown>,
    registered: { jti: string; iat: number; exp: number; iss?: string; aud?: string },
  ): Promise<string>;
  /** Log in programmatically; returns the Cookie header value. */
  login(email: string, password: string): Promise<string>;
}

export async function startSandboxPortal(options: SandboxOptions = {}): Promise<SandboxPortal> {
  const state = await createPortalState(options);
  const faults = new Faults(options.latencyMs ?? 0);
  const requests: RequestLogEntry[] = [];
  const router = new Router();
  registerMcpApi(router, state);
  registerDashboardRoutes(router, state);
  const closing = new AbortController();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const entry: RequestLogEntry = {
      method,
      path: redactPath(path),
      auth: authKind(req),
      status: 0,
    };
    requests.push(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
    try {
      const delay = faults.takeDelay(path) + (path.startsWith(MCP_BASE) ? faults.latencyMs : 0);
      if (delay > 0) await sleep(delay, undefined, { signal: closing.signal });
      const failure = faults.takeFailure(path);
      if (failure) throw failure;
      if (faults.takeLostAnswer(path)) {
        // The work is done, the answer is lost on the way (a proxy dropping the connection).
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
      const match = router.match(method, path);
      if (match.kind === 'found') {
        await match.handler({ req, res, url, params: match.params });
      } else if (match.kind === 'wrong_method') {
        throw new PortalError(405, 'method_not_allowed', `${method} is not allowed on ${path}`, {
          headers: { Allow: match.allowed.join(', ') },
        });
      } else if (path.startsWith('/dashboard') && !sessionOf(state, req)) {
        redirect(res, '/login');
      } else if (isApiPath(path) || wantsJson(req)) {
        throw new PortalError(404, 'not_found', `No route ${method} ${path}`);
      } else {
        sendHtml(res, 404, notFoundPage(sessionOf(state, req)?.patient));
      }
    } catch (error) {
      if (closing.signal.aborted || res.headersSent) {
        res.destroy();
        return;
      }
      if (!(error instanceof PortalError)) {
        process.stderr.write(`[sandbox portal] ${redact(String(error))}\n`);
      }
      sendError(
        res,
        error instanceof PortalError
          ? error
          : new PortalError(500, 'server_error', 'Internal error'),
      );
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  state.ownOrigins.add(url).add(`http://localhost:${port}`);

  return {
    url,
    port,
    faults,
    requests,
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async issueToken(opts) {
      const patient =
        patientByEmail(opts.email) ??
        [...state.extraPatients.values()].find((p) => p.email === opts.email);
      if (!patient) throw new Error(`No demo patient ${opts.email}`);
      const { token, record } = await state.tokens.issue({
        patient,
        name: opts.name ?? 'Test token',
        scopes: opts.scopes,
        expiresInSeconds:
          opts.expiresInSeconds ?? state.tokenLifetimeSeconds ?? DEFAULT_EXPIRY_DAYS * 86_400,
      });
      return { token, id: record.id, expiresAt: record.expiresAt };
    },
    revokeToken(id) {
      if (!state.tokens.revoke(id)) throw new Error(`No token ${id}`);
    },
    signToken: (claims, registered) => state.tokens.sign(claims, registered),
    async login(email, password) {
      const patient = checkCredentials(email, password);
      if (!patient) throw new Error('Wrong e-mail or password');
      return cookieHeader(state.sessions.create(patient.id));
    },
  };
}

/** Redacted segment by segment: the logger's shapes would swallow a whole path. */
const redactPath = (path: string) => path.split('/').map(redact).join('/');

const isApiPath = (path: string) => path.startsWith('/api/') || path.startsWith('/.well-known/');

function authKind(req: IncomingMessage): RequestLogEntry['auth'] {
  if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return 'bearer';
  if ((req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`)) return 'cookie';
  return 'none';
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
