/**
 * What the background's handlers share: the settings, the token manager, the relays (with the
 * one path a token takes to them), the popup channel and the incidents — and the few steps
 * several handlers take (note a result, open the portal, set the read policy). The handlers
 * themselves live by sender: popup-handlers.ts, content-handlers.ts, relay-handlers.ts.
 * (Over 250 lines: the parts every handler shares, made once; each handler's own work is in its
 * file.)
 */
import { browser } from 'wxt/browser';
import { type ExtensionSessionFrame, portsOf } from '../../relay/protocol/protocol';
import type { SocketFactory } from '../../relay/protocol/relay-connection';
import { pairingStore } from '../bridge/pairing-store';
import { PendingPairing, pendingCodeStore } from '../bridge/pending-pairing';
import { RelayPool, type RelayPoolEvents } from '../bridge/relay-pool';
import { TypedCodeTries } from '../bridge/typed-code-tries';
import { type ExtensionConfig, extensionConfig } from '../config/extension-config';
import { originMatchPattern } from '../config/portal-origin';
import { bindConsent, consentStore, hasConsent } from '../consent/consent-store';
import {
  effectiveReadPolicy,
  policyFrameOf,
  type ReadPolicies,
  readPolicyStore,
} from '../consent/read-policy';
import { t } from '../i18n/t';
import { findPortalTabs, registerPortalContentScript } from '../portal/portal-tabs';
import { fetchPortalLogin } from '../portal/session-identity';
import { SignInRequests } from '../sign-in/sign-in-requests';
import type { PopupState, PortalLogin, Problem } from '../state/popup-state';
import { TokenManager, type TokenResult } from '../token/token-manager';
import {
  pendingPortalRevocations,
  type TokenRecord,
  tokenFrameOf,
  tokenStore,
} from '../token/token-store';
import {
  bridgeEnabled,
  pendingSignIn,
  portalLogin,
  provisioningPaused,
  signInsCheckedAt,
  signInTokens,
} from './background-stores';
import { captureOffer } from './capture-offer';
import { Incidents } from './incidents';
import { notifyPatient, RENEWAL_NOTIFICATION } from './patient-notifications';
import { PopupChannel } from './popup-channel';
import { createPortalTokenApi } from './portal-token-api';
import { RenewalScheduler } from './renewal-scheduler';

export const WAKE_ALARM = 'relay-wake';
/**
 * How long a withdrawal or a pause waits for every relay to say it has applied it. A relay
 * answers in milliseconds; one that does not within this is stuck, or its connection is dying.
 */
export const RELAY_HANDLED_TIMEOUT_MS = 2_000;

/** What the background does when a relay proved itself, and with each frame it sends. */
export type RelayEvents = Pick<RelayPoolEvents, 'onReady' | 'onFrame'>;

export class BackgroundCore {
  config!: ExtensionConfig;
  pool!: RelayPool;
  /** Pauses sent and not yet applied by every relay: the popup does not say Paused before. */
  pausesUnconfirmed = 0;
  /** Pairing with no terminal: the code the popup shows, and the watch for its relay. */
  pendingPairing!: PendingPairing;
  readonly tokens: TokenManager;
  readonly renewal = new RenewalScheduler(() => void this.renewDue());
  readonly popups: PopupChannel;
  readonly incidents = new Incidents();
  /** Remote servers' sign-ins through the extension, and the tokens given to them. */
  readonly signIns: SignInRequests;
  /** Wrong codes the patient typed, per relay code: kept while the pool is replaced. */
  private readonly typedTries = new TypedCodeTries();
  private relayEvents!: RelayEvents;

