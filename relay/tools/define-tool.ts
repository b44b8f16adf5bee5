/**
 * Tools are data: a name, what the model reads, zod input and output schemas, the scope the
 * token needs, and a kind that becomes MCP annotations. `registerTools` turns them into MCP
 * tools with structured output, actionable errors and an audit entry per call.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Confirmer } from '../confirm/patient-confirmation';
import type { ReadPolicyStore } from '../confirm/read-policy';
import type { Translate } from '../i18n/messages';
import type { PairingChannel } from '../pairing/patient-pairing';
import type { PatientApi } from '../portal/patient-api';
import type { KnownScope } from '../protocol/protocol';
import type { TokenVault } from '../token/token-vault';

/**
 * read: no side effect; write: creates something; destructive: removes or cancels something;
 * local: changes this computer's HospiAI setup only (no patient data, no portal).
 */
export type ToolKind = 'read' | 'write' | 'destructive' | 'local';

export interface ToolContext {
  api: PatientApi;
  confirmer: Confirmer;
  /** Which reads the patient wants to approve each time. */
  readPolicy: ReadPolicyStore;
  vault: TokenVault;
  t: Translate;
  /** Connection facts for connection_status (never the token). */
  describeConnection: () => ConnectionFacts;
  /** Pairing with a code the extension shows; null when the bridge is not listening. */
  pairing?: () => PairingChannel | null;
}

export interface ConnectionFacts {
  portalUrl: string;
  bridgePort: number | null;
  bridgeProblem: string | null;
  paired: boolean;
  extensionConnections: number;
}

export interface ToolResult<O> {
  structured: O;
  /** Ids of the portal resources touched, for the audit log (never medical content). */
  resourceIds: string[];
  /** A short outcome word for the audit log; `ok` by default. */
  outcome?: string;
}

export interface ToolDefinition<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** The scope the token must hold; null when the tool calls no scoped route. */
  scope: KnownScope | null;
  kind: ToolKind;
  input: I;
  output: O;
  handle(
    args: z.infer<z.ZodObject<I>>,
    context: ToolContext,
  ): Promise<ToolResult<z.infer<z.ZodObject<O>>>>;
}

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return definition;
}

export function annotationsFor(definition: { title: string; kind: ToolKind }): ToolAnnotations {
  return {
    title: definition.title,
    readOnlyHint: definition.kind === 'read',
    destructiveHint: definition.kind === 'destructive',
    idempotentHint: definition.kind !== 'write' && definition.kind !== 'local',
    // Every tool but the local ones reaches the HospiAI portal, outside this machine.
    openWorldHint: definition.kind !== 'local',
  };
}
