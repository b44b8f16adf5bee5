/**
 * The rules of a confirmation asked through an input-required result (2026-07-28), where they
 * live: a state counts once, for its patient and its question, while it lasts; a client that
 * shows no form is never asked through one.
 */
import { describe, expect, it } from 'vitest';
import { InputNeeded } from '../../../relay/confirm/input-needed';
import type { ToConfirm } from '../../../relay/confirm/patient-confirmation';
import { translator } from '../../../relay/i18n/messages';
import type { ConfirmationPage } from '../../../relay/remote/elicitation-confirmer';
import {
  createInputRequiredConfirmer,
  createPageQuestions,
  createQuestionStates,
  createSpentStates,
  QUESTION_TTL_SECONDS,
} from '../../../relay/remote/input-required-confirmer';
import { type InputRound, requestScope } from '../../../relay/remote/request-scope';
import { createMemoryStateStore } from '../../../relay/remote/state/state-store';

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

function asker(confirmationPage?: ConfirmationPage) {
  const states = createQuestionStates(createMemoryStateStore());
  const confirmer = createInputRequiredConfirmer({
    t: translator('en'),
    states,
    pageTimeoutMs: 1_000,
    confirmationPage,
  });
  /** Asks as `patient` in a request carrying `round`: the answer, or the question put. */
  return async (patient: string, round: Partial<InputRound>, question: ToConfirm = BOOKING) => {
    const scope = {
      bearer: bearerOf(patient),
      rpcId: 1,
      round: {
        canShowForms: true,
        canOpenUrls: false,
        inputResponses: null,
        requestState: null,
        ...round,
      },
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

describe('confirming on this server’s page, opened by a client without forms', () => {
  /** The page as the sign-in has it: one question at a time, answered by `patient`. */
  function page(patient: 'approved' | 'declined') {
    const asked: string[] = [];
    let withdrawn = 0;
    const confirmationPage: ConfirmationPage = {
      defer: () => null,
      ask: (_bearer, question) => {
        asked.push(question.message);
        return {
          url: `https://hospiai.example/oauth/confirm?id=q${asked.length}`,
          answer: Promise.resolve(patient),
          withdraw: () => {
            withdrawn++;
          },
        };
      },
    };
    return { confirmationPage, asked, withdrawn: () => withdrawn };
  }
  const urlOnly = { canShowForms: false, canOpenUrls: true };
  const OPENED = { confirm: { action: 'accept' } };

  it('asks the client to open the page, then takes the answer given there, once', async () => {
    const onPage = page('approved');
    const ask = asker(onPage.confirmationPage);
    const asked = (await ask('pat_a', urlOnly)) as unknown as {
      requestState: string;
      inputRequests: { confirm: { method: string; params: { mode: string; url: string } } };
    };
    expect(asked.inputRequests.confirm.method).toBe('elicitation/create');
    expect(asked.inputRequests.confirm.params).toMatchObject({
      mode: 'url',
      url: 'https://hospiai.example/oauth/confirm?id=q1',
    });
    const round = { ...urlOnly, inputResponses: OPENED, requestState: asked.requestState };
    expect(await ask('pat_a', round)).toEqual({ outcome: 'approved', id: null });
    // Replayed: a new question on the page, not a second yes.
    expect(await ask('pat_a', round)).toMatchObject({ resultType: 'input_required' });
    expect(onPage.asked).toHaveLength(2);
  });

  it('a client that would not open it withdraws the page’s question: declined', async () => {
    const onPage = page('approved');
    const ask = asker(onPage.confirmationPage);
    const { requestState } = (await ask('pat_a', urlOnly)) as unknown as { requestState: string };
    const refused = { confirm: { action: 'decline' } };
    expect(await ask('pat_a', { ...urlOnly, inputResponses: refused, requestState })).toEqual({
      outcome: 'declined',
      id: null,
    });
    expect(onPage.withdrawn()).toBe(1);
  });

  it('a form state does not stand for a page answer, and no page means not asked', async () => {
    const ask = asker(page('approved').confirmationPage);
    const { requestState } = (await ask('pat_a', {})) as unknown as { requestState: string };
    expect(await ask('pat_a', { ...urlOnly, inputResponses: OPENED, requestState })).toMatchObject({
      resultType: 'input_required',
    });
    expect(await asker()('pat_a', urlOnly)).toEqual({ outcome: 'unsupported', id: null });
  });
});

describe('spent states', () => {
  it('are spent once while they last, and forgotten after', async () => {
    let now = 0;
    const store = createMemoryStateStore({ now: () => now });
    const spent = createSpentStates(store, QUESTION_TTL_SECONDS);
    expect(await spent.spend('n1')).toBe(true);
    expect(await spent.spend('n1')).toBe(false);
    now += QUESTION_TTL_SECONDS * 1000 + 1;
    // By then the state itself has expired (the codec refuses it): spending is moot but allowed.
    expect(await spent.spend('n1')).toBe(true);
    await store.close();
  });
});

describe('page questions across replicas sharing a store', () => {
  it('the answer given on the asking replica reaches the call that came back to another one', async () => {
    const shared = createMemoryStateStore();
    const asking = createPageQuestions(shared, QUESTION_TTL_SECONDS);
    const other = createPageQuestions(shared, QUESTION_TTL_SECONDS);
    let settle: (outcome: 'approved' | 'declined' | 'timeout') => void = () => {};
    const answer = new Promise<'approved' | 'declined' | 'timeout'>((resolve) => {
      settle = resolve;
    });
    asking.hold('n1', { url: 'https://mcp.example/oauth/confirm?id=r0.x', answer, withdraw() {} });
    const waiting = other.take('n1', 5_000).answer;
    settle('approved');
    expect(await waiting).toBe('approved');
    // Taken once: a second call with the same nonce waits and gets nothing.
    expect(await other.take('n1', 300).answer).toBe('timeout');
  });

  it('a question nobody answers ends as timed out, not as a yes', async () => {
    const pages = createPageQuestions(createMemoryStateStore(), QUESTION_TTL_SECONDS);
    expect(await pages.take('never-asked', 300).answer).toBe('timeout');
  });
});
