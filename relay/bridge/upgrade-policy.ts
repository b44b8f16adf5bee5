/**
 * Who may open a WebSocket on the bridge, decided from the HTTP upgrade request alone.
 * Any web page can reach ws://127.0.0.1 and a rebinding DNS name can point at it, so both
 * `Host` and `Origin` must match exactly; anything unusual is refused rather than normalised.
 *
 * Chrome: the extension's ID is pinned by the manifest key, so its origin is known in advance.
 * Firefox: every install gets a random UUID origin, and any other add-on of the same browser
 * has one of the same shape. So a `moz-extension://` origin is let in only when it is the exact
 * origin that paired (pinned in its pairing record, see pairing-store.ts), or — to pair — while
 * a pairing code is waiting, whose handshake then makes the relay prove the code first and the
 * add-on prove it too. Never a prefix match on `moz-extension://`.
 */

export interface UpgradeRequest {
  host: string | undefined;
  origin: string | undefined;
  /** The port the bridge listens on. */
  port: number;
  /** Chrome extension IDs accepted in `chrome-extension://<id>`. */
  allowed: readonly string[];
  /** `moz-extension://<uuid>` origins pinned by this home's pairings. */
  pinnedFirefoxOrigins?: readonly string[];
  /** A pairing code is waiting: a Firefox install that has not paired yet may present it. */
  pairingPending?: boolean;
}

export type UpgradeDecision = { ok: true } | { ok: false; reason: string };

/** Firefox gives each install a random v4 UUID, lowercase, as its extension origin. */
const FIREFOX_ORIGIN =
  /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A well-formed Firefox extension origin (shape only: who it is comes from the pairing). */
export function isFirefoxExtensionOrigin(origin: string): boolean {
  return FIREFOX_ORIGIN.test(origin);
}

export function checkUpgrade({
  host,
  origin,
  port,
  allowed,
  pinnedFirefoxOrigins = [],
  pairingPending = false,
}: UpgradeRequest): UpgradeDecision {
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, reason: host === undefined ? 'missing Host' : 'unexpected Host' };
  }
  if (origin === undefined) return { ok: false, reason: 'missing Origin' };
  if (allowed.some((id) => origin === `chrome-extension://${id}`)) return { ok: true };
  if (isFirefoxExtensionOrigin(origin)) {
    if (pinnedFirefoxOrigins.includes(origin) || pairingPending) return { ok: true };
    return { ok: false, reason: 'Firefox add-on not paired with this relay, and no code waiting' };
  }
  return { ok: false, reason: 'Origin is not the HospiAI extension' };
}
