/**
 * Starts the built relay (`dist/hospiai-mcp.mjs`) the way an AI client does — a child process
 * spoken to over stdio by the SDK's Client — and collects its stderr for assertions.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sharedSchemaValidator } from './shared-schema-validator';

export const RELAY_BIN = fileURLToPath(new URL('../../dist/hospiai-mcp.mjs', import.meta.url));

export interface StdioRelayOptions {
  env: Record<string, string>;
  clientName?: string;
  /** Client capabilities, e.g. `{ elicitation: { form: {} } }`. */
  capabilities?: ConstructorParameters<typeof Client>[1];
}

export async function startStdioRelay(options: StdioRelayOptions) {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [RELAY_BIN],
    // Only what the relay needs: no inherited secrets, a predictable language.
    env: { PATH: process.env.PATH ?? '', LANG: 'en_US.UTF-8', ...options.env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client(
    { name: options.clientName ?? 'test-client', version: '1.0.0' },
    { ...options.capabilities, jsonSchemaValidator: sharedSchemaValidator },
  );
  await client.connect(transport);
  // As AI clients do: the tools are listed once the session starts, before any call (the SDK's
  // client also checks each result against the output schema it learnt here).
  await client.listTools();
  return {
    client,
    transport,
    pid: transport.pid,
    stderr,
    call: (name: string, args: Record<string, unknown> = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

export type StdioRelay = Awaited<ReturnType<typeof startStdioRelay>>;
