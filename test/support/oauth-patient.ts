/**
 * An assistant that signs in with OAuth, as Claude or ChatGPT do, driven by the SDK's own OAuth
 * client (`auth()` inside StreamableHTTPClientTransport): an OAuthClientProvider that keeps what
 * the SDK gives it, and a patient's browser that opens the authorization URL the SDK built,
 * answers the consent page and follows the redirect back — plain HTTP, as a browser sends it.
 */

import {
  type OAuthClientProvider,
  UnauthorizedError,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { sharedSchemaValidator } from './shared-schema-validator';

export const CALLBACK = 'http://127.0.0.1:39123/callback';

export class ScriptedOAuthClient implements OAuthClientProvider {
  authorizationUrl: URL | null = null;
  information: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  private verifier = '';

  constructor(
    readonly name: string,
    /** A Client ID Metadata Document's URL: the SDK then uses it as client_id (no registration). */
    readonly clientMetadataUrl?: string,
  ) {}

  get redirectUrl() {
    return CALLBACK;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    return 'state-from-the-assistant';
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

export interface ConsentAnswer {
  /** The consent page's HTML as first served. */
  page: string;
  /** Where the browser was sent (the client's redirect URI with code or error), if it was. */
  location: URL | null;
  status: number;
  /** The page served instead of a redirect (a refusal on the form). */
  body: string;
  /** The cookie the server set in the patient's browser (`name=value`), if any. */
  cookie: string | null;
}

/** The patient opens the authorization URL, pastes their HospiAI token, ticks, and answers. */
export async function answerConsent(
  authorizationUrl: URL,
  answer: { portalToken?: string; scopes?: string[]; decision?: 'allow' | 'deny'; origin?: string },
): Promise<ConsentAnswer> {
  const opened = await fetch(authorizationUrl, { redirect: 'manual' });
  const page = await opened.text();
  const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1];
  if (!requestId) throw new Error(`no consent form (${opened.status}): ${page.slice(0, 300)}`);
  // What the page ticks at first, unless the patient changes it.
  const offered = [...page.matchAll(/name="scope" value="([^"]+)" checked/g)].map(
    (m) => m[1] as string,
  );
  const form = new URLSearchParams({ request: requestId, decision: answer.decision ?? 'allow' });
  for (const scope of answer.scopes ?? offered) form.append('scope', scope);
  if (answer.portalToken) form.set('portal_token', answer.portalToken);
  const sent = await fetch(new URL('/oauth/authorize', authorizationUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: answer.origin ?? authorizationUrl.origin,
      'Sec-Fetch-Site': answer.origin ? 'cross-site' : 'same-origin',
    },
    body: form,
  });
  const location = sent.headers.get('location');
  return {
    page,
    status: sent.status,
    location: location ? new URL(location) : null,
    body: await sent.text(),
    cookie: sent.headers.get('set-cookie')?.split(';')[0] ?? null,
  };
}

/** An SDK client over Streamable HTTP that signs in with `provider`, tools listed first. */
export async function connectSignedIn(
  mcpUrl: string,
  provider: ScriptedOAuthClient,
  options: {
    capabilities?: ClientCapabilities;
    /** Set up before connecting (request handlers for what the client declared). */
    prepare?: (client: Client) => void;
  } = {},
) {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client(
    { name: provider.name, version: '1.0.0' },
    {
      jsonSchemaValidator: sharedSchemaValidator,
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    },
  );
  options.prepare?.(client);
  await client.connect(transport);
  const listed = await client.listTools();
  return { client, transport, tools: listed.tools };
}

/**
 * The SDK's first connection: it finds no token, discovers the server's authorization server,
 * registers (or names its metadata document) and sends the patient to the authorization URL.
 */
export async function startSignIn(mcpUrl: string, provider: ScriptedOAuthClient) {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: provider.name, version: '1.0.0' });
  const refused = await client.connect(transport).then(
    () => null,
    (error: Error) => error,
  );
  if (!(refused instanceof UnauthorizedError) || !provider.authorizationUrl)
    throw new Error(`expected the SDK to ask for a sign-in, got ${refused}`);
  return { transport, authorizationUrl: provider.authorizationUrl };
}

/** The patient's browser on this server's confirmation page: open it, then press a button. */
export async function openConfirmation(url: string, cookie: string | null) {
  const answer = await fetch(url, { headers: cookie ? { Cookie: cookie } : {} });
  return { status: answer.status, page: await answer.text() };
}

