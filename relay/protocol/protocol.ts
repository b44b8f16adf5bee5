/**
 * The wire contract between the browser extension and the relay's bridge.
 * Both sides import this module; every frame is parsed with these schemas before use.
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
import { z } from 'zod';
import { READ_TOOLS, WRITE_TOOLS } from './tool-catalogue';

export { READ_TOOLS, WRITE_TOOLS };

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
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Scopes the portal grants. Unknown scopes are kept as strings and never crash a parser. */
export const KNOWN_SCOPES = ['read:data', 'write:data', 'book:appointments'] as const;
export type KnownScope = (typeof KNOWN_SCOPES)[number];

const b64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url');

/** 32 random bytes, base64url (43 characters). */
export const Nonce = b64url(43, 43);
/** HMAC-SHA256, base64url (43 characters). */
export const Proof = b64url(43, 43);
export const PairingId = z
  .string()
  .regex(/^[a-z0-9]{16}$/, 'pairing id: 16 lowercase letters or digits');
export const RelayId = z.string().regex(/^[a-z0-9]{12}$/);
export const Scope = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9:_.-]+$/);
export const IsoDateTime = z.iso.datetime({ offset: true });
/** A pending confirmation, named by the relay that asks (randomId(16)). */
export const ConfirmationId = z.string().regex(/^[a-z0-9]{12,32}$/);
/** The patient's answer to a confirmation. */
export const Decision = z.enum(['approve', 'decline']);
export type Decision = z.infer<typeof Decision>;

export const McpClientInfo = z
  .object({
    name: z.string().max(200),
    version: z.string().max(100),
    /** The display name MCP clients may give besides their id (`initialize` clientInfo.title). */
    title: z.string().max(200).optional(),
  })
  .strict();
export type McpClientInfo = z.infer<typeof McpClientInfo>;

/**
 * How this relay is started (`hospiai-mcp setup` writes the same): this Node and bundle by
 * absolute path, or an exact registry version. Lets the popup show a configuration that starts.
 */
export const RelaySource = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('local'),
      node: z.string().min(1).max(4096),
      bundle: z.string().min(1).max(4096),
    })
    .strict(),
  z
    .object({
      kind: z.literal('registry'),
      version: z
        .string()
        .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/)
        .max(64),
    })
    .strict(),
]);
export type RelaySource = z.infer<typeof RelaySource>;

/** What the extension says about the token it delivers (the relay also decodes the JWT). */
export const TokenSource = z.enum(['auto', 'capture']);
export type TokenSource = z.infer<typeof TokenSource>;

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

export const TokenFrame = z
  .object({
    type: z.literal('token'),
    /** The HospiAI API token (a JWT). Held in relay memory only. */
    token: z
      .string()
      .min(16)
      .max(8192)
      .regex(/^[A-Za-z0-9._~+/=-]+$/),
    tokenId: z.string().min(1).max(200),
    source: TokenSource,
    scopes: z.array(Scope).max(20),
    expiresAt: IsoDateTime,
  })
  .strict();
export type TokenFrame = z.infer<typeof TokenFrame>;

export const RevokeFrame = z
  .object({
    type: z.literal('revoke'),
    /**
     * `paused`: the patient paused the assistants (consent and token kept in the extension);
     * `wrong_portal`: the relay serves another portal than the extension's, so it gets nothing.
     */
    reason: z.enum([
      'user',
      'session_ended',
      'consent_withdrawn',
      'replaced',
      'paused',
      'wrong_portal',
    ]),
  })
  .strict();
export type RevokeFrame = z.infer<typeof RevokeFrame>;

export const PingFrame = z.object({ type: z.literal('ping'), t: z.number().int() }).strict();

/**
 * A read the patient approved may also be allowed for what follows: for this conversation (the
 * life of the relay's MCP session) or for one hour. Never for writes: the relay ignores it there.
 */
export const ReadGrant = z.enum(['conversation', 'hour']);
export type ReadGrant = z.infer<typeof ReadGrant>;

export const ConfirmationResultFrame = z
  .object({
    type: z.literal('confirmation_result'),
    id: ConfirmationId,
    decision: Decision,
    readGrant: ReadGrant.optional(),
  })
  .strict();

/** The tools that read patient data (tool-catalogue.ts); the patient may let them run unasked. */
export const ReadTool = z.enum(READ_TOOLS);
export type ReadTool = z.infer<typeof ReadTool>;
export const ReadPolicy = z.enum(['ask', 'allow']);
/** The tools that change something: the patient always confirms them. */
export const WriteTool = z.enum(WRITE_TOOLS);
export type WriteTool = z.infer<typeof WriteTool>;
export type ReadPolicy = z.infer<typeof ReadPolicy>;

/**
 * The patient's per-tool policy from the popup: `ask` (the extension's default) or `allow`
 * reading without asking. Writes are not in it: they always ask.
 */
export const PolicyFrame = z
  .object({ type: z.literal('policy'), reads: z.partialRecord(ReadTool, ReadPolicy) })
  .strict();
export type PolicyFrame = z.infer<typeof PolicyFrame>;

/** Frames the extension may send after `ready`. */
export const ExtensionSessionFrame = z.discriminatedUnion('type', [
  TokenFrame,
  RevokeFrame,
  PingFrame,
  ConfirmationResultFrame,
  PolicyFrame,
]);
export type ExtensionSessionFrame = z.infer<typeof ExtensionSessionFrame>;

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

