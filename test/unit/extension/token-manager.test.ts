import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { bindConsent, consentStore, grantConsent } from '../../../extension/consent/consent-store';
import type { PortalCallAnswer, PortalPage } from '../../../extension/messaging/message-schemas';
import { storedValue } from '../../../extension/storage/stored-value';
import { TokenManager } from '../../../extension/token/token-manager';
import { pendingPortalRevocations, tokenStore } from '../../../extension/token/token-store';

const provisioningPaused = storedValue('local:provisioningPaused', z.boolean(), false);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ alg: 'RS256' })}.${b64(claims)}.c2lnbmF0dXJl`;
const NOW = Date.parse('2025-03-01T10:00:00Z');
const page: PortalPage = { kind: 'dashboard', patientId: 'pat_1', patientName: 'Camille Durand' };

function generated(id: string, sub = 'pat_1', lifetimeS = 40): PortalCallAnswer {
  return {
    ok: true,
    page,
    body: {
      message: 'created',
      token: {
        id,
        tokenMcp: jwt({ sub, scope: 'read:data', jti: id }),
        name: 'AI assistant (Chrome)',
        scopes: ['read:data'],
        createdAt: new Date(NOW).toISOString(),
        expiresAt: new Date(NOW + lifetimeS * 1000).toISOString(),
      },
    },
  };
}

function setup(
  answers: {
    generate?: () => PortalCallAnswer;
    revoke?: (id: string) => PortalCallAnswer;
    /** Who the portal's session API says is logged in (default pat_1). */
    sessionPatient?: () => string | null;
  } = {},
) {
  const events: string[] = [];
  const generateCalls: Array<{ scopes: string[]; expiresInDays: number }> = [];
  const revokeCalls: Array<{ id: string; open: boolean }> = [];
  const schedule: Array<number | null> = [];
  let serial = 0;
  const manager = new TokenManager({
    portal: {
      generate: async (input) => {
        generateCalls.push({ scopes: input.scopes, expiresInDays: input.expiresInDays });
        events.push('generate');
        await new Promise((resolve) => setTimeout(resolve, 5));
        return answers.generate?.() ?? generated(`tok_${++serial}`);
      },
      revoke: async (id, { open }) => {
        revokeCalls.push({ id, open });
        events.push(`portal-revoke:${id}`);
        return answers.revoke?.(id) ?? { ok: true, page, body: { message: 'Token revoked' } };
      },
    },
    deliver: (token) => events.push(`deliver:${token.tokenId}`),
    withdraw: async (reason) => {
      events.push(`revoke:${reason}`);
    },
    store: tokenStore,
    pendingRevocations: pendingPortalRevocations,
    consent: () => consentStore.get(),
    bindConsent: async (patientId) => {
      await consentStore.set(bindConsent(await consentStore.get(), patientId));
    },
    paused: provisioningPaused,
    tokenName: () => 'AI assistant (Chrome)',
    sessionPatient: async () => (answers.sessionPatient ? answers.sessionPatient() : 'pat_1'),
    scheduleRenewal: (dueAt) => schedule.push(dueAt),
    onChange: () => {},
    now: () => NOW,
  });
  return { manager, events, generateCalls, revokeCalls, schedule };
}

describe('token manager', () => {
  beforeEach(() => fakeBrowser.reset());

  it('provisions nothing before the patient consents', async () => {
    const { manager, generateCalls } = setup();
    expect(await manager.provision()).toEqual({ ok: false, failure: 'no_consent' });
    expect(await manager.renewIfDue()).toBeNull();
    expect(generateCalls).toEqual([]);
  });

  it('creates a short-lived token with the consented scopes, in session storage only', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, generateCalls, events, schedule } = setup();
    const result = await manager.provision();
    expect(result.ok).toBe(true);
    expect(generateCalls).toEqual([{ scopes: ['read:data'], expiresInDays: 1 }]);
    expect(events).toEqual(['generate', 'deliver:tok_1']);
    expect((await tokenStore.get())?.tokenId).toBe('tok_1');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('tok_1');
    // 40 s token: renewal when 10 s remain.
    expect(schedule.at(-1)).toBe(NOW + 30_000);
  });

  it('refuses a token that is not the logged-in patient’s, and revokes it at once', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, revokeCalls, events } = setup({
      generate: () => generated('tok_x', 'pat_someone_else'),
    });
    expect(await manager.provision()).toEqual({ ok: false, failure: 'wrong_patient' });
    expect(revokeCalls).toEqual([{ id: 'tok_x', open: false }]);
    expect(events.some((event) => event.startsWith('deliver'))).toBe(false);
    expect(await tokenStore.get()).toBeNull();
  });

  it('renews by delivering the new token before revoking the old one', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, events } = setup();
    await manager.provision();
    await manager.renew();
    expect(events).toEqual([
      'generate',
      'deliver:tok_1',
      'generate',
      'deliver:tok_2',
      'portal-revoke:tok_1',
    ]);
    expect((await tokenStore.get())?.tokenId).toBe('tok_2');
  });

  it('renews once when several relays ask at the same moment', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, generateCalls } = setup();
    const results = await Promise.all([manager.renew(), manager.renew(), manager.renew()]);
    expect(generateCalls).toHaveLength(1);
    expect(new Set(results.map((r) => (r.ok ? r.token.tokenId : null)))).toEqual(
      new Set(['tok_1']),
    );
  });

  it('revokes everywhere: wiped here and on the relays first, then deleted at the portal', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, events, revokeCalls } = setup();
    await manager.provision();
    expect(await manager.revoke('user')).toBe('revoked');
    expect(events.slice(-2)).toEqual(['revoke:user', 'portal-revoke:tok_1']);
    expect(revokeCalls.at(-1)).toEqual({ id: 'tok_1', open: true });
    expect(await tokenStore.get()).toBeNull();
  });

  it('after the patient revokes, provisions nothing more until they reconnect', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, generateCalls } = setup();
    await manager.provision();
    await manager.revoke('user');
    expect(await manager.renewIfDue(7)).toBeNull();
    expect(await manager.provision(7)).toEqual({ ok: false, failure: 'paused' });
    expect(generateCalls).toHaveLength(1);

    await provisioningPaused.set(false);
    expect((await manager.provision(7)).ok).toBe(true);
  });

  it('says the portal revocation is pending when the session has ended, and finishes it later', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    let loggedIn = true;
    const { manager, revokeCalls } = setup({
      revoke: () =>
        loggedIn
          ? { ok: true, page, body: {} }
          : { ok: false, page: { ...page, patientId: null }, status: 401, code: 'unauthenticated' },
    });
    await manager.provision();
    loggedIn = false;
    expect(await manager.revoke('user')).toBe('pending');
    expect(await pendingPortalRevocations.get()).toEqual(['tok_1']);

    loggedIn = true;
    await manager.completePendingRevocations(7);
    expect(await pendingPortalRevocations.get()).toEqual([]);
    expect(revokeCalls.at(-1)?.id).toBe('tok_1');
  });

  it('stops cleanly when the portal session ends: relays told, token dropped', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, events, schedule } = setup();
    await manager.provision();
    await manager.sessionEnded();
    expect(events.at(-1)).toBe('revoke:session_ended');
    expect(await manager.current()).toBeNull();
    expect(schedule.at(-1)).toBeNull();
    expect(await pendingPortalRevocations.get()).toEqual(['tok_1']);
  });

  it('captures a token shown on the portal page only if it is the logged-in patient’s', async () => {
    const { manager, events } = setup();
    const own = jwt({
      sub: 'pat_1',
      scope: 'read:data book:appointments',
      jti: 'tok_9',
      exp: NOW / 1000 + 3600,
    });
    const foreign = jwt({ sub: 'pat_2', scope: 'read:data', jti: 'tok_8', exp: NOW / 1000 + 3600 });
    expect(await manager.capture({ token: foreign, tokenId: 'tok_8' }, 7)).toEqual({
      ok: false,
      failure: 'wrong_patient',
    });
    expect(await manager.capture({ token: own, tokenId: 'tok_other' }, 7)).toEqual({
      ok: false,
      failure: 'invalid_token',
    });
    const captured = await manager.capture({ token: own, tokenId: 'tok_9' }, 7);
    expect(captured.ok && captured.token).toMatchObject({
      source: 'capture',
      scopes: ['read:data', 'book:appointments'],
      patientId: 'pat_1',
    });
    expect(events).toEqual(['deliver:tok_9']);
  });

  it('believes the portal’s session, not the page: a page that claims another patient changes nothing', async () => {
    // The page (DOM, answers relayed by the content script) says pat_2; the session says pat_1.
    const forgedPage: PortalPage = { kind: 'dashboard', patientId: 'pat_2', patientName: 'X' };
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager } = setup({
      generate: () => ({ ...generated('tok_1', 'pat_1'), page: forgedPage }),
    });
    const provisioned = await manager.provision();
    expect(provisioned.ok && provisioned.token.patientId).toBe('pat_1');
    // A planted token of pat_2 is refused even though the page says pat_2 is logged in.
    const planted = jwt({ sub: 'pat_2', scope: 'read:data', jti: 'tok_8', exp: NOW / 1000 + 3600 });
    expect(await manager.capture({ token: planted, tokenId: 'tok_8' })).toEqual({
      ok: false,
      failure: 'wrong_patient',
    });
  });

  it('adopts nothing when the portal’s session names nobody', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_1'));
    const { manager, revokeCalls } = setup({ sessionPatient: () => null });
    expect(await manager.provision()).toEqual({ ok: false, failure: 'wrong_patient' });
    expect(revokeCalls.map((call) => call.id)).toEqual(['tok_1']);
    const own = jwt({ sub: 'pat_1', scope: 'read:data', jti: 'tok_9', exp: NOW / 1000 + 3600 });
    expect(await manager.capture({ token: own, tokenId: 'tok_9' })).toEqual({
      ok: false,
      failure: 'wrong_patient',
    });
    expect(await tokenStore.get()).toBeNull();
  });

  it('does not capture an expired token', async () => {
    const { manager } = setup();
    const expired = jwt({ sub: 'pat_1', scope: 'read:data', jti: 'tok_9', exp: NOW / 1000 - 1 });
    expect(await manager.capture({ token: expired, tokenId: 'tok_9' }, 7)).toEqual({
      ok: false,
      failure: 'invalid_token',
    });
  });

  it('never provisions for another patient on the consent of the first', async () => {
    await consentStore.set(grantConsent(['read:data'], 'dashboard', 'pat_2'));
    const { manager, generateCalls, revokeCalls } = setup();
    expect(await manager.renewIfDue(7, 'pat_1')).toBeNull();
    expect(generateCalls).toEqual([]);
    // Even if asked without knowing who is logged in, the portal's answer gives it away.
    expect(await manager.provision(7)).toEqual({ ok: false, failure: 'wrong_patient' });
    expect(revokeCalls.map((call) => call.id)).toEqual(['tok_1']);
    expect(await tokenStore.get()).toBeNull();
  });

  it('a consent given before anyone was known to be logged in becomes the first patient’s it serves, and no one else’s', async () => {
    // In the popup, with no portal session to say who: no patient id.
    await consentStore.set(grantConsent(['read:data'], 'popup', null));
    let sessionPatient = 'pat_1';
    const { manager, generateCalls } = setup({
      sessionPatient: () => sessionPatient,
      generate: () => generated(`tok_${generateCalls.length}`, sessionPatient),
    });
    expect((await manager.provision(7)).ok).toBe(true);
    expect((await consentStore.get())?.patientId).toBe('pat_1');

    // Another patient logs into this browser: the first one's consent does not cover them.
    await tokenStore.set(null);
    sessionPatient = 'pat_2';
    expect(await manager.renewIfDue(7, 'pat_2')).toBeNull();
    expect(await manager.provision(7)).toEqual({ ok: false, failure: 'wrong_patient' });
    expect(await tokenStore.get()).toBeNull();
    expect((await consentStore.get())?.patientId).toBe('pat_1');
  });
});
