/**
 * The bin loads the bundle through V8's code cache: a missing or unusable cache never stops the
 * relay, and is written again at exit.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_BIN } from '../support/stdio-relay';

const run = promisify(execFile);
let dist: string;
const cacheOf = async () => (await readdir(dist)).find((name) => name.endsWith('.cache'));

beforeAll(async () => {
  dist = path.join(await mkdtemp(path.join(tmpdir(), 'hospiai-dist-')), 'dist');
  await cp(path.dirname(RELAY_BIN), dist, { recursive: true });
});
afterAll(() => rm(path.dirname(dist), { recursive: true, force: true }));

describe('the relay bin and its code cache', () => {
  it('starts without a cache and writes one at exit', async () => {
    for (const name of await readdir(dist))
      if (name.endsWith('.cache')) await rm(path.join(dist, name));
    const { stdout } = await run(process.execPath, [
      path.join(dist, 'hospiai-mcp.mjs'),
      '--version',
    ]);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await cacheOf()).toContain(process.version);
  });

  it('ignores a corrupted cache, still works, and replaces it', async () => {
    const name = await cacheOf();
    expect(name).toBeDefined();
    await writeFile(path.join(dist, name!), 'not V8 bytecode');
    const { stdout } = await run(process.execPath, [path.join(dist, 'hospiai-mcp.mjs'), '--help']);
    expect(stdout).toContain('hospiai-mcp pair');
    expect((await readFile(path.join(dist, name!))).length).toBeGreaterThan(10_000);
  });
});
