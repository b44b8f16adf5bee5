import { describe, expect, it } from 'vitest';
import { translator } from '../../../relay/i18n/messages';
import { silentLogger } from '../../../relay/logger';
import { PortalClient } from '../../../relay/portal/portal-client';
import { type PortalPath, portalPath, UnsafePathError } from '../../../relay/portal/portal-path';
import { AppointmentId, DoctorId } from '../../../relay/protocol/ids';
import { HOSTILE_IDS } from '../../support/hostile-inputs';

describe('ids from the model', () => {
  it('accept the portal’s own ids', () => {
    for (const id of ['doc_5d1c7a20', 'apt_c1a4', '3f1c2d4e-9b8a-4c7d-8e6f-0a1b2c3d4e5f', 'x']) {
      expect(DoctorId.safeParse(id).success, id).toBe(true);
      expect(AppointmentId.safeParse(id).success, id).toBe(true);
    }
  });

  it('refuse every traversal and encoding trick', () => {
    for (const id of HOSTILE_IDS) {
      expect(DoctorId.safeParse(id).success, JSON.stringify(id)).toBe(false);
      expect(AppointmentId.safeParse(id).success, JSON.stringify(id)).toBe(false);
    }
  });
});

describe('portalPath', () => {
  it('builds a path from fixed words and validated ids', () => {
    expect(portalPath`/doctors/${'doc_5d1c7a20'}/slots`).toBe('/doctors/doc_5d1c7a20/slots');
    expect(portalPath`/appointments`).toBe('/appointments');
  });

  it('throws on any id that is not a portal id, before a request exists', () => {
    for (const id of HOSTILE_IDS) {
      expect(() => portalPath`/appointments/${id}/cancel`, JSON.stringify(id)).toThrow(
        UnsafePathError,
      );
    }
  });

  it('throws when an id would not be a whole segment', () => {
    expect(() => portalPath`/doctors/x${'doc_1'}`).toThrow(UnsafePathError);
    expect(() => portalPath`/doctors/${'doc_1'}x/slots`).toThrow(UnsafePathError);
  });
});

describe('the portal client', () => {
  it('refuses a path that URL resolution would change, without sending anything', async () => {
    let sent = 0;
    const client = new PortalClient({
      baseUrl: 'http://127.0.0.1:9',
      t: translator('en'),
      logger: silentLogger,
      transport: {
        send: async () => {
          sent++;
          return { status: 200, headers: {}, body: '{}' };
        },
        close: () => {},
      },
    });
    for (const path of ['/doctors/../validate', '/doctors/%2e%2e/validate', '/./validate']) {
      await expect(
        client.call({
          method: 'GET',
          // Forged on purpose: only portalPath makes a PortalPath.
          path: path as PortalPath,
          token: 't',
          schema: DoctorId,
        }),
      ).rejects.toThrow(UnsafePathError);
    }
    expect(sent).toBe(0);
  });

  it('keeps a portal served under a path prefix: calls go below it, and cannot leave it', async () => {
    const urls: string[] = [];
    const client = new PortalClient({
      baseUrl: 'http://127.0.0.1:9/portal/',
      t: translator('en'),
      logger: silentLogger,
      transport: {
        send: async ({ url }) => {
          urls.push(url.href);
          return { status: 200, headers: {}, body: '"doc_1"' };
        },
        close: () => {},
      },
    });
    await expect(
      client.call({ method: 'GET', path: portalPath`/doctors`, token: 't', schema: DoctorId }),
    ).resolves.toBe('doc_1');
    await expect(
      client.call({
        method: 'GET',
        path: '/../validate' as PortalPath,
        token: 't',
        schema: DoctorId,
      }),
    ).rejects.toThrow(UnsafePathError);
    expect(urls).toEqual(['http://127.0.0.1:9/portal/api/mcp/doctors']);
  });
});
