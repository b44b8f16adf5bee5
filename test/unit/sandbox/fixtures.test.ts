import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_TOKEN_PLACEHOLDER,
  FIXTURES_DIR,
  renderFixturePages,
} from '../../sandbox/save-fixtures';

const FILES = ['login.html', 'dashboard.html', 'tokens.html', 'tokens-with-new-token.html'];
const read = (name: string) => readFile(join(FIXTURES_DIR, name), 'utf8');
/** The element ids and data-* attribute names a page uses: its selector surface. */
const surface = (html: string) =>
  [
    ...new Set(
      [...html.matchAll(/\s(id|data-[a-z-]+)="([^"]*)"/g)].map((m) =>
        m[1] === 'id' ? `#${m[2]}` : m[1],
      ),
    ),
  ].sort();

describe('saved portal page fixtures', () => {
  it('keep the DOM contract and hold no real token', async () => {
    const tokens = await read('tokens-with-new-token.html');
    expect(tokens).toContain(
      `data-token-id="tok_fixture000002">${FIXTURE_TOKEN_PLACEHOLDER}</code>`,
    );
    expect(tokens).toContain('<section id="new-token">');
    expect(await read('tokens.html')).not.toContain('id="new-token"');
    expect(await read('dashboard.html')).toContain('<main id="dashboard">');
    expect(await read('login.html')).not.toContain('data-patient-id');
    for (const name of FILES) {
      const jwts =
        (await read(name)).match(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g) ?? [];
      expect(
        jwts.filter((t) => t !== FIXTURE_TOKEN_PLACEHOLDER),
        name,
      ).toEqual([]);
    }
  });

  it('match the selector surface the sandbox renders today (regenerate with save-fixtures.ts)', async () => {
    const fresh = await renderFixturePages();
    for (const name of FILES) {
      expect(surface(fresh[name] ?? ''), name).toEqual(surface(await read(name)));
    }
  });
});
