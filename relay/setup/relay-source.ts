/**
 * How the running relay was installed, so that `setup` writes a command that starts it today:
 * the registry's exact version when this copy came from the registry (npx cache, `npm i`), else
 * the absolute paths of this Node and this bundle (a clone, an installed tarball, the .mcpb).
 *
 * npm records where each package came from in the hidden lockfile of the `node_modules` that
 * holds it (`node_modules/.package-lock.json`, `resolved`): an `https://` tarball is the
 * registry; `file:` and git sources are not. When in doubt, the local paths: they always start.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { RELAY_PACKAGE, type RelaySource } from './clients';

export const RELAY_ENTRY = 'hospiai-mcp.mjs';

/** `entry`: the relay's bin as this process was started (process.argv[1]); may be a symlink. */
export async function detectRelaySource(
  entry: string | undefined,
  node: string = process.execPath,
): Promise<RelaySource | null> {
  if (!entry) return null;
  const bundle = await realpath(entry).catch(() => null);
  if (!bundle || path.basename(bundle) !== RELAY_ENTRY) return null;
  const isFile = await stat(path.join(path.dirname(bundle), 'relay.cjs')).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!isFile) return null;
  const version = await registryVersion(path.dirname(path.dirname(bundle)));
  return version ? { kind: 'registry', version } : { kind: 'local', node, bundle };
}

async function registryVersion(packageDir: string): Promise<string | null> {
  const nodeModules = path.dirname(packageDir);
  if (path.basename(nodeModules) !== 'node_modules') return null;
  const manifest = await readJson(path.join(packageDir, 'package.json'));
  if (manifest?.name !== RELAY_PACKAGE || typeof manifest.version !== 'string') return null;
  const lock = await readJson(path.join(nodeModules, '.package-lock.json'));
  const packages = lock?.packages as Record<string, { resolved?: unknown; version?: unknown }>;
  const installed = packages?.[`node_modules/${RELAY_PACKAGE}`];
  const fromRegistry =
    typeof installed?.resolved === 'string' &&
    /^https:\/\/[^/]+\/.*\.tgz$/.test(installed.resolved) &&
    installed.version === manifest.version;
  return fromRegistry ? manifest.version : null;
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
