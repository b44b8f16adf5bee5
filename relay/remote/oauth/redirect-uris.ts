/**
 * Which redirect URIs an OAuth client may register (OAuth 2.1 §2.3, RFC 8252 for native apps):
 * HTTPS; plain HTTP only to the loopback interface (a desktop client's local callback); or a
 * private-use scheme in reverse-domain form (`com.example.app:/callback`). Never a fragment,
 * never credentials in the URL. Compared later character for character (no pattern, no prefix).
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/;
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:']);

/** Why a redirect URI is refused, or null when it is acceptable. */
export function redirectUriProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000)
    return 'a redirect URI must be a URL of at most 2000 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not an absolute URL`;
  }
  if (url.hash || value.includes('#')) return `${value} has a fragment`;
  if (url.username || url.password) return `${value} holds credentials`;
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `${url.protocol} URLs cannot receive a code`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return LOOPBACK_HOSTS.has(url.hostname) ? null : `${value}: plain http only to the loopback`;
  return PRIVATE_USE_SCHEME.test(url.protocol)
    ? null
    : `${value}: use https, http to the loopback, or a reverse-domain scheme (com.example.app:)`;
}
