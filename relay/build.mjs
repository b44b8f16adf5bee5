// Bundles the relay so that `hospiai-mcp` starts without a TypeScript loader and without
// resolving hundreds of SDK modules: one ESM entry for the stdio server, and chunks that the
// other commands (setup, audit, doctor…) load only when they run.
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const outdir = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * zod re-exports its ~50 error-message locales from one index; the relay only ever uses the
 * default (English) one, and parsing the others cost ~40% of start-up. Keep `en` only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'/zod/'}`)
        ? { path: args.importer, namespace: 'zod-locales' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * The SDK's Server imports its Ajv-based validator for elicitation answers; the relay passes its
 * own (zod, relay/confirm/elicitation-validator.ts), so Ajv need not be parsed at start-up.
 */
const withoutAjv = {
  name: 'without-ajv',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol')
        ? { path: 'ajv-provider', namespace: 'without-ajv' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'without-ajv' }, () => ({
      contents:
        "export class AjvJsonSchemaValidator { constructor() { throw new Error('Ajv is not bundled: give McpServer a jsonSchemaValidator'); } }",
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: { 'hospiai-mcp': fileURLToPath(new URL('./cli.ts', import.meta.url)) },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  plugins: [zodEnglishOnly, withoutAjv],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  },
  logLevel: 'warning',
  write: false,
});

// Write the new files, then drop the chunks of earlier builds. Never empty dist/ first: a relay
// or a test started from it a moment ago may still have chunks to load.
const written = new Set();
for (const file of result.outputFiles) {
  await mkdir(path.dirname(file.path), { recursive: true });
  await writeFile(file.path, file.contents);
  written.add(file.path);
}
for (const name of await readdir(path.join(outdir, 'chunks'))) {
  const file = path.join(outdir, 'chunks', name);
  if (!written.has(file)) await rm(file, { force: true });
}
await chmod(path.join(outdir, 'hospiai-mcp.mjs'), 0o755);
