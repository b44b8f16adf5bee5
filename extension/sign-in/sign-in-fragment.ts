/**
 * The remote server's consent page sends the patient to the portal with
 * `#hospiai-connect=<base64url of {server, request}>`: which server asks, and its pending
 * authorization. A page script can set that fragment too, so it is only a pointer: what the
 * request is, the worker asks the server itself, and nothing is given without the patient's
 * Allow in the extension's own page. Parsed strictly; stripped from the address bar at once.
 */
import { normalizePortalOrigin } from '../config/portal-origin';

export const SIGN_IN_FRAGMENT_KEY = 'hospiai-connect';
const PREFIX = `#${SIGN_IN_FRAGMENT_KEY}=`;
const MAX_PAYLOAD = 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SignInPointer {
  /** The server's origin: https, or http on the loopback only. */
  server: string;
  /** Its pending authorization's id. */
  request: string;
}

export function parseSignInFragment(hash: string): SignInPointer | null {
  if (!hash.startsWith(PREFIX)) return null;
  const payload = hash.slice(PREFIX.length);
  if (payload.length === 0 || payload.length > MAX_PAYLOAD || !/^[A-Za-z0-9_-]+$/.test(payload))
    return null;
  let decoded: unknown;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    decoded = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
  } catch {
    return null;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return null;
  const { server, request, ...rest } = decoded as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof server !== 'string' || typeof request !== 'string')
    return null;
  // An origin exactly: no path, no credentials, no plain HTTP off the loopback.
  if (normalizePortalOrigin(server) !== server || !UUID.test(request)) return null;
  return { server, request };
}

/** Reads the fragment of this page and takes it off the address bar (valid or not). */
export function takeSignInFragment(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState' | 'state'>,
): SignInPointer | null {
  if (!location.hash.startsWith(PREFIX)) return null;
  const pointer = parseSignInFragment(location.hash);
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return pointer;
}
