/**
 * The patient's yes on the 2026-07-28 protocol, where a server sends no requests of its own: the
 * tool call answers with an input-required result that carries the confirmation form and a
 * `requestState`; the client shows the form and calls again with the patient's answer and that
 * state echoed back. The state is HMAC-signed (the SDK's codec), expires, names the patient (a
 * hash of their id) and the question (a digest of what the patient read), and is spent once: an
 * answer counts only for the same patient, the same booking, within its lifetime, the first
 * time. Anything else — a forged, stale, replayed or foreign state, or an answer without one —
 * asks again; nothing is done on it. A client that shows no form confirms on this server's page
 * (the link in the tool's answer) when the patient signed in here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createRequestStateCodec,
  inputRequired,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { confirmationForm } from '../confirm/confirmation-form';
import { InputNeeded } from '../confirm/input-needed';
import type { ConfirmationAnswer, Confirmer, ToConfirm } from '../confirm/patient-confirmation';
import type { Translate } from '../i18n/messages';
import type { AskedOnPage, ConfirmationPage } from './elicitation-confirmer';
import { requestScope } from './request-scope';
import type { StateStore } from './state/state-store';

/** The key of the one question in an input-required result (the client answers under it). */
const QUESTION = 'confirm';

const StatePayload = z.object({
  /** Digest of the question the patient was shown. */
  q: z.string(),
  /** Digest of the patient's id (the state is signed, not secret). */
  p: z.string(),
  /** Spent once. */
  n: z.string(),
  /** How it was asked: a form in the client, or this server's page opened from the client. */
  m: z.enum(['form', 'page']),
});
type StatePayload = z.infer<typeof StatePayload>;

/** The states answered once, until they expire: in the state store every replica shares. */
export function createSpentStates(store: StateStore, ttlSeconds: number) {
  return {
    /** True the first time a nonce is spent (on any replica sharing the store), false after. */
    spend: (nonce: string): Promise<boolean> =>
      store.add(`mcp:spent-state:${nonce}`, '1', ttlSeconds * 1000),
  };
}
export type SpentStates = ReturnType<typeof createSpentStates>;

/**
 * The questions put on this server's page, by their state's nonce, until answered or stale. The
 * call that comes back with the answer may reach another replica (no session pins it): the
 * page's answer is also written to the state store, where that replica waits for it.
 */
