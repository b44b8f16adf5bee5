/**
 * "Sign in with HospiAI" from a remote HospiAI server's consent page, in one click: the page
 * points the portal tab to a pending authorization (sign-in-fragment.ts); the worker asks that
 * server what the request is — the assistant's name and whether it is verified, the scopes —
 * and shows it in the extension's own page, never what the portal page says. Only the patient's
 * Allow there provisions a DEDICATED portal token (its own name, the ticked scopes, 30 days) and
 * posts it from the worker straight to that server for that request only; the portal tab then
 * follows the server's one-time continue link back to the assistant. The token is listed in the
 * popup, where one click revokes it at the portal, which ends the assistant's access there.
 * The relays' token is never used for this.
 * (Over 250 lines: the request's steps — fetched, shown, allowed, provisioned, delivered,
 * followed, revoked — keep one stored state and one order.)
 * When the popup opens, and every quarter of an hour besides (on the worker's wake alarm), the
 * worker asks each server whether the sign-in its dedicated token went to still lives (`GET /oauth/extension/sign-in?token_id=`): once the server says it ended (the
 * assistant signed out, its grant was revoked, its code was never exchanged), the token is
 * revoked at the portal — the portal lets only the patient's own session do that, so the server
 * cannot — and leaves the list.
 */
import { z } from 'zod';
import { IsoDateTime, Scope } from '../../relay/protocol/protocol';
import { readTokenClaims } from '../../relay/protocol/token-claims';
import { forPopup } from '../../relay/protocol/untrusted-text';
import { isLoopbackOrigin, isOnOrigin, normalizePortalOrigin } from '../config/portal-origin';
import { GenerateAnswerBody } from '../messaging/message-schemas';
import type { ActionResult } from '../messaging/protocol-map';
import type { StoredValue } from '../storage/stored-value';
import type { PortalTokenApi } from '../token/token-manager';
import type { SignInPointer } from './sign-in-fragment';

/** Where a server says whether the sign-in a dedicated token went to still lives. */
const EXTENSION_SIGN_IN_PATH = '/oauth/extension/sign-in';
/** The dedicated token's lifetime: the portal re-checks it on every request of the assistant. */
export const SIGN_IN_TOKEN_DAYS = 30;
const FETCH_TIMEOUT_MS = 10_000;
/** A page script can set pointers in a loop: the decision page opens at most this often. */
export const DECISION_PAGE_INTERVAL_MS = 10_000;

/** What the server says of its pending authorization (`GET /oauth/extension/request?id=`). */
export const HandoffRequestView = z.object({
  server: z.string().max(300),
  client: z.object({
    name: z.string().max(500).nullable(),
    verifiedHost: z.string().max(300).nullable(),
    redirectHost: z.string().max(300),
  }),
  scopes: z.array(Scope).min(1).max(10),
  ticked: z.array(Scope).max(10),
  expiresAt: IsoDateTime,
});
export type HandoffRequestView = z.infer<typeof HandoffRequestView>;

const DeliverAnswer = z.object({ continue: z.string().max(2000) });
const SignInLiveAnswer = z.object({ live: z.boolean() });
/** Without the popup, servers are asked about their sign-ins this often. */
export const SIGN_IN_CHECK_INTERVAL_MS = 15 * 60_000;

/** A dedicated token given to a remote server's sign-in: listed in the popup, revocable there. */
export const SignInToken = z.object({
  tokenId: z.string().min(1).max(200),
  name: z.string().max(200),
  server: z.string().max(300),
  client: z.string().max(500).nullable(),
  scopes: z.array(Scope).max(10),
  expiresAt: IsoDateTime,
});
export type SignInToken = z.infer<typeof SignInToken>;
export const SignInTokens = z.array(SignInToken).max(100);

