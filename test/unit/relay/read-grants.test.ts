/**
 * "Allow this for this conversation" / "for one hour": the patient was asked about one read, and
 * the grant covers that read only — "read your appointments" never opens the medical records.
 * Once each read of a booking was allowed, the next booking needs one approval, the booking
 * itself. Grants are the patient's, run out on the clock, are wiped when the patient withdraws
 * access, and never cover a write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_GRANT_HOUR_MS, ReadPolicyStore } from '../../../relay/confirm/read-policy';
import { READ_TOOLS, type RelaySessionFrame } from '../../../relay/protocol/protocol';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { errorCode, fakeExtensionLink, startInMemoryRelay } from '../../support/in-memory-relay';

const ASK_ALL = Object.fromEntries(READ_TOOLS.map((tool) => [tool, 'ask' as const]));

describe('the relay’s read grants', () => {
  const policy = (now: () => number) => {
    const store = new ReadPolicyStore(now);
    store.set({ type: 'policy', reads: ASK_ALL });
    return store;
  };

  it('a conversation grant lets that read of that patient run unasked — no other read, no other patient', () => {
    const store = policy(() => 0);
    store.grant('conversation', 'pat_1', 'get_appointments');
    expect(store.requiresConfirmation('get_appointments', 'pat_1')).toBe(false);
    for (const tool of READ_TOOLS.filter((read) => read !== 'get_appointments')) {
      expect(store.requiresConfirmation(tool, 'pat_1'), tool).toBe(true);
    }
    expect(store.requiresConfirmation('get_appointments', 'pat_2')).toBe(true);
    // Writes are not reads: the read policy never lets them through (they always ask).
    expect(store.requiresConfirmation('book_appointment', 'pat_1')).toBe(false);
  });

  it('an hour grant ends on the clock', () => {
    let now = 1_000;
    const store = policy(() => now);
    store.grant('hour', 'pat_1', 'get_appointments');
    now += READ_GRANT_HOUR_MS - 1;
    expect(store.requiresConfirmation('get_appointments', 'pat_1')).toBe(false);
    now += 1;
    expect(store.requiresConfirmation('get_appointments', 'pat_1')).toBe(true);
  });

  it('withdrawing access wipes every grant', () => {
    const store = policy(() => 0);
    store.grant('conversation', 'pat_1', 'get_appointments');
    store.grant('hour', 'pat_2', 'get_appointments');
    store.clearGrants();
    expect(store.requiresConfirmation('get_appointments', 'pat_1')).toBe(true);
    expect(store.requiresConfirmation('get_appointments', 'pat_2')).toBe(true);
  });
});

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

const tokenFor = async (email: string) =>
  (await portal.issueToken({ email, scopes: ['read:data', 'book:appointments'] })).token;

/** A relay whose AI client cannot elicit: the extension (here a fake) asks the patient. */
async function relayAskingTheExtension(answer: (frame: RelaySessionFrame) => [string, string?]) {
  const extension = fakeExtensionLink();
  const r = await startInMemoryRelay({
    portalUrl: portal.url,
    extension: extension.link,
    reads: ASK_ALL,
    withVault: () => {},
  });
  r.vault.setFromExtension({ token: await tokenFor(DEMO_PATIENTS[0]!.email) });
  extension.onFrame((frame) => {
    if (frame.type !== 'read_approval_request' && frame.type !== 'confirmation_request') return;
    const [decision, grant] = answer(frame);
    setTimeout(
      () =>
        r.relay.confirmer.settle(
          frame.id,
          decision as 'approve' | 'decline',
          grant as 'conversation' | 'hour' | undefined,
        ),
      5,
    );
  });
  const asked = () =>
    extension.sent.filter(
      (f) => f.type === 'read_approval_request' || f.type === 'confirmation_request',
    );
  return { r, extension, asked };
}

async function bookThroughTheTools(r: Awaited<ReturnType<typeof startInMemoryRelay>>) {
  const { doctors } = (await r.call('find_doctors', { name: 'Martin' })).structuredContent as {
    doctors: { id: string }[];
  };
  const doctorId = doctors[0]!.id;
  const from = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  const { slots } = (await r.call('get_available_slots', { doctorId, date: from, days: 14 }))
    .structuredContent as { slots: { date: string; time: string }[] };
  const slot = slots.at(-2)!;
  return r.call('book_appointment', { doctorId, ...slot, reason: 'Bilan' });
}

