/**
 * The store packages `npm run zip` makes, and AMO's rule that the source archive rebuilds the
 * uploaded add-on. WXT's zip for Chrome and for Firefox (what `npm run zip` runs, through WXT's
 * API so that each builds into a scratch folder and leaves `.output/` to the other tests):
 * - the Chrome Web Store package holds exactly the Chrome build the other tests check
 *   (`.output/chrome-mv3`), but for its manifest's `key`, which the store refuses;
 * - the Firefox package holds exactly the Firefox build (`.output/firefox-mv3`, the one
 *   addons-linter checks in amo-linter.test.ts);
 * - the source archive holds the extension's sources and their build instructions, and no
 *   tests, CI, dotfiles or build output;
 * - the commands of extension/docs/source-build.md, run in an empty folder where the archive
 *   was extracted (the project's node_modules standing for `npm ci`), give the Firefox
 *   package's files byte for byte.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellEnv } from '../support/shell-env';
import { zipEntries } from '../support/zip-entries';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
).version;
const SOURCE_BUILD_DOC = 'extension/docs/source-build.md';

/** The builds run as a shell runs them (not under vitest's NODE_ENV=test). */
const buildEnv = shellEnv();

function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, file).replaceAll('\\', '/'), readFileSync(file));
    }
  return files;
}

/** Files that differ between two trees: missing on one side, or different bytes. */
function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names]
    .filter((name) => !a.get(name) || !b.get(name) || !a.get(name)?.equals(b.get(name) as Buffer))
    .sort();
}

/** The shell commands of the doc's "## Build" section (its first ```sh block). */
function buildCommands(doc: string): string[] {
  const section = doc.split(/^## Build$/m)[1] ?? '';
  const block = section.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

let scratch: string;
let chromeZip: Map<string, Buffer>;
let firefoxZip: Map<string, Buffer>;
let sourcesZip: Map<string, Buffer>;

/**
 * A copy of the project's own files (what git has, and the built dist/ whose .mcpb the build
 * ships), node_modules linked: WXT rewrites its generated .wxt/ where it runs, and in the
 * project itself that would change files under the tests running beside this one (and under
 * the other browser's zip).
 */
async function projectCopy(name: string): Promise<string> {
  const copy = path.join(scratch, name);
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(root, file))) continue;
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    copyFileSync(path.join(root, file), path.join(copy, file));
  }
  cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'junction');
  return copy;
}

/** `wxt zip` for one browser (what `npm run zip` runs), in a copy of its own; its output folder. */
async function zipFor(browser: 'chrome' | 'firefox'): Promise<string> {
  const project = await projectCopy(`project-${browser}`);
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { zip } from 'wxt'; const [browser] = process.argv.slice(1); await zip({ browser, manifestVersion: 3 });",
      browser,
    ],
    { cwd: project, env: buildEnv },
  );
  return path.join(project, '.output');
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hospiai-store-'));
  const [chromeOut, firefoxOut] = await Promise.all([zipFor('chrome'), zipFor('firefox')]);
  chromeZip = zipEntries(path.join(chromeOut, `hospiai-mcp-${version}-chrome.zip`));
  firefoxZip = zipEntries(path.join(firefoxOut, `hospiai-mcp-${version}-firefox.zip`));
  sourcesZip = zipEntries(path.join(firefoxOut, `hospiai-mcp-${version}-sources.zip`));
}, 120_000);
afterAll(() => scratch && rmSync(scratch, { recursive: true, force: true, maxRetries: 10 }));

describe('npm run zip for the Chrome Web Store', () => {
  it('packs the Chrome build, its manifest without the `key` the store refuses', () => {
    const built = filesOf(path.join(root, '.output', 'chrome-mv3'));
    expect(differences(chromeZip, built)).toEqual(['manifest.json']);
    const { key, ...rest } = JSON.parse(built.get('manifest.json')?.toString() ?? '{}');
    expect(key).toEqual(expect.any(String));
    expect(JSON.parse(chromeZip.get('manifest.json')?.toString() ?? '')).toEqual(rest);
  });

  it('leaves the built manifest its `key` (unpacked loads keep the pinned ID)', () => {
    const manifest = JSON.parse(
      readFileSync(
        path.join(scratch, 'project-chrome', '.output', 'chrome-mv3', 'manifest.json'),
        'utf8',
      ),
    );
    expect(manifest.key).toEqual(expect.any(String));
  });
});

describe('npm run zip for Firefox', () => {
  it('packs exactly the Firefox build', () => {
    expect(firefoxZip.has('manifest.json')).toBe(true);
    expect(differences(firefoxZip, filesOf(path.join(root, '.output', 'firefox-mv3')))).toEqual([]);
  });

  it('puts the sources and their build instructions in the source archive, and nothing else', () => {
    const names = [...sourcesZip.keys()];
    for (const needed of [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'extension/entrypoints/background.ts',
      'extension/entrypoints/popup/index.html',
      'extension/build/preact-without-raw-html.ts',
      'relay/protocol/protocol.ts',
      SOURCE_BUILD_DOC,
      'extension/docs/store-listing.md',
      'extension/docs/privacy-policy.md',
    ])
      expect(names, needed).toContain(needed);
    const unwanted = names.filter((name) =>
      /(^|\/)(node_modules|\.[^/]+|test|\.ci|dist|test-results|screenshots)(\/|$)|\.(test|spec)\.[cm]?[jt]sx?$/.test(
        name,
      ),
    );
    expect(unwanted).toEqual([]);
    // Every source of the extension's own is there (the build reads them through its imports).
    const extensionSources = [...filesOf(path.join(root, 'extension')).keys()]
      .filter((name) => !name.startsWith('docs/screenshots/'))
      .map((name) => `extension/${name}`);
    expect(extensionSources.filter((name) => !sourcesZip.has(name))).toEqual([]);
  });

  it('rebuilds, from the source archive alone and the documented commands, the same package', async () => {
    const commands = buildCommands(readFileSync(path.join(root, SOURCE_BUILD_DOC), 'utf8'));
    expect(commands[0]).toMatch(/^npm ci\b/);
    expect(commands.length).toBeGreaterThan(1);
    const src = path.join(scratch, 'src');
    for (const [name, content] of sourcesZip) {
      mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
      writeFileSync(path.join(src, name), content);
    }
    // `npm ci` would install the lock file's exact versions: the project's own install is them.
    symlinkSync(path.join(root, 'node_modules'), path.join(src, 'node_modules'), 'junction');
    for (const command of commands.slice(1))
      await run('sh', ['-c', command], { cwd: src, env: buildEnv });
    expect(differences(filesOf(path.join(src, '.output', 'firefox-mv3')), firefoxZip)).toEqual([]);
  }, 120_000);
});
