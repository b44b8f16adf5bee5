import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectRelaySource } from '../../../relay/setup/relay-source';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hospiai-source-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** An npm install of the package in `root`, recorded as coming from `resolved`. */
async function installed(resolved: string, version = '1.4.2') {
  const pkg = join(root, 'node_modules', 'hospiai-mcp');
  await mkdir(join(pkg, 'dist'), { recursive: true });
  await writeFile(join(pkg, 'dist', 'hospiai-mcp.mjs'), '// launcher');
  await writeFile(join(pkg, 'dist', 'relay.cjs'), '// bundle');
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'hospiai-mcp', version }));
  await writeFile(
    join(root, 'node_modules', '.package-lock.json'),
    JSON.stringify({ packages: { 'node_modules/hospiai-mcp': { version, resolved } } }),
  );
  await mkdir(join(root, 'node_modules', '.bin'));
  const bin = join(root, 'node_modules', '.bin', 'hospiai-mcp');
  await symlink(path.relative(path.dirname(bin), join(pkg, 'dist', 'hospiai-mcp.mjs')), bin);
  return { bin, bundle: join(pkg, 'dist', 'hospiai-mcp.mjs') };
}

describe('how the running relay was installed', () => {
  it('from the registry: its exact version', async () => {
    const { bin } = await installed(
      'https://registry.npmjs.org/hospiai-mcp/-/hospiai-mcp-1.4.2.tgz',
    );
    expect(await detectRelaySource(bin)).toEqual({ kind: 'registry', version: '1.4.2' });
  });

  it('from a tarball or a folder: this Node and the bundle, by absolute path', async () => {
    const { bin, bundle } = await installed('file:../hospiai-mcp-1.4.2.tgz');
    expect(await detectRelaySource(bin, '/opt/node/bin/node')).toEqual({
      kind: 'local',
      node: '/opt/node/bin/node',
      bundle,
    });
  });

  it('a copy whose version differs from what the lockfile recorded is treated as local', async () => {
    const { bin } = await installed(
      'https://registry.npmjs.org/hospiai-mcp/-/hospiai-mcp-1.4.1.tgz',
      '1.4.2',
    );
    const lock = join(root, 'node_modules', '.package-lock.json');
    await writeFile(
      lock,
      JSON.stringify({
        packages: {
          'node_modules/hospiai-mcp': {
            version: '1.4.1',
            resolved: 'https://registry.npmjs.org/hospiai-mcp/-/hospiai-mcp-1.4.1.tgz',
          },
        },
      }),
    );
    expect((await detectRelaySource(bin))?.kind).toBe('local');
  });

  it('not the relay bin (a test runner, a missing file): nothing', async () => {
    expect(await detectRelaySource(undefined)).toBeNull();
    expect(await detectRelaySource(join(root, 'nothing.mjs'))).toBeNull();
    await writeFile(join(root, 'hospiai-mcp.mjs'), '// no bundle beside it');
    expect(await detectRelaySource(join(root, 'hospiai-mcp.mjs'))).toBeNull();
  });
});
