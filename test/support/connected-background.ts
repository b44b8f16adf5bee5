/**
 * The extension's background as the browser runs it (its real controller, fake-browser storage,
 * fake IndexedDB), paired with a relay's real bridge on loopback, consented, holding a token:
 * for unit tests of what the popup's buttons do, end to end, without a browser.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, onTestFinished, vi } from 'vitest';
import WebSocket from 'ws';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ExtensionController } from '../../extension/background/controller';
import { pairingStore } from '../../extension/bridge/pairing-store';
import { extensionConfig } from '../../extension/config/extension-config';
import { consentStore, grantConsent } from '../../extension/consent/consent-store';
import { POPUP_STATE_PORT, type PopupStatePush } from '../../extension/messaging/protocol-map';
import type { PopupState } from '../../extension/state/popup-state';
import { tokenStore } from '../../extension/token/token-store';
import {
  FAST_ITERATIONS,
  quickCode,
  startTestBridge,
  TEST_PORTAL,
  tempHome,
} from '../unit/bridge/bridge-fixture';
import { EXTENSION_ORIGIN, pairWithRelay } from './bridge-test-client';
import { freePortRange } from './free-ports';

export const PATIENT = 'pat_1';
/** The popup's messages come from the extension's own page (the router checked it already). */
export const FROM_POPUP = {};

/** A fresh fake browser for each test of the file; call at the top level of a test file. */
export function useFakeBrowser(): void {
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
}

/** A paired, consented patient with a token, and the background started as the browser does. */
export async function connectedPatient(
  portal = TEST_PORTAL,
  createSocket = (url: string) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
) {
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
  const controller = new ExtensionController({ createSocket });
  await controller.start();
  onTestFinished(() => controller.handlers['popup:pause']({}, FROM_POPUP).then(() => {}));
  return { controller, first, home, range };
}

/** The state a popup opened now is shown (what the background pushes to it first). */
export function popupStateOf(controller: ExtensionController): Promise<PopupState> {
  return new Promise((resolve) => {
    const closed: Array<() => void> = [];
    const port = {
      name: POPUP_STATE_PORT,
      onDisconnect: { addListener: (listener: () => void) => closed.push(listener) },
      postMessage: (push: PopupStatePush) => {
        for (const close of closed) close();
        resolve(push.state);
      },
    };
    controller.onPopupConnected(port as unknown as Browser.runtime.Port);
  });
}
