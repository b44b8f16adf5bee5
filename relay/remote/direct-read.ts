/**
 * The one request this server answers without the SDK: a `tools/call` of a read tool that is
 * plainly valid — on the 2026-07-28 protocol, or in a 2025 session of this replica whose answers
 * go as JSON. For each such call the SDK builds what a read never uses: on 2026-07-28 a web
 * `Request`, a new McpServer with every tool, its protocol machinery and a web `Response`; in a
 * session the Node ↔ web conversion, the transport's stream bookkeeping and the protocol's
 * parsing. Measured, that cost a replica more than the call itself (docs/remote-mode.md). A read
 * asks the patient nothing in remote mode, so nothing that machinery is for (server requests,
 * input-required rounds, streams) can arise in it.
 *
 * What the SDK checks is still checked first, by the SDK where it says so: its classifier
 * (`classifyInboundRequest`: the envelope, the version, the headers against the body) must call
 * a 2026-07-28 request a modern `tools/call`; a session's request must carry what the SDK's
 * transport requires (Accept, Content-Type, a supported version); the tool's zod input schema —
 * the object the SDK's server checks — must accept the arguments. Any other request, a write,
 * a revision this module was not written for, and every request that is not plainly valid goes
 * to the SDK, which answers it and its refusals as ever. The answer is the SDK's own for that
 * call, byte for byte in what a client reads (tests compare them, tool by tool, on both eras).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import {
  CLIENT_INFO_META_KEY,
  classifyInboundRequest,
  isJsonContentType,
  SERVER_INFO_META_KEY,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { header } from './http-io';

/** The revision whose answers this module reproduces; a later one goes to the SDK. */
export const DIRECT_REVISION = '2026-07-28';

/** A tool call's answer as the tools make it (a CallToolResult, or an input-required result). */
export type DirectAnswer = Record<string, unknown> & { isError?: boolean; resultType?: string };

/** A read tool as the SDK's server would run it: its schemas and its registered handler. */
export interface DirectReadTool {
  input: z.ZodType<Record<string, unknown>>;
  output: z.ZodType;
  run(args: Record<string, unknown>): Promise<DirectAnswer>;
}

/** The read tools of this replica, made once, and the server identity every answer carries. */
export interface DirectReads {
  serverInfo: { name: string; version: string; title?: string };
  tools: ReadonlyMap<string, DirectReadTool>;
  /** A tool answered outside its output schema: a bug, told to the log (not the answer's data). */
  onBug(message: string): void;
  /** A call was answered here (the log's debug level says which, for an operator). */
  onAnswered(tool: string, era: '2026-07-28' | 'session'): void;
}

/** A request this module serves: its id, the tool, the arguments as the tool's schema made them. */
export interface DirectCall {
  /** 2026-07-28 (no session), or the 2025 session this replica holds. */
  era: 'modern' | { sessionId: string };
  id: string | number;
  name: string;
  tool: DirectReadTool;
  args: Record<string, unknown>;
  /** The client's name from the envelope (what the SDK's server records as its client). */
  clientName: string | null;
}

const CALL_PARAMS = new Set(['name', 'arguments', '_meta']);

/** The call, when this request is one this module serves; null: the SDK's. */
export function directCallOf(
  req: IncomingMessage,
  message: unknown,
  reads: DirectReads,
): DirectCall | null {
  if (!isJsonContentType(req.headers['content-type'])) return null;
  // All three standard headers, as the SDK requires them of a modern tools/call.
  const protocolVersionHeader = header(req, 'mcp-protocol-version');
  const mcpMethodHeader = header(req, 'mcp-method');
  const mcpNameHeader = header(req, 'mcp-name');
  if (!protocolVersionHeader || !mcpMethodHeader || !mcpNameHeader) return null;
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader,
    mcpMethodHeader,
    mcpNameHeader,
    body: message,
  });
  if (route.kind !== 'modern' || route.messageKind !== 'request') return null;
  if (route.classification.revision !== DIRECT_REVISION) return null;
  const { id, method, params } = route.message;
  if (method !== 'tools/call' || !params) return null;
  // Anything beyond a plain call (a task, say) is the SDK's to understand.
  if (Object.keys(params).some((key) => !CALL_PARAMS.has(key))) return null;
  const {
    name,
    arguments: args,
    _meta,
  } = params as {
    name?: unknown;
    arguments?: unknown;
    _meta?: Record<string, unknown>;
  };
  // The Mcp-Name header names the tool as sent (an encoded one: the SDK decodes it).
  if (typeof name !== 'string' || mcpNameHeader.replace(/^[ \t]+|[ \t]+$/g, '') !== name)
    return null;
  const tool = reads.tools.get(name);
  if (!tool) return null;
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return null;
  const client = (_meta?.[CLIENT_INFO_META_KEY] as { name?: unknown } | undefined)?.name;
  return {
    era: 'modern',
    id,
    name,
    tool,
    args: parsed.data,
    clientName: typeof client === 'string' ? client.slice(0, 200) : null,
  };
}

