/**
 * The popup's only link to the browser: actions are messages to the background, and the state
 * arrives over a port that the background pushes to on every change. If the service worker
 * restarts, the port drops and is opened again.
 */
import { browser } from 'wxt/browser';
import { POPUP_STATE_PORT, type PopupStatePush, sendToBackground } from '../messaging/protocol-map';
import type { PopupActions, PopupModel } from './popup-model';

const RECONNECT_DELAY_MS = 300;

export const backgroundActions: PopupActions = {
  pair: (code) => sendToBackground('popup:pair', { code }),
  consent: (scopes, allowReads) => sendToBackground('popup:consent', { scopes, allowReads }),
  setReadPolicy: (reads) => sendToBackground('popup:setReadPolicy', { reads }),
  withdrawConsent: () => sendToBackground('popup:withdrawConsent', {}),
  revoke: () => sendToBackground('popup:revoke', {}),
  disconnect: () => sendToBackground('popup:disconnect', {}),
  connect: () => sendToBackground('popup:connect', {}),
  openPortal: () => sendToBackground('popup:openPortal', {}),
  forgetPairing: () => sendToBackground('popup:forgetPairing', {}),
  startPairingCode: () => sendToBackground('popup:startPairingCode', {}),
  cancelPairingCode: () => sendToBackground('popup:cancelPairingCode', {}),
  confirm: (id, decision) => sendToBackground('popup:confirm', { id, decision }),
};

export function connectPopupState(model: PopupModel): void {
  const port = browser.runtime.connect({ name: POPUP_STATE_PORT });
  port.onMessage.addListener((message: PopupStatePush) => {
    if (message?.type === 'state') model.receive(message.state);
  });
  port.onDisconnect.addListener(() => {
    setTimeout(() => connectPopupState(model), RECONNECT_DELAY_MS);
  });
}
