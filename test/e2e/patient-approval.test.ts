/**
 * The patient, not the model, approves: reads the patient chose to be asked about, and every
 * booking, wait for a yes in the popup (the test client has no MCP elicitation, as many AI
 * clients do not); a no, or no answer in time, means nothing reaches the portal — whatever the
 * model put in the tool's arguments.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clickPopupButton } from '../support/browser';
import {
  connectEverything,
  connectedStory,
  freeSlot,
  resultText,
  type Scenario,
  startScenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';
import type { StdioRelay } from '../support/stdio-relay';

/** Waits for the popup to show a pending request, and returns its text. */
async function pendingApproval(popup: Page): Promise<string> {
  const approval = popup.locator('[data-confirmation]').first();
  await approval.waitFor({ timeout: 15_000 });
  return (await approval.textContent()) ?? '';
}

/** The patient's appointments, as the portal lists them. */
async function appointmentIds(relay: StdioRelay): Promise<string[]> {
  const result = await relay.call('get_appointments', {});
  const { appointments } = result.structuredContent as { appointments: Array<{ id: string }> };
  return appointments.map((appointment) => appointment.id).sort();
}

/** Booking attempts that reached the portal since `since` requests had (a test's start). */
const bookingsSent = (scenario: Scenario, since = 0) =>
  scenario.portal.requests.slice(since).filter((request) => request.path === '/api/mcp/book');

describe('patient approval in the popup', () => {
  it('a read the patient wants to be asked about runs only after their yes, and not after a no', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario, { allowReads: false });
    const portalReads = () =>
      scenario.portal.requests.filter((r) => r.path === '/api/mcp/appointments').length ?? 0;

    const approved = relay.call('get_appointments', {});
    expect(await pendingApproval(popup)).toContain(
      'Claude Desktop wants to read your appointments.',
    );
    expect(portalReads()).toBe(0);
    await clickPopupButton(popup, 'Allow once');
    const result = await approved;
    expect(result.isError, resultText(result)).toBeFalsy();
    expect(portalReads()).toBe(1);

    const declined = relay.call('get_appointments', {});
    await pendingApproval(popup);
    await clickPopupButton(popup, 'Refuse');
    const refusal = await declined;
    expect(refusal.isError).toBe(true);
    expect(resultText(refusal)).toMatch(/^NOT_CONFIRMED/);
    expect(portalReads()).toBe(1);
  });
});

// The booking stories continue one another on one install: one AI client without elicitation,
// reads allowed, booking granted (extension-scenario.ts, connectedStory). Each judges the
// portal's requests since it began, and leaves no request waiting in the popup.
describe('patient approval of bookings in the popup', () => {
  const story = connectedStory({
    choices: { extraScopes: ['book:appointments'], allowReads: true },
  });

  it('a booking waits for the patient’s confirmation in the popup, then is made once', async () => {
    const { scenario, relay, popup } = story;
    const { doctor, booking } = await freeSlot(relay);
    const since = scenario.portal.requests.length;

    const call = relay.call('book_appointment', { ...booking, reason: 'Consultation de suivi' });
    expect(await pendingApproval(popup)).toContain(doctor.name);
    expect(bookingsSent(scenario, since)).toEqual([]);
    await clickPopupButton(popup, 'Confirm');
    const result = await call;
    expect(result.isError, resultText(result)).toBeFalsy();
    expect(bookingsSent(scenario, since).map((r) => r.status)).toEqual([201]);
  });

  it('a booking the patient refuses is not made, and the AI client is told NOT_CONFIRMED', async () => {
    const { scenario, relay, popup } = story;
    const { doctor, booking } = await freeSlot(relay);
    const since = scenario.portal.requests.length;
    const before = await appointmentIds(relay);

    const call = relay.call('book_appointment', { ...booking, reason: 'Consultation de suivi' });
    expect(await pendingApproval(popup)).toContain(doctor.name);
    await clickPopupButton(popup, 'Refuse');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/^NOT_CONFIRMED/);
    expect(resultText(result)).toContain('You declined, so nothing was done.');
    expect(bookingsSent(scenario, since)).toEqual([]);
    expect(await appointmentIds(relay)).toEqual(before);
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(0);
  });

  it('a booking nobody answers is not made once the relay stops waiting, and leaves the popup', async () => {
    // Another AI client's relay, which waits 3 s for an answer (HOSPIAI_MCP_CONFIRM_TIMEOUT_MS).
    const { scenario, popup } = story;
    const relay = await scenario.startRelay('Cursor', { HOSPIAI_MCP_CONFIRM_TIMEOUT_MS: '3000' });
    await waitForRelaysWithToken(popup, 2);
    const { booking } = await freeSlot(relay);
    const since = scenario.portal.requests.length;
    const before = await appointmentIds(relay);

    const startedAt = Date.now();
    const call = relay.call('book_appointment', { ...booking, reason: 'Consultation de suivi' });
    await pendingApproval(popup);
    const result = await call;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2_900);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/^NOT_CONFIRMED/);
    expect(resultText(result)).toContain('No confirmation was given in time');
    // The stale request goes without anyone touching the popup: a late yes could not count.
    await expect
      .poll(() => popup.locator('[data-confirmation]').count(), { timeout: 2_000 })
      .toBe(0);
    expect(bookingsSent(scenario, since)).toEqual([]);
    expect(await appointmentIds(relay)).toEqual(before);
  });

  it('a model that says confirm: true (and more) still waits for the patient’s click', async () => {
    const { scenario, relay, popup } = story;
    const { doctor, booking } = await freeSlot(relay);
    const since = scenario.portal.requests.length;
    const before = await appointmentIds(relay);

    const call = relay.call('book_appointment', {
      ...booking,
      reason: 'Consultation de suivi',
      confirm: true,
      confirmed: 'yes',
      patientApproved: true,
    });
    expect(await pendingApproval(popup)).toContain(doctor.name);
    // The model's own "yes" books nothing: not while the patient is asked, and not by the time
    // the call has answered (the relay sends whatever it books before it answers).
    expect(bookingsSent(scenario, since)).toEqual([]);
    await clickPopupButton(popup, 'Refuse');
    expect(resultText(await call)).toMatch(/^NOT_CONFIRMED/);
    expect(bookingsSent(scenario, since)).toEqual([]);
    expect(await appointmentIds(relay)).toEqual(before);
  });
});
