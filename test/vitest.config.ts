import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, type Plugin } from 'vitest/config';
import { buildConfirmationCardHtml, CARD_MODULE } from '../relay/card/card-html.mjs';
import LongestFirstSequencer from './test-order';

const root = fileURLToPath(new URL('..', import.meta.url));

// Three projects: `unit` (in-process, fast; what `npm run check` runs), `integration` (the built
// relay over stdio, real processes) and `e2e` (the built extension in Debian's Chromium and
// Firefox ESR). They run side by side, longest files first (test-order.ts): the real-browser and
// integration files mostly wait on browsers, processes and timers, so on a 2-core machine three
// workers keep both cores busy where vitest's default (cores - 1) ran one file at a time.
// HOSPIAI_TEST_WORKERS (or --maxWorkers) overrides it.
const workers = Number(process.env.HOSPIAI_TEST_WORKERS) || Math.max(3, availableParallelism() - 1);

// HOSPIAI_TEST_RELAY_ONLY=1 (.ci/run's Node 22 and 24 runs): the relay's tests alone, as one
// project `relay` — test/unit/ but extension/ and sandbox/ (the sandbox portal is a test fixture
// that never runs on a patient's Node: ~7 s of CPU per run), and test/integration/ — so that one
// worker's module graph serves both (a worker serves one project: two projects cost a second
// worker importing the SDK, zod and the sandbox portal again). Without the extension's plugins,
// which are imported only when needed: loading them (WXT reads wxt.config.ts) costs ~2 s of CPU
// per run.
const relayOnly = process.env.HOSPIAI_TEST_RELAY_ONLY === '1';
const extensionPlugins = relayOnly
  ? []
  : [
      import('wxt/testing/vitest-plugin').then(({ WxtVitest }) => WxtVitest()),
      import('@preact/preset-vite').then(({ default: preact }) => preact()),
    ];

// The confirmation card's HTML as relay/build.mjs hands it to the bundle, built only when a test
// imports the remote tool servers in-process (test/unit/remote/direct-read.test.ts).
const confirmationCard: Plugin = {
  name: 'confirmation-card',
  resolveId: (id) => (id === CARD_MODULE ? `\0${CARD_MODULE}` : undefined),
  load: async (id) =>
    id === `\0${CARD_MODULE}`
      ? `export default ${JSON.stringify(await buildConfirmationCardHtml())};`
      : undefined,
};

const unit = {
  name: 'unit',
  root,
  include: ['test/unit/**/*.test.{ts,tsx}'],
  environment: 'node',
  // One module graph for every unit file (they mock no module and reset what they use):
  // importing the SDK, zod and the WXT test plugin once per file was most of their time.
  isolate: false,
  testTimeout: 15_000,
};

const integration = {
  name: 'integration',
  root,
  include: ['test/integration/**/*.test.ts'],
  // One module graph per worker here too (the files mock nothing; each starts its own portal
  // and relays): re-importing the SDK, the sandbox portal and the client libraries for every
  // file cost ~10 s of CPU per run on one worker (.ci/run's Node 22 and 24).
  isolate: false,
  globalSetup: ['test/support/build-relay.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

const relay = {
  ...integration,
  name: 'relay',
  include: [...unit.include, ...integration.include],
  exclude: [...configDefaults.exclude, 'test/unit/extension/**', 'test/unit/sandbox/**'],
  environment: unit.environment,
};

export default defineConfig({
  root,
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    maxWorkers: workers,
    sequence: { sequencer: LongestFirstSequencer },
    projects: relayOnly
      ? [{ plugins: [confirmationCard], test: relay }]
      : [
          { plugins: [confirmationCard, ...extensionPlugins], test: unit },
          { test: integration },
          {
            test: {
              name: 'e2e',
              root,
              include: ['test/e2e/**/*.test.ts'],
              // One module graph per worker: playwright-core and the SDK imported once, and one
              // Chromium for every file the worker runs (browser.ts resets the extension between
              // tests). The files mock nothing; a test that changes the browser context gets a new one.
              isolate: false,
              globalSetup: [
                'test/support/build-relay.ts',
                'test/support/build-extension.ts',
                'test/support/browser-profiles.ts',
              ],
              // Files run in parallel: each test has its own portal (port 0), relay home, port range
              // (free-ports.ts: a lane per worker), browser profile and relays.
              // A scenario takes 5–15 s; on a 2-core machine loaded by other runs, several times that.
              testTimeout: 120_000,
              hookTimeout: 120_000,
              // A poll here reads a page (a DevTools round trip and a renderer's work: ~20 ms of
              // CPU); at vitest's default 50 ms a waiting test kept a third of a core busy.
              expect: { poll: { interval: 250, timeout: 10_000 } },
            },
          },
        ],
  },
});
