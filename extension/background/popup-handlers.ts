/** What the background does for the extension's own pages: the popup and the options page. */
import { pairingStore } from '../bridge/pairing-store';
import { PRODUCTION_PORTAL_ORIGIN } from '../config/portal-origin';
import { consentStore, grantConsent, hasConsent, withdrawConsent } from '../consent/consent-store';
import { effectiveReadPolicy, uniformReadPolicy } from '../consent/read-policy';
import type { BackgroundHandlers } from '../messaging/background-router';
import type { BackgroundCore } from './background-core';
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
  /** Stops delivering: the relays drop the token, and the pool restarts as now configured. */
  const dropAndRestart = async (change: () => Promise<void>) => {
    core.pool.broadcast({ type: 'revoke', reason: 'user' });
    await change();
    await core.restartPool();
    return { ok: true } as const;
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
    'popup:withdrawConsent': async () => {
      await consentStore.set(withdrawConsent(await consentStore.get(), 'popup'));
      await core.tokens.revoke('consent_withdrawn');
      return { ok: true };
    },
    'popup:revoke': async () => {
      const portal = await core.tokens.revoke('user');
      return { ok: true, portal: portal === 'pending' ? 'pending' : 'revoked' };
    },
    'popup:disconnect': () => dropAndRestart(() => bridgeEnabled.set(false)),
    'popup:connect': async () => {
      await bridgeEnabled.set(true);
      await core.restartPool();
      return { ok: true };
    },
    'popup:openPortal': async () => {
      await core.openPortal();
      return { ok: true };
    },
    'popup:forgetPairing': () => dropAndRestart(() => pairingStore.remove()),
    'popup:startPairingCode': async () => {
      await core.pendingPairing.start();
      await core.keepWaking();
      return { ok: true };
    },
    'popup:cancelPairingCode': async () => {
      await core.pendingPairing.cancel();
      return { ok: true };
    },
    'popup:confirm': ({ id, decision, readGrant }) => confirmations.answer(id, decision, readGrant),
    'popup:dismissReceipt': async ({ key }) => confirmations.dismissReceipt(key),
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
    }),
    'options:setConfig': async (input) => {
      const check = await checkSettings(input);
      if (!check.ok) return check;
      await core.applySettings(check.config);
      return { ok: true };
    },
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