/** The relay's token: none yet, usable, past its expiry, or revoked. */
export const RelayTokenState = z.enum(['none', 'active', 'expired', 'revoked']);
export type RelayTokenState = z.infer<typeof RelayTokenState>;
/** Where the relay's token came from: the extension, or HOSPIAI_TOKEN. */
export const TokenOrigin = z.enum(['extension', 'environment']);
export type TokenOrigin = z.infer<typeof TokenOrigin>;
/** Why a relay asks the extension for a fresh token. */
export const RenewalReason = z.enum(['token_expired', 'invalid_token', 'expiring_soon']);
export type RenewalReason = z.infer<typeof RenewalReason>;

export const StatusFrame = z
  .object({
    type: z.literal('status'),
    mcpClient: McpClientInfo.nullable(),
    token: z
      .object({
        state: RelayTokenState,
        source: TokenOrigin.nullable(),
        tokenId: z.string().max(200).nullable(),
      })
      .strict(),
    /** Absent from relays that cannot tell (run from sources). */
    relaySource: RelaySource.optional(),
  })
  .strict();
export type StatusFrame = z.infer<typeof StatusFrame>;

export const PongFrame = z.object({ type: z.literal('pong'), t: z.number().int() }).strict();

/** The relay got a 401 (expired / invalid) and asks, once, for a fresh token. */
export const RenewRequestFrame = z
  .object({
    type: z.literal('renew_request'),
    reason: RenewalReason,
    tokenId: z.string().max(200).nullable(),
  })
  .strict();

/**
 * What a write is about, from the portal's data (the doctor, the appointment): the extension
 * shows each piece on its own line, the date and time localized (appointment-time.ts). Only the
 * reason may come from the model; it is shown quoted.
 */
export const WriteSummary = z
  .object({
    doctor: z.string().max(200),
    specialty: z.string().max(200).optional(),
    /** YYYY-MM-DD and HH:MM as the portal gives them (anything else is shown as is). */
    date: z.string().max(20),
    time: z.string().max(10),
    reason: z.string().max(500).optional(),
    hospital: z.string().max(200).optional(),
    city: z.string().max(200).optional(),
    /** A cancellation's street address (the portal's appointments name no city). */
    address: z.string().max(300).optional(),
  })
  .strict();
export type WriteSummary = z.infer<typeof WriteSummary>;

/** A write the patient must approve in the extension; details were fetched by the relay. */
export const ConfirmationRequestFrame = z
  .object({
    type: z.literal('confirmation_request'),
    id: ConfirmationId,
    /** The write tool (tool-catalogue.ts): the extension words the question `confirm_<tool>`. */
    action: WriteTool,
    summary: WriteSummary,
    expiresAt: IsoDateTime,
  })
  .strict();
export type ConfirmationRequestFrame = z.infer<typeof ConfirmationRequestFrame>;

/** A read the patient asked to approve each time (policy `ask`); answered by confirmation_result. */
export const ReadApprovalRequestFrame = z
  .object({
    type: z.literal('read_approval_request'),
    id: ConfirmationId,
    tool: ReadTool,
    expiresAt: IsoDateTime,
  })
  .strict();
export type ReadApprovalRequestFrame = z.infer<typeof ReadApprovalRequestFrame>;

/**
 * After a write the patient approved (in the extension, or in the AI client's form: `id` null),
 * what the portal answered: `done` with the portal's own details of the appointment, or
 * `failed` with the relay's error code. The patient sees "Booked ✓" or why not.
 */
export const WriteOutcomeFrame = z
  .object({
    type: z.literal('write_outcome'),
    id: ConfirmationId.nullable(),
    action: WriteTool,
    outcome: z.enum(['done', 'failed']),
    summary: WriteSummary,
    /** The relay's error code when the write failed (errors.ts), e.g. SLOT_UNAVAILABLE. */
    problem: z
      .string()
      .regex(/^[A-Z_]{1,64}$/)
      .optional(),
    at: IsoDateTime,
  })
  .strict();
export type WriteOutcomeFrame = z.infer<typeof WriteOutcomeFrame>;

export const AuditEntry = z
  .object({
    at: IsoDateTime,
    client: z.string().max(200).nullable(),
    tool: z.string().max(64),
    scopes: z.array(Scope).max(10),
    resourceIds: z.array(z.string().max(200)).max(20),
    outcome: z.string().max(64),
    durationMs: z.number().nonnegative(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFrame = z
  .object({ type: z.literal('audit'), entries: z.array(AuditEntry).max(50) })
  .strict();

export const RelayErrorFrame = z
  .object({
    type: z.literal('error'),
    code: z.string().max(64),
    message: z.string().max(500),
  })
  .strict();

/** Frames the relay may send after `ready`. */
export const RelaySessionFrame = z.discriminatedUnion('type', [
  StatusFrame,
  PongFrame,
  RenewRequestFrame,
  ConfirmationRequestFrame,
  ReadApprovalRequestFrame,
  WriteOutcomeFrame,
  AuditFrame,
  RelayErrorFrame,
]);
export type RelaySessionFrame = z.infer<typeof RelaySessionFrame>;

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
