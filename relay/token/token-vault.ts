/**
 * Holds the patient's HospiAI token in memory — the only place the relay keeps it. Sources, in
 * order: the token the extension delivered over the bridge, else HOSPIAI_TOKEN. The token value
 * leaves this module only through `bearer()`, for the portal client's Authorization header.
 */
import type { TokenOrigin, RelayTokenState as TokenState } from '../protocol/protocol';
import { readTokenClaims } from '../protocol/token-claims';
import type { TokenSource } from './token-source';

export interface TokenInfo {
  state: TokenState;
  source: TokenOrigin | null;
  tokenId: string | null;
  scopes: string[];
  expiresAt: string | null;
  /** The patient the token names (`sub`), or null. */
  patient: string | null;
  /** Why there is no usable token, when there is none. */
  reason:
    | 'never_delivered'
    /** The patient withdrew access in the extension (revoke, consent withdrawn). */
    | 'withdrawn_by_patient'
    /** The extension took the token back because the portal session ended. */
    | 'revoked_by_patient'
    /** The patient paused the assistants in the extension (consent and token kept there). */
    | 'paused_by_patient'
    /** The extension gives nothing to a relay set up for another portal than its own. */
    | 'wrong_portal'
    | 'revoked_at_portal'
    | 'expired'
    | null;
}

/** Why the extension took its token back (from the `revoke` frame's reason). */
export type RevokedAs = 'withdrawn' | 'paused' | 'session_ended' | 'wrong_portal';

const REVOKED_REASON = {
  withdrawn: 'withdrawn_by_patient',
  paused: 'paused_by_patient',
  session_ended: 'revoked_by_patient',
  wrong_portal: 'wrong_portal',
} as const satisfies Record<RevokedAs, TokenInfo['reason']>;

interface Held {
  value: string;
  source: TokenOrigin;
  tokenId: string | null;
  scopes: string[];
  expiresAt: number | null;
  patient: string | null;
  /** Set when the portal said this token is dead. */
  dead: 'revoked' | 'expired' | null;
}

export interface DeliveredToken {
  token: string;
  tokenId?: string;
  scopes?: string[];
  expiresAt?: string;
}

export class TokenVault implements TokenSource {
  #extension: Held | null = null;
  #environment: Held | null = null;
  /** After the patient revokes from the popup, the environment token is not used as a fallback. */
  #revokedByPatient = false;
  /** Why the extension took it back: access withdrawn, a pause, or the portal session ending. */
  #revokedAs: RevokedAs = 'withdrawn';
  #version = 0;
  #listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  setFromEnvironment(token: string): void {
    this.#environment = held(token, 'environment');
    this.#changed();
  }

  setFromExtension(delivered: DeliveredToken): void {
    this.#extension = held(delivered.token, 'extension', delivered);
    this.#revokedByPatient = false;
    this.#changed();
  }

  /**
   * The extension took the token back: wipe it now. `withdrawn` when the patient withdrew access
   * (revoke, consent withdrawn), `paused` when they paused the assistants (Resume brings the
   * token back), `session_ended` when their portal session merely ended.
   */
  revokeByPatient(as: RevokedAs = 'withdrawn'): void {
    this.#extension = null;
    this.#revokedByPatient = true;
    this.#revokedAs = as;
    this.#changed();
  }

  /**
   * The portal answered 401 for `token`. Only that token dies: a call that was in flight while a
   * renewal delivered the next one (and revoked this one) must not take the new one down with it.
   */
  markDead(kind: 'revoked' | 'expired', token: string): void {
    const current = this.#current();
    if (!current || current.value !== token) return;
    current.dead = kind;
    this.#changed();
  }

  /** The token to use now, or null; never a token known to be dead or past its expiry. */
  bearer(): string | null {
    const current = this.#current();
    if (!current || current.dead || this.#isExpired(current)) return null;
    return current.value;
  }

  info(): TokenInfo {
    const current = this.#current();
    if (!current) {
      return {
        state: this.#revokedByPatient ? 'revoked' : 'none',
        source: null,
        patient: null,
        tokenId: null,
        scopes: [],
        expiresAt: null,
        reason: this.#revokedByPatient ? REVOKED_REASON[this.#revokedAs] : 'never_delivered',
      };
    }
    const expired = current.dead === 'expired' || this.#isExpired(current);
    const state: TokenState =
      current.dead === 'revoked' ? 'revoked' : expired ? 'expired' : 'active';
    return {
      state,
      source: current.source,
      tokenId: current.tokenId,
      scopes: [...current.scopes],
      expiresAt: current.expiresAt ? new Date(current.expiresAt).toISOString() : null,
      patient: current.patient,
      reason: state === 'revoked' ? 'revoked_at_portal' : state === 'expired' ? 'expired' : null,
    };
  }

  /** Increases on every change; lets a caller wait for a token newer than the one it used. */
  get version(): number {
    return this.#version;
  }

  /** Resolves true when a usable token newer than `version` arrives, false after `timeoutMs`. */
  waitForNewer(version: number, timeoutMs: number): Promise<boolean> {
    if (this.#version > version && this.bearer()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        resolve(false);
      }, timeoutMs);
      const listener = () => {
        if (this.#version > version && this.bearer()) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          resolve(true);
        }
      };
      this.#listeners.add(listener);
    });
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #current(): Held | null {
    if (this.#extension) return this.#extension;
    if (this.#revokedByPatient) return null;
    return this.#environment;
  }

  #isExpired(held: Held): boolean {
    return held.expiresAt !== null && held.expiresAt <= this.now();
  }

  #changed(): void {
    this.#version++;
    for (const listener of [...this.#listeners]) listener();
  }
}

function held(value: string, source: TokenOrigin, delivered?: DeliveredToken): Held {
  const claims = readTokenClaims(value);
  const expiry = claims?.expiresAt ?? delivered?.expiresAt;
  const expiresAt = expiry ? Date.parse(expiry) : null;
  return {
    value,
    source,
    tokenId: claims?.tokenId ?? delivered?.tokenId ?? null,
    // The token's own claims win over what the sender says about it.
    scopes: claims?.scopes.length ? claims.scopes : (delivered?.scopes ?? []),
    expiresAt: Number.isFinite(expiresAt) ? expiresAt : null,
    patient: claims?.subject ?? null,
    dead: null,
  };
}
