/**
 * The shape of every tool result the relay sends (MCP 2025-11-25 `CallToolResult`).
 *
 * Success: the structured output (which matches the tool's `outputSchema`) and, for clients that
 * read text only, the same JSON as text.
 *
 * Failure: `isError: true`, the stable code and the patient's sentence as text, and no
 * `structuredContent`. Clients validate `structuredContent` against the tool's `outputSchema`
 * once they have listed tools — the SDK v1 `Client.callTool` does so even on error results —
 * so an error object there would turn every refusal into a protocol error that hides the
 * sentence. The machine-readable details (required scope, alternatives, retry delay…) go in
 * `_meta`, which no client validates against a schema, and, when there are any, in a second
 * text block so that the model can act on them (pick an alternative slot, wait N seconds).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_META_KEY } from '../protocol/tool-result-meta';

export { ERROR_META_KEY };

export interface ToolFailure {
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** More `_meta` for the client's view (an MCP App card), never in the text the model reads. */
  meta?: Record<string, unknown>;
}

/** `text` is the structured output as JSON, when the caller has it already (bounded-result.ts). */
export function successResult(
  structured: Record<string, unknown>,
  text: string = JSON.stringify(structured),
): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: structured,
  };
}

export function errorResult({ code, message, details, meta }: ToolFailure): CallToolResult {
  const error = { code, message, ...details };
  const content: CallToolResult['content'] = [{ type: 'text', text: `${code}: ${message}` }];
  if (Object.keys(details).length > 0) {
    content.push({ type: 'text', text: JSON.stringify({ error }) });
  }
  return { isError: true, content, _meta: { ...meta, [ERROR_META_KEY]: error } };
}
