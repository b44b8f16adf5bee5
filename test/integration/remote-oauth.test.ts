/**
 * "Sign in with HospiAI" for the remote mode (`serve --http`), as a web assistant does it, with
 * the SDK's own OAuth client (nobody here wrote it): discovery from the 401, then registration —
 * RFC 7591, or a Client ID Metadata Document on HTTPS — the consent page where the patient pastes
 * a token from the portal's Tokens page, the code exchanged with PKCE, tools listed, a read. Then
 * the attacks an authorization server must refuse: unregistered redirect, no PKCE, another
 * resource, a wrong verifier, a replayed code, a reused refresh token, a cross-site consent, a
 * revoked grant, a portal token deleted in the dashboard.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ElicitationCompleteNotificationSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  answerConsent,
  CALLBACK,
  connectSignedIn,
  openConfirmation,
  pressOnConfirmation,
  ScriptedOAuthClient,
  startSignIn,
} from '../support/oauth-patient';
import { initializeStatus } from '../support/remote-http';
import { type RemoteServer, startRemoteServer, textOf } from '../support/remote-server';
import { localhostCertificate } from '../support/tls-certificate';

const [camille, lucas] = DEMO_PATIENTS as [(typeof DEMO_PATIENTS)[0], (typeof DEMO_PATIENTS)[0]];
const ALL = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
let server: RemoteServer;
let scratch: string;
let metadataHost: Server;
let metadataUrl: string;

const portalToken = async (scopes = ALL, email = camille.email) =>
  portal.issueToken({ email, scopes });

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-oauth-'));
  // An assistant's HTTPS host for its Client ID Metadata Document, with a certificate of its own
  // that the server is told to trust (as it trusts a public CA's).
  const { key, cert } = await localhostCertificate(scratch);
  metadataHost = createServer(
    { key: await readFile(key), cert: await readFile(cert) },
    (req, res) => {
      if (req.url !== '/oauth/client.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          client_id: metadataUrl,
          client_name: 'Scripted Assistant',
          redirect_uris: [CALLBACK],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      );
    },
  );
  await new Promise<void>((resolve) => metadataHost.listen(0, '127.0.0.1', resolve));
  metadataUrl = `https://127.0.0.1:${(metadataHost.address() as AddressInfo).port}/oauth/client.json`;

  portal = await startSandboxPortal();
  server = await startRemoteServer({
    portalUrl: portal.url,
    args: ['--revocation-cache-ms', '0', '--client-metadata-internal-hosts'],
    env: { NODE_EXTRA_CA_CERTS: cert },
  });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await portal?.close();
  await new Promise((resolve) => metadataHost?.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

/** The whole sign-in; the provider then holds this server's tokens. */
async function signIn(provider: ScriptedOAuthClient, scopes = ALL, email = camille.email) {
  const { transport, authorizationUrl } = await startSignIn(server.mcpUrl, provider);
  const issued = await portalToken(scopes, email);
  const consent = await answerConsent(authorizationUrl, { portalToken: issued.token, scopes });
  const code = consent.location?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${consent.status} ${consent.body.slice(0, 300)}`);
  await transport.finishAuth(code);
  return { consent, authorizationUrl, issued };
}

const post = (pathname: string, form: Record<string, string>) =>
  fetch(new URL(pathname, server.localUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

/** A registered client and a code for it, by hand (for the attacks the SDK would not make). */
async function codeByHand(options: { verifier?: string } = {}) {
  const registered = (await (
    await fetch(new URL('/oauth/register', server.localUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_name: 'By hand',
        redirect_uris: [CALLBACK],
        token_endpoint_auth_method: 'none',
      }),
    })
  ).json()) as { client_id: string };
  const verifier = options.verifier ?? 'v'.repeat(64);
  const { createHash } = await import('node:crypto');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const url = new URL('/oauth/authorize', server.localUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: registered.client_id,
    redirect_uri: CALLBACK,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's1',
    resource: server.mcpUrl,
    scope: 'read:data',
  }).toString();
  const consent = await answerConsent(url, {
    portalToken: (await portalToken(['read:data'])).token,
    scopes: ['read:data'],
  });
  return {
    clientId: registered.client_id,
    verifier,
    authorizeUrl: url,
    code: consent.location?.searchParams.get('code') as string,
  };
}

const exchange = (
  clientId: string,
  code: string,
  verifier: string,
  extra: Record<string, string> = {},
) =>
  post('/oauth/token', {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: CALLBACK,
    ...extra,
  });

describe('sign in with HospiAI: the SDK’s OAuth client, end to end', () => {
  it('registers (RFC 7591), the patient consents with a token from the Tokens page, and reads', async () => {
    const provider = new ScriptedOAuthClient('Claude (as it calls itself)');
    const { consent, authorizationUrl } = await signIn(provider);
    // What the SDK asked for: PKCE S256, this resource (RFC 8707).
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(server.mcpUrl);
    // The page names the assistant as it calls itself, and says that is not verified.
    expect(consent.page).toContain('Claude (as it calls itself)');
    expect(consent.page).toContain('not verified');
    // Back to the client with its state and this issuer (RFC 9207).
    expect(consent.location?.searchParams.get('state')).toBe('state-from-the-assistant');
    expect(consent.location?.searchParams.get('iss')).toBe(new URL(server.mcpUrl).origin);
    // The assistant holds this server's tokens, never the patient's HospiAI token.
    expect(provider.saved?.access_token).toMatch(/^hao_/);
    expect(provider.saved?.refresh_token).toMatch(/^hro_/);
    expect(provider.saved?.scope).toBe('read:data book:appointments');

    const { client } = await connectSignedIn(server.mcpUrl, provider);
    try {
      const result = await client.callTool({ name: 'get_appointments', arguments: {} });
      expect(result.isError).toBeFalsy();
      const own = (await (
        await fetch(`${portal.url}/api/mcp/appointments?limit=1`, {
          headers: { Authorization: `Bearer ${(await portalToken()).token}` },
        })
      ).json()) as { appointments: { reason: string }[] };
      expect(textOf(result as never)).toContain(own.appointments[0]?.reason as string);
    } finally {
      await client.close();
    }
  });

  it('names its Client ID Metadata Document instead, and the page says which host vouches for it', async () => {
    const provider = new ScriptedOAuthClient('ignored: the document names it', metadataUrl);
    const { consent } = await signIn(provider);
    expect(provider.information?.client_id).toBe(metadataUrl);
    expect(consent.page).toContain('Scripted Assistant');
    expect(consent.page).toContain(`published by ${new URL(metadataUrl).host}`);
    const { client, tools } = await connectSignedIn(server.mcpUrl, provider);
    expect(tools.map((tool) => tool.name)).toContain('get_appointments');
    await client.close();
  });

  it('gives what the patient ticked, no more: an unticked booking scope is refused', async () => {
    const provider = new ScriptedOAuthClient('Reader');
    await signIn(provider, ['read:data']);
    expect(provider.saved?.scope).toBe('read:data');
    const { client } = await connectSignedIn(server.mcpUrl, provider);
    try {
      await expect(
        client.callTool({
          name: 'cancel_appointment',
          arguments: { appointmentId: 'a1' },
        }),
      ).rejects.toThrow(/book:appointments|403|insufficient/i);
    } finally {
      await client.close();
    }
  });
});

describe('the authorization server refuses', () => {
  it('a redirect URI the client did not register: an error page, never a redirect', async () => {
    const { authorizeUrl } = await codeByHand();
    const url = new URL(authorizeUrl);
    url.searchParams.set('redirect_uri', 'https://attacker.example/callback');
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
    expect(await answer.text()).toContain('redirect_uri is not one this client registered');
  });

  it('a request without PKCE S256, or for another resource, back to the client with the error', async () => {
    const { authorizeUrl } = await codeByHand();
    const plain = new URL(authorizeUrl);
    plain.searchParams.set('code_challenge_method', 'plain');
    const noPkce = await fetch(plain, { redirect: 'manual' });
    expect(noPkce.status).toBe(302);
    expect(new URL(noPkce.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_request',
    );
    const elsewhere = new URL(authorizeUrl);
    elsewhere.searchParams.set('resource', 'https://other.example/mcp');
    const target = await fetch(elsewhere, { redirect: 'manual' });
    expect(new URL(target.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_target',
    );
  });

  it('a wrong code_verifier, and the code is spent', async () => {
    const { clientId, code, verifier } = await codeByHand();
    const wrong = await exchange(clientId, code, 'w'.repeat(64));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
    const right = await exchange(clientId, code, verifier);
    expect(right.status).toBe(400);
  });

  it('a code exchanged twice: the second fails and the first exchange’s access ends', async () => {
    const { clientId, code, verifier } = await codeByHand();
    const first = (await (await exchange(clientId, code, verifier)).json()) as {
      access_token: string;
    };
    expect(await initializeStatus(server.mcpUrl, first.access_token)).toBe(200);
    const replay = await exchange(clientId, code, verifier);
    expect(replay.status).toBe(400);
    expect(await initializeStatus(server.mcpUrl, first.access_token)).toBe(401);
  });

  it('a refresh token used twice: rotation, then the whole grant ends', async () => {
    const { clientId, code, verifier } = await codeByHand();
    const first = (await (await exchange(clientId, code, verifier)).json()) as {
      refresh_token: string;
    };
    const rotated = await post('/oauth/token', {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: first.refresh_token,
    });
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await initializeStatus(server.mcpUrl, second.access_token)).toBe(200);
    const reused = await post('/oauth/token', {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: first.refresh_token,
    });
    expect(reused.status).toBe(400);
    expect(await initializeStatus(server.mcpUrl, second.access_token)).toBe(401);
  });

  it('an access the client revoked (RFC 7009)', async () => {
    const { clientId, code, verifier } = await codeByHand();
    const tokens = (await (await exchange(clientId, code, verifier)).json()) as {
      access_token: string;
    };
    expect(await initializeStatus(server.mcpUrl, tokens.access_token)).toBe(200);
    const revoked = await post('/oauth/revoke', {
      client_id: clientId,
      token: tokens.access_token,
    });
    expect(revoked.status).toBe(200);
    expect(await initializeStatus(server.mcpUrl, tokens.access_token)).toBe(401);
  });

  it('an access whose HospiAI token the patient deleted on the portal', async () => {
    const provider = new ScriptedOAuthClient('Deleted later');
    const { issued } = await signIn(provider);
    expect(await initializeStatus(server.mcpUrl, provider.saved?.access_token as string)).toBe(200);
    portal.revokeToken(issued.id);
    expect(await initializeStatus(server.mcpUrl, provider.saved?.access_token as string)).toBe(401);
  });

  it('a consent posted from another site, a bad token, a token without the ticked scopes', async () => {
    const { authorizeUrl } = await codeByHand();
    const crossSite = await answerConsent(authorizeUrl, {
      portalToken: (await portalToken()).token,
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.location).toBeNull();
    const garbage = await answerConsent(authorizeUrl, { portalToken: 'not-a-token' });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toContain('was not accepted');
    const narrow = new URL(authorizeUrl);
    narrow.searchParams.set('scope', 'read:data book:appointments');
    const lacking = await answerConsent(narrow, {
      portalToken: (await portalToken(['read:data'])).token,
    });
    expect(lacking.status).toBe(400);
    expect(lacking.body).toContain('book:appointments');
  });

  it('nothing when the patient says no: access_denied, with the client’s state', async () => {
    const { authorizeUrl } = await codeByHand();
    const denied = await answerConsent(authorizeUrl, { decision: 'deny' });
    expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    expect(denied.location?.searchParams.get('state')).toBe('s1');
    expect(denied.location?.searchParams.get('code')).toBeNull();
  });

  it('a registration with a redirect URI that could leak the code', async () => {
    for (const redirect of [
      'http://attacker.example/cb',
      'javascript:alert(1)',
      'https://a.example/cb#x',
    ]) {
      const answer = await fetch(new URL('/oauth/register', server.localUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [redirect] }),
      });
      expect(answer.status, redirect).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toBe('invalid_redirect_uri');
    }
  });
});

describe('the authorization server’s metadata', () => {
  it('is named by the resource metadata and says what MCP clients branch on (RFC 8414)', async () => {
    const resource = (await (
      await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.localUrl))
    ).json()) as { authorization_servers: string[] };
    const issuer = resource.authorization_servers[0] as string;
    expect(issuer).toBe(new URL(server.mcpUrl).origin);
    const metadata = (await (
      await fetch(new URL('/.well-known/oauth-authorization-server', issuer))
    ).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    expect(metadata.registration_endpoint).toBe(`${issuer}/oauth/register`);
    expect(metadata.revocation_endpoint).toBe(`${issuer}/oauth/revoke`);
  });
});

describe('a booking asked in a chat that shows no form: confirmed on this server’s page', () => {
  /** Camille, signed in from an assistant without elicitation, asks for a booking. */
  async function askForABooking(offsetDays: number) {
    const provider = new ScriptedOAuthClient('Web assistant');
    const { consent } = await signIn(provider);
    const { client } = await connectSignedIn(server.mcpUrl, provider);
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        structuredContent?: unknown;
        _meta?: Record<string, { code?: string; confirmUrl?: string; summary?: unknown }>;
        content: { type: string; text?: string }[];
      };
    const doctors = await call('find_doctors', { name: 'Martin' });
    const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
    const from = new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const slots = await call('get_available_slots', { doctorId, date: from, days: 7 });
    const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots[0]!;
    const asked = await call('book_appointment', { doctorId, ...slot, reason: 'Contrôle' });
    await client.close();
    const text = asked.content.map((part) => part.text ?? '').join('\n');
    const url = /https?:\/\/\S+\/oauth\/confirm\?id=[\w.-]+/.exec(text)?.[0] as string;
    return { asked, text, url, slot, cookie: consent.cookie };
  }

  const booked = async (slot: { date: string; time: string }) => {
    const answer = await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
      headers: { Authorization: `Bearer ${(await portalToken()).token}` },
    });
    const { appointments } = (await answer.json()) as {
      appointments: { date: string; time: string; status: string }[];
    };
    return appointments.filter(
      (a) => a.date === slot.date && a.time === slot.time && a.status !== 'cancelled',
    ).length;
  };

  it('answers at once with the page’s link; nothing is booked until the patient confirms there', async () => {
    const { asked, text, url, slot, cookie } = await askForABooking(20);
    expect(asked.isError).toBe(true);
    expect(url).toMatch(new RegExp(`^${new URL(server.mcpUrl).origin}/oauth/confirm\\?id=`));
    // The question, for the confirmation card the host shows (an MCP App): in `_meta` only,
    // beside the link; the model reads the link, not whose record it is.
    expect(asked._meta?.['hospiai/error']?.confirmUrl).toBe(url);
    expect(asked._meta?.['hospiai/page-question']).toEqual({
      action: 'book_appointment',
      summary: expect.objectContaining({
        patient: camille.name,
        doctor: expect.stringContaining('Martin'),
        date: slot.date,
        time: slot.time,
        reason: 'Contrôle',
      }),
    });
    expect(text).not.toContain(camille.name);
    expect(await booked(slot)).toBe(0);
    expect(cookie).toMatch(/^hospiai_patient=/);

    // The patient's browser: the question, naming them and the doctor, with Confirm.
    const opened = await openConfirmation(url, cookie);
    expect(opened.status).toBe(200);
    expect(opened.page).toContain('Martin');
    expect(opened.page).toContain(camille.name);
    expect(opened.page).toContain('value="confirm"');
    const pressed = await pressOnConfirmation(url, cookie, 'confirm');
    expect(pressed.status).toBe(200);
    expect(pressed.page).toContain('Done');
    expect(await booked(slot)).toBe(1);
    // Once only.
    expect((await pressOnConfirmation(url, cookie, 'confirm')).status).toBe(404);
    expect(await booked(slot)).toBe(1);
  });

  it('the link alone confirms nothing: not the model, not another site, not another patient', async () => {
    const { url, slot, cookie } = await askForABooking(27);
    // Whoever has only the link (the model, a link preview) sees no question.
    const bare = await openConfirmation(url, null);
    expect(bare.status).toBe(403);
    expect(bare.page).not.toContain('value="confirm"');
    expect((await pressOnConfirmation(url, null, 'confirm')).status).toBe(403);
    // A form posted from another site, even with the patient's cookie (a browser would send it).
    expect((await pressOnConfirmation(url, cookie, 'confirm', 'https://evil.example')).status).toBe(
      403,
    );
    // Another patient's browser.
    const other = new ScriptedOAuthClient('Lucas’s assistant');
    const { consent: lucasConsent } = await signIn(other, ALL, lucas.email);
    expect((await openConfirmation(url, lucasConsent.cookie)).status).toBe(403);
    expect((await pressOnConfirmation(url, lucasConsent.cookie, 'confirm')).status).toBe(403);
    expect(await booked(slot)).toBe(0);
    // The patient declines: nothing, and the link is spent.
    expect((await pressOnConfirmation(url, cookie, 'decline')).page).toContain('Nothing was done');
    expect((await pressOnConfirmation(url, cookie, 'confirm')).status).toBe(404);
    expect(await booked(slot)).toBe(0);
  });
});

describe('a booking in a client that opens links (URL-mode elicitation): the call waits for the page', () => {
  it('shows the page’s link through the client; the patient confirms there; the call returns the booking', async () => {
    const provider = new ScriptedOAuthClient('Link-opening assistant');
    const { consent } = await signIn(provider);
    const shown: string[] = [];
    const completed: string[] = [];
    const { client } = await connectSignedIn(server.mcpUrl, provider, {
      capabilities: { elicitation: { url: {} } },
      prepare: (c) => {
        c.setRequestHandler(ElicitRequestSchema, async (request) => {
          const params = request.params as { mode?: string; url?: string };
          if (params.mode !== 'url' || !params.url) return { action: 'decline' };
          shown.push(params.url);
          const url = params.url;
          // The patient opens the link in the browser where they signed in, and confirms there.
          setTimeout(() => {
            void openConfirmation(url, consent.cookie).then(() =>
              pressOnConfirmation(url, consent.cookie, 'confirm'),
            );
          }, 20);
          return { action: 'accept' };
        });
        c.setNotificationHandler(ElicitationCompleteNotificationSchema, async (notification) => {
          completed.push(notification.params.elicitationId);
        });
      },
    });
    try {
      const doctors = (await client.callTool({
        name: 'find_doctors',
        arguments: { name: 'Martin' },
      })) as unknown as {
        structuredContent: { doctors: { id: string }[] };
      };
      const doctorId = doctors.structuredContent.doctors[0]!.id;
      const from = new Date(Date.now() + 34 * 86_400_000).toISOString().slice(0, 10);
      const slots = (await client.callTool({
        name: 'get_available_slots',
        arguments: { doctorId, date: from, days: 7 },
      })) as unknown as { structuredContent: { slots: { date: string; time: string }[] } };
      const slot = slots.structuredContent.slots[0]!;
      const booked = (await client.callTool({
        name: 'book_appointment',
        arguments: { doctorId, ...slot, reason: 'Suivi' },
      })) as {
        isError?: boolean;
        structuredContent?: { appointment?: { date: string; time: string } };
      };
      expect(booked.isError).toBeFalsy();
      expect(booked.structuredContent?.appointment).toMatchObject(slot);
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatch(/\/oauth\/confirm\?id=/);
      await vi.waitFor(() => expect(completed).toHaveLength(1));
    } finally {
      await client.close();
    }
  });

  it('books nothing when the patient declines on the page', async () => {
    const provider = new ScriptedOAuthClient('Link-opening assistant');
    const { consent } = await signIn(provider);
    const { client } = await connectSignedIn(server.mcpUrl, provider, {
      capabilities: { elicitation: { url: {} } },
      prepare: (c) => {
        c.setRequestHandler(ElicitRequestSchema, async (request) => {
          const url = (request.params as { url: string }).url;
          setTimeout(() => void pressOnConfirmation(url, consent.cookie, 'decline'), 20);
          return { action: 'accept' };
        });
      },
    });
    try {
      const doctors = (await client.callTool({
        name: 'find_doctors',
        arguments: { name: 'Martin' },
      })) as unknown as {
        structuredContent: { doctors: { id: string }[] };
      };
      const answer = (await client.callTool({
        name: 'cancel_appointment',
        arguments: { appointmentId: 'apt_c1a4' },
      })) as { isError?: boolean; _meta?: Record<string, { code?: string; reason?: string }> };
      expect(doctors.structuredContent.doctors.length).toBeGreaterThan(0);
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer._meta)).toContain('NOT_CONFIRMED');
    } finally {
      await client.close();
    }
  });
});
