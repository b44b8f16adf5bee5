/**
 * The values both sides' frames are made of: ids, nonces and proofs, scopes, times, what an AI
 * client says of itself, how a relay is started. Part of the wire contract (protocol.ts).
 */
import { z } from 'zod';

/** Scopes the portal grants. Unknown scopes are kept as strings and never crash a parser. */
export const KNOWN_SCOPES = ['read:data', 'write:data', 'book:appointments'] as const;
export type KnownScope = (typeof KNOWN_SCOPES)[number];

export const b64url = (min: number, max: number) =>
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
