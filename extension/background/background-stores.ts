/**
 * The background's small pieces of state that must outlive the service worker: who is logged
 * into the portal (as last seen), whether bridging is on, and the patient's "not now" / revoke.
 */
import { z } from 'zod';
import { storedValue } from '../storage/stored-value';

/** Last answer of the portal's session API (session-identity.ts); the cookie itself is never read. */
export const portalLogin = storedValue(
  'session:portalLogin',
  z.object({
    state: z.enum(['logged_in', 'logged_out', 'unknown']),
    patientId: z.string().nullable(),
    patientName: z.string().nullable(),
  }),
  { state: 'unknown', patientId: null, patientName: null },
);

/** Off after "Disconnect AI assistants": no connection, no token delivered, until "Reconnect". */
export const bridgeEnabled = storedValue('local:bridgeEnabled', z.boolean(), true);

/** "Not now" on the dashboard's consent panel: not offered again in this browser session. */
export const consentDismissed = storedValue('session:consentDismissed', z.boolean(), false);

/** Set by "Revoke access": consent stands, but nothing is provisioned until the patient reconnects. */
export const provisioningPaused = storedValue('local:provisioningPaused', z.boolean(), false);
