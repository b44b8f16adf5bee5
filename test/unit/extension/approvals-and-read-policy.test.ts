import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PendingConfirmations } from '../../../extension/confirmations/pending-confirmations';
import {
  effectiveReadPolicy,
  policyFrameOf,
  readPolicyStore,
  uniformReadPolicy,
} from '../../../extension/consent/read-policy';
import { ExtensionSessionFrame } from '../../../relay/protocol/protocol';

const NOW = Date.parse('2025-03-01T10:00:00Z');
const readRequest = (id: string, inMs: number) => ({
  type: 'read_approval_request' as const,
  id,
  tool: 'get_appointments' as const,
  expiresAt: new Date(NOW + inMs).toISOString(),
});

describe('read policy', () => {
  beforeEach(() => fakeBrowser.reset());

  it('asks before every read the patient did not allow', async () => {
    expect(effectiveReadPolicy(await readPolicyStore.get())).toEqual({
      get_appointments: 'ask',
      get_medical_records: 'ask',
      find_doctors: 'ask',
      get_available_slots: 'ask',
    });
    expect(effectiveReadPolicy({ find_doctors: 'allow' }).find_doctors).toBe('allow');
  });

  it('becomes a policy frame the relay accepts', () => {
    const frame = policyFrameOf(uniformReadPolicy('allow'));
    expect(ExtensionSessionFrame.safeParse(frame).success).toBe(true);
    expect(Object.values(frame.reads)).toEqual(['allow', 'allow', 'allow', 'allow']);
  });

  it('ignores a stored policy that is not one', async () => {
    await fakeBrowser.storage.local.set({ readPolicy: { get_appointments: 'always' } });
    expect(await readPolicyStore.get()).toEqual({});
  });
});

describe('pending confirmations', () => {
  it('answers a request once, to the relay that asked', () => {
    const pending = new PendingConfirmations(() => NOW);
    pending.add(47610, readRequest('aaaaaaaaaaaa', 60_000), 'Claude Desktop');
    expect(pending.list().map((a) => [a.id, a.client])).toEqual([
      ['aaaaaaaaaaaa', 'Claude Desktop'],
    ]);
    expect(pending.settle('aaaaaaaaaaaa')).toEqual({
      port: 47610,
      request: readRequest('aaaaaaaaaaaa', 60_000),
    });
    expect(pending.settle('aaaaaaaaaaaa')).toBeNull();
    expect(pending.list()).toEqual([]);
  });

  it('forgets expired requests: a late yes does not count', () => {
    let now = NOW;
    const pending = new PendingConfirmations(() => now);
    pending.add(47610, readRequest('bbbbbbbbbbbb', 1_000), null);
    now += 1_000;
    expect(pending.settle('bbbbbbbbbbbb')).toBeNull();
    pending.add(47610, readRequest('cccccccccccc', 1_000), null);
    now += 5_000;
    expect(pending.list()).toEqual([]);
  });

  it('names the requests whose time ran out, once, so their notifications can go', () => {
    let now = NOW;
    const pending = new PendingConfirmations(() => now);
    pending.add(47610, readRequest('dddddddddddd', 3_000), null);
    pending.add(47611, readRequest('eeeeeeeeeeee', 60_000), 'Cursor');
    expect(pending.dropExpired()).toEqual([]);
    now += 3_000;
    expect(pending.dropExpired()).toEqual(['dddddddddddd']);
    expect(pending.dropExpired()).toEqual([]);
    expect(pending.list().map((a) => a.id)).toEqual(['eeeeeeeeeeee']);
  });
});
