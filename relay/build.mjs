// Bundles the relay so that `hospiai-mcp` starts without a TypeScript loader and without
// resolving hundreds of SDK modules.
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { confirmationCardModule } from './card/card-html.mjs';

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

/**
 * `serve` (the remote mode: the SDK v2 server, the OAuth pages, the confirmation card) is a
 * bundle of its own, dist/serve.cjs, that only `hospiai-mcp serve` requires: the stdio relay an
 * AI client starts never parses it (idle memory and cold start, issue 21).
 */
const serveApart = {
  name: 'serve-apart',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/commands\/serve$/ }, (args) =>
      args.importer.endsWith(`${path.sep}cli.ts`)
        ? { path: './serve.cjs', external: true }
        : undefined,
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // jsonc-parser's `main` is a UMD build whose factory requires its own modules at run time
  // (`require('./impl/format')`), which no bundle can hold; its ES modules (`module`) bundle.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // What tsconfig.json gives the emit, stated here: that file extends WXT's generated
  // .wxt/tsconfig.json, which a fresh copy of the sources lacks until \`wxt prepare\`, and the
  // same sources must build the same relay (the extension ships it in its .mcpb).
  tsconfigRaw: { compilerOptions: { strict: true, verbatimModuleSyntax: true, target: 'ESNext' } },
  logLevel: 'warning',
};

// One CommonJS bundle for everything but `serve` (commands are still evaluated only when run),
// loaded by launcher.mjs through a code cache in the user's cache directory; warmed once here
// for this machine's user. Its `import('./commands/serve')` becomes `require('./serve.cjs')`.
await mkdir(outdir, { recursive: true });
await build({
  ...common,
  entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
  outfile: path.join(outdir, 'relay.cjs'),
  supported: { 'dynamic-import': false },
  plugins: [zodEnglishOnly, withoutAjv, serveApart],
});
await build({
  ...common,
  entryPoints: [fileURLToPath(new URL('./commands/serve.ts', import.meta.url))],
  outfile: path.join(outdir, 'serve.cjs'),
  // The confirmation card (an MCP App's HTML, relay/card/) is a string in this bundle.
  plugins: [zodEnglishOnly, withoutAjv, confirmationCardModule({ plugins: [zodEnglishOnly] })],
});
// The launcher and the one module it imports (where the code cache goes), as one file.
const entry = path.join(outdir, 'hospiai-mcp.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('./launcher.mjs', import.meta.url))],
  outfile: entry,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
await chmod(entry, 0o755);
for (const name of ['relay.cjs', 'serve.cjs']) await assertAscii(path.join(outdir, name));

// Leftovers of earlier layouts, and code caches that earlier launchers wrote next to the bundle.
await rm(path.join(outdir, 'chunks'), { recursive: true, force: true });
for (const name of await readdir(outdir)) {
  if (name.endsWith('.cache')) await rm(path.join(outdir, name), { force: true });
}
// Warm the code cache: start the relay, let it answer initialize and list its tools, stop it.
await warmCodeCache(entry);

/**
 * V8 holds a script's source for as long as it runs, one byte per character only if every
 * character is Latin-1: a single `“` makes it two bytes per character (+0.6 MB for relay.cjs,
 * for the relay's whole life). esbuild escapes strings and identifiers but leaves regular
 * expression literals as written, so this is checked, not assumed.
 */
async function assertAscii(file) {
  const source = await readFile(file, 'utf8');
  const at = source.search(/[\u0080-\uffff]/);
  if (at >= 0) {
    throw new Error(
      `${path.basename(file)} holds a non-ASCII character near ${JSON.stringify(source.slice(Math.max(0, at - 60), at + 20))}: write it as a \\u escape in the source`,
    );
  }
}

function warmCodeCache(bin) {
  return new Promise((resolve) => {
    const home = path.join(outdir, '.warm-home');
    const child = spawn(process.execPath, [bin], {
      env: {
        PATH: process.env.PATH,
        HOSPIAI_MCP_HOME: home,
        HOSPIAI_MCP_PORTS: '0',
        HOSPIAI_MCP_LOG_LEVEL: 'error',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const send = (message) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    let answers = 0;
    child.stdout.on('data', (chunk) => {
      answers += chunk.toString().split('\n').filter(Boolean).length;
      if (answers === 1) {
        send({ method: 'notifications/initialized' });
        send({ id: 2, method: 'tools/list', params: {} });
      } else if (answers >= 2) child.stdin.end();
    });
    child.on('exit', () => rm(home, { recursive: true, force: true }).then(resolve, resolve));
    send({
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'build', version: '1' },
      },
    });
  });
}
