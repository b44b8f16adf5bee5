/**
 * Portal calls on the patient's behalf: picks the token, checks the scope and the expiry before
 * any request, and on a 401 asks the extension for a fresh token at most once per call. A write
 * the patient confirms is pinned to the token (and so the patient) it was asked with
 * (`asPatient`): whatever token the vault holds by the time they answer, the write goes with that
 * one, or a renewal of the same patient's, or not at all.
 */
import type { z } from 'zod';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { KnownScope, RenewalReason } from '../protocol/protocol';
import { readTokenClaims } from '../protocol/token-claims';
import type { TokenSource } from '../token/token-source';
import type { PortalCall, PortalClient } from './portal-client';
import { portalPath } from './portal-path';
import { ValidateResponse } from './portal-schemas';

/** The portal's 401s: the token it was given is dead, expired or not one of its own. */
const TOKEN_REFUSALS = new Set<string>([
  ErrorCode.TOKEN_REVOKED,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.TOKEN_INVALID,
]);

export interface PatientApiOptions {
  vault: TokenSource;
  client: PortalClient;
  t: Translate;
  /** The error that explains why there is no token (not paired, extension offline…). */
  missingToken: () => RelayError;
  /** Asks the extension for a fresh token; false when no extension can be asked. */
  requestRenewal: (reason: RenewalReason, tokenId: string | null) => boolean;
  renewalWaitMs?: number;
}

/** Portal calls bound to one token: the one a confirmation was asked with. */
export interface PinnedPatient {
  /** The patient that token names (`sub`). */
  readonly patient: string | null;
  call<S extends z.ZodType>(
    scope: KnownScope,
    call: Omit<PortalCall<S>, 'token'>,
  ): Promise<z.infer<S>>;
  /** Who the patient is, as the portal names them (for the question), or null. */
  displayName(): Promise<string | null>;
}

const subjectOf = (token: string | null) => (token ? readTokenClaims(token)?.subject : null);

export class PatientApi {
  readonly #renewalWaitMs: number;

  constructor(private readonly options: PatientApiOptions) {
    this.#renewalWaitMs = options.renewalWaitMs ?? 15_000;
  }

  async call<S extends z.ZodType>(
    scope: KnownScope | null,
    call: Omit<PortalCall<S>, 'token'>,
  ): Promise<z.infer<S>> {
    return this.#callWith(await this.#usableToken(scope), call, () => true);
  }

