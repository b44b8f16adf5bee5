/**
 * What the extension last decided for each portal tab — whether the dashboard points to the
 * popup for consent and why not, whether a token shown on the Tokens API page is offered — with
 * how many decisions that tab has had. It says that the extension got as far as deciding, so a
 * check that "nothing was offered" can wait for it instead of for a fixed time.
 *
 * Written by the background only: its own decisions, and those the content script reports
 * through runtime messaging (sender checked by the router), never anything a page script says.
 * Kept in `storage.session` — in memory, out of content scripts' and pages' reach, like the
 * token — so that it outlives the worker's sleep; a few entries (the most recent tabs), each
 * dropped when its tab closes. Decision names and counts only: no token, id, URL or name.
 */
import { z } from 'zod';
import { storedValue } from '../storage/stored-value';

export const PageDecision = z.enum([
  /** Dashboard: the banner points to the popup for consent. */
  'consent_offered',
  /** Dashboard: nobody is logged in (as the portal's session API says). */
  'no_offer_logged_out',
  /** Dashboard: the patient said "not now" in this browser session. */
  'no_offer_dismissed',
  /** Dashboard: the patient withdrew consent (Stop and revoke): not asked again uninvited. */
  'no_offer_withdrawn',
  /** Dashboard: this patient's consent is given already. */
  'no_offer_granted',
  /** Tokens API page: the portal vouched for the token shown: offered in the popup. */
  'capture_offered',
  /** Tokens API page: the portal did not vouch for it (invalid, or not this patient's). */
  'capture_rejected',
  /** Tokens API page: it shows no new token (content script). */
  'no_secret_on_page',
  /** Tokens API page: the token shown is the one in use (content script). */
  'token_in_use',
  /** A portal page with nothing to offer on it (log-in page, others). */
  'nothing_to_offer',
  /** A page of the portal's origin that is not a HospiAI page (content script). */
  'not_a_portal_page',
]);
export type PageDecision = z.infer<typeof PageDecision>;

/** The decisions the content script takes alone, and reports. */
export const ContentScriptDecision = PageDecision.extract([
  'no_secret_on_page',
  'token_in_use',
  'not_a_portal_page',
]);

/** Tabs remembered at most: the most recent ones. */
export const PAGE_DECISIONS_KEPT = 20;

const TabDecision = z
  .object({
    tabId: z.number().int(),
    decision: PageDecision,
    /** How many decisions this tab has had: one per portal page it loaded. */
    reports: z.number().int().min(1),
  })
  .strict();
export type TabDecision = z.infer<typeof TabDecision>;

export const pageDecisions = storedValue(
  'session:pageDecisions',
  z.array(TabDecision).max(PAGE_DECISIONS_KEPT),
  [],
);

/** The list with this tab's latest decision, most recent last, the oldest tabs dropped. */
export function withDecision(
  list: readonly TabDecision[],
  tabId: number,
  decision: PageDecision,
): TabDecision[] {
  const previous = list.find((entry) => entry.tabId === tabId);
  const others = list.filter((entry) => entry.tabId !== tabId);
  const entry = { tabId, decision, reports: (previous?.reports ?? 0) + 1 };
  return [...others, entry].slice(-PAGE_DECISIONS_KEPT);
}

let pending: Promise<unknown> = Promise.resolve();

/**
 * One change at a time: two tabs deciding together never lose each other's entry. `change`
 * returns null when it changes nothing (most closed tabs were never portal tabs).
 */
function update(change: (list: TabDecision[]) => TabDecision[] | null): Promise<void> {
  const next = pending.then(async () => {
    const changed = change(await pageDecisions.get());
    if (changed) await pageDecisions.set(changed);
  });
  pending = next.catch(() => {});
  return next;
}

export function notePageDecision(tabId: number | undefined, decision: PageDecision): Promise<void> {
  if (tabId === undefined) return Promise.resolve();
  return update((list) => withDecision(list, tabId, decision));
}

/** The tab closed: its entry goes. */
export function forgetTab(tabId: number): Promise<void> {
  return update((list) =>
    list.some((entry) => entry.tabId === tabId)
      ? list.filter((entry) => entry.tabId !== tabId)
      : null,
  );
}
