/**
 * The rules of a confirmation asked through an input-required result (2026-07-28), where they
 * live: a state counts once, for its patient and its question, while it lasts; a client that
 * shows no form is never asked through one.
 */
import { describe, expect, it } from 'vitest';
import { InputNeeded } from '../../../relay/confirm/input-needed';
import type { ToConfirm } from '../../../relay/confirm/patient-confirmation';
import { translator } from '../../../relay/i18n/messages';
import {
  createInputRequiredConfirmer,
  createQuestionStates,
  createSpentStates,
  QUESTION_TTL_SECONDS,
} from '../../../relay/remote/input-required-confirmer';
import { type InputRound, requestScope } from '../../../relay/remote/request-scope';

const BOOKING = {
  kind: 'write',
  action: 'book_appointment',
  summary: { doctor: 'Dr. Martin', date: '2026-12-08', time: '09:00' },
  message: 'Book an appointment with Dr. Martin on 8 December at 09:00?',
} satisfies ToConfirm;
const bearerOf = (patientId: string) => ({
  token: 'not-a-real-token',
  patientId,
  tokenId: `tok_${patientId}`,
  scopes: ['read:data', 'book:appointments'],
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
});
const YES = { confirm: { action: 'accept', content: { confirm: true } } };

function asker() {
  const states = createQuestionStates();
  const confirmer = createInputRequiredConfirmer({ t: translator('en'), states });
  /** Asks as `patient` in a request carrying `round`: the answer, or the question put. */
  return async (patient: string, round: Partial<InputRound>, question: ToConfirm = BOOKING) => {
    const scope = {
      bearer: bearerOf(patient),
      rpcId: 1,
      round: { canShowForms: true, inputResponses: null, requestState: null, ...round },
    };
    try {
      return await requestScope.run(scope, () => confirmer.confirm(question));
    } catch (error) {
      if (error instanceof InputNeeded) return error.result;
      throw error;
    }
  };
}

describe('confirming through input-required results', () => {
  it('asks with a form and a signed state, and takes the yes that comes back with it once', async () => {
    const ask = asker();
    const asked = (await ask('pat_a', {})) as unknown as {
      resultType: string;
      requestState: string;
    };
    expect(asked.resultType).toBe('input_required');
    const round = { inputResponses: YES, requestState: asked.requestState };
    expect(await ask('pat_a', round)).toEqual({ outcome: 'approved', id: null });
    expect(await ask('pat_a', round)).toMatchObject({ resultType: 'input_required' });
  });

  it('takes a no as declined, and asks again for another patient or another question', async () => {
    const ask = asker();
    const { requestState } = (await ask('pat_a', {})) as unknown as { requestState: string };
    const other = { ...BOOKING, summary: { ...BOOKING.summary, time: '10:00' } } as ToConfirm;
    const yes = { inputResponses: YES, requestState };
    expect(await ask('pat_b', yes)).toMatchObject({ resultType: 'input_required' });
    expect(await ask('pat_a', yes, other)).toMatchObject({ resultType: 'input_required' });
    expect(
      await ask('pat_a', { inputResponses: { confirm: { action: 'decline' } }, requestState }),
    ).toEqual({ outcome: 'declined', id: null });
  });

  it('a client that shows no form is not asked through one', async () => {
    expect(await asker()('pat_a', { canShowForms: false })).toEqual({
      outcome: 'unsupported',
      id: null,
    });
  });
});

describe('spent states', () => {
  it('are spent once while they last, and forgotten after', () => {
    let now = 0;
    const spent = createSpentStates(QUESTION_TTL_SECONDS, () => now);
    expect(spent.spend('n1')).toBe(true);
    expect(spent.spend('n1')).toBe(false);
    now += QUESTION_TTL_SECONDS * 1000 + 1;
    // By then the state itself has expired (the codec refuses it): spending is moot but allowed.
    expect(spent.spend('n1')).toBe(true);
  });
});
