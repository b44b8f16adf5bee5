/**
 * The popup in its main states, saved as screenshots (test-results/screenshots/), each also
 * checked for what it tells the patient: fresh install, two AI clients connected with their
 * latest calls, revoked, a booking waiting for confirmation, a squatter on a bridge port, logged
 * out. (The French popup's is taken in confirmation-cards.test.ts, whose French story goes on to
 * a card.) `npm run screenshots` copies the main ones to extension/docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clickPopupButton, openPopup, readPopupState, screenshotPopup } from '../support/browser';
import {
  connectEverything,
  freeSlot,
  type Scenario,
  startScenario,
} from '../support/extension-scenario';
import { type Squatter, startSquatter } from '../support/extension-squatter';
import type { StdioRelay } from '../support/stdio-relay';

const problems = async (popup: Parameters<typeof readPopupState>[0]) =>
  (await readPopupState(popup)).problems.map((p) => p.code);

/**
 * Watches the popup from now on: the returned check says whether the problem `code` was shown
 * at every change of the popup's DOM since.
 */
async function watchProblemShown(popup: Page, code: string): Promise<() => Promise<boolean>> {
  await popup.evaluate((problem) => {
    const watched = window as unknown as { problemShownThroughout?: boolean };
    const shown = () => document.querySelector(`[data-problem="${problem}"]`) !== null;
    watched.problemShownThroughout = shown();
    new MutationObserver(() => {
      if (!shown()) watched.problemShownThroughout = false;
    }).observe(document.body, { childList: true, subtree: true, attributes: true });
  }, code);
  return () =>
    popup.evaluate(
      () =>
        (window as unknown as { problemShownThroughout?: boolean }).problemShownThroughout === true,
    );
}

describe('popup states (screenshots)', () => {
  it('walks the patient from a fresh install to connected, then revoked', async () => {
    const scenario = await startScenario();
    const fresh = await openPopup(scenario.browser);
    expect(await problems(fresh)).toEqual(['consent_needed', 'not_paired']);
    await screenshotPopup(fresh, '01-fresh-install');

    await scenario.startRelay('Claude Desktop');
    await scenario.startRelay('Cursor');
    const { popup } = await connectEverything(scenario);
    await scenario.relays[0]?.call('get_appointments', {});
    await scenario.relays[1]?.call('get_medical_records', {});
    await expect
      .poll(async () => (await readPopupState(popup)).audit.length)
      .toBeGreaterThanOrEqual(2);
    expect(await problems(popup)).toEqual([]);
    await screenshotPopup(popup, '02-connected-two-clients');

    await clickPopupButton(popup, 'Stop and revoke');
    await clickPopupButton(popup, 'Yes, stop and revoke');
    await expect.poll(async () => popup.locator('[data-notice="revoke_done"]').count()).toBe(1);
    expect((await readPopupState(popup)).token).toBe('none');
    await screenshotPopup(popup, '03-revoked');
  });
});

