/**
 * Who is logged into the portal, and whose a token is — asked of the portal by the extension's
 * worker itself (its own fetch, with the portal's session cookie or the token as bearer), never
 * read from a portal page. A script on the page can rewrite the DOM, plant a token and forge
 * whatever our content script would report; it cannot forge these answers.
 */
import { z } from 'zod';
import { IsoDateTime } from '../../relay/protocol/protocol';
import { readTokenClaims } from '../../relay/protocol/token-claims';
import type { PortalLogin } from '../state/popup-state';

const CALL_TIMEOUT_MS = 10_000;

type Fetch = typeof fetch;

const SessionAnswer = z.union([
  z.object({
    user: z.object({
      id: z.string().min(1).max(200),
      name: z.string().max(200).nullish(),
    }),
  }),
  z.object({}).strict(),
]);

const ValidateAnswer = z.object({
  valid: z.literal(true),
  user: z.object({ id: z.string().min(1).max(200) }),
  token: z.object({
    id: z.string().min(1).max(200),
    scopes: z.array(z.string().max(64)).max(20),
    expiresAt: IsoDateTime,
  }),
});

async function call(
  fetchImpl: Fetch,
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: unknown } | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CALL_TIMEOUT_MS);
  try {
    const response = await fetchImpl(url, {
      ...init,
      cache: 'no-store',
      // A redirect would be someone else's answer.
      redirect: 'error',
      signal: controller.signal,
      headers: { Accept: 'application/json', ...init.headers },
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /api/auth/session` with the patient's cookie: who is logged in, or nobody. */
export async function fetchPortalLogin(
  portalOrigin: string,
  fetchImpl: Fetch = fetch,
): Promise<PortalLogin> {
  const answer = await call(fetchImpl, new URL('/api/auth/session', portalOrigin).href, {
    method: 'GET',
    credentials: 'include',
  });
  const unknown: PortalLogin = { state: 'unknown', patientId: null, patientName: null };
  if (answer?.status !== 200) return unknown;
  const session = SessionAnswer.safeParse(answer.body);
  if (!session.success) return unknown;
  if (!('user' in session.data)) return { state: 'logged_out', patientId: null, patientName: null };
  return {
    state: 'logged_in',
    patientId: session.data.user.id,
    patientName: session.data.user.name ?? null,
  };
}

export interface VouchedToken {
  token: string;
  tokenId: string;
  patientId: string;
  scopes: string[];
  expiresAt: string;
}

/**
 * A token is accepted only when the portal itself vouches for it (`POST /api/mcp/validate`,
 * the token alone, no cookie), it names the id shown, and its `sub` — both in its claims and
 * in the portal's answer — is `patientId`, the patient the portal's session says is logged in.
 */
export async function vouchForToken(
  portalOrigin: string,
  shown: { token: string; tokenId: string },
  patientId: string,
  fetchImpl: Fetch = fetch,
): Promise<VouchedToken | null> {
  const claims = readTokenClaims(shown.token);
  if (!claims || claims.subject !== patientId) return null;
  if (claims.tokenId && claims.tokenId !== shown.tokenId) return null;
  const answer = await call(fetchImpl, new URL('/api/mcp/validate', portalOrigin).href, {
    method: 'POST',
    credentials: 'omit',
    headers: { Authorization: `Bearer ${shown.token}` },
  });
  if (answer?.status !== 200) return null;
  const verdict = ValidateAnswer.safeParse(answer.body);
  if (!verdict.success) return null;
  const { user, token } = verdict.data;
  if (user.id !== patientId || token.id !== shown.tokenId) return null;
  return {
    token: shown.token,
    tokenId: token.id,
    patientId,
    scopes: token.scopes,
    expiresAt: token.expiresAt,
  };
}
