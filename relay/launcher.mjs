#!/usr/bin/env node
// hospiai-mcp's entry. AI clients start the relay often and wait for it, so it is loaded through
// V8's code cache: the bundle (relay.cjs) is compiled from cached bytecode when the cache matches
// this Node and this bundle (V8 checks both), and the cache is (re)written at exit when it was
// missing or rejected. Any failure to read or write the cache only costs a normal compile.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('./relay.cjs', import.meta.url));
const cacheFile = `${file}.${process.version}.${process.arch}.cache`;

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const temp = `${cacheFile}.${process.pid}`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o644 });
      renameSync(temp, cacheFile);
    } catch {
      // A read-only install (npx cache…) just compiles every time.
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
