/**
 * Asks the portal (`POST /api/mcp/validate`) whether a token still stands, and remembers the
 * answer for a short time: a token deleted in the dashboard stops working within that time
 * (10 s by default, never more than 30 s). Keyed by token id; holds no patient data. Concurrent
 * checks of one token share one portal request.
 */
import { ErrorCode, RelayError } from '../errors';
import type { PortalClient } from '../portal/portal-client';
import { portalPath } from '../portal/portal-path';
import { ValidateResponse } from '../portal/portal-schemas';
import { BearerRefused } from './bearer';

export const DEFAULT_REVOCATION_TTL_MS = 10_000;
export const MAX_REVOCATION_TTL_MS = 30_000;

interface Verdict {
  refused: BearerRefused | null;
  until: number;
}

export interface RevocationCheckOptions {
  portal: PortalClient;
  ttlMs?: number;
  now?: () => number;
}

export function createRevocationCheck(options: RevocationCheckOptions) {
  const ttlMs = Math.min(options.ttlMs ?? DEFAULT_REVOCATION_TTL_MS, MAX_REVOCATION_TTL_MS);
  const now = options.now ?? Date.now;
  const verdicts = new Map<string, Verdict>();
  const inFlight = new Map<string, Promise<Verdict>>();

  async function ask(token: string): Promise<Verdict> {
    try {
      await options.portal.call({
        method: 'POST',
        path: portalPath`/validate`,
        token,
        schema: ValidateResponse,
      });
      return { refused: null, until: now() + ttlMs };
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      const code = error.code;
      if (code === ErrorCode.TOKEN_REVOKED)
        return {
          refused: new BearerRefused('invalid_token', 'the token was revoked'),
          until: now() + ttlMs,
        };
      if (code === ErrorCode.TOKEN_EXPIRED)
        return {
          refused: new BearerRefused('invalid_token', 'the token has expired'),
          until: now() + ttlMs,
        };
      if (code === ErrorCode.TOKEN_INVALID)
        return {
          refused: new BearerRefused('invalid_token', 'the portal does not know this token'),
          until: now() + ttlMs,
        };
      // Unreachable portal, 5xx: not cached, and the request is refused (fail closed).
      return {
        refused: new BearerRefused(
          'temporarily_unavailable',
          'the portal could not confirm the token',
        ),
        until: 0,
      };
    }
  }

  function sweep(): void {
    if (verdicts.size < 10_000) return;
    const t = now();
    for (const [id, verdict] of verdicts) if (verdict.until <= t) verdicts.delete(id);
  }

  return {
    ttlMs,
    async check(token: string, tokenId: string): Promise<void> {
      const cached = verdicts.get(tokenId);
      let verdict: Verdict;
      if (cached && cached.until > now()) {
        verdict = cached;
      } else {
        let pending = inFlight.get(tokenId);
        if (!pending) {
          pending = ask(token).finally(() => inFlight.delete(tokenId));
          inFlight.set(tokenId, pending);
        }
        verdict = await pending;
        if (verdict.until > 0) {
          sweep();
          verdicts.set(tokenId, verdict);
        }
      }
      if (verdict.refused) throw verdict.refused;
    },
  };
}

export type RevocationCheck = ReturnType<typeof createRevocationCheck>;
