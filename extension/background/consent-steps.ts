/** Steps of giving consent in the popup (the only place consent is given). */
import { type ConsentRecord, consentStore } from '../consent/consent-store';
import { uniformReadPolicy } from '../consent/read-policy';
import { callPortalTab, findPortalTabs } from '../portal/portal-tabs';
import type { BackgroundCore } from './background-core';
import { provisioningPaused } from './background-stores';

/** Records the patient's consent (and, if they said so, reads without asking). */
export async function recordConsent(
  core: BackgroundCore,
  consent: ConsentRecord,
  allowReads: boolean,
): Promise<void> {
  await consentStore.set(consent);
  await provisioningPaused.set(false);
  if (allowReads) await core.sendReadPolicy(uniformReadPolicy('allow'));
  core.popups.changed();
}

/** Consent was given: any dashboard panel still asking can go, saying what comes next. */
export async function settleConsentPanels(core: BackgroundCore): Promise<void> {
  const origin = core.config.portalOrigin;
  const connected = core.pool.isPaired && core.pool.views().some((v) => v.state === 'connected');
  const next = connected ? null : 'connect';
  for (const tabId of await findPortalTabs(origin)) {
    await callPortalTab(origin, 'portal:consentSettled', { next }, { tabId });
  }
}