export async function pressOnConfirmation(
  url: string,
  cookie: string | null,
  decision: 'confirm' | 'decline',
  origin?: string,
) {
  const target = new URL(url);
  // Where the page's form posts: the page's own address (its id routes it to its replica).
  const answer = await fetch(target, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: origin ?? target.origin,
      'Sec-Fetch-Site': origin ? 'cross-site' : 'same-origin',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams({ id: target.searchParams.get('id') ?? '', decision }),
  });
  return { status: answer.status, page: await answer.text() };
}

/** What the consent page's browser and the extension did on its extension path. */
export interface ExtensionAnswer {
  /** The consent page's link to the portal, decoded: `{server, request}`. */
  pointer: { server: string; request: string };
  /** What the server told the extension of the request. */
  request: { status: number; body: unknown };
  /** The delivery's answer. */
  delivered: { status: number; body: { continue?: string; error?: string } };
  /** Where the continue link sent the browser (the client's redirect URI), if it did. */
  location: URL | null;
  /** The confirmation cookie the continue link set (`name=value`), if any. */
  cookie: string | null;
}

/**
 * The consent page's extension path over plain HTTP, as the browser and the extension's worker
 * send it: the browser opens the authorization URL (keeping the page's cookie) and follows
 * "Use the HospiAI extension"; the worker asks the server what the request is, generates a
 * dedicated token with the patient's portal session (POST /api/tokens/generate, same-origin, as
 * its content script does) and delivers it; the browser follows the continue link.
 */
export async function answerThroughExtension(
  authorizationUrl: URL,
  patient: { portalUrl: string; sessionCookie: string; scopes: string[] },
  options: {
    /** The cookie the browser sends with the continue link (default: the consent page's). */
    browserCookie?: (own: string) => string;
    /** The cookie the delivery carries (default: the consent page's, as the worker sends it). */
    deliverCookie?: (own: string) => string;
  } = {},
): Promise<ExtensionAnswer & { portalTokenId: string | null }> {
  const opened = await fetch(authorizationUrl, { redirect: 'manual' });
  const page = await opened.text();
  const href = /data-use-extension href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
  if (!href) throw new Error(`no extension link (${opened.status}): ${page.slice(0, 300)}`);
  const payload = new URL(href).hash.replace(/^#hospiai-connect=/, '');
  const pointer = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    server: string;
    request: string;
  };
  const own = opened.headers.get('set-cookie')?.split(';')[0] ?? '';
  const asked = await fetch(
    `${pointer.server}/oauth/extension/request?id=${encodeURIComponent(pointer.request)}`,
  );
  const request = { status: asked.status, body: (await asked.json()) as unknown };
  const generated = await fetch(`${patient.portalUrl}/api/tokens/generate`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: patient.sessionCookie,
      Origin: patient.portalUrl,
      'Sec-Fetch-Site': 'same-origin',
    },
    body: JSON.stringify({ name: 'HospiAI — test', scopes: patient.scopes, expiresInDays: 30 }),
  });
  const made = (await generated.json()) as { token?: { id: string; tokenMcp: string } };
  if (!made.token) throw new Error(`the portal generated no token: ${generated.status}`);
  const deliverCookie = options.deliverCookie ? options.deliverCookie(own) : own;
  const sent = await fetch(`${pointer.server}/oauth/extension/deliver`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(deliverCookie ? { Cookie: deliverCookie } : {}),
    },
    body: JSON.stringify({
      request: pointer.request,
      token: made.token.tokenMcp,
      scopes: patient.scopes,
    }),
  });
  const delivered = {
    status: sent.status,
    body: (await sent.json()) as { continue?: string; error?: string },
  };
  let location: URL | null = null;
  let cookie: string | null = null;
  if (delivered.body.continue) {
    const browserCookie = options.browserCookie ? options.browserCookie(own) : own;
    const back = await fetch(delivered.body.continue, {
      redirect: 'manual',
      headers: browserCookie ? { Cookie: browserCookie } : {},
    });
    const to = back.headers.get('location');
    location = to ? new URL(to) : null;
    cookie = back.headers.get('set-cookie')?.split(';')[0] ?? null;
  }
  return { pointer, request, delivered, location, cookie, portalTokenId: made.token.id };
}
