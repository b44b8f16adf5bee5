/**
 * The remote mode's pages in English: the keys every language must have. Plain text only —
 * the pages escape each sentence, and what it was built from, where they write it into HTML.
 * A sentence with values is a function of them (the same arguments in every language).
 */
import type { PageMessage } from './page-messages';

export const en = {
  // The consent page (remote/oauth/consent-page.ts).
  consent_title: 'Connect an assistant to your HospiAI record',
  consent_asks: 'asks to reach your HospiAI record.',
  consent_verified: (host: string) => `Verified: its description is published by ${host}.`,
  consent_unverified: (host: string) =>
    `This is the name it gives itself; it is not verified. You will be sent back to ${host}.`,
  consent_unnamed: 'An assistant',
  consent_permissions: 'What it may do (untick what you do not want):',
  consent_scope_read_data: 'Read your appointments, medical records, doctors and free slots',
  consent_scope_book_appointments: 'Book and cancel appointments — you confirm each one',
  consent_scope_write_data: 'Write data in your record',
  consent_extension_title: 'With the HospiAI browser extension',
  consent_extension_link: 'Use the HospiAI extension',
  consent_extension_help:
    'Opens the HospiAI portal: the extension asks you there, in its own window, which permissions to give. Nothing to copy.',
  consent_or_paste: 'Or paste a token',
  consent_token_label: 'Your HospiAI access',
  consent_token_help: (portal: string) =>
    `On the HospiAI portal, open Tokens API (${portal}/dashboard/tokens), generate a token with the permissions ticked here, and paste it below. Paste it here only — never into a chat. It stays yours: ending this sign-in does not delete it; delete it on that page when you no longer want it.`,
  consent_allow: 'Allow',
  consent_deny: 'Deny',
  consent_after:
    'You can end this access at any time: delete the token on the Tokens API page, or remove the connection in your assistant.',

  // What the patient may be refused with on the consent form (remote/oauth/consent-flow.ts).
  problem_no_token: 'Paste your HospiAI access (a token from the Tokens API page) to allow.',
  problem_bad_token: (why: string) => `This HospiAI access was not accepted: ${why}.`,
  problem_token_unchecked: 'it could not be checked',
  problem_nothing_ticked: 'Tick at least one permission, or choose Deny.',
  problem_missing_scopes: (scopes: string) =>
    `This token does not carry what you ticked (${scopes}): generate one with those permissions, or untick them.`,
  problem_expired: 'This request has expired: start the connection again from your assistant.',
  problem_other_browser:
    'Open this sign-in in the browser where it started (the one that showed the HospiAI consent page). Nothing was given here.',

  // The error page: a request that cannot go back to its client.
  error_title: 'This connection cannot go on',
  error_no_client_id: 'client_id is missing',
  error_unregistered_redirect: 'redirect_uri is not one this client registered',
  error_foreign_answer: 'this answer did not come from this page',
  error_form_too_large: 'the form is too large',

  // The confirmation page (remote/oauth/confirmation-pages.ts).
  confirm_title: 'Confirm on HospiAI',
  confirm_confirm: 'Confirm',
  confirm_decline: 'Do not do it',
  confirm_done:
    'Done. Your assistant does not know yet: ask it to look (your appointments list shows it).',
  confirm_handed_back: 'Confirmed. Back in your assistant, it does it now and tells you.',
  confirm_declined: 'Nothing was done.',
  confirm_failed: (why: string) => `Nothing was done: the portal refused (${why}).`,
  confirm_gone:
    'This confirmation is no longer valid (used, expired or unknown). Ask your assistant again.',
  confirm_other_browser:
    'Open this link in the browser where you signed in to HospiAI from your assistant. Nothing is done from here.',
  confirm_ended:
    'Your assistant’s sign-in has ended: nothing was done. Sign in again from your assistant.',
  confirm_field_doctor: 'Doctor',
  confirm_field_date: 'Date',
  confirm_field_time: 'Time',
  confirm_field_reason: 'Reason',
  confirm_field_hospital: 'Hospital',
  confirm_field_address: 'Address',
  // The confirmation card, an MCP App in the assistant's own window (relay/card/card-view.ts).
  card_headline_book_appointment: 'Book this appointment?',
  card_headline_cancel_appointment: 'Cancel this appointment?',
  card_patient: 'Whose record',
  card_when: 'When',
  card_doctor: 'Doctor',
  card_where: 'Where',
  card_reason: 'Reason',
  card_reason_source: 'as your assistant wrote it',
  card_note_book_appointment:
    'Your assistant cannot book this by itself. HospiAI’s page opens in the browser where you signed in: nothing is booked until you press Confirm there.',
  card_note_cancel_appointment:
    'Your assistant cannot cancel this by itself. HospiAI’s page opens in the browser where you signed in: nothing is cancelled until you press Confirm there.',
  card_button: 'Confirm on HospiAI',
  card_not_opened: 'The page could not be opened from here. Open this link in your browser:',
  card_booked: 'Booked: ',
  card_cancelled: 'Cancelled: ',
  card_waiting: 'Waiting for HospiAI…',
  card_nothing_done: 'Nothing was done.',
} satisfies Record<string, PageMessage>;

export type PageMessageKey = keyof typeof en;

/** What every language gives: a sentence for each key, a function of the same values where English has one. */
export type PageMessages = {
  readonly [K in PageMessageKey]: (typeof en)[K] extends string ? string : (typeof en)[K];
};
