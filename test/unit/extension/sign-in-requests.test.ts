/**
 * The extension's side of a remote server's "Sign in with HospiAI": the consent page's fragment,
 * parsed strictly and stripped; a pointer that a page script can set as well, which on its own
 * gives nothing (the worker only asks the server what the request is); and the patient's Allow,
 * which alone provisions a dedicated token and hands it to that server for that request only.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import type { PortalCallAnswer } from '../../../extension/messaging/message-schemas';
import {
  parseSignInFragment,
  takeSignInFragment,
} from '../../../extension/sign-in/sign-in-fragment';
import {
  DECISION_PAGE_INTERVAL_MS,
  PendingSignIn,
  SIGN_IN_CHECK_INTERVAL_MS,
  SIGN_IN_TOKEN_DAYS,
  SignInRequests,
  type SignInToken,
  SignInTokens,
} from '../../../extension/sign-in/sign-in-requests';
import { storedValue } from '../../../extension/storage/stored-value';

const SERVER = 'https://mcp.hospital.example';
const REQUEST = '6f1c0a9e-3b7d-4c2e-9a51-0d8e7f6a5b4c';
const OTHER_REQUEST = '0b2d6c1e-8f3a-4d5b-9c7e-1a2b3c4d5e6f';
const fragment = (value: unknown) =>
  `#hospiai-connect=${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (sub: string) => `${b64({ alg: 'RS256' })}.${b64({ sub, jti: 'tok_9' })}.c2ln`;

describe('the consent page’s fragment', () => {
  it('names an https (or loopback http) server origin and a request id, nothing else', () => {
    expect(parseSignInFragment(fragment({ server: SERVER, request: REQUEST }))).toEqual({
      server: SERVER,
      request: REQUEST,
    });
    expect(
      parseSignInFragment(fragment({ server: 'http://127.0.0.1:4100', request: REQUEST })),
    ).not.toBeNull();
    for (const bad of [
      fragment({ server: 'http://mcp.hospital.example', request: REQUEST }),
      fragment({ server: `${SERVER}/mcp`, request: REQUEST }),
      fragment({ server: 'https://user:pw@mcp.example', request: REQUEST }),
      fragment({ server: SERVER, request: 'not-a-uuid' }),
      fragment({ server: SERVER, request: REQUEST, client: 'Claude (verified)' }),
      fragment([SERVER, REQUEST]),
      '#hospiai-connect=%%%',
      `#hospiai-connect=${'A'.repeat(2000)}`,
      '#other=1',
    ])
      expect(parseSignInFragment(bad), bad).toBeNull();
  });

  it('is taken off the address bar, valid or not', () => {
    const calls: string[] = [];
    const history = {
      state: null,
      replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
        void calls.push(String(url)),
    };
    const location = {
      hash: fragment({ server: SERVER, request: REQUEST }),
      pathname: '/dashboard',
      search: '?a=1',
    };
    expect(takeSignInFragment(location, history)).toEqual({ server: SERVER, request: REQUEST });
    expect(takeSignInFragment({ ...location, hash: '#hospiai-connect=junk' }, history)).toBeNull();
    expect(calls).toEqual(['/dashboard?a=1', '/dashboard?a=1']);
    expect(takeSignInFragment({ ...location, hash: '#section' }, history)).toBeNull();
    expect(calls).toHaveLength(2);
  });
});

/** The server's own account of its pending authorization. */
const SERVER_VIEW = {
  server: SERVER,
  client: { name: 'Claude', verifiedHost: 'claude.ai', redirectHost: 'claude.ai' },
  scopes: ['read:data', 'book:appointments'],
  ticked: ['read:data', 'book:appointments'],
  expiresAt: '2030-01-01T00:00:00.000Z',
};

