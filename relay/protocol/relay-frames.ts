/**
 * What a relay may send the extension once the handshake is done: its status, renewal requests,
 * the questions the patient answers (with what the portal said of them), what the portal
 * answered to a confirmed write, the latest calls. Part of the wire contract.
 */
import { z } from 'zod';
import { ReadTool, WriteTool } from './extension-frames';
import { ConfirmationId, IsoDateTime, McpClientInfo, RelaySource, Scope } from './wire-values';

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
    /** Whose record it is, as the portal names them (the token it was asked with). */
    patient: z.string().max(200).optional(),
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