  constructor(
    private readonly createSocket: SocketFactory,
    popupState: (core: BackgroundCore) => Promise<PopupState | null>,
  ) {
    this.popups = new PopupChannel(() => popupState(this));
    this.tokens = new TokenManager({
      portal: createPortalTokenApi(() => this.config.portalOrigin),
      deliver: (token) => void this.deliverToken(token),
      withdraw: async (reason) => {
        await this.pool.broadcastHandled({ type: 'revoke', reason }, RELAY_HANDLED_TIMEOUT_MS);
      },
      store: tokenStore,
      pendingRevocations: pendingPortalRevocations,
      consent: () => consentStore.get(),
      bindConsent: async (patientId) => {
        await consentStore.set(bindConsent(await consentStore.get(), patientId));
      },
      paused: provisioningPaused,
      tokenName: () => t('token_name', [import.meta.env.FIREFOX ? 'Firefox' : 'Chrome']),
      sessionPatient: async () => (await this.refreshLogin()).patientId,
      scheduleRenewal: (dueAt) => this.renewal.schedule(dueAt),
      onChange: () => this.popups.changed(),
    });
    this.signIns = new SignInRequests({
      fetch: (input, init) => fetch(input, init),
      portal: createPortalTokenApi(() => this.config.portalOrigin),
      sessionPatient: async () => (await this.refreshLogin()).patientId,
      hasHostPermission: (server) =>
        browser.permissions.contains({ origins: [originMatchPattern(server)] }),
      openDecisionPage: async () => {
        await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
      },
      navigate: async (tabId, url) => {
        const moved =
          tabId === undefined
            ? null
            : await browser.tabs.update(tabId, { url, active: true }).catch(() => null);
        if (!moved) await browser.tabs.create({ url });
      },
      tokenName: (client, serverHost) => t('sign_in_token_name', [client, serverHost]),
      tokens: signInTokens,
      pending: pendingSignIn,
      lastCheck: signInsCheckedAt,
      onChange: () => this.popups.changed(),
    });
  }

  async start(relayEvents: RelayEvents): Promise<void> {
    this.relayEvents = relayEvents;
    this.config = await extensionConfig.get();
    await registerPortalContentScript(this.config.portalOrigin).catch(() => {});
    this.pool = this.createPool();
    await this.pool.start();
    this.pendingPairing = this.createPendingPairing();
    await this.pendingPairing.resume();
    await this.keepWaking();
    await this.tokens.resume();
    await this.signIns.resume();
    this.popups.changed();
  }

  // ── relays ─────────────────────────────────────────────────────────────────

  private createPool(): RelayPool {
    return new RelayPool({
      ports: portsOf(this.config.ports),
      createSocket: this.createSocket,
      portal: this.config.portalOrigin,
      // Paused, the relays are still reached: each one that proves itself is told it is paused.
      loadPairing: () => pairingStore.get(),
      savePairing: (pairing, verified) => pairingStore.set(pairing, verified),
      typedTries: this.typedTries,
      events: {
        onReady: (port) => this.relayEvents.onReady(port),
        onFrame: (port, frame) => this.relayEvents.onFrame(port, frame),
        onChange: () => this.popups.changed(),
      },
    });
  }

  private createPendingPairing(): PendingPairing {
    return new PendingPairing({
      ports: portsOf(this.config.ports),
      createSocket: this.createSocket,
      store: pendingCodeStore,
      onPaired: async (pairing, _port, verified) => {
        await pairingStore.set(pairing, verified);
        await this.restartPool();
      },
      onChange: () => this.popups.changed(),
    });
  }

  async restartPool(): Promise<void> {
    this.pool.stop();
    this.pool = this.createPool();
    await this.pool.start();
    await this.keepWaking();
    this.popups.changed();
  }

  /**
   * While paired, an alarm wakes a sleeping worker every 30 s (Chrome's shortest) to look for
   * relays started meanwhile; unpaired with no code waiting, there is nothing to look for, so
   * the worker may sleep.
   */
  async keepWaking(): Promise<void> {
    // A code waiting for its relay is something to look for too (a woken worker resumes it).
    const codeWaiting = this.pendingPairing?.view()?.status === 'waiting';
    if (this.pool.isPaired || codeWaiting)
      await browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
    else await browser.alarms.clear(WAKE_ALARM);
  }

