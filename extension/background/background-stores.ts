/**
 * The background's small pieces of state that must outlive the service worker: who is logged
 * into the portal (as last seen), whether bridging is on, and the patient's "not now" / revoke.
 */
import { z } from 'zod';
import { PendingSignIn, SignInTokens } from '../sign-in/sign-in-requests';
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

/** Off after "Pause": no connection, no token delivered, until "Resume". */
export const bridgeEnabled = storedValue('local:bridgeEnabled', z.boolean(), true);

/** "Not now" on the dashboard's consent panel: not offered again in this browser session. */
export const consentDismissed = storedValue('session:consentDismissed', z.boolean(), false);

/**
 * Set by a revoke that keeps consent (`tokens.revoke('user')`; "Revoke access" in earlier
 * versions): nothing is provisioned until the patient allows again.
 */
export const provisioningPaused = storedValue('local:provisioningPaused', z.boolean(), false);

/** The dedicated tokens given to remote servers' sign-ins (ids and names, never the secret). */
export const signInTokens = storedValue('local:signInTokens', SignInTokens, []);

/** When the remote servers were last asked whether their sign-ins live (sign-in-requests.ts). */
export const signInsCheckedAt = storedValue('local:signInsCheckedAt', z.number(), 0);

/** A remote server's sign-in waiting for the patient (the server's account of it, no secret). */
export const pendingSignIn = storedValue('session:pendingSignIn', PendingSignIn.nullable(), null);
