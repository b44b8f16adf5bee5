/**
 * Debian's Chromium with the built extension, driven like a patient would: configure the portal
 * in the options page, log into the portal, consent on the dashboard, pair in the popup, read
 * what the popup shows. Shared by the e2e tests and the `npm start` demo.
 *
 * Never downloads a browser: `/usr/bin/chromium` (apt-get install chromium) or CHROMIUM_PATH.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Worker,
} from 'playwright-core';
import { CHROME_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import { profilesFolder } from './browser-profiles';
import { type ExtensionSettings, sendSettings } from './extension-settings';

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
async function takeTab(browser: ExtensionBrowser): Promise<Page> {
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
async function releaseTab(
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
async function withExtensionPage<T>(
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

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function extensionUrl(browser: ExtensionBrowser, page: string): string {
  return `chrome-extension://${browser.extensionId}/${page}`;
}

/** Sets the portal origin and the relays' port range in the options page, as a patient would. */
export async function configureExtension(
  browser: ExtensionBrowser,
  settings: { portalOrigin: string; ports: { first: number; last: number } },
): Promise<void> {
  const page = await takeTab(browser);
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    await page.locator('#portal-origin').fill(settings.portalOrigin);
    // The port range is folded under "Advanced" (a patient rarely changes it).
    const advanced = page.locator('details[data-advanced]:not([open]) > summary');
    if ((await advanced.count()) > 0) await advanced.click();
    await page.locator('#first-port').fill(String(settings.ports.first));
    await page.locator('#last-port').fill(String(settings.ports.last));
    await page.locator('form.options button[type=submit]').click();
    const status = page.locator('#options-status');
    await status.waitFor();
    if ((await status.getAttribute('data-error')) === 'true') {
      throw new Error(
        `the options page refused the settings: ${(await status.textContent()) ?? ''}`,
      );
    }
  } finally {
    await releaseTab(browser, page);
  }
}

/** Logs into the sandbox portal in a new tab; returns the tab, on the dashboard. */
export async function loginToPortal(
  browser: ExtensionBrowser,
  portalUrl: string,
  patient: { email: string; password: string },
): Promise<Page> {
  const page = await takeTab(browser);
  await page.goto(`${portalUrl}/login`);
  await page.locator('input[name=email]').fill(patient.email);
  await page.locator('input[name=password]').fill(patient.password);
  await Promise.all([
    page.waitForURL(`${portalUrl}/dashboard`),
    page.locator('#login-form button[type=submit]').click(),
  ]);
  return page;
}

const CONSENT_BANNER = '#hospiai-mcp-consent';
const CAPTURE_BANNER = '#hospiai-mcp-capture';

/**
 * The extension's panels live in a closed shadow root (page scripts cannot reach them); the
 * DevTools protocol can, and a mouse click at the element's position is a real, trusted click.
 */
export async function clickInExtensionPanel(
  page: Page,
  host: string,
  selector: string,
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId: hostId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: host,
    });
    if (!hostId) throw new Error(`no extension panel ${host} on ${page.url()}`);
    const { node } = await cdp.send('DOM.describeNode', { nodeId: hostId, depth: 1, pierce: true });
    const shadow = node.shadowRoots?.[0];
    if (!shadow) throw new Error(`the panel ${host} has no shadow root`);
    const {
      nodeIds: [shadowId],
    } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', {
      backendNodeIds: [shadow.backendNodeId],
    });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: shadowId ?? 0,
      selector,
    });
    if (!nodeId) throw new Error(`no ${selector} in the panel ${host}`);
    const { model } = await cdp.send('DOM.getBoxModel', { nodeId });
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}

/** Whether an extension panel (consent, capture offer) is on the page. */
export async function hasExtensionPanel(
  page: Page,
  which: 'consent' | 'capture',
): Promise<boolean> {
  return (await page.locator(which === 'consent' ? CONSENT_BANNER : CAPTURE_BANNER).count()) > 0;
}

export interface ConsentChoices {
  /** Scopes ticked besides the default (read:data). */
  extraScopes?: string[];
  /** Ticks "read without asking me each time" (default: reads ask first). */
  allowReads?: boolean;
}

/**
 * Consents in the popup — the only place consent can be given (the dashboard's banner only
 * points there) — with these choices, and waits until the popup shows it granted.
 */
export async function consentInPopup(
  browser: ExtensionBrowser,
  choices: ConsentChoices = {},
): Promise<void> {
  const popup = await openPopup(browser);
  try {
    await consentInOpenPopup(popup, choices);
  } finally {
    await releaseTab(browser, popup);
  }
}

