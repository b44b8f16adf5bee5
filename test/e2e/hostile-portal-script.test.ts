/**
 * A script on the portal's own origin (an XSS, a compromised dependency) rewrites who the page
 * says is logged in, plants another patient's valid token where the portal shows new tokens,
 * and draws its own "OK, close" over the extension's banner. The patient clicks what they see.
 * Nothing of it may get another patient's token into the relay, or any token without a yes
 * given in the extension's popup.
 */

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PATIENTS } from '../sandbox/portal';
import {
  clickInExtensionPanel,
  consentInPopup,
  openPopup,
  pairInPopup,
  readHeldToken,
  readPopupState,
  waitForRelaysWithToken,
} from '../support/browser';
import { PATIENT, resultText, type Scenario, startScenario } from '../support/extension-scenario';
import { readPageDecision, waitForPageDecision } from '../support/page-decision';

const LUCAS = DEMO_PATIENTS[1]!;

/**
 * The hostile script, in the page's main world from the first byte (as a bad dependency runs):
 * the body claims Lucas, the header shows his name, a token of his sits where new tokens are
 * shown, and a full-page overlay that lets clicks through covers the extension's banner.
 */
function hostileScript({ id, name, token, tokenId }: Record<string, string>) {
  const rewrite = () => {
    if (document.body && document.body.getAttribute('data-patient-id') !== id) {
      document.body.setAttribute('data-patient-id', id ?? '');
    }
    const header = document.getElementById('patient-name');
    if (header && header.textContent !== name) header.textContent = name ?? '';
    const main = document.querySelector('main#tokens-page');
    if (main && !document.getElementById('new-token-secret')) {
      const section = document.createElement('section');
      section.id = 'new-token';
      section.innerHTML = `<code id="new-token-secret" data-token-id="${tokenId}">${token}</code>`;
      main.prepend(section);
    }
    if (!document.getElementById('hostile-overlay')) {
      const overlay = document.createElement('div');
      overlay.id = 'hostile-overlay';
      overlay.style.cssText =
        'position:fixed;inset:0;z-index:2147483647;pointer-events:none;background:#fff;' +
        'display:flex;align-items:flex-end;justify-content:flex-end;padding:40px;font:20px sans-serif';
      overlay.textContent = 'Cookies are fine. OK, close';
      document.documentElement.append(overlay);
    }
  };
  document.addEventListener('DOMContentLoaded', rewrite);
  new MutationObserver(rewrite).observe(document, { childList: true, subtree: true });
}

/**
 * A tab of the portal with the hostile script in it from the first byte of every page it loads.
 * Added to the tab, not to the browser context: the script is the portal's (it never runs in the
 * extension's pages), and the file's shared browser stays clean for the next test (browser.ts).
 */
async function hostilePortalTab(scenario: Scenario, args: Record<string, string>): Promise<Page> {
  const page = await scenario.browser.context.newPage();
  await page.addInitScript(hostileScript, args);
  return page;
}

describe('a hostile script on the portal page', () => {
  it('cannot get another patient’s token, nor any token, into the relay', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const lucas = await scenario.portal.issueToken({
      email: LUCAS.email,
      scopes: ['read:data', 'book:appointments'],
    });
    const hostile = { id: LUCAS.id, name: LUCAS.name, token: lucas.token, tokenId: lucas.id };

    // Camille logs in; the page claims to be Lucas's.
    const dashboard = await hostilePortalTab(scenario, hostile);
    await dashboard.goto(`${scenario.portal.url}/login`);
    await dashboard.locator('input[name=email]').fill(PATIENT.email);
    await dashboard.locator('input[name=password]').fill(PATIENT.password);
    await Promise.all([
      dashboard.waitForURL(`${scenario.portal.url}/dashboard`),
      dashboard.locator('#login-form button[type=submit]').click(),
    ]);
    expect(await dashboard.getAttribute('body', 'data-patient-id')).toBe(LUCAS.id);
    const popup = await openPopup(scenario.browser);
    const pair = await pairInPopup(popup, await scenario.pairingCode());
    expect(pair.key).toBe('pair_done');

    // The extension knows Camille is logged in: it asked the portal, not the page.
    await expect
      .poll(async () => popup.locator('[data-login]').textContent())
      .toContain(PATIENT.name);
    expect(await popup.locator('[data-login]').textContent()).not.toContain(LUCAS.name);

    // The patient clicks "OK, close" where the extension's banner is: that grants nothing.
    await dashboard.locator('#hospiai-mcp-consent').waitFor({ state: 'attached' });
    expect((await readPageDecision(scenario.browser, dashboard))?.decision).toBe('consent_offered');
    const popups = () =>
      scenario.browser.context.pages().filter((page) => page.url().endsWith('/popup.html')).length;
    const popupsBefore = popups();
    // A real mouse click at the banner's primary button, through the overlay drawn over it.
    await clickInExtensionPanel(dashboard, '#hospiai-mcp-consent', 'button.primary');
    // All the click on the banner did: open the extension's own page, out of the page's reach.
    await expect.poll(popups).toBe(popupsBefore + 1);
    // The page it opened shows the background's state after the click: consent still to give.
    const opened = scenario.browser.context
      .pages()
      .filter((page) => page.url().endsWith('/popup.html') && page !== popup);
    expect(opened).toHaveLength(1);
    expect((await readPopupState(opened[0]!)).problems.map((p) => p.code)).toContain(
      'consent_needed',
    );
    expect(scenario.portal.requests.filter((r) => r.path.startsWith('/api/tokens'))).toEqual([]);
    expect(await readHeldToken(scenario.browser)).toBeNull();

    // The Tokens page shows Lucas's (valid) token: it is never offered, never taken.
    const tokensPage = await hostilePortalTab(scenario, hostile);
    await tokensPage.goto(`${scenario.portal.url}/dashboard/tokens`);
    await expect.poll(() => tokensPage.locator('#new-token-secret').count()).toBe(1);
    // The extension decided for this page: the portal does not vouch for Lucas's token as Camille's.
    expect((await waitForPageDecision(scenario.browser, tokensPage)).decision).toBe(
      'capture_rejected',
    );
    expect(await tokensPage.locator('#hospiai-mcp-capture').count()).toBe(0);
    expect(await popup.locator('section[data-section="capture"]').count()).toBe(0);
    expect(await readHeldToken(scenario.browser)).toBeNull();
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(/^NO_TOKEN/);

    // Camille consents in the popup: the relay answers for Camille, never for Lucas.
    await consentInPopup(scenario.browser, { allowReads: true });
    await waitForRelaysWithToken(popup, 1);
    const held = await readHeldToken(scenario.browser);
    expect(held?.tokenId).not.toBe(lucas.id);
    const status = (await relay.call('connection_status')).structuredContent as {
      patient?: { email: string };
    };
    expect(status.patient?.email).toBe(PATIENT.email);
    expect((await readPopupState(popup)).login).toBe('logged_in');
  });
});
