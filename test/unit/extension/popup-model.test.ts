import { describe, expect, it } from 'vitest';
import { createPopupModel, type PopupActions } from '../../../extension/popup/popup-model';

const ok = async () => ({ ok: true as const });
const actions = (overrides: Partial<PopupActions> = {}): PopupActions => ({
  pair: async () => ({ ok: true, port: 47610 }),
  consent: ok,
  withdrawConsent: ok,
  revoke: async () => ({ ok: true, portal: 'revoked' }),
  disconnect: ok,
  connect: ok,
  openPortal: ok,
  forgetPairing: ok,
  startPairingCode: ok,
  cancelPairingCode: ok,
  confirm: ok,
  dismissReceipt: ok,
  setReadPolicy: ok,
  capture: ok,
  ignoreCapture: ok,
  ...overrides,
});

describe('popup model', () => {
  it('marks an action busy while it runs', async () => {
    let release: () => void = () => {};
    const model = createPopupModel(
      actions({
        revoke: () =>
          new Promise((resolve) => (release = () => resolve({ ok: true, portal: 'revoked' }))),
      }),
    );
    const running = model.run('revoke');
    expect(model.busy.value).toBe('revoke');
    release();
    await running;
    expect(model.busy.value).toBeNull();
  });

  it('tells the patient which port a mismatching pairing code was tried on', async () => {
    const model = createPopupModel(
      actions({ pair: async () => ({ ok: false, reason: 'code_mismatch', port: 47612 }) }),
    );
    await model.run('pair', { code: 'K7QM-3XPA' });
    expect(model.notice.value).toEqual({
      kind: 'error',
      key: 'pair_code_mismatch',
      detail: '47612',
    });
  });

  it('never says revoked when the portal revocation is still pending', async () => {
    const model = createPopupModel(
      actions({ revoke: async () => ({ ok: true, portal: 'pending' }) }),
    );
    await model.run('revoke');
    expect(model.notice.value?.key).toBe('revoke_pending');
  });

  it('explains that the extension is restarting when the background does not answer', async () => {
    const model = createPopupModel(
      actions({ consent: async () => Promise.reject(new Error('no receiver')) }),
    );
    await model.run('consent', { scopes: ['read:data'], allowReads: false });
    expect(model.notice.value).toEqual({ kind: 'error', key: 'error_background_unreachable' });
  });
});
