/**
 * The consent page's one-click path: the HospiAI browser extension, which holds the patient's
 * portal session, provisions a dedicated portal token for one pending authorization and hands it
 * to this server — never to a page. The consent page links to the portal with
 * `#hospiai-connect=` (the pending request's id and this server's origin, in a fragment the
 * portal's server never sees); the extension asks this server what the request is
 * (`GET request?id=`: the client and the scopes, as this server knows them — never as the page
 * says), the patient allows in the extension's own page, and the extension's worker posts the
 * token here (`POST deliver`), with the browser's cookies. Then:
 * - the delivery must come from the browser that showed the consent page: it carries that page's
 *   cookie (`hospiai_authz_<request>`, HttpOnly, SameSite=Lax, on /oauth/ only), which the
 *   extension's worker sends with its host permission and no page script can read or send
 *   (no CORS; JSON needs a preflight). A request id lifted from a page is useless elsewhere;
 * - the token is checked with the portal exactly as a pasted one is, and must carry what the
 *   patient ticked; the pending authorization is spent (single use: the paste form and a second
 *   delivery find nothing);
 * - the answer is a one-time continue link (60 s, a random id) that only that browser can follow
 *   (the same cookie). Followed, it sets the confirmation cookie and redirects to the client with
 *   code, state and iss, as the form does; followed elsewhere, it issues nothing.
 * The extension's worker reaches these routes with its host permission; no CORS header is sent,
 * so no web page can read the request or post a delivery (JSON needs a preflight nobody answers).
 * (Over 250 lines: its three routes share the pending request, the consent page's cookie and the
 * rules that bind a delivery to them.)
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { Scope } from '../../protocol/wire-values';
import { BearerRefused, type VerifiedBearer } from '../bearer';
import type { BearerVerifier } from '../bearer-verifier';
import { readBody, sendJson } from '../http-io';
import type { OAuthClient } from './client-registry';
import { CODE_TTL_MS } from './grants';

/** A portal token's id, as the portal gives it. */
const TokenId = z.string().min(1).max(200);

export const EXTENSION_PATHS = {
  request: '/oauth/extension/request',
  deliver: '/oauth/extension/deliver',
  continue: '/oauth/extension/continue',
  /** `GET ?token_id=`: whether the sign-in a dedicated token was given to still lives. */
  signIn: '/oauth/extension/sign-in',
} as const;

/** The continue link lives no longer than the code it leads to. */
export const CONTINUE_TTL_MS = CODE_TTL_MS;
export const HANDOFF_COOKIE_PREFIX = 'hospiai_authz_';
const MAX_BODY_BYTES = 16 * 1024;
const MAX_CONTINUATIONS = 10_000;

/** The fragment's content and the request's id: a pending authorization's random UUID. */
export const RequestId = z.uuid();
export const DeliverBody = z
  .object({
    request: RequestId,
    token: z.string().min(20).max(8192),
    scopes: z.array(Scope).min(1).max(10),
  })
  .strict();

/** What the extension shows the patient of a pending authorization. */
export interface HandoffRequestView {
  server: string;
  client: { name: string | null; verifiedHost: string | null; redirectHost: string };
  scopes: string[];
  ticked: string[];
  expiresAt: string;
}

export interface HandoffAuthorization {
  client: OAuthClient;
  redirectUri: string;
  state: string | null;
  scopes: string[];
  ticked: string[];
  expiresAt: number;
  /** The consent page's browser: its cookie's value. */
  browserNonce: string;
}

export interface ExtensionHandoffOptions {
  issuer: URL;
  verifier: BearerVerifier;
  now: () => number;
  /** A live pending authorization, or null. */
  lookup(requestId: string): HandoffAuthorization | null;
  /** Spends the pending authorization and issues its code, for this portal token and scopes. */
  grant(requestId: string, portal: VerifiedBearer, ticked: string[]): Promise<string>;
  redirect(
    res: ServerResponse,
    to: string,
    params: Record<string, string>,
    state: string | null,
  ): void;
  /** This browser may confirm this patient's bookings from now on (confirmation-pages.ts). */
  rememberBrowser(res: ServerResponse, patientId: string): Promise<void>;
  /** An HTML page for a continue link that cannot be followed. */
  refuse(req: IncomingMessage, res: ServerResponse, reason: 'gone' | 'other_browser'): void;
  /** Whether the sign-in a portal token (by its id) was given to lives (grants.ts). */
  portalTokenInUse(portalTokenId: string): Promise<boolean>;
}

interface Continuation {
  requestId: string;
  code: string;
  redirectUri: string;
  state: string | null;
  patientId: string;
  browserNonce: string;
  expiresAt: number;
}

/** Why a delivery is refused: an OAuth-style error the extension shows as is. */
class HandoffRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(error);
  }
}

export function handoffCookie(requestId: string, nonce: string, secure: boolean): string {
  return `${HANDOFF_COOKIE_PREFIX}${requestId}=${nonce}; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=600${secure ? '; Secure' : ''}`;
}

export const newBrowserNonce = () => randomBytes(24).toString('base64url');

