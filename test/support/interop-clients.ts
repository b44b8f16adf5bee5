/**
 * Three MCP client libraries nobody here wrote, each driving the built relay over stdio the way
 * an AI client embeds it: initialize, `tools/list` first, then calls; with the elicitation
 * capability when the test answers elicitations, without it otherwise.
 *
 * - `@modelcontextprotocol/sdk` 1.x `Client` (what most desktop clients embed);
 * - `@modelcontextprotocol/client` 2.x (the SDK v2 client);
 * - `@ai-sdk/mcp` (the Vercel AI SDK), through `client.tools()` and each tool's `execute` and
 *   `toModelOutput`, as an agent loop runs them.
 */
import { type CallToolResult, createMCPClient, ElicitationRequestSchema } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RELAY_BIN } from './stdio-relay';

export type ElicitAnswer =
  | { action: 'accept'; content: Record<string, string | number | boolean> }
  | { action: 'decline' | 'cancel' };

export interface InteropStart {
  env: Record<string, string>;
  /** Answers elicitations; absent = the client does not declare the capability. */
  elicit?: (message: string) => ElicitAnswer;
}

/** What the patient and the model get from one call, whatever the library. */
export interface InteropResult {
  isError: boolean;
  /** The text the model reads. */
  text: string;
  structured: unknown;
}

export interface InteropClient {
  toolNames: string[];
  call(name: string, args: Record<string, unknown>): Promise<InteropResult>;
  close(): Promise<void>;
}

export interface InteropLibrary {
  name: string;
  version: string;
  start(options: InteropStart): Promise<InteropClient>;
}

const relayEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  LANG: 'en_US.UTF-8',
  ...env,
});

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter((part): part is { type: 'text'; text: string } => part?.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

const sdkV1: InteropLibrary = {
  name: '@modelcontextprotocol/sdk',
  version: '1.32.2',
  async start({ env, elicit }) {
    const client = new ClientV1(
      { name: 'interop-sdk-v1', version: '1.0.0' },
      { capabilities: elicit ? { elicitation: { form: {} } } : {} },
    );
    if (elicit) {
      client.setRequestHandler(ElicitRequestSchema, async (request) =>
        elicit(request.params.message),
      );
    }
    await client.connect(
      new StdioTransportV1({
        command: process.execPath,
        args: [RELAY_BIN],
        env: relayEnv(env),
        stderr: 'ignore',
      }),
    );
    const { tools } = await client.listTools();
    return {
      toolNames: tools.map((tool) => tool.name),
      async call(name, args) {
        const result = await client.callTool({ name, arguments: args });
        return {
          isError: result.isError === true,
          text: textOf(result.content),
          structured: result.structuredContent,
        };
      },
      close: () => client.close(),
    };
  },
};

const sdkV2: InteropLibrary = {
  name: '@modelcontextprotocol/client',
  version: '2.4.0',
  async start({ env, elicit }) {
    const client = new ClientV2(
      { name: 'interop-sdk-v2', version: '1.0.0' },
      { capabilities: elicit ? { elicitation: { form: {} } } : {} },
    );
    if (elicit) {
      client.setRequestHandler('elicitation/create', async (request) => {
        const params = request.params as { message: string };
        return elicit(params.message);
      });
    }
    await client.connect(
      new StdioTransportV2({
        command: process.execPath,
        args: [RELAY_BIN],
        env: relayEnv(env),
        stderr: 'ignore',
      }),
    );
    const { tools } = await client.listTools();
    return {
      toolNames: tools.map((tool) => tool.name),
      async call(name, args) {
        const result = await client.callTool({ name, arguments: args });
        return {
          isError: result.isError === true,
          text: textOf(result.content),
          structured: result.structuredContent,
        };
      },
      close: () => client.close(),
    };
  },
};

const aiSdk: InteropLibrary = {
  name: '@ai-sdk/mcp',
  version: '2.0.99',
  async start({ env, elicit }) {
    const client = await createMCPClient({
      transport: new Experimental_StdioMCPTransport({
        command: process.execPath,
        args: [RELAY_BIN],
        env: relayEnv(env),
        stderr: 'ignore',
      }),
      clientName: 'interop-ai-sdk',
      capabilities: elicit ? { elicitation: {} } : {},
    });
    if (elicit) {
      client.onElicitationRequest(ElicitationRequestSchema, async (request) =>
        elicit(request.params.message),
      );
    }
    const tools = await client.tools();
    return {
      toolNames: Object.keys(tools),
      async call(name, args) {
        const tool = tools[name];
        if (!tool?.execute) throw new Error(`no executable tool ${name}`);
        const options = { toolCallId: `call-${name}`, messages: [], context: {} };
        const output = (await tool.execute(args, options)) as CallToolResult;
        // What the agent loop hands the model: the tool's own toModelOutput.
        const forModel = await tool.toModelOutput?.({
          toolCallId: options.toolCallId,
          input: args,
          output,
        });
        const result = output as { isError?: boolean; structuredContent?: unknown };
        return {
          isError: result.isError === true,
          text: forModel && forModel.type === 'content' ? textOf(forModel.value) : '',
          structured: result.structuredContent,
        };
      },
      close: () => client.close(),
    };
  },
};

export const INTEROP_LIBRARIES: readonly InteropLibrary[] = [sdkV1, sdkV2, aiSdk];
