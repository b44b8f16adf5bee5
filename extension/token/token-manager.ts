/**
 * The token's whole life in the extension: provisioned through the portal's token API with the
 * patient's session (after consent), renewed before it expires — the new one delivered before
 * the old one is revoked, so no tool call meets a dead token — captured when the patient made
 * one by hand, revoked for good, and dropped when the portal session ends.
 * (Over 250 lines: provisioning, renewal, capture and revocation share the one held token and the
 * order of their steps.)
 */
import type { z } from 'zod';
import type { RevokeFrame } from '../../relay/protocol/protocol';
import { readTokenClaims } from '../../relay/protocol/token-claims';
import { type ConsentRecord, hasConsent } from '../consent/consent-store';
import { GenerateAnswerBody, type PortalCallAnswer } from '../messaging/message-schemas';
import type { StoredValue } from '../storage/stored-value';
import { isExpired, renewalDueAt } from './renewal-timing';
import type { TokenRecord } from './token-store';

/** Auto-provisioned tokens live one day (the portal's minimum) and are renewed well before. */
export const AUTO_TOKEN_EXPIRY_DAYS = 1;

export type RevokeReason = z.infer<typeof RevokeFrame>['reason'];

/** Failures the popup explains; each maps to a problem code. */
export type TokenFailure =
  | 'no_consent'
  /** The patient revoked access: nothing is provisioned until they reconnect. */
  | 'paused'
  | 'no_portal_tab'
  | 'logged_out'
  | 'wrong_patient'
  | 'portal_error'
  | 'invalid_token';

export type TokenResult = { ok: true; token: TokenRecord } | { ok: false; failure: TokenFailure };

export interface PortalTokenApi {
  /** POST /api/tokens/generate from a portal tab (this one, or any open). */
  generate(
    input: { name: string; scopes: string[]; expiresInDays: number },
    tabId?: number,
  ): Promise<PortalCallAnswer>;
  /** DELETE /api/tokens/mcp?id= from a portal tab; `open`: open one in the background if none. */
  revoke(tokenId: string, options: { tabId?: number; open: boolean }): Promise<PortalCallAnswer>;
}

export interface TokenManagerDeps {
  portal: PortalTokenApi;
  /** Hands the token in use to the relays (the background decides which may hold it). */
  deliver(token: TokenRecord): void;
  /** Tells every relay to drop the token it holds; resolves once they have (or gave no answer). */
  withdraw(reason: RevokeReason): Promise<void>;
  store: StoredValue<TokenRecord | null>;
  pendingRevocations: StoredValue<string[]>;
  consent: () => Promise<ConsentRecord | null>;
  /** Makes a consent given before any page said who (no patient id) that patient's, for good. */
  bindConsent: (patientId: string) => Promise<void>;
  /**
   * Set when the patient revokes access: consent still stands (the dashboard offers to
   * reconnect), but nothing is provisioned until the patient says so again.
   */
  paused: StoredValue<boolean>;
  tokenName: () => string;
  /**
   * The patient logged into the portal, as the portal's session API told the extension itself
   * (session-identity.ts); null when nobody is, or it could not be asked. Never a page's word.
   */
  sessionPatient: () => Promise<string | null>;
  /** Called with the time renewal is due, or null when there is nothing to renew. */
  scheduleRenewal: (dueAt: number | null) => void;
  onChange: () => void;
  now?: () => number;
}

