import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  consentStore,
  grantConsent,
  hasConsent,
  withdrawConsent,
} from '../../../extension/consent/consent-store';

const now = new Date('2025-03-01T10:00:00Z');

describe('consent state', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts with no consent at all: nothing may be provisioned', async () => {
    const consent = await consentStore.get();
    expect(consent).toBeNull();
    expect(hasConsent(consent)).toBe(false);
  });

  it('remembers the scopes the patient chose, in a stable order', async () => {
    await consentStore.set(
      grantConsent(['book:appointments', 'read:data'], 'dashboard', 'pat_1', now),
    );
    const consent = await consentStore.get();
    expect(hasConsent(consent)).toBe(true);
    expect(consent).toEqual({
      status: 'granted',
      scopes: ['read:data', 'book:appointments'],
      at: now.toISOString(),
      via: 'dashboard',
      patientId: 'pat_1',
    });
  });

  it('never records a scope the consent form did not offer', () => {
    expect(grantConsent(['read:data', 'admin:all'], 'popup', null, now).scopes).toEqual([
      'read:data',
    ]);
  });

  it('keeps the unknown scopes of a token the patient chose to capture', () => {
    expect(grantConsent(['read:data', 'read:billing'], 'capture', 'pat_1', now).scopes).toEqual([
      'read:data',
      'read:billing',
    ]);
  });

  it('withdrawing keeps the record but no longer counts as consent', async () => {
    const granted = grantConsent(['read:data'], 'popup', 'pat_1', now);
    await consentStore.set(withdrawConsent(granted, 'popup', now));
    const consent = await consentStore.get();
    expect(consent?.status).toBe('withdrawn');
    expect(hasConsent(consent)).toBe(false);
  });

  it('treats a corrupted stored record as no consent', async () => {
    await fakeBrowser.storage.local.set({ consent: { status: 'granted', scopes: 'everything' } });
    expect(await consentStore.get()).toBeNull();
  });

  it('is one patient’s consent: it does not cover another patient of the same browser', () => {
    const camille = grantConsent(['read:data'], 'dashboard', 'pat_1', now);
    expect(hasConsent(camille, 'pat_1')).toBe(true);
    expect(hasConsent(camille, 'pat_2')).toBe(false);
    // Given in the popup before the portal said who is logged in: whoever logs in next.
    expect(hasConsent(grantConsent(['read:data'], 'popup', null, now), 'pat_2')).toBe(true);
  });
});
