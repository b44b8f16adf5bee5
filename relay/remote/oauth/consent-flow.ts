/**
 * The patient's side of a sign-in: the authorization request checked (client, exact redirect
 * URI, PKCE S256, this resource, known scopes) and remembered while the consent page is open
 * (10 minutes; its browser marked with a cookie), then the patient's answer on the page — a
 * pasted HospiAI token checked with the portal, the ticked scopes — or, through the extension
 * (extension-handoff.ts), the same grant; either way a code back to the client with state and
 * RFC 9207's iss. Errors the client cannot be trusted with (unknown client, unregistered
 * redirect) are shown on an error page, never redirected.
 * (Over 250 lines: the request's checks and the patient's answer are one flow over one pending
 * state.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../../i18n/messages';
import { PAGE_MESSAGES } from '../../i18n/page-messages';
import { KNOWN_SCOPES } from '../../protocol/protocol';
import { BearerRefused, type VerifiedBearer } from '../bearer';
import type { BearerVerifier } from '../bearer-verifier';
import { readBody } from '../http-io';
import type { ClientRegistry, OAuthClient } from './client-registry';
import type { ConfirmationPages } from './confirmation-pages';
import { CONSENT_PAGE_CSP, consentLang, renderConsentPage, renderErrorPage } from './consent-page';
import { handoffCookie, newBrowserNonce } from './extension-handoff';
import type { GrantStore } from './grants';

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;
const MAX_FORM_BYTES = 16 * 1024;

export interface ConsentFlowOptions {
  issuer: URL;
  resource: URL;
  portalUrl: string;
  verifier: BearerVerifier;
  lang: Lang;
  toolScopes: readonly string[];
  clients: ClientRegistry;
  grants: GrantStore;
  pages: ConfirmationPages;
  now: () => number;
}

export interface PendingAuthorization {
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

export function createConsentFlow(flow: ConsentFlowOptions) {
  const { issuer, clients, grants, pages, now } = flow;
  const options = flow;
  const secureCookies = issuer.protocol === 'https:';
  const pending = new Map<string, PendingAuthorization>();
  /** A live pending authorization (an expired one is forgotten). */
  function lookup(requestId: string): PendingAuthorization | null {
    const authorization = pending.get(requestId);
    if (!authorization) return null;
    if (authorization.expiresAt > now()) return authorization;
    pending.delete(requestId);
    return null;
  }

  /** The patient allowed, with this portal token: the request is spent, its code issued. */
  function grant(requestId: string, portal: VerifiedBearer, ticked: string[]): Promise<string> {
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
      portalTokenId: portal.tokenId,
      portalExpiresAt: Date.parse(portal.expiresAt),
    });
  }

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
    if (!clientId)
      return html(res, 400, renderErrorPage(lang, PAGE_MESSAGES[lang].error_no_client_id));
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
      return html(res, 400, renderErrorPage(lang, PAGE_MESSAGES[lang].error_unregistered_redirect));
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
    const text = PAGE_MESSAGES[lang];
    // A form posted from another site is not the patient's answer (the page cannot be framed).
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if ((origin && origin !== issuer.origin) || (site && site !== 'same-origin' && site !== 'none'))
      return html(res, 403, renderErrorPage(lang, text.error_foreign_answer));
    const body = await readBody(req, MAX_FORM_BYTES);
    if (body === 'too_large')
      return html(res, 413, renderErrorPage(lang, text.error_form_too_large));
    const form = new URLSearchParams(body);
    const requestId = form.get('request') ?? '';
    const authorization = lookup(requestId);
    if (!authorization) return html(res, 400, renderErrorPage(lang, text.problem_expired));
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
    if (ticked.length === 0) return again(text.problem_nothing_ticked);
    const pasted = (form.get('portal_token') ?? '').trim();
    if (!pasted) return again(text.problem_no_token);
    let portal: VerifiedBearer;
    try {
      portal = await options.verifier.verify(`Bearer ${pasted}`);
    } catch (error) {
      const why = error instanceof BearerRefused ? error.reason : text.problem_token_unchecked;
      return again(text.problem_bad_token(why));
    }
    const missing = ticked.filter((scope) => !portal.scopes.includes(scope));
    if (missing.length > 0) return again(text.problem_missing_scopes(missing.join(', ')));
    // Answered by the extension while the portal was asked: this form answers nothing more.
    if (!lookup(requestId)) return html(res, 400, renderErrorPage(lang, text.problem_expired));
    const code = await grant(requestId, portal, ticked);
    // This browser may confirm this patient's bookings on this server's page from now on.
    await pages.rememberBrowser(res, portal.patientId);
    return redirect(res, redirectUri, { code }, state);
  }

  return { startAuthorization, decide, lookup, grant, redirect, html };
}

export type ConsentFlow = ReturnType<typeof createConsentFlow>;