  /**
   * The one path a token takes to the relays — one (`port`) or all: only with its patient's
   * consent, while bridging is on.
   */
  async deliverToken(token: TokenRecord | null, port?: number): Promise<boolean> {
    if (!token || !(await bridgeEnabled.get())) return false;
    if (!hasConsent(await consentStore.get(), token.patientId)) return false;
    this.sendToRelays(tokenFrameOf(token), port);
    return true;
  }

  /**
   * What a relay that proved itself gets: paused, only that word (a relay that was away when
   * the patient paused hears it as it comes back); otherwise the read policy first — a relay
   * must know which reads to ask about before it can run any — then the token.
   */
  async greetRelay(port: number): Promise<void> {
    if (!(await bridgeEnabled.get())) {
      this.pool.send(port, { type: 'revoke', reason: 'paused' });
      return;
    }
    await this.sendReadPolicy(undefined, port);
    if (!(await this.deliverToken(await this.tokens.current(), port))) await this.renewDue();
  }

  private sendToRelays(frame: ExtensionSessionFrame, port?: number): void {
    if (port === undefined) this.pool.broadcast(frame);
    else this.pool.send(port, frame);
  }

  /** The patient's read policy, stored and told to the relays (one, or all). */
  async sendReadPolicy(policy?: ReadPolicies, port?: number): Promise<void> {
    if (policy) await readPolicyStore.set(policy);
    const current = policy ?? effectiveReadPolicy(await readPolicyStore.get());
    this.sendToRelays(policyFrameOf(current), port);
    if (policy) this.popups.changed();
  }

  // ── tokens and the portal ──────────────────────────────────────────────────

  /** Who is logged in, asked of the portal by the worker itself; remembered for the popup. */
  async refreshLogin(): Promise<PortalLogin> {
    const login = await fetchPortalLogin(this.config.portalOrigin);
    await portalLogin.set(login);
    return login;
  }

  async renewDue(): Promise<void> {
    const result = await this.tokens.renewIfDue(undefined, (await portalLogin.get()).patientId);
    if (result) this.noteResult(result);
  }

  noteResult(result: TokenResult, failureCode: Problem['code'] = 'provision_failed'): void {
    if (this.incidents.noteResult(result, failureCode)) {
      // No renewal talk without a token to renew (consent given before logging in).
      void this.tokens.current().then((token) => {
        if (token)
          void notifyPatient(
            RENEWAL_NOTIFICATION,
            t('renewal_notification_title'),
            t('problem_renewal_needs_portal'),
          );
      });
    }
    this.popups.changed();
  }

  async openPortal(): Promise<void> {
    const [tabId] = await findPortalTabs(this.config.portalOrigin);
    if (tabId !== undefined) await browser.tabs.update(tabId, { active: true });
    else await browser.tabs.create({ url: new URL('/dashboard', this.config.portalOrigin).href });
  }

  async applySettings(config: ExtensionConfig): Promise<void> {
    const previous = this.config;
    this.config = config;
    await extensionConfig.set(config);
    if (previous.portalOrigin !== config.portalOrigin) {
      // The token, the session and a token waiting to be used belong to the previous portal.
      await this.tokens.sessionEnded();
      await portalLogin.remove();
      await captureOffer.set(null);
      await registerPortalContentScript(config.portalOrigin);
    }
    const portsChanged = JSON.stringify(previous.ports) !== JSON.stringify(config.ports);
    // Which relays may hold the token depends on the portal too.
    if (portsChanged || previous.portalOrigin !== config.portalOrigin) await this.restartPool();
    if (portsChanged) {
      this.pendingPairing.stopWatching();
      this.pendingPairing = this.createPendingPairing();
      await this.pendingPairing.resume();
    }
    this.popups.changed();
  }
}
