/**
 * The patient stays in charge after consenting: change the scopes (a new token with them, the
 * old one revoked), disconnect and reconnect the AI clients, withdraw consent altogether; and
 * the options refuse a portal address that would send the session in clear.
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
import {
  connectEverything,
  resultText,
  startScenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';

describe('managing consent from the popup', () => {
  it('changing the scopes provisions a token with the new scopes and revokes the old one', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
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
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);

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

  it('Stop and revoke withdraws consent, revokes the token everywhere and stops offering it', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
    const held = await readHeldToken(scenario.browser);

    await clickPopupButton(popup, 'Stop and revoke');
    await clickPopupButton(popup, 'Yes, stop and revoke');
    await expect.poll(async () => (await readPopupState(popup)).token).toBe('none');
    expect((await readPopupState(popup)).problems.map((p) => p.code)).toContain('consent_needed');
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(
      /^TOKEN_REVOKED: You withdrew/,
    );
    const old = await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
      headers: { Authorization: `Bearer ${held?.token}` },
    });
    expect(old.status).toBe(401);
  });

  it('another patient logging into the same browser is not covered by the first one’s consent', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { dashboard, popup } = await connectEverything(scenario);
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

  it('the options refuse a portal address that is plain HTTP on the network', async () => {
    const scenario = await startScenario();
    const options = await scenario.browser.context.newPage();
    await options.goto(extensionUrl(scenario.browser, 'options.html'));
    await options.locator('#portal-origin').fill('http://hospiai.example.fr');
    await options.locator('form.options button[type=submit]').click();
    const status = options.locator('#options-status');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('true');
    expect(await status.textContent()).toMatch(/must start with https:\/\//);
  });
});
