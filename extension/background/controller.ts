/**
 * The background's wiring: settings, consent, the token manager, the relay pool and the portal
 * tabs, and the handlers of every message. Each part lives in its own module; this one only
 * decides who tells whom what, and pushes the popup's state when anything changes.
 */

import { type Browser, browser } from 'wxt/browser';
import { z } from 'zod';
import type { RelaySessionFrame } from '../../relay/protocol/protocol';
import { auditLog, mergeAuditEntries } from '../audit/audit-log';
import { pairingStore } from '../bridge/pairing-store';
import type { SocketFactory } from '../bridge/relay-connection';
import { RelayPool } from '../bridge/relay-pool';
import {
  type ExtensionConfig,
  extensionConfig,
  PortRange,
  portsOf,
} from '../config/extension-config';
import {
  needsRuntimePermission,
  normalizePortalOrigin,
  originMatchPattern,
  PRODUCTION_PORTAL_ORIGIN,
} from '../config/portal-origin';
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
  readPolicyStore,
  uniformReadPolicy,
} from '../consent/read-policy';
import { t } from '../i18n/t';
import type { BackgroundHandlers } from '../messaging/background-router';
import { PortalCallAnswer, type PortalPage } from '../messaging/message-schemas';
import {
  type ActionResult,
  POPUP_STATE_PORT,
  type PopupStatePush,
} from '../messaging/protocol-map';
import type { TrustAnchors } from '../messaging/sender-checks';
import {
  callPortalTab,
  findPortalTabs,
  type PortalTabCall,
  registerPortalContentScript,
} from '../portal/portal-tabs';
import { buildPopupState, type PortalLogin, type Problem } from '../state/popup-state';
import { storedValue } from '../storage/stored-value';
import { readTokenClaims } from '../token/jwt-claims';
import { TokenManager, type TokenResult } from '../token/token-manager';
import { pendingPortalRevocations, tokenFrameOf, tokenStore } from '../token/token-store';

const RENEWAL_ALARM = 'token-renewal';
const APPROVAL_NOTIFICATION = 'approval:';
const WAKE_ALARM = 'relay-wake';
/** A relay's renew request is honoured at most this often (a broken portal must not loop). */
const RENEW_REQUEST_MIN_INTERVAL_MS = 30_000;

const portalLogin = storedValue(
  'session:portalLogin',
  z.object({
    state: z.enum(['logged_in', 'logged_out', 'unknown']),
    patientId: z.string().nullable(),
    patientName: z.string().nullable(),
  }),
  { state: 'unknown', patientId: null, patientName: null },
);
const bridgeEnabled = storedValue('local:bridgeEnabled', z.boolean(), true);
const consentDismissed = storedValue('session:consentDismissed', z.boolean(), false);
const provisioningPaused = storedValue('local:provisioningPaused', z.boolean(), false);

export interface ControllerOptions {
  createSocket: SocketFactory;
}

export class ExtensionController {
  private config!: ExtensionConfig;
  private pool!: RelayPool;
  readonly tokens: TokenManager;
  private popupPorts = new Set<Browser.runtime.Port>();
  private incidents: Problem[] = [];
  private approvals = new PendingApprovals();
  private renewalTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRenewRequest = 0;
  private pushQueued = false;

  constructor(private readonly options: ControllerOptions) {
    this.tokens = new TokenManager({
      portal: {
        generate: async (input, tabId) =>
          this.parsePortalAnswer(
            await callPortalTab(this.config.portalOrigin, 'portal:generateToken', input, { tabId }),
          ),
        revoke: async (tokenId, { tabId, open }) =>
          this.parsePortalAnswer(
            await callPortalTab(
              this.config.portalOrigin,
              'portal:revokeToken',
              { tokenId },
              { tabId, openPath: open ? '/dashboard/tokens' : undefined },
            ),
          ),
      },
      deliver: (frame) => {
        if (frame.type === 'revoke') this.pool.broadcast(frame);
        else void this.deliverToAll();
      },
      store: tokenStore,
      pendingRevocations: pendingPortalRevocations,
      consent: () => consentStore.get(),
      paused: provisioningPaused,
      tokenName: () => t('token_name', [import.meta.env.FIREFOX ? 'Firefox' : 'Chrome']),
      scheduleRenewal: (dueAt) => this.scheduleRenewal(dueAt),
      onChange: () => this.pushState(),
    });
  }

  async start(): Promise<void> {
    this.config = await extensionConfig.get();
    await registerPortalContentScript(this.config.portalOrigin).catch(() => {});
    this.pool = this.createPool();
    await this.pool.start();
    await this.keepWaking();
    await this.tokens.resume();
    this.pushState();
  }