export function createPageQuestions(store: StateStore, ttlSeconds: number) {
  const held = new Map<string, AskedOnPage>();
  const answerKey = (nonce: string) => `mcp:page-answer:${nonce}`;
  return {
    hold(nonce: string, asked: AskedOnPage) {
      held.set(nonce, asked);
      setTimeout(() => held.delete(nonce), ttlSeconds * 1000).unref();
      void asked.answer
        .then((outcome) => store.set(answerKey(nonce), outcome, ttlSeconds * 1000))
        .catch(() => {});
    },
    /** The question as this replica holds it; else one whose answer comes through the store. */
    take(nonce: string, waitMs: number): AskedOnPage {
      const asked = held.get(nonce);
      held.delete(nonce);
      return asked ?? { url: '', answer: answerFromStore(nonce, waitMs), withdraw: () => {} };
    },
  };

  async function answerFromStore(nonce: string, waitMs: number): Promise<PageOutcome> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const outcome = PageOutcome.safeParse(await store.take(answerKey(nonce)).catch(() => null));
      if (outcome.success) return outcome.data;
      if (Date.now() >= deadline) return 'timeout';
      await sleep(Math.min(PAGE_ANSWER_POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }
}

const PageOutcome = z.enum(['approved', 'declined', 'timeout']);
type PageOutcome = z.infer<typeof PageOutcome>;
/** How often a replica looks for a page's answer given on another replica. */
const PAGE_ANSWER_POLL_MS = 250;

export interface QuestionStates {
  codec: RequestStateCodec<StatePayload>;
  spent: SpentStates;
  pages: ReturnType<typeof createPageQuestions>;
}

/** How long a question's state stays good: long enough to read and answer, no more. */
export const QUESTION_TTL_SECONDS = 300;

/** The signing key is shared by every replica that may see the call again (`--request-state-key`). */
export function createQuestionStates(
  store: StateStore,
  key: Uint8Array | string = randomBytes(32),
): QuestionStates {
  return {
    codec: createRequestStateCodec<StatePayload>({ key, ttlSeconds: QUESTION_TTL_SECONDS }),
    spent: createSpentStates(store, QUESTION_TTL_SECONDS),
    pages: createPageQuestions(store, QUESTION_TTL_SECONDS),
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/** What the patient was shown, as a digest: the same booking asks the same question. */
const questionDigest = (question: ToConfirm) => digest(JSON.stringify(question));

export function createInputRequiredConfirmer(options: {
  t: Translate;
  states: QuestionStates;
  /** How long the patient has on the page, once the client opened it. */
  pageTimeoutMs: number;
  confirmationPage?: ConfirmationPage;
}): Confirmer {
  const { states, confirmationPage } = options;

  /** The state the call carries back, when it is this server's, unexpired, and well formed. */
  async function verified(state: string | null): Promise<StatePayload | null> {
    if (!state) return null;
    try {
      // No `bind` is configured: the codec reads no context; the payload carries the binding.
      return StatePayload.parse(await states.codec.verify(state, {} as ServerContext));
    } catch {
      return null;
    }
  }

  /** The patient's answer on the page the client opened, once they gave it there. */
  async function answeredOnPage(asked: AskedOnPage, answer: unknown): Promise<ConfirmationAnswer> {
    // The client's "accept" says only that the patient agreed to open the page.
    if ((answer as { action?: unknown } | null)?.action !== 'accept') {
      asked.withdraw();
      return { outcome: 'declined' as const, id: null };
    }
    return { outcome: await asked.answer, id: null };
  }

  return {
    deferWrite: (question, run) => {
      const bearer = requestScope.getStore()?.bearer;
      return bearer && confirmationPage ? confirmationPage.defer(bearer, question, run) : null;
    },
    async confirm(request: ToConfirm): Promise<ConfirmationAnswer> {
      const scope = requestScope.getStore();
      const round = scope?.round;
      if (!scope || !round) return { outcome: 'unsupported', id: null };
      // A client without forms that opens links: the yes is given on this server's page.
      const mode = round.canShowForms ? 'form' : 'page';
      if (mode === 'page' && !(round.canOpenUrls && confirmationPage && request.kind === 'write'))
        return { outcome: 'unsupported', id: null };
      const form = confirmationForm({ t: options.t, message: request.message });
      const question = questionDigest(request);
      const patient = digest(scope.bearer.patientId);
      const state = await verified(round.requestState);
      const answer = round.inputResponses?.[QUESTION];
      if (
        state &&
        answer !== undefined &&
        state.m === mode &&
        state.q === question &&
        state.p === patient &&
        (await states.spent.spend(state.n))
      ) {
        if (mode === 'form') return { ...form.read(answer), id: null };
        return answeredOnPage(states.pages.take(state.n, options.pageTimeoutMs), answer);
      }
      const nonce = randomBytes(16).toString('base64url');
      let asking: ReturnType<typeof inputRequired.elicit>;
      if (mode === 'form') asking = inputRequired.elicit(form.params);
      else {
        const asked =
          request.kind === 'write'
            ? confirmationPage?.ask(scope.bearer, request, options.pageTimeoutMs)
            : null;
        if (!asked) return { outcome: 'unsupported', id: null };
        states.pages.hold(nonce, asked);
        asking = inputRequired.elicitUrl({ message: request.message, url: asked.url });
      }
      const requestState = await states.codec.mint({ q: question, p: patient, n: nonce, m: mode });
      throw new InputNeeded(
        inputRequired({
          inputRequests: { [QUESTION]: asking },
          requestState,
        }) as unknown as InputNeeded['result'],
      );
    },
    // Answers come back with the call itself (or from the page), never as extension frames.
    settle: () => false,
    // No extension reaches this server: the AI client shows the tool's result itself.
    reportWrite: () => {},
  };
}
