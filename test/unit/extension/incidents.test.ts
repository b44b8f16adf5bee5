import { describe, expect, it } from 'vitest';
import { Incidents } from '../../../extension/background/incidents';

describe('incidents shown in the popup', () => {
  it('asks once for a portal tab when renewal needs one, and forgets it on success', () => {
    const incidents = new Incidents();
    expect(incidents.noteResult({ ok: false, failure: 'no_portal_tab' }, 'provision_failed')).toBe(
      true,
    );
    expect(incidents.noteResult({ ok: false, failure: 'no_portal_tab' }, 'provision_failed')).toBe(
      false,
    );
    expect(incidents.list()).toEqual([{ code: 'renewal_needs_portal' }]);
    const token = {
      token: 'a.b.c',
      tokenId: 'tok_1',
      source: 'auto' as const,
      scopes: ['read:data'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      createdAt: '2025-01-01T00:00:00.000Z',
      patientId: 'pat_1',
    };
    incidents.noteResult({ ok: true, token }, 'provision_failed');
    expect(incidents.list()).toEqual([]);
  });

  it('reports a portal failure, but not what the state already explains (logged out, no consent)', () => {
    const incidents = new Incidents();
    incidents.noteResult({ ok: false, failure: 'logged_out' }, 'provision_failed');
    incidents.noteResult({ ok: false, failure: 'paused' }, 'provision_failed');
    expect(incidents.list()).toEqual([]);
    incidents.noteResult({ ok: false, failure: 'wrong_patient' }, 'capture_rejected');
    expect(incidents.list()).toEqual([{ code: 'capture_rejected' }]);
  });
});
