/**
 * The authorization server's machine endpoints, for any client (no cookie is involved): the token
 * endpoint (authorization code with PKCE, rotating refresh), RFC 7591 registration and RFC 7009
 * revocation. Errors are OAuthErrors, answered as JSON by the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http-io';
import { ClientRefused, type ClientRegistry } from './client-registry';
import type { GrantStore } from './grants';
import { OAuthError } from './oauth-error';

const MAX_FORM_BYTES = 16 * 1024;

export function createTokenEndpoints({
  clients,
  grants,
}: {
  clients: ClientRegistry;
  grants: GrantStore;
}) {
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
        await grants.redeemCode({
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
        await grants.refresh({
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
      return sendJson(res, 201, await clients.register(metadata));
    } catch (error) {
      if (error instanceof ClientRefused) throw new OAuthError(error.error, error.message);
      throw error;
    }
  }

  async function revoke(req: IncomingMessage, res: ServerResponse) {
    const form = await formOf(req);
    const tokenValue = required(form, 'token');
    const clientId = required(form, 'client_id');
    await grants.revoke(tokenValue, clientId);
    // RFC 7009 §2.2: the same answer whether or not the token was known.
    res.writeHead(200, { 'Cache-Control': 'no-store' });
    res.end();
  }

  return { token, register, revoke };
}

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
