/**
 * Debian's Firefox ESR with the built Firefox MV3 add-on, driven over WebDriver BiDi by
 * puppeteer-core like a patient would: options page, portal login, consent panel, popup.
 *
 * Never downloads a browser: `/usr/bin/firefox-esr` (apt-get install firefox-esr) or
 * FIREFOX_PATH. What differs from Chromium, and why:
 * - The add-on is installed as a temporary one (`browser.installExtension`); its origin is
 *   `moz-extension://<uuid>` with a UUID Firefox draws per install. The test draws it instead
 *   (pref `extensions.webextensions.uuids`), which is how it knows the pages' address.
 * - Firefox 153 lets WebDriver navigate to extension pages only with system access
 *   (`--remote-allow-system-access`), and sends no BiDi navigation events for them: such a
 *   page is opened without waiting on the navigation, then polled until its document is loaded.
 * - Consent is given in the popup (an extension page), as in Chromium: the portal page's
 *   banner, in a closed shadow root, only points there.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { vi } from 'vitest';
import { GECKO_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import {
  consentGranted,
  E2E_POLL_MS,
  POPUP_VIEWPORT,
  type PopupNotice,
  type PopupSnapshot,
  relaysWithToken,
  snapshotPopupDom,
} from './browser';
import { type ExtensionSettings, sendSettings } from './extension-settings';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const BUILT_FIREFOX_EXTENSION = fileURLToPath(
  new URL('../../.output/firefox-mv3', import.meta.url),
);

export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>`: this install's origin, the one the relay pins when it pairs. */
  origin: string;
  extensionUrl(page: string): string;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  headless?: boolean;
  extensionPath?: string;
  /** Extra Firefox preferences (e.g. to let optional permission requests through). */
  prefs?: Record<string, unknown>;
}

