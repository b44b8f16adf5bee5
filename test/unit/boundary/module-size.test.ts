/**
 * Small modules with names that say what they are for: a product module (relay/, extension/)
 * over ~250 lines says at its top why it is one module (a catalogue, one state machine…).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const LIMIT = 260;
const REASON = /Over 250 lines|Longer than most modules/;

function sources(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => path.join(folder, name));
}

describe('product modules', () => {
  const modules = [...sources('relay'), ...sources('extension')];

  it('are found', () => {
    expect(modules.length).toBeGreaterThan(100);
  });

  it(`over ${LIMIT} lines say why at their top`, () => {
    const unexplained = modules.filter((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const top = /^\s*\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
      return text.split('\n').length > LIMIT && !REASON.test(top);
    });
    expect(unexplained).toEqual([]);
  });
});
