/** The popup's snapshot, gathered from the background's parts (buildPopupState shapes it). */

import { auditLog } from '../audit/audit-log';
import { pairingStore } from '../bridge/pairing-store';
import { consentStore, hasConsent, OFFERED_SCOPES } from '../consent/consent-store';
import { effectiveReadPolicy, readPolicyStore } from '../consent/read-policy';
import { buildPopupState, type PopupState } from '../state/popup-state';
import type { BackgroundCore } from './background-core';
import { bridgeEnabled, portalLogin, provisioningPaused, signInTokens } from './background-stores';
import { captureOffer, captureOfferView } from './capture-offer';
import type { PatientConfirmations } from './patient-confirmations';

export async function popupView(
  core: BackgroundCore,
  confirmations: PatientConfirmations,
): Promise<PopupState | null> {
  if (!core.pool) return null;
  const incidents = core.incidents.list();
  if (await core.tokens.hasPendingRevocations()) {
    incidents.push({ code: 'portal_revocation_pending' });
  }
  const login = await portalLogin.get();
  const consent = await consentStore.get();
  return buildPopupState({
    portalOrigin: core.config.portalOrigin,
    login,
    // Another patient's consent is not this patient's: shown as none.
    consent:
      consent?.status === 'granted' && !hasConsent(consent, login.patientId) ? null : consent,
    paused: await provisioningPaused.get(),
    offeredScopes: OFFERED_SCOPES,
    token: await core.tokens.current(),
    renewing: core.tokens.renewing,
    pairing: (await pairingStore.get()) ? await pairingStore.info() : null,
    // Not Paused before every relay has applied the pause (popup:pause).
    bridgeEnabled: (await bridgeEnabled.get()) || core.pausesUnconfirmed > 0,
    relays: core.pool.views(),
    audit: await auditLog.get(),
    incidents,
    confirmations: confirmations.list(),
    receipts: confirmations.listReceipts(),
    captureOffer: captureOfferView(await captureOffer.get()),
    pendingPairing: core.pendingPairing?.view() ?? null,
    readPolicy: effectiveReadPolicy(await readPolicyStore.get()),
    signInRequest: core.signIns.view(),
    // An expired token has ended its sign-in by itself: nothing left to revoke.
    signInTokens: (await signInTokens.get()).filter(
      (token) => Date.parse(token.expiresAt) > Date.now(),
    ),
  });
}
