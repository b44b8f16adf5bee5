/**
 * The one place the API token is kept: `storage.session` (memory only, cleared when the browser
 * closes, not readable by content scripts). Never `storage.local`, never a log.
 */
import { z } from 'zod';
import { IsoDateTime, TokenFrame } from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';

export const TokenRecord = TokenFrame.omit({ type: true })
  .extend({
    /** The patient the token belongs to (its `sub`), checked against the portal page. */
    patientId: z.string().min(1),
    createdAt: IsoDateTime,
  })
  .strict();
export type TokenRecord = z.infer<typeof TokenRecord>;

export const tokenStore = storedValue('session:token', TokenRecord.nullable(), null);

/** The frame that delivers a token to a relay. */
export function tokenFrameOf(record: TokenRecord): z.infer<typeof TokenFrame> {
  return {
    type: 'token',
    token: record.token,
    tokenId: record.tokenId,
    source: record.source,
    scopes: record.scopes,
    expiresAt: record.expiresAt,
  };
}

/**
 * Ids (never secrets) of tokens revoked locally whose portal revocation still needs the
 * patient's session; completed the next time a logged-in portal page is seen.
 */
export const pendingPortalRevocations = storedValue(
  'local:pendingPortalRevocations',
  z.array(z.string().min(1).max(200)).max(50),
  [],
);
