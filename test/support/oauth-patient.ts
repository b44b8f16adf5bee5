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
  const answer = await fetch(new URL(target.pathname, target), {
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
