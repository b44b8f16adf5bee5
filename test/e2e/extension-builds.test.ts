/**
 * What the stores and browsers will see: the built manifests (Chrome MV3 and Firefox MV3, both
 * from the e2e set-up) hold least privilege, the pinned identity, a strict CSP and, for
 * Firefox, the built-in data-collection consent; and both bundles are complete.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECLARED_HOST_PERMISSIONS } from '../../extension/config/portal-origin';
import {
  EXTENSION_MANIFEST_KEY,
  GECKO_EXTENSION_ID,
} from '../../relay/protocol/extension-identity';

const root = fileURLToPath(new URL('../..', import.meta.url));
const output = (target: string) => path.join(root, '.output', target);
const manifestOf = (target: string) =>
  JSON.parse(readFileSync(path.join(output(target), 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;

function expectLeastPrivilege(manifest: Record<string, unknown>) {
  expect(manifest.manifest_version).toBe(3);
  expect(manifest.permissions).toEqual(['storage', 'alarms', 'scripting', 'notifications']);
  expect(manifest.host_permissions).toEqual([...DECLARED_HOST_PERMISSIONS]);
  expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
  expect(manifest).not.toHaveProperty('externally_connectable');
  expect(manifest).not.toHaveProperty('web_accessible_resources');
  // The content script is registered at run time, for the configured portal origin only.
  expect(manifest.content_scripts ?? []).toEqual([]);
  const csp = (manifest.content_security_policy as { extension_pages: string }).extension_pages;
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).toContain("object-src 'none'");
  // Connections: the relays on loopback, the sandbox on loopback, and HTTPS portals (a
  // hospital's own portal origin is chosen at run time) — nothing in clear off this machine.
  const directives = csp.split(';').map((d) => d.trim());
  const connect = directives.find((d) => d.startsWith('connect-src '));
  expect(connect?.split(/\s+/).slice(1).sort()).toEqual(
    ['http://127.0.0.1:*', 'http://localhost:*', 'https:', 'ws://127.0.0.1:*'].sort(),
  );
  // Elsewhere: no unsafe-*, no bare `*`, no whole scheme, no wildcard host.
  const others = directives.filter((d) => d !== connect).join('; ');
  expect(others).not.toMatch(/unsafe-|(^|\s)\*(\s|;|$)|(^|\s)https?:(\s|;|$)|:\/\/\*/);
  expect(manifest.default_locale).toBe('en');
}

function expectCompleteBundle(target: string) {
  for (const file of [
    'popup.html',
    'options.html',
    'content-scripts/content.js',
    '_locales/en/messages.json',
    '_locales/fr/messages.json',
    'icon/128.png',
  ]) {
    expect(existsSync(path.join(output(target), file)), file).toBe(true);
  }
}

describe('Chrome MV3 build', () => {
  it('pins the extension ID, asks Chrome 116+, and keeps to least privilege', () => {
    const manifest = manifestOf('chrome-mv3');
    expect(manifest.key).toBe(EXTENSION_MANIFEST_KEY);
    expect(manifest.minimum_chrome_version).toBe('116');
    expect(manifest.background).toEqual({ service_worker: 'background.js' });
    expectLeastPrivilege(manifest);
    expectCompleteBundle('chrome-mv3');
  });
});

describe('Firefox MV3 build', () => {
  it('declares the add-on ID and the data-collection consent for health and authentication data', () => {
    const manifest = manifestOf('firefox-mv3');
    const gecko = (manifest.browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    expect(gecko.id).toBe(GECKO_EXTENSION_ID);
    expect(gecko.data_collection_permissions).toEqual({
      required: ['healthInfo', 'authenticationInfo'],
    });
    expect(manifest).not.toHaveProperty('key');
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
    expectLeastPrivilege(manifest);
    expectCompleteBundle('firefox-mv3');
  });
});