function setup(
  options: {
    patient?: string | null;
    sub?: string;
    continueUrl?: string;
    clientName?: string;
    permission?: boolean;
    /** What the server says of the sign-in a token went to (`null`: it cannot be reached). */
    live?: () => boolean | null;
  } = {},
) {
  const fetches: Array<{ url: string; method: string; body: unknown; credentials?: string }> = [];
  const generated: Array<{ name: string; scopes: string[]; expiresInDays: number }> = [];
  const revoked: string[] = [];
  const navigated: Array<{ tabId: number | undefined; url: string }> = [];
  let opened = 0;
  let now = 1_000_000;
  const tokens = storedValue('local:signInTokens', SignInTokens, [] as SignInToken[]);
  const pending = storedValue('session:pendingSignIn', PendingSignIn.nullable(), null);
  const lastCheck = storedValue('local:signInsCheckedAt', z.number(), 0);
  const requests = new SignInRequests({
    fetch: (async (input: string, init?: RequestInit) => {
      const url = String(input);
      fetches.push({
        url,
        method: init?.method ?? 'GET',
        body: init?.body ? JSON.parse(String(init.body)) : null,
        credentials: init?.credentials,
      });
      if (url.includes('/oauth/extension/sign-in')) {
        const live = options.live?.() ?? true;
        if (live === null) throw new TypeError('Failed to fetch');
        return Response.json({ live });
      }
      if (url.includes('/oauth/extension/request'))
        return Response.json(
          options.clientName === undefined
            ? SERVER_VIEW
            : { ...SERVER_VIEW, client: { ...SERVER_VIEW.client, name: options.clientName } },
        );
      return Response.json({
        continue: options.continueUrl ?? `${SERVER}/oauth/extension/continue?id=abc`,
      });
    }) as typeof fetch,
    portal: {
      generate: async (input): Promise<PortalCallAnswer> => {
        generated.push(input);
        return {
          ok: true,
          page: null,
          body: {
            token: {
              id: 'tok_9',
              tokenMcp: jwt(options.sub ?? 'pat_1'),
              name: input.name,
              scopes: input.scopes,
              createdAt: '2026-01-01T00:00:00.000Z',
              expiresAt: '2026-01-31T00:00:00.000Z',
            },
          },
        };
      },
      revoke: async (id) => {
        revoked.push(id);
        return { ok: true, page: null, body: {} };
      },
    },
    sessionPatient: async () => (options.patient === undefined ? 'pat_1' : options.patient),
    hasHostPermission: async () => options.permission ?? true,
    openDecisionPage: async () => void opened++,
    navigate: async (tabId, url) => void navigated.push({ tabId, url }),
    tokenName: (client, host) => `HospiAI — ${client} via ${host}`,
    tokens,
    pending,
    lastCheck,
    onChange: () => {},
    now: () => now,
  });
  return {
    requests,
    fetches,
    generated,
    revoked,
    navigated,
    tokens,
    opened: () => opened,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('a sign-in request in the extension', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a pointer alone (which a page script can set) only asks the server and opens the extension’s page', async () => {
    const world = setup();
    expect(await world.requests.received({ server: SERVER, request: REQUEST }, 7)).toEqual({
      ok: true,
    });
    expect(world.fetches).toEqual([
      {
        url: `${SERVER}/oauth/extension/request?id=${REQUEST}`,
        method: 'GET',
        body: null,
        credentials: 'omit',
      },
    ]);
    expect(world.generated).toEqual([]);
    expect(world.navigated).toEqual([]);
    expect(await world.tokens.get()).toEqual([]);
    expect(world.opened()).toBe(1);
    // What the patient is shown is the server's account, not the page's.
    expect(world.requests.view()).toMatchObject({ status: 'ready', view: SERVER_VIEW });
    // The same pointer set again does not open another page; nor do pointers set in a loop.
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    await world.requests.received({ server: SERVER, request: OTHER_REQUEST }, 7);
    expect(world.opened()).toBe(1);
    world.advance(DECISION_PAGE_INTERVAL_MS);
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    expect(world.opened()).toBe(2);
  });

  it('a worker that slept takes the request up again, and Allow still works', async () => {
    const first = setup();
    await first.requests.received({ server: SERVER, request: REQUEST }, 7);
    // A new worker: same storage, nothing in memory.
    const woken = setup();
    expect(woken.requests.view()).toBeNull();
    await woken.requests.resume();
    expect(woken.requests.view()).toMatchObject({ status: 'ready', view: SERVER_VIEW });
    expect(await woken.requests.allow(['read:data'])).toEqual({ ok: true });
    expect(woken.navigated).toEqual([
      { tabId: 7, url: `${SERVER}/oauth/extension/continue?id=abc` },
    ]);
    // Answered: nothing left for the next worker.
    const later = setup();
    await later.requests.resume();
    expect(later.requests.view()).toBeNull();
  });

  it('an Allow goes only to the request the patient was shown, not one a page script swapped in', async () => {
    const world = setup();
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    // The patient reads REQUEST; a script on the portal page points the tab at another one.
    await world.requests.received({ server: SERVER, request: OTHER_REQUEST }, 7);
    expect(await world.requests.allow(['read:data'], { server: SERVER, request: REQUEST })).toEqual(
      { ok: false, problem: 'request_gone' },
    );
    expect(world.generated).toEqual([]);
    // What the popup shows now is the new request: an Allow for that one goes through.
    expect(
      await world.requests.allow(['read:data'], { server: SERVER, request: OTHER_REQUEST }),
    ).toEqual({ ok: true });
    expect(world.generated).toHaveLength(1);
  });

  it('without the server’s host permission it asks nothing until the patient grants it', async () => {
    const world = setup({ permission: false });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    expect(world.fetches).toEqual([]);
    expect(world.requests.view()?.status).toBe('needs_permission');
    expect(await world.requests.allow(['read:data'])).toEqual({
      ok: false,
      problem: 'request_gone',
    });
    expect(world.generated).toEqual([]);
  });

  it('Allow provisions a dedicated token with the ticked scopes, delivers it to that request, and follows the server’s link', async () => {
    const world = setup();
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    // A scope the server did not offer is dropped.
    expect(await world.requests.allow(['read:data', 'write:data'])).toEqual({ ok: true });
    expect(world.generated).toEqual([
      {
        name: 'HospiAI — Claude via mcp.hospital.example',
        scopes: ['read:data'],
        expiresInDays: SIGN_IN_TOKEN_DAYS,
      },
    ]);
    expect(world.fetches[1]).toEqual({
      url: `${SERVER}/oauth/extension/deliver`,
      method: 'POST',
      body: { request: REQUEST, token: jwt('pat_1'), scopes: ['read:data'] },
      // With the browser's cookies for that server: the consent page's binds the delivery.
      credentials: 'include',
    });
    expect(world.navigated).toEqual([
      { tabId: 7, url: `${SERVER}/oauth/extension/continue?id=abc` },
    ]);
    expect(await world.tokens.get()).toMatchObject([
      { tokenId: 'tok_9', server: SERVER, client: 'Claude' },
    ]);
    expect(world.requests.view()).toBeNull();
  });

  it('names the token with the client’s name as one flat, short line', async () => {
    const world = setup({ clientName: `Claude\u202e\n${'x'.repeat(200)}` });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    await world.requests.allow(['read:data']);
    const name = world.generated[0]?.name ?? '';
    expect(name).toMatch(/^HospiAI — Claude x+… via mcp\.hospital\.example$/);
    expect(name.length).toBeLessThanOrEqual(100);
  });

  it('a token that is not the logged-in patient’s is revoked, never delivered', async () => {
    const world = setup({ sub: 'someone_else' });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    expect(await world.requests.allow(['read:data'])).toEqual({
      ok: false,
      problem: 'provision_failed',
    });
    expect(world.revoked).toEqual(['tok_9']);
    expect(world.fetches.filter((f) => f.method === 'POST')).toEqual([]);
  });

  it('logged out: nothing is provisioned', async () => {
    const world = setup({ patient: null });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    expect(await world.requests.allow(['read:data'])).toEqual({
      ok: false,
      problem: 'login_needed',
    });
    expect(world.generated).toEqual([]);
  });

  it('a continue link off the server’s origin is not followed, and the token is revoked', async () => {
    const world = setup({ continueUrl: 'https://evil.example/steal' });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    expect(await world.requests.allow(['read:data'])).toEqual({
      ok: false,
      problem: 'delivery_refused',
    });
    expect(world.navigated).toEqual([]);
    expect(world.revoked).toEqual(['tok_9']);
    expect(await world.tokens.get()).toEqual([]);
  });

  it('Revoke in the popup deletes the token at the portal and forgets it', async () => {
    const world = setup();
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    await world.requests.allow(['read:data']);
    expect(await world.requests.revoke('tok_9')).toEqual({ ok: true });
    expect(world.revoked).toEqual(['tok_9']);
    expect(await world.tokens.get()).toEqual([]);
  });

  it('when the popup opens, a token whose sign-in the server says ended is revoked at the portal; a live one or an unreachable server keeps it', async () => {
    let live: boolean | null = true;
    const world = setup({ live: () => live });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    await world.requests.allow(['read:data']);
    expect(await world.requests.revokeEnded()).toBe(0);
    expect(world.fetches.at(-1)?.url).toBe(`${SERVER}/oauth/extension/sign-in?token_id=tok_9`);
    expect(world.fetches.at(-1)?.credentials).toBe('omit');
    live = null;
    expect(await world.requests.revokeEnded()).toBe(0);
    expect(world.revoked).toEqual([]);
    live = false;
    // Two popups at once: the servers are asked once.
    const asked = world.fetches.length;
    const [first, second] = await Promise.all([
      world.requests.revokeEnded(),
      world.requests.revokeEnded(),
    ]);
    expect(first + second).toBe(2);
    expect(world.fetches.length).toBe(asked + 1);
    expect(world.revoked).toEqual(['tok_9']);
    expect(await world.tokens.get()).toEqual([]);
  });

  it('without the popup, the wake alarm asks the servers once a quarter of an hour, even across a sleeping worker', async () => {
    let live = true;
    const world = setup({ live: () => live });
    await world.requests.received({ server: SERVER, request: REQUEST }, 7);
    await world.requests.allow(['read:data']);
    const asks = () =>
      world.fetches.filter((f) => f.url.includes('/oauth/extension/sign-in')).length;
    expect(await world.requests.revokeEndedWhenDue()).toBe(0);
    expect(asks()).toBe(1);
    live = false;
    world.advance(SIGN_IN_CHECK_INTERVAL_MS - 1);
    expect(await world.requests.revokeEndedWhenDue()).toBe(0);
    expect(asks()).toBe(1);
    world.advance(1);
    expect(await world.requests.revokeEndedWhenDue()).toBe(1);
    expect(world.revoked).toEqual(['tok_9']);
  });
});
