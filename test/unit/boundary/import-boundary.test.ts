/**
 * The browser/Node boundary is held by Biome's import rules (biome.json `overrides`), not by
 * comments: the extension imports only the shared modules (the wire contract, the client
 * catalogue, the extension's words), the relay never imports extension or browser code, and the shared modules import
 * neither Node nor the rest of the relay. Each case lints a one-line module at a path of the
 * repo, in a scratch copy with the repo's biome.json, and checks what the rule says.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const biome = join(root, 'node_modules', '.bin', 'biome');

interface Case {
  path: string;
  from: string;
  allowed: boolean;
}

const cases: Case[] = [
  // the extension
  { path: 'extension/a/m1.ts', from: '../../relay/protocol/protocol', allowed: true },
  { path: 'extension/a/m2.ts', from: '../../relay/protocol/handshake-crypto', allowed: true },
  { path: 'extension/a/m3.ts', from: '../../relay/setup/snippet', allowed: true },
  { path: 'extension/a/m4.ts', from: '../other', allowed: true },
  { path: 'extension/a/m5.ts', from: '../../relay/bridge/bridge-server', allowed: false },
  { path: 'extension/a/m6.ts', from: '../../relay/setup/config-writer', allowed: false },
  { path: 'extension/a/m7.ts', from: '../../relay/tools/index', allowed: false },
  { path: 'extension/a/b/m8.tsx', from: '../../../relay/logger', allowed: false },
  { path: 'extension/a/m9.ts', from: 'node:fs', allowed: false },
  { path: 'extension/a/m10.ts', from: 'fs', allowed: false },
  { path: 'extension/a/m11.ts', from: 'ws', allowed: false },
  // the relay
  { path: 'relay/a/m12.ts', from: '../bridge/bridge-server', allowed: true },
  { path: 'relay/a/m13.ts', from: 'node:fs', allowed: true },
  { path: 'relay/a/m14.ts', from: '../../extension/bridge/relay-connection', allowed: false },
  { path: 'relay/a/m15.ts', from: 'wxt/browser', allowed: false },
  // the shared modules
  { path: 'relay/protocol/m16.ts', from: './protocol', allowed: true },
  { path: 'relay/setup/snippet.ts', from: './clients', allowed: true },
  { path: 'relay/protocol/m17.ts', from: 'node:crypto', allowed: false },
  { path: 'relay/protocol/m18.ts', from: '../errors', allowed: false },
  { path: 'relay/setup/clients.ts', from: '../logger', allowed: false },
  { path: 'relay/protocol/m19.ts', from: '../../extension/i18n/t', allowed: false },
  { path: 'relay/remote/m20.ts', from: '../tools/index', allowed: false },
  { path: 'relay/remote/oauth/m21.ts', from: '../../tools/tool-server', allowed: false },
  { path: 'relay/remote/m22.ts', from: '../commands/serve', allowed: false },
  { path: 'relay/remote/m23.ts', from: '../portal/portal-client', allowed: true },
  { path: 'relay/remote/m24.ts', from: '../../extension/i18n/t', allowed: false },
  { path: 'relay/tools/m25.ts', from: '../remote/request-scope', allowed: true },
  // the extension's words: shared, beside the relay's catalogue but not reaching into it
  { path: 'extension/a/m26.ts', from: '../../relay/i18n/extension-messages', allowed: true },
  { path: 'extension/a/m27.ts', from: '../../relay/i18n/messages', allowed: false },
  { path: 'relay/i18n/extension-messages-m28.ts', from: './lang', allowed: true },
  { path: 'relay/i18n/extension-messages-m29.ts', from: './messages', allowed: false },
  { path: 'relay/i18n/extension-messages-m30.ts', from: 'node:fs', allowed: false },
  { path: 'relay/i18n/lang.ts', from: '../errors', allowed: false },
  // the confirmation card (runs in the AI host's frame)
  { path: 'relay/card/m31.ts', from: '../protocol/tool-result-meta', allowed: true },
  { path: 'relay/card/m32.ts', from: '@modelcontextprotocol/ext-apps', allowed: true },
  { path: 'relay/card/m33.ts', from: 'node:crypto', allowed: false },
  { path: 'relay/card/m34.ts', from: '../tools/tool-result', allowed: false },
  { path: 'relay/card/m35.ts', from: '@modelcontextprotocol/sdk/types.js', allowed: false },
  { path: 'relay/card/m36.ts', from: '../i18n/page-messages', allowed: true },
  { path: 'relay/card/m37.ts', from: '../i18n/messages', allowed: false },
];

const BOUNDARY_RULES = ['lint/style/noRestrictedImports', 'lint/correctness/noNodejsModules'];

let scratch: string;
/** The boundary rules each case's module broke, by its path. */
const broken = new Map<string, string[]>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'import-boundary-'));
  await writeFile(join(scratch, 'biome.json'), await readFile(join(root, 'biome.json'), 'utf8'));
  for (const { path, from } of cases) {
    await mkdir(dirname(join(scratch, path)), { recursive: true });
    await writeFile(join(scratch, path), `import { x } from '${from}';\nexport const y = x;\n`);
  }
  const args = ['lint', '--vcs-enabled=false', '--reporter=json', '.'];
  // Biome exits 1 when it reports an error: the report is on stdout either way.
  const { stdout } = await run(biome, args, { cwd: scratch }).catch(
    (error: { stdout: string }) => error,
  );
  const report = JSON.parse(stdout) as {
    diagnostics: Array<{ category: string; location: { path: string } }>;
  };
  for (const { category, location } of report.diagnostics) {
    if (!BOUNDARY_RULES.includes(category)) continue;
    broken.set(location.path, [...(broken.get(location.path) ?? []), category]);
  }
}, 30_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the import boundary between browser and Node code', () => {
  it('lints one module per path', () => {
    expect(new Set(cases.map((c) => c.path)).size).toBe(cases.length);
  });

  it.each(cases)('$path importing $from is allowed: $allowed', ({ path, allowed }) => {
    const rules = broken.get(path) ?? [];
    if (allowed) expect(rules).toEqual([]);
    else expect(rules.length).toBeGreaterThan(0);
  });
});

describe('no import circle', () => {
  const cycles = async (cwd: string, paths: string[]) => {
    const args = [
      'lint',
      '--vcs-enabled=false',
      '--reporter=json',
      '--only=suspicious/noImportCycles',
    ];
    const { stdout } = await run(biome, [...args, ...paths], { cwd }).catch(
      (error: { stdout: string }) => error,
    );
    const report = JSON.parse(stdout) as {
      diagnostics: Array<{ category: string; location: { path: string } }>;
    };
    return report.diagnostics
      .filter((d) => d.category === 'lint/suspicious/noImportCycles')
      .map((d) => d.location.path);
  };

  it('the rule sees one (two modules importing each other)', async () => {
    await mkdir(join(scratch, 'relay/cycle'), { recursive: true });
    await writeFile(
      join(scratch, 'relay/cycle/a.ts'),
      "import { b } from './b';\nexport const a = () => b;\n",
    );
    await writeFile(
      join(scratch, 'relay/cycle/b.ts'),
      "import { a } from './a';\nexport const b = () => a;\n",
    );
    expect(await cycles(scratch, ['relay/cycle'])).toContain('relay/cycle/a.ts');
  }, 30_000);

  it('the relay and the extension have none', async () => {
    expect(await cycles(root, ['relay', 'extension'])).toEqual([]);
  }, 60_000);
});
