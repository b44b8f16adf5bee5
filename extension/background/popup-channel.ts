/**
 * The popups currently open (each holds a port), and the state pushed to them: built at most
 * once per turn of the event loop however many things changed, and only while a popup listens.
 */
import type { Browser } from 'wxt/browser';
import { POPUP_STATE_PORT, type PopupStatePush } from '../messaging/protocol-map';
import type { PopupState } from '../state/popup-state';

export class PopupChannel {
  private ports = new Set<Browser.runtime.Port>();
  private queued = false;

  constructor(private readonly build: () => Promise<PopupState | null>) {}

  /** A popup connected: it gets the state at once, then every change. False if not a popup. */
  add(port: Browser.runtime.Port): boolean {
    if (port.name !== POPUP_STATE_PORT) return false;
    this.ports.add(port);
    port.onDisconnect.addListener(() => this.ports.delete(port));
    void this.send([port]);
    return true;
  }

  /** Something changed: push the state soon. */
  changed(): void {
    if (this.queued || this.ports.size === 0) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      void this.send([...this.ports]);
    });
  }

  private async send(ports: Browser.runtime.Port[]): Promise<void> {
    const state = await this.build();
    if (!state) return;
    const push: PopupStatePush = { type: 'state', state };
    for (const port of ports) {
      try {
        port.postMessage(push);
      } catch {
        this.ports.delete(port);
      }
    }
  }
}
