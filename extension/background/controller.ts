/**
 * The background's wiring: settings, consent, the token manager, the relay pool, the portal
 * tabs, and the handlers of every message. Each part lives in its own module; this one only
 * decides who tells whom what, and tells the popup when anything changed.
 */
import { type Browser, browser } from 'wxt/browser';
import type { RelaySessionFrame } from '../../relay/protocol/protocol';
import { readTokenClaims } from '../../relay/protocol/token-claims';
import { auditLog, recordAuditEntries } from '../audit/audit-log';
import { pairingStore } from '../bridge/pairing-store';
import { PendingPairing, pendingCodeStore } from '../bridge/pending-pairing';
import type { SocketFactory } from '../bridge/relay-connection';
import { RelayPool } from '../bridge/relay-pool';
import { type ExtensionConfig, extensionConfig, portsOf } from '../config/extension-config';
import { PRODUCTION_PORTAL_ORIGIN } from '../config/portal-origin';
import { type ApprovalRequest, PendingApprovals } from '../confirmations/pending-approvals';
import {
  consentStore,
  DEFAULT_CONSENT_SCOPES,
  grantConsent,
  hasConsent,
  OFFERED_SCOPES,
  withdrawConsent,
} from '../consent/consent-store';
import {
  effectiveReadPolicy,
  policyFrameOf,
  type ReadPolicies,
  readPolicyStore,
  uniformReadPolicy,
} from '../consent/read-policy';
import { t } from '../i18n/t';
import type { BackgroundHandlers } from '../messaging/background-router';
import type { PortalPage } from '../messaging/message-schemas';
import type { ActionResult } from '../messaging/protocol-map';
import type { TrustAnchors } from '../messaging/sender-checks';
import { callPortalTab, findPortalTabs, registerPortalContentScript } from '../portal/portal-tabs';
import { buildPopupState, type PopupState, type Problem } from '../state/popup-state';
import { TokenManager, type TokenResult } from '../token/token-manager';
import { pendingPortalRevocations, tokenFrameOf, tokenStore } from '../token/token-store';
import {
  bridgeEnabled,
  consentDismissed,
  loginOf,
  portalLogin,
  provisioningPaused,
} from './background-stores';
import { Incidents } from './incidents';
import {
  approvalIdOf,
  approvalNotificationId,
  clearNotification,
  notifyPatient,
  RENEWAL_NOTIFICATION,
} from './patient-notifications';
import { PopupChannel } from './popup-channel';
import { createPortalTokenApi } from './portal-token-api';
import { RenewalScheduler } from './renewal-scheduler';
import { checkSettings } from './settings';

const WAKE_ALARM = 'relay-wake';
/** A relay's renew request is honoured at most this often (a broken portal must not loop). */
const RENEW_REQUEST_MIN_INTERVAL_MS = 30_000;
/** Timers may fire a little early against Date.now(): an expired request is looked at after. */
const EXPIRY_MARGIN_MS = 50;

export interface ControllerOptions {
  createSocket: SocketFactory;
}

export class ExtensionController {
  private config!: ExtensionConfig;
  private pool!: RelayPool;
  private pendingPairing!: PendingPairing;
  private readonly tokens: TokenManager;
  private readonly renewal = new RenewalScheduler(() => void this.renewDue());
  private readonly popups = new PopupChannel(() => this.popupState());
  private readonly incidents = new Incidents();
  private readonly approvals = new PendingApprovals();
  private lastRenewRequest = 0;

  constructor(private readonly options: ControllerOptions) {
    this.tokens = new TokenManager({
      portal: createPortalTokenApi(() => this.config.portalOrigin),
      deliver: (frame) => {
        if (frame.type === 'revoke') this.pool.broadcast(frame);
        else void this.deliverToAll();
      },
      store: tokenStore,
      pendingRevocations: pendingPortalRevocations,
      consent: () => consentStore.get(),
      paused: provisioningPaused,
      tokenName: () => t('token_name', [import.meta.env.FIREFOX ? 'Firefox' : 'Chrome']),
      scheduleRenewal: (dueAt) => this.renewal.schedule(dueAt),
      onChange: () => this.popups.changed(),
    });
  }

