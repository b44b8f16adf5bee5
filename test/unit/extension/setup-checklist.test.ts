import { describe, expect, it } from 'vitest';
import type { RelayView } from '../../../extension/bridge/relay-views';
import { assistantStatus, setupChecklist } from '../../../extension/popup/setup-checklist';
import { buildPopupState, type PopupStateParts } from '../../../extension/state/popup-state';

/** This browser's pairing, as the key store describes it. */
const PAIRED = { pairedAt: '2025-03-01T09:00:00.000Z', verified: { by: 'typed_code' } } as const;

const connected = (name: string, token: RelayView['relayToken'] = 'active'): RelayView => ({
  port: 47610,
  state: 'connected',
  relayId: 'abcdefabcdef',
  client: { name, version: '1' },
  relayToken: token,
});

const TOKEN = {
  token: 'header.payload.signature',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2030-03-02T10:00:00.000Z',
  createdAt: '2030-03-01T10:00:00.000Z',
  patientId: 'pat_1',
} as const satisfies PopupStateParts['token'];

const GRANTED = {
  status: 'granted',
  scopes: ['read:data'],
  at: '2030-03-01T10:00:00.000Z',
  via: 'popup',
  patientId: 'pat_1',
} as const satisfies PopupStateParts['consent'];

/** A fresh install: nobody logged in (as far as the extension knows), no consent, not paired. */
const fresh: PopupStateParts = {
  portalOrigin: 'http://127.0.0.1:47600',
  login: { state: 'unknown', patientId: null, patientName: null },
  consent: null,
  paused: false,
  offeredScopes: ['read:data', 'book:appointments'],
  token: null,
  renewing: false,
  pairing: null,
  bridgeEnabled: true,
  relays: [],
  audit: [],
  incidents: [],
  confirmations: [],
  readPolicy: {
    get_appointments: 'ask',
    get_medical_records: 'ask',
    find_doctors: 'ask',
    get_available_slots: 'ask',
  },
};
const loggedIn = { state: 'logged_in', patientId: 'pat_1', patientName: 'Camille' } as const;

const checklistOf = (parts: Partial<PopupStateParts>) => {
  const checklist = setupChecklist(buildPopupState({ ...fresh, ...parts }));
  return {
    ...checklist,
    statuses: checklist.steps.map((step) => `${step.id}:${step.status}`),
  };
};

describe('the popup checklist', () => {
  it('starts a fresh install at logging in, the one next action', () => {
    const checklist = checklistOf({});
    expect(checklist.statuses).toEqual(['login:current', 'allow:todo', 'connect:todo']);
    expect(checklist.next).toBe('login');
    expect(checklist.ready).toBe(false);
  });

  it('moves to allowing once logged in, then to connecting once allowed', () => {
    expect(checklistOf({ login: loggedIn }).statuses).toEqual([
      'login:done',
      'allow:current',
      'connect:todo',
    ]);
    expect(checklistOf({ login: loggedIn }).next).toBe('allow');
    const allowed = checklistOf({ login: loggedIn, consent: GRANTED, token: TOKEN });
    expect(allowed.statuses).toEqual(['login:done', 'allow:done', 'connect:current']);
    expect(allowed.next).toBe('connect');
    expect(allowed.steps[2]?.problem).toBe('not_paired');
  });

  it('is ready only when all three are done and there is access to hand over', () => {
    const all = {
      login: loggedIn,
      consent: GRANTED,
      pairing: PAIRED,
      relays: [connected('Cursor')],
    };
    expect(checklistOf({ ...all, token: TOKEN }).ready).toBe(true);
    expect(checklistOf({ ...all, token: TOKEN }).next).toBeNull();
    expect(checklistOf(all).ready).toBe(false);
  });

  it('keeps logging in as the current step when consent came first', () => {
    const checklist = checklistOf({ consent: GRANTED });
    expect(checklist.statuses).toEqual(['login:current', 'allow:done', 'connect:todo']);
    expect(checklist.next).toBe('login');
  });

  it('offers Resume as the next action while paused, and never Connect', () => {
    const paused = checklistOf({
      login: loggedIn,
      consent: GRANTED,
      token: TOKEN,
      pairing: PAIRED,
      bridgeEnabled: false,
    });
    expect(paused.current).toBe('connect');
    expect(paused.next).toBe('resume');
    expect(paused.steps[2]?.problem).toBe('bridge_disabled');
  });

  it('needs no button while a code on screen waits for the assistant', () => {
    const waiting = checklistOf({
      login: loggedIn,
      consent: GRANTED,
      token: TOKEN,
      pendingPairing: {
        code: 'K7QM-2XD9',
        expiresAt: '2030-03-01T10:10:00.000Z',
        status: 'waiting',
        refusedPort: null,
        candidate: null,
      },
    });
    expect(waiting.current).toBe('connect');
    expect(waiting.next).toBeNull();
  });

  it('puts a token the patient just made by hand first', () => {
    const offer = { tokenId: 'tok_2', scopes: ['read:data'], expiresAt: '2030-03-02T00:00:00Z' };
    expect(checklistOf({ login: loggedIn, captureOffer: offer }).next).toBe('capture');
  });

  it('asks to allow again after the patient stopped access, saying so', () => {
    const stopped = checklistOf({ login: loggedIn, consent: GRANTED, paused: true });
    expect(stopped.current).toBe('allow');
    expect(stopped.steps[1]?.problem).toBe('access_revoked');
  });
});

describe('the assistants in plain words', () => {
  const statusOf = (parts: Partial<PopupStateParts>) =>
    assistantStatus(buildPopupState({ ...fresh, ...parts }));

  it('names the connected assistants and says whether they can reach HospiAI', () => {
    expect(statusOf({ pairing: PAIRED, relays: [connected('Claude Desktop')] })).toEqual({
      kind: 'connected',
      names: ['Claude Desktop'],
      withAccess: true,
    });
    expect(statusOf({ pairing: PAIRED, relays: [connected('Cursor', 'none')] })).toMatchObject({
      withAccess: false,
    });
  });

  it('names a well-known assistant as patients know it, not by its protocol id', () => {
    expect(statusOf({ pairing: PAIRED, relays: [connected('claude-ai')] })).toMatchObject({
      names: ['Claude'],
    });
  });

  it('waits for the assistant when paired and none is open, and says paused when paused', () => {
    expect(statusOf({ pairing: PAIRED })).toEqual({ kind: 'waiting' });
    expect(statusOf({ pairing: PAIRED, bridgeEnabled: false })).toEqual({ kind: 'paused' });
    expect(statusOf({})).toEqual({ kind: 'none' });
  });
});
