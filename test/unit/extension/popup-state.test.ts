import { describe, expect, it } from 'vitest';
import type { RelayView } from '../../../extension/bridge/relay-views';
import { buildPopupState, type PopupStateParts } from '../../../extension/state/popup-state';

/** This browser's pairing, as the key store describes it. */
const PAIRED = { pairedAt: '2025-03-01T09:00:00.000Z', verified: { by: 'typed_code' } } as const;

const relay = (port: number, state: RelayView['state'], name: string | null = null): RelayView => ({
  port,
  state,
  relayId: state === 'connected' ? 'abcdefabcdef' : null,
  client: name ? { name, version: '1' } : null,
  relayToken: state === 'connected' ? 'active' : null,
});

const base: PopupStateParts = {
  portalOrigin: 'http://127.0.0.1:47600',
  login: { state: 'logged_in', patientId: 'pat_1', patientName: 'Camille Durand' },
  consent: {
    status: 'granted',
    scopes: ['read:data'],
    at: '2025-03-01T10:00:00.000Z',
    via: 'dashboard',
    patientId: 'pat_1',
  },
  paused: false,
  offeredScopes: ['read:data', 'write:data', 'book:appointments'],
  token: null,
  renewing: false,
  pairing: PAIRED,
  bridgeEnabled: true,
  relays: [relay(47610, 'connected', 'Claude Desktop'), relay(47611, 'absent')],
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

const TOKEN = {
  token: 'header.payload.signature',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2025-03-02T10:00:00.000Z',
  createdAt: '2025-03-01T10:00:00.000Z',
  patientId: 'pat_1',
} as const satisfies PopupStateParts['token'];

const codes = (parts: Partial<PopupStateParts>) =>
  buildPopupState({ ...base, ...parts }).problems.map((p) =>
    p.port ? `${p.code}:${p.port}` : p.code,
  );

describe('popup state', () => {
  it('shows no problem when logged in, consented, paired and connected', () => {
    expect(codes({})).toEqual([]);
  });

  it('asks a fresh install for login state, consent and pairing', () => {
    expect(
      codes({
        login: { state: 'unknown', patientId: null, patientName: null },
        consent: null,
        pairing: null,
        relays: [],
      }),
    ).toEqual(['consent_needed', 'not_paired']);
  });

  it('says to log into HospiAI when the session ended', () => {
    expect(codes({ login: { state: 'logged_out', patientId: null, patientName: null } })).toEqual([
      'login_needed',
    ]);
  });

  it('names the port of a program that is not the patient’s relay', () => {
    expect(
      codes({ relays: [relay(47610, 'connected', 'Claude Desktop'), relay(47612, 'untrusted')] }),
    ).toEqual(['relay_untrusted:47612']);
  });

  it('lists only the relays that answered, with their AI client', () => {
    const state = buildPopupState(base);
    expect(state.relays.map((r) => [r.port, r.client?.name])).toEqual([[47610, 'Claude Desktop']]);
  });

  it('says no AI assistant is running when paired but nothing answers', () => {
    expect(codes({ relays: [relay(47610, 'absent')] })).toEqual(['no_relay']);
  });

  it('never puts the token itself in the popup’s state', () => {
    const state = buildPopupState({
      ...base,
      token: {
        token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.c2VjcmV0LXNpZ25hdHVyZQ',
        tokenId: 'tok_1',
        source: 'auto',
        scopes: ['read:data'],
        expiresAt: '2025-03-02T10:00:00.000Z',
        createdAt: '2025-03-01T10:00:00.000Z',
        patientId: 'pat_1',
      },
    });
    expect(state.token).toEqual({
      source: 'auto',
      scopes: ['read:data'],
      expiresAt: '2025-03-02T10:00:00.000Z',
    });
    expect(JSON.stringify(state)).not.toContain('eyJ');
  });

  it('adds what went wrong while acting, once', () => {
    expect(
      codes({
        token: TOKEN,
        incidents: [{ code: 'renewal_needs_portal' }, { code: 'portal_revocation_pending' }],
      }),
    ).toEqual(['renewal_needs_portal', 'portal_revocation_pending']);
  });

  it('never talks of renewal without a token (consent given before logging in)', () => {
    const loggedOut = { state: 'logged_out', patientId: null, patientName: null } as const;
    expect(
      codes({ login: loggedOut, pairing: null, incidents: [{ code: 'renewal_needs_portal' }] }),
    ).toEqual(['login_needed', 'not_paired']);
  });

  it('keeps nothing about provisioning once consent is withdrawn', () => {
    const withdrawn = { ...base.consent!, status: 'withdrawn' } as const;
    expect(
      codes({
        consent: withdrawn,
        incidents: [{ code: 'provision_failed' }, { code: 'renewal_needs_portal' }],
      }),
    ).toEqual(['consent_needed']);
  });

  it('a fresh install, logged out, is asked to log in by the checklist, not told to reconnect', () => {
    const loggedOut = { state: 'logged_out', patientId: null, patientName: null } as const;
    expect(codes({ login: loggedOut, consent: null, pairing: null })).toEqual([
      'consent_needed',
      'not_paired',
    ]);
  });

  it('while a token works, being logged out is only a matter of renewing it', () => {
    const loggedOut = { state: 'logged_out', patientId: null, patientName: null } as const;
    expect(codes({ login: loggedOut, token: TOKEN })).toEqual([]);
  });

  it('after a revoke, tells the patient how to reconnect rather than asking for consent anew', () => {
    const state = buildPopupState({ ...base, paused: true });
    expect(state.consent.status).toBe('paused');
    expect(state.problems.map((p) => p.code)).toEqual(['access_revoked']);
  });
});

describe('outside text in the popup', () => {
  it('shows what an AI client calls itself on one line, bounded, without controls or bidi overrides', () => {
    const hostile = `Claude\n\u202eAPPROVE ALL\u0007${'x'.repeat(500)}`;
    const state = buildPopupState({
      ...base,
      relays: [relay(47610, 'connected', hostile)],
      audit: [
        {
          at: '2025-03-01T10:00:00.000Z',
          client: hostile,
          tool: 'get_appointments',
          scopes: ['read:data'],
          resourceIds: ['apt\n1'],
          outcome: 'ok',
          durationMs: 3,
        },
      ],
      confirmations: [
        {
          id: 'abcdefabcdef',
          client: hostile,
          expiresAt: '2025-03-01T10:02:00.000Z',
          request: {
            type: 'confirmation_request',
            id: 'abcdefabcdef',
            action: 'book_appointment',
            summary: {
              doctor: `Dr X\n\u202eOK`,
              date: '2030-01-01',
              time: '10:00',
              reason: 'r\nr',
            },
            expiresAt: '2025-03-01T10:02:00.000Z',
          },
        },
      ],
    });
    const shown = [
      state.relays[0]?.client?.name,
      state.audit[0]?.client,
      state.audit[0]?.resourceIds[0],
      state.confirmations[0]?.client,
      JSON.stringify(state.confirmations[0]?.request),
    ];
    for (const text of shown) {
      expect(text).toBeDefined();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
      expect(text).not.toMatch(/[\n\u0007\u202e]/);
    }
    expect(state.relays[0]?.client?.name.length).toBeLessThanOrEqual(80);
    expect(state.relays[0]?.client?.name).toMatch(/^Claude APPROVE ALL\?x+…$/);
  });
});

describe('a remote server’s sign-in request in the popup', () => {
  it('shows the server’s account of a hostile client name as one flat line, and the token list without secrets', () => {
    const state = buildPopupState({
      ...base,
      signInRequest: {
        server: 'https://mcp.hospital.example',
        request: '6f1c0a9e-3b7d-4c2e-9a51-0d8e7f6a5b4c',
        status: 'ready',
        problem: null,
        view: {
          server: 'https://mcp.hospital.example',
          client: {
            name: 'Claude\u202e\n(verified by anthropic.com)\u0007',
            verifiedHost: null,
            redirectHost: 'evil.example',
          },
          scopes: ['read:data'],
          ticked: ['read:data'],
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
      },
      signInTokens: [
        {
          tokenId: 'tok_9',
          name: 'HospiAI — Claude via mcp.hospital.example',
          server: 'https://mcp.hospital.example',
          client: 'Claude',
          scopes: ['read:data'],
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
      ],
    });
    expect(state.signInRequest?.client?.name).toBe('Claude (verified by anthropic.com)?');
    expect(state.signInRequest?.serverHost).toBe('mcp.hospital.example');
    // The request's id (no secret: the portal page's own link carries it, and delivering to it
    // takes that server's cookie in the patient's browser) lets Allow name what was shown.
    expect(state.signInRequest?.request).toBe('6f1c0a9e-3b7d-4c2e-9a51-0d8e7f6a5b4c');
    expect(state.signInTokens).toEqual([
      {
        tokenId: 'tok_9',
        name: 'HospiAI — Claude via mcp.hospital.example',
        serverHost: 'mcp.hospital.example',
        expiresAt: '2030-01-01T00:00:00.000Z',
      },
    ]);
  });
});
