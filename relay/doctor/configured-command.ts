/**
 * "Configured" means "starts": the doctor reads the command an AI client's configuration names
 * for HospiAI and starts it as the client would (its command, args and env), then checks that
 * it answers MCP `initialize`. A bare `npx -y hospiai-mcp` is not started at all: whatever the
 * registry serves under that name would run.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { parseJSONC, parseTOML, parseYAML } from 'confbox';
import { type ClientSpec, RELAY_PACKAGE, SERVER_NAME } from '../setup/clients';

export interface ConfiguredCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The HospiAI entry's command in a client's configuration text, or null when there is none. */
export function configuredCommand(client: ClientSpec, text: string): ConfiguredCommand | null {
  const entry = findEntry(client, text);
  if (!entry || typeof entry !== 'object') return null;
  const fields = entry as Record<string, unknown>;
  const command = fields.command ?? fields.cmd;
  if (typeof command !== 'string') return null;
  const args = Array.isArray(fields.args) ? fields.args.map(String) : [];
  const rawEnv = (fields.env ?? fields.envs ?? {}) as Record<string, unknown>;
  const env = Object.fromEntries(
    Object.entries(rawEnv).map(([key, value]) => [key, String(value)]),
  );
  return { command, args, env };
}

function findEntry(client: ClientSpec, text: string): unknown {
  const named = (list: unknown) =>
    Array.isArray(list)
      ? list.find((item) => (item as { name?: unknown })?.name === SERVER_NAME)
      : undefined;
  try {
    if (client.format === 'json') {
      return (parseJSONC(text) as Record<string, Record<string, unknown>>)[client.container]?.[
        SERVER_NAME
      ];
    }
    if (client.format === 'toml') {
      const table = (parseTOML(text) as Record<string, unknown>)[client.table];
      return client.layout === 'keyed'
        ? (table as Record<string, unknown> | undefined)?.[SERVER_NAME]
        : named(table);
    }
    const container = (parseYAML(text) as Record<string, unknown>)[client.container];
    return client.layout === 'list'
      ? named(container)
      : (container as Record<string, unknown> | undefined)?.[SERVER_NAME];
  } catch {
    return undefined;
  }
}

/** `npx … hospiai-mcp` without an exact version: not started, always reported. */
export function isUnpinnedPackage({ command, args }: ConfiguredCommand): boolean {
  const words = [command, ...args].map((word) => word.replace(/\.cmd$/i, ''));
  return words.some((word) => word === RELAY_PACKAGE || word === `${RELAY_PACKAGE}@latest`);
}

export type StartOutcome =
  | { ok: true; server: string }
  | { ok: false; reason: 'timeout'; seconds: number }
  | { ok: false; reason: 'exited'; code: number | null }
  | { ok: false; reason: 'error'; message: string };

/**
 * Starts the command from the user's home directory with the client's environment additions,
 * sends `initialize`, and stops it once answered (or after `timeoutMs`).
 */
export function startsAndAnswers(
  launch: ConfiguredCommand,
  baseEnv: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<StartOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let stdout = '';
    const child = spawn(launch.command, launch.args, {
      cwd: homedir(),
      env: { ...baseEnv, ...launch.env },
      stdio: ['pipe', 'pipe', 'ignore'],
      // npx is a .cmd shim on Windows, which only a shell starts.
      shell: process.platform === 'win32',
    });
    const finish = (outcome: StartOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.end();
      child.kill();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', seconds: timeoutMs / 1000 }),
      timeoutMs,
    );
    child.on('error', (error) => finish({ ok: false, reason: 'error', message: error.message }));
    child.on('exit', (code) => finish({ ok: false, reason: 'exited', code }));
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const line of stdout.split('\n').slice(0, -1)) {
        try {
          const message = JSON.parse(line) as {
            id?: number;
            result?: { serverInfo?: { name?: string; version?: string } };
          };
          if (message.id === 1 && message.result?.serverInfo) {
            const { name, version } = message.result.serverInfo;
            finish({ ok: true, server: `${name ?? '?'} ${version ?? ''}`.trim() });
          }
        } catch {
          // Not JSON-RPC: keep reading until the answer or the timeout.
        }
      }
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'hospiai-mcp doctor', version: '1' },
        },
      })}\n`,
    );
  });
}
