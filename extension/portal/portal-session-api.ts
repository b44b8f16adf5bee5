/**
 * The portal's cookie routes, called by the content script from the portal's own page so that
 * they are same-origin requests carrying the patient's session (the portal refuses cross-site
 * ones). Runs in the page's process: it returns raw answers, and the background parses them.
 */
import type { PortalCallAnswer } from '../messaging/message-schemas';
import { readPortalPage } from './selectors';

const PORTAL_CALL_TIMEOUT_MS = 10_000;

type Fetch = typeof fetch;

/**
 * Firefox runs content-script `fetch` with the extension's identity; `content.fetch` is the
 * page's own, which the portal's same-origin check expects. Chrome's content-script fetch
 * already is the page's.
 */
function pageFetch(): Fetch {
  const firefoxContent = (globalThis as { content?: { fetch?: Fetch } }).content;
  return firefoxContent?.fetch ? firefoxContent.fetch.bind(firefoxContent) : fetch;
}

export async function callPortal(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  bearer?: string,
): Promise<PortalCallAnswer> {
  const page = readPortalPage(document);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PORTAL_CALL_TIMEOUT_MS);
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const response = await pageFetch()(new URL(path, location.origin).href, {
      method,
      // A bearer check must not also carry the session: the token alone is being tested.
      credentials: bearer ? 'omit' : 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, page, body: json };
    const code =
      typeof json === 'object' && json !== null && 'code' in json && typeof json.code === 'string'
        ? json.code
        : null;
    return { ok: false, page, status: response.status, code };
  } catch {
    return { ok: false, page, status: 0, code: null };
  } finally {
    clearTimeout(timer);
  }
}

export const portalSessionApi = {
  session: () => callPortal('GET', '/api/auth/session'),
  generateToken: (input: { name: string; scopes: string[]; expiresInDays: number }) =>
    callPortal('POST', '/api/tokens/generate', input),
  revokeToken: (tokenId: string) =>
    callPortal('DELETE', `/api/tokens/mcp?id=${encodeURIComponent(tokenId)}`),
};
