/**
 * Who may open a WebSocket on the bridge, decided from the HTTP upgrade request alone.
 * Any web page can reach ws://127.0.0.1 and a rebinding DNS name can point at it, so both
 * `Host` and `Origin` must match exactly; anything unusual is refused rather than normalised.
 */

export interface UpgradeRequest {
  host: string | undefined;
  origin: string | undefined;
  /** The port the bridge listens on. */
  port: number;
  /** Chrome extension IDs accepted in `chrome-extension://<id>`. */
  allowed: readonly string[];
}

export type UpgradeDecision = { ok: true } | { ok: false; reason: string };

/** Firefox gives each install a random v4 UUID, lowercase, as its extension origin. */
const FIREFOX_ORIGIN =
  /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function checkUpgrade({ host, origin, port, allowed }: UpgradeRequest): UpgradeDecision {
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, reason: host === undefined ? 'missing Host' : 'unexpected Host' };
  }
  if (origin === undefined) return { ok: false, reason: 'missing Origin' };
  if (FIREFOX_ORIGIN.test(origin)) return { ok: true };
  if (allowed.some((id) => origin === `chrome-extension://${id}`)) return { ok: true };
  return { ok: false, reason: 'Origin is not the HospiAI extension' };
}
