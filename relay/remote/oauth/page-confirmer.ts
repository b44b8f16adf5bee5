/**
 * This server's confirmation page as the tools' confirmer sees it: for a patient who signed in
 * here (a bearer that is one of this server's accesses, its grant found live when this request
 * was authenticated, and checked again when the page is answered), a write either confirmed there later (`defer`: the tool answers with the
 * link) or waited for (`ask`: URL-mode elicitation; the answer, or a timeout, comes back to the
 * call). For any other bearer there is no such page (null).
 */
import type { ConfirmationPage } from '../elicitation-confirmer';
import type { ConfirmationPages } from './confirmation-pages';

export function pageConfirmer(pages: ConfirmationPages): ConfirmationPage {
  return {
    defer(bearer, question, run) {
      if (!bearer.grantId) return null;
      return pages.create({
        patientId: bearer.patientId,
        grantId: bearer.grantId,
        message: question.message,
        summary: question.summary,
        confirm: run,
        decline: () => {},
      }).url;
    },
    ask(bearer, question, timeoutMs) {
      if (!bearer.grantId) return null;
      let settle: (outcome: 'approved' | 'declined' | 'timeout') => void = () => {};
      const answer = new Promise<'approved' | 'declined' | 'timeout'>((resolve) => {
        settle = resolve;
      });
      const asked = pages.create(
        {
          patientId: bearer.patientId,
          grantId: bearer.grantId,
          message: question.message,
          summary: question.summary,
          confirm: async () => {
            settle('approved');
            return null;
          },
          decline: () => settle('declined'),
        },
        timeoutMs,
      );
      const timer = setTimeout(() => {
        asked.withdraw();
        settle('timeout');
      }, timeoutMs);
      timer.unref();
      void answer.then(() => clearTimeout(timer));
      return {
        url: asked.url,
        answer,
        withdraw: () => {
          asked.withdraw();
          settle('declined');
        },
      };
    },
  };
}
