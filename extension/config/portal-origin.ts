/**
 * Which HospiAI portal the extension works with. Production by default; the sandbox portal
 * (tests, demo) lives on a loopback origin; any other HTTPS deployment can be chosen in the
 * options, its host permission then being requested at run time.
 */
export const PRODUCTION_PORTAL_ORIGIN = 'https://hospi-ai-v8rf.vercel.app';

/**
 * Declared host permissions: production and the loopback hosts. Loopback is the patient's own
 * machine (the sandbox portal of the demo and the tests); declaring it avoids a run-time
 * permission dialog that automation cannot click, and grants no reach into other sites. The
 * content script is still registered for the one configured origin only (exact port).
 */
export const DECLARED_HOST_PERMISSIONS = [
  `${PRODUCTION_PORTAL_ORIGIN}/*`,
  'http://127.0.0.1/*',
  'http://localhost/*',
] as const;

/** Other HTTPS deployments of the portal (staging, a hospital's own): asked for one by one. */
export const OPTIONAL_HOST_PERMISSIONS = ['https://*/*'] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * What the patient typed → a canonical origin (`scheme://host[:port]`), or null. Plain HTTP is
 * accepted on loopback only: a session cookie and a token must never cross the network in clear.
 */
export function normalizePortalOrigin(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url.origin;
  return null;
}

export function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * The match pattern for this origin's pages (content script, tab queries, permissions). Chrome
 * honours a port in a pattern; Firefox (ESR 153) matches no page with one, so for Firefox the
 * port is left out. Who may talk to the background is still decided on the exact origin, port
 * included (isOnOrigin, sender-checks.ts): a page on another loopback port gets a content
 * script that finds no portal page, and whose messages the background refuses.
 */
export function originMatchPattern(
  origin: string,
  forFirefox: boolean = import.meta.env.FIREFOX === true,
): string {
  if (!forFirefox) return `${origin}/*`;
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** True when `url` (a page, a sender) is on exactly this origin, port included. */
export function isOnOrigin(url: string | undefined, origin: string): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Declared permissions need no prompt; any other origin needs the patient's run-time grant. */
export function needsRuntimePermission(origin: string): boolean {
  return origin !== PRODUCTION_PORTAL_ORIGIN && !isLoopbackOrigin(origin);
}
