/**
 * What the background does for the content script on a portal page (a web page's process: its
 * messages were parsed and their sender checked by the router). The page only says which page
 * it is on and which token it shows; who is logged in, the portal's session API says
 * (session-identity.ts), and every decision that grants access is taken in the popup.
 */
import { browser } from 'wxt/browser';
import { consentStore, hasConsent } from '../consent/consent-store';
import type { BackgroundHandlers } from '../messaging/background-router';
import { vouchForToken } from '../portal/session-identity';
import type { PortalLogin } from '../state/popup-state';
import type { BackgroundCore } from './background-core';
import { consentDismissed, provisioningPaused } from './background-stores';
import { captureOffer } from './capture-offer';
import { notePageDecision, type PageDecision } from './page-decisions';

type ContentHandlers = Pick<
  BackgroundHandlers,
  Extract<keyof BackgroundHandlers, `content:${string}`>
>;

export function contentHandlers(core: BackgroundCore): ContentHandlers {
  return {
    'content:page': async ({ page }, sender) => {
      const login = await core.refreshLogin();
      await onPortalPage(core, login, sender.tab?.id);
      const token = await core.tokens.current();
      const consent = page.kind === 'dashboard' ? await consentDecision(login) : null;
      // The Tokens page's decision follows: the content script looks for a token shown first.
      if (page.kind !== 'tokens') {
        await notePageDecision(sender.tab?.id, consent ?? 'nothing_to_offer');
      }
      return {
        offerConsent: consent === 'consent_offered',
        knownTokenIds: token ? [token.tokenId] : [],
      };
    },
    'content:openExtension': async () => {
      // Decisions are taken where the page can neither script nor draw: an extension page.
      await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
      return { ok: true };
    },
    'content:dismissConsent': async () => {
      await consentDismissed.set(true);
      return { ok: true };
    },
    'content:signInRequest': (pointer, sender) => core.signIns.received(pointer, sender.tab?.id),
    'content:tokenShown': async (shown, sender) => {
      const tabId = sender.tab?.id;
      const current = await core.tokens.current();
      if (current?.tokenId === shown.tokenId) {
        await notePageDecision(tabId, 'token_in_use');
        return { ok: true };
      }
      const { patientId } = await core.refreshLogin();
      const vouched = patientId
        ? await vouchForToken(core.config.portalOrigin, shown, patientId)
        : null;
      if (!vouched) {
        await notePageDecision(tabId, 'capture_rejected');
        return { ok: false, problem: 'capture_rejected' };
      }
      await captureOffer.set(vouched);
      core.popups.changed();
      await notePageDecision(tabId, 'capture_offered');
      return { ok: true };
    },
    'content:pageDecided': async ({ decision }, sender) => {
      await notePageDecision(sender.tab?.id, decision);
      return { ok: true };
    },
  };
}

/**
 * The dashboard banner points to the popup until the patient answers; again after they revoked
 * access (to reconnect); and for another patient, whom the first one's consent does not cover.
 */
async function consentDecision(login: PortalLogin): Promise<PageDecision> {
  if (!login.patientId) return 'no_offer_logged_out';
  if (await consentDismissed.get()) return 'no_offer_dismissed';
  const consent = await consentStore.get();
  if (consent === null) return 'consent_offered';
  if (consent.status !== 'granted') return 'no_offer_withdrawn';
  const offer = !hasConsent(consent, login.patientId) || (await provisioningPaused.get());
  return offer ? 'consent_offered' : 'no_offer_granted';
}

/** A portal page was loaded: the session ended, or renewal may run from this tab. */
async function onPortalPage(
  core: BackgroundCore,
  login: PortalLogin,
  tabId: number | undefined,
): Promise<void> {
  const token = await core.tokens.current();
  const otherPatient = login.patientId !== null && token && token.patientId !== login.patientId;
  if (login.state === 'logged_out' || otherPatient) {
    await core.tokens.sessionEnded();
  } else if (tabId !== undefined && login.patientId) {
    core.incidents.drop('renewal_needs_portal');
    await core.tokens.completePendingRevocations(tabId);
    const result = await core.tokens.renewIfDue(tabId, login.patientId);
    if (result) core.noteResult(result);
  }
  core.popups.changed();
}