const SignInStatus = z.enum(['needs_permission', 'loading', 'ready', 'sending', 'failed']);
export type SignInStatus = z.infer<typeof SignInStatus>;
const SignInProblem = z.enum([
  'request_gone',
  'server_unreachable',
  'login_needed',
  'provision_failed',
  'delivery_refused',
]);
export type SignInProblem = z.infer<typeof SignInProblem>;

/** The request waiting for the patient, kept in session storage: a worker may sleep meanwhile. */
export const PendingSignIn = z.object({
  server: z.string().max(300),
  request: z.uuid(),
  tabId: z.number().int().optional(),
  status: SignInStatus,
  /** Null until the server answered. */
  view: HandoffRequestView.nullable(),
  problem: SignInProblem.nullable(),
});
type PendingSignIn = z.infer<typeof PendingSignIn>;
export type SignInRequestState = Omit<PendingSignIn, 'tabId'>;

export interface SignInDeps {
  fetch: typeof fetch;
  portal: PortalTokenApi;
  /** The patient logged in on the portal, asked of the portal's session API. */
  sessionPatient(): Promise<string | null>;
  hasHostPermission(server: string): Promise<boolean>;
  /** Opens the extension's page where the patient decides. */
  openDecisionPage(): Promise<void>;
  /** Sends the portal tab (or a new one) to the server's continue link. */
  navigate(tabId: number | undefined, url: string): Promise<void>;
  tokenName(client: string, serverHost: string): string;
  tokens: StoredValue<SignInToken[]>;
  pending: StoredValue<PendingSignIn | null>;
  /** When the servers were last asked about their sign-ins (ms; a worker may sleep meanwhile). */
  lastCheck: StoredValue<number>;
  onChange(): void;
  now?: () => number;
}

export class SignInRequests {
  private current: PendingSignIn | null = null;
  private openedAt = Number.NEGATIVE_INFINITY;
  /** The check under way: opening the popup twice at once asks the servers once. */
  private checking: Promise<number> | null = null;

  constructor(private readonly deps: SignInDeps) {}

  /** A woken worker takes up the request the patient may be looking at. */
  async resume(): Promise<void> {
    const saved = await this.deps.pending.get();
    // A delivery cut off by the worker's end is not retried blindly: the patient presses again.
    this.current = saved && saved.status === 'sending' ? { ...saved, status: 'ready' } : saved;
    if (this.current?.status === 'loading') await this.load();
  }

  view(): SignInRequestState | null {
    if (!this.current) return null;
    const { tabId: _tabId, ...state } = this.current;
    return state;
  }

  /**
   * The content script saw a pointer on a portal page. Nothing is given here: the worker asks
   * the server (when it may reach it) and opens the extension's page for the patient to decide.
   */
  async received(pointer: SignInPointer, tabId: number | undefined): Promise<ActionResult> {
    const server = normalizePortalOrigin(pointer.server);
    if (server !== pointer.server) return { ok: false, problem: 'invalid_server' };
    const same = this.current?.request === pointer.request && this.current.server === server;
    if (!same) {
      this.current = {
        server,
        request: pointer.request,
        ...(tabId === undefined ? {} : { tabId }),
        status: 'loading',
        view: null,
        problem: null,
      };
      await this.persist();
      await this.load();
      const now = (this.deps.now ?? Date.now)();
      if (now - this.openedAt >= DECISION_PAGE_INTERVAL_MS) {
        this.openedAt = now;
        await this.deps.openDecisionPage();
      }
    }
    return { ok: true };
  }

  /** The patient granted the host permission in the popup (inside their click): ask now. */
  async permissionGranted(): Promise<ActionResult> {
    if (!this.current) return { ok: false, problem: 'request_gone' };
    await this.load();
    return { ok: true };
  }

  async deny(): Promise<ActionResult> {
    this.current = null;
    await this.persist();
    this.deps.onChange();
    return { ok: true };
  }

