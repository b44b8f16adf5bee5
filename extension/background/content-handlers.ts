/**
 * What the background does for the content script on a portal page (a web page's process: its
 * messages were parsed and their sender checked by the router). It says which page it is on;
 * the patient consents on the dashboard, or hands over a token they made by hand.
 */
import { readTokenClaims } from '../../relay/protocol/token-claims';
import {
  consentStore,
  DEFAULT_CONSENT_SCOPES,
  grantConsent,
  hasConsent,
  OFFERED_SCOPES,
} from '../consent/consent-store';
import { uniformReadPolicy } from '../consent/read-policy';
import type { BackgroundHandlers } from '../messaging/background-router';
import type { PortalPage } from '../messaging/message-schemas';
import type { BackgroundCore } from './background-core';
import { consentDismissed, loginOf, portalLogin, provisioningPaused } from './background-stores';
import { recordConsent, settleConsentPanels } from './consent-steps';

type ContentHandlers = Pick<
  BackgroundHandlers,
  Extract<keyof BackgroundHandlers, `content:${string}`>
>;

export function contentHandlers(core: BackgroundCore): ContentHandlers {
  return {
    'content:page': async ({ page }, sender) => {
      await onPortalPage(core, page, sender.tab?.id);
      const token = await core.tokens.current();
      return {
        offerConsent: await shouldOfferConsent(page),
        offeredScopes: [...OFFERED_SCOPES],
        defaultScopes: [...DEFAULT_CONSENT_SCOPES],
        knownTokenIds: token ? [token.tokenId] : [],
      };
    },
    'content:consent': async ({ scopes, allowReads, page }, sender) => {
      if (!page.patientId) return { ok: false, problem: 'login_needed' };
      await recordConsent(core, grantConsent(scopes, 'dashboard', page.patientId), allowReads);
      const result = await core.tokens.renew(sender.tab?.id);
      core.noteResult(result);
      await settleConsentPanels(core);
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
    'content:dismissConsent': async () => {
      await consentDismissed.set(true);
      return { ok: true };
    },
    'content:capture': async ({ token, tokenId, allowReads, page }, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { ok: false, problem: 'capture_rejected' };
      // Clicking "use this token" is the patient's consent, for exactly this token's scopes;
      // recorded first so the token can be delivered at once, undone if the token is refused.
      const previous = await consentStore.get();
      const hadConsent = hasConsent(previous, page.patientId);
      if (!hadConsent) {
        const scopes = readTokenClaims(token)?.scopes ?? [];
        await consentStore.set(grantConsent(scopes, 'capture', page.patientId));
      }
      await provisioningPaused.set(false);
      const result = await core.tokens.capture({ token, tokenId }, page, tabId);
      if (!result.ok && !hadConsent) await consentStore.set(previous);
      if (result.ok && allowReads) await core.sendReadPolicy(uniformReadPolicy('allow'));
      core.noteResult(result, 'capture_rejected');
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
  };
}

/**
 * The dashboard panel is offered until the patient answers; again after they revoked access
 * (to reconnect); and to another patient, whom the first one's consent does not cover.
 */
async function shouldOfferConsent(page: PortalPage): Promise<boolean> {
  if (!page.patientId || (await consentDismissed.get())) return false;
  const consent = await consentStore.get();
  if (consent === null) return true;
  if (consent.status !== 'granted') return false;
  return !hasConsent(consent, page.patientId) || (await provisioningPaused.get());
}

/** A portal page says who is logged in: the session ended, or renewal may run from this tab. */
async function onPortalPage(
  core: BackgroundCore,
  page: PortalPage,
  tabId: number | undefined,
): Promise<void> {
  await portalLogin.set(loginOf(page));
  const token = await core.tokens.current();
  if (!page.patientId || (token && token.patientId !== page.patientId)) {
    await core.tokens.sessionEnded();
  } else if (tabId !== undefined) {
    core.incidents.drop('renewal_needs_portal');
    await core.tokens.completePendingRevocations(tabId);
    const result = await core.tokens.renewIfDue(tabId, page.patientId);
    if (result) core.noteResult(result);
  }
  core.popups.changed();
}
