/**
 * Tools are data: a name, what the model reads, zod input and output schemas, the scope the
 * token needs (stated once: `call` uses it), a kind that becomes MCP annotations and decides
 * how the patient is asked, and the wording of that question. `registerTools` turns them into
 * MCP tools with structured output, actionable errors and an audit entry per call.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Confirmer } from '../confirm/patient-confirmation';
import type { ReadPolicyStore } from '../confirm/read-policy';
import type { MessageKey, Translate } from '../i18n/messages';
import type { PairingChannel } from '../pairing/patient-pairing';
import type { PatientApi, PinnedPatient } from '../portal/patient-api';
import type { PortalCall } from '../portal/portal-client';
import type { KnownScope } from '../protocol/protocol';
import type { TokenSource } from '../token/token-source';

/**
 * read: no side effect (with a scope, it reads patient data: the patient's read policy applies);
 * write: creates something; destructive: removes or cancels something; local: changes this
 * computer's HospiAI setup only (no patient data, no portal). Writes always ask the patient
 * (relay/protocol/tool-catalogue.ts, generated from the kinds, tells the extension).
 */
export type ToolKind = 'read' | 'write' | 'destructive' | 'local';

export interface ToolContext {
  api: PatientApi;
  confirmer: Confirmer;
  /** Which reads the patient wants to approve each time. */
  readPolicy: ReadPolicyStore;
  vault: TokenSource;
  t: Translate;
  /** Connection facts for connection_status (never the token). */
  describeConnection: () => ConnectionFacts;
  /** Pairing with a code the extension shows; null when the bridge is not listening. */
  pairing?: () => PairingChannel | null;
}

/** What a tool's handler gets: the shared context, and portal calls with the tool's scope. */
export interface ToolCallContext extends ToolContext {
  call<S extends z.ZodType>(request: Omit<PortalCall<S>, 'token'>): Promise<z.infer<S>>;
  /** The token in use now, pinned, with the tool's scope: what a confirmed write goes with. */
  asPatient(): Promise<PinnedPatient>;
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
  /**
   * What the patient is asked, as a key of the catalogue (i18n/messages.ts): for a read under
   * the "ask" policy, what the assistant would do ("read your appointments"); for a write, the
   * sentence with its details.
   */
  confirmation?: MessageKey;
  input: I;
  output: O;
  handle(
    args: z.infer<z.ZodObject<I>>,
    context: ToolCallContext,
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
