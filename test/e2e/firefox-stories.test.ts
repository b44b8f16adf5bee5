/**
 * The patient's stories in Firefox ESR with the Firefox MV3 add-on (an event page, not a service
 * worker; a per-install moz-extension:// origin): install, log in, consent and auto-provision,
 * pair, the token delivered and a tool answered through a stdio relay; revoke; a relay restarted
 * while the event page sleeps; the portal's host permission withdrawn and granted again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PATIENT, resultText } from '../support/extension-scenario';
import {
  clickFirefoxPopupButton,
  configureFirefoxExtension,
  loginToPortalInFirefox,
  openExtensionPage,
  readFirefoxPopupState,
  readHeldTokenInFirefox,
  waitForEventPageSuspended,
  waitForFirefoxRelaysWithToken,
} from '../support/firefox';
import {
  connectEverythingInFirefox,
  type FirefoxScenario,
  startFirefoxScenario,
} from '../support/firefox-scenario';
import { readPageDecisionInFirefox } from '../support/page-decision';
import type { StdioRelay } from '../support/stdio-relay';

/**
 * One Firefox for the whole file (a launch costs ~6 s of CPU), so one set of preferences:
 * - Firefox suspends an idle event page after 30 s by default; 2 s here, so that it may sleep
 *   between the steps of every story (whatever connections it held, the alarm it keeps while
 *   paired wakes it to find the relays again).
 * - The optional-permission prompt is browser UI that automation cannot click: this answers it
 *   yes. Only the withdrawn-access story asks (a granted permission is never prompted for).
 */
const FIREFOX_PREFS = {
  'extensions.background.idle.timeout': 2_000,
  'extensions.webextOptionalPermissionPrompts': false,
};

