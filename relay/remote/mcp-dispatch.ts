/**
 * The last stage of an MCP request, once it is authenticated, within budget and allowed: the
 * SDK transport of the caller's own session — a new one for an initialize, the one this replica
 * holds for its id — or, for a session another replica held (it stopped), a server for this one
 * request. A plainly valid read in a session whose answers go as JSON is answered by the
 * replica's read tools, as the session's transport would (direct-read.ts). Every call runs
 * inside the request scope (its bearer, its JSON-RPC id).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { VerifiedBearer } from './bearer';
import { type DirectReads, serveDirectCall, sessionCallOf } from './direct-read';
import { rpcError, sendJson } from './http-io';
import { requestScope } from './request-scope';
import type { SessionRegistry } from './session-registry';

export interface McpDispatchOptions {
  sessions: SessionRegistry;
  newServer: () => McpServer;
  replicaId: string;
  /** The read tools answered without the session's transport; none: every request is the SDK's. */
  directReads?: DirectReads;
}

export function createMcpDispatch(options: McpDispatchOptions) {
  const { sessions, newServer, replicaId, directReads } = options;
  const sessionNotFound = (res: ServerResponse) =>
    sendJson(res, 404, rpcError(-32001, 'Session not found'));

  return {
    /** DELETE: the caller ends its own session (another patient's id is not found). */
    async end(
      req: IncomingMessage,
      res: ServerResponse,
      bearer: VerifiedBearer,
      sessionId?: string,
    ) {
      const session = sessionId ? sessions.find(sessionId, bearer.patientId) : undefined;
      if (!session) return sessionNotFound(res);
      return requestScope.run({ bearer, rpcId: null }, () =>
        session.transport.handleRequest(req, res),
      );
    },

    /** POST: the parsed JSON-RPC message(s) to the right transport. */
    async post(
      req: IncomingMessage,
      res: ServerResponse,
      bearer: VerifiedBearer,
      message: unknown,
      sessionId?: string,
    ) {
      const scope = { bearer, rpcId: Array.isArray(message) ? null : rpcIdOf(message) };
      if (!sessionId && isInitializeRequest(message)) {
        const server = newServer();
        const json = answersAsJson(message);
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: sessions.newId,
          // A client that cannot answer a question (no form elicitation) never needs a stream:
          // its answers go as plain JSON, cheaper to make (see answersAsJson).
          enableJsonResponse: json,
          onsessioninitialized: (id) => {
            sessions.add({
              id,
              patientId: bearer.patientId,
              server,
              transport,
              json,
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
      if (held) {
        const clientName = held.server.server.getClientVersion()?.name.slice(0, 200) ?? null;
        const direct =
          held.json &&
          directReads &&
          sessionCallOf(req, message, directReads, { id: held.id, clientName });
        if (direct)
          return requestScope.run({ ...scope, clientName }, () =>
            serveDirectCall(res, direct, directReads),
          );
        return requestScope.run(scope, () => held.transport.handleRequest(req, res, message));
      }
      // Ours but gone (closed, idle, or another patient's id): the client starts a new session.
      if (sessionId?.startsWith(`${replicaId}.`)) return sessionNotFound(res);
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
    },
  };
}

/**
 * Whether a session's answers go as plain JSON rather than an SSE stream: when its client
 * declared no form elicitation, nothing in a call can ever ask it a question (a booking then
 * ends NOT_CONFIRMED, or with the link of the confirmation page), so no stream is needed. Such a
 * session runs no write, so nginx's re-sending a POST whose answer's headers had not come back
 * repeats a read at most.
 */
function answersAsJson(initialize: unknown): boolean {
  const capabilities = (initialize as { params?: { capabilities?: { elicitation?: unknown } } })
    .params?.capabilities;
  return capabilities?.elicitation === undefined;
}

export function rpcIdOf(message: unknown): string | number | null {
  if (!message || typeof message !== 'object') return null;
  const { id, method } = message as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')
    ? id
    : null;
}
