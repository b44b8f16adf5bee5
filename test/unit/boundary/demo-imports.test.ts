/**
 * `npm start` (the README's first command) runs test/demo/main.ts with plain Node, outside
 * vitest: nothing it imports may import vitest, whose `vi`/`expect` only work inside a test run.
 * esbuild resolves the demo's whole import graph, as the bundler that builds the relay does.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the npm start demo', () => {
  it('imports nothing that needs the test runner', async () => {
    const { metafile } = await build({
      entryPoints: ['test/demo/main.ts'],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const runnerImports = Object.entries(metafile.inputs).flatMap(([file, input]) =>
      input.imports
        .filter((one) => /^(vitest|@vitest\/)/.test(one.path))
        .map((one) => `${file} → ${one.path}`),
    );
    expect(Object.keys(metafile.inputs).length).toBeGreaterThan(5);
    expect(runnerImports).toEqual([]);
  });
});
