/**
 * The Claude Desktop bundle (`npm run build:mcpb` → dist/hospiai-mcp.mcpb): built from this
 * relay build, its manifest passes the official `mcpb validate`, and, unpacked, the server starts
 * with Node alone — the manifest's own command, args and env, as Claude Desktop substitutes them —
 * and lists its tools.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../relay/tools/index';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const MCPB_CLI = path.join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

interface Manifest {
  version: string;
  server: {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  tools: { name: string; description: string }[];
  user_config: Record<string, { type: string; default?: string }>;
  privacy_policies: string[];
  compatibility: { platforms: string[]; runtimes: { node: string } };
}

let scratch: string;
let unpacked: string;
let manifest: Manifest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-mcpb-'));
  // `.ci/run` builds the relay and its bundle together before every run (HOSPIAI_TEST_PREBUILT):
  // that dist/hospiai-mcp.mcpb is this build's. Otherwise the globalSetup has just rebuilt the
  // relay alone, and the bundle is packed from it here.
  let bundle = path.join(root, 'dist', 'hospiai-mcp.mcpb');
  if (!process.env.HOSPIAI_TEST_PREBUILT) {
    bundle = path.join(scratch, 'hospiai-mcp.mcpb');
    await run(process.execPath, ['relay/build-mcpb.mjs', bundle], { cwd: root });
  }
  unpacked = path.join(scratch, 'unpacked');
  await run(process.execPath, [MCPB_CLI, 'unpack', bundle, unpacked]);
  manifest = JSON.parse(await readFile(path.join(unpacked, 'manifest.json'), 'utf8'));
}, 60_000);
afterAll(() => rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

describe('the Claude Desktop bundle (.mcpb)', () => {
  it('passes the official validator', async () => {
    const { stdout } = await run(process.execPath, [
      MCPB_CLI,
      'validate',
      path.join(unpacked, 'manifest.json'),
    ]);
    expect(stdout).toMatch(/valid/i);
  });

  it('holds this build’s relay, byte for byte', async () => {
    for (const file of ['hospiai-mcp.mjs', 'relay.cjs']) {
      const shipped = await readFile(path.join(unpacked, 'server', file));
      expect(shipped.equals(await readFile(path.join(root, 'dist', file))), file).toBe(true);
    }
  });

  it('describes the relay: node server, settings, privacy policy, compatibility, its tools', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server.type).toBe('node');
    expect(Object.keys(manifest.user_config).sort()).toEqual([
      'language',
      'pairing_code',
      'portal_url',
    ]);
    expect(manifest.privacy_policies.length).toBeGreaterThan(0);
    expect(manifest.compatibility).toEqual({
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    });
    expect(manifest.tools).toEqual(
      tools.map((tool) => ({ name: tool.name, description: tool.description })),
    );
  });

  it('starts with Node alone, unpacked, and lists its tools', async () => {
    const substitute = (value: string) =>
      value
        .replace(/\$\{__dirname\}/g, unpacked)
        .replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) =>
          String(manifest.user_config[key]?.default ?? ''),
        );
    const { command, args, env } = manifest.server.mcp_config;
    expect(command).toBe('node');
    const elsewhere = await mkdtemp(path.join(scratch, 'cwd-'));
    const client = new Client({ name: 'claude-ai', version: '0.1.0' });
    await client.connect(
      new StdioClientTransport({
        // `node` is the Node that Claude Desktop runs (its own, or the user's): here this one.
        command: process.execPath,
        args: args.map(substitute),
        // No PATH, nothing from a repository: what the bundle holds is all it has.
        env: {
          ...Object.fromEntries(
            Object.entries(env).map(([key, value]) => [key, substitute(value)]),
          ),
          HOSPIAI_MCP_HOME: path.join(scratch, 'home'),
          HOSPIAI_MCP_PORTS: '0',
        },
        cwd: elsewhere,
        stderr: 'ignore',
      }),
    );
    try {
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
    } finally {
      await client.close();
    }
  });
});
