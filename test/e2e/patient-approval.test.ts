/**
 * The patient, not the model, approves: reads the patient chose to be asked about, and every
 * booking, wait for a yes in the popup (the test client has no MCP elicitation, as many AI
 * clients do not); a no means nothing reaches the portal.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { clickPopupButton } from '../support/browser';
import {
  connectEverything,
  resultText,
  type Scenario,
  startScenario,
} from '../support/extension-scenario';

/** Waits for the popup to show a pending request, and returns its text. */
async function pendingApproval(popup: Page): Promise<string> {
  const approval = popup.locator('[data-approval]').first();
  await approval.waitFor({ timeout: 15_000 });
  return (await approval.textContent()) ?? '';
}

describe('patient approval in the popup', () => {
  let scenario: Scenario | null = null;
  afterEach(async () => {
    await scenario?.close();
    scenario = null;
  });

  it('a read the patient wants to be asked about runs only after their yes, and not after a no', async () => {
    scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario, { allowReads: false });
    const portalReads = () =>
      scenario?.portal.requests.filter((r) => r.path === '/api/mcp/appointments').length ?? 0;

    const approved = relay.call('get_appointments', {});
    expect(await pendingApproval(popup)).toMatch(
      /Claude Desktop wants to go ahead with: reading your appointments/,
    );
    expect(portalReads()).toBe(0);
    await clickPopupButton(popup, 'Confirm');
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

  it('a booking waits for the patient’s confirmation in the popup, then is made once', async () => {
    scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario, {
      extraScopes: ['book:appointments'],
      allowReads: true,
    });
    const { doctors } = (await relay.call('find_doctors', {})).structuredContent as {
      doctors: Array<{ id: string; name: string }>;
    };
    const doctor = doctors[0];
    if (!doctor) throw new Error('the sandbox lists no doctor');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const { slots } = (
      await relay.call('get_available_slots', { doctorId: doctor.id, date: tomorrow, days: 14 })
    ).structuredContent as { slots: Array<{ date: string; time: string }> };
    const slot = slots[0];
    if (!slot) throw new Error('no free slot in the sandbox');

    const booking = relay.call('book_appointment', {
      doctorId: doctor.id,
      date: slot.date,
      time: slot.time,
      reason: 'Consultation de suivi',
    });
    expect(await pendingApproval(popup)).toContain(doctor.name);
    expect(scenario.portal.requests.filter((r) => r.path === '/api/mcp/book')).toEqual([]);
    await clickPopupButton(popup, 'Confirm');
    const result = await booking;
    expect(result.isError, resultText(result)).toBeFalsy();
    expect(
      scenario.portal.requests.filter((r) => r.path === '/api/mcp/book').map((r) => r.status),
    ).toEqual([201]);
  });
});