  /**
   * The patient's Allow, with the scopes they left ticked (of those the server offers), for the
   * request they were shown (`seen`): a page script of the portal can point the tab at another
   * request at any moment, and a click must not go to one that replaced what the patient read.
   */
  async allow(scopes: string[], seen?: { server: string; request: string }): Promise<ActionResult> {
    const request = this.current;
    if (!request?.view || request.status !== 'ready') return { ok: false, problem: 'request_gone' };
    if (seen && (seen.server !== request.server || seen.request !== request.request))
      return { ok: false, problem: 'request_gone' };
    const offered = request.view.scopes;
    const ticked = [...new Set(scopes)].filter((scope) => offered.includes(scope));
    if (ticked.length === 0) return { ok: false, problem: 'nothing_ticked' };
    this.update({ status: 'sending', problem: null });

    const patientId = await this.deps.sessionPatient();
    if (!patientId) return this.fail('login_needed', 'ready');
    // The name is the server's word for the client: one flat, short line on the portal's page.
    const client = forPopup(request.view.client.name ?? request.view.client.redirectHost, 40);
    const name = this.deps.tokenName(client, new URL(request.server).host).slice(0, 100);
    const answer = await this.deps.portal.generate({
      name,
      scopes: ticked,
      expiresInDays: SIGN_IN_TOKEN_DAYS,
    });
    const body = answer.ok ? GenerateAnswerBody.safeParse(answer.body) : null;
    if (!body?.success) return this.fail('provision_failed', 'ready');
    const generated = body.data.token;
    if (readTokenClaims(generated.tokenMcp)?.subject !== patientId) {
      // Not the logged-in patient's token: never handed on, and not left alive either.
      await this.revokeAtPortal(generated.id);
      return this.fail('provision_failed', 'ready');
    }

    const continueUrl = await this.deliver(request, generated.tokenMcp, ticked);
    if (!continueUrl) {
      await this.revokeAtPortal(generated.id);
      return this.fail('delivery_refused', 'failed');
    }
    await this.deps.tokens.set([
      ...(await this.deps.tokens.get()).filter((entry) => entry.tokenId !== generated.id),
      {
        tokenId: generated.id,
        name: generated.name,
        server: request.server,
        client: request.view.client.name,
        scopes: generated.scopes,
        expiresAt: generated.expiresAt,
      },
    ]);
    this.current = null;
    await this.persist();
    this.deps.onChange();
    await this.deps.navigate(request.tabId, continueUrl);
    return { ok: true };
  }

  /** Revokes a dedicated token at the portal: the server's next check ends the sign-in. */
  async revoke(tokenId: string): Promise<ActionResult> {
    const known = await this.deps.tokens.get();
    if (!known.some((entry) => entry.tokenId === tokenId)) return { ok: false, problem: 'unknown' };
    // The patient's click: a portal tab is opened if none is.
    if (!(await this.revokeListed(tokenId, true)))
      return { ok: false, problem: 'portal_unreachable' };
    this.deps.onChange();
    return { ok: true };
  }

  /**
   * Stop and revoke: every dedicated token given to a remote server, revoked at the portal (a
   * portal tab is opened if none is). Returns how many the portal could not revoke now: they
   * stay listed, so the popup says the revocation is pending, and are tried again.
   */
  async revokeAll(): Promise<number> {
    let left = 0;
    for (const entry of await this.deps.tokens.get()) {
      if (!(await this.revokeListed(entry.tokenId, true))) left++;
    }
    this.deps.onChange();
    return left;
  }

