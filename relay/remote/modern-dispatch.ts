/**
 * The 2026-07-28 protocol's requests (no session, the protocol version and the client's
 * capabilities in each request's `_meta` envelope, `server/discover` instead of `initialize`):
 * served by the SDK v2 handler, one tool server per request, inside the request scope — with
 * what the request says for a question's round (input-required-confirmer.ts) — except a plainly
 * valid read, which the replica's read tools answer directly, as the SDK would (direct-read.ts).
 * 2025-era requests stay with the sessions (mcp-dispatch.ts): which one a request is, the SDK's
 * own classifier decides, so the two cannot disagree.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createMcpHandler,
  isLegacyRequest,
  type McpServer,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server';
import { elicitationModes } from '../confirm/confirmation-form';
import type { VerifiedBearer } from './bearer';
import { type DirectReads, directCallOf, serveDirectCall } from './direct-read';
import { sendJson } from './http-io';
import { rpcIdOf } from './mcp-dispatch';
import { type InputRound, requestScope } from './request-scope';

export function createModernDispatch(options: {
  newServer: () => McpServer;
  /** The read tools answered without a per-request server; none: every request is the SDK's. */
  directReads?: DirectReads;
  maxBodyBytes: number;
  onError: (error: Error) => void;
}) {
  const bodyLimit = { maxRequestBodySize: options.maxBodyBytes };
  // Nothing of this server's goes before a call's result on this protocol: answers stay JSON.
  const handler = createMcpHandler(() => options.newServer(), {
    legacy: 'reject',
    responseMode: 'auto',
    onerror: options.onError,
    ...bodyLimit,
  });

  return {
    /**
     * Serves the request if the SDK classifies it as 2026-07-28 (true), else leaves it untouched
     * for the sessions (false). One web Request serves both the classification and the call.
     */
    async serveIfModern(
      req: IncomingMessage,
      res: ServerResponse,
      bearer: VerifiedBearer,
      message: unknown,
    ): Promise<boolean> {
      // The cheap test first: a 2025-era request claims no modern revision anywhere.
      if (!claimsModern(req, message)) return false;
      const direct = options.directReads && directCallOf(req, message, options.directReads);
      if (direct) {
        const scope = {
          bearer,
          rpcId: direct.id,
          round: inputRound(message),
          clientName: direct.clientName,
        };
        await requestScope.run(scope, () =>
          serveDirectCall(res, direct, options.directReads as DirectReads),
        );
        return true;
      }
      // Whatever the SDK starts for this request ends when its client goes (a closed tab, a
      // timeout): the handler's work is tied to the web Request's signal.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      if (res.destroyed) gone.abort();
      const request = webRequest(req, gone.signal);
      if (await isLegacyRequest(request, message, bodyLimit)) return false;
      const unserved = unservedMethodOf(message);
      if (unserved) {
        sendJson(res, 404, {
          jsonrpc: '2.0',
          id: rpcIdOf(message),
          error: { code: METHOD_NOT_FOUND, message: UNSERVED[unserved] },
        });
        return true;
      }
      const scope = { bearer, rpcId: rpcIdOf(message), round: inputRound(message) };
      const response = await requestScope.run(scope, () =>
        handler.fetch(request, { parsedBody: message }),
      );
      // Buffered: every answer served here is a call's one result (a stream that never ends,
      // subscriptions/listen's, is refused above). No one left to read it: dropped.
      const body = await bodyOf(response, gone.signal);
      if (body === null) return true;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.writeHead(response.status);
      res.end(body);
      return true;
    },

    close: () => handler.close(),
  };
}

/**
 * 2026-07-28 methods this server does not serve, and why, for the client: answered as the SDK
 * answers a method it has no handler for (-32601, HTTP 404: the spec's method-registry rung),
 * before any of it is started. `subscriptions/listen` would hold an SSE stream, and one of the
 * SDK's 1024 subscriptions, open for change notifications this server never sends (its tools
 * are fixed; no prompts, no resource updates).
 */
const UNSERVED = {
  'subscriptions/listen':
    'Method not found: this server sends no change notifications, so it does not serve subscriptions/listen. Its tools do not change while it runs: list them again (tools/list) when needed.',
} as const;
const METHOD_NOT_FOUND = -32601;

function unservedMethodOf(message: unknown): keyof typeof UNSERVED | null {
  const method = (message as { method?: unknown } | null)?.method;
  return typeof method === 'string' && Object.hasOwn(UNSERVED, method)
    ? (method as keyof typeof UNSERVED)
    : null;
}

/** The answer's bytes, or null (the answer dropped) when its client is gone. */
async function bodyOf(response: Response, gone: AbortSignal): Promise<Buffer | null> {
  if (!gone.aborted) {
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (!gone.aborted) throw error;
    }
  }
  await response.body?.cancel().catch(() => {});
  return null;
}

/** A protocol version in the envelope, or a header naming a revision after the 2025 ones. */
function claimsModern(req: IncomingMessage, message: unknown): boolean {
  const version = req.headers['mcp-protocol-version'];
  if (typeof version === 'string' && !version.startsWith('2024-') && !version.startsWith('2025-'))
    return true;
  return (Array.isArray(message) ? message : [message]).some(
    (one) => envelopeOf(one)?.[PROTOCOL_VERSION_META_KEY] !== undefined,
  );
}

function envelopeOf(message: unknown): Record<string, unknown> | undefined {
  const meta = (message as { params?: { _meta?: unknown } } | null)?.params?._meta;
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : undefined;
}

/** What the request (as sent: untrusted) says for a question's round. */
function inputRound(message: unknown): InputRound {
  const params = (message as { params?: Record<string, unknown> } | null)?.params ?? {};
  const capabilities = envelopeOf(message)?.[CLIENT_CAPABILITIES_META_KEY] as
    | { elicitation?: unknown }
    | undefined;
  const modes = elicitationModes(capabilities?.elicitation);
  const responses = params.inputResponses;
  return {
    canShowForms: modes.form,
    canOpenUrls: modes.url,
    inputResponses:
      responses && typeof responses === 'object' && !Array.isArray(responses)
        ? (responses as Record<string, unknown>)
        : null,
    requestState: typeof params.requestState === 'string' ? params.requestState : null,
  };
}

/**
 * The Node request as a web Request (its body is already parsed and handed over apart), aborted
 * by `signal` when the client goes.
 */
function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
    method: req.method,
    headers,
    signal,
  });
}
