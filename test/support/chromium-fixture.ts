/**
 * The browser fixture of the e2e tests and the demo: Debian's Chromium with the built extension
 * (never a downloaded browser: `/usr/bin/chromium`, or CHROMIUM_PATH), one shared per worker, a
 * fresh extension per test (resetExtension), tabs parked and reused, the service worker
 * restarted on demand. The page objects are in options-page.ts, portal-page.ts, popup-page.ts;
 * the patient's whole story in patient-flow.ts; browser.ts gathers them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { CHROME_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import { profilesFolder } from './browser-profiles';
import { type ExtensionSettings, sendSettings } from './extension-settings';
import { waitFor } from './wait-for';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const BUILT_EXTENSION = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));
export const POPUP_VIEWPORT = { width: 400, height: 720 };

export interface LaunchOptions {
  /** Default: headless unless a display is available and `headless: false` is asked. */
  headless?: boolean;
  extensionPath?: string;
  /** The browser's UI language (the popup's language). Default en-US. */
  locale?: string;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's current service worker (it may be restarted: call again). */
  serviceWorker(): Promise<Worker>;
  /**
   * The harness's own tabs, shared by every handle on this browser: those parked for the next
   * helper (takeTab/releaseTab/resetExtension), the ones helpers opened (`opened`: only these
   * are ever parked, never a tab a test opened itself), and the extension-origin tab a reset
   * keeps open (resetExtension).
   */
  tabs: { spare: Page[]; opened: WeakSet<Page>; anchor?: Page };
  close(): Promise<void>;
}

export const DEFAULT_VIEWPORT = { width: 1100, height: 800 };

/**
 * A tab for one of this file's helpers: a parked one, or a new one. Opening a tab costs
 * Chromium ~0.45 s of CPU here (navigating one ~0.2 s), and a scenario's helpers open five or
 * six: reused, the e2e suite spends a good part less.
 */
export async function takeTab(browser: ExtensionBrowser): Promise<Page> {
  for (let spare = browser.tabs.spare.pop(); spare; spare = browser.tabs.spare.pop()) {
    if (spare.isClosed()) continue;
    // In front, as a new tab would be: Chromium throttles the frames of a background tab, and
    // Playwright waits for one before each click (~2 s each).
    await spare.bringToFront();
    return spare;
  }
  const page = await browser.context.newPage();
  browser.tabs.opened.add(page);
  return page;
}

/** At most this many tabs wait parked: a connected patient's story holds two (portal, popup). */
const MAX_PARKED_TABS = 2;

/**
 * A helper is done with its tab (or a reset with one a helper opened for the last test): parked
 * on about:blank — or where it is, for a page that runs nothing — or closed. A tab a test opened
 * itself is never parked: it may carry what the test set on it (an init script, a route).
 */
export async function releaseTab(
  browser: ExtensionBrowser,
  page: Page,
  { navigate = true }: { navigate?: boolean } = {},
): Promise<void> {
  if (page.isClosed()) return;
  const parked = browser.tabs.spare.filter((spare) => !spare.isClosed());
  if (!browser.tabs.opened.has(page) || parked.length >= MAX_PARKED_TABS) {
    await page.close();
    return;
  }
  try {
    if (navigate) await page.goto('about:blank');
    await page.setViewportSize(DEFAULT_VIEWPORT);
    browser.tabs.spare = [...parked, page];
  } catch {
    await page.close().catch(() => {});
  }
}

