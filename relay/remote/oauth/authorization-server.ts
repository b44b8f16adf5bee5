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
import { PAGE_MESSAGES } from '../../i18n/page-messages';
import { BearerRefused, type VerifiedBearer } from '../bearer';
import type { BearerVerifier } from '../bearer-verifier';
import { sendJson } from '../http-io';
import type { StateStore } from '../state/state-store';
import {
  AS_METADATA_PATH,
  authorizationServerMetadata,
  OAUTH_PATHS,
} from './authorization-server-metadata';
import type { MetadataFetchOptions } from './client-metadata-fetch';
import { createClientRegistry } from './client-registry';
import { CONFIRM_PATH, createConfirmationPages } from './confirmation-pages';
import { createConsentFlow } from './consent-flow';
import { consentLang, renderErrorPage } from './consent-page';
import { createExtensionHandoff } from './extension-handoff';
import { ACCESS_PREFIX, createGrantStore } from './grants';
import { OAuthError } from './oauth-error';
import { pageConfirmer } from './page-confirmer';
import type { Sealer } from './sealed-secret';
import { createTokenEndpoints } from './token-endpoints';

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
  /** Where grants and registered clients are kept: this process, or shared by the replicas. */
  store: StateStore;
  /** Seals the portal tokens of grants (the replicas sharing a store share it). */
  sealer: Sealer;
  /** This replica's id: it starts the ids of the confirmation pages it holds. */
  replicaId: string;
  now?: () => number;
}

export function createAuthorizationServer(options: AuthorizationServerOptions) {
  const now = options.now ?? Date.now;
  const issuer = new URL(options.resource.origin);
  const metadata = JSON.stringify(authorizationServerMetadata(issuer));
  const clients = createClientRegistry({
    metadataFetch: options.metadataFetch,
    store: options.store,
    now,
  });
  const grants = createGrantStore({ sealer: options.sealer, store: options.store, now });
  const pages = createConfirmationPages({
    issuer,
    lang: options.lang,
    grantIsLive: (grantId) => grants.isLive(grantId),
    store: options.store,
    replicaId: options.replicaId,
    now,
  });
  const consent = createConsentFlow({ ...options, issuer, clients, grants, pages, now });
  const { startAuthorization, decide } = consent;
  const { token, register, revoke } = createTokenEndpoints({ clients, grants });
  const routes = new Set<string>([AS_METADATA_PATH, CONFIRM_PATH, ...Object.values(OAUTH_PATHS)]);

  const handoff = createExtensionHandoff({
    issuer,
    verifier: options.verifier,
    now,
    lookup: consent.lookup,
    grant: consent.grant,
    redirect: consent.redirect,
    rememberBrowser: (res, patientId) => pages.rememberBrowser(res, patientId),
    portalTokenInUse: (portalTokenId) => grants.portalTokenInUse(portalTokenId),
    refuse: (req, res, reason) => {
      const lang = consentLang(null, req.headers['accept-language'], options.lang);
      const text = PAGE_MESSAGES[lang];
      consent.html(
        res,
        400,
        renderErrorPage(
          lang,
          reason === 'gone' ? text.problem_expired : text.problem_other_browser,
        ),
      );
    },
  });

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
      const used = await grants.useAccessToken(accessToken);
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
          await grants.endGrant(used.grant.id);
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
    confirmationPage: pageConfirmer(pages),
  };
}

export type AuthorizationServer = ReturnType<typeof createAuthorizationServer>;