export class TokenManager {
  private renewal: Promise<TokenResult> | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: TokenManagerDeps) {
    this.now = deps.now ?? Date.now;
  }

  get renewing(): boolean {
    return this.renewal !== null;
  }

  /** The token in use, or null (none, or expired). */
  async current(): Promise<TokenRecord | null> {
    const token = await this.deps.store.get();
    return token && !isExpired(token, this.now()) ? token : null;
  }

  /** Re-arms the renewal timer from what is stored (service-worker start). */
  async resume(): Promise<void> {
    const token = await this.current();
    this.deps.scheduleRenewal(token?.source === 'auto' ? renewalDueAt(token) : null);
  }

  /** Creates a dedicated token with the consented scopes, replacing (and revoking) the old one. */
  async provision(tabId?: number): Promise<TokenResult> {
    const consent = await this.deps.consent();
    if (!hasConsent(consent) || consent.via === 'capture')
      return { ok: false, failure: 'no_consent' };
    if (await this.deps.paused.get()) return { ok: false, failure: 'paused' };
    const answer = await this.deps.portal.generate(
      {
        name: this.deps.tokenName(),
        scopes: consent.scopes,
        expiresInDays: AUTO_TOKEN_EXPIRY_DAYS,
      },
      tabId,
    );
    if (!answer.ok) {
      if (answer.status === 401) await this.sessionEnded();
      return { ok: false, failure: failureOf(answer) };
    }
    const body = GenerateAnswerBody.safeParse(answer.body);
    if (!body.success) return { ok: false, failure: 'portal_error' };
    const generated = body.data.token;
    const claims = readTokenClaims(generated.tokenMcp);
    const patientId = await this.deps.sessionPatient();
    if (!claims || !patientId || claims.subject !== patientId || !hasConsent(consent, patientId)) {
      // Not the logged-in patient's token: never use it, and do not leave it alive either.
      await this.deps.portal.revoke(generated.id, { tabId, open: false });
      return { ok: false, failure: 'wrong_patient' };
    }
    // A consent given while no one was known to be logged in is the first patient's it serves,
    // never that of another patient who logs into this browser later.
    if (consent.patientId === null) await this.deps.bindConsent(patientId);
    return this.adopt(
      {
        token: generated.tokenMcp,
        tokenId: generated.id,
        source: 'auto',
        scopes: generated.scopes,
        createdAt: generated.createdAt,
        expiresAt: generated.expiresAt,
        patientId,
      },
      tabId,
    );
  }

  /** Renews once even when several relays ask at the same time. */
  renew(tabId?: number): Promise<TokenResult> {
    if (!this.renewal) {
      this.renewal = this.provision(tabId).finally(() => {
        this.renewal = null;
        this.deps.onChange();
      });
      this.deps.onChange();
    }
    return this.renewal;
  }

  /**
   * Renews if the token is due (or gone while consent stands); otherwise nothing. `patientId`:
   * the patient logged in on the tab, whose consent it must be.
   */
  async renewIfDue(tabId?: number, patientId?: string | null): Promise<TokenResult | null> {
    const token = await this.current();
    if (token && (token.source !== 'auto' || renewalDueAt(token) > this.now())) return null;
    if (!hasConsent(await this.deps.consent(), patientId ?? token?.patientId)) return null;
    if (await this.deps.paused.get()) return null;
    return this.renew(tabId);
  }

  /**
   * A token the patient generated by hand and agreed (in the popup) to hand over. It must be the
   * logged-in patient's — its `sub` is the patient of the portal's session, asked by the
   * extension — name the id shown, and be alive.
   */
  async capture(shown: { token: string; tokenId: string }, tabId?: number): Promise<TokenResult> {
    const patientId = await this.deps.sessionPatient();
    const claims = readTokenClaims(shown.token);
    if (!claims || !patientId || claims.subject !== patientId) {
      return { ok: false, failure: 'wrong_patient' };
    }
    if ((claims.tokenId && claims.tokenId !== shown.tokenId) || !claims.expiresAt) {
      return { ok: false, failure: 'invalid_token' };
    }
    if (isExpired({ expiresAt: claims.expiresAt }, this.now())) {
      return { ok: false, failure: 'invalid_token' };
    }
    return this.adopt(
      {
        token: shown.token,
        tokenId: shown.tokenId,
        source: 'capture',
        scopes: claims.scopes,
        createdAt: new Date(this.now()).toISOString(),
        expiresAt: claims.expiresAt,
        patientId,
      },
      tabId,
    );
  }

  /**
   * Revokes for good: wiped here and on every relay at once, then deleted at the portal (which
   * needs the session: a background tab is opened if none is). Returns whether the portal has
   * revoked it, or whether that is still pending until the patient logs in again.
   */
  async revoke(reason: RevokeReason): Promise<'revoked' | 'pending' | 'none'> {
    const token = await this.deps.store.get();
    // Revoked means revoked: no portal page visit may bring a token back by itself.
    if (reason === 'user') await this.deps.paused.set(true);
    await this.deps.store.remove();
    this.deps.scheduleRenewal(null);
    await this.deps.withdraw(reason);
    this.deps.onChange();
    const ids = [...(token ? [token.tokenId] : []), ...(await this.deps.pendingRevocations.get())];
    if (ids.length === 0) return 'none';
    const left = await this.revokeAtPortal(ids, { open: true });
    return left.length > 0 ? 'pending' : 'revoked';
  }

  /** The portal session ended (logout, another patient): stop cleanly, keep nothing alive. */
  async sessionEnded(): Promise<void> {
    const token = await this.deps.store.get();
    if (!token) return;
    await this.deps.store.remove();
    this.deps.scheduleRenewal(null);
    await this.deps.withdraw('session_ended');
    // Revoking needs a session: done the next time the patient is logged in.
    if (token.source === 'auto') await this.addPending([token.tokenId]);
    this.deps.onChange();
  }

  /** Finishes revocations that waited for the session, from a logged-in portal tab. */
  async completePendingRevocations(tabId: number): Promise<void> {
    const pending = await this.deps.pendingRevocations.get();
    if (pending.length) await this.revokeAtPortal(pending, { tabId, open: false });
  }

  async hasPendingRevocations(): Promise<boolean> {
    return (await this.deps.pendingRevocations.get()).length > 0;
  }

  private async adopt(token: TokenRecord, tabId: number | undefined): Promise<TokenResult> {
    const previous = await this.deps.store.get();
    await this.deps.store.set(token);
    // Deliver the new token first, then revoke the old one: no call falls in between.
    this.deps.deliver(token);
    this.deps.scheduleRenewal(token.source === 'auto' ? renewalDueAt(token) : null);
    this.deps.onChange();
    if (previous && previous.tokenId !== token.tokenId && previous.source === 'auto') {
      await this.revokeAtPortal([previous.tokenId], { tabId, open: false });
    }
    return { ok: true, token };
  }

  /** Revokes at the portal; ids it could not revoke stay pending. Returns those ids. */
  private async revokeAtPortal(
    ids: string[],
    options: { tabId?: number; open: boolean },
  ): Promise<string[]> {
    const left: string[] = [];
    for (const id of new Set(ids)) {
      const answer = await this.deps.portal.revoke(id, options);
      // 404: already revoked or expired and purged — nothing left to do.
      if (!answer.ok && answer.status !== 404) left.push(id);
    }
    const pending = (await this.deps.pendingRevocations.get()).filter((id) => !ids.includes(id));
    await this.deps.pendingRevocations.set([...pending, ...left].slice(-50));
    this.deps.onChange();
    return left;
  }

  private async addPending(ids: string[]): Promise<void> {
    const pending = await this.deps.pendingRevocations.get();
    await this.deps.pendingRevocations.set([...new Set([...pending, ...ids])].slice(-50));
  }
}

function failureOf(answer: Extract<PortalCallAnswer, { ok: false }>): TokenFailure {
  if (answer.code === 'no_portal_tab') return 'no_portal_tab';
  if (answer.status === 401) return 'logged_out';
  return 'portal_error';
}