/** A fresh profile (temporary directory) with the extension loaded. */
export async function launchBrowserWithExtension(
  options: LaunchOptions = {},
): Promise<ExtensionBrowser> {
  const extensionPath = options.extensionPath ?? BUILT_EXTENSION;
  // In the run's folder (browser-profiles.ts): a worker's shared browser is never closed by it.
  const profile = await mkdtemp(path.join(profilesFolder(), 'hospiai-chromium-'));
  const locale = options.locale ?? 'en-US';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    locale,
    // On Linux, Chromium takes its UI language (the extension's i18n) from the environment.
    env: {
      ...process.env,
      LANGUAGE: locale.replace('-', '_'),
      LANG: `${locale.replace('-', '_')}.UTF-8`,
    },
    viewport: DEFAULT_VIEWPORT,
    args: [
      `--disable-extensions-except=${extensionPath}`,
      `--load-extension=${extensionPath}`,
      `--lang=${locale}`,
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  // Under tsx (the demo), esbuild keeps function names with a `__name` helper that would be
  // missing from the functions handed to page.evaluate; give every page a no-op one.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  const isOurs = (worker: Worker) =>
    worker.url().startsWith(`chrome-extension://${CHROME_EXTENSION_ID}/`);
  // The worker may be stopped and started again: the latest live one is the one to use.
  let latest: Worker | null = null;
  const track = (worker: Worker) => {
    if (!isOurs(worker)) return;
    latest = worker;
    worker.once('close', () => {
      if (latest === worker) latest = null;
    });
  };
  context.serviceWorkers().forEach(track);
  context.on('serviceworker', track);
  const serviceWorker = async (): Promise<Worker> =>
    latest ?? context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 10_000 });
  const worker = await serviceWorker();
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    tabs: { spare: [], opened: new WeakSet() },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium per test file (launching is the slowest step of a scenario: ~2.5 s of CPU), with
 * the extension brought back to a fresh install's state between tests. Chromium 156 cannot
 * reload an extension loaded with --load-extension in place (`runtime.reload()` unloads it for
 * good), so the state is wiped instead: every tab closed, cookies cleared, the worker stopped,
 * then everything the extension keeps — storage.local and .session, IndexedDB (the pairing key),
 * alarms, registered content scripts, notifications, granted optional permissions — cleared from
 * one of its pages, and the worker stopped again so that the next one starts from nothing
 * (`resetExtension`). A test that changes the browser context itself (an init script, a route,
 * permissions) taints the browser: the next test gets a new one. So does a test holding two
 * scenarios at once, or asking for another configuration (locale, headless).
 */
let shared: {
  key: string;
  browser: ExtensionBrowser;
  inUse: boolean;
  tainted: boolean;
} | null = null;

/** Context methods whose effect outlives the test (an extension reset does not undo them). */
const CONTEXT_CHANGES = new Set<string | symbol>([
  'addInitScript',
  'route',
  'routeFromHAR',
  'routeWebSocket',
  'grantPermissions',
  'exposeBinding',
  'exposeFunction',
  'setExtraHTTPHeaders',
  'setOffline',
  'setGeolocation',
  'setHTTPCredentials',
]);