  async start(): Promise<void> {
    this.config = await extensionConfig.get();
    await registerPortalContentScript(this.config.portalOrigin).catch(() => {});
    this.pool = this.createPool();
    await this.pool.start();
    this.pendingPairing = this.createPendingPairing();
    await this.pendingPairing.resume();
    await this.keepWaking();
    await this.tokens.resume();
    this.popups.changed();
  }

  /** What message senders are checked against (sender-checks.ts). */
  trustAnchors(): TrustAnchors {
    return {
      extensionId: browser.runtime.id,
      extensionBaseUrl: browser.runtime.getURL('/'),
      portalOrigin: this.config.portalOrigin,
    };
  }

  // ── events from the browser ────────────────────────────────────────────────

  onAlarm(name: string): void {
    if (this.renewal.onAlarm(name)) return;
    if (name === WAKE_ALARM) this.pool.wake();
  }

  onPopupConnected(port: Browser.runtime.Port): void {
    if (this.popups.add(port)) this.pool.wake();
  }

  onNotificationClicked(id: string): void {
    if (approvalIdOf(id)) void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    else void this.openPortal();
  }

  /** Chrome's notification buttons: approve (0) or decline (1) without opening anything. */
  onNotificationButton(id: string, index: number): void {
    const approvalId = approvalIdOf(id);
    if (approvalId) void this.answerApproval(approvalId, index === 0 ? 'approve' : 'decline');
  }

  // ── message handlers ───────────────────────────────────────────────────────

