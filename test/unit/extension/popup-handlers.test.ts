/**
 * What the popup's buttons do, through the background's real handlers, with a relay's real
 * bridge on the other end: Stop and revoke leaves nothing behind (consent withdrawn first, the
 * portal asked to revoke the token, the relays told, the token and the pairing gone), paused or
 * not. The portal page is a fake content script that answers the revocation (or never loads).
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { signInTokens } from '../../../extension/background/background-stores';
import { captureOffer } from '../../../extension/background/capture-offer';
import { pairingStore } from '../../../extension/bridge/pairing-store';
import { consentStore, hasConsent } from '../../../extension/consent/consent-store';
import { tokenStore } from '../../../extension/token/token-store';
import { connectedPatient, FROM_POPUP, useFakeBrowser } from '../../support/connected-background';
import { TEST_PORTAL } from '../bridge/bridge-fixture';

useFakeBrowser();

/** The portal page's content script: answers a revocation, and records what it was asked. */
function portalPageRevoking(accepts: (tokenId: string) => boolean = () => true) {
  const revoked: string[] = [];
  // The tab the extension opens on the portal has loaded (fake-browser leaves tabs unloaded).
  vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((async (tabId: number) => ({
    id: tabId,
    url: `${TEST_PORTAL}/dashboard`,
    status: 'complete',
  })) as never);
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (
    _tabId: number,
    message: { type: string; data: { tokenId?: string } },
  ) => {
    if (message.type !== 'portal:revokeToken') throw new Error('no content script');
    const tokenId = message.data.tokenId ?? '';
    if (!accepts(tokenId)) return { ok: false, page: null, status: 500, code: 'server_error' };
    revoked.push(tokenId);
    return { ok: true, page: null, body: { success: true } };
  }) as never);
  return revoked;
}

describe('popup handlers', () => {
  it('Stop and revoke: consent withdrawn, the portal asked, every relay told, the token and the pairing gone', async () => {
    const revokedAtPortal = portalPageRevoking();
    const { controller, first } = await connectedPatient();
    await expect.poll(() => first.tokens.map((t) => t.tokenId)).toEqual(['tok_1']);

    const stopped = await controller.handlers['popup:stopAndRevoke']({}, FROM_POPUP);
    expect(stopped).toEqual({ ok: true, portal: 'revoked' });
    expect(revokedAtPortal).toEqual(['tok_1']);
    await expect.poll(() => first.revokes).toEqual(['consent_withdrawn']);
    expect(hasConsent(await consentStore.get())).toBe(false);
    expect(await tokenStore.get()).toBeNull();
    expect(await pairingStore.get()).toBeNull();
  });

  it('Stop and revoke also revokes the tokens remote servers got through a sign-in, or says it is pending', async () => {
    const revokedAtPortal = portalPageRevoking();
    const { controller } = await connectedPatient();
    const remote = (tokenId: string) => ({
      tokenId,
      name: 'Claude (mcp.hospital.example)',
      server: 'https://mcp.hospital.example',
      client: 'Claude',
      scopes: ['read:data' as const],
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await signInTokens.set([remote('tok_remote_1'), remote('tok_remote_2')]);
    expect(await controller.handlers['popup:stopAndRevoke']({}, FROM_POPUP)).toEqual({
      ok: true,
      portal: 'revoked',
    });
    expect(revokedAtPortal.sort()).toEqual(['tok_1', 'tok_remote_1', 'tok_remote_2']);
    expect(await signInTokens.get()).toEqual([]);
  });

  it('Stop and revoke says the portal revocation is pending when a remote server’s token could not be revoked', async () => {
    const revokedAtPortal = portalPageRevoking((tokenId) => tokenId !== 'tok_remote_1');
    const { controller } = await connectedPatient();
    await signInTokens.set([
      {
        tokenId: 'tok_remote_1',
        name: 'Claude (mcp.hospital.example)',
        server: 'https://mcp.hospital.example',
        client: 'Claude',
        scopes: ['read:data'],
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    ]);
    expect(await controller.handlers['popup:stopAndRevoke']({}, FROM_POPUP)).toEqual({
      ok: true,
      portal: 'pending',
    });
    expect(revokedAtPortal).toEqual(['tok_1']);
    // Kept, to be revoked later: never forgotten while still alive at the portal.
    expect((await signInTokens.get()).map((token) => token.tokenId)).toEqual(['tok_remote_1']);
  });

  it('Stop and revoke while paused reaches the relays, which are still connected', async () => {
    portalPageRevoking();
    const { controller, first } = await connectedPatient();
    await expect.poll(() => first.tokens.length).toBe(1);
    await controller.handlers['popup:pause']({}, FROM_POPUP);
    await expect.poll(() => first.revokes).toEqual(['paused']);
    await controller.handlers['popup:stopAndRevoke']({}, FROM_POPUP);
    await expect.poll(() => first.revokes).toEqual(['paused', 'consent_withdrawn']);
    expect(await pairingStore.get()).toBeNull();
  });
});

describe('settings', () => {
  it('a token waiting for the patient’s yes, vouched for by the previous portal, goes with it', async () => {
    const { controller, range } = await connectedPatient();
    // The portal's content script is registered for the new origin (fake-browser has no
    // `scripting`: recorded here).
    const registered: string[][] = [];
    Object.assign(fakeBrowser.scripting, {
      getRegisteredContentScripts: async () => [],
      unregisterContentScripts: async () => {},
      registerContentScripts: async (scripts: Array<{ matches: string[] }>) => {
        registered.push(scripts.flatMap((script) => script.matches));
      },
    });
    await captureOffer.set({
      token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.c2lnbmF0dXJl',
      tokenId: 'tok_hand',
      patientId: 'pat_1',
      scopes: ['read:data'],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    // Only the ports change: the offer stays.
    const ports = { firstPort: range.first, lastPort: range.last };
    expect(
      await controller.handlers['options:setConfig'](
        { portalOrigin: TEST_PORTAL, ...ports },
        FROM_POPUP,
      ),
    ).toEqual({ ok: true });
    expect((await captureOffer.get())?.tokenId).toBe('tok_hand');
    // Another portal: that portal never vouched for it.
    expect(
      await controller.handlers['options:setConfig'](
        { portalOrigin: 'http://127.0.0.1:47701', ...ports },
        FROM_POPUP,
      ),
    ).toEqual({ ok: true });
    expect(registered.at(-1)).toEqual(['http://127.0.0.1:47701/*']);
    expect(await captureOffer.get()).toBeNull();
    expect(await controller.handlers['popup:capture']({ allowReads: false }, FROM_POPUP)).toEqual({
      ok: false,
      problem: 'capture_rejected',
    });
  });
});