/** The same, in a popup that is already open (and stays open: its next step shows). */
async function consentInOpenPopup(popup: Page, choices: ConsentChoices): Promise<void> {
  const panel = popup.locator('section[data-section="consent"]');
  for (const scope of choices.extraScopes ?? []) {
    await panel.locator(`input[value="${scope}"]`).check();
  }
  if (choices.allowReads) await panel.getByLabel(/read without asking/i).check();
  await panel.locator('button.primary').click();
  await expectConsentGranted(popup);
}

async function expectConsentGranted(popup: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(['consent_needed', 'access_revoked']);
  while ((await readPopupState(popup)).problems.some((p) => pending.has(p.code))) {
    if (Date.now() > deadline) throw new Error('the popup never showed the consent granted');
    await popup.waitForTimeout(250);
  }
}

/** Accepts, in the popup, the offer to use the token the Tokens API page just showed. */
export async function acceptTokenCapture(
  browser: ExtensionBrowser,
  choices: Pick<ConsentChoices, 'allowReads'> = {},
): Promise<void> {
  const popup = await openPopup(browser);
  try {
    const panel = popup.locator('section[data-section="capture"]');
    await panel.waitFor({ timeout: 10_000 });
    if (choices.allowReads) await panel.getByLabel(/read without asking/i).check();
    await panel.locator('button.primary').click();
    await panel.waitFor({ state: 'detached', timeout: 10_000 });
  } finally {
    await releaseTab(browser, popup);
  }
}

/** What a test reads in an extension page (typed here: it runs in the browser). */
interface ExtensionGlobals {
  chrome: {
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
 * The token the extension holds (storage.session), read from an extension page so a test
 * can check what the portal says about it. Tests compare it; they never print it.
 */
export async function readHeldToken(
  browser: ExtensionBrowser,
): Promise<{ token: string; tokenId: string; expiresAt: string } | null> {
  // Read from an extension page: storage.session is shared by the extension's trusted contexts.
  const page = await takeTab(browser);
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    return await page.evaluate(async () => {
      const { chrome } = globalThis as unknown as ExtensionGlobals;
      const { token } = await chrome.storage.session.get('token');
      return token
        ? { token: token.token, tokenId: token.tokenId, expiresAt: token.expiresAt }
        : null;
    });
  } finally {
    await releaseTab(browser, page);
  }
}

/** The popup, opened in a tab of the popup's size (a toolbar popup cannot be automated). */
export async function openPopup(browser: ExtensionBrowser): Promise<Page> {
  const page = await takeTab(browser);
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.goto(extensionUrl(browser, 'popup.html'));
  await page.locator('main[data-ready="true"]').waitFor();
  return page;
}

/** Types the code printed by `hospiai-mcp pair` and waits for the popup's verdict. */
export async function pairInPopup(popup: Page, code: string): Promise<PopupNotice> {
  const folded = popup.locator('details.pair-details:not([open]) > summary');
  if ((await folded.count()) > 0) await folded.click();
  await popup.locator('#pair-code').fill(code);
  await popup.locator('form.pair button[type=submit]').click();
  const notice = popup.locator('[data-notice]');
  await notice.waitFor({ timeout: 20_000 });
  return {
    key: (await notice.getAttribute('data-notice')) ?? '',
    text: (await notice.textContent()) ?? '',
  };
}

export interface PopupNotice {
  key: string;
  text: string;
}

/** What the popup shows, read from its DOM (the patient's view, not the background's). */
export interface PopupSnapshot {
  login: string | null;
  token: string | null;
  tokenText: string;
  relays: Array<{ port: number; client: string; token: string }>;
  problems: Array<{ code: string; text: string }>;
  audit: Array<{ tool: string; outcome: string }>;
  consentScopes: string[];
}

export async function readPopupState(popup: Page): Promise<PopupSnapshot> {
  // One round trip once the popup is ready (~5 ms of CPU here; ~13 ms with a locator wait
  // first): the tests' polls read it thousands of times per run.
  for (;;) {
    const snapshot = await popup.evaluate(snapshotPopupDom);
    if (snapshot) return snapshot;
    await popup.locator('main[data-ready="true"]').waitFor();
  }
}

/**
 * Reads the popup's DOM, or null while it is not ready; runs in the page (Chromium's or
 * Firefox's), so it closes over nothing.
 */
export function snapshotPopupDom(): PopupSnapshot | null {
  if (!document.querySelector('main[data-ready="true"]')) return null;
  const all = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)];
  const one = (selector: string) => document.querySelector<HTMLElement>(selector);
  return {
    login: one('[data-login]')?.dataset.login ?? null,
    token: one('[data-token-state]')?.dataset.tokenState ?? null,
    tokenText: one('[data-section="token"]')?.textContent ?? '',
    relays: all('[data-relay-port]').map((li) => ({
      port: Number(li.dataset.relayPort),
      client: li.dataset.client ?? '',
      token: li.querySelector<HTMLElement>('[data-relay-token]')?.dataset.relayToken ?? '',
    })),
    problems: all('[data-problem]').map((li) => ({
      code: li.dataset.problem ?? '',
      text: li.textContent ?? '',
    })),
    audit: all('[data-tool]').map((li) => ({
      tool: li.dataset.tool ?? '',
      outcome: li.dataset.outcome ?? '',
    })),
    consentScopes: all('[data-section="consent"] input[type=checkbox]')
      .filter((box) => (box as HTMLInputElement).checked)
      .map((box) => (box as HTMLInputElement).value),
  };
}