export function createExtensionHandoff(options: ExtensionHandoffOptions) {
  const { now } = options;
  const continuations = new Map<string, Continuation>();

  function view(requestId: string): HandoffRequestView | null {
    const authorization = options.lookup(requestId);
    if (!authorization) return null;
    return {
      server: options.issuer.origin,
      client: {
        name: authorization.client.clientName?.trim() || null,
        verifiedHost: authorization.client.verifiedHost,
        redirectHost: new URL(authorization.redirectUri).host || authorization.redirectUri,
      },
      scopes: authorization.scopes,
      ticked: authorization.ticked,
      expiresAt: new Date(authorization.expiresAt).toISOString(),
    };
  }

  /** The extension's delivery: the continue link, or why not. */
  async function deliver(req: IncomingMessage, body: unknown): Promise<{ continue: string }> {
    const parsed = DeliverBody.safeParse(body);
    if (!parsed.success) throw new HandoffRefused(400, 'invalid_request');
    const { request, token, scopes } = parsed.data;
    const authorization = options.lookup(request);
    // Unknown, expired, or already answered (by the form or an earlier delivery): all the same.
    if (!authorization) throw new HandoffRefused(400, 'unknown_or_used_request');
    // From the browser that showed the consent page (the extension's worker sends its cookies):
    // a request id lifted from a page and delivered from elsewhere is refused here.
    if (!fromConsentBrowser(req, request, authorization.browserNonce))
      throw new HandoffRefused(403, 'other_browser');
    const ticked = [...new Set(scopes)].filter((scope) => authorization.scopes.includes(scope));
    if (ticked.length === 0) throw new HandoffRefused(400, 'invalid_scope');
    let portal: VerifiedBearer;
    try {
      portal = await options.verifier.verify(`Bearer ${token}`);
    } catch (error) {
      if (error instanceof BearerRefused && error.error === 'invalid_token')
        throw new HandoffRefused(400, 'invalid_portal_token');
      throw new HandoffRefused(503, 'portal_unreachable');
    }
    if (ticked.some((scope) => !portal.scopes.includes(scope)))
      throw new HandoffRefused(400, 'insufficient_scope');
    // The request may have been answered while the portal was asked: spend it only if it is live.
    if (!options.lookup(request)) throw new HandoffRefused(400, 'unknown_or_used_request');
    const code = await options.grant(request, portal, ticked);
    for (const [key, entry] of continuations)
      if (entry.expiresAt <= now()) continuations.delete(key);
    if (continuations.size >= MAX_CONTINUATIONS) {
      const oldest = continuations.keys().next().value;
      if (oldest !== undefined) continuations.delete(oldest);
    }
    // 128 random bits: unguessable, and short of what logs treat as token-shaped.
    const id = randomBytes(16).toString('base64url');
    continuations.set(id, {
      requestId: request,
      code,
      redirectUri: authorization.redirectUri,
      state: authorization.state,
      patientId: portal.patientId,
      browserNonce: authorization.browserNonce,
      expiresAt: now() + CONTINUE_TTL_MS,
    });
    const link = new URL(EXTENSION_PATHS.continue, options.issuer);
    link.searchParams.set('id', id);
    return { continue: link.href };
  }

  /** The browser follows the continue link: to the client with the code, if it is that browser. */
  async function follow(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const entry = continuations.get(id);
    continuations.delete(id);
    if (!entry || entry.expiresAt <= now()) {
      options.refuse(req, res, 'gone');
      return;
    }
    if (!fromConsentBrowser(req, entry.requestId, entry.browserNonce)) {
      options.refuse(req, res, 'other_browser');
      return;
    }
    await options.rememberBrowser(res, entry.patientId);
    options.redirect(res, entry.redirectUri, { code: entry.code }, entry.state);
  }

  return {
    handles: (path: string) => (Object.values(EXTENSION_PATHS) as string[]).includes(path),

    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      res.setHeader('Cache-Control', 'no-store');
      const query = new URL(req.url ?? '/', options.issuer).searchParams;
      if (path === EXTENSION_PATHS.continue) {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'invalid_request' });
        return follow(req, res, query.get('id') ?? '');
      }
      if (path === EXTENSION_PATHS.signIn) {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'invalid_request' });
        const tokenId = TokenId.safeParse(query.get('token_id'));
        if (!tokenId.success) return sendJson(res, 400, { error: 'invalid_request' });
        return sendJson(res, 200, { live: await options.portalTokenInUse(tokenId.data) });
      }
      if (path === EXTENSION_PATHS.request) {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'invalid_request' });
        const id = RequestId.safeParse(query.get('id'));
        const found = id.success ? view(id.data) : null;
        if (!found) return sendJson(res, 404, { error: 'unknown_or_used_request' });
        return sendJson(res, 200, found);
      }
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' });
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return sendJson(res, 415, { error: 'invalid_request' });
      const raw = await readBody(req, MAX_BODY_BYTES);
      if (raw === 'too_large') return sendJson(res, 413, { error: 'invalid_request' });
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, { error: 'invalid_request' });
      }
      try {
        return sendJson(res, 200, await deliver(req, body));
      } catch (error) {
        if (!(error instanceof HandoffRefused)) throw error;
        return sendJson(res, error.status, { error: error.error });
      }
    },
  };
}

export type ExtensionHandoff = ReturnType<typeof createExtensionHandoff>;

function fromConsentBrowser(req: IncomingMessage, requestId: string, nonce: string): boolean {
  const presented = cookieValue(req, `${HANDOFF_COOKIE_PREFIX}${requestId}`);
  return presented !== null && sameText(presented, nonce);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
