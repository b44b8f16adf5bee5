#!/usr/bin/env node
// hospiai-mcp's entry. AI clients start the relay often and wait for it, so it is loaded through
// V8's code cache: the bundle (relay.cjs) is compiled from cached bytecode when the cache matches
// this Node and this bundle (V8 checks both), and the cache is (re)written at exit when it was
// missing or rejected. The cache lives in the user's cache directory (code-cache-dir.mjs), never
// next to the bundle: the install folder is only read. Any failure to read or write the cache (a
// cache directory that cannot be made or written…) only costs a normal compile.
// (Node ≥ 22.1's module.enableCompileCache was measured slower here: it caches what is compiled
// at load, ~0.3 MB, where the cache V8 makes at exit holds every function that ran, ~0.75 MB.)
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { codeCacheDir } from './code-cache-dir.mjs';

// The relay an AI client starts serves one client, a call at a time, and idles most of its life:
// V8 would double its young generation at each busy stretch, up to 32 MB it keeps. It keeps its
// first size instead (scavenged more often: up to ~0.1 ms more CPU a call, performance.md). This
// flag is read at each growth, unlike --max-semi-space-size, which only the command line can set;
// `serve`, which serves many, puts V8's default back (relay/commands/serve.ts).
setFlagsFromString('--semi-space-growth-factor=1');

const file = fileURLToPath(new URL('./relay.cjs', import.meta.url));
let cacheDir;
let cacheFile;
try {
  cacheDir = codeCacheDir();
  cacheFile = join(cacheDir, `relay.cjs.${process.version}.${process.arch}.cache`);
} catch {
  cacheFile = undefined; // no home directory: no cache
}

let cachedData;
try {
  cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
} catch {
  cachedData = undefined;
}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const writeCache = cacheFile && (cachedData === undefined || script.cachedDataRejected);
// Compiled: the cache's bytes (~0.75 MB) are not needed any more.
cachedData = undefined;
if (writeCache) {
  process.once('exit', () => {
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      const temp = `${cacheFile}.${process.pid}`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, cacheFile);
    } catch {
      // A cache directory that cannot be written: compile every time.
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
