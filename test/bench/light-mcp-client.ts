/**
 * A lean MCP client for the remote benchmark: one kept-alive HTTP connection per patient,
 * requests built as strings, answers (JSON or one SSE event) parsed once. The SDK's client costs
 * more CPU per call than a replica does; on a 2-core machine shared with the load generator it
 * would measure itself. It still behaves as a client must: initialize, `initialized`, tools
 * listed before the first call, the session id sent back on every request.
 */
import http from 'node:http';

export interface LightAnswer {
  status: number;
  /** The JSON-RPC message, when the answer carried one. */
  message?: { result?: Record<string, unknown>; error?: { message: string } };
}

export interface LightMcpClient {
  call(name: string, args: Record<string, unknown>): Promise<LightAnswer>;
  close(): Promise<void>;
}

/** One request on a kept-alive agent; for the direct-portal row as well as MCP. */
export function request(
  agent: http.Agent,
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent, method: options.method, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function messageOf(contentType: string | undefined, body: string): LightAnswer['message'] {
  if (!body) return undefined;
  if (contentType?.startsWith('text/event-stream')) {
    const data = body
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .at(-1);
    return data ? JSON.parse(data) : undefined;
  }
  return JSON.parse(body);
}

/** The 2026-07-28 protocol's per-request envelope: no session, each request says who asks. */
const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'bench-light', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * The same client on the 2026-07-28 protocol: `server/discover` once, `tools/list`, then calls,
 * each a request on its own (envelope in `_meta`, `Mcp-Method`/`Mcp-Name` headers).
 */
export async function connectModernLightClient(
  url: string,
  token: string,
): Promise<LightMcpClient> {
  const endpoint = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let nextId = 1;
  const post = async (
    method: string,
    params: Record<string, unknown>,
    name?: string,
  ): Promise<LightAnswer> => {
    const answer = await request(agent, endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'mcp-protocol-version': MODERN,
        'mcp-method': method,
        ...(name ? { 'mcp-name': name } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: nextId++,
        method,
        params: { ...params, _meta: ENVELOPE },
      }),
    });
    return {
      status: answer.status,
      message: messageOf(answer.headers['content-type'], answer.body),
    };
  };
  for (const method of ['server/discover', 'tools/list']) {
    const answer = await post(method, {});
    if (answer.status >= 300 || answer.message?.error)
      throw new Error(`${method}: HTTP ${answer.status} ${answer.message?.error?.message ?? ''}`);
  }
  return {
    call: (name, args) => post('tools/call', { name, arguments: args }, name),
    async close() {
      agent.destroy();
    },
  };
}

export async function connectLightClient(url: string, token: string): Promise<LightMcpClient> {
  const endpoint = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
  };
  let nextId = 1;
  const post = async (body: Record<string, unknown>): Promise<LightAnswer> => {
    const answer = await request(agent, endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const sessionId = answer.headers['mcp-session-id'];
    if (typeof sessionId === 'string') headers['mcp-session-id'] = sessionId;
    return {
      status: answer.status,
      message: messageOf(answer.headers['content-type'], answer.body),
    };
  };
  const expectOk = (what: string, answer: LightAnswer) => {
    if (answer.status >= 300 || answer.message?.error)
      throw new Error(`${what}: HTTP ${answer.status} ${answer.message?.error?.message ?? ''}`);
  };
  const init = await post({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'bench-light', version: '1' },
    },
  });
  expectOk('initialize', init);
  headers['mcp-protocol-version'] = String(init.message?.result?.protocolVersion ?? '2025-11-25');
  const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  if (initialized.status !== 202) throw new Error(`initialized: HTTP ${initialized.status}`);
  expectOk('tools/list', await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' }));
  return {
    call: (name, args) =>
      post({
        jsonrpc: '2.0',
        id: nextId++,
        method: 'tools/call',
        params: { name, arguments: args },
      }),
    async close() {
      await request(agent, endpoint, { method: 'DELETE', headers }).catch(() => undefined);
      agent.destroy();
    },
  };
}
