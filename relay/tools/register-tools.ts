import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { InputNeeded } from '../confirm/input-needed';
import { ErrorCode, RelayError } from '../errors';
import type { Logger } from '../logger';
import type { AuditEntry } from '../protocol/protocol';
import { boundedFailure, boundedResultText } from './bounded-result';
import {
  annotationsFor,
  type ToolContext,
  type ToolDefinition,
  type ToolKind,
} from './define-tool';
import { tools } from './index';
import { requirePatientConfirmation } from './require-confirmation';
import { errorResult, successResult } from './tool-result';

/** Called once per tool call, after it ended; must not throw. */
export type ToolCallObserver = (entry: AuditEntry) => void;

export interface RegisterToolsOptions {
  context: ToolContext;
  logger: Logger;
  /** The AI client's name (MCP clientInfo), once known. */
  clientName: () => string | null;
  /** Tool calls wait for the relay's start-up (bridge, home) to settle; a few ms at most. */
  ready: Promise<unknown>;
  onToolCall: ToolCallObserver;
  /** Runs before each call once ready: an unpaired relay asks for the extension's code here. */
  gate?: (toolName: string) => Promise<void>;
  /** Which tools this server offers (all by default; the remote mode has no local tools). */
  include?: (tool: { name: string; kind: ToolKind }) => boolean;
  /** More `_meta` for a tool's listing (remote mode: the confirmation card's, on writes). */
  toolMeta?: (tool: { name: string; kind: ToolKind }) => Record<string, unknown>;
}

/** What a tool call answers: its result, or (2026-07-28) what the client must answer first. */
type ToolAnswer = CallToolResult | InputNeeded['result'];

/**
 * The one method tools are registered by, as both SDK lines' McpServer have it (v1 serves stdio
 * and 2025-era sessions, v2 the 2026-07-28 requests of remote mode).
 */
export interface ToolRegistrar {
  registerTool(
    name: string,
    config: {
      title: string;
      description: string;
      inputSchema: z.ZodRawShape;
      outputSchema: z.ZodRawShape;
      annotations: ToolAnnotations;
      _meta: Record<string, unknown>;
    },
    handle: (args: Record<string, unknown>) => Promise<ToolAnswer>,
  ): unknown;
}

/** Registers every tool of ./index on the server. */
export function registerTools(server: ToolRegistrar, options: RegisterToolsOptions): void {
  for (const tool of tools) {
    if (options.include && !options.include(tool)) continue;
    registerTool(server, tool as AnyTool, options);
  }
}

// The list mixes tools of different schemas; registration only needs their common shape.
type AnyTool = ToolDefinition<z.ZodRawShape, z.ZodRawShape>;

function registerTool(server: ToolRegistrar, tool: AnyTool, options: RegisterToolsOptions): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      outputSchema: tool.output,
      annotations: annotationsFor(tool),
      _meta: { ...options.toolMeta?.(tool), 'hospiai/scope': tool.scope },
    },
    async (args: Record<string, unknown>): Promise<ToolAnswer> => {
      const started = performance.now();
      const scopes = tool.scope ? [tool.scope] : [];
      const audit = (outcome: string, resourceIds: string[]) =>
        options.onToolCall({
          at: new Date().toISOString(),
          client: options.clientName(),
          tool: tool.name,
          scopes,
          resourceIds: resourceIds.slice(0, 20),
          outcome,
          durationMs: Math.round(performance.now() - started),
        });
      try {
        await options.ready;
        await options.gate?.(tool.name);
        if (tool.scope) await options.context.api.requireScope(tool.scope);
        const { context } = options;
        const patient = context.vault.info().patient;
        if (tool.kind === 'read' && context.readPolicy.requiresConfirmation(tool.name, patient)) {
          const what = tool.confirmation ? context.t(tool.confirmation) : tool.title;
          const answer = await requirePatientConfirmation(
            { kind: 'read', tool: tool.name, message: context.t('CONFIRM_READ', { what }) },
            context,
          );
          // "For this conversation" / "for one hour": this read runs again without asking.
          if (answer.readGrant) context.readPolicy.grant(answer.readGrant, patient, tool.name);
        }
        // The SDK has already validated `args` against tool.input (defaults applied).
        const result = await tool.handle(args, {
          ...context,
          call: (request) => context.api.call(tool.scope, request),
          asPatient: () => context.api.asPatient(tool.scope ?? 'read:data'),
        });
        const text = boundedResultText(result.structured, context.t);
        audit(result.outcome ?? 'ok', result.resourceIds);
        return successResult(result.structured, text);
      } catch (error) {
        // Nothing done yet: the client answers the question and calls again.
        if (error instanceof InputNeeded) {
          audit('input_required', []);
          return error.result;
        }
        const failure = boundedFailure(
          error instanceof RelayError ? error : unexpected(error, tool, options),
        );
        audit(failure.code, []);
        return errorResult(failure);
      }
    },
  );
}

/** A bug, not a portal answer: logged (without the error's data) and told plainly. */
function unexpected(error: unknown, tool: AnyTool, options: RegisterToolsOptions) {
  options.logger.error('tool failed unexpectedly', {
    tool: tool.name,
    error: error instanceof Error ? error.message : String(error),
  });
  return new RelayError(ErrorCode.INTERNAL_ERROR, options.context.t('INTERNAL_ERROR'));
}
