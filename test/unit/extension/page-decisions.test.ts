/**
 * What the extension last decided for each portal tab: kept per tab with a count, a few tabs
 * only, gone when the tab closes; written by the background's handlers as they decide, and by
 * the content script's report only for what it decides alone — never a background decision.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ExtensionController } from '../../../extension/background/controller';
import {
  forgetTab,
  notePageDecision,
  PAGE_DECISIONS_KEPT,
  pageDecisions,
  withDecision,
} from '../../../extension/background/page-decisions';
import { extensionConfig } from '../../../extension/config/extension-config';
import { consentStore, grantConsent } from '../../../extension/consent/consent-store';
import { routeBackgroundMessage } from '../../../extension/messaging/background-router';
import type { MessageSender } from '../../../extension/messaging/sender-checks';
import { PATIENT, useFakeBrowser } from '../../support/connected-background';
import { freePortRange } from '../../support/free-ports';
import { TEST_PORTAL } from '../bridge/bridge-fixture';

useFakeBrowser();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token of another patient's, as a hostile page script would plant it. */
const OTHER_PATIENTS_TOKEN = `${b64({ alg: 'RS256' })}.${b64({ sub: 'pat_2', jti: 'tok_9' })}.c2ln`;

const fromTab = (id: number) => ({ tab: { id } }) as MessageSender;

/** The portal's session API says `patientId` is logged in (or nobody, with null). */
function portalSession(patientId: string | null) {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    if (!String(input).endsWith('/api/auth/session')) throw new Error(`unexpected ${input}`);
    const body = patientId ? { user: { id: patientId, name: 'Camille' } } : {};
    return new Response(JSON.stringify(body), { status: 200 });
  });
}

/** The background started as the browser does: not paired, no relay on its ports. */
async function background() {
  const range = await freePortRange(1);
  await extensionConfig.set({
    portalOrigin: TEST_PORTAL,
    ports: { first: range.first, last: range.last },
  });
  const controller = new ExtensionController({
    createSocket: () => {
      throw new Error('not paired: no connection');
    },
  });
  await controller.start();
  return controller.handlers;
}

const decided = async (tabId: number) =>
  (await pageDecisions.get()).find((entry) => entry.tabId === tabId);

describe('what was decided for each portal tab', () => {
  it('keeps each tab’s latest decision with how many it has had, the most recent tabs only', () => {
    let list = withDecision([], 1, 'consent_offered');
    list = withDecision(list, 2, 'no_secret_on_page');
    list = withDecision(list, 1, 'no_offer_granted');
    expect(list).toEqual([
      { tabId: 2, decision: 'no_secret_on_page', reports: 1 },
      { tabId: 1, decision: 'no_offer_granted', reports: 2 },
    ]);
    for (let tab = 10; tab < 10 + PAGE_DECISIONS_KEPT; tab += 1) {
      list = withDecision(list, tab, 'nothing_to_offer');
    }
    expect(list).toHaveLength(PAGE_DECISIONS_KEPT);
    expect(list.map((entry) => entry.tabId)).not.toContain(1);
  });

  it('loses no tab’s entry when two decide at once, and forgets a tab once it closes', async () => {
    await Promise.all([
      notePageDecision(1, 'consent_offered'),
      notePageDecision(2, 'capture_rejected'),
      notePageDecision(undefined, 'nothing_to_offer'),
    ]);
    expect((await pageDecisions.get()).map((entry) => entry.tabId).sort()).toEqual([1, 2]);
    const setItem = vi.spyOn(fakeBrowser.storage.session, 'set');
    await forgetTab(3);
    expect(setItem).not.toHaveBeenCalled();
    await forgetTab(1);
    expect(await pageDecisions.get()).toEqual([
      { tabId: 2, decision: 'capture_rejected', reports: 1 },
    ]);
  });

  it('notes why the dashboard points to the popup for consent, or does not', async () => {
    portalSession(PATIENT);
    const handlers = await background();
    const dashboard = { page: { kind: 'dashboard', patientId: PATIENT, patientName: null } };

    const offered = await handlers['content:page'](dashboard as never, fromTab(4));
    expect(offered.offerConsent).toBe(true);
    expect(await decided(4)).toEqual({ tabId: 4, decision: 'consent_offered', reports: 1 });

    await consentStore.set({
      ...grantConsent(['read:data'], 'popup', PATIENT),
      status: 'withdrawn',
    });
    expect((await handlers['content:page'](dashboard as never, fromTab(4))).offerConsent).toBe(
      false,
    );
    expect(await decided(4)).toEqual({ tabId: 4, decision: 'no_offer_withdrawn', reports: 2 });

    await consentStore.set(grantConsent(['read:data'], 'popup', PATIENT));
    await handlers['content:page'](dashboard as never, fromTab(5));
    expect((await decided(5))?.decision).toBe('no_offer_granted');
  });

  it('notes a logged-out dashboard, and on the Tokens page waits for what the page shows', async () => {
    portalSession(null);
    const handlers = await background();
    await handlers['content:page'](
      { page: { kind: 'dashboard', patientId: null, patientName: null } },
      fromTab(4),
    );
    expect((await decided(4))?.decision).toBe('no_offer_logged_out');

    await handlers['content:page'](
      { page: { kind: 'tokens', patientId: null, patientName: null } },
      fromTab(6),
    );
    expect(await decided(6)).toBeUndefined();
    await handlers['content:pageDecided']({ decision: 'no_secret_on_page' }, fromTab(6));
    expect(await decided(6)).toEqual({ tabId: 6, decision: 'no_secret_on_page', reports: 1 });
  });

  it('notes a token shown that the portal does not vouch for as rejected', async () => {
    portalSession(PATIENT);
    const handlers = await background();
    const answer = await handlers['content:tokenShown'](
      { token: OTHER_PATIENTS_TOKEN, tokenId: 'tok_9' },
      fromTab(8),
    );
    expect(answer).toEqual({ ok: false, problem: 'capture_rejected' });
    expect((await decided(8))?.decision).toBe('capture_rejected');
  });

  it('takes from the content script only what it decides alone, and only from a portal tab', () => {
    const extensionId = 'jffdobaadlaknnodpidlilihkogoekjj';
    const anchors = {
      extensionId,
      extensionBaseUrl: `chrome-extension://${extensionId}/`,
      portalOrigin: TEST_PORTAL,
    };
    const handler = vi.fn(async () => ({ ok: true }) as const);
    const handlers = { 'content:pageDecided': handler } as never;
    const sender = (url: string): MessageSender => ({
      id: extensionId,
      url,
      frameId: 0,
      tab: { id: 3 } as MessageSender['tab'],
    });
    const report = (decision: string) => ({ type: 'content:pageDecided', data: { decision } });

    const fromPortal = sender(`${TEST_PORTAL}/dashboard/tokens`);
    expect(
      routeBackgroundMessage(report('no_secret_on_page'), fromPortal, anchors, handlers),
    ).toMatchObject({
      handled: true,
    });
    // A decision the background takes is never the page's to claim.
    expect(
      routeBackgroundMessage(report('consent_offered'), fromPortal, anchors, handlers),
    ).toEqual({ handled: false, reason: 'invalid_payload' });
    const elsewhere = sender('http://127.0.0.1:1/dashboard/tokens');
    expect(
      routeBackgroundMessage(report('no_secret_on_page'), elsewhere, anchors, handlers),
    ).toEqual({ handled: false, reason: 'untrusted_sender' });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
