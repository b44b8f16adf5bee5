/**
 * The store listing answers (extension/docs/store-listing.md) against the built manifests: each
 * permission, host permission and optional host permission of the Chrome and Firefox builds has
 * its justification, and the document justifies nothing the manifests do not ask for; each data
 * collection permission Firefox shows has its section; the privacy policy it links is there.
 * So a permission added to wxt.config.ts fails here until the listing says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = path.join(root, 'extension', 'docs');
const listing = readFileSync(path.join(DOCS, 'store-listing.md'), 'utf8');

interface Manifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  browser_specific_settings?: {
    gecko?: { data_collection_permissions?: { required?: string[]; optional?: string[] } };
  };
}

const manifestOf = (target: string) =>
  JSON.parse(readFileSync(path.join(root, '.output', target, 'manifest.json'), 'utf8')) as Manifest;

/** The `#### \`name\`` headings of the section under `### <title>` (up to the next ## or ###). */
function headingsUnder(title: string): string[] {
  const section = listing.split(new RegExp(`^### ${title}$`, 'm'))[1]?.split(/^#{2,3} /m)[0] ?? '';
  return [...section.matchAll(/^#### `([^`]+)`$/gm)].map((m) => m[1] ?? '');
}

describe('store listing answers', () => {
  it('justify exactly the permissions the built manifests ask for', () => {
    const asked = new Set<string>();
    for (const target of ['chrome-mv3', 'firefox-mv3']) {
      const manifest = manifestOf(target);
      for (const list of [
        manifest.permissions,
        manifest.host_permissions,
        manifest.optional_host_permissions,
        manifest.optional_permissions,
      ])
        for (const permission of list ?? []) asked.add(permission);
    }
    expect(asked.size).toBeGreaterThan(0);
    expect(headingsUnder('Permission justifications').sort()).toEqual([...asked].sort());
  });

  it("explain each of Firefox's data collection permissions", () => {
    const consent =
      manifestOf('firefox-mv3').browser_specific_settings?.gecko?.data_collection_permissions;
    const declared = [...(consent?.required ?? []), ...(consent?.optional ?? [])];
    expect(declared.length).toBeGreaterThan(0);
    expect(
      headingsUnder('Data collection permissions \\(`data_collection_permissions`\\)').sort(),
    ).toEqual(declared.sort());
  });

  it('answer "no remote code" and link the privacy policy, which is there', () => {
    expect(listing).toMatch(/^\*\*No, I am not using remote code\.\*\*/m);
    expect(listing).toContain('(privacy-policy.md)');
    expect(existsSync(path.join(DOCS, 'privacy-policy.md'))).toBe(true);
    expect(listing).toContain('(source-build.md)');
    expect(existsSync(path.join(DOCS, 'source-build.md'))).toBe(true);
  });
});
