/**
 * The background's wiring: the shared parts (background-core.ts), the patient's confirmations,
 * and the handlers of every message, grouped by who sends it — the extension's pages
 * (popup-handlers.ts), the portal page's content script (content-handlers.ts) and the relays
 * (relay-handlers.ts). The entrypoint hands browser events to this class.
 */
import { type Browser, browser } from 'wxt/browser';
import type { SocketFactory } from '../../relay/protocol/relay-connection';
import type { BackgroundHandlers } from '../messaging/background-router';
import type { TrustAnchors } from '../messaging/sender-checks';
import { BackgroundCore, WAKE_ALARM } from './background-core';
import { contentHandlers } from './content-handlers';
import { PatientConfirmations } from './patient-confirmations';
import { popupHandlers } from './popup-handlers';
import { popupView } from './popup-view';
import { relayHandlers } from './relay-handlers';

export interface ControllerOptions {
  createSocket: SocketFactory;
}

export class ExtensionController {
  private readonly core: BackgroundCore;
  private readonly confirmations: PatientConfirmations;
  readonly handlers: BackgroundHandlers;

  constructor(options: ControllerOptions) {
    this.core = new BackgroundCore(options.createSocket, (core) =>
      popupView(core, this.confirmations),
    );
    this.confirmations = new PatientConfirmations(this.core);
    this.handlers = {
      ...popupHandlers(this.core, this.confirmations),
      ...contentHandlers(this.core),
    };
  }

  start(): Promise<void> {
    return this.core.start(relayHandlers(this.core, this.confirmations));
  }

  /** What message senders are checked against (sender-checks.ts). */
  trustAnchors(): TrustAnchors {
    return {
      extensionId: browser.runtime.id,
      extensionBaseUrl: browser.runtime.getURL('/'),
      portalOrigin: this.core.config.portalOrigin,
    };
  }

  onAlarm(name: string): void {
    if (this.core.renewal.onAlarm(name)) return;
    if (name !== WAKE_ALARM) return;
    this.core.pool.wake();
    void this.core.signIns.revokeEndedWhenDue().catch(() => {});
  }

  onPopupConnected(port: Browser.runtime.Port): void {
    if (!this.core.popups.add(port)) return;
    this.core.pool.wake();
    // The checklist's first step is whether the patient is logged in: asked of the portal now.
    void this.core
      .refreshLogin()
      .then(() => this.core.popups.changed())
      .catch(() => {});
    // Dedicated tokens of remote sign-ins that ended are revoked at the portal.
    void this.core.signIns.revokeEnded().catch(() => {});
  }

  onNotificationClicked(id: string): void {
    if (!this.confirmations.onNotificationClicked(id)) void this.core.openPortal();
  }

  onNotificationButton(id: string, index: number): void {
    this.confirmations.onNotificationButton(id, index);
  }
}
