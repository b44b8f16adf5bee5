#!/usr/bin/env node
// hospiai-mcp's entry. AI clients start the relay often and wait for it, so the bundle
// (relay.cjs) is loaded through a code cache kept in the user's cache directory
// (code-cache-dir.mjs), never next to the bundle: the install folder is only ever read.
// - Node ≥ 22.1: Node's own compile cache (module.enableCompileCache), then a plain require.
// - Node 20: V8's code cache through vm.Script, used when it matches this Node and this bundle
//   (V8 checks both), (re)written at exit when it was missing or rejected.
// Any failure to read or write the cache (a cache directory that cannot be written…) only costs
// a normal compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheDir } from './code-cache-dir.mjs';

const file = fileURLToPath(new URL('./relay.cjs', import.meta.url));
let cacheDir;
try {
  cacheDir = codeCacheDir();
} catch {
  cacheDir = undefined; // no home directory: no cache
}

if (typeof Module.enableCompileCache === 'function') {
  try {
    if (cacheDir) Module.enableCompileCache(cacheDir);
  } catch {
    // Unusable directory: compile normally.
  }
  createRequire(import.meta.url)(file);
} else {
  // One cache per bundle path, so that two installs do not keep rejecting each other's.
  const id = createHash('sha256').update(file).digest('hex').slice(0, 16);
  const cacheFile =
    cacheDir && join(cacheDir, `relay-${id}.${process.version}.${process.arch}.cache`);
  let cachedData;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
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
}
