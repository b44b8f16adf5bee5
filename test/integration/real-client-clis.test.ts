/**
 * The real Claude Code, Gemini CLI and Codex CLI, installed from npm (pinned, cached in .ci/cache/clients),
 * each with HOME in a temporary folder: `hospiai-mcp setup <client>` writes their configuration,
 * and the CLI itself reads it and starts the relay from it.
 * - Claude Code: `claude mcp list` checks each server's health and must say "Connected".
 * - Gemini CLI: `gemini mcp list`, in a folder the user trusted (~/.gemini/trustedFolders.json,
 *   what its trust prompt writes), connects to each server and must say "Connected".
 * - Codex CLI: `codex mcp list` only prints the configuration (it starts nothing), so it is
 *   checked for our entry, and then Codex's own app server (`codex app-server`, the JSON-RPC
 *   interface its IDE extension uses) is asked `mcpServerStatus/list`: it starts the configured
 *   server and returns its serverInfo and tools, no model and no network needed.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../relay/tools/index';
import { CLAUDE_CODE, CODEX_CLI, GEMINI_CLI, installedCli } from '../support/client-clis';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const relayBin = path.join(root, 'dist', 'hospiai-mcp.mjs');
const toolNames = tools.map((tool) => tool.name).sort();

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-client-clis-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

/** A user's home and a project folder, and the environment a terminal there would have. */
async function userAt(name: string) {
  const home = path.join(scratch, name);
  const project = path.join(home, 'project');
  await mkdir(project, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: home,
    LANG: 'C.UTF-8',
    // The relay's own state and an ephemeral bridge port, out of the way of other test files.
    HOSPIAI_MCP_HOME: path.join(home, 'relay-home'),
    HOSPIAI_MCP_PORTS: '0',
  };
  return { home, project, env };
}

async function setupFor(client: string, env: NodeJS.ProcessEnv, cwd: string) {
  const { stdout } = await run(process.execPath, [relayBin, 'setup', client], { cwd, env });
  return stdout;
}

describe('Claude Code reads what setup wrote and connects to the relay', () => {
  it('claude mcp list: hospiai … Connected', { timeout: 180_000 }, async () => {
    const claude = await installedCli(CLAUDE_CODE);
    const { home, project, env } = await userAt('claude');
    expect(await setupFor('claude-code', env, project)).toContain(
      `Created ${path.join(home, '.claude.json')}`,
    );
    // No update check, no telemetry: nothing but the relay is reached.
    const offline = {
      ...env,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
    };
    const { stdout, stderr } = await run(claude, ['mcp', 'list'], {
      cwd: project,
      env: offline,
      timeout: 120_000,
    });
    expect(`${stdout}${stderr}`).toMatch(
      new RegExp(
        `hospiai: ${escapeRegExp(process.execPath)} ${escapeRegExp(relayBin)} - ✔ Connected`,
      ),
    );
  });
});

/** `gemini mcp list`'s report, which it writes to stdout or stderr depending on the version. */
async function geminiMcpList(gemini: string, cwd: string, env: NodeJS.ProcessEnv) {
  const { stdout, stderr } = await run(gemini, ['mcp', 'list'], { cwd, env, timeout: 120_000 });
  return `${stdout}${stderr}`;
}

describe('Gemini CLI reads what setup wrote and connects to the relay', () => {
  it('gemini mcp list: hospiai … Connected', { timeout: 180_000 }, async () => {
    const gemini = await installedCli(GEMINI_CLI);
    const { home, project, env } = await userAt('gemini');
    const settings = path.join(home, '.gemini', 'settings.json');
    expect(await setupFor('gemini-cli', env, project)).toContain(`Created ${settings}`);
    // What Gemini CLI's "Trust folder" answer writes: without it, no MCP server is started.
    await writeFile(
      path.join(home, '.gemini', 'trustedFolders.json'),
      JSON.stringify({ [project]: 'TRUST_FOLDER' }),
    );
    const stdout = await geminiMcpList(gemini, project, env);
    expect(stdout).toMatch(
      new RegExp(
        `✓ hospiai: ${escapeRegExp(process.execPath)} ${escapeRegExp(relayBin)} \\(stdio\\) - Connected`,
      ),
    );
  });

  it('…and in a folder the user has not trusted, it starts nothing (the check can fail)', {
    timeout: 180_000,
  }, async () => {
    const gemini = await installedCli(GEMINI_CLI);
    const { project, env } = await userAt('gemini-untrusted');
    await setupFor('gemini-cli', env, project);
    const stdout = await geminiMcpList(gemini, project, env);
    expect(stdout).toMatch(/hospiai: .* - Disabled/);
    expect(stdout).not.toContain('Connected');
  });
});

describe('Codex CLI reads what setup wrote and starts the relay', () => {
  it('codex mcp get shows our entry; its app server lists the relay’s tools', {
    timeout: 180_000,
  }, async () => {
    const codex = await installedCli(CODEX_CLI);
    const { home, project, env } = await userAt('codex');
    const config = path.join(home, '.codex', 'config.toml');
    expect(await setupFor('codex', env, project)).toContain(`Created ${config}`);

    const { stdout } = await run(codex, ['mcp', 'get', 'hospiai', '--json'], {
      cwd: project,
      env,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'hospiai',
      enabled: true,
      transport: { type: 'stdio', command: process.execPath, args: [relayBin] },
    });

    // Codex passes MCP servers only a fixed list of variables (HOME, PATH…); these two, which
    // only keep the test's relay out of other files' way, are forwarded by name on the command
    // line, leaving the file as setup wrote it.
    const forward = '-c=mcp_servers.hospiai.env_vars=["HOSPIAI_MCP_HOME","HOSPIAI_MCP_PORTS"]';
    const status = await appServerRequest(codex, [forward], env, project, 'mcpServerStatus/list');
    const servers = (status as { data: CodexServerStatus[] }).data;
    const ours = servers.find((server) => server.name === 'hospiai');
    expect(ours?.serverInfo).toMatchObject({ name: 'hospiai' });
    expect(Object.keys(ours?.tools ?? {}).sort()).toEqual(toolNames);
    expect(await readFile(config, 'utf8')).not.toContain('env_vars');
  });
});

interface CodexServerStatus {
  name: string;
  serverInfo: { name: string; version: string } | null;
  tools: Record<string, unknown>;
}

/** `initialize`, `initialized`, then one request to `codex app-server` over stdio; its result. */
function appServerRequest(
  codex: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  method: string,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(codex, ['app-server', ...args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const done = (settle: () => void) => {
      child.stdin.end();
      child.kill();
      settle();
    };
    child.on('error', (error) => done(() => reject(error)));
    child.on('exit', (code) =>
      done(() => reject(new Error(`codex app-server exited (${code}): ${stderr.slice(-2000)}`))),
    );
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { id?: number; result?: unknown; error?: unknown };
      if (message.id === 1) {
        send({ jsonrpc: '2.0', method: 'initialized' });
        send({ jsonrpc: '2.0', id: 2, method, params: {} });
      } else if (message.id === 2) {
        child.removeAllListeners('exit');
        done(() =>
          message.error
            ? reject(new Error(`${method}: ${JSON.stringify(message.error)}`))
            : resolve(message.result),
        );
      }
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { clientInfo: { name: 'hospiai-test', version: '1' } },
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
