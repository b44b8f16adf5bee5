/**
 * The one way the MCP server is built, for the stdio relay and for every remote session: the
 * SDK's McpServer with the relay's name, instructions and schema validator, and the tools of
 * ./index registered with their rules (register-tools.ts). Like the MCP `everything` server's
 * `createServer()`: the caller wires what differs — the tool context, which tools, the observer.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { zodJsonSchemaValidator } from '../confirm/elicitation-validator';
import { RELAY_VERSION } from '../version';
import type { ToolContext } from './define-tool';
import { tools } from './index';
import { type RegisterToolsOptions, registerTools, type ToolRegistrar } from './register-tools';

export const SERVER_NAME = 'hospiai';

/** How the patient is known and how writes are confirmed: the two ways a server is reached. */
export type ServerMode = 'local' | 'remote';

export const INSTRUCTIONS: Record<ServerMode, string> = {
  local:
    'Tools for the patient’s own HospiAI hospital portal: appointments, medical records, doctors and free slots, booking and cancelling. The patient is identified by the connection, never by an argument. Booking and cancelling are always confirmed by the patient themselves. When a tool fails, its message says what the patient should do; connection_status explains the connection.',
  remote:
    'Tools for the patient’s own HospiAI hospital portal: appointments, medical records, doctors and free slots, booking and cancelling. The patient is whoever the access token belongs to, never an argument. Booking and cancelling are always confirmed by the patient themselves — in this client’s confirmation form, or on HospiAI’s own page when a tool answers with its link. When a tool fails, its message says what the patient should do; connection_status explains the connection.',
};

/** The AI client as it introduced itself (MCP clientInfo), bounded; its display title if given. */
export interface ClientInfo {
  name: string;
  version: string;
  title?: string;
}

export interface ToolServer {
  server: McpServer;
  clientInfo(): ClientInfo | null;
}

export interface ToolServerOptions
  extends Omit<RegisterToolsOptions, 'clientName' | 'include' | 'context' | 'gate'> {
  mode: ServerMode;
  /** What the tools use, made with the SDK server they answer through (questions go by it). */
  context: (server: Server) => ToolContext;
  /** Runs before each call (an unpaired relay asks for the extension's code), made likewise. */
  gate?: (server: Server) => RegisterToolsOptions['gate'];
}

export function createToolServer(options: ToolServerOptions): ToolServer {
  const { mode } = options;
  const server = new McpServer(
    { name: SERVER_NAME, version: RELAY_VERSION, title: 'HospiAI' },
    {
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS[mode],
      jsonSchemaValidator: zodJsonSchemaValidator,
    },
  );
  const clientInfo = (): ClientInfo | null => {
    const info = server.server.getClientVersion();
    if (!info) return null;
    const client = { name: info.name.slice(0, 200), version: info.version.slice(0, 100) };
    // MCP 2025-06 clients may add a display name (`title`): the popup names the assistant by it.
    const title = typeof info.title === 'string' ? info.title.slice(0, 200) : undefined;
    return title ? { ...client, title } : client;
  };
  registerTools(v1Registrar(server), {
    logger: options.logger,
    ready: options.ready,
    onToolCall: options.onToolCall,
    context: options.context(server.server),
    gate: options.gate?.(server.server),
    clientName: () => clientInfo()?.name ?? null,
    toolMeta: options.toolMeta,
    // Pairing with a browser extension is this computer's business, not a remote server's.
    include: mode === 'remote' ? (tool) => tool.kind !== 'local' : undefined,
  });
  return { server, clientInfo };
}

/**
 * The v1 McpServer as a registrar. Its calls never answer input-required: on the 2025 protocol
 * questions go as server requests, and only the 2026-07-28 confirmer raises InputNeeded.
 */
function v1Registrar(server: McpServer): ToolRegistrar {
  return {
    registerTool: (name, config, handle) =>
      server.registerTool(name, config, handle as (args: object) => Promise<CallToolResult>),
  };
}

/** The scope each tool needs (null: none), for checks made before a call reaches the server. */
export const TOOL_SCOPES: ReadonlyMap<string, string | null> = new Map(
  tools.map((tool) => [tool.name, tool.scope]),
);
