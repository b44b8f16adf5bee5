/**
 * A patient from a fresh install to a first answer with no terminal, in real Chromium: log in,
 * allow, then connect the assistant — through its own form (MCP elicitation: HospiAI shows a
 * code there, typed into the extension's window), or by telling it the extension's code in the
 * chat, then comparing the check value the assistant shows with the extension's and confirming
 * there. And the attack that the chat invites: a program in another home that learnt the code
 * gets no pairing and no token. The patient's actions are counted and the time measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  consentInPopup,
  loginToPortal,
  openPopup,
  readPopupState,
  rendered,
  screenshotPopup,
} from '../support/browser';
import { PATIENT, resultText, type Scenario, startScenario } from '../support/extension-scenario';
import { startStdioRelay } from '../support/stdio-relay';

const CODE_IN_TEXT = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/;

async function startAssistant(
  scenario: Scenario,
  clientName: string,
  elicitation: boolean,
  home = scenario.home,
) {
  const relay = await startStdioRelay({
    clientName,
    env: {
      HOSPIAI_URL: scenario.portal.url,
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_MCP_PORTS: scenario.ports.env,
    },
    capabilities: elicitation ? { capabilities: { elicitation: { form: {} } } } : {},
  });
  scenario.relays.push(relay);
  return relay;
}

/** The extension's window at "Connect an AI assistant", for this assistant. */
async function openConnectView(scenario: Scenario, client: string): Promise<Page> {
  const popup = await openPopup(scenario.browser);
  await popup.getByRole('button', { name: 'Connect your assistant' }).click();
  await popup.locator('#connect-client').selectOption(client);
  return popup;
}

async function showCode(popup: Page): Promise<string> {
  await popup.locator('[data-section="pairing-code"] button.primary').click();
  const code = (await popup.locator('[data-testid="pairing-code"]').textContent()) ?? '';
  expect(code).toMatch(CODE_IN_TEXT);
  return code;
}

const checkValueIn = (result: { structuredContent?: unknown }) =>
  (result.structuredContent as { checkValue?: string } | undefined)?.checkValue ?? null;

