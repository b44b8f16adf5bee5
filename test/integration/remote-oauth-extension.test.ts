/**
 * "Sign in with HospiAI" through the HospiAI extension, against the built server in remote mode
 * and the sandbox portal, with the SDK's own OAuth client: the consent page's extension link,
 * the extension's questions and delivery (over HTTP, as its worker sends them), the continue
 * link back to the client with the code, tools listed and a read — then a delivery and a
 * continue link from another browser, and the dedicated token revoked on the portal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  answerThroughExtension,
  CALLBACK,
  connectSignedIn,
  ScriptedOAuthClient,
  startSignIn,
} from '../support/oauth-patient';
import { initializeStatus } from '../support/remote-http';
import { type RemoteServer, startRemoteServer } from '../support/remote-server';

const camille = DEMO_PATIENTS[0] as (typeof DEMO_PATIENTS)[0];
const READS = ['read:data'];

let portal: SandboxPortal;
let server: RemoteServer;
let session: string;

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({
    portalUrl: portal.url,
    args: ['--revocation-cache-ms', '0'],
  });
  session = await portal.login(camille.email, camille.password);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await portal?.close();
});

describe('sign-in through the HospiAI extension', () => {
  it('SDK client: consent page → extension → continue link → code → tools/list → a read', async () => {
    const provider = new ScriptedOAuthClient('Extension Assistant');
    const { transport, authorizationUrl } = await startSignIn(server.mcpUrl, provider);
    const answer = await answerThroughExtension(authorizationUrl, {
      portalUrl: portal.url,
      sessionCookie: session,
      scopes: READS,
    });
    expect(answer.pointer.server).toBe(new URL(server.mcpUrl).origin);
    expect(answer.request).toMatchObject({
      status: 200,
      body: { client: { name: 'Extension Assistant', verifiedHost: null } },
    });
    expect(answer.delivered.status).toBe(200);
    expect(answer.location?.origin + (answer.location?.pathname ?? '')).toBe(CALLBACK);
    expect(answer.location?.searchParams.get('state')).toBe('state-from-the-assistant');
    expect(answer.location?.searchParams.get('iss')).toBe(answer.pointer.server);
    expect(answer.cookie).toMatch(/^hospiai_patient=/);
    await transport.finishAuth(answer.location?.searchParams.get('code') ?? '');
    // Only the ticked scope.
    expect(provider.saved?.scope).toBe('read:data');
    const { client, tools } = await connectSignedIn(server.mcpUrl, provider);
    expect(tools.map((tool) => tool.name)).toContain('get_appointments');
    const read = await client.callTool({ name: 'get_appointments', arguments: {} });
    expect(read.isError).toBeFalsy();
    // Nothing token-shaped in what the server printed.
    expect(server.stderr.join('')).not.toContain(provider.saved?.access_token as string);
    await client.close();

    // The dedicated token deleted on the portal (or in the extension's popup) ends the grant.
    const accessToken = provider.saved?.access_token as string;
    expect(await initializeStatus(server.mcpUrl, accessToken)).toBe(200);
    portal.revokeToken(answer.portalTokenId as string);
    expect(await initializeStatus(server.mcpUrl, accessToken)).toBe(401);
  });

  it('a delivery from elsewhere than the consent page’s browser is refused, and spends nothing', async () => {
    const provider = new ScriptedOAuthClient('Lifted');
    const { authorizationUrl } = await startSignIn(server.mcpUrl, provider);
    const answer = await answerThroughExtension(
      authorizationUrl,
      { portalUrl: portal.url, sessionCookie: session, scopes: READS },
      { deliverCookie: () => '' },
    );
    expect(answer.delivered).toEqual({ status: 403, body: { error: 'other_browser' } });
    expect(answer.location).toBeNull();
    const still = await fetch(
      `${answer.pointer.server}/oauth/extension/request?id=${answer.pointer.request}`,
    );
    expect(still.status).toBe(200);
  });

  it('a continue link followed in a browser that did not show the consent page issues no code', async () => {
    const provider = new ScriptedOAuthClient('Elsewhere');
    const { authorizationUrl } = await startSignIn(server.mcpUrl, provider);
    const answer = await answerThroughExtension(
      authorizationUrl,
      { portalUrl: portal.url, sessionCookie: session, scopes: READS },
      { browserCookie: () => '' },
    );
    expect(answer.delivered.status).toBe(200);
    expect(answer.location).toBeNull();
    expect(answer.cookie).toBeNull();
  });
});