describe('Firefox', () => {
  // These stories continue one another on one install (installed, logged in, consented, paired
  // once): the first checks what connecting did, the next restart a relay, then revoke.
  describe('a patient who connected an AI client', () => {
    let scenario: FirefoxScenario;
    let popup: Page;
    let relay: StdioRelay;
    beforeAll(async () => {
      scenario = await startFirefoxScenario({ prefs: FIREFOX_PREFS, lifetime: 'suite' });
      try {
        relay = await scenario.startRelay('Claude Desktop');
        ({ popup } = await connectEverythingInFirefox(scenario));
      } catch (error) {
        await scenario.close();
        throw error;
      }
      return () => scenario.close();
    });

    it('install, log in, consent, pair: the AI client gets the patient’s appointments', async () => {
      expect(
        scenario.portal.requests
          .filter((r) => r.path === '/api/tokens/generate')
          .map((r) => r.status),
      ).toEqual([201]);
      const held = await readHeldTokenInFirefox(popup);
      expect(held?.tokenId).toBeTruthy();
      await relay.client.listTools();
      const result = await relay.call('get_appointments', {});
      expect(result.isError, resultText(result)).toBeFalsy();
      // The relay pinned this install's origin into the pairing.
      const { pairings } = JSON.parse(
        await readFile(path.join(scenario.home, 'pairings.json'), 'utf8'),
      ) as { pairings: Array<{ origin?: string }> };
      expect(pairings.map((p) => p.origin)).toEqual([scenario.firefox.origin]);
    });

    it('relay killed and restarted while the event page sleeps: the add-on reconnects and the tool works again', async () => {
      await relay.client.listTools();
      expect((await relay.call('get_appointments', {})).isError).toBeFalsy();
      // Past the 2 s idle timeout Firefox suspends the event page: the relay goes while it sleeps.
      await waitForEventPageSuspended(popup);

      process.kill(relay.pid ?? 0, 'SIGKILL');
      scenario.relays.splice(scenario.relays.indexOf(relay), 1);
      relay = await scenario.startRelay('Claude Desktop');
      await waitForFirefoxRelaysWithToken(popup, 1, 45_000);
      // The popup may still list the killed relay (same port, same client) until the event page
      // wakes: the new relay's own word is that it holds the token.
      const tokenState = async () =>
        ((await relay.call('connection_status')).structuredContent as { tokenState: string })
          .tokenState;
      await expect.poll(tokenState, { timeout: 45_000, interval: 1_000 }).toBe('active');
      await relay.client.listTools();
      const result = await relay.call('get_appointments', {});
      expect(result.isError, resultText(result)).toBeFalsy();
    });

    it('revoke in the popup: the portal answers 401 for the old token and the relay answers that the patient withdrew access', async () => {
      await waitForFirefoxRelaysWithToken(popup, 1);
      const held = await readHeldTokenInFirefox(popup);
      if (!held) throw new Error('the add-on holds no token after consent');
      const portalSays = async () =>
        (
          await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
            headers: { Authorization: `Bearer ${held.token}` },
          })
        ).status;
      expect(await portalSays()).toBe(200);

      await clickFirefoxPopupButton(popup, 'Stop and revoke');
      await clickFirefoxPopupButton(popup, 'Yes, stop and revoke');
      await expect
        .poll(async () => popup.$eval('[data-notice]', (el) => el.getAttribute('data-notice')), {
          timeout: 15_000,
        })
        .toBe('revoke_done');
      expect((await readFirefoxPopupState(popup)).token).toBe('none');
      expect(
        scenario.portal.requests.find((r) => r.method === 'DELETE' && r.path === '/api/tokens/mcp')
          ?.status,
      ).toBe(200);
      expect(await portalSays()).toBe(401);
      expect(await readHeldTokenInFirefox(popup)).toBeNull();
      await relay.client.listTools();
      const result = await relay.call('get_appointments', {});
      expect(result.isError).toBe(true);
      expect(resultText(result)).toMatch(/^TOKEN_REVOKED/);
    });
  });

  it('portal access withdrawn by the patient: nothing runs on the portal until the options page asks for it again', async () => {
    const scenario = await startFirefoxScenario({ prefs: FIREFOX_PREFS });
    const loopback = { origins: ['http://127.0.0.1/*'] };
    // One options tab throughout, as a patient keeps it open.
    const options = await openExtensionPage(scenario.firefox, 'options.html');
    // What about:addons → Permissions does when the patient switches the portal's access off.
    const granted = (await options.evaluate(async (perms) => {
      const { browser } = globalThis as unknown as PermissionsGlobals;
      await browser.permissions.remove(perms);
      return browser.permissions.contains(perms);
    }, loopback)) as boolean;
    expect(granted).toBe(false);

    // Nothing runs on the dashboard: no banner (and, checked once access is back, no decision).
    const dashboard = await loginToPortalInFirefox(scenario.firefox, scenario.portal.url, PATIENT);
    expect(await dashboard.$('#hospiai-mcp-consent')).toBeNull();

    // Saving the settings asks for the portal's access again (inside the click), and it is back.
    await configureFirefoxExtension(
      scenario.firefox,
      { portalOrigin: scenario.portal.url, ports: scenario.ports },
      options,
    );
    expect(
      await options.evaluate(
        (perms) =>
          (globalThis as unknown as PermissionsGlobals).browser.permissions.contains(perms),
        loopback,
      ),
    ).toBe(true);
    await dashboard.reload();
    await dashboard.waitForSelector('#hospiai-mcp-consent', { timeout: 10_000 });
    // That was the tab's first decision: a content script that had run on the page loaded
    // without access would have reported to the worker long before this reload.
    expect(await readPageDecisionInFirefox(options, dashboard.url())).toEqual({
      decision: 'consent_offered',
      reports: 1,
    });
  });
});

interface PermissionsGlobals {
  browser: {
    permissions: {
      remove(perms: { origins: string[] }): Promise<boolean>;
      contains(perms: { origins: string[] }): Promise<boolean>;
    };
  };
}
