/**
 * Link 6, token: with HOSPIAI_TOKEN, the portal validates it and names its scopes; otherwise
 * the relays that proved themselves (link 4) say whether the extension delivered one.
 */
import type { RelayConfig } from '../config';
import { ErrorCode, RelayError } from '../errors';
import { translator } from '../i18n/messages';
import { formatDateTime } from '../i18n/say';
import { silentLogger } from '../logger';
import { PortalClient } from '../portal/portal-client';
import { portalPath } from '../portal/portal-path';
import { ValidateResponse } from '../portal/portal-schemas';
import type { ProvenRelay } from './bridge-ports-check';
import type { Finding } from './checks';
import type { SentenceKey, Tell } from './doctor-text';

export interface TokenInput {
  config: Pick<RelayConfig, 'portalUrl' | 'environmentToken' | 'lang'>;
  /** From the bridge ports link. */
  relays: ProvenRelay[];
  unpairedRelays: number[];
}

/** The scopes every tool together needs. */
const TOOL_SCOPES = ['read:data', 'book:appointments'];

export function checkToken(
  { config, relays, unpairedRelays }: TokenInput,
  tell: Tell,
): Promise<Finding[]> {
  if (config.environmentToken) return checkEnvironmentToken(config, config.environmentToken, tell);
  return Promise.resolve(deliveredToken(relays, unpairedRelays, tell));
}

/** Whether the extension delivered a token to the relays that run. */
export function deliveredToken(
  relays: ProvenRelay[],
  unpairedRelays: number[],
  tell: Tell,
): Finding[] {
  const check = tell.check('token');
  if (relays.length === 0) {
    const detail = tell(unpairedRelays.length > 0 ? 'tokenRelayUnpaired' : 'tokenNoRelay');
    return [{ check, status: 'skip', detail }];
  }
  const active = relays.filter((relay) => relay.token?.state === 'active');
  if (active.length > 0) {
    const detail = tell('tokenDelivered', { active: active.length, total: relays.length });
    return [{ check, status: 'ok', detail }];
  }
  const states = [...new Set(relays.map((relay) => relay.token?.state ?? 'unknown'))].join(', ');
  return [
    { check, status: 'broken', detail: tell('tokenNone', { states }), fix: tell('tokenNoneFix') },
  ];
}

type RefusalKey = Extract<SentenceKey, `environmentToken${'Expired' | 'Revoked' | 'Invalid'}`>;

const REFUSED: Partial<Record<string, RefusalKey>> = {
  [ErrorCode.TOKEN_EXPIRED]: 'environmentTokenExpired',
  [ErrorCode.TOKEN_REVOKED]: 'environmentTokenRevoked',
  [ErrorCode.TOKEN_INVALID]: 'environmentTokenInvalid',
};

async function checkEnvironmentToken(
  config: TokenInput['config'],
  token: string,
  tell: Tell,
): Promise<Finding[]> {
  const check = tell.check('environmentToken');
  const client = new PortalClient({
    baseUrl: config.portalUrl,
    t: translator(config.lang),
    logger: silentLogger,
    timeoutMs: 5_000,
    maxRetries: 0,
  });
  try {
    const validated = await client.call({
      method: 'POST',
      path: portalPath`/validate`,
      token,
      schema: ValidateResponse,
    });
    const findings: Finding[] = [
      {
        check,
        status: 'ok',
        detail: tell('environmentTokenValid', {
          email: validated.user.email,
          scopes: validated.scopes.join(' '),
          expires: formatDateTime(validated.token.expiresAt, tell.lang),
        }),
      },
    ];
    const missing = TOOL_SCOPES.filter((scope) => !validated.scopes.includes(scope));
    if (missing.length > 0) {
      findings.push({
        check: tell.check('tokenScopes'),
        status: 'warn',
        detail: tell('environmentTokenLacks', { missing: missing.join(', ') }),
        fix: tell('environmentTokenLacksFix'),
      });
    }
    return findings;
  } catch (error) {
    const code = error instanceof RelayError ? error.code : 'PORTAL_UNREACHABLE';
    const known = REFUSED[code];
    return [
      {
        check,
        status: 'broken',
        detail: `${known ? tell(known) : (error as Error).message} — ${code}`,
        fix: tell('environmentTokenFix'),
      },
    ];
  } finally {
    client.close();
  }
}
