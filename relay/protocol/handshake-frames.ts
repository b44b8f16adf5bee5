/**
 * The handshake's frames (see protocol.ts for the exchange): hello, the relay's challenge, the
 * extension's proof or refusal, ready — and, for a code the extension made, the pairing that
 * waits for the patient's check. Part of the wire contract.
 */
import { z } from 'zod';
import {
  b64url,
  IsoDateTime,
  McpClientInfo,
  Nonce,
  PairingId,
  Proof,
  RelayId,
} from './wire-values';

// ── extension → relay ─────────────────────────────────────────────────────────

/** Who made the one-time code the extension holds: typed into its window, or shown by it. */
export const CodeMadeBy = z.enum(['relay', 'extension']);
export type CodeMadeBy = z.infer<typeof CodeMadeBy>;

const helloWithPairing = <M extends 'auth' | 'probe' | 'confirm'>(mode: M) =>
  z
    .object({
      type: z.literal('hello'),
      v: z.number().int().positive(),
      mode: z.literal(mode),
      nonce: Nonce,
      pairingId: PairingId,
    })
    .strict();

/** Only `type` and `v` are read first, so that an extension of another version gets a clear error. */
export const HelloVersion = z.object({ type: z.literal('hello'), v: z.number() });

export const HelloFrame = z.discriminatedUnion('mode', [
  z
    .object({
      type: z.literal('hello'),
      v: z.number().int().positive(),
      mode: z.literal('pair'),
      nonce: Nonce,
      /**
       * `relay`: the patient typed a code the relay showed (`hospiai-mcp pair`, the AI client's
       * form); `extension`: the extension made it and the patient gave it to the assistant.
       */
      codeMadeBy: CodeMadeBy,
    })
    .strict(),
  helloWithPairing('auth'),
  /**
   * `hospiai-mcp doctor` checking that a relay is the user's: the same proofs as `auth` (bound
   * to this mode), then `ready` and `status`, then the relay closes. A probe never becomes a
   * session, so it never replaces the extension's live connection.
   */
  helloWithPairing('probe'),
  /**
   * The patient confirmed in the extension's window that the check value matches what their
   * assistant shows: the extension proves the key agreed in pair mode, and the relay keeps it.
   */
  helloWithPairing('confirm'),
]);
export type HelloFrame = z.infer<typeof HelloFrame>;

export const ProofFrame = z.object({ type: z.literal('proof'), proof: Proof }).strict();

/** Salts of the codes a relay offers in pair mode (16 random bytes, base64url). */
export const Salt = b64url(22, 43);

/**
 * Pair mode: the proof for the offer (salt) whose code is the extension's. With a code the
 * extension made, `checkNonce` (fresh, sent only now that the relay's nonce is fixed) goes into
 * the check value both sides show the patient.
 */
export const PairProofFrame = z
  .object({ type: z.literal('proof'), salt: Salt, proof: Proof, checkNonce: Nonce.optional() })
  .strict();
export type PairProofFrame = z.infer<typeof PairProofFrame>;

/**
 * Pair mode, instead of `proof`: none of the relay's offers verified with the extension's code.
 * It carries nothing else: the peer is unauthenticated, so the relay changes nothing on its word.
 */
export const PairRefusedFrame = z
  .object({ type: z.literal('pair_refused'), reason: z.literal('code_mismatch') })
  .strict();
export type PairRefusedFrame = z.infer<typeof PairRefusedFrame>;

// ── relay → extension ─────────────────────────────────────────────────────────

/**
 * The portal a relay serves, as an origin (`https://host[:port]`); stated in its challenge and
 * covered by its proof, so the extension gives its token only to relays of its own portal.
 */
export const PortalOrigin = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[^/?#\s]+$/, 'an origin');

/** Only `type` and `v` are read first, so that a relay of another version gets a clear error. */
export const ChallengeVersion = z.object({ type: z.literal('challenge'), v: z.number() });

/** auth, probe and confirm modes: the relay's proof with the pairing key. */
export const ChallengeFrame = z
  .object({
    type: z.literal('challenge'),
    v: z.number().int().positive(),
    nonce: Nonce,
    portal: PortalOrigin,
    proof: Proof,
  })
  .strict();
export type ChallengeFrame = z.infer<typeof ChallengeFrame>;

/** One code a relay holds, offered in pair mode: its stretch's salt and the relay's proof. */
export const PairingOffer = z.object({ salt: Salt, proof: Proof }).strict();
export type PairingOffer = z.infer<typeof PairingOffer>;

/** Pair mode: a proof per code the relay holds (its own, `hospiai-mcp pair`'s), relay first. */
export const PairChallengeFrame = z
  .object({
    type: z.literal('challenge'),
    v: z.number().int().positive(),
    nonce: Nonce,
    portal: PortalOrigin,
    offers: z.array(PairingOffer).min(1).max(3),
  })
  .strict();
export type PairChallengeFrame = z.infer<typeof PairChallengeFrame>;

export const ReadyFrame = z
  .object({
    type: z.literal('ready'),
    relayId: RelayId,
    pairingId: PairingId,
    mcpClient: McpClientInfo.nullable(),
  })
  .strict();
export type ReadyFrame = z.infer<typeof ReadyFrame>;

/**
 * Pair mode with a code the extension made: both proofs verified, and the relay holds the new
 * key until the patient confirms the check value in the extension (`confirm` mode) or it
 * expires. `mcpClient` is what the AI client calls itself, shown as such — never an identity.
 */
export const AwaitingConfirmationFrame = z
  .object({
    type: z.literal('awaiting_confirmation'),
    pairingId: PairingId,
    mcpClient: McpClientInfo.nullable(),
    expiresAt: IsoDateTime,
  })
  .strict();
export type AwaitingConfirmationFrame = z.infer<typeof AwaitingConfirmationFrame>;
