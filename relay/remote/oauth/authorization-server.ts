/**
 * The remote mode's own OAuth 2.1 authorization server, for assistants that sign in rather than
 * take a pasted token (Claude, ChatGPT, Le Chat's OAuth): the HospiAI portal has no OAuth of its
 * own, so this server asks the patient — on its consent page — for a HospiAI token from the
 * portal's Tokens page, checks it with the portal, and gives the assistant an access of its own
 * (bound to that client, that patient, the ticked scopes and this resource). The portal token
 * never leaves this server; it ends with the grant, and its revocation in the portal ends the
 * grant at the next request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../../i18n/messages';
import { KNOWN_SCOPES } from '../../protocol/protocol';
import { BearerRefused, type VerifiedBearer } from '../bearer';
import type { BearerVerifier } from '../bearer-verifier';
import type { ConfirmationPage } from '../elicitation-confirmer';
import { readBody, sendJson } from '../http-io';
import {
  AS_METADATA_PATH,
  authorizationServerMetadata,
  OAUTH_PATHS,
} from './authorization-server-metadata';
import type { MetadataFetchOptions } from './client-metadata-fetch';
import { ClientRefused, createClientRegistry, type OAuthClient } from './client-registry';
import { CONFIRM_PATH, createConfirmationPages } from './confirmation-pages';
import {
  CONSENT_PAGE_CSP,
  CONSENT_PROBLEMS,
  consentLang,
  renderConsentPage,
  renderErrorPage,
} from './consent-page';
import { createExtensionHandoff, handoffCookie, newBrowserNonce } from './extension-handoff';
import { ACCESS_PREFIX, createGrantStore } from './grants';
import { OAuthError } from './oauth-error';
import { createSealer } from './sealed-secret';

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;
const MAX_FORM_BYTES = 16 * 1024;

export interface AuthorizationServerOptions {
  /** The MCP endpoint: the one resource tokens are for (RFC 8707). */
  resource: URL;
  portalUrl: string;
  /** Checks the portal token a patient pastes (signature, audience, revocation). */
  verifier: BearerVerifier;
  lang: Lang;
  /**
   * The scopes some tool needs: of what a client asks (everything, when it names nothing), these
   * are ticked at first; the rest (write:data, which no tool uses) is offered unticked.
   */
  toolScopes: readonly string[];
  metadataFetch?: MetadataFetchOptions;
  now?: () => number;
}

interface PendingAuthorization {
  client: OAuthClient;
  redirectUri: string;
  codeChallenge: string;
  state: string | null;
  resource: string;
  scopes: string[];
  ticked: string[];
  expiresAt: number;
  /** The consent page's browser (its cookie): the extension's continue link works there only. */
  browserNonce: string;
}