describe('grants in the extension’s card', () => {
  it('“Allow this for one hour” about the appointments does not open the medical records', async () => {
    const { r, asked } = await relayAskingTheExtension((frame) =>
      frame.type === 'read_approval_request' ? ['approve', 'hour'] : ['approve'],
    );
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(asked()).toHaveLength(1);
    expect(errorCode(await r.call('get_medical_records'))).toBeNull();
    expect(asked().map((f) => (f.type === 'read_approval_request' ? f.tool : f.type))).toEqual([
      'get_appointments',
      'get_medical_records',
    ]);
    await r.close();
  });

  it('once each read of a booking was allowed for the conversation, the next booking needs one approval', async () => {
    const { r, asked } = await relayAskingTheExtension((frame) =>
      frame.type === 'read_approval_request' ? ['approve', 'conversation'] : ['approve'],
    );
    expect(errorCode(await bookThroughTheTools(r))).toBeNull();
    const before = asked().length;
    const booked = await bookThroughTheTools(r);
    expect(errorCode(booked), JSON.stringify(booked.content)).toBeNull();
    expect(
      asked()
        .slice(before)
        .map((f) => f.type),
    ).toEqual(['confirmation_request']);
    await r.close();
  });

  it('without a grant, asks before each read (three approvals for one booking)', async () => {
    const { r, asked } = await relayAskingTheExtension(() => ['approve']);
    expect(errorCode(await bookThroughTheTools(r))).toBeNull();
    expect(asked().map((f) => f.type)).toEqual([
      'read_approval_request',
      'read_approval_request',
      'confirmation_request',
    ]);
    await r.close();
  });

  it('a grant sent with a write’s answer allows nothing onward', async () => {
    const { r, asked } = await relayAskingTheExtension((frame) =>
      frame.type === 'read_approval_request' ? ['approve'] : ['approve', 'conversation'],
    );
    expect(errorCode(await bookThroughTheTools(r))).toBeNull();
    const before = asked().length;
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(asked().length).toBe(before + 1);
    await r.close();
  });

  it('is asked again after the patient withdrew access and reconnected', async () => {
    const { r, asked } = await relayAskingTheExtension(() => ['approve', 'conversation']);
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(asked()).toHaveLength(1);
    r.relay.extensionFrames.revoke?.(
      { type: 'revoke', reason: 'consent_withdrawn' },
      { pairingId: 'pairing-1' },
    );
    expect(errorCode(await r.call('get_appointments'))).toBe('TOKEN_REVOKED');
    r.vault.setFromExtension({ token: await tokenFor(DEMO_PATIENTS[0]!.email) });
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(asked()).toHaveLength(2);
    await r.close();
  });

  it('does not carry over to another patient’s token', async () => {
    const { r, asked } = await relayAskingTheExtension(() => ['approve', 'hour']);
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    r.vault.setFromExtension({ token: await tokenFor(DEMO_PATIENTS[1]!.email) });
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(asked()).toHaveLength(2);
    await r.close();
  });
});

describe('read grants in the AI client’s own form (elicitation)', () => {
  it('offers once / this conversation / one hour / refuse in words, and honours “this conversation” for that read only', async () => {
    const r = await startInMemoryRelay({
      portalUrl: portal.url,
      token: await tokenFor(DEMO_PATIENTS[0]!.email),
      reads: ASK_ALL,
      lang: 'fr',
      elicit: () => ({
        action: 'accept',
        content: { allow: 'Autoriser ceci pour cette conversation (ceci seulement)' },
      }),
    });
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(r.elicitations).toHaveLength(1);
    expect(errorCode(await r.call('get_medical_records'))).toBeNull();
    expect(r.elicitations).toHaveLength(2);
    const asked = r.elicitations[0] as { requestedSchema: { properties: Record<string, unknown> } };
    expect(asked.requestedSchema.properties.allow).toEqual({
      type: 'string',
      title: 'Votre réponse',
      enum: [
        'Autoriser cette fois',
        'Autoriser ceci pour cette conversation (ceci seulement)',
        'Autoriser ceci pendant une heure (ceci seulement)',
        'Refuser',
      ],
      default: 'Autoriser cette fois',
    });
    await r.close();
  });

  it('“once” allows this read only, and “refuse” reads nothing', async () => {
    const answers = ['Allow this once', 'Refuse'];
    const r = await startInMemoryRelay({
      portalUrl: portal.url,
      token: await tokenFor(DEMO_PATIENTS[0]!.email),
      reads: ASK_ALL,
      elicit: () => ({ action: 'accept', content: { allow: answers.shift() ?? 'Refuse' } }),
    });
    expect(errorCode(await r.call('get_appointments'))).toBeNull();
    expect(errorCode(await r.call('get_appointments'))).toBe('NOT_CONFIRMED');
    expect(r.elicitations).toHaveLength(2);
    await r.close();
  });
});
