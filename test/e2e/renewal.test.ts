/**
 * Renewal before expiry: with tokens that live 10 seconds, the extension creates the next one
 * through the portal tab, hands it to the relay, then revokes the old one — and the AI client's
 * calls, made all along, never fail. With no portal tab open, the popup offers to open HospiAI,
 * and renewal resumes in the tab it opens.
 */
import { describe, expect, it } from 'vitest';
import {
  clickPopupButton,
  readHeldToken,
  readPopupState,
  screenshotPopup,
} from '../support/browser';
import {
  connectedStory,
  resultText,
  type Scenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';

const TOKEN_LIFETIME_S = 10;

/** Requests to `path` (with `method`) the portal answered since `since` requests, by status. */
const statusesSince = (scenario: Scenario, since: number, method: string, path: string) =>
  scenario.portal.requests
    .slice(since)
    .filter((request) => request.method === method && request.path === path)
    .map((request) => request.status);

// The two tests continue one another on one install whose tokens live 10 s (connectedStory):
// Claude Desktop's relay, reads allowed, the portal tab that connected the patient open. The
// first keeps that tab open and calls through one renewal; the second closes it (it goes last:
// it leaves the patient on the tab the popup opened).
//
// Timing. The extension renews a token when a quarter of its life is left, and not before it is
// 5 s old (renewal-timing.ts): here every 7.5 s, through the portal tab, then revokes the old one
// through it. The second test begins wherever the first left that cycle (it ends 3 s after the
// expiry of the token it began with, ~1–2 s before the next renewal on a quiet machine), so it
// first waits (up to 20 s; at most 7.5 s are needed) for the next renewal *and* its revocation to
// be answered, and closes the tab right then, as the test did right after connecting when it had
// its own install: the next renewal is then 7.5 s away and nothing is under way through the tab
// (closed in the middle of one, the tab would leave unsure which token the extension holds, and
// the old one's revocation pending).
// The popup asks for a portal tab when that renewal is due (waited up to 20 s). As nothing can
// renew without a portal tab, what the portal issues after the click on "Open HospiAI" is the new
// tab's; the held token may run out meanwhile (2.5 s after the renewal was due), so the test waits
// for a token the portal issued after the click, not merely for the old one to go.
describe('token renewal', () => {
  const story = connectedStory({ tokenLifetimeSeconds: TOKEN_LIFETIME_S });

  it('a token close to expiry is renewed with no failed tool call', async () => {
    const { scenario, relay } = story;
    const since = scenario.portal.requests.length;
    const first = await readHeldToken(scenario.browser);
    if (!first) throw new Error('no token held after connecting');
    const firstExpiry = Date.parse(first.expiresAt);

    const failures: string[] = [];
    let calls = 0;
    // Keep calling until well past the first token's expiry.
    while (Date.now() < firstExpiry + 3_000) {
      const result = await relay.call('get_appointments', { limit: 1 });
      calls += 1;
      if (result.isError) failures.push(resultText(result));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(10);

    const second = await readHeldToken(scenario.browser);
    expect(second?.tokenId).toBeDefined();
    expect(second?.tokenId).not.toBe(first.tokenId);
    // The old token was revoked at the portal once the new one was in place.
    const revoked = await fetch(`${scenario.portal.url}/api/mcp/appointments`, {
      headers: { Authorization: `Bearer ${first.token}` },
    });
    expect(revoked.status).toBe(401);
    expect(statusesSince(scenario, since, 'DELETE', '/api/tokens/mcp')).toContain(200);
  });

  it('then renewal due with no portal tab open: the popup offers to open HospiAI, and renewal resumes there (ends on that tab)', async () => {
    const { scenario, relay, dashboard, popup } = story;
    // Right after a renewal through the portal tab (see Timing above).
    const start = scenario.portal.requests.length;
    const renewalDone = () => {
      const requests = scenario.portal.requests.slice(start);
      const issued = requests.findIndex(
        (r) => r.method === 'POST' && r.path === '/api/tokens/generate' && r.status === 201,
      );
      return (
        issued >= 0 &&
        requests
          .slice(issued + 1)
          .some((r) => r.method === 'DELETE' && r.path === '/api/tokens/mcp' && r.status === 200)
      );
    };
    await expect.poll(renewalDone, { timeout: 20_000 }).toBe(true);
    const before = await readHeldToken(scenario.browser);
    if (!before) throw new Error('no token held after the renewal');
    await dashboard.close();

    await expect
      .poll(async () => (await readPopupState(popup)).problems.map((p) => p.code), {
        timeout: 20_000,
      })
      .toContain('renewal_needs_portal');
    await screenshotPopup(popup, '07-renewal-needs-portal');
    // Nothing can renew without a portal tab: what the portal issues from here is the new tab's.
    const since = scenario.portal.requests.length;
    const held = await readHeldToken(scenario.browser);
    const opened = scenario.browser.context.waitForEvent('page');
    await clickPopupButton(popup, 'Open HospiAI');
    await (await opened).waitForLoadState();

    // The tab loads, its content script reports it, the background renews through it: on a
    // loaded CI machine this took over 15 s once (11:51 run), so the wait is the e2e's usual 30 s.
    const renewed = async () => {
      const id = (await readHeldToken(scenario.browser))?.tokenId;
      const issued = statusesSince(scenario, since, 'POST', '/api/tokens/generate');
      return (
        issued.includes(201) && id !== undefined && id !== before.tokenId && id !== held?.tokenId
      );
    };
    await expect.poll(renewed, { timeout: 30_000 }).toBe(true);
    await waitForRelaysWithToken(popup, 1);
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });
});
