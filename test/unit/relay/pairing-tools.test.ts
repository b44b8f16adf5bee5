/**
 * An MCP client meets an unpaired relay. With elicitation, the relay shows a code of its own in
 * the client's form (the model never sees it) and the patient types it into the extension (here,
 * the extension's real pool, over WebSockets); the form closes itself and the first tool call is
 * answered. Without, the assistant passes the code the patient told it — the one the extension
 * shows — to connect_extension, which answers with the check value the patient compares in the
 * extension; only their yes there pairs.
 */
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createPatientPairing } from '../../../relay/pairing/patient-pairing';
import type { Pairing } from '../../../relay/protocol/relay-connection';
import type { TokenVault } from '../../../relay/token/token-vault';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { connectToRelay } from '../../support/bridge-test-client';
import { extensionPool, pairingWatcher } from '../../support/extension-in-node';
import {
  errorCode,
  errorDetails,
  fakeExtensionLink,
  startInMemoryRelay,
} from '../../support/in-memory-relay';
import { FAST_ITERATIONS, startTestBridge, TEST_PORTAL, wrongCode } from '../bridge/bridge-fixture';

const camille = DEMO_PATIENTS[0]!;
const SCOPES = ['read:data', 'book:appointments'];
const CODE_IN_TEXT = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/;

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

/** A relay home with its bridge, and what the extension does once paired: deliver a token. */
async function unpairedSetUp() {
  let vault: TokenVault | null = null;
  const test = await startTestBridge({
    frames: { token: (frame) => vault?.setFromExtension(frame) },
  });
  const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
  // As the background does: keep the pairing, connect as paired, deliver the token.
  const deliver = async (pairing: Pairing) => {
    const session = await connectToRelay(test.bridge.port, pairing);
    onTestFinished(async () => {
      await session.close();
    });
    session.send({
      type: 'token',
      token: issued.token,
      tokenId: issued.id,
      source: 'auto',
      scopes: SCOPES,
      expiresAt: issued.expiresAt,
    });
  };
  const pairing = createPatientPairing({ offers: test.offers, waitMs: 5_000 });
  return {
    ...test,
    deliver,
    pairing,
    bindVault: (v: TokenVault) => {
      vault = v;
    },
  };
}

/** The extension's window, where the patient types the code the AI client's form shows. */
function typingWindow(setUp: Awaited<ReturnType<typeof unpairedSetUp>>) {
  const { pool } = extensionPool({
    ports: [setUp.bridge.port],
    portal: TEST_PORTAL,
    onPaired: setUp.deliver,
    stretchIterations: FAST_ITERATIONS,
  });
  onTestFinished(() => pool.stop());
  return pool;
}

/** The extension showing a code for the chat; the patient's "it matches" delivers the token. */
async function extensionShowingCode(setUp: Awaited<ReturnType<typeof unpairedSetUp>>) {
  const { watcher } = pairingWatcher({
    ports: [setUp.bridge.port],
    onPaired: setUp.deliver,
    stretchIterations: FAST_ITERATIONS,
  });
  onTestFinished(() => watcher.stopWatching());
  const { code } = await watcher.start();
  return { watcher, code };
}

describe('pairing from an AI client with forms: the relay shows the code', () => {
  it('shows a code in the client’s form; typed into the extension, the form closes and the call is answered', async () => {
    const setUp = await unpairedSetUp();
    const pool = typingWindow(setUp);
    let formClosed: (() => void) | null = null;
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
      // The patient reads the code in the form and types it into the extension's window; the
      // form stays open meanwhile (a patient does not press anything in it).
      elicit: async (request) => {
        const code = CODE_IN_TEXT.exec(request.message)?.[1] ?? '';
        expect((await pool.pair(code.toLowerCase().replace('-', ' '))).ok).toBe(true);
        return new Promise<ElicitResult>((resolve) => {
          formClosed = () => resolve({ action: 'cancel' });
        });
      },
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();

    const result = await relay.call('get_appointments', { limit: 2 });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect((result.structuredContent as { appointments: unknown[] }).appointments.length).toBe(2);
    expect(relay.elicitations).toHaveLength(1);
    const form = relay.elicitations[0]!;
    // A form with nothing to type: the code goes the other way, into the extension.
    expect(form.mode === 'form' && form.requestedSchema.properties).toEqual({});
    expect(form.message).toMatch(CODE_IN_TEXT);
    // The relay closed its form itself once the extension had the code.
    expect(formClosed).not.toBeNull();
    // What the model sees never holds the code.
    const shown = CODE_IN_TEXT.exec(form.message)?.[1] ?? '';
    expect(JSON.stringify(result)).not.toContain(shown);
    expect(JSON.stringify(result)).not.toContain(shown.replace('-', ''));

    // Paired now: later calls ask nothing.
    expect((await relay.call('find_doctors', { name: 'Martin' })).isError).toBeFalsy();
    expect(relay.elicitations).toHaveLength(1);
    expect(await setUp.pairing.isPaired()).toBe(true);
  });

  it('says the code was not typed yet, without the code, when the patient just presses OK', async () => {
    const setUp = await unpairedSetUp();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
      elicit: () => ({ action: 'accept', content: {} }),
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('NOT_PAIRED');
    expect(errorDetails(result)).toMatchObject({ pairing: 'code_shown' });
    const shown = CODE_IN_TEXT.exec(relay.elicitations[0]?.message ?? '')?.[1] ?? 'none';
    expect(JSON.stringify(result)).not.toContain(shown);
    // Still valid: typed now, it pairs.
    expect((await typingWindow(setUp).pair(shown)).ok).toBe(true);
  });

  it('does nothing and says how to pair when the patient dismisses the form', async () => {
    const setUp = await unpairedSetUp();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
      elicit: () => ({ action: 'cancel' }),
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('NOT_PAIRED');
    expect(JSON.stringify(result.content)).toContain('connect_extension');
    expect(await setUp.pairing.isPaired()).toBe(false);
  });
});

