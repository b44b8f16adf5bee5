/**
 * The background's small pieces of state that must outlive the service worker: who is logged
 * into the portal (as last seen), whether bridging is on, and the patient's "not now" / revoke.
 */
import { z } from 'zod';
import type { PortalPage } from '../messaging/message-schemas';
import type { PortalLogin } from '../state/popup-state';
import { storedValue } from '../storage/stored-value';

/** Last seen on a portal page; the session cookie itself is never read. */
export const portalLogin = storedValue(
  'session:portalLogin',
  z.object({
    state: z.enum(['logged_in', 'logged_out', 'unknown']),
    patientId: z.string().nullable(),
    patientName: z.string().nullable(),
  }),
  { state: 'unknown', patientId: null, patientName: null },
);

export function loginOf(page: PortalPage): PortalLogin {
  return {
    state: page.patientId ? 'logged_in' : 'logged_out',
    patientId: page.patientId,
    patientName: page.patientName,
  };
}

/** Off after "Disconnect AI assistants": no connection, no token delivered, until "Reconnect". */
export const bridgeEnabled = storedValue('local:bridgeEnabled', z.boolean(), true);

/** "Not now" on the dashboard's consent panel: not offered again in this browser session. */
export const consentDismissed = storedValue('session:consentDismissed', z.boolean(), false);

/** Set by "Revoke access": consent stands, but nothing is provisioned until the patient reconnects. */
export const provisioningPaused = storedValue('local:provisioningPaused', z.boolean(), false);
