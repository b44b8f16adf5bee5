/**
 * What the extension may send a relay once the handshake is done: the token, its withdrawal, the
 * patient's answers and read policy, pings. Part of the wire contract.
 */
import { z } from 'zod';
import { READ_TOOLS, WRITE_TOOLS } from './tool-catalogue';
import { ConfirmationId, Decision, IsoDateTime, Scope, TokenSource } from './wire-values';

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
