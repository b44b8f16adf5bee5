/**
 * Every relative link of the project's documents points at a file that exists (the README was
 * split into documents beside the code they describe: a moved file or section must not leave a
 * dead link behind).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const inFolder = (folder: string) =>
  readdirSync(path.join(root, folder))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(folder, name));
const DOCUMENTS = [
  'README.md',
  'test/README.md',
  ...inFolder('relay/docs'),
  ...inFolder('extension/docs'),
];

/** The relative targets of a Markdown document's links, without their #fragment. */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.split('#')[0] as string);
}

describe('the documents’ links', () => {
  it('are found in the README, test/README.md, relay/docs and extension/docs', () => {
    expect(DOCUMENTS.length).toBeGreaterThan(8);
    expect(
      relativeLinks(readFileSync(path.join(root, 'README.md'), 'utf8')).length,
    ).toBeGreaterThan(5);
  });

  it.each(DOCUMENTS)('%s: every relative link resolves to a file of the repository', (document) => {
    const text = readFileSync(path.join(root, document), 'utf8');
    const dead = relativeLinks(text).filter(
      (target) => !existsSync(path.resolve(root, path.dirname(document), target)),
    );
    expect(dead).toEqual([]);
  });
});
