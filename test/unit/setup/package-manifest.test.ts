import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RELAY_VERSION } from '../../../relay/version';

const manifest = JSON.parse(
  await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { scripts: Record<string, string> };

describe('the npm package', () => {
  it('is publishable and installs without running anything at the user’s', () => {
    expect(manifest.private).toBeUndefined();
    for (const field of ['name', 'version', 'license', 'repository', 'bin', 'files', 'engines']) {
      expect(manifest[field], field).toBeTruthy();
    }
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      expect(manifest.scripts[hook], hook).toBeUndefined();
    }
    // The relay is bundled: nothing to resolve at run time; `serve` is a bundle of its own.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.files).toEqual(['dist/hospiai-mcp.mjs', 'dist/relay.cjs', 'dist/serve.cjs']);
  });

  it('reports the version it is published as (setup pins registry installs to it)', () => {
    expect(RELAY_VERSION).toBe(manifest.version);
  });
});
