/**
 * The popup's only link to the browser: actions are messages to the background, and the state
 * arrives over a port that the background pushes to on every change. If the service worker
 * restarts, the port drops and is opened again.
 */
import { browser } from 'wxt/browser';
import { originMatchPattern } from '../config/portal-origin';
import type { BackgroundRequestType } from '../messaging/message-schemas';
import { POPUP_STATE_PORT, type PopupStatePush, sendToBackground } from '../messaging/protocol-map';
import type { PopupActions, PopupModel } from './popup-model';

const RECONNECT_DELAY_MS = 300;

/** Every popup action is its `popup:<name>` message to the background. */
export const backgroundActions = new Proxy({} as PopupActions, {
  get: (_, name: string) => (data: object) =>
    name === 'signInPermission'
      ? askServerPermission(data as { server: string })
      : sendToBackground(`popup:${name}` as BackgroundRequestType, data as never),
});

/**
 * A remote server's sign-in needs its host permission (loopback is declared): the browser asks
 * only inside the patient's click, and Firefox only before any `await` — so it is asked here.
 */
async function askServerPermission(data: { server: string }) {
  const granted = await browser.permissions.request({ origins: [originMatchPattern(data.server)] });
  if (!granted) return { ok: false, problem: 'permission_denied' } as const;
  return sendToBackground('popup:signInPermission', data);
}

export function connectPopupState(model: PopupModel): void {
  const port = browser.runtime.connect({ name: POPUP_STATE_PORT });
  port.onMessage.addListener((message: PopupStatePush) => {
    if (message?.type === 'state') model.receive(message.state);
  });
  port.onDisconnect.addListener(() => {
    setTimeout(() => connectPopupState(model), RECONNECT_DELAY_MS);
  });
}
