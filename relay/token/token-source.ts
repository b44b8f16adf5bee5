/**
 * What the tools and the portal client need of whoever holds the patient's token: the token to
 * call with, what is known of it, a way to say the portal refused it, and a way to wait for a
 * newer one (a renewal). Two holders implement it: the stdio relay's TokenVault (the token the
 * extension delivers, or HOSPIAI_TOKEN) and remote mode's RequestBearer (the bearer of the
 * request being served, nothing stored).
 */
import type { TokenInfo } from './token-vault';

export interface TokenSource {
  /** The token to use now, or null; never one known to be dead or past its expiry. */
  bearer(): string | null;
  info(): TokenInfo;
  /** The portal refused this token (revoked, expired): it is not used again. */
  markDead(kind: 'revoked' | 'expired', token: string): void;
  /** Increases on every change of the token held. */
  readonly version: number;
  /** Resolves true when a usable token newer than `version` arrives, false after `timeoutMs`. */
  waitForNewer(version: number, timeoutMs: number): Promise<boolean>;
}