describe('pairing from an AI client without forms: the patient tells the extension’s code', () => {
  it('connect_extension answers with the check value; only the patient’s yes in the extension pairs', async () => {
    const setUp = await unpairedSetUp();
    const { watcher, code } = await extensionShowingCode(setUp);
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
    });
    onTestFinished(() => relay.close());
    const { tools } = await relay.client.listTools();
    const tool = tools.find((t) => t.name === 'connect_extension');
    expect(tool?.inputSchema.required).toEqual(['code']);
    expect(Object.keys(tool?.outputSchema?.properties ?? {}).sort()).toEqual([
      'checkValue',
      'message',
      'paired',
    ]);

    const first = await relay.call('get_appointments');
    expect(errorCode(first)).toBe('NOT_PAIRED');
    expect(JSON.stringify(first.content)).toMatch(/Show a code.*connect_extension/);

    const told = await relay.call('connect_extension', { code });
    expect(told.isError, JSON.stringify(told.content)).toBeFalsy();
    const { checkValue } = told.structuredContent as { checkValue: string; paired: boolean };
    expect(told.structuredContent).toMatchObject({ paired: false, checkValue: expect.any(String) });
    expect(JSON.stringify(told.content)).toContain(checkValue);
    await expect.poll(() => watcher.view()?.candidate?.checkValue).toBe(checkValue);

    // Until the patient confirms, every call says what to compare, and nothing is read.
    const waiting = await relay.call('get_appointments');
    expect(errorCode(waiting)).toBe('NOT_PAIRED');
    expect(errorDetails(waiting)).toMatchObject({ pairing: 'check', checkValue });
    expect(relay.vault.info().state).toBe('none');

    expect(await watcher.confirm()).toBe('paired');
    await expect.poll(() => relay.vault.info().state).toBe('active');
    expect((await relay.call('get_appointments', { limit: 1 })).isError).toBeFalsy();
    expect((await relay.call('connect_extension', { code })).structuredContent).toMatchObject({
      paired: true,
      message: expect.stringContaining('Already paired'),
    });
  });

  it('a wrong code is “not recognised”, with no number from whoever answered; the right one then works', async () => {
    const setUp = await unpairedSetUp();
    const { code } = await extensionShowingCode(setUp);
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();
    const wrong = await relay.call('connect_extension', { code: wrongCode(code) });
    expect(errorCode(wrong)).toBe('NOT_PAIRED');
    expect(errorDetails(wrong)).toMatchObject({ code: 'NOT_PAIRED', pairing: 'not_recognised' });
    expect(Object.keys(errorDetails(wrong))).not.toContain('triesLeft');
    expect(JSON.stringify(wrong.content)).not.toMatch(/tries|\d+ left/);
    const invalid = await relay.call('connect_extension', { code: 'K7QM' });
    expect(JSON.stringify(invalid.content)).toContain('8 letters and digits');
    expect((await relay.call('connect_extension', { code })).structuredContent).toMatchObject({
      paired: false,
    });
  });

  it('a guessed code pairs nothing: only a code pending in the extension reaches the check', async () => {
    const setUp = await unpairedSetUp();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: createPatientPairing({ offers: setUp.offers, waitMs: 600 }),
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();
    const result = await relay.call('connect_extension', { code: 'K7QM-2XD9' });
    expect(errorCode(result)).toBe('NOT_PAIRED');
    expect(JSON.stringify(result.content)).toContain('did not answer');
  });
});