const RPC_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * The call, when this request to a JSON-answering 2025 session is one this module serves; null:
 * the session's SDK transport's. `clientName` is the session's client (its initialize).
 */
export function sessionCallOf(
  req: IncomingMessage,
  message: unknown,
  reads: DirectReads,
  session: { id: string; clientName: string | null },
): DirectCall | null {
  // What the SDK's transport requires of every POST, and of a request within a session.
  const accept = header(req, 'accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return null;
  if (!isJsonContentType(req.headers['content-type'])) return null;
  const version = header(req, 'mcp-protocol-version');
  if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return null;
  if (!isPlainObject(message) || Object.keys(message).some((key) => !RPC_KEYS.has(key)))
    return null;
  const { jsonrpc, id, method, params } = message;
  if (jsonrpc !== '2.0' || method !== 'tools/call' || !isRequestId(id)) return null;
  if (!isPlainObject(params) || Object.keys(params).some((key) => !CALL_PARAMS.has(key)))
    return null;
  const { name, arguments: args, _meta } = params;
  if (_meta !== undefined && !isPlainObject(_meta)) return null;
  const progress = _meta?.progressToken;
  if (progress !== undefined && typeof progress !== 'string' && typeof progress !== 'number')
    return null;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return null;
  const tool = reads.tools.get(name);
  if (!tool) return null;
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return null;
  return {
    era: { sessionId: session.id },
    id,
    name,
    tool,
    args: parsed.data,
    clientName: session.clientName,
  };
}

/**
 * Runs the call and answers as the SDK's server does: the tool's structured content checked
 * against its output schema, a throw turned into an error result; on 2026-07-28 the result
 * stamped with its type and the server's identity; as JSON (with the session's id in a session).
 */
export async function serveDirectCall(
  res: ServerResponse,
  call: DirectCall,
  reads: DirectReads,
): Promise<void> {
  let answer: DirectAnswer;
  try {
    answer = await call.tool.run(call.args);
    if (!answer.isError && answer.resultType === undefined) {
      const checked = call.tool.output.safeParse(answer.structuredContent);
      if (!checked.success) {
        reads.onBug(`tool ${call.name} answered outside its output schema`);
        answer = toolError(
          `Output validation error: Invalid structured content for tool ${call.name}`,
        );
      }
    }
  } catch (error) {
    answer = toolError(error instanceof Error ? error.message : String(error));
  }
  const result = call.era === 'modern' ? stampedModern(answer, reads) : answer;
  const body = JSON.stringify({ jsonrpc: '2.0', id: call.id, result });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(call.era === 'modern' ? {} : { 'mcp-session-id': call.era.sessionId }),
  });
  res.end(body);
  reads.onAnswered(call.name, call.era === 'modern' ? DIRECT_REVISION : 'session');
}

/** What the SDK's 2026-07-28 encoder adds to a result: its type, and who answered it. */
function stampedModern(answer: DirectAnswer, reads: DirectReads): DirectAnswer {
  const meta = answer._meta as Record<string, unknown> | undefined;
  return {
    ...answer,
    resultType: answer.resultType ?? 'complete',
    _meta: { ...meta, [SERVER_INFO_META_KEY]: meta?.[SERVER_INFO_META_KEY] ?? reads.serverInfo },
  };
}

const toolError = (text: string): DirectAnswer => ({
  content: [{ type: 'text', text }],
  isError: true,
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON-RPC id as the SDK's schema takes it: a string or an integer. */
const isRequestId = (value: unknown): value is string | number =>
  typeof value === 'string' || Number.isInteger(value);