  /**
   * While paired, an alarm wakes a sleeping worker every 30 s (Chrome's shortest) to look for
   * relays started meanwhile; unpaired, there is nothing to look for, so the worker may sleep.
   */
  private async keepWaking(): Promise<void> {
    if (this.pool.isPaired) await browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
    else await browser.alarms.clear(WAKE_ALARM);
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
    if (name === RENEWAL_ALARM) void this.renewDue();
    if (name === WAKE_ALARM) this.pool.wake();
  }

  onPopupConnected(port: Browser.runtime.Port): void {
    if (port.name !== POPUP_STATE_PORT) return;
    this.popupPorts.add(port);
    port.onDisconnect.addListener(() => this.popupPorts.delete(port));
    this.pool.wake();
    void this.postState([port]);
  }

  onNotificationClicked(id: string): void {
    if (id.startsWith(APPROVAL_NOTIFICATION)) void this.openPopupTab();
    else void this.openPortal();
  }

  /** Chrome's notification buttons: approve (0) or decline (1) without opening anything. */
  onNotificationButton(id: string, index: number): void {
    if (!id.startsWith(APPROVAL_NOTIFICATION)) return;
    void this.answerApproval(
      id.slice(APPROVAL_NOTIFICATION.length),
      index === 0 ? 'approve' : 'decline',
    );
  }

  // ── message handlers ───────────────────────────────────────────────────────