export async function acquireSharedBrowser(
  options: LaunchOptions = {},
  settings?: ExtensionSettings,
): Promise<ExtensionBrowser> {
  const key = JSON.stringify({
    headless: options.headless ?? true,
    extensionPath: options.extensionPath ?? BUILT_EXTENSION,
    locale: options.locale ?? 'en-US',
  });
  if (shared && (shared.key !== key || shared.inUse)) {
    // Not reusable: another configuration, or a test holding two scenarios at once.
    const browser = await launchBrowserWithExtension(options);
    if (settings) await withExtensionPage(browser, (page) => sendSettings(page, settings));
    return browser;
  }
  let reused = false;
  if (shared && !shared.tainted) {
    reused = await resetExtension(shared.browser, settings).then(
      () => true,
      () => false,
    );
  }
  if (!reused) {
    await shared?.browser.close().catch(() => {});
    const browser = await launchBrowserWithExtension(options);
    if (settings) await withExtensionPage(browser, (page) => sendSettings(page, settings));
    shared = { key, browser, inUse: false, tainted: false };
  }
  const entry = shared as NonNullable<typeof shared>;
  entry.inUse = true;
  const context = new Proxy(entry.browser.context, {
    get(target, property) {
      if (CONTEXT_CHANGES.has(property)) entry.tainted = true;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    ...entry.browser,
    context,
    close: async () => {
      entry.inUse = false;
    },
  };
}

/** What a reset runs in an extension page (typed here: it runs in the browser). */
interface ResetGlobals {
  chrome: {
    alarms: { clearAll(): Promise<boolean> };
    scripting: { unregisterContentScripts(): Promise<void> };
    notifications: {
      getAll(): Promise<Record<string, boolean>>;
      clear(id: string): Promise<boolean>;
    };
    permissions: {
      getAll(): Promise<{ origins?: string[] }>;
      remove(permissions: { origins: string[] }): Promise<boolean>;
    };
    runtime: { getManifest(): { host_permissions?: string[] } };
    storage: Record<'local' | 'session', { clear(): Promise<void> }>;
  };
}

/**
 * Brings the extension of a used browser back to a fresh install's state (see above). The
 * extension's pages are not used for it: an icon, opened as a page of the extension's origin,
 * has its APIs and runs none of its code.
 */
export async function resetExtension(
  browser: ExtensionBrowser,
  settings?: ExtensionSettings,
): Promise<void> {
  // A tab kept on the extension's origin (its icon: no code runs there) keeps the extension's
  // renderer process alive from one test to the next: bringing it up again after the last tab
  // closed cost ~0.7–1 s of CPU per test. The worker itself still stops and starts afresh. The
  // reset runs in that tab too (a navigation costs Chromium ~0.15 s of CPU here).
  const icon = extensionUrl(browser, 'icon/16.png');
  let anchor = browser.tabs.anchor;
  if (!anchor || anchor.isClosed()) {
    anchor = await browser.context.newPage();
    browser.tabs.anchor = anchor;
  }
  if (anchor.url() !== icon) await anchor.goto(icon);
  // The last test's tabs: the ones helpers opened are parked for the next (~0.25 s of CPU less
  // per test than closing them and opening new ones), the others closed.
  for (const page of browser.context.pages()) {
    if (!browser.tabs.spare.includes(page) && page !== anchor) await releaseTab(browser, page);
  }
  await browser.context.clearCookies();
  const cdp = await browser.context.newCDPSession(anchor);
  const running = new Set<string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) {
      if (version.runningStatus === 'stopped') running.delete(version.versionId);
      else running.add(version.versionId);
    }
  });
  await cdp.send('ServiceWorker.enable');
  const stopWorker = async () => {
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitUntil(() => running.size === 0, 'the service worker to stop');
  };
  await stopWorker();
  await anchor.evaluate(async () => {
    const { chrome } = globalThis as unknown as ResetGlobals;
    // The pairing key first, while no worker holds its database open; then storage, so that
    // a worker woken by what follows (its listeners) finds nothing of the last test.
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      await new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = resolve;
        request.onerror = () => reject(request.error);
      });
    }
    await chrome.storage.local.clear();
    await chrome.storage.session.clear();
    await chrome.alarms.clearAll();
    await chrome.scripting.unregisterContentScripts();
    for (const id of Object.keys(await chrome.notifications.getAll())) {
      await chrome.notifications.clear(id);
    }
    const required = new Set(chrome.runtime.getManifest().host_permissions ?? []);
    const optional = ((await chrome.permissions.getAll()).origins ?? []).filter(
      (origin) => !required.has(origin),
    );
    if (optional.length > 0) await chrome.permissions.remove({ origins: optional });
  });
  // Clearing storage may have woken the worker (its storage listeners): stopped again, so the
  // next one starts from the wiped state with nothing left in memory.
  await stopWorker();
  await cdp.detach();
  // From the same page (a new tab costs ~0.4 s of CPU here): the next worker starts fresh
  // to take the settings.
  if (settings) await sendSettings(anchor, settings);
}

/**
 * Runs `fn` in a tab on the extension's origin that runs none of its code (see above), then
 * parks the tab there: the next helper navigates it anyway, and an icon runs nothing meanwhile.
 */
export async function withExtensionPage<T>(
  browser: ExtensionBrowser,
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await takeTab(browser);
  try {
    await page.goto(extensionUrl(browser, 'icon/16.png'));
    return await fn(page);
  } finally {
    await releaseTab(browser, page, { navigate: false });
  }
}

/**
 * Stops the extension's service worker, as Chrome does to an idle MV3 worker, and waits until
 * an extension event (here: an extension page loading) has started it again. Playwright keeps
 * no handle on a restarted worker, so the DevTools protocol's ServiceWorker domain is watched.
 */
export async function restartServiceWorker(browser: ExtensionBrowser): Promise<void> {
  const page = await takeTab(browser);
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    const cdp = await browser.context.newCDPSession(page);
    const states: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) states.push(version.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitUntil(() => states.includes('stopped'), 'the service worker to stop');
    const stoppedAt = states.lastIndexOf('stopped');
    await page.reload();
    await waitUntil(
      () => states.slice(stoppedAt).includes('running'),
      'the service worker to start again',
    );
    await cdp.detach();
  } finally {
    await releaseTab(browser, page);
  }
}

/** Waits for a condition on what the test recorded (no page read: vitest's 50 ms pace). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000) {
  await waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

export function extensionUrl(browser: ExtensionBrowser, page: string): string {
  return `chrome-extension://${browser.extensionId}/${page}`;
}
