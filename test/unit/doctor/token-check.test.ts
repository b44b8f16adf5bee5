/** Link 6 without HOSPIAI_TOKEN: what the relays that proved themselves say about the token. */
import { describe, expect, it } from 'vitest';
import type { ProvenRelay } from '../../../relay/doctor/bridge-ports-check';
import { tellIn } from '../../../relay/doctor/doctor-text';
import { deliveredToken } from '../../../relay/doctor/token-check';

const tell = tellIn('en');
const relay = (port: number, state?: 'active' | 'none' | 'expired'): ProvenRelay => ({
  port,
  kind: 'relay',
  mcpClient: 'Cursor',
  token: state ? ({ state } as ProvenRelay['token']) : null,
});

describe('doctor: the token the extension delivers', () => {
  it('is ok as soon as one relay holds an active token, counting them', () => {
    const [finding] = deliveredToken([relay(1, 'active'), relay(2, 'none')], [], tell);
    expect(finding).toMatchObject({
      check: 'token',
      status: 'ok',
      detail: 'the extension delivered a token to 1 of 2 relay(s)',
    });
  });

  it('is broken (NO_TOKEN) when relays run but none holds a usable token, naming their states', () => {
    const [finding] = deliveredToken(
      [relay(1, 'expired'), relay(2), relay(3, 'expired')],
      [],
      tell,
    );
    expect(finding).toMatchObject({ status: 'broken', fix: expect.stringContaining('dashboard') });
    expect(finding!.detail).toBe('no relay holds a usable token (expired, unknown) — NO_TOKEN');
  });

  it('is skipped, not broken, while no relay runs, or while this user’s relay is not paired yet', () => {
    expect(deliveredToken([], [], tell)[0]).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/^no relay is running/),
    });
    expect(deliveredToken([], [47311], tell)[0]).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/^your relay is not paired yet/),
    });
  });
});
