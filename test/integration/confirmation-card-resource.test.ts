/**
 * The confirmation card (an MCP App) as clients find it: in remote mode, on both protocol eras
 * (a 2025 session through the SDK v1 client, a 2026-07-28 request through the v2 client), the
 * resource `ui://hospiai/confirmation.html` is listed and read as one HTML file with MCP Apps'
 * mime type and a CSP that lets it reach nothing, and the two writes name it in their `_meta`;
 * the stdio relay offers no resource and no card. What the card shows is test/e2e's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { bearer } from '../support/remote-http';
import {
  connectRemoteClient,
  type RemoteServer,
  startRemoteServer,
} from '../support/remote-server';
import { startStdioRelay } from '../support/stdio-relay';

const camille = DEMO_PATIENTS[0]!;
const CARD = 'ui://hospiai/confirmation.html';
const MIME = 'text/html;profile=mcp-app';
const NOTHING = { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] };
const WRITES = ['book_appointment', 'cancel_appointment'];

let portal: SandboxPortal;
let server: RemoteServer;
let token: string;

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({ portalUrl: portal.url });
  token = (await portal.issueToken({ email: camille.email, scopes: ['read:data'] })).token;
});
afterAll(async () => {
  await server?.stop();
  await portal?.close();
});

interface Listed {
  tools: { name: string; _meta?: Record<string, unknown> }[];
  resources: { uri: string; mimeType?: string; _meta?: Record<string, unknown> }[];
  read: { contents: { uri: string; mimeType?: string; text?: string; _meta?: unknown }[] };
}

async function sessionListing(): Promise<Listed> {
  const { client, tools } = await connectRemoteClient({ url: server.mcpUrl, token });
  try {
    const { resources } = await client.listResources();
    const read = (await client.readResource({ uri: CARD })) as Listed['read'];
    return { tools, resources, read };
  } finally {
    await client.close();
  }
}

async function modernListing(): Promise<Listed & { version: string | undefined }> {
  const client = new Client(
    { name: 'modern-client', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
      requestInit: { headers: bearer(token) },
    }),
  );
  try {
    const { tools } = await client.listTools();
    const { resources } = await client.listResources();
    const read = (await client.readResource({ uri: CARD })) as Listed['read'];
    return { tools, resources, read, version: client.getNegotiatedProtocolVersion?.() };
  } finally {
    await client.close();
  }
}

function expectTheCard({ tools, resources, read }: Listed) {
  expect(resources).toEqual([
    expect.objectContaining({ uri: CARD, mimeType: MIME, _meta: expect.anything() }),
  ]);
  expect(resources[0]?._meta).toMatchObject({ ui: { csp: NOTHING } });
  const [content, ...more] = read.contents;
  expect(more).toEqual([]);
  expect(content).toMatchObject({ uri: CARD, mimeType: MIME, _meta: { ui: { csp: NOTHING } } });
  const html = content?.text ?? '';
  const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  // One file: its markup (all but the inline script) loads nothing from anywhere.
  const markup = html.replace(script, '');
  expect(markup).toMatch(/^<!doctype html>/);
  expect(markup.match(/<script/g)).toHaveLength(1);
  expect(markup).not.toMatch(/\bsrc=|\bhref=|<link\b|<iframe\b|<img\b|<object\b|<embed\b/i);
  // Its own policy allows exactly its one inline script and style, by hash, and nothing else.
  const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(markup)?.[1] ?? '';
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  expect(script.length).toBeGreaterThan(1000);
  expect(policy.split('; ')).toEqual([
    "default-src 'none'",
    `script-src ${sha(script)}`,
    `style-src ${sha(style)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]);
  for (const tool of tools) {
    if (WRITES.includes(tool.name)) {
      expect(tool._meta, tool.name).toMatchObject({
        ui: { resourceUri: CARD, visibility: ['model'] },
        'ui/resourceUri': CARD,
      });
    } else {
      expect(tool._meta?.ui, tool.name).toBeUndefined();
      expect(tool._meta?.['ui/resourceUri'], tool.name).toBeUndefined();
    }
  }
  expect(tools.filter((tool) => tool._meta?.ui).map((tool) => tool.name)).toEqual(
    expect.arrayContaining(WRITES),
  );
}

describe('the confirmation card in remote mode', () => {
  it('a 2025 session lists and reads it, and the writes name it', async () => {
    expectTheCard(await sessionListing());
  });

  it('a 2026-07-28 client lists and reads it, and the writes name it', async () => {
    const listing = await modernListing();
    expect(listing.version).toBe('2026-07-28');
    expectTheCard(listing);
  });

  it('is the same file on both eras', async () => {
    const [session, modern] = await Promise.all([sessionListing(), modernListing()]);
    expect(modern.read.contents[0]?.text).toBe(session.read.contents[0]?.text);
  });
});

describe('the stdio relay', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), `hospiai-card-${randomUUID().slice(0, 8)}-`));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('offers no UI resource and no card on its tools', async () => {
    const relay = await startStdioRelay({
      env: { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: '0' },
    });
    try {
      expect(relay.client.getServerCapabilities()?.resources).toBeUndefined();
      await expect(relay.client.listResources()).rejects.toThrow(/not found|not supported/i);
      const { tools } = await relay.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(WRITES));
      for (const tool of tools) expect(tool._meta?.ui, tool.name).toBeUndefined();
    } finally {
      await relay.close();
    }
  });
});