/**
 * The text as rendered — what the patient reads: a closed fold's content is left out, which
 * `textContent` would include.
 */
export const rendered = (locator: Locator) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
  locator.innerText();

/** Clicks a popup button by its visible label. */
export async function clickPopupButton(popup: Page, label: string | RegExp): Promise<void> {
  await popup.getByRole('button', { name: label }).click();
}

export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
);

/** Saves the popup as it looks now, as a test artifact. */
export async function screenshotPopup(popup: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await popup.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until the popup lists `count` AI clients that all hold a token; returns them. */
export async function waitForRelaysWithToken(popup: Page, count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { relays } = await readPopupState(popup);
    if (relays.length === count && relays.every((relay) => relay.token === 'active')) return relays;
    if (Date.now() > deadline) {
      throw new Error(
        `expected ${count} AI clients with a token, the popup shows ${JSON.stringify(relays)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface ConnectPatientOptions extends ConsentChoices {
  portalUrl: string;
  patient: { email: string; password: string };
  /** Runs `hospiai-mcp pair` and returns the code it printed. */
  pairingCode: () => Promise<string>;
  /** How many running relays must end up holding the token. Default 1. */
  relays?: number;
  /** Told each step as it happens (the demo prints them). */
  onStep?: (text: string) => void;
}

/**
 * The patient's story in a browser whose extension is set up: log in, consent on the dashboard,
 * pair in the popup, and wait until every relay holds the token.
 */
export async function connectPatient(
  browser: ExtensionBrowser,
  options: ConnectPatientOptions,
): Promise<{ dashboard: Page; popup: Page }> {
  const step = options.onStep ?? (() => {});
  const dashboard = await loginToPortal(browser, options.portalUrl, options.patient);
  step(`Logged into the portal as ${options.patient.email}: the extension's banner points to it`);
  // One popup for both steps, as a patient who keeps it open does: the checklist moves from
  // "allow" to "connect" in place.
  const popup = await openPopup(browser);
  await consentInOpenPopup(popup, options);
  step('Consent given in the extension: a dedicated token is created through the portal');
  const notice = await pairInPopup(popup, await options.pairingCode());
  if (notice.key !== 'pair_done') throw new Error(`pairing failed: ${notice.text}`);
  step(`Paired in the popup: ${notice.text}`);
  const relays = await waitForRelaysWithToken(popup, options.relays ?? 1);
  step(`Token delivered to ${relays.map((relay) => relay.client || 'an AI client').join(', ')}`);
  return { dashboard, popup };
}

export interface PatientFlowOptions extends ConnectPatientOptions {
  /** The relays' bridge port range (HOSPIAI_MCP_PORTS). */
  ports: { first: number; last: number };
  /** Default: headless when there is no display. */
  headless?: boolean;
}

export interface PatientFlow {
  browser: ExtensionBrowser;
  dashboard: Page;
  popup: Page;
}

/**
 * Everything `npm start` shows of the extension: Chromium with the extension, set to the portal
 * and the relays' ports, then `connectPatient`. The caller closes `browser` — or leaves it open
 * for the person at the display.
 */
export async function runPatientFlow(options: PatientFlowOptions): Promise<PatientFlow> {
  const headless = options.headless ?? !process.env.DISPLAY;
  const browser = await launchBrowserWithExtension({ headless });
  try {
    options.onStep?.(
      `Chromium started${headless ? ' (headless)' : ''} with the extension ${browser.extensionId}`,
    );
    await configureExtension(browser, { portalOrigin: options.portalUrl, ports: options.ports });
    options.onStep?.(
      `Extension set to the portal ${options.portalUrl}, relay ports ${options.ports.first}–${options.ports.last}`,
    );
    return { browser, ...(await connectPatient(browser, options)) };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