// One install, in order: the patient connects Claude Desktop (booking allowed) while a program
// that is not the relay holds the last bridge port (the first test begins on the fresh install,
// and closes the program once it has judged it); then a booking waits in the popup and is
// refused; then logging out of HospiAI ends the story.
describe('popup states (screenshots): a squatter, a booking, then logged out', () => {
  const story = {} as {
    scenario: Scenario;
    relay?: StdioRelay;
    dashboard?: Page;
    popup?: Page;
    squatter?: Squatter;
  };
  beforeAll(async () => {
    story.scenario = await startScenario({ lifetime: 'suite' });
    return async () => {
      await story.squatter?.close();
      await story.scenario.close();
    };
  });

  /** The story's connected patient (the first test connects them). */
  const connected = () => {
    const { scenario, relay, dashboard, popup } = story;
    if (!relay || !dashboard || !popup) {
      throw new Error('the patient was not connected by the first test');
    }
    return { scenario, relay, dashboard, popup };
  };

  it('says a program that is not the relay answered, names its port under Details, and sends it nothing', async () => {
    const { scenario } = story;
    story.relay = await scenario.startRelay('Claude Desktop');
    const squatter = await startSquatter(scenario.ports.last);
    story.squatter = squatter;
    const { dashboard, popup } = await connectEverything(scenario, {
      extraScopes: ['book:appointments'],
      allowReads: true,
    });
    Object.assign(story, { dashboard, popup });
    let untrusted: { code: string; text: string } | undefined;
    await expect
      .poll(
        async () => {
          untrusted = (await readPopupState(popup)).problems.find(
            (p) => p.code === 'relay_untrusted',
          );
          return untrusted?.code;
        },
        { timeout: 15_000 },
      )
      .toBe('relay_untrusted');
    // Stays said while the port is tried again: through the next attempt, from its connection
    // to its end (the extension judged the program again), the problem never leaves the popup.
    const shownThroughout = await watchProblemShown(popup, 'relay_untrusted');
    const attempts = squatter.connections();
    await expect.poll(() => squatter.connections(), { timeout: 15_000 }).toBeGreaterThan(attempts);
    const tried = squatter.connections();
    await expect.poll(() => squatter.ended()).toBeGreaterThanOrEqual(tried);
    expect(await problems(popup)).toContain('relay_untrusted');
    expect(await shownThroughout()).toBe(true);
    expect(untrusted?.text).toContain('nothing was sent to it');
    expect(untrusted?.text).not.toMatch(/\bport\b/);
    expect(
      await popup.locator(`[data-port-problem="${scenario.ports.last}"]`).textContent(),
    ).toContain(`Port ${scenario.ports.last}: a program that is not your relay`);
    expect(squatter.connections()).toBeGreaterThan(0);
    expect(squatter.received.every((frame) => (frame as { type: string }).type === 'hello')).toBe(
      true,
    );
    await screenshotPopup(popup, '04-untrusted-program-on-port');

    // Leaves the port free and the popup without the problem for the next test: the program
    // goes, and the popup, opened again, has the idle port tried again at once (a port whose
    // connection was still closing is retried within the 10-s back-off ceiling).
    story.squatter = undefined;
    await squatter.close();
    await popup.reload();
    await expect
      .poll(async () => problems(popup), { timeout: 20_000 })
      .not.toContain('relay_untrusted');
  });

  it('then puts a booking waiting for the patient first, with what, who and when', async () => {
    const { relay, popup } = connected();
    const { doctor, booking } = await freeSlot(relay);
    const call = relay.call('book_appointment', { ...booking, reason: 'Consultation de suivi' });
    const approval = popup.locator('[data-section="confirmations"] [data-confirmation]');
    await approval.waitFor({ timeout: 15_000 });
    const card = (await approval.textContent()) ?? '';
    expect(card).toContain('Claude Desktop asks to book this appointment:');
    expect(card).toContain(doctor.name);
    expect(card).toContain('“Consultation de suivi”');
    // What needs the patient comes before the status sections.
    const order = await popup.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-section]')].map((s) => s.dataset.section),
    );
    expect(order.indexOf('confirmations')).toBeLessThan(order.indexOf('relays'));
    await screenshotPopup(popup, '08-booking-confirmation');
    await clickPopupButton(popup, 'Refuse');
    await call;
    await expect.poll(() => approval.count()).toBe(0);
  });

  it('then, logging out ends it: asks the patient to log into HospiAI again when the session ended', async () => {
    const { relay, dashboard, popup } = connected();
    await Promise.all([dashboard.waitForURL(/\/login/), dashboard.locator('#logout').click()]);
    await expect.poll(async () => problems(popup)).toContain('login_needed');
    const state = await readPopupState(popup);
    expect(state.token).toBe('none');
    expect(state.problems.find((p) => p.code === 'login_needed')?.text).toMatch(
      /Log in to HospiAI to reconnect/,
    );
    const result = await relay.call('get_appointments', {});
    expect(result.isError).toBe(true);
    await screenshotPopup(popup, '05-logged-out');
  });
});
