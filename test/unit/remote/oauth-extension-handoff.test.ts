/**
 * The consent page's extension path, where its rules live (relay/remote/oauth/extension-handoff.ts),
 * against the authorization server in process with an injected clock and a stand-in for the
 * portal's verdict on a token: what the extension is told of a request, the delivery bound to
 * that pending authorization only, once, before it expires, and a continue link that issues the
 * code only in the browser that showed the consent page.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BearerRefused, type VerifiedBearer } from '../../../relay/remote/bearer';
import type { BearerVerifier } from '../../../relay/remote/bearer-verifier';
import {
  type AuthorizationServer,
  createAuthorizationServer,
} from '../../../relay/remote/oauth/authorization-server';
import { CONTINUE_TTL_MS } from '../../../relay/remote/oauth/extension-handoff';
import { createSealer } from '../../../relay/remote/oauth/sealed-secret';
import { createMemoryStateStore } from '../../../relay/remote/state/state-store';

const VERIFIER = 'v'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const REDIRECT = 'https://assistant.example/callback';
const FAR = new Date(Date.now() + 30 * 86_400_000).toISOString();

/** The portal's verdict on each token a test hands over. */
const PORTAL_TOKENS: Record<string, VerifiedBearer> = {
  'token-of-camille-xxxxxxxxxxxx': {
    token: 'token-of-camille-xxxxxxxxxxxx',
    patientId: 'camille',
    tokenId: 't1',
    scopes: ['read:data', 'book:appointments'],
    expiresAt: FAR,
  },
  'token-of-lucas-xxxxxxxxxxxxxx': {
    token: 'token-of-lucas-xxxxxxxxxxxxxx',
    patientId: 'lucas',
    tokenId: 't2',
    scopes: ['read:data', 'book:appointments'],
    expiresAt: FAR,
  },
  'reads-only-xxxxxxxxxxxxxxxxxx': {
    token: 'reads-only-xxxxxxxxxxxxxxxxxx',
    patientId: 'camille',
    tokenId: 't3',
    scopes: ['read:data'],
    expiresAt: FAR,
  },
};
const CAMILLE = 'token-of-camille-xxxxxxxxxxxx';
const LUCAS = 'token-of-lucas-xxxxxxxxxxxxxx';

const verifier = {
  verify: async (header: string) => {
    const found = PORTAL_TOKENS[header.replace(/^Bearer /, '')];
    if (!found) throw new BearerRefused('invalid_token', 'this token was revoked');
    return found;
  },
} as unknown as BearerVerifier;

let http: Server;
let origin: string;
let as: AuthorizationServer;
let now = 1_000_000_000;
let clientId: string;

beforeAll(async () => {
  http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!as.handles(path)) return void res.writeHead(404).end();
    void as.handle(req, res, path);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});
beforeEach(async () => {
  as = createAuthorizationServer({
    store: createMemoryStateStore({ now: () => now }),
    sealer: createSealer(),
    replicaId: 'r0',
    resource: new URL(`${origin}/mcp`),
    portalUrl: 'https://portal.example',
    verifier,
    lang: 'en',
    toolScopes: ['read:data', 'book:appointments'],
    now: () => now,
  });
  const registered = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Scripted Assistant',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  clientId = ((await registered.json()) as { client_id: string }).client_id;
});

/** The consent page as a browser opens it: the request the extension link names, and the cookie. */
async function openConsent() {
  const url = new URL(`${origin}/oauth/authorize`);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    state: 'st-1',
    scope: 'read:data book:appointments',
  }))
    url.searchParams.set(key, value);
  const page = await fetch(url);
  const html = await page.text();
  const href = /data-use-extension href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (!href) throw new Error(`no extension link: ${html.slice(0, 300)}`);
  const link = new URL(href);
  const payload = link.hash.replace('#hospiai-connect=', '');
  const pointer = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    server: string;
    request: string;
  };
  const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
  browsers.set(pointer.request, cookie);
  return { link, pointer, cookie, html };
}

