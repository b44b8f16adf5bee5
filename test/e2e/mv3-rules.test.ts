/**
 * Manifest V3's rules as the Chrome Web Store and AMO review them, on both built extensions
 * (`.output/chrome-mv3`, `.output/firefox-mv3`, the e2e set-up's builds):
 * - MV3, a CSP for the extension pages whose `script-src` is `'self'` alone (no 'unsafe-eval',
 *   no 'unsafe-inline', no host, no scheme), `object-src 'none'`, and no other directive that
 *   lets a script or a remote document in; no `externally_connectable`.
 * - No remotely hosted code: every JavaScript file of the build is scanned for the ways code
 *   gets in from elsewhere or is built from strings — `eval`, the `Function` constructor (also
 *   under another name), string timers, `importScripts`, a dynamic `import()` of anything but a
 *   relative file of the build, a script element made at run time, WebAssembly — and every HTML
 *   page for inline scripts and scripts or styles not in the build.
 * - Every file the manifest, the pages, the scripts' imports, `runtime.getURL` and the content
 *   script registration name is in the build.
 *
 * What scanning finds in libraries is named below with the reason it is harmless; anything new
 * fails the test until it is looked at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGETS = ['chrome-mv3', 'firefox-mv3'] as const;
const output = (target: string) => path.join(root, '.output', target);

type Manifest = Record<string, unknown> & {
  manifest_version: number;
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  background?: { service_worker?: string; scripts?: string[] };
  action?: { default_popup?: string; default_icon?: Record<string, string> };
  options_ui?: { page?: string };
  icons?: Record<string, string>;
  content_scripts?: { js?: string[]; css?: string[] }[];
  default_locale?: string;
};

const manifestOf = (target: string) =>
  JSON.parse(readFileSync(path.join(output(target), 'manifest.json'), 'utf8')) as Manifest;

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).replaceAll('\\', '/'),
    );
}

/** The CSP's directives by name, each with its sources. */
function directivesOf(csp: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/**
 * What in the bundled libraries reaches the `Function` constructor, and why it never runs:
 * zod's probe for eval (`allowsEval`) and its compiler of fast object parsers (`Doc.compile`).
 * The background sets `z.config({ jitless: true })` before any schema exists
 * (extension/background/zod-jitless.ts), so zod neither probes nor compiles; and were it to
 * try, the CSP (no 'unsafe-eval') would make `new Function` throw. Each is matched with its
 * surroundings, so that another use of `Function` is not excused by these.
 */
const KNOWN_FUNCTION_CONSTRUCTOR_USES = [
  {
    what: "zod's allowsEval probe",
    context:
      /includes\("Cloudflare"\)\)return!1;try\{const ([\w$]+)=Function;return new \1\(""\),!0\}catch\{return!1\}/g,
  },
  {
    what: "zod's Doc.compile",
    context:
      /compile\(\)\{const ([\w$]+)=Function,[\w$]+=this\?\.content\?\?\[""\];return new \1\(/g,
  },
];

/** Each way code gets in from elsewhere, or is made from a string, as it looks once minified. */
const REMOTE_CODE_PATTERNS: { what: string; pattern: RegExp }[] = [
  { what: 'eval', pattern: /(?<![\w$])eval(?![\w$])/g },
  { what: 'a string timer', pattern: /\bset(?:Timeout|Interval)\(\s*["'`]/g },
  { what: 'importScripts', pattern: /(?<![\w$])importScripts(?![\w$])/g },
  // A dynamic import of anything but a relative file of the build ("./chunk.js", "../x.js").
  {
    what: 'a dynamic import not of a file of the build',
    pattern: /\bimport\(\s*(?!["'`]\.\.?\/)/g,
  },
  // A static import not relative: a bare name or a URL (nothing is resolved at run time).
  {
    what: 'a static import not of a file of the build',
    pattern: /\b(?:import|from)\s*["'`](?!\.\.?\/)/g,
  },
  { what: 'a script element made at run time', pattern: /createElement\(\s*["'`]script/gi },
  { what: 'WebAssembly', pattern: /(?<![\w$])WebAssembly(?![\w$])/g },
];

/** The `Function` constructor as an identifier (not `.Function`, not `isFunction`). */
const FUNCTION_CONSTRUCTOR = /(?<![\w$.])Function(?![\w$])/g;

const around = (code: string, index: number) =>
  JSON.stringify(code.slice(Math.max(0, index - 60), index + 60));

describe.each(TARGETS)('MV3 rules: %s', (target) => {
  const dir = output(target);
  const manifest = manifestOf(target);
  const files = filesOf(dir);
  const scripts = files.filter((file) => file.endsWith('.js'));
  const pages = files.filter((file) => file.endsWith('.html'));

  it('is MV3 with a CSP that lets only its own scripts run, and no web page message it', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest).not.toHaveProperty('externally_connectable');
    expect(manifest.content_security_policy).toBeDefined();
    expect(Object.keys(manifest.content_security_policy ?? {})).toEqual(['extension_pages']);
    const csp = directivesOf(manifest.content_security_policy?.extension_pages ?? '');
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // No other directive that governs scripts, workers or framed documents may widen them.
    for (const name of [
      'script-src-elem',
      'script-src-attr',
      'worker-src',
      'child-src',
      'frame-src',
    ])
      expect(csp.has(name), name).toBe(false);
    const all = [...csp.values()].flat();
    expect(
      all.filter((source) => /unsafe-|^'?nonce-|^'?sha\d+-|^data:|^blob:|^\*$/.test(source)),
    ).toEqual([]);
  });

  it('bundles no remotely hosted code and builds no code from strings', () => {
    const found: string[] = [];
    const excused = new Map<string, number>();
    for (const file of scripts) {
      const code = readFileSync(path.join(dir, file), 'utf8');
      for (const { what, pattern } of REMOTE_CODE_PATTERNS)
        for (const match of code.matchAll(pattern))
          found.push(`${file}: ${what} at ${around(code, match.index)}`);
      // The Function constructor: only at the known library sites, each matched in context.
      const known = KNOWN_FUNCTION_CONSTRUCTOR_USES.flatMap(({ what, context }) =>
        [...code.matchAll(context)].map((m) => ({
          what,
          start: m.index,
          end: m.index + m[0].length,
        })),
      );
      for (const match of code.matchAll(FUNCTION_CONSTRUCTOR)) {
        const site = known.find((k) => match.index >= k.start && match.index < k.end);
        if (site) excused.set(site.what, (excused.get(site.what) ?? 0) + 1);
        else found.push(`${file}: the Function constructor at ${around(code, match.index)}`);
      }
    }
    expect(found).toEqual([]);
    // The excused sites are zod's, in the background only, once each; zod is told not to use them.
    expect(Object.fromEntries(excused)).toEqual(
      Object.fromEntries(KNOWN_FUNCTION_CONSTRUCTOR_USES.map(({ what }) => [what, 1])),
    );
    expect(readFileSync(path.join(dir, 'background.js'), 'utf8')).toMatch(/\(\{jitless:!0\}\)/);
  });

  it('has pages with no inline script and nothing loaded from outside the build', () => {
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const html = readFileSync(path.join(dir, page), 'utf8');
      for (const tag of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
        expect(tag[0], `${page}: a script without src`).toMatch(/\ssrc=/);
        expect(tag[1]?.trim(), `${page}: an inline script`).toBe('');
      }
      expect(html, `${page}: an inline event handler`).not.toMatch(/\son[a-z]+\s*=/i);
      for (const ref of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) {
        const url = ref[1] ?? '';
        expect(url, `${page}: ${url} is not a file of the build`).toMatch(/^\/?[\w./-]+$/);
        const local = url.startsWith('/')
          ? url.slice(1)
          : path.posix.join(path.posix.dirname(page), url);
        expect(files, `${page} loads ${url}`).toContain(local);
      }
    }
  });

  it('has every file the manifest, its pages, its scripts and its content script name', () => {
    const named = new Set<string>();
    const add = (from: string, file: string | undefined) => {
      if (file) named.add(`${from} → ${file.replace(/^\//, '')}`);
    };
    add('background', manifest.background?.service_worker);
    for (const file of manifest.background?.scripts ?? []) add('background', file);
    add('action', manifest.action?.default_popup);
    for (const file of Object.values(manifest.action?.default_icon ?? {})) add('action', file);
    add('options_ui', manifest.options_ui?.page);
    for (const file of Object.values(manifest.icons ?? {})) add('icons', file);
    for (const script of manifest.content_scripts ?? [])
      for (const file of [...(script.js ?? []), ...(script.css ?? [])])
        add('content_scripts', file);
    add(
      'default_locale',
      manifest.default_locale && `_locales/${manifest.default_locale}/messages.json`,
    );
    // The content script the background registers and injects at run time.
    const portalTabs = readFileSync(path.join(root, 'extension/portal/portal-tabs.ts'), 'utf8');
    add('registerContentScripts', portalTabs.match(/PORTAL_CONTENT_SCRIPT_FILE = '([^']+)'/)?.[1]);
    for (const file of scripts) {
      const code = readFileSync(path.join(dir, file), 'utf8');
      for (const m of code.matchAll(/\b(?:import|from)\s*\(?\s*["'`](\.\.?\/[^"'`]+)["'`]/g))
        add(file, path.posix.join(path.posix.dirname(file), m[1] ?? ''));
      for (const m of code.matchAll(/\.getURL\(\s*["'`]([^"'`]+)["'`]\)/g))
        if (m[1] !== '/') add(file, m[1]);
    }
    expect(named.size).toBeGreaterThan(10);
    const missing = [...named].filter((entry) => !files.includes(entry.split(' → ')[1] ?? ''));
    expect(missing).toEqual([]);
  });
});