  /**
   * The token in use now, pinned: what a write the patient is about to confirm goes with. A
   * later token is taken only if it names the same patient; otherwise NOT_CONFIRMED — the
   * portal session changed hands while they answered, and what they approved is not written
   * into someone else's record.
   */
  async asPatient(scope: KnownScope): Promise<PinnedPatient> {
    const token = await this.#usableToken(scope);
    const patient = subjectOf(token) ?? null;
    const samePatient = (next: string) => subjectOf(next) === patient;
    const scopes = readTokenClaims(token)?.scopes ?? this.options.vault.info().scopes;
    return {
      patient,
      call: async (callScope, call) => {
        if (!scopes.includes(callScope)) {
          throw new RelayError(
            ErrorCode.INSUFFICIENT_SCOPE,
            this.options.t('INSUFFICIENT_SCOPE', { scope: callScope }),
            { requiredScope: callScope, grantedScopes: scopes },
          );
        }
        return this.#callWith(token, call, samePatient);
      },
      displayName: async () => {
        const answer = await this.#callWith(
          token,
          { method: 'POST', path: portalPath`/validate`, schema: ValidateResponse },
          samePatient,
        ).catch(() => null);
        if (!answer) return null;
        const { firstname, surname, email } = answer.user;
        return [firstname, surname].filter(Boolean).join(' ') || email;
      },
    };
  }

  /** One call with `token`; on a 401, once more with a newer token `accepts` allows. */
  async #callWith<S extends z.ZodType>(
    token: string,
    call: Omit<PortalCall<S>, 'token'>,
    accepts: (next: string) => boolean,
  ): Promise<z.infer<S>> {
    try {
      return await this.options.client.call({ ...call, token });
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      const { vault } = this.options;
      // A renewal delivered the next token while this call was on its way, and the extension then
      // revoked the one it carried: one retry with the token held now (a 401 did no work, so a
      // booking's retry keeps its Idempotency-Key and books once).
      const newer = vault.bearer();
      if (TOKEN_REFUSALS.has(error.code) && newer !== null && newer !== token) {
        return this.options.client.call({ ...call, token: this.#accepted(newer, accepts) });
      }
      if (error.code === ErrorCode.TOKEN_REVOKED) vault.markDead('revoked', token);
      const renewable =
        error.code === ErrorCode.TOKEN_EXPIRED || error.code === ErrorCode.TOKEN_INVALID;
      if (!renewable || vault.info().source !== 'extension') throw error;
      if (error.code === ErrorCode.TOKEN_EXPIRED) vault.markDead('expired', token);
      const renewed = await this.#renew(
        error.code === ErrorCode.TOKEN_EXPIRED ? 'token_expired' : 'invalid_token',
      );
      if (!renewed) throw error;
      // One retry with the fresh token; a second 401 is final (never a loop).
      return this.options.client.call({ ...call, token: this.#accepted(renewed, accepts) });
    }
  }

  #accepted(token: string, accepts: (next: string) => boolean): string {
    if (accepts(token)) return token;
    throw new RelayError(ErrorCode.NOT_CONFIRMED, this.options.t('NOT_CONFIRMED_PATIENT_CHANGED'), {
      reason: 'patient_changed',
    });
  }

  /**
   * Throws the actionable error when no usable token holds `scope` — what a tool checks before
   * doing anything (fetching details, asking the patient), so a refusal costs no request.
   */
  async requireScope(scope: KnownScope): Promise<void> {
    await this.#usableToken(scope);
  }

  async #usableToken(scope: KnownScope | null): Promise<string> {
    const { vault, t } = this.options;
    let info = vault.info();
    if (info.state === 'expired' && info.source === 'extension') {
      await this.#renew('token_expired');
      info = vault.info();
    }
    if (info.reason === 'withdrawn_by_patient')
      throw new RelayError(ErrorCode.TOKEN_REVOKED, t('TOKEN_WITHDRAWN'), {
        withdrawnByPatient: true,
      });
    if (info.reason === 'paused_by_patient')
      throw new RelayError(ErrorCode.NO_TOKEN, t('ACCESS_PAUSED'), { pausedByPatient: true });
    if (info.reason === 'wrong_portal')
      throw new RelayError(
        ErrorCode.NO_TOKEN,
        t('PORTAL_MISMATCH', { url: this.options.client.baseUrl }),
        { portalMismatch: true },
      );
    if (info.state === 'none' || (info.state === 'revoked' && info.reason === 'revoked_by_patient'))
      throw this.options.missingToken();
    if (info.state === 'revoked') throw new RelayError(ErrorCode.TOKEN_REVOKED, t('TOKEN_REVOKED'));
    if (info.state === 'expired') throw new RelayError(ErrorCode.TOKEN_EXPIRED, t('TOKEN_EXPIRED'));
    if (scope && !info.scopes.includes(scope)) {
      throw new RelayError(ErrorCode.INSUFFICIENT_SCOPE, t('INSUFFICIENT_SCOPE', { scope }), {
        requiredScope: scope,
        grantedScopes: info.scopes,
      });
    }
    const token = vault.bearer();
    if (!token) throw this.options.missingToken();
    return token;
  }

  async #renew(reason: RenewalReason): Promise<string | null> {
    const { vault } = this.options;
    const version = vault.version;
    if (!this.options.requestRenewal(reason, vault.info().tokenId)) return null;
    const arrived = await vault.waitForNewer(version, this.#renewalWaitMs);
    return arrived ? vault.bearer() : null;
  }
}
