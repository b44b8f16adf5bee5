/**
 * A patient from a fresh install to a first answer with no terminal, in real Chromium: log in,
 * allow, show a code in the extension's window, give it to the AI assistant — through its own
 * form (MCP elicitation) or by telling it (connect_extension) — and the assistant's first
 * question is answered. The patient's actions are counted and the time measured.
 */
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { consentInPopup, loginToPortal, openPopup, readPopupState } from '../support/browser';
import { PATIENT, resultText, type Scenario, startScenario } from '../support/extension-scenario';
import { startStdioRelay } from '../support/stdio-relay';

async function startAssistant(scenario: Scenario, clientName: string, elicitation: boolean) {
  const relay = await startStdioRelay({
    clientName,
    env: {
      HOSPIAI_URL: scenario.portal.url,
      HOSPIAI_MCP_HOME: scenario.home,
      HOSPIAI_MCP_PORTS: scenario.ports.env,
    },
    capabilities: elicitation ? { capabilities: { elicitation: { form: {} } } } : {},
  });
  scenario.relays.push(relay);
  return relay;
}

describe('pairing with no terminal, in the browser', () => {
  it('fresh install → log in → allow → show a code → type it in the assistant’s form → first answer', async () => {
    const scenario = await startScenario();
    const relay = await startAssistant(scenario, 'Cursor', true);
    const started = Date.now();
    let actions = 0;

    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    actions += 1; // log in
    // The dashboard's banner points to the extension's window, where the patient allows access.
    await consentInPopup(scenario.browser, { allowReads: true });
    actions += 2; // open the extension's window, allow
    // The same window, still open for a patient (the harness opens it again in a tab): the
    // checklist's one primary button opens "Connect an AI assistant", which shows the code.
    const popup = await openPopup(scenario.browser);
    await popup.getByRole('button', { name: 'Connect your assistant' }).click();
    actions += 1; // connect your assistant
    const section = popup.locator('[data-section="pairing-code"]');
    await section.locator('button.primary').click();
    actions += 1; // show a code
    const code = (await popup.locator('[data-testid="pairing-code"]').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect.poll(() => section.textContent()).toContain('5 tries left');

    const forms: string[] = [];
    relay.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      forms.push(request.params.message);
      actions += 1; // type the code into the assistant's form
      return { action: 'accept', content: { code } };
    });
    const answer = await relay.call('get_appointments', { limit: 2 });
    const elapsedMs = Date.now() - started;
    expect(answer.isError, resultText(answer)).toBeFalsy();
    expect((answer.structuredContent as { appointments: unknown[] }).appointments).toHaveLength(2);
    expect(forms).toHaveLength(1);
    expect(resultText(answer)).not.toContain(code.replace('-', ''));

    // The window now shows the assistant, connected, and no code any more.
    await popup.getByRole('button', { name: /Back/ }).click();
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 15_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Cursor', token: 'active' }]);
    expect(await popup.locator('[data-testid="pairing-code"]').count()).toBe(0);
    expect(actions).toBeLessThanOrEqual(6);
    console.info(`no-terminal path: ${actions} patient actions, ${elapsedMs} ms`);
  });

  it('without elicitation: a mistyped code shows the tries left beside the code; the told code pairs', async () => {
    const scenario = await startScenario();
    const relay = await startAssistant(scenario, 'Claude Desktop', false);
    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    await consentInPopup(scenario.browser, { allowReads: true });
    const popup = await openPopup(scenario.browser);
    await popup.getByRole('button', { name: 'Connect your assistant' }).click();
    await popup.locator('[data-section="pairing-code"] button.primary').click();
    const code = (await popup.locator('[data-testid="pairing-code"]').textContent()) ?? '';
    await popup.getByRole('button', { name: /Back/ }).click();

    const first = await relay.call('get_appointments');
    expect(resultText(first)).toMatch(/^NOT_PAIRED: .*connect_extension/);

    const typo = `${code[0] === 'A' ? 'B' : 'A'}${code.slice(1)}`;
    const wrong = await relay.call('connect_extension', { code: typo });
    expect(resultText(wrong)).toContain('4 tries left');
    // Where the patient is looking: beside the code, which stays shown.
    await expect
      .poll(() => popup.locator('[data-testid="pairing-code-status"]').textContent())
      .toContain('4 tries left');
    expect(await popup.locator('[data-testid="pairing-code"]').textContent()).toBe(code);

    const told = await relay.call('connect_extension', { code });
    expect(told.isError, resultText(told)).toBeFalsy();
    await expect
      .poll(async () => (await relay.call('get_appointments', { limit: 1 })).isError, {
        timeout: 15_000,
      })
      .toBeFalsy();
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 15_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Claude Desktop', token: 'active' }]);
  });
});