export function createAuthorizationServer(options: AuthorizationServerOptions) {
  const now = options.now ?? Date.now;
  const issuer = new URL(options.resource.origin);
  const metadata = JSON.stringify(authorizationServerMetadata(issuer));
  const clients = createClientRegistry({ metadataFetch: options.metadataFetch, now });
  const grants = createGrantStore({ sealer: createSealer(), now });
  const pending = new Map<string, PendingAuthorization>();
  const pages = createConfirmationPages({
    issuer,
    lang: options.lang,
    grantIsLive: (grantId) => grants.isLive(grantId),
    now,
  });
  const routes = new Set<string>([AS_METADATA_PATH, CONFIRM_PATH, ...Object.values(OAUTH_PATHS)]);
  const secureCookies = issuer.protocol === 'https:';

  /** A live pending authorization (an expired one is forgotten). */
  function lookup(requestId: string): PendingAuthorization | null {
    const authorization = pending.get(requestId);
    if (!authorization) return null;
    if (authorization.expiresAt > now()) return authorization;
    pending.delete(requestId);
    return null;
  }

  /** The patient allowed, with this portal token: the request is spent, its code issued. */
  function grant(requestId: string, portal: VerifiedBearer, ticked: string[]): string {
    const authorization = pending.get(requestId) as PendingAuthorization;
    pending.delete(requestId);
    return grants.issueCode({
      clientId: authorization.client.clientId,
      redirectUri: authorization.redirectUri,
      codeChallenge: authorization.codeChallenge,
      resource: authorization.resource,
      scopes: ticked,
      patientId: portal.patientId,
      portalToken: portal.token,
      portalExpiresAt: Date.parse(portal.expiresAt),
    });
  }

  const handoff = createExtensionHandoff({
    issuer,
    verifier: options.verifier,
    now,
    lookup,
    grant,
    redirect: (res, to, params, state) => redirect(res, to, params, state),
    rememberBrowser: (res, patientId) => pages.rememberBrowser(res, patientId),
    refuse: (req, res, reason) => {
      const lang = consentLang(null, req.headers['accept-language'], options.lang);
      const problems = CONSENT_PROBLEMS[lang];
      html(
        res,
        400,
        renderErrorPage(lang, reason === 'gone' ? problems.expired : problems.otherBrowser),
      );
    },
  });

  function remember(authorization: PendingAuthorization): string {
    for (const [id, entry] of pending) if (entry.expiresAt <= now()) pending.delete(id);
    if (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next().value;
      if (oldest !== undefined) pending.delete(oldest);
    }
    const id = crypto.randomUUID();
    pending.set(id, authorization);
    return id;
  }

  /** Back to the client with `params`, `state` and RFC 9207's `iss`. */
  function redirect(
    res: ServerResponse,
    to: string,
    params: Record<string, string>,
    state: string | null,
  ) {
    const url = new URL(to);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    if (state !== null) url.searchParams.set('state', state);
    url.searchParams.set('iss', issuer.origin);
    res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
    res.end();
  }

  function html(res: ServerResponse, status: number, body: string) {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONSENT_PAGE_CSP,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  async function startAuthorization(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ) {
    const lang = consentLang(query.get('lang'), req.headers['accept-language'], options.lang);
    const clientId = query.get('client_id');
    if (!clientId) return html(res, 400, renderErrorPage(lang, 'client_id is missing'));
    let client: OAuthClient;
    try {
      client = await clients.resolve(clientId);
    } catch (error) {
      return html(res, 400, renderErrorPage(lang, (error as Error).message));
    }
    const asked =
      query.get('redirect_uri') ??
      (client.redirectUris.length === 1 ? client.redirectUris[0] : null);
    // Exact string match, as OAuth 2.1 requires: no prefix, no pattern, no normalisation.
    if (!asked || !client.redirectUris.includes(asked))
      return html(
        res,
        400,
        renderErrorPage(lang, 'redirect_uri is not one this client registered'),
      );
    const state = query.get('state');
    const fail = (error: string, description: string) =>
      redirect(res, asked, { error, error_description: description }, state);
    if (query.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'response_type must be code');
    const challenge = query.get('code_challenge');
    if (
      !challenge ||
      query.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(challenge)
    )
      return fail(
        'invalid_request',
        'PKCE is required: code_challenge with code_challenge_method=S256',
      );
    const resource = query.get('resource') ?? options.resource.href;
    if (resource !== options.resource.href)
      return fail('invalid_target', `this server issues tokens for ${options.resource.href} only`);
    const requested = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = requested.find((scope) => !(KNOWN_SCOPES as readonly string[]).includes(scope));
    if (unknown) return fail('invalid_scope', `unknown scope ${unknown}`);
    const scopes = requested.length > 0 ? [...new Set(requested)] : [...KNOWN_SCOPES];
    const ticked = scopes.filter((scope) => options.toolScopes.includes(scope));
    const browserNonce = newBrowserNonce();
    const requestId = remember({
      client,
      redirectUri: asked,
      codeChallenge: challenge,
      state,
      resource,
      scopes,
      ticked,
      expiresAt: now() + PENDING_TTL_MS,
      browserNonce,
    });
    res.setHeader('Set-Cookie', handoffCookie(requestId, browserNonce, secureCookies));
    return html(
      res,
      200,
      renderConsentPage({
        lang,
        client,
        redirectUri: asked,
        scopes,
        ticked,
        requestId,
        portalUrl: options.portalUrl,
        issuer: issuer.origin,
      }),
    );
  }

  async function decide(req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
    const lang = consentLang(query.get('lang'), req.headers['accept-language'], options.lang);
    const problems = CONSENT_PROBLEMS[lang];
    // A form posted from another site is not the patient's answer (the page cannot be framed).
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if ((origin && origin !== issuer.origin) || (site && site !== 'same-origin' && site !== 'none'))
      return html(res, 403, renderErrorPage(lang, 'this answer did not come from this page'));
    const body = await readBody(req, MAX_FORM_BYTES);
    if (body === 'too_large') return html(res, 413, renderErrorPage(lang, 'the form is too large'));
    const form = new URLSearchParams(body);
    const requestId = form.get('request') ?? '';
    const authorization = lookup(requestId);
    if (!authorization) return html(res, 400, renderErrorPage(lang, problems.expired));
    const { client, redirectUri, state } = authorization;
    if (form.get('decision') !== 'allow') {
      pending.delete(requestId);
      return redirect(
        res,
        redirectUri,
        { error: 'access_denied', error_description: 'the patient said no' },
        state,
      );
    }
    const again = (problem: string) =>
      html(
        res,
        400,
        renderConsentPage({
          lang,
          client,
          redirectUri,
          scopes: authorization.scopes,
          ticked: form.getAll('scope'),
          requestId,
          portalUrl: options.portalUrl,
          issuer: issuer.origin,
          problem,
        }),
      );
    const ticked = form.getAll('scope').filter((scope) => authorization.scopes.includes(scope));
    if (ticked.length === 0) return again(problems.nothingTicked);
    const pasted = (form.get('portal_token') ?? '').trim();
    if (!pasted) return again(problems.noToken);
    let portal: VerifiedBearer;
    try {
      portal = await options.verifier.verify(`Bearer ${pasted}`);
    } catch (error) {
      const why = error instanceof BearerRefused ? error.reason : 'it could not be checked';
      return again(problems.badToken(why));
    }
    const missing = ticked.filter((scope) => !portal.scopes.includes(scope));
    if (missing.length > 0) return again(problems.missingScopes(missing.join(', ')));
    // Answered by the extension while the portal was asked: this form answers nothing more.
    if (!lookup(requestId)) return html(res, 400, renderErrorPage(lang, problems.expired));
    const code = grant(requestId, portal, ticked);
    // This browser may confirm this patient's bookings on this server's page from now on.
    pages.rememberBrowser(res, portal.patientId);
    return redirect(res, redirectUri, { code }, state);
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = await formOf(req);
    const clientId = form.get('client_id');
    if (!clientId)
      throw new OAuthError('invalid_client', 'client_id is required (public client)', 401);
    await clients.resolve(clientId).catch((error: Error) => {
      throw new OAuthError('invalid_client', error.message, 401);
    });
    const resource = form.get('resource') ?? undefined;
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      return tokenAnswer(
        res,
        grants.redeemCode({
          code: required(form, 'code'),
          clientId,
          redirectUri: required(form, 'redirect_uri'),
          codeVerifier: required(form, 'code_verifier'),
          resource,
        }),
      );
    }
    if (grantType === 'refresh_token') {
      return tokenAnswer(
        res,
        grants.refresh({
          refreshToken: required(form, 'refresh_token'),
          clientId,
          scope: form.get('scope') ?? undefined,
          resource,
        }),
      );
    }
    throw new OAuthError('unsupported_grant_type', 'authorization_code or refresh_token');
  }

  async function register(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req, MAX_FORM_BYTES);
    if (body === 'too_large')
      throw new OAuthError('invalid_client_metadata', 'the metadata is too large');
    let metadata: unknown;
    try {
      metadata = JSON.parse(body);
    } catch {
      throw new OAuthError('invalid_client_metadata', 'the body must be JSON client metadata');
    }
    try {
      return sendJson(res, 201, clients.register(metadata));
    } catch (error) {
      if (error instanceof ClientRefused) throw new OAuthError(error.error, error.message);
      throw error;
    }
  }

  async function revoke(req: IncomingMessage, res: ServerResponse) {
    const form = await formOf(req);
    const tokenValue = required(form, 'token');
    const clientId = required(form, 'client_id');
    grants.revoke(tokenValue, clientId);
    // RFC 7009 §2.2: the same answer whether or not the token was known.
    res.writeHead(200, { 'Cache-Control': 'no-store' });
    res.end();
  }

  return {
    /** The paths this server answers (before the MCP endpoint's). */
    handles: (path: string) => routes.has(path) || handoff.handles(path),
    /** RFC 9728's `authorization_servers` entry. */
    issuer: issuer.origin,

    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      const query = new URL(req.url ?? '/', issuer).searchParams;
      // Token, registration, revocation and metadata are for any client, browser-based ones
      // included: no cookie is involved, so any origin may read the answers.
      if (pages.handles(path)) return pages.handle(req, res);
      // The extension's worker only (its host permission): no CORS for any web page.
      if (handoff.handles(path)) return handoff.handle(req, res, path);
      if (path !== OAUTH_PATHS.authorize) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
            'Access-Control-Allow-Headers': 'Content-Type, Authorization, Mcp-Protocol-Version',
            'Access-Control-Max-Age': '600',
          });
          return void res.end();
        }
      }
      try {
        if (path === AS_METADATA_PATH) {
          if (req.method !== 'GET' && req.method !== 'HEAD')
            throw new OAuthError('invalid_request', 'GET only', 405);
          res.writeHead(200, {
            'Content-Type': 'application/json',
            'Cache-Control': 'public, max-age=300',
          });
          return void res.end(metadata);
        }
        if (path === OAUTH_PATHS.authorize) {
          if (req.method === 'GET') return await startAuthorization(req, res, query);
          if (req.method === 'POST') return await decide(req, res, query);
          throw new OAuthError('invalid_request', 'GET or POST only', 405);
        }
        if (req.method !== 'POST') throw new OAuthError('invalid_request', 'POST only', 405);
        if (path === OAUTH_PATHS.token) return await token(req, res);
        if (path === OAUTH_PATHS.register) return await register(req, res);
        if (path === OAUTH_PATHS.revoke) return await revoke(req, res);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        res.setHeader('Cache-Control', 'no-store');
        return sendJson(res, error.status, error.body);
      }
    },

    /** Whether a bearer is one of this server's access tokens (else: a portal token). */
    issued: (bearer: string) => bearer.startsWith(ACCESS_PREFIX),

    /**
     * Who an access token of this server speaks for: its grant's patient, scopes narrowed to the
     * ticked ones, and the portal token — checked with the portal each time (through the
     * revocation cache): a token deleted in the portal ends the grant here.
     */
    async authenticate(accessToken: string): Promise<VerifiedBearer> {
      const used = grants.useAccessToken(accessToken);
      if (!used)
        throw new BearerRefused(
          'invalid_token',
          'this access token is unknown, expired or revoked',
        );
      let portal: VerifiedBearer;
      try {
        portal = await options.verifier.verify(`Bearer ${used.portalToken}`);
      } catch (error) {
        if (error instanceof BearerRefused && error.error === 'invalid_token') {
          grants.endGrant(used.grant.id);
          throw new BearerRefused(
            'invalid_token',
            'the HospiAI access behind this sign-in was revoked or has expired: sign in again',
          );
        }
        throw error;
      }
      return {
        ...portal,
        grantId: used.grant.id,
        scopes: portal.scopes.filter((scope) => used.grant.scopes.includes(scope)),
        expiresAt: new Date(Math.min(used.expiresAt, Date.parse(portal.expiresAt))).toISOString(),
      };
    },

    /** This server's confirmation page, for the writes of patients who signed in here. */
    confirmationPage: {
      defer(bearer, question, run) {
        if (!bearer.grantId || !grants.isLive(bearer.grantId)) return null;
        return pages.create({
          patientId: bearer.patientId,
          grantId: bearer.grantId,
          message: question.message,
          summary: question.summary,
          confirm: run,
          decline: () => {},
        }).url;
      },
      ask(bearer, question, timeoutMs) {
        if (!bearer.grantId || !grants.isLive(bearer.grantId)) return null;
        let settle: (outcome: 'approved' | 'declined' | 'timeout') => void = () => {};
        const answer = new Promise<'approved' | 'declined' | 'timeout'>((resolve) => {
          settle = resolve;
        });
        const asked = pages.create(
          {
            patientId: bearer.patientId,
            grantId: bearer.grantId,
            message: question.message,
            summary: question.summary,
            confirm: async () => {
              settle('approved');
              return null;
            },
            decline: () => settle('declined'),
          },
          timeoutMs,
        );
        const timer = setTimeout(() => {
          asked.withdraw();
          settle('timeout');
        }, timeoutMs);
        timer.unref();
        void answer.then(() => clearTimeout(timer));
        return {
          url: asked.url,
          answer,
          withdraw: () => {
            asked.withdraw();
            settle('declined');
          },
        };
      },
    } satisfies ConfirmationPage,

    close(): void {
      grants.stop();
    },
  };
}

export type AuthorizationServer = ReturnType<typeof createAuthorizationServer>;

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded'))
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const body = await readBody(req, MAX_FORM_BYTES);
  if (body === 'too_large') throw new OAuthError('invalid_request', 'the body is too large');
  return new URLSearchParams(body);
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  return value;
}

function tokenAnswer(res: ServerResponse, answer: object): void {
  res.setHeader('Pragma', 'no-cache');
  sendJson(res, 200, answer);
}
