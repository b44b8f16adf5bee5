/**
 * The popup must stay small: all the JavaScript popup.html loads (its entry and every chunk it
 * imports, lazily loaded ones included), gzipped, under 30 KB. Prints the figure so a regression
 * is visible before it fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUILT_EXTENSION } from '../support/browser';

const LIMIT_BYTES = 30 * 1024;

function scriptsOf(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
}

function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:import|from)\s*\(?\s*["']\.\/([^"']+\.js)["']/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('popup bundle', () => {
  it('loads under 30 KB of gzipped JavaScript, with no zod and no Node module in it', () => {
    const html = readFileSync(path.join(BUILT_EXTENSION, 'popup.html'), 'utf8');
    const seen = new Set<string>();
    const queue = scriptsOf(html);
    let gzipped = 0;
    let source = '';
    while (queue.length > 0) {
      const file = queue.shift() ?? '';
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(path.join(BUILT_EXTENSION, file), 'utf8');
      source += code;
      gzipped += gzipSync(code).length;
      for (const imported of importsOf(code))
        queue.push(path.posix.join(path.posix.dirname(file), imported));
    }
    console.info(`popup JavaScript: ${seen.size} files, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(seen.size).toBeGreaterThan(0);
    expect(gzipped).toBeLessThan(LIMIT_BYTES);
    expect(source).not.toMatch(/ZodError|safeParse/);
    // The "connect an AI assistant" view reuses relay/setup: only its pure modules may come in.
    expect(source).toContain('claude_desktop_config.json');
    expect(source).not.toMatch(/["']node:[a-z]/);
  });
});
