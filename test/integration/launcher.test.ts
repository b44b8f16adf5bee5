/**
 * The relay bin loads the bundle through a code cache kept in the user's cache directory, never
 * next to the bundle: a missing or unusable cache never stops the relay, and is written again.
 * One V8 code cache file per Node version and architecture.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_BIN } from '../support/stdio-relay';

const run = promisify(execFile);
let scratch: string;
let dist: string;
let cacheHome: string;
const ourCache = () => path.join(cacheHome, 'hospiai-mcp');
const env = () => ({ PATH: process.env.PATH, HOME: scratch, XDG_CACHE_HOME: cacheHome });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-dist-'));
  dist = path.join(scratch, 'dist');
  cacheHome = path.join(scratch, 'cache');
  await cp(path.dirname(RELAY_BIN), dist, { recursive: true });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('the relay bin and its code cache', () => {
  it('starts without a cache, writes one in the user’s cache directory, nothing in dist', async () => {
    const before = (await readdir(dist)).sort();
    const { stdout } = await run(
      process.execPath,
      [path.join(dist, 'hospiai-mcp.mjs'), '--version'],
      {
        env: env(),
      },
    );
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await readdir(dist)).sort()).toEqual(before);
    const written = await filesUnder(ourCache());
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((file) => path.basename(file))).toEqual([
      `relay.cjs.${process.version}.${process.arch}.cache`,
    ]);
  });

  it('ignores a corrupted cache, still works, and replaces it', async () => {
    const [cacheFile] = await filesUnder(ourCache());
    expect(cacheFile).toBeDefined();
    const largest = async () =>
      Math.max(
        ...(await Promise.all(
          (await filesUnder(ourCache())).map(async (file) => (await readFile(file)).length),
        )),
      );
    for (const file of await filesUnder(ourCache())) await writeFile(file, 'not V8 bytecode');
    const { stdout } = await run(process.execPath, [path.join(dist, 'hospiai-mcp.mjs'), '--help'], {
      env: env(),
    });
    expect(stdout).toContain('hospiai-mcp pair');
    expect(await largest()).toBeGreaterThan(10_000);
  });

  it('runs when the cache directory cannot be made (even as root: its parent is a file)', async () => {
    const notADirectory = path.join(scratch, 'a-file');
    await writeFile(notADirectory, '');
    const { stdout } = await run(
      process.execPath,
      [path.join(dist, 'hospiai-mcp.mjs'), '--version'],
      {
        env: { ...env(), XDG_CACHE_HOME: notADirectory },
      },
    );
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