  readonly handlers: BackgroundHandlers = {
    'popup:pair': async ({ code }) => {
      const outcome = await this.pool.pair(code);
      await this.keepWaking();
      this.pushState();
      return outcome;
    },
    'popup:consent': async ({ scopes, allowReads }) => {
      await consentStore.set(grantConsent(scopes, 'popup', (await portalLogin.get()).patientId));
      await provisioningPaused.set(false);
      if (allowReads) await this.setReadPolicy(uniformReadPolicy('allow'));
      await this.notifyPortalTabs();
      const current = await this.tokens.current();
      const sameScopes =
        current && sameSet(current.scopes, (await consentStore.get())?.scopes ?? []);
      if (!sameScopes) {
        const result = await this.tokens.renew();
        this.noteResult(result);
        if (!result.ok && (result.failure === 'no_portal_tab' || result.failure === 'logged_out')) {
          // Provisioning resumes as soon as the portal page reports the patient logged in.
          await this.openPortal();
        }
      }
      this.pushState();
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
      this.pushState();
      return { ok: true, portal: portal === 'pending' ? 'pending' : 'revoked' };
    },
    'popup:disconnect': async () => {
      this.pool.broadcast({ type: 'revoke', reason: 'user' });
      await bridgeEnabled.set(false);
      this.pool.stop();
      await this.keepWaking();
      return { ok: true };
    },
    'popup:connect': async () => {
      await bridgeEnabled.set(true);
      await this.pool.start();
      await this.keepWaking();
      this.pushState();
      return { ok: true };
    },
    'popup:openPortal': async () => {
      await this.openPortal();
      return { ok: true };
    },
    'popup:forgetPairing': async () => {
      this.pool.broadcast({ type: 'revoke', reason: 'user' });
      await pairingStore.remove();
      this.pool.stop();
      await this.pool.start();
      await this.keepWaking();
      return { ok: true };
    },
    'popup:confirm': async ({ id, decision }) => this.answerApproval(id, decision),
    'options:getConfig': async () => ({
      portalOrigin: this.config.portalOrigin,
      firstPort: this.config.ports.first,
      lastPort: this.config.ports.last,
      productionOrigin: PRODUCTION_PORTAL_ORIGIN,
    }),
    'options:setConfig': async (input) => this.setConfig(input),
    'content:page': async ({ page }, sender) => {
      await this.onPortalPage(page, sender.tab?.id);
      const consent = await consentStore.get();
      const token = await this.tokens.current();
      return {
        // Offered until the patient answers, and again after they revoked access (to reconnect).
        offerConsent:
          Boolean(page.patientId) &&
          (consent === null ||
            (consent.status === 'granted' && !hasConsent(consent, page.patientId)) ||
            (hasConsent(consent, page.patientId) && (await provisioningPaused.get()))) &&
          !(await consentDismissed.get()),
        offeredScopes: [...OFFERED_SCOPES],
        defaultScopes: [...DEFAULT_CONSENT_SCOPES],
        knownTokenIds: token ? [token.tokenId] : [],
      };
    },
    'content:consent': async ({ scopes, allowReads, page }, sender) => {
      if (!page.patientId) return { ok: false, problem: 'login_needed' };
      await consentStore.set(grantConsent(scopes, 'dashboard', page.patientId));
      await provisioningPaused.set(false);
      if (allowReads) await this.setReadPolicy(uniformReadPolicy('allow'));
      const result = await this.tokens.renew(sender.tab?.id);
      this.noteResult(result);
      await this.notifyPortalTabs();
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
      if (!hasConsent(previous, page.patientId)) {
        const scopes = readTokenClaims(token)?.scopes ?? [];
        await consentStore.set(grantConsent(scopes, 'capture', page.patientId));
      }
      await provisioningPaused.set(false);
      const result = await this.tokens.capture({ token, tokenId }, page, tabId);
      if (!result.ok && !hasConsent(previous, page.patientId)) await consentStore.set(previous);
      if (result.ok && allowReads) await this.setReadPolicy(uniformReadPolicy('allow'));
      this.noteResult(result, 'capture_rejected');
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
  };

  // ── internals ──────────────────────────────────────────────────────────────

  private createPool(): RelayPool {
    return new RelayPool({
      ports: portsOf(this.config.ports),
      createSocket: this.options.createSocket,
      loadPairing: async () => ((await bridgeEnabled.get()) ? pairingStore.get() : null),
      savePairing: (pairing) => pairingStore.set(pairing),
      events: {
        onReady: (port) => void this.deliverTo(port),
        onFrame: (port, frame) => void this.onRelayFrame(port, frame),
        onChange: () => this.pushState(),
      },
    });
  }

  /** The token goes to a relay only with consent, while bridging is on. */
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
        await auditLog.set(mergeAuditEntries(await auditLog.get(), frame.entries));
        this.pushState();
        return;
      case 'confirmation_request':
      case 'read_approval_request':
        await this.askPatient(port, frame);
        return;
      default:
        return;
    }
  }

  private async setReadPolicy(policy: ReturnType<typeof effectiveReadPolicy>): Promise<void> {
    await readPolicyStore.set(policy);
    this.pool.broadcast(policyFrameOf(policy));
    this.pushState();
  }

  /** A relay waits for the patient: tell them, where they are (notification) and in the popup. */
  private async askPatient(port: number, request: ApprovalRequest): Promise<void> {
    const client = this.pool.views().find((view) => view.port === port)?.client?.name ?? null;
    this.approvals.add(port, request, client);
    const who = client ?? t('relays_unnamed');
    const message =
      request.type === 'read_approval_request'
        ? t('approve_read', [who, t(`tool_${request.tool}`)])
        : t(request.action === 'book_appointment' ? 'confirm_book' : 'confirm_cancel', [
            request.summary.doctor,
            request.summary.date,
            request.summary.time,
          ]);
    await this.notify(
      `${APPROVAL_NOTIFICATION}${request.id}`,
      t('confirm_notification_title'),
      message,
      true,
    );
    this.pushState();
  }

  private async answerApproval(id: string, decision: 'approve' | 'decline'): Promise<ActionResult> {
    const pending = this.approvals.settle(id);
    await browser.notifications?.clear(`${APPROVAL_NOTIFICATION}${id}`).catch(() => false);
    this.pushState();
    if (!pending) return { ok: false, problem: 'confirmation_expired' };
    const sent = this.pool.send(pending.port, { type: 'confirmation_result', id, decision });
    return sent ? { ok: true } : { ok: false, problem: 'no_relay' };
  }

  private async openPopupTab(): Promise<void> {
    await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
  }

  private async onPortalPage(page: PortalPage, tabId: number | undefined): Promise<void> {
    await portalLogin.set({
      state: page.patientId ? 'logged_in' : 'logged_out',
      patientId: page.patientId,
      patientName: page.patientName,
    });
    const token = await this.tokens.current();
    if (!page.patientId || (token && token.patientId !== page.patientId)) {
      await this.tokens.sessionEnded();
    } else if (tabId !== undefined) {
      this.dropIncident('renewal_needs_portal');
      await this.tokens.completePendingRevocations(tabId);
      const result = await this.tokens.renewIfDue(tabId, page.patientId);
      if (result) this.noteResult(result);
    }
    this.pushState();
  }

  private async renewDue(): Promise<void> {
    const result = await this.tokens.renewIfDue(undefined, (await portalLogin.get()).patientId);
    if (result) this.noteResult(result);
  }

  private scheduleRenewal(dueAt: number | null): void {
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.renewalTimer = null;
    void browser.alarms.clear(RENEWAL_ALARM);
    if (dueAt === null) return;
    // The timer is precise while the worker is awake; the alarm wakes it if it slept.
    this.renewalTimer = setTimeout(() => void this.renewDue(), Math.max(0, dueAt - Date.now()));
    void browser.alarms.create(RENEWAL_ALARM, { when: Math.max(dueAt, Date.now() + 30_000) });
  }

  private noteResult(result: TokenResult, failureCode: Problem['code'] = 'provision_failed'): void {
    this.dropIncident('provision_failed');
    this.dropIncident('capture_rejected');
    if (result.ok) {
      this.dropIncident('renewal_needs_portal');
    } else if (result.failure === 'no_portal_tab') {
      if (!this.incidents.some((p) => p.code === 'renewal_needs_portal')) {
        this.incidents.push({ code: 'renewal_needs_portal' });
        void this.notify(
          'renewal',
          t('renewal_notification_title'),
          t('problem_renewal_needs_portal'),
        );
      }
    } else if (result.failure !== 'logged_out' && result.failure !== 'no_consent') {
      this.incidents.push({ code: failureCode });
    }
    this.pushState();
  }

  private dropIncident(code: Problem['code']): void {
    this.incidents = this.incidents.filter((problem) => problem.code !== code);
  }

  /** Parses what the content script answered, and learns the login state from it. */
  private async parsePortalAnswer(call: PortalTabCall): Promise<PortalCallAnswer> {
    if (!call.ok) return { ok: false, page: null, status: 0, code: 'no_portal_tab' };
    const answer = PortalCallAnswer.safeParse(call.answer);
    if (!answer.success) return { ok: false, page: null, status: 0, code: 'bad_answer' };
    if (answer.data.page) {
      const { patientId, patientName } = answer.data.page;
      await portalLogin.set({
        state: patientId ? 'logged_in' : 'logged_out',
        patientId,
        patientName,
      });
    }
    return answer.data;
  }

  private async setConfig(input: {
    portalOrigin: string;
    firstPort: number;
    lastPort: number;
  }): Promise<ActionResult> {
    const origin = normalizePortalOrigin(input.portalOrigin);
    if (!origin) return { ok: false, problem: 'invalid_origin' };
    const ports = PortRange.safeParse({ first: input.firstPort, last: input.lastPort });
    if (!ports.success) return { ok: false, problem: 'invalid_ports' };
    if (
      needsRuntimePermission(origin) &&
      !(await browser.permissions.contains({ origins: [originMatchPattern(origin)] }))
    ) {
      return { ok: false, problem: 'permission_denied' };
    }
    const previous = this.config;
    this.config = { portalOrigin: origin, ports: ports.data };
    await extensionConfig.set(this.config);
    if (previous.portalOrigin !== origin) {
      // The token and session belong to the previous portal.
      await this.tokens.sessionEnded();
      await portalLogin.remove();
      await registerPortalContentScript(origin);
    }
    if (JSON.stringify(previous.ports) !== JSON.stringify(ports.data)) {
      this.pool.stop();
      this.pool = this.createPool();
      await this.pool.start();
    }
    this.pushState();
    return { ok: true };
  }

  private async openPortal(): Promise<void> {
    const [tabId] = await findPortalTabs(this.config.portalOrigin);
    if (tabId !== undefined) await browser.tabs.update(tabId, { active: true });
    else await browser.tabs.create({ url: new URL('/dashboard', this.config.portalOrigin).href });
  }

  private async notifyPortalTabs(): Promise<void> {
    for (const tabId of await findPortalTabs(this.config.portalOrigin)) {
      await callPortalTab(this.config.portalOrigin, 'portal:consentSettled', {}, { tabId });
    }
  }

  private async notify(id: string, title: string, message: string, withAnswers = false) {
    const options: Browser.notifications.NotificationCreateOptions = {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
    };
    if (withAnswers && !import.meta.env.FIREFOX) {
      // Firefox has no notification buttons: there, a click opens the popup page instead.
      options.buttons = [{ title: t('confirm_approve') }, { title: t('confirm_decline') }];
      options.requireInteraction = true;
    }
    await browser.notifications?.create(id, options).catch(() => '');
  }

  /** Pushes the popup's state once per turn of the event loop, however many changes. */
  pushState(): void {
    if (this.pushQueued || this.popupPorts.size === 0) return;
    this.pushQueued = true;
    queueMicrotask(() => {
      this.pushQueued = false;
      void this.postState([...this.popupPorts]);
    });
  }

  private async postState(ports: Browser.runtime.Port[]): Promise<void> {
    if (!this.pool) return;
    const pending = await this.tokens.hasPendingRevocations();
    const incidents = pending
      ? [...this.incidents, { code: 'portal_revocation_pending' as const }]
      : this.incidents;
    const login = (await portalLogin.get()) as PortalLogin;
    const consent = await consentStore.get();
    const state = buildPopupState({
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
    });
    const push: PopupStatePush = { type: 'state', state };
    for (const port of ports) {
      try {
        port.postMessage(push);
      } catch {
        this.popupPorts.delete(port);
      }
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
