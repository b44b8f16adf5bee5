/**
 * The MCP endpoint's checks that answer by themselves: a refused bearer (401 pointing at the
 * metadata, or 503 to retry), a body too large or not JSON (413, 400), a tool call whose scope
 * the bearer lacks (403 insufficient_scope, before the portal is called).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BearerRefused, type VerifiedBearer } from './bearer';
import { readBody, rpcError, sendJson } from './http-io';
import { insufficientScopeChallenge, unauthorizedChallenge } from './protected-resource';

/** 401 with the metadata pointer (and why, when a token was sent), or 503 to retry. */
export function refuseBearer(
  res: ServerResponse,
  publicUrl: URL,
  error: unknown,
  hadToken: boolean,
) {
  const refused =
    error instanceof BearerRefused
      ? error
      : new BearerRefused('temporarily_unavailable', 'the token could not be checked');
  if (refused.error === 'temporarily_unavailable') {
    res.setHeader('Retry-After', '5');
    return sendJson(res, 503, { error: refused.error, error_description: refused.reason });
  }
  res.setHeader(
    'WWW-Authenticate',
    unauthorizedChallenge(
      publicUrl,
      hadToken ? { code: refused.error, description: refused.reason } : undefined,
    ),
  );
  return sendJson(res, 401, { error: refused.error, error_description: refused.reason });
}

export const NOT_READ = Symbol('not read');

/** The request's JSON-RPC message(s), or NOT_READ once 413 or 400 has been answered. */
export async function readMessage(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body === 'too_large') {
    sendJson(res, 413, rpcError(-32600, `request body larger than ${limit} bytes`));
    return NOT_READ;
  }
  try {
    return JSON.parse(body);
  } catch {
    sendJson(res, 400, rpcError(-32700, 'Parse error: invalid JSON'));
    return NOT_READ;
  }
}

/** Whether the bearer has every scope the calls need; else 403 insufficient_scope is answered. */
export function allowedScopes(
  res: ServerResponse,
  publicUrl: URL,
  message: unknown,
  bearer: VerifiedBearer,
  toolScopes: ReadonlyMap<string, string | null>,
): boolean {
  for (const one of Array.isArray(message) ? message : [message]) {
    const scope = requiredScope(one, toolScopes);
    if (scope && !bearer.scopes.includes(scope)) {
      res.setHeader('WWW-Authenticate', insufficientScopeChallenge(publicUrl, scope));
      sendJson(res, 403, {
        error: 'insufficient_scope',
        scope,
        error_description: `this needs the ${scope} permission`,
      });
      return false;
    }
  }
  return true;
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
