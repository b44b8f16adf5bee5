/**
 * The tool server of one 2026-07-28 request in remote mode: the SDK v2 McpServer (the SDK line
 * that speaks that revision: `server/discover`, the per-request envelope, input-required
 * results), with the same name, instructions and tools as every other server (tool-server.ts),
 * registered by the same rules (register-tools.ts). Loaded by `serve` only: the stdio relay never
 * pays for the second SDK line.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { RELAY_VERSION } from '../version';
import type { ToolContext } from './define-tool';
import { type RegisterToolsOptions, registerTools, type ToolRegistrar } from './register-tools';
import { INSTRUCTIONS, SERVER_NAME } from './tool-server';

export interface ModernToolServerOptions
  extends Pick<RegisterToolsOptions, 'logger' | 'onToolCall' | 'toolMeta'> {
  context: ToolContext;
}

/** Who answers 2026-07-28 requests (every result carries it in `_meta`). */
export const MODERN_SERVER_INFO = { name: SERVER_NAME, version: RELAY_VERSION, title: 'HospiAI' };

export function createModernToolServer(options: ModernToolServerOptions): McpServer {
  const server = new McpServer(
    { ...MODERN_SERVER_INFO },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS.remote },
  );
  registerTools(v2Registrar(server), {
    logger: options.logger,
    onToolCall: options.onToolCall,
    context: options.context,
    toolMeta: options.toolMeta,
    ready: Promise.resolve(),
    clientName: () => server.server.getClientVersion()?.name.slice(0, 200) ?? null,
    // Pairing with a browser extension is this computer's business, not a remote server's.
    include: (tool) => tool.kind !== 'local',
  });
  return server;
}

/**
 * Each tool's shapes as zod objects, made once — a server is made per request, and a new zod
 * object compiles its parser again on first use; the direct reads check the same objects — whose JSON Schema (what `tools/list` shows
 * and the SDK checks `Mcp-Param` headers against) is converted once too, through the Standard
 * JSON Schema interface the SDK reads.
 */
const objects = new WeakMap<z.ZodRawShape, z.ZodObject>();
export function objectOf(shape: z.ZodRawShape): z.ZodObject {
  let object = objects.get(shape);
  if (!object) {
    object = withJsonSchemaOnce(z.object(shape));
    objects.set(shape, object);
  }
  return object;
}

type Converter = (options: { target: string }) => Record<string, unknown>;

function withJsonSchemaOnce(object: z.ZodObject): z.ZodObject {
  const standard = object['~standard'] as unknown as {
    jsonSchema: { input: Converter; output: Converter };
  };
  const once = (convert: Converter): Converter => {
    const byTarget = new Map<string, Record<string, unknown>>();
    return (options) => {
      let json = byTarget.get(options.target);
      if (!json) {
        json = convert(options);
        byTarget.set(options.target, json);
      }
      return json;
    };
  };
  Object.defineProperty(object, '~standard', {
    value: {
      ...standard,
      jsonSchema: {
        input: once(standard.jsonSchema.input),
        output: once(standard.jsonSchema.output),
      },
    },
  });
  return object;
}

/** The v2 McpServer as a registrar: schemas as zod objects, answers as the v2 types. */
function v2Registrar(server: McpServer): ToolRegistrar {
  return {
    registerTool: (name, config, handle) =>
      server.registerTool(
        name,
        {
          ...config,
          inputSchema: objectOf(config.inputSchema),
          outputSchema: objectOf(config.outputSchema),
        },
        // The v2 types describe the same wire shapes (CallToolResult, InputRequiredResult).
        handle as unknown as Parameters<McpServer['registerTool']>[2],
      ),
  };
}