  readonly handlers: BackgroundHandlers = {
    'popup:pair': async ({ code }) => {
      const outcome = await this.pool.pair(code);
      await this.keepWaking();
      this.popups.changed();
      return outcome;
    },
    'popup:consent': async ({ scopes, allowReads }) => {
      const { patientId } = await portalLogin.get();
      await this.recordConsent(grantConsent(scopes, 'popup', patientId), allowReads);
      await this.settleConsentPanels();
      const current = await this.tokens.current();
      if (!current || !sameSet(current.scopes, scopes)) {
        const result = await this.tokens.renew();
        this.noteResult(result);
        if (!result.ok && (result.failure === 'no_portal_tab' || result.failure === 'logged_out')) {
          // Provisioning resumes as soon as the portal page reports the patient logged in.
          await this.openPortal();
        }
      }
      return { ok: true };
    },
    'popup:setReadPolicy': async ({ reads }) => {
      await this.setReadPolicy(effectiveReadPolicy(reads));
      return { ok: true };
    },
    'popup:withdrawConsent': async () => {
      await consentStore.set(withdrawConsent(await consentStore.get(), 'popup'));
      await this.tokens.revoke('consent_withdrawn');
      return { ok: true };
    },
    'popup:revoke': async () => {
      const portal = await this.tokens.revoke('user');
      return { ok: true, portal: portal === 'pending' ? 'pending' : 'revoked' };
    },
    'popup:disconnect': async () => {
      this.pool.broadcast({ type: 'revoke', reason: 'user' });
      await bridgeEnabled.set(false);
      await this.restartPool();
      return { ok: true };
    },
    'popup:connect': async () => {
      await bridgeEnabled.set(true);
      await this.restartPool();
      return { ok: true };
    },
    'popup:openPortal': async () => {
      await this.openPortal();
      return { ok: true };
    },
    'popup:forgetPairing': async () => {
      this.pool.broadcast({ type: 'revoke', reason: 'user' });
      await pairingStore.remove();
      await this.restartPool();
      return { ok: true };
    },
    'popup:startPairingCode': async () => {
      await this.pendingPairing.start();
      await this.keepWaking();
      return { ok: true };
    },
    'popup:cancelPairingCode': async () => {
      await this.pendingPairing.cancel();
      return { ok: true };
    },
    'popup:confirm': async ({ id, decision }) => this.answerApproval(id, decision),
    'options:getConfig': async () => ({
      portalOrigin: this.config.portalOrigin,
      firstPort: this.config.ports.first,
      lastPort: this.config.ports.last,
      productionOrigin: PRODUCTION_PORTAL_ORIGIN,
    }),
    'options:setConfig': async (input) => {
      const check = await checkSettings(input);
      if (!check.ok) return check;
      await this.applySettings(check.config);
      return { ok: true };
    },
    'content:page': async ({ page }, sender) => {
      await this.onPortalPage(page, sender.tab?.id);
      const token = await this.tokens.current();
      return {
        offerConsent: await this.shouldOfferConsent(page),
        offeredScopes: [...OFFERED_SCOPES],
        defaultScopes: [...DEFAULT_CONSENT_SCOPES],
        knownTokenIds: token ? [token.tokenId] : [],
      };
    },
    'content:consent': async ({ scopes, allowReads, page }, sender) => {
      if (!page.patientId) return { ok: false, problem: 'login_needed' };
      await this.recordConsent(grantConsent(scopes, 'dashboard', page.patientId), allowReads);
      const result = await this.tokens.renew(sender.tab?.id);
      this.noteResult(result);
      await this.settleConsentPanels();
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
    'content:dismissConsent': async () => {
      await consentDismissed.set(true);
      return { ok: true };
    },
    'content:capture': async ({ token, tokenId, allowReads, page }, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { ok: false, problem: 'capture_rejected' };
      // Clicking "use this token" is the patient's consent, for exactly this token's scopes;
      // recorded first so the token can be delivered at once, undone if the token is refused.
      const previous = await consentStore.get();
      const hadConsent = hasConsent(previous, page.patientId);
      if (!hadConsent) {
        const scopes = readTokenClaims(token)?.scopes ?? [];
        await consentStore.set(grantConsent(scopes, 'capture', page.patientId));
      }
      await provisioningPaused.set(false);
      const result = await this.tokens.capture({ token, tokenId }, page, tabId);
      if (!result.ok && !hadConsent) await consentStore.set(previous);
      if (result.ok && allowReads) await this.setReadPolicy(uniformReadPolicy('allow'));
      this.noteResult(result, 'capture_rejected');
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
  };

  // ── relays ─────────────────────────────────────────────────────────────────

  private createPool(): RelayPool {
    return new RelayPool({
      ports: portsOf(this.config.ports),
      createSocket: this.options.createSocket,
      loadPairing: async () => ((await bridgeEnabled.get()) ? pairingStore.get() : null),
      savePairing: (pairing) => pairingStore.set(pairing),
      events: {
        onReady: (port) => void this.deliverTo(port),
        onFrame: (port, frame) => void this.onRelayFrame(port, frame),
        onChange: () => this.popups.changed(),
      },
    });
  }

  /** Pairing with no terminal: the code the popup shows, and the watch for its relay. */
  private createPendingPairing(): PendingPairing {
    return new PendingPairing({
      ports: portsOf(this.config.ports),
      createSocket: this.options.createSocket,
      store: pendingCodeStore,
      onPaired: async (pairing) => {
        await pairingStore.set(pairing);
        await this.restartPool();
      },
      onChange: () => this.popups.changed(),
    });
  }

  private async restartPool(): Promise<void> {
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
  private async keepWaking(): Promise<void> {
    // A code waiting for its relay is something to look for too (a woken worker resumes it).
    const codeWaiting = this.pendingPairing?.view()?.status === 'waiting';
    if (this.pool.isPaired || codeWaiting)
      await browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
    else await browser.alarms.clear(WAKE_ALARM);
  }

  /** The token goes to a relay only with its patient's consent, while bridging is on. */
  private async deliverableToken() {
    if (!(await bridgeEnabled.get())) return null;
    const token = await this.tokens.current();
    return token && hasConsent(await consentStore.get(), token.patientId) ? token : null;
  }

  private async deliverTo(port: number): Promise<void> {
    // The policy first: a relay must know which reads to ask about before it can run any.
    this.pool.send(port, policyFrameOf(effectiveReadPolicy(await readPolicyStore.get())));
    const token = await this.deliverableToken();
    if (token) this.pool.send(port, tokenFrameOf(token));
    else void this.renewDue();
  }

  private async deliverToAll(): Promise<void> {
    const token = await this.deliverableToken();
    if (token) this.pool.broadcast(tokenFrameOf(token));
  }

  private async onRelayFrame(port: number, frame: RelaySessionFrame): Promise<void> {
    switch (frame.type) {
      case 'renew_request': {
        const current = await this.tokens.current();
        if (current && frame.tokenId !== null && frame.tokenId !== current.tokenId) {
          // The relay holds an older token than ours: just give it the current one.
          this.pool.send(port, tokenFrameOf(current));
          return;
        }
        if (Date.now() - this.lastRenewRequest < RENEW_REQUEST_MIN_INTERVAL_MS) return;
        this.lastRenewRequest = Date.now();
        this.noteResult(await this.tokens.renew());
        return;
      }
      case 'audit':
        await recordAuditEntries(frame.entries);
        this.popups.changed();
        return;
      case 'confirmation_request':
      case 'read_approval_request':
        await this.askPatient(port, frame);
        return;
      default:
        return;
    }
  }

  private async setReadPolicy(policy: ReadPolicies): Promise<void> {
    await readPolicyStore.set(policy);
    this.pool.broadcast(policyFrameOf(policy));
    this.popups.changed();
  }

  // ── the patient's approvals ────────────────────────────────────────────────

  /** A relay waits for the patient: tell them, where they are (notification) and in the popup. */
  private async askPatient(port: number, request: ApprovalRequest): Promise<void> {
    const client = this.pool.views().find((view) => view.port === port)?.client?.name ?? null;
    this.approvals.add(port, request, client);
    this.expireWhenDue(request.expiresAt);
    const message =
      request.type === 'read_approval_request'
        ? t('approve_read', [client ?? t('relays_unnamed'), t(`tool_${request.tool}`)])
        : t(request.action === 'book_appointment' ? 'confirm_book' : 'confirm_cancel', [
            request.summary.doctor,
            request.summary.date,
            request.summary.time,
          ]);
    await notifyPatient(
      approvalNotificationId(request.id),
      t('confirm_notification_title'),
      message,
      {
        withAnswers: true,
      },
    );
    this.popups.changed();
  }

  /**
   * The relay gives up at `expiresAt` without a word (no answer = not done): the popup and the
   * notification then stop offering a choice that no longer counts.
   */
  private expireWhenDue(expiresAt: string): void {
    const delay = Math.max(0, Date.parse(expiresAt) - Date.now()) + EXPIRY_MARGIN_MS;
    setTimeout(() => {
      const expired = this.approvals.dropExpired();
      for (const id of expired) void clearNotification(approvalNotificationId(id));
      if (expired.length > 0) this.popups.changed();
    }, delay);
  }

  private async answerApproval(id: string, decision: 'approve' | 'decline'): Promise<ActionResult> {
    const pending = this.approvals.settle(id);
    await clearNotification(approvalNotificationId(id));
    this.popups.changed();
    if (!pending) return { ok: false, problem: 'confirmation_expired' };
    const sent = this.pool.send(pending.port, { type: 'confirmation_result', id, decision });
    return sent ? { ok: true } : { ok: false, problem: 'no_relay' };
  }

  // ── consent and the portal ─────────────────────────────────────────────────

  private async recordConsent(
    consent: Parameters<typeof consentStore.set>[0],
    allowReads: boolean,
  ): Promise<void> {
    await consentStore.set(consent);
    await provisioningPaused.set(false);
    if (allowReads) await this.setReadPolicy(uniformReadPolicy('allow'));
    this.popups.changed();
  }

  /**
   * The dashboard panel is offered until the patient answers; again after they revoked access
   * (to reconnect); and to another patient, whom the first one's consent does not cover.
   */
  private async shouldOfferConsent(page: PortalPage): Promise<boolean> {
    if (!page.patientId || (await consentDismissed.get())) return false;
    const consent = await consentStore.get();
    if (consent === null) return true;
    if (consent.status !== 'granted') return false;
    return !hasConsent(consent, page.patientId) || (await provisioningPaused.get());
  }

  private async onPortalPage(page: PortalPage, tabId: number | undefined): Promise<void> {
    await portalLogin.set(loginOf(page));
    const token = await this.tokens.current();
    if (!page.patientId || (token && token.patientId !== page.patientId)) {
      await this.tokens.sessionEnded();
    } else if (tabId !== undefined) {
      this.incidents.drop('renewal_needs_portal');
      await this.tokens.completePendingRevocations(tabId);
      const result = await this.tokens.renewIfDue(tabId, page.patientId);
      if (result) this.noteResult(result);
    }
    this.popups.changed();
  }

  private async renewDue(): Promise<void> {
    const result = await this.tokens.renewIfDue(undefined, (await portalLogin.get()).patientId);
    if (result) this.noteResult(result);
  }

  private noteResult(result: TokenResult, failureCode: Problem['code'] = 'provision_failed') {
    if (this.incidents.noteResult(result, failureCode)) {
      void notifyPatient(
        RENEWAL_NOTIFICATION,
        t('renewal_notification_title'),
        t('problem_renewal_needs_portal'),
      );
    }
    this.popups.changed();
  }

  private async applySettings(config: ExtensionConfig): Promise<void> {
    const previous = this.config;
    this.config = config;
    await extensionConfig.set(config);
    if (previous.portalOrigin !== config.portalOrigin) {
      // The token and session belong to the previous portal.
      await this.tokens.sessionEnded();
      await portalLogin.remove();
      await registerPortalContentScript(config.portalOrigin);
    }
    if (JSON.stringify(previous.ports) !== JSON.stringify(config.ports)) {
      await this.restartPool();
      this.pendingPairing.stopWatching();
      this.pendingPairing = this.createPendingPairing();
      await this.pendingPairing.resume();
    }
    this.popups.changed();
  }

  private async openPortal(): Promise<void> {
    const [tabId] = await findPortalTabs(this.config.portalOrigin);
    if (tabId !== undefined) await browser.tabs.update(tabId, { active: true });
    else await browser.tabs.create({ url: new URL('/dashboard', this.config.portalOrigin).href });
  }

  /** Consent was given: any dashboard panel still asking can go. */
  private async settleConsentPanels(): Promise<void> {
    for (const tabId of await findPortalTabs(this.config.portalOrigin)) {
      await callPortalTab(this.config.portalOrigin, 'portal:consentSettled', {}, { tabId });
    }
  }

  // ── the popup ──────────────────────────────────────────────────────────────

  private async popupState(): Promise<PopupState | null> {
    if (!this.pool) return null;
    const incidents = this.incidents.list();
    if (await this.tokens.hasPendingRevocations())
      incidents.push({ code: 'portal_revocation_pending' });
    const login = await portalLogin.get();
    const consent = await consentStore.get();
    return buildPopupState({
      portalOrigin: this.config.portalOrigin,
      login,
      // Another patient's consent is not this patient's: shown as none.
      consent:
        consent?.status === 'granted' && !hasConsent(consent, login.patientId) ? null : consent,
      paused: await provisioningPaused.get(),
      offeredScopes: OFFERED_SCOPES,
      token: await this.tokens.current(),
      renewing: this.tokens.renewing,
      paired: (await pairingStore.get()) !== null,
      bridgeEnabled: await bridgeEnabled.get(),
      relays: this.pool.views(),
      audit: await auditLog.get(),
      incidents,
      approvals: this.approvals.list(),
      readPolicy: effectiveReadPolicy(await readPolicyStore.get()),
      pendingPairing: this.pendingPairing?.view() ?? null,
    });
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
