/**
 * The patient's story in real Chromium: nothing happens before consent; log in, consent, pair,
 * and the AI client's tool call returns the patient's data; then a second AI client gets the
 * token too.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  consentInPopup,
  hasExtensionPanel,
  loginToPortal,
  openPopup,
  pairInPopup,
  readPopupState,
} from '../support/browser';
import { recordConnections } from '../support/extension-port-recorder';
import {
  type FreshStory,
  freshStory,
  PATIENT,
  resultText,
  startScenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';
import { readPageDecision } from '../support/page-decision';

describe('consent, pairing and the first tool call', () => {
  it('creates no token and sends no frame before the patient consents', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const recorder = await recordConnections(scenario.ports.last);
    try {
      const dashboard = await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
      await dashboard.locator('#hospiai-mcp-consent').waitFor({ state: 'attached' });
      expect(await hasExtensionPanel(dashboard, 'consent')).toBe(true);
      // The page was decided (and nothing asked of the portal in doing it): point to the popup.
      expect((await readPageDecision(scenario.browser, dashboard))?.decision).toBe(
        'consent_offered',
      );

      const sessionChecks = () =>
        scenario.portal.requests.filter((r) => r.path === '/api/auth/session').length;
      const checksBefore = sessionChecks();
      const popup = await openPopup(scenario.browser);
      const state = await readPopupState(popup);
      expect(state.login).toBe('logged_in');
      expect(state.token).toBe('none');
      expect(state.problems.map((p) => p.code)).toEqual(
        expect.arrayContaining(['consent_needed', 'not_paired']),
      );
      // Opening the popup wakes the bridge, which finds nothing to try, then asks the portal
      // who is logged in: once that question arrived, the bridge's decision was taken (a
      // connection would have been opened before it).
      await expect.poll(sessionChecks).toBeGreaterThan(checksBefore);

      // No token was asked of the portal, and nothing reached any bridge port.
      expect(scenario.portal.requests.filter((r) => r.path.startsWith('/api/tokens'))).toEqual([]);
      expect(recorder.connections()).toBe(0);
      const status = (await relay.call('connection_status')).structuredContent as {
        tokenState: string;
        extension: { connections: number };
      };
      expect(status).toMatchObject({ tokenState: 'none', extension: { connections: 0 } });
      const answer = await relay.call('get_appointments', {});
      expect(answer.isError).toBe(true);
      expect(resultText(answer)).toMatch(/^NOT_PAIRED/);
    } finally {
      await recorder.close();
    }
  });
});

// The story of one install, in order: log in, consent and pair (the scenario is fresh when it
// begins: nothing before it in this block), then a second AI client joins the first. Each test
// judges the portal's requests since it began.
describe('log in, consent, pair, then a second AI client', () => {
  const story = freshStory() as FreshStory & { popup: Page };

  it('log in, consent, pair: the AI client gets the patient’s appointments', async () => {
    const { scenario, relay } = story;
    const since = scenario.portal.requests.length;
    const dashboard = await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    // The content script shows the banner once the background has answered it: waited for.
    await expect.poll(() => hasExtensionPanel(dashboard, 'consent')).toBe(true);
    await consentInPopup(scenario.browser, { allowReads: true });
    await expect
      .poll(() =>
        scenario.portal.requests
          .slice(since)
          .filter((r) => r.path === '/api/tokens/generate')
          .map((r) => r.status),
      )
      .toEqual([201]);

    const popup = await openPopup(scenario.browser);
    story.popup = popup;
    const notice = await pairInPopup(popup, await scenario.pairingCode());
    expect(notice.key).toBe('pair_done');
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 15_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Claude Desktop', token: 'active' }]);

    const result = await relay.call('get_appointments', {});
    expect(result.isError).toBeFalsy();
    const { appointments } = result.structuredContent as {
      appointments: Array<{ doctor: { name: string } }>;
    };
    expect(appointments.length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await readPopupState(popup)).audit.map((a) => a.tool), { timeout: 10_000 })
      .toContain('get_appointments');
  });

  it('then a second AI client gets the token too and shows in the popup by name', async () => {
    const { scenario, relay: claude, popup } = story;
    if (!popup) throw new Error('no popup: the patient was not connected by the test before');

    const cursor = await scenario.startRelay('Cursor');
    const relays = await waitForRelaysWithToken(popup, 2);
    expect(relays.map((relay) => relay.client).sort()).toEqual(['Claude Desktop', 'Cursor']);
    expect(await popup.locator('[data-assistant="Cursor"]').isVisible()).toBe(true);

    for (const relay of [claude, cursor]) {
      const result = await relay.call('get_appointments', {});
      expect(result.isError, resultText(result)).toBeFalsy();
    }
  });
});
