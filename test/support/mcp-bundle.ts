/**
 * Claude Desktop's bundle as Claude Desktop treats it: unpacked by the official `mcpb` CLI, its
 * manifest validated, and its server started the way the manifest says — its own command, args
 * and env with Claude Desktop's substitutions, Node alone, no PATH, in a folder of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const MCPB_CLI = path.join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

/** The bundle `npm run build:mcpb` wrote, which the extension's build ships. */
export const BUILT_BUNDLE = path.join(root, 'dist', 'hospiai-mcp.mcpb');

export interface BundleManifest {
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

export interface UnpackedBundle {
  dir: string;
  manifest: BundleManifest;
}

/** `mcpb unpack` into `scratch/unpacked`. */
export async function unpackBundle(bundle: string, scratch: string): Promise<UnpackedBundle> {
  const dir = path.join(scratch, 'unpacked');
  await run(process.execPath, [MCPB_CLI, 'unpack', bundle, dir]);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  return { dir, manifest };
}

/** What `mcpb validate` prints for the unpacked manifest (it exits non-zero when invalid). */
export async function validateBundle(unpacked: UnpackedBundle): Promise<string> {
  const { stdout } = await run(process.execPath, [
    MCPB_CLI,
    'validate',
    path.join(unpacked.dir, 'manifest.json'),
  ]);
  return stdout;
}

/** Starts the unpacked server as Claude Desktop would, with the settings' defaults; a connected client. */
export async function startBundle(unpacked: UnpackedBundle, scratch: string): Promise<Client> {
  const { dir, manifest } = unpacked;
  const substitute = (value: string) =>
    value
      .replace(/\$\{__dirname\}/g, dir)
      .replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) =>
        String(manifest.user_config[key]?.default ?? ''),
      );
  const { command, args, env } = manifest.server.mcp_config;
  if (command !== 'node') throw new Error(`the bundle starts ${command}, not node`);
  const elsewhere = await mkdtemp(path.join(scratch, 'cwd-'));
  const client = new Client({ name: 'claude-ai', version: '0.1.0' });
  await client.connect(
    new StdioClientTransport({
      // `node` is the Node that Claude Desktop runs (its own, or the user's): here this one.
      command: process.execPath,
      args: args.map(substitute),
      // No PATH, nothing from a repository: what the bundle holds is all it has.
      env: {
        ...Object.fromEntries(Object.entries(env).map(([key, value]) => [key, substitute(value)])),
        HOSPIAI_MCP_HOME: path.join(scratch, 'home'),
        HOSPIAI_MCP_PORTS: '0',
      },
      cwd: elsewhere,
      stderr: 'ignore',
    }),
  );
  return client;
}
