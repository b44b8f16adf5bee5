/**
 * An MCP client meets an unpaired relay: with elicitation it is asked for the code the HospiAI
 * extension shows, in its own form (the model never sees it); without, the assistant passes the
 * code the patient told it to connect_extension. Either way the extension (here, its real
 * pending-pairing watcher over WebSockets) finishes pairing and the first tool is answered.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { PendingCode } from '../../../extension/bridge/pending-code';
import { PendingPairing } from '../../../extension/bridge/pending-pairing';
import { createPatientPairing } from '../../../relay/pairing/patient-pairing';
import type { TokenVault } from '../../../relay/token/token-vault';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { connectToRelay, EXTENSION_ORIGIN } from '../../support/bridge-test-client';
import {
  errorCode,
  errorDetails,
  fakeExtensionLink,
  startInMemoryRelay,
} from '../../support/in-memory-relay';
import { FAST_ITERATIONS, startTestBridge, wrongCode } from '../bridge/bridge-fixture';

const camille = DEMO_PATIENTS[0]!;
const SCOPES = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

/** A relay home with its bridge, and an extension that shows a code and delivers a token once paired. */
async function unpairedSetUp() {
  let vault: TokenVault | null = null;
  const test = await startTestBridge({
    frames: { token: (frame) => vault?.setFromExtension(frame) },
  });
  const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
  let stored: PendingCode | null = null;
  const extension = new PendingPairing({
    ports: [test.bridge.port],
    createSocket: (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
    store: {
      get: async () => stored,
      set: async (value) => {
        stored = value;
      },
      remove: async () => {
        stored = null;
      },
    },
    // As the background does: keep the pairing, connect as paired, deliver the token.
    onPaired: async (pairing) => {
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
    },
    onChange: () => {},
    intervalMs: 100,
    stretchIterations: FAST_ITERATIONS,
  });
  onTestFinished(() => extension.stopWatching());
  const { code } = await extension.start();
  const pairing = createPatientPairing({
    home: test.home,
    iterations: FAST_ITERATIONS,
    waitMs: 5_000,
  });
  return {
    ...test,
    code,
    extension,
    pairing,
    token: issued.token,
    bindVault: (v: TokenVault) => {
      vault = v;
    },
  };
}

describe('pairing from the AI client, no terminal', () => {
  it('asks for the code in the client’s own form on the first tool call, pairs, and answers that call', async () => {
    const setUp = await unpairedSetUp();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
      // The patient types the code as they read it, in lower case with a space.
      elicit: () => ({
        action: 'accept',
        content: { code: setUp.code.toLowerCase().replace('-', ' ') },
      }),
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();

    const result = await relay.call('get_appointments', { limit: 2 });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { appointments: unknown[] }).appointments.length).toBe(2);
    expect(relay.elicitations).toHaveLength(1);
    const form = relay.elicitations[0]!;
    expect(form.message).toContain('Show a code');
    expect(JSON.stringify(form)).toContain('"code"');
    // What the model sees never holds the code.
    const bare = setUp.code.replace('-', '');
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${bare}|${setUp.code}`, 'i'));

    // Paired now: later calls ask nothing.
    expect((await relay.call('find_doctors', { name: 'Martin' })).isError).toBeFalsy();
    expect(relay.elicitations).toHaveLength(1);
    expect(await setUp.pairing.isPaired()).toBe(true);
  });

  it('asks again, with the tries left, when the patient mistypes the code', async () => {
    const setUp = await unpairedSetUp();
    // (A form enforces the field's 8–12 characters; this one has them but is no code.)
    const answers = [wrongCode(setUp.code), 'K7QM-2XD9-XX', setUp.code];
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
      elicit: () => ({ action: 'accept', content: { code: answers.shift() ?? '' } }),
    });
    onTestFinished(() => relay.close());
    await relay.client.listTools();
    const result = await relay.call('get_appointments', { limit: 1 });
    expect(result.isError).toBeFalsy();
    expect(relay.elicitations.map((e) => e.message)).toEqual([
      expect.stringContaining('Show a code'),
      expect.stringContaining('4 tries left'),
      expect.stringContaining('8 letters and digits'),
    ]);
    expect(setUp.extension.view()).toBeNull();
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
    // (No tools/list first here: SDK 1.32.2 then checks error results against the tool's
    // output schema, and the error result format is being reworked in tool-result.ts.)
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('NOT_PAIRED');
    expect(JSON.stringify(result.content)).toContain('connect_extension');
    expect(await setUp.pairing.isPaired()).toBe(false);
  });

  it('without elicitation: NOT_PAIRED names the way, connect_extension pairs with the code the patient told, then tools work', async () => {
    const setUp = await unpairedSetUp();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: setUp.pairing,
      withVault: setUp.bindVault,
    });
    onTestFinished(() => relay.close());
    // (tools/list comes after the failing calls, see above.)
    const first = await relay.call('get_appointments');
    expect(errorCode(first)).toBe('NOT_PAIRED');
    expect(JSON.stringify(first.content)).toMatch(/Show a code.*connect_extension/);

    const wrong = await relay.call('connect_extension', { code: wrongCode(setUp.code) });
    expect(errorCode(wrong)).toBe('NOT_PAIRED');
    expect(JSON.stringify(wrong.content)).toContain('4 tries left');
    expect(errorDetails(wrong)).toMatchObject({
      code: 'NOT_PAIRED',
      pairing: 'code_mismatch',
      triesLeft: 4,
    });

    const invalid = await relay.call('connect_extension', { code: 'K7QM' });
    expect(JSON.stringify(invalid.content)).toContain('8 letters and digits');

    const paired = await relay.call('connect_extension', { code: setUp.code });
    expect(paired.isError).toBeFalsy();
    expect(paired.structuredContent).toMatchObject({ paired: true });
    // The token follows the pairing within moments.
    for (let i = 0; i < 50 && relay.vault.info().state !== 'active'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const { tools } = await relay.client.listTools();
    const tool = tools.find((t) => t.name === 'connect_extension');
    expect(tool?.inputSchema.required).toEqual(['code']);
    expect(Object.keys(tool?.outputSchema?.properties ?? {}).sort()).toEqual(['message', 'paired']);
    expect((await relay.call('get_appointments', { limit: 1 })).isError).toBeFalsy();
    expect(
      (await relay.call('connect_extension', { code: setUp.code })).structuredContent,
    ).toMatchObject({
      paired: true,
      message: expect.stringContaining('Already paired'),
    });
  });

  it('a guessed code pairs nothing: only a code pending in the extension does', async () => {
    const setUp = await unpairedSetUp();
    await setUp.extension.cancel();
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
      pairing: createPatientPairing({ home: setUp.home, iterations: FAST_ITERATIONS, waitMs: 600 }),
    });
    onTestFinished(() => relay.close());
    const result = await relay.call('connect_extension', { code: setUp.code });
    expect(errorCode(result)).toBe('NOT_PAIRED');
    expect(JSON.stringify(result.content)).toContain('did not answer');
  });
});
