/**
 * Cross-site request refusal for the cookie routes, as a real app with SameSite cookies and
 * CSRF protection does. Browsers send `Sec-Fetch-Site` and `Origin`; a request carrying either
 * must come from the portal itself. Requests with neither (non-browser clients) pass.
 */
import type { IncomingMessage } from 'node:http';
import { csrfRejected } from './errors';

export function assertSameOrigin(req: IncomingMessage, ownOrigins: ReadonlySet<string>): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw csrfRejected();
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.has(origin)) throw csrfRejected();
}
