/**
 * The background's way into the portal: the portal refuses cross-site requests on its cookie
 * routes, so every call that needs the patient's session is made by our content script in a
 * portal tab (same origin). This module finds such a tab — or opens one in the background when
 * asked — makes sure our content script is there, and relays one request to it.
 */
import { browser } from 'wxt/browser';
import { isOnOrigin, originMatchPattern } from '../config/portal-origin';
import { type ContentRequests, sendToContent } from '../messaging/protocol-map';

export const PORTAL_CONTENT_SCRIPT_ID = 'hospiai-portal';
export const PORTAL_CONTENT_SCRIPT_FILE = 'content-scripts/content.js';

/** How long an opened tab may take to load and answer. */
const TAB_READY_TIMEOUT_MS = 15_000;
const TAB_READY_POLL_MS = 250;
/**
 * How long a portal tab that is still loading is waited for. The content script runs at
 * `document_idle`, which may come before the tab counts as loaded: the page it sits in — the
 * dashboard that has just told the background a patient logged in — is still "loading" for a
 * moment, longer on a busy machine.
 */
const TAB_LOADING_WAIT_MS = 5_000;

export type PortalTabCall =
  | { ok: true; answer: unknown; tabId: number }
  | { ok: false; reason: 'no_portal_tab' | 'no_answer' };

export interface PortalTabCallOptions {
  /** Use this tab (the one a content-script message came from). */
  tabId?: number;
  /** No portal tab open: open this path in a background tab, and close it afterwards. */
  openPath?: string;
}

/** Registers our content script for exactly the configured origin (and no other). */
export async function registerPortalContentScript(origin: string): Promise<void> {
  const matches = [originMatchPattern(origin)];
  const existing = await browser.scripting.getRegisteredContentScripts({
    ids: [PORTAL_CONTENT_SCRIPT_ID],
  });
  const current = existing[0];
  if (current && JSON.stringify(current.matches) === JSON.stringify(matches)) return;
  if (current)
    await browser.scripting.unregisterContentScripts({ ids: [PORTAL_CONTENT_SCRIPT_ID] });
  await browser.scripting.registerContentScripts([
    {
      id: PORTAL_CONTENT_SCRIPT_ID,
      matches,
      js: [PORTAL_CONTENT_SCRIPT_FILE],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    },
  ]);
}

/** Open tabs on exactly the portal origin, the active one first. */
export async function findPortalTabs(origin: string): Promise<number[]> {
  const tabs = await browser.tabs.query({ url: originMatchPattern(origin) });
  return tabs
    .filter((tab) => tab.id !== undefined && isOnOrigin(tab.url, origin))
    .sort((a, b) => Number(b.active) - Number(a.active))
    .map((tab) => tab.id as number);
}

export async function openPortalTab(
  origin: string,
  path: string,
  active: boolean,
): Promise<number> {
  const tab = await browser.tabs.create({ url: new URL(path, origin).href, active });
  if (tab.id === undefined) throw new Error('the browser did not give the new tab an id');
  return tab.id;
}

/** Sends one request to the content script of a portal tab; see PortalTabCallOptions. */
export async function callPortalTab<K extends keyof ContentRequests>(
  origin: string,
  type: K,
  data: ContentRequests[K],
  options: PortalTabCallOptions = {},
): Promise<PortalTabCall> {
  const candidates = options.tabId !== undefined ? [options.tabId] : await findPortalTabs(origin);
  for (const tabId of candidates) {
    const answer = await askTab(tabId, origin, type, data, TAB_LOADING_WAIT_MS);
    if (answer.ok) return answer;
  }
  if (!options.openPath) return { ok: false, reason: 'no_portal_tab' };

  const tabId = await openPortalTab(origin, options.openPath, false);
  try {
    const deadline = Date.now() + TAB_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const answer = await askTab(tabId, origin, type, data, deadline - Date.now());
      if (answer.ok) return answer;
      await new Promise((resolve) => setTimeout(resolve, TAB_READY_POLL_MS));
    }
    return { ok: false, reason: 'no_answer' };
  } finally {
    await browser.tabs.remove(tabId).catch(() => {});
  }
}

async function askTab<K extends keyof ContentRequests>(
  tabId: number,
  origin: string,
  type: K,
  data: ContentRequests[K],
  loadingWaitMs: number,
): Promise<PortalTabCall> {
  const tab = await loadedTab(tabId, loadingWaitMs);
  // The tab may have navigated away since it was chosen: never send a request off-origin.
  if (!tab || !isOnOrigin(tab.url, origin) || tab.status !== 'complete') {
    return { ok: false, reason: 'no_answer' };
  }
  try {
    return { ok: true, answer: await sendToContent(tabId, type, data), tabId };
  } catch {
    // No content script in this tab yet (opened before the script was registered): inject it.
    try {
      await browser.scripting.executeScript({
        target: { tabId },
        files: [`/${PORTAL_CONTENT_SCRIPT_FILE}`],
      });
      return { ok: true, answer: await sendToContent(tabId, type, data), tabId };
    } catch {
      return { ok: false, reason: 'no_answer' };
    }
  }
}

/** The tab once it is no longer loading (or as it is after `waitMs`); null when it is gone. */
async function loadedTab(tabId: number, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (tab?.status !== 'loading' || Date.now() >= deadline) return tab;
    await new Promise((resolve) => setTimeout(resolve, TAB_READY_POLL_MS));
  }
}
