/**
 * The extension's popup as the patient sees it (opened in a tab of its size: a toolbar popup
 * cannot be automated): consent, the token capture, pairing, what it shows, its buttons.
 */

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import {
  type ExtensionBrowser,
  extensionUrl,
  POPUP_VIEWPORT,
  releaseTab,
  takeTab,
} from './chromium-fixture';
import { waitFor } from './wait-for';
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
export async function consentInOpenPopup(popup: Page, choices: ConsentChoices): Promise<void> {
  const panel = popup.locator('section[data-section="consent"]');
  for (const scope of choices.extraScopes ?? []) {
    await panel.locator(`input[value="${scope}"]`).check();
  }
  if (choices.allowReads) await panel.getByLabel(/read without asking/i).check();
  await panel.locator('button.primary').click();
  await expectConsentGranted(popup);
}

async function expectConsentGranted(popup: Page, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => consentGranted((await readPopupState(popup)).problems), {
    timeout: timeoutMs,
    interval: E2E_POLL_MS,
  });
}

/** A poll's pace in the real-browser tests: each reads a page (~20 ms of CPU). */
export const E2E_POLL_MS = 250;

/** Throws, saying what the popup shows instead, while it still asks for consent. */
export function consentGranted(problems: PopupSnapshot['problems']): void {
  const pending = problems.filter(
    (p) => p.code === 'consent_needed' || p.code === 'access_revoked',
  );
  if (pending.length > 0) {
    throw new Error(`the popup never showed the consent granted: ${JSON.stringify(pending)}`);
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
export function waitForRelaysWithToken(popup: Page, count: number, timeoutMs = 20_000) {
  return waitFor(async () => relaysWithToken((await readPopupState(popup)).relays, count), {
    timeout: timeoutMs,
    interval: E2E_POLL_MS,
  });
}

/** The relays when there are `count` and all hold a token; else throws, saying what it shows. */
export function relaysWithToken(relays: PopupSnapshot['relays'], count: number) {
  if (relays.length === count && relays.every((relay) => relay.token === 'active')) return relays;
  throw new Error(
    `expected ${count} AI clients with a token, the popup shows ${JSON.stringify(relays)}`,
  );
}
