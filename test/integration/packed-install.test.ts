/**
 * The package as a patient gets it: `npm pack` of this build, installed from the tarball into an
 * empty folder with no registry reachable, then `hospiai-mcp setup claude-desktop` with HOME in
 * a temporary folder, and the command that config names started exactly as Claude Desktop starts
 * it (its command, args and env, from another working directory): it answers `tools/list`.
 * Then the install folder made read-only (`chmod -R a-w`): the relay still starts and answers,
 * and nothing in the install changes (its code cache goes to the user's cache directory).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../relay/tools/index';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
/** relay/docs/clients.md prints the installed size; this is the ceiling. */
const MAX_INSTALLED_BYTES = 15 * 1024 * 1024;

let scratch: string;
let installDir: string;
let userHome: string;
/** npm with no registry it could reach: the package must install from the tarball alone. */
let offlineNpm: NodeJS.ProcessEnv;
/** The installed package right after `npm install` (modes aside): no test may change it. */
let asInstalled: Record<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-packed-'));
  installDir = path.join(scratch, 'install');
  userHome = path.join(scratch, 'home');
  await mkdir(installDir);
  await mkdir(userHome);
  offlineNpm = {
    ...process.env,
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: path.join(scratch, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', await tarball()], {
    cwd: installDir,
    env: offlineNpm,
  });
  asInstalled = await snapshot(path.join(installDir, 'node_modules', 'hospiai-mcp'), false);
}, 120_000);
afterAll(() => rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

/**
 * `npm pack` of this build. `.ci/run` packs once, right after its build, and gives every run
 * (Node 20, 22 and 24) the same tarball in HOSPIAI_TEST_PACKED; each run still installs it.
 */
async function tarball(): Promise<string> {
  const packed = process.env.HOSPIAI_TEST_PACKED;
  if (packed) return packed;
  // The bundle was just built by the integration project's globalSetup; packing must not
  // rebuild it under the feet of the other test files (prepack does that for real releases).
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch],
    { cwd: root, env: offlineNpm },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  return path.join(scratch, filename);
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

describe('the packed package, installed the way patients install it', () => {
  it('ships only the relay bundle: no dependencies, no install script, under 15 MB', async () => {
    const installed = path.join(installDir, 'node_modules');
    const names = (await readdir(installed)).filter((name) => !name.startsWith('.'));
    expect(names).toEqual(['hospiai-mcp']);
    const manifest = JSON.parse(
      await readFile(path.join(installed, 'hospiai-mcp', 'package.json'), 'utf8'),
    );
    expect(manifest.private).toBeUndefined();
    expect(manifest.scripts?.postinstall).toBeUndefined();
    expect(manifest.scripts?.install).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ 'hospiai-mcp': 'dist/hospiai-mcp.mjs' });
    expect(await sizeOf(installed)).toBeLessThan(MAX_INSTALLED_BYTES);
  });

  it('npx hospiai-mcp runs the installed copy', async () => {
    const { stdout } = await run('npx', ['--offline', 'hospiai-mcp', '--version'], {
      cwd: installDir,
      env: offlineNpm,
    });
    expect(stdout.trim()).toBe(
      JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version,
    );
  });

  it('carries the remote mode, in its own bundle: npx hospiai-mcp serve --help', async () => {
    const { stdout } = await run('npx', ['--offline', 'hospiai-mcp', 'serve', '--help'], {
      cwd: installDir,
      env: offlineNpm,
    });
    expect(stdout).toMatch(/^Usage: hospiai-mcp serve --http/);
  });

  // Four processes (setup twice, the relay, doctor starting it again): 30 s ran out at a load
  // of 28.
  it('setup claude-desktop writes a command that Claude Desktop can start, and it lists the tools', {
    timeout: 90_000,
  }, async () => {
    // The bin starts with `#!/usr/bin/env node`: the Node first on PATH runs it, here the one
    // running this suite (CI runs it on Node 20, 22 and 24).
    const nodeFirst = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
    const home = { PATH: nodeFirst, HOME: userHome };
    const bin = path.join(installDir, 'node_modules', '.bin', 'hospiai-mcp');
    const { stdout } = await run(bin, ['setup', 'claude-desktop'], { cwd: installDir, env: home });
    const file = path.join(userHome, '.config', 'Claude', 'claude_desktop_config.json');
    expect(stdout).toContain(`Created ${file}`);
    const entry = JSON.parse(await readFile(file, 'utf8')).mcpServers.hospiai as {
      command: string;
      args: string[];
      env?: Record<string, string>;
    };
    // Not a registry install: this Node and the installed bundle, by absolute path.
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([
      path.join(installDir, 'node_modules', 'hospiai-mcp', 'dist', 'hospiai-mcp.mjs'),
    ]);

    // Claude Desktop starts the entry from its own working directory, with its env added.
    const elsewhere = await mkdtemp(path.join(scratch, 'cwd-'));
    const client = new Client({ name: 'claude-ai', version: '0.1.0' });
    await client.connect(
      new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        env: {
          ...home,
          HOSPIAI_MCP_HOME: path.join(scratch, 'relay-home'),
          HOSPIAI_MCP_PORTS: '0',
          ...entry.env,
        },
        cwd: elsewhere,
        stderr: 'ignore',
      }),
    );
    try {
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name).sort()).toEqual(
        tools.map((tool) => tool.name).sort(),
      );
    } finally {
      await client.close();
    }

    // Run again, it changes nothing; doctor starts that command and says it answers.
    const again = await run(bin, ['setup', 'claude-desktop'], { cwd: installDir, env: home });
    expect(again.stdout).toContain('nothing changed');
    const doctor = await run(bin, ['doctor', '--json'], {
      cwd: elsewhere,
      env: { ...home, HOSPIAI_MCP_HOME: path.join(scratch, 'relay-home'), HOSPIAI_MCP_PORTS: '0' },
    }).catch((error: { stdout: string }) => error);
    const findings = (
      JSON.parse(doctor.stdout) as { findings: { check: string; status: string }[] }
    ).findings;
    expect(findings.find((f) => f.check === 'AI client Claude Desktop')?.status).toBe('ok');
  });

  it('runs from a read-only install and writes nothing into it', { timeout: 60_000 }, async () => {
    const installed = path.join(installDir, 'node_modules', 'hospiai-mcp');
    const cacheHome = path.join(scratch, 'read-only-cache');
    await run('chmod', ['-R', 'a-w', installDir]);
    try {
      const before = await snapshot(installed);
      // Started, asked initialize and tools/list, stdin closed, and waited for until it exits
      // (a cache is written at exit): only then is the install compared.
      const relay = spawn(process.execPath, [path.join(installed, 'dist', 'hospiai-mcp.mjs')], {
        cwd: scratch,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: userHome,
          // A cold cache: the relay writes a code cache on this run, so the check means it.
          XDG_CACHE_HOME: cacheHome,
          HOSPIAI_MCP_HOME: path.join(scratch, 'relay-home'),
          HOSPIAI_MCP_PORTS: '0',
        },
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      const exited = once(relay, 'exit');
      const answers = createInterface({ input: relay.stdout! })[Symbol.asyncIterator]();
      const send = (message: object) =>
        relay.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      send({
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'read-only-check', version: '1' },
        },
      });
      expect(JSON.parse((await answers.next()).value).result.serverInfo.name).toBe('hospiai');
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list', params: {} });
      const listed = JSON.parse((await answers.next()).value) as {
        result: { tools: { name: string }[] };
      };
      expect(listed.result.tools.map((tool) => tool.name).sort()).toEqual(
        tools.map((tool) => tool.name).sort(),
      );
      relay.stdin!.end();
      await exited;
      expect(await snapshot(installed)).toEqual(before);
      // Nor did any earlier test's relay, started from the writable install.
      expect(await snapshot(installed, false)).toEqual(asInstalled);
      // It did write its cache, where caches go.
      const cached = await readdir(path.join(cacheHome, 'hospiai-mcp'), { recursive: true });
      expect(cached.length).toBeGreaterThan(0);
    } finally {
      await run('chmod', ['-R', 'u+w', installDir]);
    }
  });
});

/** Every entry under `dir`: its type, mode, size, modification time and content hash. */
async function snapshot(dir: string, withMode = true): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const info = await stat(full);
    const hash = entry.isFile()
      ? createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
      : 'dir';
    result[path.relative(dir, full)] =
      `${withMode ? (info.mode & 0o7777).toString(8) : '-'} ${info.size} ${info.mtimeMs} ${hash}`;
  }
  result['.'] = String((await stat(dir)).mtimeMs);
  return result;
}
