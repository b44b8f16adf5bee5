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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../relay/tools/index';
import {
  BUILT_BUNDLE,
  type BundleManifest,
  startBundle,
  type UnpackedBundle,
  unpackBundle,
  validateBundle,
} from '../support/mcp-bundle';

const root = fileURLToPath(new URL('../..', import.meta.url));

let scratch: string;
let unpacked: UnpackedBundle;
let manifest: BundleManifest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-mcpb-'));
  // The relay's globalSetup (or `.ci/run`, before every run) packs the bundle with the relay.
  unpacked = await unpackBundle(BUILT_BUNDLE, scratch);
  manifest = unpacked.manifest;
}, 60_000);
afterAll(() => rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

describe('the Claude Desktop bundle (.mcpb)', () => {
  it('passes the official validator', async () => {
    expect(await validateBundle(unpacked)).toMatch(/valid/i);
  });

  it('holds this build’s relay, byte for byte', async () => {
    for (const file of ['hospiai-mcp.mjs', 'relay.cjs']) {
      const shipped = await readFile(path.join(unpacked.dir, 'server', file));
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

  it('carries the stdio relay only: `serve` there says where the remote mode is', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [path.join(unpacked.dir, 'server', 'hospiai-mcp.mjs'), 'serve', '--help'],
        { env: { PATH: process.env.PATH, HOSPIAI_MCP_HOME: path.join(scratch, 'serve-home') } },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not part of this install.*npx hospiai-mcp serve/);
  });

  it('starts with Node alone, unpacked, and lists its tools', async () => {
    const client = await startBundle(unpacked, scratch);
    try {
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
    } finally {
      await client.close();
    }
  });
});
