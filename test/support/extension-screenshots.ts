/**
 * `npm run screenshots`: runs the e2e tests that photograph the popup (fresh, in Chromium with
 * the built extension, against the sandbox portal and real relays), then copies the main states
 * to extension/docs/screenshots/ for the README. Every copy is checked to be a PNG at most
 * 400 px wide (the popup's width), so the committed images stay small.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCREENSHOT_DIR } from './browser';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS_DIR = path.join(ROOT, 'extension/docs/screenshots');
const MAX_WIDTH = 400;

/** The tests that take them. */
const TESTS = [
  'test/e2e/popup-states.test.ts',
  'test/e2e/connect-assistant.test.ts',
  'test/e2e/popup-checklist.test.ts',
  'test/e2e/confirmation-cards.test.ts',
  'test/e2e/pairing-without-terminal.test.ts',
];

/** test-results/screenshots/<source>.png → extension/docs/screenshots/<name>.png */
const MAIN_STATES: Record<string, string> = {
  'fresh-install': '01-fresh-install',
  'checklist-connect': '12-checklist-connect',
  'connected-with-latest-requests': '02-connected-two-clients',
  'booking-confirmation': '08-booking-confirmation',
  booked: '10-booked',
  'stop-and-revoke': '14-stop-and-revoke-confirm',
  stopped: '03-revoked',
  'pairing-code-wrong': '16-pair-wrong-code',
  'connect-an-assistant': '09-connect-an-assistant',
  'pairing-check': '17-pairing-check',
  french: '06-french-consent-and-pairing',
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (data.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

async function main(): Promise<void> {
  // Stale images of an earlier run must not be copied as if new.
  await rm(SCREENSHOT_DIR, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'test/vitest.config.ts',
      '--project',
      'e2e',
      ...TESTS,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await mkdir(DOCS_DIR, { recursive: true });
  for (const [name, source] of Object.entries(MAIN_STATES)) {
    const from = path.join(SCREENSHOT_DIR, `${source}.png`);
    const data = await readFile(from).catch(() => {
      throw new Error(
        `${source}.png was not taken: was its test skipped? (French needs Debian's chromium-l10n)`,
      );
    });
    const size = pngSize(data);
    if (size.width > MAX_WIDTH) {
      throw new Error(`${source}.png is ${size.width} px wide; the popup is ${MAX_WIDTH}`);
    }
    const to = path.join(DOCS_DIR, `${name}.png`);
    await copyFile(from, to);
    console.info(`${path.relative(ROOT, to)}  ${size.width}×${size.height}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
