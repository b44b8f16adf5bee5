/**
 * What the extension last decided for a portal tab (extension/background/page-decisions.ts),
 * read where only the extension's own contexts reach: its storage.session, from the service
 * worker in Chromium or from one of the add-on's pages in Firefox. The event a "nothing was
 * offered on this page" check waits for — the extension got as far as deciding — instead of a
 * fixed time. The tab is found by its URL, which must be the only tab with it.
 */
import type { Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import type { ExtensionBrowser } from './chromium-fixture';
import { E2E_POLL_MS } from './popup-page';
import { waitFor } from './wait-for';

export interface TabDecision {
  decision: string;
  /** How many decisions the tab has had: one per portal page it loaded. */
  reports: number;
}

type Found = { tabs: number; entry: TabDecision | null };

/** Runs in the extension (worker or page): closes over nothing. */
async function findTabDecision(url: string): Promise<Found> {
  interface Api {
    tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> };
    storage: {
      session: {
        get(key: string): Promise<{ pageDecisions?: Array<TabDecision & { tabId: number }> }>;
      };
    };
  }
  const scope = globalThis as unknown as { browser?: Api; chrome?: Api };
  const api = (scope.browser ?? scope.chrome) as Api;
  const tabs = (await api.tabs.query({})).filter((tab) => tab.url === url);
  if (tabs.length !== 1) return { tabs: tabs.length, entry: null };
  const { pageDecisions = [] } = await api.storage.session.get('pageDecisions');
  const entry = pageDecisions.find((candidate) => candidate.tabId === tabs[0]?.id);
  return { tabs: 1, entry: entry ? { decision: entry.decision, reports: entry.reports } : null };
}

function decisionOf(found: Found, url: string): TabDecision | null {
  if (found.tabs !== 1) throw new Error(`${found.tabs} tabs show ${url}: which one is meant?`);
  return found.entry;
}

/** The decision for the tab showing `page` (Chromium), or null when it has had none. */
export async function readPageDecision(
  browser: ExtensionBrowser,
  page: Page,
): Promise<TabDecision | null> {
  const url = page.url();
  const worker = await browser.serviceWorker();
  return decisionOf(await worker.evaluate(findTabDecision, url), url);
}

/**
 * Waits until the tab showing `page` has had more than `after` decisions (0: any), and returns
 * the latest — after a reload, pass what it had before.
 */
export function waitForPageDecision(
  browser: ExtensionBrowser,
  page: Page,
  after = 0,
  timeout = 10_000,
): Promise<TabDecision> {
  return waitFor(
    async () => {
      const found = await readPageDecision(browser, page);
      if (!found || found.reports <= after) {
        throw new Error(`no decision for ${page.url()} after ${after}: ${JSON.stringify(found)}`);
      }
      return found;
    },
    { timeout, interval: E2E_POLL_MS },
  );
}

/** The same in Firefox, read from one of the add-on's pages already open (options, popup). */
export async function readPageDecisionInFirefox(
  extensionPage: FirefoxPage,
  url: string,
): Promise<TabDecision | null> {
  return decisionOf(await extensionPage.evaluate(findTabDecision, url), url);
}
