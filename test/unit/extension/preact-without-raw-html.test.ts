/**
 * The build step that takes Preact's one raw-HTML write out of the extension's bundle
 * (extension/build/preact-without-raw-html.ts): on the Preact this project pins, it finds the
 * write once and replaces it by a throw; a Preact that no longer has it, or has it twice, fails
 * the build instead of slipping through; no other module is touched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  isPreactModule,
  preactWithoutRawHtml,
  withoutRawHtmlWrite,
} from '../../../extension/build/preact-without-raw-html';

const require = createRequire(import.meta.url);
const preactPath = require.resolve('preact');

describe('Preact without its raw-HTML write', () => {
  it('resolves `preact` to the module the plugin matches', () => {
    expect(isPreactModule(preactPath)).toBe(true);
    expect(isPreactModule(`${preactPath}?v=1234`)).toBe(true);
    expect(isPreactModule('C:\\app\\node_modules\\preact\\dist\\preact.mjs')).toBe(true);
    expect(isPreactModule(require.resolve('preact/hooks'))).toBe(false);
    expect(isPreactModule('/app/extension/popup/App.tsx')).toBe(false);
  });

  it("replaces the pinned Preact's one innerHTML write by a throw, and nothing else", () => {
    const source = readFileSync(preactPath, 'utf8');
    expect(source).toMatch(/\.innerHTML=/);
    const patched = withoutRawHtmlWrite(source);
    expect(patched).not.toMatch(/\.innerHTML\s*=[^=]/);
    expect(patched).toContain('dangerouslySetInnerHTML is disabled');
    // One expression replaced: everything else is Preact's own code.
    expect(patched.length - source.length).toBeLessThan(120);
  });

  it('still renders text, and refuses raw HTML', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preact-patched-'));
    try {
      const file = path.join(dir, 'preact.mjs');
      // Without its source-map comment: the map is not copied along.
      const source = readFileSync(preactPath, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
      writeFileSync(file, withoutRawHtmlWrite(source));
      const { h, render } = (await import(pathToFileURL(file).href)) as typeof import('preact');
      const { document } = parseHTML('<!doctype html><html><body><main></main></body></html>');
      const main = document.querySelector('main') as unknown as HTMLElement;
      render(h('p', null, '<b>not markup</b>'), main);
      expect(main.innerHTML).toBe('<p>&lt;b&gt;not markup&lt;/b&gt;</p>');
      expect(() =>
        render(
          h('div', { dangerouslySetInnerHTML: { __html: '<img src=x onerror=alert(1)>' } }),
          main,
        ),
      ).toThrow(/dangerouslySetInnerHTML is disabled/);
      expect(main.querySelector('img')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the build when Preact changed shape', () => {
    expect(() => withoutRawHtmlWrite('function d(){}')).toThrow(/found 0/);
    expect(() => withoutRawHtmlWrite('a.innerHTML=b.__html;c.innerHTML=d.__html')).toThrow(
      /found 2/,
    );
  });

  it('as a Vite plugin, transforms Preact only', () => {
    const plugin = preactWithoutRawHtml();
    expect(plugin.enforce).toBe('pre');
    expect(
      plugin.transform('x.innerHTML=y.__html', '/app/extension/popup/App.tsx'),
    ).toBeUndefined();
    expect(plugin.transform('(x.innerHTML=y.__html)', preactPath)).not.toContain('innerHTML=');
  });
});