/** A fresh Firefox profile with the add-on installed (temporarily, as `about:debugging` does). */
export async function launchFirefoxWithExtension(
  options: FirefoxLaunchOptions = {},
): Promise<FirefoxWithExtension> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless ?? true,
    dumpio: process.env.HOSPIAI_FIREFOX_DUMPIO === '1',
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_EXTENSION_ID]: uuid }),
      // Nothing outside loopback: no updates, telemetry or remote settings during tests.
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.shell.checkDefaultBrowser': false,
      // A shared browser reinstalls the add-on between tests (acquireSharedFirefox): same origin.
      'extensions.webextensions.keepUuidOnUninstall': true,
      ...(process.env.HOSPIAI_FIREFOX_DUMPIO === '1'
        ? { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': true }
        : {}),
      ...options.prefs,
    },
  });
  try {
    const id = await browser.installExtension(options.extensionPath ?? BUILT_FIREFOX_EXTENSION);
    if (id !== GECKO_EXTENSION_ID) throw new Error(`installed add-on ${id}, not ours`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  const origin = `moz-extension://${uuid}`;
  return {
    browser,
    origin,
    extensionUrl: (page) => `${origin}/${page}`,
    close: () => browser.close(),
  };
}

/**
 * One Firefox per test file (a launch costs seconds: ~7 s of CPU here), with the add-on
 * uninstalled and installed again between tests: Firefox then wipes what it kept (storage.local
 * and .session, IndexedDB, alarms, granted permissions) and starts its background afresh, as for
 * a new install — with the same moz-extension:// origin (pref keepUuidOnUninstall). Every tab of
 * the last test is closed and its cookies deleted. A test asking for other preferences gets a
 * browser of its own; so does a test holding two scenarios at once.
 */
let sharedFirefox: { key: string; firefox: FirefoxWithExtension; inUse: boolean } | null = null;

export async function acquireSharedFirefox(
  options: FirefoxLaunchOptions = {},
): Promise<FirefoxWithExtension> {
  const key = JSON.stringify({ ...options, headless: options.headless ?? true });
  if (sharedFirefox && (sharedFirefox.key !== key || sharedFirefox.inUse)) {
    return launchFirefoxWithExtension(options);
  }
  let reused = false;
  if (sharedFirefox) {
    reused = await reinstallAddOn(sharedFirefox.firefox, options).then(
      () => true,
      () => false,
    );
  }
  if (!reused) {
    await sharedFirefox?.firefox.close().catch(() => {});
    sharedFirefox = { key, firefox: await launchFirefoxWithExtension(options), inUse: false };
  }
  const entry = sharedFirefox as NonNullable<typeof sharedFirefox>;
  entry.inUse = true;
  return {
    ...entry.firefox,
    close: async () => {
      entry.inUse = false;
    },
  };
}

/** Closes the file's shared Firefox (firefox-scenario.ts calls it after the file's tests). */
export async function closeSharedFirefox(): Promise<void> {
  const entry = sharedFirefox;
  sharedFirefox = null;
  await entry?.firefox.close();
}

async function reinstallAddOn(
  firefox: FirefoxWithExtension,
  options: FirefoxLaunchOptions,
): Promise<void> {
  const { browser } = firefox;
  // Closing the last tab would close the window: one blank tab stays.
  const blank = await browser.newPage();
  for (const page of await browser.pages()) {
    if (page !== blank) await page.close();
  }
  const cookies = await browser.cookies();
  if (cookies.length > 0) await browser.deleteCookie(...cookies);
  await browser.uninstallExtension(GECKO_EXTENSION_ID);
  const id = await browser.installExtension(options.extensionPath ?? BUILT_FIREFOX_EXTENSION);
  if (id !== GECKO_EXTENSION_ID) throw new Error(`installed add-on ${id}, not ours`);
}

/** Opens one of the add-on's pages in a new tab and waits until its document has loaded. */
export async function openExtensionPage(
  firefox: FirefoxWithExtension,
  page: string,
  viewport = { width: 1100, height: 800 },
): Promise<Page> {
  const tab = await firefox.browser.newPage();
  await tab.setViewport(viewport);
  await gotoExtensionPage(tab, firefox.extensionUrl(page));
  return tab;
}

/** See the module comment: no navigation events come for extension pages, so poll. */
export async function gotoExtensionPage(tab: Page, url: string): Promise<void> {
  void tab.goto(url, { timeout: 0 }).catch(() => {});
  await waitForDocument(tab, url);
}

/** Reloads an extension page (same reason as gotoExtensionPage). */
export async function reloadExtensionPage(tab: Page): Promise<void> {
  const url = await tab.evaluate(() => location.href);
  await tab.evaluate(() => {
    (document as Document & { reloading?: boolean }).reloading = true;
    location.reload();
  });
  await waitForDocument(tab, url, true);
}

async function waitForDocument(tab: Page, url: string, fresh = false, timeoutMs = 15_000) {
  await vi.waitFor(
    async () => {
      const state = await tab
        .evaluate(() => ({
          href: location.href,
          ready: document.readyState,
          old: (document as Document & { reloading?: boolean }).reloading === true,
        }))
        .catch(() => null);
      if (state?.href === url && state.ready === 'complete' && !(fresh && state.old)) return;
      throw new Error(`timed out opening ${url}: the tab shows ${JSON.stringify(state)}`);
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/**
 * Sets the portal origin and the relays' port range in the options page, as a patient would:
 * in `optionsTab` when the test holds one open (a tab costs Firefox ~0.7 s of CPU), else in a
 * tab of its own.
 */
export async function configureFirefoxExtension(
  firefox: FirefoxWithExtension,
  settings: { portalOrigin: string; ports: { first: number; last: number } },
  optionsTab?: Page,
): Promise<void> {
  const page = optionsTab ?? (await openExtensionPage(firefox, 'options.html'));
  // The patient switches to the tab (a background tab gets no animation frames to click in).
  if (optionsTab) await optionsTab.bringToFront();
  try {
    await fill(page, '#portal-origin', settings.portalOrigin);
    // The port range is folded under "Advanced" (a patient rarely changes it).
    const advanced = await page.$('details[data-advanced]:not([open]) > summary');
    if (advanced) await advanced.click();
    await fill(page, '#first-port', String(settings.ports.first));
    await fill(page, '#last-port', String(settings.ports.last));
    await page.locator('form.options button[type=submit]').click();
    const status = await page.waitForSelector('#options-status');
    const problem = await status?.evaluate((el) =>
      el.getAttribute('data-error') === 'true' ? (el.textContent ?? '') : null,
    );
    if (problem !== null && problem !== undefined) {
      throw new Error(`the options page refused the settings: ${problem}`);
    }
  } finally {
    if (!optionsTab) await page.close();
  }
}

/**
 * Gives the background the settings with the options page's own message (`options:setConfig`,
 * checked by the background as from the options page), without typing them into its form: the
 * form (and the host-permission request its submit makes) is exercised by the story about
 * withdrawn portal access. Skipping it saves a story ~0.8 s of Firefox CPU.
 */
export async function applyFirefoxSettings(
  firefox: FirefoxWithExtension,
  settings: ExtensionSettings,
): Promise<void> {
  const page = await openExtensionPage(firefox, 'options.html');
  try {
    await sendSettings(page, settings);
  } finally {
    await page.close();
  }
}

/** Replaces an input's value by typing, as a patient does (input events included). */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).fill(value);
}

/** Logs into the sandbox portal in a new tab; returns the tab, on the dashboard. */
export async function loginToPortalInFirefox(
  firefox: FirefoxWithExtension,
  portalUrl: string,
  patient: { email: string; password: string },
): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(`${portalUrl}/login`);
  await fill(page, 'input[name=email]', patient.email);
  await fill(page, 'input[name=password]', patient.password);
  await Promise.all([
    page.waitForNavigation(),
    page.locator('#login-form button[type=submit]').click(),
  ]);
  if (new URL(page.url()).pathname !== '/dashboard') {
    throw new Error(`login did not reach the dashboard: ${page.url()}`);
  }
  return page;
}

/**
 * Consents in the popup, where every decision that grants access is taken (the dashboard's
 * banner only points there): reads allowed if asked, the offered scopes, then waits until the
 * popup shows the consent granted. The popup stays open, as it does for a patient who goes on
 * to pair in it.
 */
export async function consentInFirefoxPopup(
  popup: Page,
  choices: { allowReads?: boolean } = {},
): Promise<void> {
  const panel = 'section[data-section="consent"]';
  await popup.waitForSelector(`${panel} button.primary`, { timeout: 10_000 });
  if (choices.allowReads) {
    await popup.evaluate((selector) => {
      for (const label of document.querySelectorAll(`${selector} label`)) {
        if (!/read without asking/i.test(label.textContent ?? '')) continue;
        const box = label.querySelector('input') as HTMLInputElement | null;
        if (box && !box.checked) box.click();
      }
    }, panel);
  }
  await popup.locator(`${panel} button.primary`).click();
  await vi.waitFor(async () => consentGranted((await readFirefoxPopupState(popup)).problems), {
    timeout: 10_000,
    interval: 100,
  });
}

/** The popup, opened in a tab of the popup's size (a toolbar popup cannot be automated). */
export async function openPopupInFirefox(firefox: FirefoxWithExtension): Promise<Page> {
  const page = await openExtensionPage(firefox, 'popup.html', POPUP_VIEWPORT);
  await page.waitForSelector('main[data-ready="true"]');
  return page;
}

/** Types the code printed by `hospiai-mcp pair` and waits for the popup's verdict. */
export async function pairInFirefoxPopup(popup: Page, code: string): Promise<PopupNotice> {
  const folded = await popup.$('details.pair-details:not([open]) > summary');
  if (folded) await folded.click();
  await fill(popup, '#pair-code', code);
  await popup.locator('form.pair button[type=submit]').click();
  const notice = await popup.waitForSelector('[data-notice]', { timeout: 20_000 });
  if (!notice) throw new Error('the popup showed no notice');
  return notice.evaluate((el) => ({
    key: el.getAttribute('data-notice') ?? '',
    text: el.textContent ?? '',
  }));
}

export async function readFirefoxPopupState(popup: Page): Promise<PopupSnapshot> {
  // One round trip once the popup is ready (readPopupState in browser.ts).
  for (;;) {
    const snapshot = await popup.evaluate(snapshotPopupDom);
    if (snapshot) return snapshot;
    await popup.waitForSelector('main[data-ready="true"]');
  }
}

/** Waits until the popup lists `count` AI clients that all hold a token; returns them. */
export function waitForFirefoxRelaysWithToken(popup: Page, count: number, timeoutMs = 20_000) {
  return vi.waitFor(
    async () => relaysWithToken((await readFirefoxPopupState(popup)).relays, count),
    { timeout: timeoutMs, interval: E2E_POLL_MS },
  );
}

/** What a test reads in an extension page (typed here: it runs in the browser). */
interface FirefoxExtensionGlobals {
  browser: {
    storage: {
      session: {
        get(
          key: string,
        ): Promise<{ token?: { token: string; tokenId: string; expiresAt: string } }>;
      };
    };
  };
}

/**
 * The token the add-on holds in storage.session, read from one of its pages already open (the
 * popup, the options page: they see the add-on's storage). Never printed.
 */
export async function readHeldTokenInFirefox(
  extensionPage: Page,
): Promise<{ token: string; tokenId: string; expiresAt: string } | null> {
  return extensionPage.evaluate(async () => {
    const { browser } = globalThis as unknown as FirefoxExtensionGlobals;
    const { token } = await browser.storage.session.get('token');
    return token
      ? { token: token.token, tokenId: token.tokenId, expiresAt: token.expiresAt }
      : null;
  });
}

/**
 * Waits until Firefox has suspended the add-on's event page (its idle timeout): seen from one of
 * the add-on's pages, the generated background page is gone from `extension.getViews()` (a
 * suspended event page has no window; listing the views does not wake it).
 */
export async function waitForEventPageSuspended(
  extensionPage: Page,
  timeoutMs = 15_000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      const views = await extensionPage.evaluate(() => {
        const { browser } = globalThis as unknown as {
          browser: { extension: { getViews(): Array<{ location: { pathname: string } }> } };
        };
        return browser.extension.getViews().map((view) => view.location.pathname);
      });
      if (views.some((view) => view.endsWith('/_generated_background_page.html'))) {
        throw new Error(`the event page is still running: ${views.join(', ')}`);
      }
    },
    { timeout: timeoutMs, interval: E2E_POLL_MS },
  );
}

/** Clicks a popup button by its visible label. */
export async function clickFirefoxPopupButton(popup: Page, label: string): Promise<void> {
  await popup.locator(`::-p-aria([name="${label}"][role="button"])`).click();
}
