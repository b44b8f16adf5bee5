/**
 * Revoke means revoked: "Stop and revoke" in the popup (one click, and a confirmation that says what
 * will happen) withdraws consent and forgets the pairing, the portal refuses the old token and
 * every relay has forgotten it — also when no portal tab is open, after which the patient can come
 * back from the popup.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  clickPopupButton,
  consentInPopup,
  pairInPopup,
  readHeldToken,
  readPopupState,
  rendered,
  screenshotPopup,
  waitForRelaysWithToken,
} from '../support/browser';
import { connectedStory, resultText, type Story } from '../support/extension-scenario';
import { waitForPageDecision } from '../support/page-decision';

/** Each step of the popup's checklist as `id:status`. */
const checklistSteps = (popup: Page) =>
  popup.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-section="checklist"] li')].map(
      (li) => `${li.dataset.step}:${li.dataset.status}`,
    ),
  );

/** The portal tabs open in the story's browser. */
const portalTabs = (story: Story): Page[] =>
  story.scenario.browser.context
    .pages()
    .filter((page) => page.url().startsWith(story.scenario.portal.url));

// One story on one install, in this order: the patient (connected, Claude Desktop's relay) closes
// the portal tab, stops and revokes, and comes back from the popup (connected again); then
// Cursor's relay joins, and Stop and revoke, with a portal tab open, ends the story. (Stop and
// revoke while paused is popup-checklist.test.ts's story.)
describe('revoking from the popup', () => {
  const story = connectedStory();

  it('with no portal tab open, Stop and revoke opens one in the background, revokes, and the patient can come back from the popup', async () => {
    const { scenario, relay, popup } = story;
    const held = await readHeldToken(scenario.browser);
    for (const tab of portalTabs(story)) await tab.close();

    await clickPopupButton(popup, 'Stop and revoke');
    await clickPopupButton(popup, 'Yes, stop and revoke');
    await expect
      .poll(async () => popup.locator('[data-notice]').getAttribute('data-notice'), {
        timeout: 20_000,
      })
      .toBe('revoke_done');
    const old = await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
      headers: { Authorization: `Bearer ${held?.token}` },
    });
    expect(old.status).toBe(401);
    // The tab it opened for this is gone again.
    expect(portalTabs(story)).toEqual([]);
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(/^TOKEN_REVOKED/);
    // Consent withdrawn and the pairing forgotten: the checklist starts again at "allow".
    // (The popup's state follows the background's within a moment.)
    await expect
      .poll(async () => (await readPopupState(popup)).problems.map((p) => p.code))
      .toEqual(['consent_needed', 'not_paired']);

    // The dashboard respects that choice (no banner asking again); coming back is the
    // checklist's way: allow in the extension's window, then connect again.
    const again = await scenario.browser.context.newPage();
    await again.goto(`${scenario.portal.url}/dashboard`);
    expect((await waitForPageDecision(scenario.browser, again)).decision).toBe(
      'no_offer_withdrawn',
    );
    expect(await again.locator('#hospiai-mcp-consent').count()).toBe(0);
    await consentInPopup(scenario.browser, { allowReads: true });
    expect((await pairInPopup(popup, await scenario.pairingCode())).key).toBe('pair_done');
    await waitForRelaysWithToken(popup, 1);
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  // Ends the story: consent withdrawn, the token revoked, the pairing forgotten.
  it('Stop and revoke says what will happen, then withdraws consent, revokes at the portal (401 for the old token), forgets the pairing, and both relays answer "you withdrew access" (ends the story)', async () => {
    const { scenario, relay: claude, popup } = story;
    // Revoked through the session from a portal tab (without one, see the test above).
    if (portalTabs(story).length === 0) {
      const tab = await scenario.browser.context.newPage();
      await tab.goto(`${scenario.portal.url}/dashboard`);
    }
    const cursor = await scenario.startRelay('Cursor');
    await waitForRelaysWithToken(popup, 2);
    const held = await readHeldToken(scenario.browser);
    if (!held) throw new Error('the extension holds no token after consent');
    const portalSays = async () => {
      const response = await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
        headers: { Authorization: `Bearer ${held.token}` },
      });
      return { status: response.status, code: ((await response.json()) as { code?: string }).code };
    };
    expect((await portalSays()).status).toBe(200);
    // The relay's bearer calls so far all succeeded: remember how many, to find the next ones.
    const bearerCalls = () => scenario.portal.requests.filter((r) => r.auth === 'bearer') ?? [];
    const since = scenario.portal.requests.length;

    await clickPopupButton(popup, 'Stop and revoke');
    const confirm = popup.locator('[data-stop-confirm]');
    expect(await rendered(confirm)).toMatch(/cancel your assistants' access at HospiAI/);
    expect(await rendered(confirm)).toMatch(/forget the connection/);
    // Keeping it changes nothing.
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect(await readHeldToken(scenario.browser)).not.toBeNull();
    await clickPopupButton(popup, 'Stop and revoke');
    await screenshotPopup(popup, '14-stop-and-revoke-confirm');
    await clickPopupButton(popup, 'Yes, stop and revoke');
    await expect
      .poll(async () => popup.locator('[data-notice]').getAttribute('data-notice'), {
        timeout: 15_000,
      })
      .toBe('revoke_done');
    expect((await readPopupState(popup)).token).toBe('none');
    expect((await readPopupState(popup)).problems.map((p) => p.code)).toContain('consent_needed');

    // The portal revoked it (DELETE through the session, from the portal tab): 401 from now on.
    const revocation = scenario.portal.requests
      .slice(since)
      .find((r) => r.method === 'DELETE' && r.path === '/api/tokens/mcp');
    expect(revocation?.status).toBe(200);
    expect(await portalSays()).toEqual({ status: 401, code: 'token_revoked' });
    expect(await readHeldToken(scenario.browser)).toBeNull();

    for (const relay of [claude, cursor]) {
      const result = await relay.call('get_appointments', {});
      expect(result.isError).toBe(true);
      expect(resultText(result)).toMatch(/^TOKEN_REVOKED: You withdrew/);
    }
    // And no bearer request carried the revoked token after the revocation.
    const afterRevocation = bearerCalls().filter((r) => r.status === 200).length;
    await claude.call('get_appointments', {});
    expect(bearerCalls().filter((r) => r.status === 200).length).toBe(afterRevocation);

    // The pairing forgotten: the checklist starts again at allowing.
    await expect
      .poll(() => popup.locator('[data-paired]').getAttribute('data-paired'))
      .toBe('false');
    expect(await checklistSteps(popup)).toEqual(['login:done', 'allow:current', 'connect:todo']);
    // Nothing stale: no renewal talk, no assistant said to be connected.
    expect((await readPopupState(popup)).problems.map((p) => p.code)).not.toContain(
      'renewal_needs_portal',
    );
    expect(await rendered(popup.locator('main'))).not.toMatch(/renewed before it expires/i);
    await screenshotPopup(popup, '15-stopped');
  });
});