describe('pairing with no terminal, in the browser', () => {
  it('fresh install → log in → allow → the assistant’s form shows a code → typed in the extension → first answer', async () => {
    const scenario = await startScenario();
    const relay = await startAssistant(scenario, 'Cursor', true);
    const started = Date.now();
    let actions = 0;

    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    actions += 1; // log in
    // The dashboard's banner points to the extension's window, where the patient allows access.
    await consentInPopup(scenario.browser, { allowReads: true });
    actions += 2; // open the extension's window, allow
    const popup = await openConnectView(scenario, 'cursor');
    actions += 1; // connect your assistant
    // Cursor shows forms: the view asks for the code its form will show.
    await popup.locator('[data-pairing-route="form"]').waitFor();

    const forms: string[] = [];
    relay.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      forms.push(request.params.message);
      const code = CODE_IN_TEXT.exec(request.params.message)?.[1] ?? '';
      await popup.locator('#pair-code').fill(code);
      await popup.locator('form.pair button[type=submit]').click();
      actions += 1; // type the code into the extension's window, Pair
      // The form closes itself once the extension has the code: nothing to press there.
      return new Promise<ElicitResult>(() => {});
    });
    const answer = await relay.call('get_appointments', { limit: 2 });
    const elapsedMs = Date.now() - started;
    expect(answer.isError, resultText(answer)).toBeFalsy();
    expect((answer.structuredContent as { appointments: unknown[] }).appointments).toHaveLength(2);
    expect(forms).toHaveLength(1);
    const shown = CODE_IN_TEXT.exec(forms[0] ?? '')?.[1] ?? '';
    expect(resultText(answer)).not.toContain(shown);

    // The window now shows the assistant, connected.
    await popup.getByRole('button', { name: /Back/ }).click();
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 15_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Cursor', token: 'active' }]);
    expect(actions).toBeLessThanOrEqual(5);
    console.info(`no-terminal path, with a form: ${actions} patient actions, ${elapsedMs} ms`);
  });

  it('in the chat: a mistyped code is said beside the code; the told code brings a check value the patient confirms', async () => {
    const scenario = await startScenario();
    const relay = await startAssistant(scenario, 'Claude Desktop', false);
    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    await consentInPopup(scenario.browser, { allowReads: true });
    const popup = await openConnectView(scenario, 'claude-desktop');
    const code = await showCode(popup);

    const first = await relay.call('get_appointments');
    expect(resultText(first)).toMatch(/^NOT_PAIRED: .*connect_extension/);

    const typo = `${code[0] === 'A' ? 'B' : 'A'}${code.slice(1)}`;
    const wrong = await relay.call('connect_extension', { code: typo });
    expect(resultText(wrong)).toMatch(/^NOT_PAIRED: The HospiAI extension did not recognise/);
    // Where the patient is looking: beside the code, which stays shown.
    await expect
      .poll(() => popup.locator('[data-testid="pairing-code-status"]').textContent())
      .toContain('was given another code');
    expect(await popup.locator('[data-testid="pairing-code"]').textContent()).toBe(code);

    const told = await relay.call('connect_extension', { code });
    expect(told.isError, resultText(told)).toBeFalsy();
    const value = checkValueIn(told);
    expect(value).toMatch(/^\d{3} \d{3}$/);
    // The extension's window shows the same value, what the assistant calls itself as its own
    // word, and the one decision; nothing is connected before it.
    const check = popup.locator('[data-testid="pairing-check"]');
    await expect
      .poll(() => check.locator('[data-testid="pairing-check-value"]').textContent())
      .toBe(value);
    expect(await rendered(check)).toContain(
      'The assistant calls itself “Claude Desktop” (its own word, not a proof).',
    );
    expect(resultText(await relay.call('get_appointments', { limit: 1 }))).toContain(
      value ?? 'none',
    );
    await screenshotPopup(popup, '17-pairing-check');
    await check.getByRole('button', { name: 'It matches' }).click();

    await expect
      .poll(async () => (await relay.call('get_appointments', { limit: 1 })).isError, {
        timeout: 15_000,
      })
      .toBeFalsy();
    await popup.getByRole('button', { name: /Back/ }).click();
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 15_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Claude Desktop', token: 'active' }]);
    // Details show what the assistant calls itself beside what the patient verified.
    await popup.locator('details[data-section="details"] > summary').click();
    const relays = await rendered(popup.locator('[data-section="relays"]'));
    expect(relays).toContain('An assistant that calls itself “Claude Desktop”');
    expect(relays).toMatch(
      new RegExp(`Paired on .*: you checked the value ${value} against your assistant's`),
    );
  });

  it('a program in another home that learnt the code: the extension refuses both, and it gets nothing', async () => {
    const scenario = await startScenario();
    const relay = await startAssistant(scenario, 'Claude Desktop', false);
    const impostorHome = await mkdtemp(path.join(tmpdir(), 'hospiai-impostor-'));
    const impostor = await startAssistant(scenario, 'Claude Desktop', false, impostorHome);
    // Its home goes once it has stopped (a relay still writing its audit trail keeps it busy).
    onTestFinished(async () => {
      await impostor.close();
      await rm(impostorHome, { recursive: true, force: true, maxRetries: 5 });
    });
    await Promise.all([relay.call('connection_status'), impostor.call('connection_status')]);
    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    await consentInPopup(scenario.browser, { allowReads: true });
    const popup = await openConnectView(scenario, 'claude-desktop');
    const code = await showCode(popup);

    // The model passed the code on: the impostor proves it as well as the patient's relay.
    const [mine, theirs] = await Promise.all([
      relay.call('connect_extension', { code }),
      impostor.call('connect_extension', { code }),
    ]);
    expect(checkValueIn(mine)).not.toBe(checkValueIn(theirs));
    const status = popup.locator('[data-testid="pairing-code-status"]');
    await expect.poll(() => status.getAttribute('data-status')).toBe('conflict');
    expect(await status.textContent()).toContain(
      'Two programs on this computer answered this code',
    );
    expect(await popup.locator('[data-testid="pairing-check"]').count()).toBe(0);
    expect((await readPopupState(popup)).relays).toEqual([]);
    for (const assistant of [relay, impostor]) {
      expect(resultText(await assistant.call('get_appointments', { limit: 1 }))).toMatch(
        /^NOT_PAIRED/,
      );
    }
  });
});
