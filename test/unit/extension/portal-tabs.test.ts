/**
 * The background's calls into a portal tab (portal-tabs.ts): a tab whose page is still loading
 * when the call is made — the dashboard whose content script has just said a patient logged in
 * — is waited for, not given up on; a tab that is no longer on the portal gets nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { callPortalTab } from '../../../extension/portal/portal-tabs';

const ORIGIN = 'http://127.0.0.1:47600';
const TAB_ID = 7;
const REQUEST = { name: 'HospiAI MCP', scopes: ['read:data'], expiresInDays: 1 };

/** The tab as `tabs.get` shows it, look after look. */
function tabLooks(...looks: Array<{ url: string; status: 'loading' | 'complete' }>) {
  let index = 0;
  vi.spyOn(browser.tabs, 'get').mockImplementation((async (tabId: number) => {
    const look = looks[Math.min(index++, looks.length - 1)];
    return { id: tabId, index: 0, active: true, pinned: false, ...look };
  }) as typeof browser.tabs.get);
}

describe('calling the portal through a tab', () => {
  let sent: Array<{ tabId: number; message: unknown }>;
  beforeEach(() => {
    fakeBrowser.reset();
    sent = [];
    browser.tabs.sendMessage = (async (tabId: number, message: unknown) => {
      sent.push({ tabId, message });
      return { ok: true, status: 201, body: {} };
    }) as typeof browser.tabs.sendMessage;
  });
  afterEach(() => vi.restoreAllMocks());

  it('waits for a portal tab that is still loading, then asks its content script', async () => {
    tabLooks(
      { url: `${ORIGIN}/dashboard`, status: 'loading' },
      { url: `${ORIGIN}/dashboard`, status: 'loading' },
      { url: `${ORIGIN}/dashboard`, status: 'complete' },
    );
    const call = await callPortalTab(ORIGIN, 'portal:generateToken', REQUEST, { tabId: TAB_ID });
    expect(call).toEqual({ ok: true, answer: { ok: true, status: 201, body: {} }, tabId: TAB_ID });
    expect(sent).toEqual([
      { tabId: TAB_ID, message: { type: 'portal:generateToken', data: REQUEST } },
    ]);
  });

  it('sends nothing to a tab that has left the portal while it loaded', async () => {
    tabLooks(
      { url: `${ORIGIN}/dashboard`, status: 'loading' },
      { url: 'https://elsewhere.example/', status: 'complete' },
    );
    const call = await callPortalTab(ORIGIN, 'portal:generateToken', REQUEST, { tabId: TAB_ID });
    expect(call).toEqual({ ok: false, reason: 'no_portal_tab' });
    expect(sent).toEqual([]);
  });
});
