/** What the background does for the extension's own pages: the popup and the options page. */
import { pairingStore } from '../bridge/pairing-store';
import { DEFAULT_CONFIG } from '../config/extension-config';
import { PRODUCTION_PORTAL_ORIGIN } from '../config/portal-origin';
import { consentStore, grantConsent, hasConsent, withdrawConsent } from '../consent/consent-store';
import { effectiveReadPolicy, uniformReadPolicy } from '../consent/read-policy';
import type { BackgroundHandlers } from '../messaging/background-router';
import type { Problem } from '../state/popup-state';
import { type BackgroundCore, RELAY_HANDLED_TIMEOUT_MS } from './background-core';
import { bridgeEnabled, provisioningPaused } from './background-stores';
import { captureOffer } from './capture-offer';
import { recordConsent, settleConsentPanels } from './consent-steps';
import type { PatientConfirmations } from './patient-confirmations';
import { checkSettings } from './settings';

type PageHandlers = Pick<
  BackgroundHandlers,
  Extract<keyof BackgroundHandlers, `popup:${string}` | `options:${string}`>
>;

export function popupHandlers(
  core: BackgroundCore,
  confirmations: PatientConfirmations,
): PageHandlers {
  /**
   * The patient's one way out: consent withdrawn first (so nothing provisions again), then the
   * token revoked at the portal and wiped from every relay (which then answer TOKEN_REVOKED),
   * and the tokens remote servers got through a sign-in revoked at the portal too, then the
   * pairing forgotten — and any code waiting for an assistant cancelled. Paused, the relays
   * are still connected (told they are paused): they hear the withdrawal as well.
   */
  const stopAndRevoke = async () => {
    await consentStore.set(withdrawConsent(await consentStore.get(), 'popup'));
    // Tells every connected relay (revoke{consent_withdrawn}) before asking the portal.
    const local = await core.tokens.revoke('consent_withdrawn');
    const remoteLeft = await core.signIns.revokeAll();
    const portal = local === 'pending' || remoteLeft > 0 ? 'pending' : 'revoked';
    for (const code of STALE_AFTER_STOP) core.incidents.drop(code);
    await core.pendingPairing.cancel();
    await pairingStore.remove();
    // A pause ends with everything else: connecting again later starts from a clean state.
    await bridgeEnabled.set(true);
    await core.restartPool();
    return { ok: true, portal } as const;
  };

  return {
    'popup:pair': async ({ code }) => {
      const outcome = await core.pool.pair(code);
      await core.keepWaking();
      core.popups.changed();
      return outcome;
    },
    'popup:consent': async ({ scopes, allowReads }) => {
      const { patientId } = await core.refreshLogin();
      await recordConsent(core, grantConsent(scopes, 'popup', patientId), allowReads);
      await settleConsentPanels(core);
      const current = await core.tokens.current();
      if (!current || !sameSet(current.scopes, scopes)) {
        const result = await core.tokens.renew();
        core.noteResult(result);
        if (!result.ok && (result.failure === 'no_portal_tab' || result.failure === 'logged_out')) {
          // Provisioning resumes as soon as the portal page reports the patient logged in.
          await core.openPortal();
        }
      }
      return { ok: true };
    },
    'popup:setReadPolicy': async ({ reads }) => {
      await core.sendReadPolicy(effectiveReadPolicy(reads));
      return { ok: true };
    },
    // Paused means paused everywhere: every relay connected now drops its token, and every relay
    // that proves itself later (one that was away) is told the same as it connects (greetRelay).
    // The popup says Paused once each connected relay has applied it: no assistant is served
    // after that. One that did not say so in time is named as a problem, not passed over.
    'popup:pause': async () => {
      await bridgeEnabled.set(false);
      core.pausesUnconfirmed += 1;
      const { sent, handled } = await core.pool
        .broadcastHandled({ type: 'revoke', reason: 'paused' }, RELAY_HANDLED_TIMEOUT_MS)
        .finally(() => {
          core.pausesUnconfirmed -= 1;
        });
      core.popups.changed();
      return handled === sent ? { ok: true } : { ok: false, problem: 'pause_unconfirmed' };
    },
    'popup:resume': async () => {
      await bridgeEnabled.set(true);
      for (const port of core.pool.connectedPorts()) await core.greetRelay(port);
      core.pool.wake();
      core.popups.changed();
      return { ok: true };
    },
    'popup:openPortal': async () => {
      await core.openPortal();
      return { ok: true };
    },
    'popup:stopAndRevoke': stopAndRevoke,
    'popup:startPairingCode': async () => {
      await core.pendingPairing.start();
      await core.keepWaking();
      return { ok: true };
    },
    'popup:cancelPairingCode': async () => {
      await core.pendingPairing.cancel();
      return { ok: true };
    },
    'popup:confirmPairingCheck': async () => {
      const outcome = await core.pendingPairing.confirm();
      await core.keepWaking();
      core.popups.changed();
      return outcome === 'paired' ? { ok: true } : { ok: false, problem: 'pairing_failed' };
    },
    'popup:declinePairingCheck': async () => {
      await core.pendingPairing.decline();
      await core.keepWaking();
      return { ok: true };
    },
    'popup:confirm': ({ id, decision, readGrant }) => confirmations.answer(id, decision, readGrant),
    'popup:dismissReceipt': async ({ key }) => confirmations.dismissReceipt(key),
    'popup:allowSignIn': ({ scopes, server, request }) =>
      core.signIns.allow(scopes, { server, request }),
    'popup:denySignIn': () => core.signIns.deny(),
    'popup:signInPermission': () => core.signIns.permissionGranted(),
    'popup:revokeSignIn': ({ tokenId }) => core.signIns.revoke(tokenId),
    'popup:capture': async ({ allowReads }) => {
      const offer = await captureOffer.get();
      await captureOffer.set(null);
      if (!offer) return { ok: false, problem: 'capture_rejected' };
      // Clicking "use this token" is the patient's consent, for exactly this token's scopes;
      // recorded first so the token can be delivered at once, undone if the token is refused.
      const previous = await consentStore.get();
      const hadConsent = hasConsent(previous, offer.patientId);
      if (!hadConsent) {
        await consentStore.set(grantConsent(offer.scopes, 'capture', offer.patientId));
      }
      await provisioningPaused.set(false);
      const result = await core.tokens.capture(offer);
      if (!result.ok && !hadConsent) await consentStore.set(previous);
      if (result.ok && allowReads) await core.sendReadPolicy(uniformReadPolicy('allow'));
      core.noteResult(result, 'capture_rejected');
      return result.ok ? { ok: true } : { ok: false, problem: result.failure };
    },
    'popup:ignoreCapture': async () => {
      await captureOffer.set(null);
      core.popups.changed();
      return { ok: true };
    },
    'options:getConfig': async () => ({
      portalOrigin: core.config.portalOrigin,
      firstPort: core.config.ports.first,
      lastPort: core.config.ports.last,
      productionOrigin: PRODUCTION_PORTAL_ORIGIN,
      defaultFirstPort: DEFAULT_CONFIG.ports.first,
      defaultLastPort: DEFAULT_CONFIG.ports.last,
    }),
    'options:setConfig': async (input) => {
      const check = await checkSettings(input);
      if (!check.ok) return check;
      await core.applySettings(check.config);
      return { ok: true };
    },
  };
}

/** What the background noticed about a token that no longer exists after Stop and revoke. */
const STALE_AFTER_STOP: readonly Problem['code'][] = [
  'renewal_needs_portal',
  'provision_failed',
  'capture_rejected',
];

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
