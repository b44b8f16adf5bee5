import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPopupModel, type PopupActions } from '../../../extension/popup/popup-model';

const ok = async () => ({ ok: true as const });
const actions = (overrides: Partial<PopupActions> = {}): PopupActions => ({
  pair: async () => ({ ok: true, port: 47610 }),
  consent: ok,
  stopAndRevoke: async () => ({ ok: true, portal: 'revoked' }),
  pause: ok,
  resume: ok,
  openPortal: ok,
  startPairingCode: ok,
  cancelPairingCode: ok,
  confirmPairingCheck: ok,
  declinePairingCheck: ok,
  confirm: ok,
  dismissReceipt: ok,
  setReadPolicy: ok,
  capture: ok,
  ignoreCapture: ok,
  allowSignIn: ok,
  denySignIn: ok,
  signInPermission: ok,
  revokeSignIn: ok,
  ...overrides,
});

describe('popup model', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('marks an action busy while it runs', async () => {
    let release: () => void = () => {};
    const model = createPopupModel(
      actions({
        stopAndRevoke: () =>
          new Promise((resolve) => (release = () => resolve({ ok: true, portal: 'revoked' }))),
      }),
    );
    const running = model.run('stopAndRevoke');
    expect(model.busy.value).toBe('stopAndRevoke');
    release();
    await running;
    expect(model.busy.value).toBeNull();
  });

  it('says beside the pairing form how many tries a wrong typed code leaves, not which port', async () => {
    const model = createPopupModel(
      actions({
        pair: async () => ({ ok: false, reason: 'code_mismatch', port: 47612, triesLeft: 3 }),
      }),
    );
    await model.run('pair', { code: 'K7QM-3XPA' });
    expect(model.notice.value).toEqual({
      kind: 'error',
      key: 'pair_code_mismatch',
      detail: '3',
      besidePairForm: true,
    });
  });

  it('says beside the form that the assistant did not answer in time, not that the code is wrong', async () => {
    const model = createPopupModel(
      actions({ pair: async () => ({ ok: false, reason: 'relay_timeout', port: 47610 }) }),
    );
    await model.run('pair', { code: 'K7QM-3XPA' });
    expect(model.notice.value).toEqual({
      kind: 'error',
      key: 'pair_relay_timeout',
      besidePairForm: true,
    });
  });

  it('says an expired typed code beside the form, and a success at the top', async () => {
    const expired = createPopupModel(
      actions({ pair: async () => ({ ok: false, reason: 'no_pending_code', port: 47610 }) }),
    );
    await expired.run('pair', { code: 'K7QM-3XPA' });
    expect(expired.notice.value).toMatchObject({
      key: 'pair_no_pending_code',
      besidePairForm: true,
    });
    const paired = createPopupModel(actions());
    await paired.run('pair', { code: 'K7QM-3XPA' });
    // The form the patient typed in folds away: the focus goes to the news, not to the page's top.
    expect(paired.notice.value).toEqual({ kind: 'info', key: 'pair_done', focus: true });
  });

  it('never says revoked when the portal revocation is still pending', async () => {
    const model = createPopupModel(
      actions({ stopAndRevoke: async () => ({ ok: true, portal: 'pending' }) }),
    );
    await model.run('stopAndRevoke');
    expect(model.notice.value?.key).toBe('revoke_pending');
  });

  it('says that an assistant did not confirm the pause, and what to do', async () => {
    const model = createPopupModel(
      actions({ pause: async () => ({ ok: false, problem: 'pause_unconfirmed' }) }),
    );
    await model.run('pause');
    expect(model.notice.value).toEqual({ kind: 'error', key: 'error_pause_unconfirmed' });
  });

  it('explains that the extension is restarting when the background does not answer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = createPopupModel(
      actions({ consent: async () => Promise.reject(new Error('no receiver')) }),
    );
    await model.run('consent', { scopes: ['read:data'], allowReads: false });
    expect(model.notice.value).toEqual({ kind: 'error', key: 'error_background_unreachable' });
    expect(model.busy.value).toBeNull();
    // The console says which action failed and how, so that a failure can be told apart.
    expect(warn).toHaveBeenCalledWith('HospiAI: popup action consent failed: Error: no receiver');
  });

  it('never writes a token-shaped value to the console, whatever an action threw', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const token = 'hsp_live_0123456789abcdefghijklmnopqrstuvwxyzABCD';
    const model = createPopupModel(
      actions({
        pair: async () => {
          throw new TypeError(`bad answer for Bearer ${token} and code K7QM-4XZP`);
        },
      }),
    );
    await model.run('pair', { code: 'K7QM-4XZP' });
    expect(warn).toHaveBeenCalledOnce();
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toContain('popup action pair failed: TypeError: bad answer for Bearer [redacted]');
    expect(line).not.toContain(token);
    expect(line).not.toContain('K7QM-4XZP');
  });
});
