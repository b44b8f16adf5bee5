/**
 * Mozilla's addons-linter — what addons.mozilla.org runs on every upload — on the built Firefox
 * MV3 extension (`.output/firefox-mv3`, the e2e set-up's build; `npm run zip` packs the same
 * files): no error and no warning, nothing explained away. Notices are printed, not failed.
 * The linter's rules and its library hashes ship inside the npm package (pinned): it reaches
 * no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import linter, { type LinterConfig, type LinterMessage } from 'addons-linter';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIREFOX_BUILD = path.join(root, '.output', 'firefox-mv3');

/** The command line's defaults (addons-linter's DEFAULT_CONFIG): the API merges in none. */
const CLI_DEFAULTS: Omit<LinterConfig, '_'> = {
  logLevel: 'fatal',
  warningsAsErrors: false,
  output: 'none',
  metadata: false,
  pretty: false,
  stack: false,
  boring: true,
  enterprise: false,
  privileged: false,
  selfHosted: false,
  enableBackgroundServiceWorker: false,
  minManifestVersion: 2,
  maxManifestVersion: 3,
  disableXpiAutoclose: false,
  enableDataCollectionPermissions: true,
};

const describeMessage = (m: LinterMessage) =>
  `${m.code} ${m.file ?? ''}${m.line ? `:${m.line}:${m.column ?? 0}` : ''}: ${m.message} — ${
    Array.isArray(m.description) ? m.description.join(' ') : m.description
  }`;

describe('addons-linter on the Firefox package', () => {
  it('finds no error and no warning', async () => {
    const result = await linter
      .createInstance({ config: { ...CLI_DEFAULTS, _: [FIREFOX_BUILD] }, runAsBinary: false })
      .run();
    console.info(
      `addons-linter: ${result.summary.errors} errors, ${result.summary.warnings} warnings, ` +
        `${result.summary.notices} notices${result.notices.map((n) => `\n  notice ${describeMessage(n)}`).join('')}`,
    );
    expect(result.errors.map(describeMessage)).toEqual([]);
    expect(result.warnings.map(describeMessage)).toEqual([]);
  });
});