  /**
   * Revokes at the portal the dedicated tokens whose sign-in the server says has ended; a token
   * whose server cannot be asked, or says nothing clear, stays. Returns how many were revoked.
   */
  revokeEnded(): Promise<number> {
    this.checking ??= this.checkEach().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** The same, from the wake alarm: at most once per SIGN_IN_CHECK_INTERVAL_MS. */
  async revokeEndedWhenDue(): Promise<number> {
    const now = (this.deps.now ?? Date.now)();
    if (now - (await this.deps.lastCheck.get()) < SIGN_IN_CHECK_INTERVAL_MS) return 0;
    return this.revokeEnded();
  }

  private async checkEach(): Promise<number> {
    await this.deps.lastCheck.set((this.deps.now ?? Date.now)());
    let revoked = 0;
    for (const entry of await this.deps.tokens.get()) {
      const url = new URL(EXTENSION_SIGN_IN_PATH, entry.server);
      url.searchParams.set('token_id', entry.tokenId);
      const answer = await this.call(url.href, { method: 'GET' });
      const said = answer?.status === 200 ? SignInLiveAnswer.safeParse(answer.body) : null;
      if (!said?.success || said.data.live) continue;
      // Not revoked (the patient is logged out, no portal tab): asked again next time.
      if (await this.revokeListed(entry.tokenId, false)) revoked++;
    }
    if (revoked > 0) this.deps.onChange();
    return revoked;
  }

  /** Revokes a listed token at the portal and forgets it; false when the portal did not. */
  private async revokeListed(tokenId: string, open: boolean): Promise<boolean> {
    const answer = await this.deps.portal.revoke(tokenId, { open }).catch(() => null);
    // Gone at the portal already (404) counts as revoked.
    if (!answer || (!answer.ok && answer.status !== 404)) return false;
    await this.deps.tokens.set(
      (await this.deps.tokens.get()).filter((entry) => entry.tokenId !== tokenId),
    );
    return true;
  }

  private async load(): Promise<void> {
    const request = this.current;
    if (!request) return;
    // Loopback is declared; any other server is the patient's grant, asked inside their click.
    if (!isLoopbackOrigin(request.server) && !(await this.deps.hasHostPermission(request.server)))
      return this.update({ status: 'needs_permission' });
    this.update({ status: 'loading' });
    const url = new URL('/oauth/extension/request', request.server);
    url.searchParams.set('id', request.request);
    const answer = await this.call(url.href, { method: 'GET' });
    if (this.current !== request) return;
    if (!answer) return this.update({ status: 'failed', problem: 'server_unreachable' });
    const view = HandoffRequestView.safeParse(answer.body);
    if (answer.status !== 200 || !view.success || view.data.server !== request.server)
      return this.update({ status: 'failed', problem: 'request_gone' });
    this.update({ status: 'ready', view: view.data });
  }

  private async deliver(
    request: SignInRequestState,
    token: string,
    scopes: string[],
  ): Promise<string | null> {
    const answer = await this.call(new URL('/oauth/extension/deliver', request.server).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ request: request.request, token, scopes }),
      // The consent page's cookie on that server: the delivery comes from that page's browser.
      credentials: 'include',
    });
    const parsed = answer?.status === 200 ? DeliverAnswer.safeParse(answer.body) : null;
    // The browser goes to that server's own page only.
    if (!parsed?.success || !isOnOrigin(parsed.data.continue, request.server)) return null;
    return parsed.data.continue;
  }

  private async call(
    url: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown } | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await this.deps.fetch(url, {
        credentials: 'omit',
        ...init,
        redirect: 'error',
        signal: controller.signal,
      });
      const body: unknown = await response.json().catch(() => null);
      return { status: response.status, body };
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async revokeAtPortal(tokenId: string): Promise<void> {
    await this.deps.portal.revoke(tokenId, { open: false }).catch(() => {});
  }

  private fail(problem: SignInProblem, status: SignInStatus): ActionResult {
    this.update({ status, problem });
    return { ok: false, problem };
  }

  private update(change: Partial<SignInRequestState>): void {
    if (this.current) Object.assign(this.current, change);
    void this.persist();
    this.deps.onChange();
  }

  private persist(): Promise<void> {
    return this.current ? this.deps.pending.set(this.current) : this.deps.pending.remove();
  }
}
