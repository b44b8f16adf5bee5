/**
 * Starts the built relay in remote mode (`hospiai-mcp serve --http`) as a hospital runs it — a
 * child process on a free port — and an SDK client that reaches it with a patient's bearer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_META_KEY } from '../../relay/tools/tool-result';
import { sharedSchemaValidator } from './shared-schema-validator';
import { RELAY_BIN } from './stdio-relay';

export interface RemoteServer {
  /** e.g. http://127.0.0.1:54321 */
  localUrl: string;
  /** The MCP endpoint. */
  mcpUrl: string;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
}

export async function startRemoteServer(options: {
  portalUrl: string;
  args?: string[];
  env?: Record<string, string>;
  /** Node's own flags for the server process (a profiler's, say). */
  nodeArgs?: string[];
}): Promise<RemoteServer> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      RELAY_BIN,
      'serve',
      '--http',
      '--port',
      '0',
      ...(options.args ?? []),
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        LANG: 'en_US.UTF-8',
        HOSPIAI_URL: options.portalUrl,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const listening = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve --http did not start:\n${stderr.join('')}`)),
      15_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk.toString('utf8'));
      const match = /listening on (\S+), MCP endpoint (\S+)/.exec(stdout.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve --http exited (${code}):\n${stderr.join('')}`));
    });
  });
  return {
    localUrl: listening[1] as string,
    mcpUrl: listening[2] as string,
    child,
    stdout,
    stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface RemoteClientOptions {
  url: string;
  token?: string;
  name?: string;
  capabilities?: ConstructorParameters<typeof Client>[1];
  headers?: Record<string, string>;
}

/** An SDK client over Streamable HTTP with the patient's token, tools listed as real clients do. */
export async function connectRemoteClient(options: RemoteClientOptions) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers },
  });
  const client = new Client(
    { name: options.name ?? 'remote-test-client', version: '1.0.0' },
    { ...options.capabilities, jsonSchemaValidator: sharedSchemaValidator },
  );
  await client.connect(transport);
  const listed = await client.listTools();
  return {
    client,
    transport,
    tools: listed.tools,
    call: (name: string, args: Record<string, unknown> = {}, timeoutMs?: number) =>
      client.callTool({ name, arguments: args }, undefined, {
        timeout: timeoutMs,
      }) as Promise<CallToolResult>,
    /** A call expected to fail: through `callTool`, as a real client reads it (schemas checked). */
    callExpectingError: (name: string, args: Record<string, unknown> = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

/** The stable error code of a failed tool result, wherever the result carries it. */
export function errorCodeOf(result: CallToolResult): string | undefined {
  const meta = result._meta?.[ERROR_META_KEY] as { code?: string } | undefined;
  return meta?.code;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
