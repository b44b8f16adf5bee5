/**
 * The wire contract between the browser extension and the relay's bridge.
 * Both sides import this module; every frame is parsed with these schemas before use. It holds
 * the constants and re-exports the frames, by who sends them when: handshake-frames.ts,
 * extension-frames.ts, relay-frames.ts, and the values they are made of (wire-values.ts).
 *
 * Handshake (relay proves itself first, see handshake-crypto.ts). Every proof covers the mode,
 * both nonces, the port and the portal the relay serves:
 *   ext → hello {mode: auth|probe|confirm, nonce, pairingId}
 *   relay → challenge {nonce, portal, proof}         (ext checks proof, else stops)
 *   ext → proof {proof}
 *   relay → ready {relayId, pairingId, mcpClient}
 * Pairing (a one-time code):
 *   ext → hello {mode: pair, nonce, codeMadeBy: relay|extension}
 *   relay → challenge {nonce, portal, offers: [{salt, proof}]}   (one per code it holds)
 *   ext → proof {salt, proof[, checkNonce]}         (or pair_refused: none of them is its code)
 *   relay → ready …                                  (a code the relay made and showed)
 *   relay → awaiting_confirmation {pairingId}         (a code the extension made: see below)
 * A code the extension made may have passed through the model (the patient told it to the
 * assistant), so it is never enough to pair: both sides derive a check value from the new key,
 * both nonces and the extension's late `checkNonce` (sent after the relay committed to its
 * nonce, so a relay cannot steer its value); the relay shows it to the patient in the AI
 * client, the extension in its own window, and only when the patient confirms there that they
 * match does the extension come back in `confirm` mode, proving the new key, and the relay keep
 * the pairing.
 * Only after ready: token, revoke, ping, policy, confirmation_result (ext) and status, pong,
 * renew_request, confirmation_request, read_approval_request (a read the patient confirms),
 * write_outcome (what the portal answered to a confirmed write), audit, error (relay). `read_approval_request` keeps its wire name: renaming it would take a
 * new protocol version.
 */
import type { z } from 'zod';

export * from './extension-frames';
export * from './handshake-frames';
export * from './relay-frames';
export { READ_TOOLS, WRITE_TOOLS } from './tool-catalogue';
export * from './wire-values';

/** Bumped on any incompatible change; both sides refuse a different major version. */
export const PROTOCOL_VERSION = 2;

/** Largest frame either side accepts (bytes). A JWT is ~1 KB; audit batches are the largest. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** An unauthenticated connection is closed after this long. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

/**
 * A pairing handshake's deadline, on both sides: the extension first stretches the typed code
 * (PBKDF2, 600 000 rounds: a fraction of a second on an idle machine, seconds on a slow or busy
 * one). The relay allows it only to a connection that asked to pair while a code is pending.
 */
export const PAIRING_HANDSHAKE_TIMEOUT_MS = 20_000;

/** Frames per second a connection may send before it is closed. */
export const MAX_FRAMES_PER_SECOND = 50;

/** The fixed, small port range relays try in order (override: HOSPIAI_MCP_PORTS). */
export const DEFAULT_PORT_RANGE = { first: 47_610, last: 47_619 } as const;

/** Every port of a range, in the order relays take them and the extension and doctor probe them. */
export function portsOf(range: { readonly first: number; readonly last: number }): number[] {
  return Array.from({ length: range.last - range.first + 1 }, (_, i) => range.first + i);
}

/** Close codes (4000–4999 is the application range of RFC 6455). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 4000,
  versionMismatch: 4001,
  handshakeTimeout: 4002,
  authFailed: 4003,
  notPaired: 4004,
  pairingLocked: 4005,
  noPendingCode: 4006,
  rateLimited: 4008,
  frameTooLarge: 1009,
  /** RFC 6455: the relay met an unexpected condition (e.g. an unreadable pairings file). */
  internalError: 1011,
  replaced: 4009,
  /** The extension's pairing code does not match the one the relay was given. */
  codeMismatch: 4010,
  /** Pairing with a code the extension made: proofs checked, the patient compares the values. */
  awaitingConfirmation: 4011,
  /** A code the extension made was proved by another program too: it is void, nothing pairs. */
  codeAnsweredTwice: 4012,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const MAX_CLOSE_REASON_BYTES = 123;
const utf8 = new TextEncoder();

/**
 * A close reason cut to fit a control frame: 123 bytes of UTF-8, not characters, and never
 * inside a character (a reason can quote a frame's unknown keys, in any script). A longer one
 * makes ws and browsers throw instead of closing, and the connection stays open.
 */
export function fitCloseReason(text: string): string {
  let bytes = 0;
  let reason = '';
  for (const char of text) {
    bytes += utf8.encode(char).length;
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    reason += char;
  }
  return reason;
}

/** Parses one text frame against a schema; never throws. */
export function parseFrame<S extends z.ZodType>(
  schema: S,
  data: string,
): { ok: true; frame: z.infer<S> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'frame is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: `invalid frame: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  }
  return { ok: true, frame: parsed.data };
}
