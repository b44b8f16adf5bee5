/**
 * The patient stays in charge after consenting: change the scopes (a new token with them, the
 * old one revoked), disconnect and reconnect the AI clients, hand the browser to another patient;
 * and the options refuse a portal address that would send the session in clear. (Withdrawing
 * consent altogether, Stop and revoke, is revoke.test.ts's story.)
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PATIENTS } from '../sandbox/portal';
import {
  clickPopupButton,
  extensionUrl,
  loginToPortal,
  readHeldToken,
  readPopupState,
} from '../support/browser';
import { connectedStory, resultText, waitForRelaysWithToken } from '../support/extension-scenario';

// One story on one install, in this order: the patient (connected, Claude Desktop's relay) changes
// the scopes, pauses and resumes, tries a plain-HTTP portal address in the options (refused:
// nothing changes), and last logs out for another patient — which ends the story.
describe('managing consent from the popup', () => {
  const story = connectedStory();

  it('changing the scopes provisions a token with the new scopes and revokes the old one', async () => {
    const { scenario, relay, popup } = story;
    const { browser } = scenario;
    const before = await readHeldToken(browser);

    await popup.locator('[data-section="consent"] input[value="book:appointments"]').check();
    await clickPopupButton(popup, 'Change permissions');
    await expect
      .poll(async () => (await readHeldToken(browser))?.tokenId, {
        timeout: 10_000,
      })
      .not.toBe(before?.tokenId);
    await waitForRelaysWithToken(popup, 1);
    const status = (await relay.call('connection_status')).structuredContent as {
      scopes: string[];
    };
    expect(status.scopes.sort()).toEqual(['book:appointments', 'read:data']);
    expect((await readPopupState(popup)).consentScopes.sort()).toEqual([
      'book:appointments',
      'read:data',
    ]);
    const old = await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
      headers: { Authorization: `Bearer ${before?.token}` },
    });
    expect(old.status).toBe(401);
  });

  it('Pause wipes the token from the AI clients until the patient resumes', async () => {
    const { relay, popup } = story;

    await clickPopupButton(popup, 'Pause');
    await expect
      .poll(async () => (await readPopupState(popup)).problems.map((p) => p.code))
      .toContain('bridge_disabled');
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(/^NO_TOKEN: You paused/);

    await clickPopupButton(popup, 'Resume');
    await waitForRelaysWithToken(popup, 1);
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  it('the options refuse a portal address that is plain HTTP on the network', async () => {
    const { browser } = story.scenario;
    const options = await browser.context.newPage();
    await options.goto(extensionUrl(browser, 'options.html'));
    await options.locator('#portal-origin').fill('http://hospiai.example.fr');
    await options.locator('form.options button[type=submit]').click();
    const status = options.locator('#options-status');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('true');
    expect(await status.textContent()).toMatch(/must start with https:\/\//);
    await options.close();
  });

  // Ends the story: the first patient logs out.
  it('another patient logging into the same browser is not covered by the first one’s consent (ends the story)', async () => {
    const { scenario, relay, dashboard, popup } = story;
    await Promise.all([dashboard.waitForURL(/\/login/), dashboard.locator('#logout').click()]);
    await expect.poll(async () => (await readPopupState(popup)).token).toBe('none');
    const generated = () =>
      scenario.portal.requests.filter((r) => r.path === '/api/tokens/generate').length;
    const before = generated();

    const other = DEMO_PATIENTS[1];
    if (!other) throw new Error('the sandbox has a second demo patient');
    const lucas = await loginToPortal(scenario.browser, scenario.portal.url, other);
    await lucas.locator('#hospiai-mcp-consent').waitFor({ state: 'attached' });
    expect(generated()).toBe(before);
    expect(await readHeldToken(scenario.browser)).toBeNull();
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(/^NO_TOKEN/);
  });
});
