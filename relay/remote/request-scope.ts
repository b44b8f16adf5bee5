/**
 * What one HTTP request carries into the tools: the verified bearer of *that* request (never of
 * another request of the session, never of another patient) and the JSON-RPC id of the call, so
 * that an elicitation is sent on that call's response stream. Held in an AsyncLocalStorage that
 * the HTTP server enters around the SDK transport; the tools read it through the vault below.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenSource } from '../token/token-source';
import type { TokenInfo } from '../token/token-vault';
import type { VerifiedBearer } from './bearer';

export interface RequestScope {
  bearer: VerifiedBearer;
  /** The JSON-RPC id of the request this HTTP request carries, when it carries exactly one. */
  rpcId: string | number | null;
  /** A request of the 2026-07-28 protocol (no session): what it carries for a question's round. */
  round?: InputRound;
  /** The client's name as a 2026-07-28 request's envelope gives it, for a call served directly. */
  clientName?: string | null;
}

/**
 * What a 2026-07-28 request says about questions (read from the request as sent, untrusted):
 * the form modes its client declared, and — on a call made again after an input-required
 * result — the client's answers and the server's state it echoes back.
 */
export interface InputRound {
  canShowForms: boolean;
  /** Opens a link it is given (URL-mode elicitation). */
  canOpenUrls: boolean;
  inputResponses: Record<string, unknown> | null;
  requestState: string | null;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * The token source of remote mode: the current request's verified bearer. Nothing is stored:
 * outside a request there is no token at all, a refused bearer is the client's to replace (its
 * next request carries another), and no renewal ever arrives here.
 */
export class RequestBearer implements TokenSource {
  readonly version = 0;

  bearer(): string | null {
    const bearer = requestScope.getStore()?.bearer;
    if (!bearer || Date.parse(bearer.expiresAt) <= Date.now()) return null;
    return bearer.token;
  }

  info(): TokenInfo {
    const bearer = requestScope.getStore()?.bearer;
    if (!bearer) {
      return {
        state: 'none',
        source: null,
        tokenId: null,
        scopes: [],
        expiresAt: null,
        patient: null,
        reason: 'never_delivered',
      };
    }
    const expired = Date.parse(bearer.expiresAt) <= Date.now();
    return {
      state: expired ? 'expired' : 'active',
      // Neither the extension nor HOSPIAI_TOKEN: the client's own Authorization header.
      source: null,
      tokenId: bearer.tokenId,
      scopes: [...bearer.scopes],
      expiresAt: bearer.expiresAt,
      patient: bearer.patientId,
      reason: expired ? 'expired' : null,
    };
  }

  markDead(): void {}

  waitForNewer(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
