import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { preactWithoutRawHtml } from './extension/build/preact-without-raw-html';
import {
  DECLARED_HOST_PERMISSIONS,
  OPTIONAL_HOST_PERMISSIONS,
} from './extension/config/portal-origin';
import { MCP_BUNDLE_FILE } from './extension/setup/mcp-bundle';
import { chromeLocaleFiles } from './relay/i18n/extension-messages';
import { EXTENSION_MANIFEST_KEY, GECKO_EXTENSION_ID } from './relay/protocol/extension-identity';

/**
 * Extension pages and the service worker load only their own scripts and styles, and connect
 * only to the relays on loopback and to HTTPS portals (or the loopback sandbox): the worker asks
 * the portal itself who is logged in and whether a token is valid, never the page — and a
 * hospital may run its portal on its own HTTPS origin, chosen in the options at run time (an
 * optional host permission), which a list fixed at build time cannot name. No other script can
 * run in these pages (script-src 'self'), so `https:` here opens no channel to anyone else.
 */
const EXTENSION_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  'connect-src ws://127.0.0.1:* https: http://127.0.0.1:* http://localhost:*',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Claude Desktop's bundle of the relay, as `relay/build-mcpb.mjs` writes it. */
const MCP_BUNDLE = `dist/${MCP_BUNDLE_FILE}`;

/** The built Chrome manifest, with its `key`, while the store zip is packed without it. */
let storeManifestBackup: string | null = null;

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  // Preact without its one raw-HTML write (extension/build/preact-without-raw-html.ts).
  vite: () => ({ plugins: [preact(), preactWithoutRawHtml()] }),
  // The sources zip (for Firefox's review; extension/docs/source-build.md says how to build
  // from it) holds what builds the extension: not the tests, CI, build and test output, nor
  // the README's screenshots (made by a test script). WXT already leaves out node_modules,
  // dotfiles and *.test.* files.
  zip: {
    excludeSources: [
      'dist/**',
      'test-results/**',
      'test/**',
      '.ci/**',
      'extension/docs/screenshots/**',
    ],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extension_name__',
    description: '__MSG_extension_description__',
    default_locale: 'en',
    // Least privilege: no tabs, no <all_urls>, no externally_connectable (no web page may
    // message the extension). `scripting` registers the content script for the one configured
    // portal origin; `alarms` wakes the worker to renew and reconnect.
    permissions: ['storage', 'alarms', 'scripting', 'notifications'],
    host_permissions: [...DECLARED_HOST_PERMISSIONS],
    optional_host_permissions: [...OPTIONAL_HOST_PERMISSIONS],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_EXTENSION_ID,
              // 140: the first release with the built-in data-collection consent.
              strict_min_version: '140.0',
            },
            // Firefox for Android reads `data_collection_permissions` from 142 on (addons-linter's
            // KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION): no older Android release may
            // install an add-on whose consent it would not show.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {
          // Pins the Chrome extension ID, and with it the Origin the relay accepts.
          key: EXTENSION_MANIFEST_KEY,
          // 116: WebSocket activity keeps the MV3 service worker alive.
          minimum_chrome_version: '116',
        }),
  }),
  hooks: {
    // The extension's words, `_locales/{en,fr}/messages.json`, are written from their one
    // source, relay/i18n/extension-messages.ts (no JSON copy is kept in extension/public).
    // The popup's Connect view offers Claude Desktop's bundle for download: the very
    // `hospiai-mcp.mcpb` this build's relay was packed into (`npm run build:mcpb`), so the
    // extension and the relay it hands out are always of the same build.
    'build:publicAssets': (_wxt, files) => {
      const bundle = path.resolve(MCP_BUNDLE);
      if (!existsSync(bundle)) {
        throw new Error(
          `${MCP_BUNDLE} is missing: build the relay and its bundle first (npm run build:relay && npm run build:mcpb, or npm run build)`,
        );
      }
      files.push({ absoluteSrc: bundle, relativeDest: MCP_BUNDLE_FILE }, ...chromeLocaleFiles());
    },
    // The Chrome Web Store refuses a package whose manifest has `key` ("key field is not allowed
    // in manifest") and signs the item with its own: the store zip is packed without it, and
    // `.output/chrome-mv3` gets it back at once (unpacked loads keep the pinned ID).
    // extension/docs/store-listing.md says how the store's key becomes the pinned one.
    'zip:extension:start': (wxt) => {
      if (wxt.config.browser !== 'chrome') return;
      const file = path.join(wxt.config.outDir, 'manifest.json');
      storeManifestBackup = readFileSync(file, 'utf8');
      const { key: _key, ...storeManifest } = JSON.parse(storeManifestBackup);
      writeFileSync(file, JSON.stringify(storeManifest));
    },
    'zip:extension:done': (wxt) => {
      if (storeManifestBackup === null) return;
      writeFileSync(path.join(wxt.config.outDir, 'manifest.json'), storeManifestBackup);
      storeManifestBackup = null;
    },
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.browser !== 'firefox') return;
      // Firefox's built-in consent for what the add-on handles: health and authentication data.
      // (Not in WXT's manifest type yet, hence added here.)
      const gecko = (manifest.browser_specific_settings as { gecko?: Record<string, unknown> })
        ?.gecko;
      if (gecko) {
        gecko.data_collection_permissions = { required: ['healthInfo', 'authenticationInfo'] };
      }
    },
  },
});
