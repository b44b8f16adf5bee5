/**
 * "Paused" means paused everywhere: the background (its real controller, on WebSockets to the
 * relay's real bridge) tells every relay it is paused — the ones connected when the patient
 * pauses, and one that was away then and comes back while paused, which must not keep or get a
 * token. And a relay of the patient's home set up for another portal gets nothing at all.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import WebSocket from 'ws';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { WAKE_ALARM } from '../../../extension/background/background-core';
import { ExtensionController } from '../../../extension/background/controller';
import { pairingStore } from '../../../extension/bridge/pairing-store';
import { extensionConfig } from '../../../extension/config/extension-config';
import { consentStore, grantConsent } from '../../../extension/consent/consent-store';
import { tokenStore } from '../../../extension/token/token-store';
import { EXTENSION_ORIGIN, pairWithRelay } from '../../support/bridge-test-client';
import { freePortRange } from '../../support/free-ports';
import {
  FAST_ITERATIONS,
  quickCode,
  startTestBridge,
  TEST_PORTAL,
  tempHome,
} from '../bridge/bridge-fixture';

const PATIENT = 'pat_1';
/** The popup's messages come from the extension's own page (the router checked it already). */
const FROM_POPUP = {};

beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
    manifest_version: 3,
    name: 'HospiAI',
    version: '0.1.0',
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await pairingStore.remove();
});

/** A paired, consented patient with a token, and the background started as the browser does. */
async function connectedPatient(portal = TEST_PORTAL) {
  const range = await freePortRange(1);
  const home = await tempHome();
  const first = await startTestBridge({ home, ports: range, portal });
  const pairing = await pairWithRelay(first.bridge.port, await quickCode(home), {
    iterations: FAST_ITERATIONS,
  });
  await extensionConfig.set({
    portalOrigin: TEST_PORTAL,
    ports: { first: range.first, last: range.last },
  });
  await pairingStore.set(pairing, { by: 'typed_code' });
  await consentStore.set(grantConsent(['read:data'], 'popup', PATIENT));
  await tokenStore.set({
    token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.c2lnbmF0dXJl',
    tokenId: 'tok_1',
    source: 'auto',
    scopes: ['read:data'],
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    createdAt: new Date().toISOString(),
    patientId: PATIENT,
  });
  const controller = new ExtensionController({
    createSocket: (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
  });
  await controller.start();
  onTestFinished(() => controller.handlers['popup:pause']({}, FROM_POPUP).then(() => {}));
  return { controller, first, home, range };
}

describe('pause, everywhere', () => {
  it('a relay that was away when the patient paused is told it is paused as it comes back, and gets no token', async () => {
    const { controller, first, home, range } = await connectedPatient();
    await expect.poll(() => first.tokens.map((t) => t.tokenId)).toEqual(['tok_1']);

    // The relay is away (its connection dropped) at the moment the patient pauses.
    await first.bridge.close();
    expect(await controller.handlers['popup:pause']({}, FROM_POPUP)).toEqual({ ok: true });

    // It comes back on its port while paused: it hears "paused", and nothing else.
    const back = await startTestBridge({ home, ports: range });
    controller.onAlarm(WAKE_ALARM);
    await expect.poll(() => back.revokes, { timeout: 10_000 }).toEqual(['paused']);
    expect(back.tokens).toEqual([]);

    // Resume: the token again, with no new consent.
    expect(await controller.handlers['popup:resume']({}, FROM_POPUP)).toEqual({ ok: true });
    await expect.poll(() => back.tokens.map((t) => t.tokenId)).toEqual(['tok_1']);
  });

  it('a relay connected when the patient pauses drops the token at once', async () => {
    const { controller, first } = await connectedPatient();
    await expect.poll(() => first.tokens.length).toBe(1);
    await controller.handlers['popup:pause']({}, FROM_POPUP);
    await expect.poll(() => first.revokes).toEqual(['paused']);
  });

  it('a relay of this home set up for another portal gets no token, only why', async () => {
    const { first } = await connectedPatient('https://portal.example.net');
    await expect.poll(() => first.revokes).toEqual(['wrong_portal']);
    expect(first.tokens).toEqual([]);
  });
});