const requestInfo = (id: string) => fetch(`${origin}/oauth/extension/request?id=${id}`);

/** The consent pages each test opened: the browser cookie a delivery for their request carries. */
const browsers = new Map<string, string>();

const deliver = (
  request: string,
  token = CAMILLE,
  scopes = ['read:data', 'book:appointments'],
  cookie = browsers.get(request) ?? '',
) =>
  fetch(`${origin}/oauth/extension/deliver`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ request, token, scopes }),
  });

const follow = (link: string, cookie: string) =>
  fetch(link, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });

async function redeem(code: string) {
  const answer = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
  });
  return (await answer.json()) as { access_token?: string; scope?: string };
}

describe('the consent page’s extension path', () => {
  it('links to the portal with the server and the request in a fragment; the extension learns the request from the server', async () => {
    const { link, pointer, cookie } = await openConsent();
    expect(link.origin + link.pathname).toBe('https://portal.example/dashboard');
    expect(link.search).toBe('');
    expect(pointer.server).toBe(origin);
    expect(cookie).toMatch(new RegExp(`^hospiai_authz_${pointer.request}=`));
    const info = await requestInfo(pointer.request);
    expect(info.status).toBe(200);
    // No web page may read it (no CORS), only the extension's worker with its host permission.
    expect(info.headers.get('access-control-allow-origin')).toBeNull();
    expect(await info.json()).toMatchObject({
      server: origin,
      client: { name: 'Scripted Assistant', verifiedHost: null, redirectHost: 'assistant.example' },
      scopes: ['read:data', 'book:appointments'],
      ticked: ['read:data', 'book:appointments'],
    });
  });

  it('a delivered token gives a continue link that redirects the consent page’s browser with code, state and iss', async () => {
    const { pointer, cookie } = await openConsent();
    const delivered = await deliver(pointer.request, CAMILLE, ['read:data']);
    expect(delivered.status).toBe(200);
    const { continue: next } = (await delivered.json()) as { continue: string };
    expect(new URL(next).origin).toBe(origin);
    const back = await follow(next, cookie);
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('iss')).toBe(origin);
    expect(back.headers.get('set-cookie')).toMatch(/^hospiai_patient=/);
    const tokens = await redeem(location.searchParams.get('code') ?? '');
    // Only what the patient left ticked in the extension.
    expect(tokens.scope).toBe('read:data');
    const bearer = await as.authenticate(tokens.access_token ?? '');
    expect(bearer.patientId).toBe('camille');
  });

  it('is single use: a second delivery, the paste form and a second follow of the link find nothing', async () => {
    const { pointer, cookie } = await openConsent();
    const first = (await (await deliver(pointer.request)).json()) as { continue: string };
    const again = await deliver(pointer.request, LUCAS);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'unknown_or_used_request' });
    const form = await fetch(`${origin}/oauth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: new URLSearchParams({
        request: pointer.request,
        decision: 'allow',
        scope: 'read:data',
        portal_token: LUCAS,
      }),
      redirect: 'manual',
    });
    expect(form.status).toBe(400);
    expect(form.headers.get('location')).toBeNull();
    expect((await follow(first.continue, cookie)).status).toBe(302);
    const replay = await follow(first.continue, cookie);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('location')).toBeNull();
    expect((await requestInfo(pointer.request)).status).toBe(404);
  });

  it('is bound to its pending authorization and its browser: another patient’s browser gets no code', async () => {
    const camille = await openConsent();
    const lucas = await openConsent();
    const forCamille = (await (await deliver(camille.pointer.request, CAMILLE)).json()) as {
      continue: string;
    };
    // Lucas's request is untouched by Camille's delivery.
    expect((await requestInfo(lucas.pointer.request)).status).toBe(200);
    // Camille's link followed where Lucas's consent page was shown: no code, no cookie.
    const wrongBrowser = await follow(forCamille.continue, lucas.cookie);
    expect(wrongBrowser.status).toBe(400);
    expect(wrongBrowser.headers.get('location')).toBeNull();
    expect(wrongBrowser.headers.get('set-cookie')).toBeNull();
    expect(await wrongBrowser.text()).toContain('browser where it started');
    // Nor in a browser with no consent page, or a forged one.
    for (const cookie of ['', 'forged']) {
      const other = await openConsent();
      const { continue: next } = (await (await deliver(other.pointer.request)).json()) as {
        continue: string;
      };
      const sent = cookie && `hospiai_authz_${other.pointer.request}=${cookie}`;
      const refused = await follow(next, sent);
      expect(refused.status, cookie || 'no cookie').toBe(400);
      expect(refused.headers.get('location')).toBeNull();
    }
    // Lucas's own delivery gives a code that speaks for Lucas, in Lucas's browser.
    const forLucas = (await (await deliver(lucas.pointer.request, LUCAS)).json()) as {
      continue: string;
    };
    const back = await follow(forLucas.continue, lucas.cookie);
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await redeem(code);
    expect((await as.authenticate(tokens.access_token ?? '')).patientId).toBe('lucas');
  });

  it('is delivered from the consent page’s browser only: a request id lifted and delivered elsewhere is refused', async () => {
    const camille = await openConsent();
    const lucas = await openConsent();
    for (const cookie of [
      '',
      lucas.cookie,
      `hospiai_authz_${camille.pointer.request}=forged`,
      // Lucas's cookie value under Camille's request's name.
      `hospiai_authz_${camille.pointer.request}=${lucas.cookie.split('=')[1]}`,
    ]) {
      const refused = await deliver(camille.pointer.request, LUCAS, ['read:data'], cookie || ' ');
      expect(refused.status, cookie || 'no cookie').toBe(403);
      expect(await refused.json()).toEqual({ error: 'other_browser' });
    }
    // Nothing was spent: the patient's own extension can still answer.
    expect((await requestInfo(camille.pointer.request)).status).toBe(200);
    expect((await deliver(camille.pointer.request)).status).toBe(200);
  });

  it('expires: the request after 10 minutes, the continue link after 60 s', async () => {
    const late = await openConsent();
    now += 10 * 60_000 + 1;
    expect((await requestInfo(late.pointer.request)).status).toBe(404);
    expect((await deliver(late.pointer.request)).status).toBe(400);

    const slow = await openConsent();
    const { continue: next } = (await (await deliver(slow.pointer.request)).json()) as {
      continue: string;
    };
    now += CONTINUE_TTL_MS + 1;
    const followed = await follow(next, slow.cookie);
    expect(followed.status).toBe(400);
    expect(followed.headers.get('location')).toBeNull();
  });

  it('checks the token as a pasted one: refused, or short of what was ticked, and the request stays open', async () => {
    const { pointer } = await openConsent();
    const revoked = await deliver(pointer.request, 'revoked-token-xxxxxxxxxxxxxxx');
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toEqual({ error: 'invalid_portal_token' });
    const short = await deliver(pointer.request, 'reads-only-xxxxxxxxxxxxxxxxxx');
    expect(await short.json()).toEqual({ error: 'insufficient_scope' });
    const none = await deliver(pointer.request, CAMILLE, ['write:data']);
    expect(await none.json()).toEqual({ error: 'invalid_scope' });
    expect((await requestInfo(pointer.request)).status).toBe(200);
    expect((await deliver(pointer.request)).status).toBe(200);
  });

  it('takes JSON only (a web form cannot post it without a preflight nobody answers)', async () => {
    const { pointer } = await openConsent();
    const asForm = await fetch(`${origin}/oauth/extension/deliver`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ request: pointer.request, token: CAMILLE, scopes: ['read:data'] }),
    });
    expect(asForm.status).toBe(415);
    const preflight = await fetch(`${origin}/oauth/extension/deliver`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await requestInfo(pointer.request)).status).toBe(200);
  });
});
