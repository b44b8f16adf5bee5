/**
 * What the remote mode knows of a request's bearer: who it speaks for once verified, or why it
 * was refused. Shared by the verifier, the revocation check and the request stages.
 */

/** Who a verified bearer speaks for. Holds the token only to call the portal with it. */
export interface VerifiedBearer {
  token: string;
  patientId: string;
  tokenId: string;
  scopes: string[];
  expiresAt: string;
  /** Set when the bearer is an access of this server's own sign-in: its grant. */
  grantId?: string;
}

/** Why a bearer was refused; `reason` goes into `WWW-Authenticate` error_description. */
export class BearerRefused extends Error {
  constructor(
    readonly error: 'invalid_token' | 'temporarily_unavailable',
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'BearerRefused';
  }
}
